// The operators: each physical plan node becomes a generator of rows (arrays of datums) pulled
// by its parent. Scans read through the transaction's snapshot; joins, aggregation, sorting,
// DISTINCT, set operations and LIMIT follow PostgreSQL's semantics (NULLs, three-valued logic).
import { SqlError, SQLSTATE, notSupported } from '../../base/index.js';
import { prefixEnd } from '../../keys/index.js';
import {
  compareDatums, hashDatum, encodeKeyDatums, type Datum,
} from '../types/index.js';
import type { PlanNode } from '../plan/index.js';
import type { AggCall, BoundExpr } from '../analyze/index.js';
import { compileExpr, compilePredicate, type Row } from './compile-expr.js';
import { tick, pauseDue, PAUSE, type ExecContext } from './exec-context.js';
import { annScan } from './ann-scan.js';
import { rowComparator } from './sort-compare.js';
import { windowAgg } from './window-agg.js';
import {
  layoutOf, decodeStoredRow, indexLayoutOf, type TableLayout,
} from './table-codec.js';

/**
 * Runs a plan to rows. Never yields the PAUSE marker: for consumers that take rows synchronously
 * (subqueries, DML target collection, materialized join sides).
 */
export function* runPlan(node: PlanNode, ctx: ExecContext): Iterable<Row> {
  for (const r of runNode(node, ctx)) if (r !== PAUSE) yield r;
}

/**
 * Runs a plan for the statement driver: leaf scans yield PAUSE now and then (when ctx.pauseAt has
 * passed) so the driver can let the event loop run — a CancelRequest is handled there — and
 * every operator passes PAUSE up without losing its place.
 */
export function runPlanPausable(node: PlanNode, ctx: ExecContext): Iterable<Row> {
  return runNode(node, ctx);
}

function runNode(node: PlanNode, ctx: ExecContext): Iterable<Row> {
  switch (node.op) {
    case 'seqscan': return seqScan(node, ctx);
    case 'indexscan': return indexScan(node, ctx);
    case 'annscan': return annScan(node, ctx);
    case 'virtualscan': return filtered(virtualRows(node), node.filter, ctx);
    case 'values': return filtered(valuesRows(node.values, ctx), node.filter, ctx);
    case 'function': return filtered(functionRows(node, ctx), node.filter, ctx);
    case 'result': return filtered([[]], node.filter, ctx);
    case 'subqueryscan': return filtered(runNode(node.input, ctx), node.filter, ctx);
    case 'filter': return filtered(runNode(node.input, ctx), node.pred, ctx);
    case 'project': return node.hasSrf ? projectSet(node, ctx) : project(node, ctx);
    case 'nestloop': return nestLoop(node, ctx);
    case 'hashjoin': return hashJoin(node, ctx);
    case 'indexnestloop': return indexNestLoop(node, ctx);
    case 'aggregate': return aggregate(node, ctx);
    case 'window': return windowAgg(node, runNode(node.input, ctx), ctx);
    case 'sort': return sortRows(node, ctx);
    case 'limit': return limitRows(node, ctx);
    case 'distinct': return distinctRows(node, ctx);
    case 'setop': return setOp(node, ctx);
    case 'lockrows': return runNode(node.input, ctx);
    case 'recursiveunion': return recursiveUnion(node, ctx);
    case 'worktablescan': return filtered(ctx.worktables?.get(node.cteId) ?? [], node.filter, ctx);
  }
}

function* filtered(rows: Iterable<Row>, pred: BoundExpr | null, ctx: ExecContext): Iterable<Row> {
  if (pred === null) { yield* rows; return; }
  const p = compilePredicate(pred)!;
  for (const row of rows) {
    if (row === PAUSE) { yield PAUSE; continue; }
    tick(ctx);
    if (p(row, ctx)) yield row;
  }
}

// ---- scans --------------------------------------------------------------------------------------

function* seqScan(node: Extract<PlanNode, { op: 'seqscan' }>, ctx: ExecContext): Iterable<Row> {
  const layout = layoutOf(node.table);
  const p = compilePredicate(node.filter);
  const withKey = node.withKey;
  const skip = ctx.skipRows?.tableOid === node.table.oid ? ctx.skipRows.keys : null;
  for (const [key, value] of ctx.txn.scan(layout.prefix, layout.prefixEnd)) {
    tick(ctx);
    if (pauseDue(ctx)) yield PAUSE;
    if (skip !== null && skip.has(key.toString('latin1'))) continue;
    const row = decodeStoredRow(layout, value);
    if (withKey) row.push(Buffer.from(key));
    if (p === null || p(row, ctx)) yield row;
  }
}

