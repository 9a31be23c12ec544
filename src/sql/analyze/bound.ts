// The analyzer's output: bound expressions (every name resolved, every node typed with an OID
// and typmod) and bound statements, the logical form the planner turns into physical plans.
import type { Datum, SqlType } from '../types/index.js';
import type { AggregateDef, ScalarFunctionDef } from '../functions/index.js';
import type { TableDesc, IndexDesc, ConstraintDesc, SequenceDesc } from '../../catalog/index.js';

export type BoundExpr =
  /** location: 1-based position of a literal in the query text (for input errors). */
  | { kind: 'const'; type: SqlType; value: Datum; location?: number }
  /** $n (0-based index); its type may be inferred from context. */
  | { kind: 'param'; index: number; type: SqlType }
  /** A column of the current row (levelsUp 0) or of an enclosing query's row. */
  | { kind: 'column'; levelsUp: number; index: number; type: SqlType; name: string; table?: string; location?: number }
  | { kind: 'call'; fn: ScalarFunctionDef; args: BoundExpr[]; type: SqlType }
  /** Set-returning function call in a target list (e.g. SELECT generate_series(1,3)). */
  | { kind: 'srf'; fn: ScalarFunctionDef; args: BoundExpr[]; type: SqlType }
  /** Result slot of an aggregate or group key, after grouping. */
  | { kind: 'grouped'; index: number; type: SqlType }
  /** An aggregate call seen during binding; replaced by 'grouped' after grouping analysis. */
  | { kind: 'aggcall'; agg: AggCall; type: SqlType }
  /** A window function call seen during binding; replaced by 'winref' once the query's windows are laid out. */
  | { kind: 'wincall'; call: WinCall; type: SqlType }
  /** Result slot of a window function: the window nodes append their results after the row they read. */
  | { kind: 'winref'; index: number; call: WinCall; type: SqlType }
  | { kind: 'and' | 'or'; args: BoundExpr[]; type: SqlType }
  | { kind: 'not'; arg: BoundExpr; type: SqlType }
  | { kind: 'case'; whens: Array<{ when: BoundExpr; then: BoundExpr }>; otherwise: BoundExpr; type: SqlType }
  | { kind: 'coalesce'; args: BoundExpr[]; type: SqlType }
  | { kind: 'minmax'; op: 'greatest' | 'least'; args: BoundExpr[]; cmpOid: number; type: SqlType }
  | { kind: 'nullif'; left: BoundExpr; right: BoundExpr; eq: ScalarFunctionDef; type: SqlType }
  | { kind: 'cast'; arg: BoundExpr; type: SqlType; explicit: boolean }
  | { kind: 'isnull'; arg: BoundExpr; negate: boolean; type: SqlType }
  | { kind: 'booltest'; arg: BoundExpr; test: 'true' | 'false' | 'unknown'; negate: boolean; type: SqlType }
  | { kind: 'distinctfrom'; left: BoundExpr; right: BoundExpr; eq: ScalarFunctionDef; negate: boolean; type: SqlType }
  /** x op ANY/ALL (array expression); IN lists become this with '='. */
  | { kind: 'arrayop'; left: BoundExpr; right: BoundExpr; fn: ScalarFunctionDef; all: boolean; type: SqlType }
  /** x op ANY/ALL (list of expressions): IN (a, b, c). */
  | { kind: 'inlist'; left: BoundExpr; items: BoundExpr[]; fns: ScalarFunctionDef[]; all: boolean; type: SqlType }
  | { kind: 'subquery'; mode: 'scalar' | 'exists' | 'array'; query: BoundQuery; correlated: boolean; type: SqlType;
      /** In a grouped query: rebuild the outer scope row from the grouped row (scope offset ← grouped slot). */
      groupedOuter?: GroupedOuter }
  /** x op ANY/ALL (subquery), x IN (subquery). */
  | { kind: 'anysub'; left: BoundExpr[]; query: BoundQuery; fns: ScalarFunctionDef[]; all: boolean; correlated: boolean; type: SqlType;
      groupedOuter?: GroupedOuter }
  | { kind: 'array'; items: BoundExpr[]; type: SqlType }
  /** ROW(a, b) or a whole-row reference (t): a record of the fields, named (f1, f2, ... for ROW()). */
  | { kind: 'row'; items: BoundExpr[]; names: string[]; type: SqlType }
  /** arr[i][j]... (element) or arr[a:b]... (slice, when any bound pair is given). */
  | { kind: 'subscript'; arg: BoundExpr; indexes: Array<{ lower: BoundExpr | null; upper: BoundExpr | null }>; slice: boolean; type: SqlType };

