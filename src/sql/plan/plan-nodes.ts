// Physical plan nodes: the operator tree the executor runs, each node carrying the planner's
// estimates (rows, cost, width) so EXPLAIN prints them in PostgreSQL's shape.
import type { AggCall, BoundExpr, BoundQuery, OutputColumn, WinCall, WindowSpec } from '../analyze/index.js';
import type { AnnOpclass, IndexDesc, TableDesc } from '../../catalog/index.js';
import type { ScalarFunctionDef } from '../functions/index.js';
import type { SqlType } from '../types/index.js';

export interface Estimates {
  rows: number;
  startupCost: number;
  totalCost: number;
  width: number;
}

/** A key column bound for an index scan: equality prefix, then an optional range on the next column. */
export interface IndexBounds {
  /** Values (row-independent expressions) for the leading key columns, compared with '='. */
  eq: BoundExpr[];
  lower: { expr: BoundExpr; inclusive: boolean } | null;
  upper: { expr: BoundExpr; inclusive: boolean } | null;
  /** Conjuncts the bounds came from (for EXPLAIN's Index Cond). */
  conds: BoundExpr[];
}

/** The access path of a stored table: its row storage ordered by the storage key, or a secondary index. */
export type IndexRef = { kind: 'primary'; name: string } | { kind: 'secondary'; index: IndexDesc };

export type PlanNode = Estimates & (
  | { op: 'seqscan'; table: TableDesc; alias: string; withKey: boolean; filter: BoundExpr | null; lock: 'exclusive' | 'share' | null }
  | { op: 'indexscan'; table: TableDesc; alias: string; withKey: boolean; index: IndexRef; keyTypes: SqlType[];
      bounds: IndexBounds; reverse: boolean; filter: BoundExpr | null; lock: 'exclusive' | 'share' | null }
  /** Approximate nearest neighbours from an hnsw/ivfflat index, in (approximate) distance order. */
  | { op: 'annscan'; table: TableDesc; alias: string; withKey: boolean; index: IndexDesc; opclass: AnnOpclass;
      /** The query vector (row-independent) and the full ORDER BY distance expression over the table row. */
      query: BoundExpr; orderExpr: BoundExpr; limitHint: number | null; filter: BoundExpr | null;
      /** Physical columns the scan decodes from index candidates (others read as NULL); unset: all (pruneAnnColumns). */
      columns?: number[] }
  | { op: 'virtualscan'; name: string; alias: string; rowsFn: () => Iterable<unknown[]>; filter: BoundExpr | null; ncols: number }
  | { op: 'values'; values: BoundExpr[][]; filter: BoundExpr | null }
  | { op: 'function'; fn: ScalarFunctionDef; args: BoundExpr[]; withOrdinality: boolean; alias: string; filter: BoundExpr | null }
  /** One empty row (SELECT without FROM). */
  | { op: 'result'; filter: BoundExpr | null }
  | { op: 'subqueryscan'; input: PlanNode; alias: string; filter: BoundExpr | null }
  | { op: 'filter'; input: PlanNode; pred: BoundExpr }
  | { op: 'project'; input: PlanNode; exprs: BoundExpr[]; hasSrf: boolean }
  /** lateral: the right side is re-run for each left row, which it reads as its outer row. */
  | { op: 'nestloop'; left: PlanNode; right: PlanNode; joinType: JoinType; cond: BoundExpr | null; leftWidth: number; rightWidth: number;
      lateral?: boolean }
  | { op: 'hashjoin'; left: PlanNode; right: PlanNode; joinType: JoinType; leftKeys: BoundExpr[]; rightKeys: BoundExpr[];
      keyTypes: number[]; extra: BoundExpr | null; leftWidth: number; rightWidth: number }
  /** For each left row, probe an index of the right table with key values computed from the left row. */
  | { op: 'indexnestloop'; left: PlanNode; right: PlanNode & { op: 'indexscan' }; joinType: 'inner' | 'left';
      extra: BoundExpr | null; leftWidth: number; rightWidth: number }
  /** sets: ROLLUP / CUBE / GROUPING SETS (indexes into groupKeys); each output row then ends with its set's number. */
  | { op: 'aggregate'; input: PlanNode; groupKeys: BoundExpr[]; aggs: AggCall[]; having: BoundExpr | null; sets?: number[][] }
  /**
   * WindowAgg: sorts its input (unless presorted) by PARTITION BY then ORDER BY keys and appends each call's result
   * to the first `inputWidth` columns of every row; `sort` is that sort's estimate (EXPLAIN's Sort).
   */
  | { op: 'window'; input: PlanNode; spec: WindowSpec; calls: WinCall[]; inputWidth: number; sort: Estimates | null;
      /** The input arrives in the window's order (an ordered scan): rows stream out peer group by peer group. */
      presorted: boolean }
  | { op: 'sort'; input: PlanNode; keys: SortSpec[] }
  /** ties (FETCH ... WITH TIES): output columns whose equal values extend the last row's group. */
  | { op: 'limit'; input: PlanNode; limit: BoundExpr | null; offset: BoundExpr | null; ties?: Array<{ index: number; typeOid: number }> }
  | { op: 'distinct'; input: PlanNode; on: number[] | null; keyTypes: number[] }
  | { op: 'setop'; setop: 'union' | 'intersect' | 'except'; all: boolean; left: PlanNode; right: PlanNode; keyTypes: number[] }
  | { op: 'lockrows'; input: PlanNode; mode: 'exclusive' | 'share' }
  /** WITH RECURSIVE: run nonRecursive, then recursive over the working table until it yields nothing new. */
  | { op: 'recursiveunion'; cteId: number; all: boolean; nonRecursive: PlanNode; recursive: PlanNode; keyTypes: number[] }
  | { op: 'worktablescan'; cteId: number; alias: string; filter: BoundExpr | null }
);

export type JoinType = 'inner' | 'left' | 'right' | 'full' | 'cross';

export interface SortSpec {
  index: number;
  descending: boolean;
  nullsFirst: boolean;
  typeOid: number;
}

/** A planned query: the operator tree plus its output description. */
export interface PlannedQuery {
  root: PlanNode;
  columns: OutputColumn[];
  /** Number of leading columns of root's rows that are output (the rest are junk). */
  outputWidth: number;
  query: BoundQuery;
}

export type { AggCall };