function* indexScan(node: Extract<PlanNode, { op: 'indexscan' }>, ctx: ExecContext): Iterable<Row> {
  const layout = layoutOf(node.table);
  const range = indexRange(node, layout, ctx);
  if (range === null) return;
  if (range.exact !== null) {
    // Equality on every column of a unique key: one point read (older versions are never walked).
    yield* pointLookup(node, layout, range.exact, ctx);
    return;
  }
  const p = compilePredicate(node.filter);
  const withKey = node.withKey;
  const secondary = node.index.kind === 'secondary';
  const skip = ctx.skipRows?.tableOid === node.table.oid ? ctx.skipRows.keys : null;
  for (const [key, value] of ctx.txn.scan(range.start, range.end, { reverse: node.reverse })) {
    tick(ctx);
    if (pauseDue(ctx)) yield PAUSE;
    let rowKey: Uint8Array = key;
    let rowBytes: Uint8Array | undefined = value;
    if (secondary) {
      rowKey = value;
      rowBytes = ctx.txn.get(value);
      if (rowBytes === undefined) continue;
    }
    if (skip !== null && skip.has(Buffer.from(rowKey).toString('latin1'))) continue;
    const row = decodeStoredRow(layout, rowBytes);
    if (withKey) row.push(Buffer.from(rowKey));
    if (p === null || p(row, ctx)) yield row;
  }
}

function* pointLookup(node: Extract<PlanNode, { op: 'indexscan' }>, layout: TableLayout, exact: Uint8Array, ctx: ExecContext): Iterable<Row> {
  let rowKey: Uint8Array | undefined = exact;
  if (node.index.kind === 'secondary') rowKey = ctx.txn.get(exact);
  if (rowKey === undefined) return;
  if (ctx.skipRows?.tableOid === node.table.oid && ctx.skipRows.keys.has(Buffer.from(rowKey).toString('latin1'))) return;
  const bytes = ctx.txn.get(rowKey);
  if (bytes === undefined) return;
  const row = decodeStoredRow(layout, bytes);
  if (node.withKey) row.push(Buffer.from(rowKey));
  const p = compilePredicate(node.filter);
  if (p === null || p(row, ctx)) yield row;
}

/**
 * Key range of an index scan from its bounds; null when a bound value is NULL (no row matches).
 * `exact` is set when the bounds fix every column of a unique key (a point read suffices).
 */
function indexRange(node: Extract<PlanNode, { op: 'indexscan' }>, layout: TableLayout, ctx: ExecContext): { start: Uint8Array; end: Uint8Array; exact: Uint8Array | null } | null {
  const prefix = node.index.kind === 'primary' ? layout.prefix : indexLayoutOf(node.table, node.index.index).prefix;
  const desc = node.index.kind === 'primary' ? undefined : node.index.index.descending;
  const nullsFirst = node.index.kind === 'primary' ? undefined : node.index.index.nullsFirst;
  const eqValues: Datum[] = [];
  for (const e of node.bounds.eq) {
    const v = compileExpr(e)([], ctx);
    if (v === null) return null;
    eqValues.push(v);
  }
  const n = eqValues.length;
  const eqTypes = node.keyTypes.slice(0, n);
  const eqPrefix = Buffer.concat([prefix, encodeKeyDatums(eqTypes, eqValues, desc?.slice(0, n), nullsFirst?.slice(0, n))]);
  const unique = node.index.kind === 'primary' || node.index.index.unique;
  if (unique && n === node.keyTypes.length && node.bounds.lower === null && node.bounds.upper === null) {
    return { start: eqPrefix, end: eqPrefix, exact: eqPrefix };
  }
  let start: Uint8Array = eqPrefix;
  let end: Uint8Array = prefixEnd(eqPrefix)!;
  const colType = node.keyTypes[n];
  const colDesc = desc?.[n] ?? false;
  const encodeOne = (v: Datum): Buffer => Buffer.concat([eqPrefix, encodeKeyDatums([colType!], [v], [colDesc], [nullsFirst?.[n] ?? colDesc])]);
  // In a descending column, the lower SQL bound is the upper key bound.
  const lo = colDesc ? node.bounds.upper : node.bounds.lower;
  const hi = colDesc ? node.bounds.lower : node.bounds.upper;
  if (lo !== null) {
    const v = compileExpr(lo.expr)([], ctx);
    if (v === null) return null;
    const k = encodeOne(v);
    start = lo.inclusive ? k : prefixEnd(k)!;
  }
  if (hi !== null) {
    const v = compileExpr(hi.expr)([], ctx);
    if (v === null) return null;
    const k = encodeOne(v);
    end = hi.inclusive ? prefixEnd(k)! : k;
  }
  return { start, end, exact: null };
}

