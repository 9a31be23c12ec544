// The ANN access path: recognizes `ORDER BY <indexed expr> <distance op> <query value>` and,
// for each hnsw/ivfflat index whose key and operator class match, prices an approximate
// nearest-neighbour scan against the other access paths (a sequential or B-tree scan followed by
// an exact top-k sort). The scan stops once LIMIT rows passed the filters, so its cost grows
// with LIMIT / selectivity, which is what makes a selective B-tree filter win when it should.
import { findAnnOpclass, type AnnOpclass, type IndexDesc, type TableDesc } from '../../catalog/index.js';
import { columnsUsed, exprContainsSubquery, isRowIndependent, visitExpr, type BoundExpr } from '../analyze/index.js';
import type { PlanNode } from './plan-nodes.js';

const DISTANCE_OPERATORS = new Set(['<->', '<#>', '<=>', '<+>', '<~>', '<%>']);
const CPU_OPERATOR_COST = 0.0025;
const CPU_TUPLE_COST = 0.01;
const RANDOM_PAGE_COST = 4.0;

/** ORDER BY key that an ANN index may deliver: `left <op> query`, ascending. */
export interface DistanceOrder {
  readonly op: string;
  /** The indexed side, over the table's row (scope coordinates). */
  readonly left: BoundExpr;
  /** The query value (row-independent). */
  readonly query: BoundExpr;
  /** The whole ORDER BY expression. */
  readonly expr: BoundExpr;
}

/** Recognizes a distance ORDER BY key (ascending, NULLS LAST as the default ASC order). */
export function distanceOrder(e: BoundExpr, descending: boolean, nullsFirst: boolean): DistanceOrder | null {
  if (descending || nullsFirst) return null;
  if (e.kind !== 'call' || e.fn.kind !== 'operator' || !DISTANCE_OPERATORS.has(e.fn.name) || e.args.length !== 2) return null;
  const [left, query] = e.args as [BoundExpr, BoundExpr];
  if (!isQueryValue(query) || isRowIndependent(left)) return null;
  return { op: e.fn.name, left, query, expr: e };
}

/**
 * A value computed once per statement: constants, parameters, stable calls and uncorrelated
 * scalar subqueries (`ORDER BY v <-> (SELECT v FROM items WHERE id = 1)`, pgvector's own example).
 */
function isQueryValue(e: BoundExpr): boolean {
  let ok = true;
  visitExpr(e, (x) => {
    if (x.kind === 'column' && x.levelsUp === 0) ok = false;
    if (x.kind === 'subquery' && (x.correlated || x.mode !== 'scalar')) ok = false;
    if (x.kind === 'anysub' || x.kind === 'aggcall' || x.kind === 'grouped' || x.kind === 'srf') ok = false;
    if (x.kind === 'call' && x.fn.volatility === 'v') ok = false;
  });
  return ok;
}

/** Structural equality of bound expressions, ignoring source positions and display names. */
export function sameExpr(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b)) return false;
    return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  if (ra.kind === 'column' && rb.kind === 'column') {
    // A column is its position; its typmod may be dropped where it is an operator argument.
    return ra.levelsUp === rb.levelsUp && ra.index === rb.index && (ra.type as { oid: number }).oid === (rb.type as { oid: number }).oid;
  }
  if ('impl' in ra && 'argTypes' in ra) {
    // A function definition: same name, same signature.
    return ra.name === rb.name && sameExpr(ra.argTypes, rb.argTypes) && ra.returnType === rb.returnType;
  }
  if ('oid' in ra && 'typmod' in ra && Object.keys(ra).length === 2) {
    // A type: the analyzer may drop a typmod where an operator takes the value (vector(3) → vector).
    return ra.oid === rb.oid;
  }
  const keys = Object.keys(ra).filter((k) => k !== 'location' && k !== 'name' && k !== 'table' && ra[k] !== undefined);
  const keysB = Object.keys(rb).filter((k) => k !== 'location' && k !== 'name' && k !== 'table' && rb[k] !== undefined);
  if (keys.length !== keysB.length) return false;
  for (const k of keys) if (!sameExpr(ra[k], rb[k])) return false;
  return true;
}

export interface AnnCandidate {
  index: IndexDesc;
  opclass: AnnOpclass;
  /** The index key bound over the table row (column or expression). */
  key: BoundExpr;
}

/** Operator classes an index answers the order with, or null. */
export function matchAnnIndex(index: IndexDesc, key: BoundExpr | null, order: DistanceOrder): AnnOpclass | null {
  if (key === null) return null;
  const opclassName = index.opclasses?.[0];
  if (opclassName === undefined || opclassName === null) return null;
  const opclass = findAnnOpclass(index.method, opclassName);
  if (opclass === undefined || opclass.operator !== order.op) return null;
  return sameExpr(key, order.left) ? opclass : null;
}