/** How a correlated subquery in a grouped query sees its outer row: group keys put back at their scope offsets. */
export interface GroupedOuter {
  scopeWidth: number;
  slots: Array<{ groupedIndex: number; scopeOffset: number }>;
}

export interface AggCall {
  fn: AggregateDef;
  args: BoundExpr[];
  distinct: boolean;
  filter: BoundExpr | null;
  /** ORDER BY inside the aggregate (string_agg(x, ',' ORDER BY x)). */
  orderBy: SortKey[];
  argTypes: SqlType[];
}

/** The window functions that are not aggregates (PostgreSQL's built-in ones). */
export type WindowFnName = 'row_number' | 'rank' | 'dense_rank' | 'percent_rank' | 'cume_dist' | 'ntile'
  | 'lag' | 'lead' | 'first_value' | 'last_value' | 'nth_value';

/** A window function call: a built-in window function or an aggregate computed over a frame. */
export interface WinCall {
  fn: { kind: 'window'; name: WindowFnName } | { kind: 'aggregate'; def: AggregateDef; star: boolean };
  args: BoundExpr[];
  /** FILTER (WHERE ...), aggregates only. */
  filter: BoundExpr | null;
  /** Index into the query's window specifications. */
  window: number;
  type: SqlType;
}

/** One end of a window frame; offsets are row-independent expressions (constants or parameters). */
export type FrameBound =
  | { kind: 'unbounded' | 'current' }
  | { kind: 'preceding' | 'following'; offset: BoundExpr };

/** A window frame: which rows of the partition an aggregate (or first/last/nth_value) reads. */
export interface WindowFrame {
  mode: 'range' | 'rows' | 'groups';
  start: FrameBound;
  end: FrameBound;
  exclude: 'no others' | 'current row' | 'group' | 'ties';
}

/** A window: PARTITION BY and ORDER BY over the row the window node reads, and its frame. */
export interface WindowSpec {
  partition: BoundExpr[];
  order: SortKey[];
  frame: WindowFrame;
  /** The name given in a WINDOW clause when the OVER clause used it as is. */
  name?: string;
}

export interface SortKey {
  expr: BoundExpr;
  descending: boolean;
  nullsFirst: boolean;
}

export interface OutputColumn {
  name: string;
  type: SqlType;
  /** Source table OID and attnum for RowDescription, or 0. */
  tableOid: number;
  attnum: number;
}

/** A relation in FROM, contributing `width` columns at `offset` in the scope row. */
export type FromItem =
  /** A stored table: emits every physical column (dropped ones as NULL), then the row key if withKey. */
  | { kind: 'table'; table: TableDesc; alias: string; offset: number; width: number; withKey: boolean }
  /** A catalog relation computed on demand (pg_class, information_schema.tables, ...). */
  | { kind: 'virtual'; name: string; rows: () => Iterable<unknown[]>; alias: string; offset: number; width: number }
  /** lateral: the query reads columns of FROM items to its left (levelsUp 1 = the row to its left). */
  | { kind: 'subquery'; query: BoundQuery; alias: string; offset: number; width: number; lateral?: boolean }
  | { kind: 'function'; fn: ScalarFunctionDef; args: BoundExpr[]; alias: string; offset: number; width: number;
      withOrdinality: boolean; lateral?: boolean }
  | { kind: 'values'; rows: BoundExpr[][]; alias: string; offset: number; width: number }
  /** The working table of a recursive CTE, inside its recursive term. */
  | { kind: 'worktable'; cteId: number; alias: string; offset: number; width: number }
  | { kind: 'join'; joinType: 'inner' | 'left' | 'right' | 'full' | 'cross'; left: FromItem; right: FromItem;
      on: BoundExpr | null; offset: number; width: number };