function* virtualRows(node: Extract<PlanNode, { op: 'virtualscan' }>): Iterable<Row> {
  for (const r of node.rowsFn()) yield r as Row;
}

function* valuesRows(rows: BoundExpr[][], ctx: ExecContext): Iterable<Row> {
  const compiled = rows.map((r) => r.map(compileExpr));
  for (const r of compiled) yield r.map((f) => f([], ctx));
}

function* functionRows(node: Extract<PlanNode, { op: 'function' }>, ctx: ExecContext): Iterable<Row> {
  const args = node.args.map((a) => compileExpr(a)([], ctx));
  if (node.fn.strict && args.includes(null)) return;
  const result = node.fn.impl(args, ctx.evalContext);
  let ordinal = 0n;
  if (node.fn.returnsSet === true) {
    for (const v of result as Iterable<Datum>) {
      tick(ctx);
      if (pauseDue(ctx)) yield PAUSE;
      ordinal++;
      if (node.fn.outColumns !== undefined) yield node.withOrdinality ? [...(v as unknown as Datum[]), ordinal] : (v as unknown as Datum[]);
      else yield node.withOrdinality ? [v, ordinal] : [v];
    }
  } else {
    yield node.withOrdinality ? [result as Datum, 1n] : [result as Datum];
  }
}

// ---- projection ---------------------------------------------------------------------------------

function* project(node: Extract<PlanNode, { op: 'project' }>, ctx: ExecContext): Iterable<Row> {
  const fs = node.exprs.map(compileExpr);
  const n = fs.length;
  for (const row of runNode(node.input, ctx)) {
    if (row === PAUSE) { yield PAUSE; continue; }
    const out = new Array<Datum>(n);
    for (let i = 0; i < n; i++) out[i] = fs[i]!(row, ctx);
    yield out;
  }
}

/** Projection with set-returning functions in the target list (PostgreSQL 10+ lockstep semantics). */
function* projectSet(node: Extract<PlanNode, { op: 'project' }>, ctx: ExecContext): Iterable<Row> {
  const parts = node.exprs.map((e) => {
    if (e.kind === 'srf') {
      const args = e.args.map(compileExpr);
      return { srf: true as const, fn: e.fn, args };
    }
    return { srf: false as const, f: compileExpr(e) };
  });
  for (const row of runNode(node.input, ctx)) {
    if (row === PAUSE) { yield PAUSE; continue; }
    const iters = parts.map((p) => {
      if (!p.srf) return null;
      const args = p.args.map((a) => a(row, ctx));
      if (p.fn.strict && args.includes(null)) return [][Symbol.iterator]();
      return (p.fn.impl(args, ctx.evalContext) as Iterable<Datum>)[Symbol.iterator]();
    });
    for (;;) {
      tick(ctx);
      let any = false;
      const out = parts.map((p, i) => {
        if (!p.srf) return null;
        const r = iters[i]!.next();
        if (r.done === true) return null;
        any = true;
        return r.value;
      });
      if (!any) break;
      for (let i = 0; i < parts.length; i++) {
        const p = parts[i]!;
        if (!p.srf) out[i] = p.f(row, ctx);
      }
      yield out;
    }
  }
}

// ---- joins --------------------------------------------------------------------------------------

function nulls(n: number): Row {
  return new Array<Datum>(n).fill(null);
}

function* lateralLoop(node: Extract<PlanNode, { op: 'nestloop' }>, ctx: ExecContext): Iterable<Row> {
  const cond = compilePredicate(node.cond);
  for (const l of runNode(node.left, ctx)) {
    if (l === PAUSE) { yield PAUSE; continue; }
    ctx.outer.push(l);
    let rights: Row[];
    try {
      rights = [...runPlan(node.right, ctx)];
    } finally {
      ctx.outer.pop();
    }
    let matched = false;
    for (const r of rights) {
      tick(ctx);
      const row = l.concat(r);
      if (cond === null || cond(row, ctx)) { matched = true; yield row; }
    }
    if (!matched && node.joinType === 'left') yield l.concat(nulls(node.rightWidth));
  }
}