/** Dimensions of the indexed vectors from the key's type (typmod), 0 if unknown. */
function dimsOf(key: BoundExpr): number {
  return key.type.typmod > 0 ? key.type.typmod : 128;
}

/**
 * Estimated cost of an ANN scan that must deliver `wanted` rows passing a filter of selectivity
 * `sel` from a table of `rows` rows.
 */
export function annScanCost(
  method: string, key: BoundExpr, rows: number, wanted: number, sel: number, efSearch: number, probes: number, lists: number,
): { startup: number; total: number } {
  const dimFactor = Math.max(1, dimsOf(key) / 16);
  const distanceCost = CPU_OPERATOR_COST * dimFactor;
  const s = Math.max(sel, 1e-4);
  const candidates = Math.min(rows, Math.max(wanted, efSearch) / s);
  let distances: number;
  if (method === 'hnsw') {
    // Greedy descent plus a beam of ef over neighbour lists (~2m each at layer 0).
    distances = Math.min(rows, Math.max(efSearch, candidates) * 2 * Math.log2(rows + 2) + 32);
  } else {
    const perList = rows / Math.max(1, lists);
    distances = Math.min(rows, lists + Math.max(probes, Math.ceil(candidates / Math.max(1, perList))) * perList);
  }
  const startup = distances * distanceCost;
  const fetch = Math.min(rows, candidates) * (CPU_TUPLE_COST + RANDOM_PAGE_COST * 0.1);
  return { startup, total: startup + fetch };
}

/** Cost of computing the distance for each of `rows` rows and sorting them (the exact path). */
export function exactTopKCost(key: BoundExpr, rows: number): number {
  const dimFactor = Math.max(1, dimsOf(key) / 16);
  const n = Math.max(rows, 1);
  return n * CPU_OPERATOR_COST * dimFactor + 2 * CPU_OPERATOR_COST * n * Math.log2(n + 1);
}

export type AnnScanNode = Extract<PlanNode, { op: 'annscan' }>;

/**
 * Narrows each ANN scan whose rows only a projection reads (through LIMIT and filters) to the
 * columns those expressions use: candidates then skip decoding the rest (usually the vector).
 * The query's top projection (under LIMITs only) counts its first outputWidth expressions: the
 * others are ORDER BY keys the scan's own order makes unused. Scans under anything else, or read
 * by subqueries, keep every column.
 */
export function pruneAnnColumns(root: PlanNode, outputWidth: number): void {
  let top = root;
  while (top.op === 'limit') top = top.input;
  pruneUnder(root, top.op === 'project' ? top : null, outputWidth);
}

function pruneUnder(node: PlanNode, topProject: PlanNode | null, outputWidth: number): void {
  if (node.op === 'project') {
    const exprs = node === topProject ? node.exprs.slice(0, outputWidth) : node.exprs;
    const used = new Set<number>();
    let ok = !exprs.some((e) => exprContainsSubquery(e, false));
    for (const e of exprs) columnsUsed(e, used);
    let n: PlanNode = node.input;
    while (ok && (n.op === 'limit' || n.op === 'filter' || n.op === 'window')) {
      if (n.op === 'filter') {
        if (exprContainsSubquery(n.pred, false)) ok = false;
        columnsUsed(n.pred, used);
      }
      if (n.op === 'window') {
        const read = [...n.spec.partition, ...n.spec.order.map((k) => k.expr), ...n.calls.flatMap((c) => [...c.args, ...(c.filter === null ? [] : [c.filter])])];
        if (read.some((e) => exprContainsSubquery(e, false))) ok = false;
        for (const e of read) columnsUsed(e, used);
      }
      n = n.input;
    }
    if (ok && n.op === 'annscan' && (n.filter === null || !exprContainsSubquery(n.filter, false))) {
      if (n.filter !== null) columnsUsed(n.filter, used);
      const width = n.table.columns.length;
      n.columns = [...used].filter((i) => i < width).sort((a, b) => a - b);
    }
  }
  for (const v of Object.values(node)) {
    if (typeof v === 'object' && v !== null && typeof (v as { op?: unknown }).op === 'string') pruneUnder(v as PlanNode, topProject, outputWidth);
  }
}

export function isAnnTable(table: TableDesc, indexes: readonly IndexDesc[]): boolean {
  return table.kind === 'r' && indexes.some((i) => i.method === 'hnsw' || i.method === 'ivfflat');
}