export interface SelectQuery {
  kind: 'select';
  from: FromItem | null;
  where: BoundExpr | null;
  /** Grouping: group key expressions over the scope row, then aggregates. */
  grouped: boolean;
  groupKeys: BoundExpr[];
  /**
   * ROLLUP / CUBE / GROUPING SETS: the sets of group keys (indexes into groupKeys) the rows are
   * grouped by, one after the other; keys outside a row's set read NULL, and the grouped row
   * carries its set's number (1-based) after the aggregates.
   */
  groupingSets?: number[][];
  aggregates: AggCall[];
  having: BoundExpr | null;
  /**
   * Windows in the order their nodes run, each with the calls it computes; a node appends its
   * calls' results to the row it reads (the scope row, or the grouped row when grouped).
   */
  windows: Array<{ spec: WindowSpec; calls: WinCall[] }>;
  /** Output expressions (over the scope row, or over the grouped row when grouped). */
  targets: BoundExpr[];
  /** Extra hidden expressions appended for ORDER BY / DISTINCT ON that are not in targets. */
  junk: BoundExpr[];
  columns: OutputColumn[];
  distinct: boolean;
  /** DISTINCT ON: indexes into targets+junk. */
  distinctOn: number[] | null;
  /** Sort keys as indexes into targets+junk. */
  orderBy: Array<{ index: number; descending: boolean; nullsFirst: boolean }>;
  limit: BoundExpr | null;
  offset: BoundExpr | null;
  /** FETCH FIRST n ROWS WITH TIES: rows after the n-th that sort equal to it are returned too. */
  withTies?: boolean;
  /** Row locking clause (FOR UPDATE / FOR SHARE) over these table items. */
  lockMode: 'exclusive' | 'share' | null;
  /** FOR UPDATE NOWAIT: fail with 55P03 instead of waiting. */
  lockNoWait?: boolean;
  /** FOR UPDATE SKIP LOCKED: rows locked by others are left out. */
  lockSkip?: boolean;
  /** Width of the scope row (all FROM columns). */
  scopeWidth: number;
}

export interface SetOpQuery {
  kind: 'setop';
  op: 'union' | 'intersect' | 'except';
  all: boolean;
  left: BoundQuery;
  right: BoundQuery;
  columns: OutputColumn[];
  orderBy: Array<{ index: number; descending: boolean; nullsFirst: boolean }>;
  limit: BoundExpr | null;
  offset: BoundExpr | null;
}

export interface ValuesQuery {
  kind: 'values';
  rows: BoundExpr[][];
  columns: OutputColumn[];
  orderBy: Array<{ index: number; descending: boolean; nullsFirst: boolean }>;
  limit: BoundExpr | null;
  offset: BoundExpr | null;
}

/** WITH RECURSIVE: the non-recursive term, then the recursive term repeated over the working table. */
export interface RecursiveQuery {
  kind: 'recursive';
  cteId: number;
  all: boolean;
  nonRecursive: BoundQuery;
  recursive: BoundQuery;
  columns: OutputColumn[];
}

export type BoundQuery = SelectQuery | SetOpQuery | ValuesQuery | RecursiveQuery;

/** What INSERT/UPDATE need to know about the target table. */
export interface TargetTable {
  table: TableDesc;
  indexes: IndexDesc[];
  constraints: ConstraintDesc[];
  /** Bound CHECK constraints over the full physical row. */
  checks: Array<{ name: string; expr: BoundExpr }>;
  /** Bound default expression for each physical column (null = NULL). */
  defaults: Array<BoundExpr | null>;
  sequences: Array<SequenceDesc | null>;
}

export interface InsertStatement {
  kind: 'insert';
  target: TargetTable;
  /** Source rows: a query whose columns map to `targetColumns` (physical column positions). */
  source: BoundQuery;
  targetColumns: number[];
  /** Overriding: identity ALWAYS columns given explicitly need OVERRIDING SYSTEM VALUE. */
  onConflict: null | {
    action: 'nothing' | 'update';
    /** Conflict target columns (positions) or null = any unique index. */
    arbiterIndexOids: number[] | null;
    /** SET assignments: physical position → expr over [existing row ++ excluded row]. */
    assignments: Array<{ column: number; expr: BoundExpr }>;
    where: BoundExpr | null;
  };
  /** RETURNING expressions over the physical row. */
  returning: BoundExpr[];
  returningColumns: OutputColumn[];
}

export interface UpdateStatement {
  kind: 'update';
  target: TargetTable;
  /** Scan query producing: [target physical row..., row key, other FROM columns...]. */
  from: FromItem;
  where: BoundExpr | null;
  /** Assignments: physical column position → expr over the scope row. */
  assignments: Array<{ column: number; expr: BoundExpr }>;
  returning: BoundExpr[];
  returningColumns: OutputColumn[];
  scopeWidth: number;
}

export interface DeleteStatement {
  kind: 'delete';
  target: TargetTable;
  from: FromItem;
  where: BoundExpr | null;
  returning: BoundExpr[];
  returningColumns: OutputColumn[];
  scopeWidth: number;
}

export type BoundDml = InsertStatement | UpdateStatement | DeleteStatement;