function* nestLoop(node: Extract<PlanNode, { op: 'nestloop' }>, ctx: ExecContext): Iterable<Row> {
  if (node.lateral === true) { yield* lateralLoop(node, ctx); return; }
  const cond = compilePredicate(node.cond);
  const right = [...runPlan(node.right, ctx)];
  const rightMatched = node.joinType === 'right' || node.joinType === 'full' ? new Uint8Array(right.length) : null;
  const lw = node.leftWidth;
  const rw = node.rightWidth;
  for (const l of runNode(node.left, ctx)) {
    if (l === PAUSE) { yield PAUSE; continue; }
    let matched = false;
    for (let i = 0; i < right.length; i++) {
      tick(ctx);
      const row = l.concat(right[i]!);
      if (cond === null || cond(row, ctx)) {
        matched = true;
        if (rightMatched !== null) rightMatched[i] = 1;
        yield row;
      }
    }
    if (!matched && (node.joinType === 'left' || node.joinType === 'full')) yield l.concat(nulls(rw));
  }
  if (rightMatched !== null) {
    for (let i = 0; i < right.length; i++) if (rightMatched[i] === 0) yield nulls(lw).concat(right[i]!);
  }
}

function keyOf(values: Datum[], types: number[]): string | null {
  let key = '';
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === null) return null;
    key += (i === 0 ? '' : '\u0000') + String(hashDatum(types[i]!, v));
  }
  return key;
}

function* hashJoin(node: Extract<PlanNode, { op: 'hashjoin' }>, ctx: ExecContext): Iterable<Row> {
  const lkeys = node.leftKeys.map(compileExpr);
  const rkeys = node.rightKeys.map(compileExpr);
  const extra = compilePredicate(node.extra);
  const table = new Map<string, Array<{ row: Row; index: number }>>();
  const rightRows: Row[] = [];
  for (const r of runNode(node.right, ctx)) {
    if (r === PAUSE) { yield PAUSE; continue; }
    tick(ctx);
    const k = keyOf(rkeys.map((f) => f(r, ctx)), node.keyTypes);
    const index = rightRows.length;
    rightRows.push(r);
    if (k === null) continue;
    let bucket = table.get(k);
    if (bucket === undefined) { bucket = []; table.set(k, bucket); }
    bucket.push({ row: r, index });
  }
  const rightMatched = node.joinType === 'right' || node.joinType === 'full' ? new Uint8Array(rightRows.length) : null;
  for (const l of runNode(node.left, ctx)) {
    if (l === PAUSE) { yield PAUSE; continue; }
    tick(ctx);
    const k = keyOf(lkeys.map((f) => f(l, ctx)), node.keyTypes);
    let matched = false;
    if (k !== null) {
      for (const entry of table.get(k) ?? []) {
        const row = l.concat(entry.row);
        if (extra === null || extra(row, ctx)) {
          matched = true;
          if (rightMatched !== null) rightMatched[entry.index] = 1;
          yield row;
        }
      }
    }
    if (!matched && (node.joinType === 'left' || node.joinType === 'full')) yield l.concat(nulls(node.rightWidth));
  }
  if (rightMatched !== null) {
    for (let i = 0; i < rightRows.length; i++) if (rightMatched[i] === 0) yield nulls(node.leftWidth).concat(rightRows[i]!);
  }
}

function* indexNestLoop(node: Extract<PlanNode, { op: 'indexnestloop' }>, ctx: ExecContext): Iterable<Row> {
  const extra = compilePredicate(node.extra);
  const saved = ctx.probeRow;
  try {
    for (const l of runNode(node.left, ctx)) {
      if (l === PAUSE) { yield PAUSE; continue; }
      tick(ctx);
      ctx.probeRow = l;
      const rights = [...indexScan(node.right, ctx)];
      ctx.probeRow = saved;
      let matched = false;
      for (const r of rights) {
        const row = l.concat(r);
        if (extra === null || extra(row, ctx)) { matched = true; yield row; }
      }
      if (!matched && node.joinType === 'left') yield l.concat(nulls(node.rightWidth));
    }
  } finally {
    ctx.probeRow = saved;
  }
}

// ---- aggregation ----------------------------------------------------------------------------------

interface AggState {
  state: unknown;
  /** DISTINCT: seen argument keys. */
  seen: Set<string> | null;
  /** ORDER BY inside the aggregate: buffered argument rows. */
  buffered: Array<{ args: Datum[]; sortKeys: Datum[] }> | null;
}

function* aggregate(node: Extract<PlanNode, { op: 'aggregate' }>, ctx: ExecContext): Iterable<Row> {
  if (node.sets !== undefined) { yield* aggregateSets(node, node.sets, ctx); return; }
  const keyFs = node.groupKeys.map(compileExpr);
  const keyTypes = node.groupKeys.map((k) => k.type.oid);
  const aggs = node.aggs.map((a) => compileAgg(a));
  const groups = new Map<string, { keys: Datum[]; states: AggState[] }>();
  const newStates = (): AggState[] => node.aggs.map((a) => ({
    state: a.fn.init(), seen: a.distinct ? new Set<string>() : null, buffered: a.orderBy.length > 0 ? [] : null,
  }));
  for (const row of runNode(node.input, ctx)) {
    if (row === PAUSE) { yield PAUSE; continue; }
    tick(ctx);
    const keys = keyFs.map((f) => f(row, ctx));
    const gk = groupKey(keys, keyTypes);
    let g = groups.get(gk);
    if (g === undefined) {
      g = { keys, states: newStates() };
      groups.set(gk, g);
    }
    for (let i = 0; i < aggs.length; i++) aggs[i]!.step(g.states[i]!, row, ctx);
  }
  if (groups.size === 0 && node.groupKeys.length === 0) {
    groups.set('', { keys: [], states: newStates() });
  }
  const having = compilePredicate(node.having);
  for (const g of groups.values()) {
    const out: Row = [...g.keys];
    for (let i = 0; i < aggs.length; i++) out.push(aggs[i]!.final(g.states[i]!, ctx));
    if (having === null || having(out, ctx)) yield out;
  }
}

/**
 * Aggregation by grouping sets (ROLLUP, CUBE, GROUPING SETS): one pass over the input feeds every
 * set's groups; rows come set by set, keys outside the set NULL, and each row ends with its set's
 * number (1-based) for GROUPING(). An empty set makes one row even of no input.
 */
function* aggregateSets(node: Extract<PlanNode, { op: 'aggregate' }>, sets: number[][], ctx: ExecContext): Iterable<Row> {
  const keyFs = node.groupKeys.map(compileExpr);
  const keyTypes = node.groupKeys.map((k) => k.type.oid);
  const aggs = node.aggs.map((a) => compileAgg(a));
  const newStates = (): AggState[] => node.aggs.map((a) => ({
    state: a.fn.init(), seen: a.distinct ? new Set<string>() : null, buffered: a.orderBy.length > 0 ? [] : null,
  }));
  const groups = sets.map(() => new Map<string, { keys: Datum[]; states: AggState[] }>());
  for (const row of runNode(node.input, ctx)) {
    if (row === PAUSE) { yield PAUSE; continue; }
    tick(ctx);
    const keys = keyFs.map((f) => f(row, ctx));
    for (let s = 0; s < sets.length; s++) {
      const set = sets[s]!;
      const setKeys = node.groupKeys.map((_, k) => (set.includes(k) ? keys[k]! : null));
      const gk = groupKey(setKeys, keyTypes);
      let g = groups[s]!.get(gk);
      if (g === undefined) {
        g = { keys: setKeys, states: newStates() };
        groups[s]!.set(gk, g);
      }
      for (let i = 0; i < aggs.length; i++) aggs[i]!.step(g.states[i]!, row, ctx);
    }
  }
  const having = compilePredicate(node.having);
  // The empty set's row first, then the others' in their order (as PostgreSQL's MixedAggregate emits them).
  const order = [...sets.keys()].sort((a, b) => Number(sets[b]!.length === 0) - Number(sets[a]!.length === 0));
  for (const s of order) {
    if (sets[s]!.length === 0 && groups[s]!.size === 0) groups[s]!.set('', { keys: node.groupKeys.map(() => null), states: newStates() });
    for (const g of groups[s]!.values()) {
      const out: Row = [...g.keys];
      for (let i = 0; i < aggs.length; i++) out.push(aggs[i]!.final(g.states[i]!, ctx));
      out.push(s + 1);
      if (having === null || having(out, ctx)) yield out;
    }
  }
}

function groupKey(keys: Datum[], types: number[]): string {
  let s = '';
  for (let i = 0; i < keys.length; i++) {
    const v = keys[i]!;
    s += (v === null ? '\u0001N' : '\u0001' + String(hashDatum(types[i]!, v)));
  }
  return s;
}

function compileAgg(a: AggCall): {
  step(s: AggState, row: Row, ctx: ExecContext): void;
  final(s: AggState, ctx: ExecContext): Datum;
} {
  const args = a.args.map(compileExpr);
  const filter = compilePredicate(a.filter);
  const fn = a.fn;
  const argTypes = a.argTypes.map((t) => t.oid);
  const sortFs = a.orderBy.map((o) => compileExpr(o.expr));
  const apply = (s: AggState, values: Datum[], ctx: ExecContext): void => {
    if (fn.strict && values.some((v) => v === null)) return;
    if (s.seen !== null) {
      const k = groupKey(values, argTypes);
      if (s.seen.has(k)) return;
      s.seen.add(k);
    }
    s.state = fn.step(s.state, values, ctx.evalContext);
  };
  return {
    step(s, row, ctx) {
      if (filter !== null && !filter(row, ctx)) return;
      const values = args.map((f) => f(row, ctx));
      if (s.buffered !== null) {
        s.buffered.push({ args: values, sortKeys: sortFs.map((f) => f(row, ctx)) });
        return;
      }
      apply(s, values, ctx);
    },
    final(s, ctx) {
      if (s.buffered !== null) {
        const specs = a.orderBy.map((o, i) => ({ index: i, descending: o.descending, nullsFirst: o.nullsFirst, typeOid: o.expr.type.oid }));
        const cmp = rowComparator(specs);
        s.buffered.sort((x, y) => cmp(x.sortKeys, y.sortKeys));
        for (const b of s.buffered) apply(s, b.args, ctx);
        s.buffered = null;
      }
      return fn.final(s.state, ctx.evalContext);
    },
  };
}

// ---- sort, limit, distinct, set operations -----------------------------------------------------

export { rowComparator };

function* sortRows(node: Extract<PlanNode, { op: 'sort' }>, ctx: ExecContext): Iterable<Row> {
  const rows: Row[] = [];
  for (const r of runNode(node.input, ctx)) {
    if (r === PAUSE) { yield PAUSE; continue; }
    tick(ctx);
    rows.push(r);
  }
  rows.sort(rowComparator(node.keys));
  yield* rows;
}

function* limitRows(node: Extract<PlanNode, { op: 'limit' }>, ctx: ExecContext): Iterable<Row> {
  const limitV = node.limit === null ? null : compileExpr(node.limit)([], ctx);
  const offsetV = node.offset === null ? null : compileExpr(node.offset)([], ctx);
  const limit = limitV === null ? Infinity : Number(limitV as bigint);
  const offset = offsetV === null ? 0 : Number(offsetV as bigint);
  const ties = node.ties;
  if (ties !== undefined && limitV === null) {
    throw new SqlError(SQLSTATE.INVALID_ROW_COUNT_IN_LIMIT_CLAUSE, 'row count cannot be null in FETCH FIRST ... WITH TIES clause');
  }
  if (limit < 0) throw new SqlError(SQLSTATE.INVALID_ROW_COUNT_IN_LIMIT_CLAUSE, 'LIMIT must not be negative');
  if (offset < 0) throw new SqlError(SQLSTATE.INVALID_ROW_COUNT_IN_RESULT_OFFSET_CLAUSE, 'OFFSET must not be negative');
  if (limit === 0) return;
  let skipped = 0;
  let emitted = 0;
  let last: Row | null = null;
  for (const r of runNode(node.input, ctx)) {
    if (r === PAUSE) { yield PAUSE; continue; }
    if (skipped < offset) { skipped++; continue; }
    if (last !== null) {
      // WITH TIES: past the limit, the rows that sort equal to the last one counted
      if (!peers(r, last, ties!)) return;
      yield r;
      continue;
    }
    yield r;
    if (++emitted >= limit) {
      if (ties === undefined) return;
      last = r;
    }
  }
}

/** Rows equal on every key (NULLs equal to each other): peers in the sort order. */
function peers(a: Row, b: Row, keys: ReadonlyArray<{ index: number; typeOid: number }>): boolean {
  for (const k of keys) {
    const x = a[k.index] ?? null, y = b[k.index] ?? null;
    if (x === null || y === null) { if (x !== y) return false; continue; }
    if (compareDatums(k.typeOid, x, y) !== 0) return false;
  }
  return true;
}

function* distinctRows(node: Extract<PlanNode, { op: 'distinct' }>, ctx: ExecContext): Iterable<Row> {
  const seen = new Set<string>();
  const idx = node.on ?? node.keyTypes.map((_t, i) => i);
  const types = idx.map((i) => node.keyTypes[i]!);
  for (const r of runNode(node.input, ctx)) {
    if (r === PAUSE) { yield PAUSE; continue; }
    tick(ctx);
    const k = groupKey(idx.map((i) => r[i] ?? null), types);
    if (seen.has(k)) continue;
    seen.add(k);
    yield r;
  }
}

/** WITH RECURSIVE: each round runs the recursive term over the rows the previous round produced. */
function* recursiveUnion(node: Extract<PlanNode, { op: 'recursiveunion' }>, ctx: ExecContext): Iterable<Row> {
  const width = node.keyTypes.length;
  const seen = node.all ? null : new Set<string>();
  const keep = (r: Row): boolean => {
    if (seen === null) return true;
    const k = groupKey(r.slice(0, width), node.keyTypes);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  };
  let working: Row[] = [];
  for (const r of runNode(node.nonRecursive, ctx)) {
    if (r === PAUSE) { yield PAUSE; continue; }
    const row = r.slice(0, width);
    if (!keep(row)) continue;
    working.push(row);
    yield row;
  }
  const tables = (ctx.worktables ??= new Map());
  const saved = tables.get(node.cteId);
  try {
    while (working.length > 0) {
      tables.set(node.cteId, working);
      const next: Row[] = [];
      for (const r of runNode(node.recursive, ctx)) {
        if (r === PAUSE) { yield PAUSE; continue; }
        tick(ctx);
        const row = r.slice(0, width);
        if (!keep(row)) continue;
        next.push(row);
        yield row;
      }
      working = next;
    }
  } finally {
    if (saved === undefined) tables.delete(node.cteId); else tables.set(node.cteId, saved);
  }
}

function* setOp(node: Extract<PlanNode, { op: 'setop' }>, ctx: ExecContext): Iterable<Row> {
  const types = node.keyTypes;
  const width = types.length;
  const keyOfRow = (r: Row): string => groupKey(r.slice(0, width), types);
  if (node.setop === 'union') {
    if (node.all) {
      for (const r of runNode(node.left, ctx)) yield r === PAUSE ? PAUSE : r.slice(0, width);
      for (const r of runNode(node.right, ctx)) yield r === PAUSE ? PAUSE : r.slice(0, width);
      return;
    }
    const seen = new Set<string>();
    for (const side of [node.left, node.right]) {
      for (const r of runNode(side, ctx)) {
        if (r === PAUSE) { yield PAUSE; continue; }
        tick(ctx);
        const k = keyOfRow(r);
        if (!seen.has(k)) { seen.add(k); yield r.slice(0, width); }
      }
    }
    return;
  }
  const rightCounts = new Map<string, number>();
  for (const r of runNode(node.right, ctx)) {
    if (r === PAUSE) { yield PAUSE; continue; }
    tick(ctx);
    const k = keyOfRow(r);
    rightCounts.set(k, (rightCounts.get(k) ?? 0) + 1);
  }
  const emitted = new Set<string>();
  for (const r of runNode(node.left, ctx)) {
    if (r === PAUSE) { yield PAUSE; continue; }
    tick(ctx);
    const k = keyOfRow(r);
    const inRight = rightCounts.get(k) ?? 0;
    if (node.setop === 'intersect') {
      if (node.all) {
        if (inRight > 0) { rightCounts.set(k, inRight - 1); yield r.slice(0, width); }
      } else if (inRight > 0 && !emitted.has(k)) { emitted.add(k); yield r.slice(0, width); }
    } else {
      if (node.all) {
        if (inRight > 0) rightCounts.set(k, inRight - 1);
        else yield r.slice(0, width);
      } else if (inRight === 0 && !emitted.has(k)) { emitted.add(k); yield r.slice(0, width); }
    }
  }
}

export { notSupported };
