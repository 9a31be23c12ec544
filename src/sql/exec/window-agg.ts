// The WindowAgg operator: reads its input whole, sorts it by PARTITION BY then ORDER BY keys, and
// for each partition computes every call of its window — the built-in window functions (ranks,
// ntile, lag/lead, first/last/nth_value) and aggregates over each row's frame (ROWS, RANGE or
// GROUPS, with EXCLUDE) — appending the results to each row, as PostgreSQL's nodeWindowAgg does.
import { SqlError, SQLSTATE } from '../../base/index.js';
import type { FrameBound, WinCall, WindowFrame, WindowSpec } from '../analyze/index.js';
import type { PlanNode, SortSpec } from '../plan/index.js';
import type { Datum } from '../types/index.js';
import { compileExpr, compilePredicate, type Row } from './compile-expr.js';
import { tick, pauseDue, PAUSE, type ExecContext } from './exec-context.js';
import { rowComparator } from './sort-compare.js';
import { rangeArithmetic } from './window-range.js';

type WindowNode = Extract<PlanNode, { op: 'window' }>;
type Compiled = (row: Row, ctx: ExecContext) => Datum;

/** One partition, sorted: its rows and, per row, the peer group (rows equal on ORDER BY) it is in. */
interface Partition {
  rows: Row[];
  /** First row of each row's peer group. */
  groupStart: Int32Array;
  /** One past the last row of each row's peer group. */
  groupEnd: Int32Array;
  /** 0-based number of each row's peer group. */
  groupNo: Int32Array;
  /** First row of peer group g (index g), with one past the last row at the end. */
  groupStarts: number[];
  /** Each row's first ORDER BY value (RANGE offsets measure from it). */
  firstKey: Datum[];
}

export function* windowAgg(node: WindowNode, input: Iterable<Row>, ctx: ExecContext): Iterable<Row> {
  if (node.presorted) { yield* streamWindow(node, input, ctx); return; }
  const partFs = node.spec.partition.map(compileExpr);
  const orderFs = node.spec.order.map((k) => compileExpr(k.expr));
  const evaluators = node.calls.map((c) => callEvaluator(c, node.spec, ctx));
  const keyed: Array<{ row: Row; keys: Datum[] }> = [];
  for (const row of input) {
    if (row === PAUSE) { yield PAUSE; continue; }
    tick(ctx);
    const keys: Datum[] = [];
    for (const f of partFs) keys.push(f(row, ctx));
    for (const f of orderFs) keys.push(f(row, ctx));
    keyed.push({ row, keys });
  }
  const nPart = partFs.length;
  const partSpecs: SortSpec[] = node.spec.partition.map((e, i) => ({ index: i, descending: false, nullsFirst: false, typeOid: e.type.oid }));
  const orderSpecs: SortSpec[] = node.spec.order.map((k, i) => ({ index: nPart + i, descending: k.descending, nullsFirst: k.nullsFirst, typeOid: k.expr.type.oid }));
  const byPartition = rowComparator(partSpecs);
  const byOrder = rowComparator(orderSpecs);
  if (nPart + orderSpecs.length > 0) {
    // Array.prototype.sort is stable: rows equal on every key keep their input order.
    const cmp = rowComparator([...partSpecs, ...orderSpecs]);
    keyed.sort((a, b) => cmp(a.keys, b.keys));
  }
  const width = node.inputWidth;
  const results: Datum[][] = node.calls.map(() => []);
  for (let start = 0; start < keyed.length;) {
    let end = start + 1;
    while (end < keyed.length && byPartition(keyed[start]!.keys, keyed[end]!.keys) === 0) end++;
    const part = partitionOf(keyed, start, end, nPart, (a, b) => byOrder(a.keys, b.keys) === 0);
    for (let c = 0; c < evaluators.length; c++) results[c] = evaluators[c]!(part);
    for (let i = 0; i < part.rows.length; i++) {
      if (pauseDue(ctx)) yield PAUSE;
      const row = part.rows[i]!;
      const out: Row = new Array(width + results.length);
      for (let j = 0; j < width; j++) out[j] = row[j] ?? null;
      for (let c = 0; c < results.length; c++) out[width + c] = results[c]![i]!;
      yield out;
    }
    start = end;
  }
}

function partitionOf(
  keyed: Array<{ row: Row; keys: Datum[] }>, start: number, end: number, nPart: number,
  peers: (a: { keys: Datum[] }, b: { keys: Datum[] }) => boolean,
): Partition {
  const n = end - start;
  const rows: Row[] = new Array(n);
  const firstKey: Datum[] = new Array(n);
  const groupStart = new Int32Array(n);
  const groupEnd = new Int32Array(n);
  const groupNo = new Int32Array(n);
  const groupStarts: number[] = [];
  let g = -1;
  for (let i = 0; i < n; i++) {
    rows[i] = keyed[start + i]!.row;
    firstKey[i] = keyed[start + i]!.keys[nPart] ?? null;
    if (i === 0 || !peers(keyed[start + i - 1]!, keyed[start + i]!)) { g++; groupStarts.push(i); }
    groupNo[i] = g;
    groupStart[i] = groupStarts[g]!;
  }
  groupStarts.push(n);
  for (let i = 0; i < n; i++) groupEnd[i] = groupStarts[groupNo[i]! + 1]!;
  return { rows, groupStart, groupEnd, groupNo, groupStarts, firstKey };
}

/** A function from a partition to the call's value for each of its rows. */
function callEvaluator(call: WinCall, spec: WindowSpec, ctx: ExecContext): (p: Partition) => Datum[] {
  const args = call.args.map(compileExpr);
  const frame = spec.frame;
  const frames = frameFinder(spec, ctx);
  if (call.fn.kind === 'aggregate') return aggregateEvaluator(call, args, frame, frames, ctx);
  const arg = (k: number, row: Row): Datum => args[k]!(row, ctx);
  switch (call.fn.name) {
    case 'row_number': return (p) => p.rows.map((_, i) => BigInt(i + 1));
    case 'rank': return (p) => p.rows.map((_, i) => BigInt(p.groupStart[i]! + 1));
    case 'dense_rank': return (p) => p.rows.map((_, i) => BigInt(p.groupNo[i]! + 1));
    case 'percent_rank': return (p) => p.rows.map((_, i) => (p.rows.length > 1 ? p.groupStart[i]! / (p.rows.length - 1) : 0));
    case 'cume_dist': return (p) => p.rows.map((_, i) => p.groupEnd[i]! / p.rows.length);
    case 'ntile': return (p) => ntile(p, arg(0, p.rows[0]!));
    case 'lag': case 'lead': {
      const sign = call.fn.name === 'lag' ? -1 : 1;
      return (p) => p.rows.map((row, i) => {
        const off = args.length > 1 ? arg(1, row) : 1;
        if (off === null) return null;
        const at = i + sign * (off as number);
        if (at >= 0 && at < p.rows.length) return arg(0, p.rows[at]!);
        return args.length > 2 ? arg(2, row) : null;
      });
    }
    case 'first_value': case 'last_value': case 'nth_value': {
      const which = call.fn.name;
      return (p) => p.rows.map((row, i) => {
        let nth = 1;
        if (which === 'nth_value') {
          const v = arg(1, row);
          if (v === null) return null;
          nth = v as number;
          if (nth <= 0) throw new SqlError(SQLSTATE.INVALID_ARGUMENT_FOR_NTH_VALUE, 'argument of nth_value must be greater than zero');
        }
        // Without EXCLUDE the frame is one run of rows: no need to list them.
        if (frame.exclude === 'no others') {
          const [start, end] = frames.range(p, i);
          const at = which === 'last_value' ? end - 1 : start + nth - 1;
          return at >= start && at < end ? arg(0, p.rows[at]!) : null;
        }
        const members = frames.members(p, i);
        const at = which === 'last_value' ? members.length - 1 : nth - 1;
        return at >= 0 && at < members.length ? arg(0, p.rows[members[at]!]!) : null;
      });
    }
  }
}

/** ntile(n): n buckets numbered from 1, the first (rows mod n) of them one row larger. */
function ntile(p: Partition, buckets: Datum): Datum[] {
  const n = p.rows.length;
  if (buckets === null) return p.rows.map(() => null);
  const k = buckets as number;
  if (k <= 0) throw new SqlError(SQLSTATE.INVALID_ARGUMENT_FOR_NTILE, 'argument of ntile must be greater than zero');
  const per = Math.floor(n / k);
  const extra = n % k;
  const out: Datum[] = new Array(n);
  let bucket = 1;
  let left = per + (extra > 0 ? 1 : 0);
  for (let i = 0; i < n; i++) {
    if (left === 0) {
      bucket++;
      left = per + (bucket <= extra ? 1 : 0);
    }
    out[i] = bucket;
    left--;
  }
  return out;
}

function aggregateEvaluator(call: WinCall, args: Compiled[], frame: WindowFrame, frames: FrameFinder, ctx: ExecContext): (p: Partition) => Datum[] {
  if (call.fn.kind !== 'aggregate') throw new Error('not an aggregate');
  const def = call.fn.def;
  const filter = compilePredicate(call.filter);
  const step = (state: unknown, row: Row): unknown => {
    if (filter !== null && !filter(row, ctx)) return state;
    const values = args.map((f) => f(row, ctx));
    if (def.strict && values.some((v) => v === null)) return state;
    return def.step(state, values, ctx.evalContext);
  };
  // From the partition's first row, with nothing excluded, each row's frame ends at or after the
  // previous row's end: one running state serves the whole partition.
  const running = frame.start.kind === 'unbounded' && frame.exclude === 'no others';
  return (p) => {
    const out: Datum[] = new Array(p.rows.length);
    if (running) {
      let state = def.init();
      let upTo = 0;
      let last: { end: number; value: Datum } | null = null;
      for (let i = 0; i < p.rows.length; i++) {
        tick(ctx);
        const end = frames.range(p, i)[1];
        if (last !== null && last.end === end) { out[i] = last.value; continue; }
        for (; upTo < end; upTo++) state = step(state, p.rows[upTo]!);
        last = { end, value: def.final(state, ctx.evalContext) };
        out[i] = last.value;
      }
      return out;
    }
    for (let i = 0; i < p.rows.length; i++) {
      tick(ctx);
      let state = def.init();
      for (const m of frames.members(p, i)) state = step(state, p.rows[m]!);
      out[i] = def.final(state, ctx.evalContext);
    }
    return out;
  };
}

interface FrameFinder {
  /** [start, end) of row i's frame before exclusions (empty when start >= end). */
  range(p: Partition, i: number): [number, number];
  /** Row indexes in row i's frame, exclusions applied. */
  members(p: Partition, i: number): number[];
}

function frameFinder(spec: WindowSpec, ctx: ExecContext): FrameFinder {
  const frame = spec.frame;
  // PostgreSQL evaluates the offsets when the node starts, before it reads a row.
  const offsets = { start: offsetValue(frame.start, 'starting', frame.mode, ctx), end: offsetValue(frame.end, 'ending', frame.mode, ctx) };
  const offsetsNow = (): { start: Datum; end: Datum } => offsets;
  const hasRangeOffset = frame.mode === 'range' && [frame.start, frame.end].some((b) => b.kind === 'preceding' || b.kind === 'following');
  const arith = hasRangeOffset ? rangeArithmetic(spec.order[0]!.expr.type.oid) : null;
  const range = (p: Partition, i: number): [number, number] => {
    const n = p.rows.length;
    const o = offsetsNow();
    let start: number;
    let end: number;
    const s = frame.start;
    const e = frame.end;
    switch (frame.mode) {
      case 'rows': {
        const os = Number(o.start);
        const oe = Number(o.end);
        start = s.kind === 'unbounded' ? 0 : s.kind === 'current' ? i : s.kind === 'preceding' ? i - os : i + os;
        end = e.kind === 'unbounded' ? n : e.kind === 'current' ? i + 1 : e.kind === 'preceding' ? i - oe + 1 : i + oe + 1;
        break;
      }
      case 'groups': {
        const os = Number(o.start);
        const oe = Number(o.end);
        const g = p.groupNo[i]!;
        const groups = p.groupStarts.length - 1;
        const startOf = (k: number): number => p.groupStarts[Math.max(0, Math.min(groups, k))]!;
        start = s.kind === 'unbounded' ? 0 : s.kind === 'current' ? p.groupStart[i]! : s.kind === 'preceding' ? startOf(g - os) : startOf(g + os);
        end = e.kind === 'unbounded' ? n : e.kind === 'current' ? p.groupEnd[i]!
          : e.kind === 'preceding' ? (g - oe < 0 ? 0 : startOf(g - oe + 1)) : startOf(g + oe + 1);
        break;
      }
      case 'range': {
        start = s.kind === 'unbounded' ? 0 : s.kind === 'current' ? p.groupStart[i]! : rangeEdge(p, i, s.kind, o.start, false);
        end = e.kind === 'unbounded' ? n : e.kind === 'current' ? p.groupEnd[i]! : rangeEdge(p, i, e.kind, o.end, true);
        break;
      }
    }
    return [Math.max(0, Math.min(n, start)), Math.max(0, Math.min(n, end))];
  };
  /**
   * RANGE offset frames: the first row at or past `key ∓ offset` in sort order (a frame start), or
   * the first row past it (a frame end). A NULL key's frame is its peers (the other NULLs); the
   * NULLs are never in a non-NULL key's offset range.
   */
  const rangeEdge = (p: Partition, i: number, kind: 'preceding' | 'following', offset: Datum, isEnd: boolean): number => {
    const key = p.firstKey[i]!;
    if (key === null) return isEnd ? p.groupEnd[i]! : p.groupStart[i]!;
    const order = spec.order[0]!;
    const dir = order.descending ? -1 : 1;
    // Rows holding a non-NULL key: NULLs sort first or last.
    let lo = 0;
    let hi = p.rows.length;
    if (order.nullsFirst) { while (lo < hi && p.firstKey[lo] === null) lo++; } else { while (hi > lo && p.firstKey[hi - 1] === null) hi--; }
    const bound = arith!.bound(key, offset, (kind === 'preceding' ? -dir : dir) as 1 | -1, ctx.evalContext);
    // Binary search for the first row whose key is past (or at, for a start) the bound in sort order.
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = dir * arith!.compare(p.firstKey[mid]!, bound);
      if (isEnd ? c <= 0 : c < 0) lo = mid + 1; else hi = mid;
    }
    return lo;
  };
  return {
    range,
    members(p, i) {
      const [start, end] = range(p, i);
      const out: number[] = [];
      for (let k = start; k < end; k++) {
        switch (frame.exclude) {
          case 'current row': if (k === i) continue; break;
          case 'group': if (p.groupNo[k] === p.groupNo[i]) continue; break;
          case 'ties': if (k !== i && p.groupNo[k] === p.groupNo[i]) continue; break;
          default: break;
        }
        out.push(k);
      }
      return out;
    },
  };
}

/** A frame offset's value: ROWS and GROUPS offsets are counts; RANGE offsets are checked when used. */
function offsetValue(b: FrameBound, which: 'starting' | 'ending', mode: WindowFrame['mode'], ctx: ExecContext): Datum {
  if (b.kind !== 'preceding' && b.kind !== 'following') return 0;
  const v = compileExpr(b.offset)([], ctx);
  if (v === null) throw new SqlError(SQLSTATE.NULL_VALUE_NOT_ALLOWED, `frame ${which} offset must not be null`);
  if (mode === 'range') return v;
  if ((v as bigint) < 0n) throw new SqlError(SQLSTATE.INVALID_PRECEDING_OR_FOLLOWING_SIZE, `frame ${which} offset must not be negative`);
  return v;
}

/**
 * A window over input already in its order, without PARTITION BY, whose calls only read a row's
 * earlier rows and peers (the planner's streamableWindowCall): rows go out as soon as their peer
 * group is complete, so a LIMIT above reads no further than it needs.
 */
function* streamWindow(node: WindowNode, input: Iterable<Row>, ctx: ExecContext): Iterable<Row> {
  const orderFs = node.spec.order.map((k) => compileExpr(k.expr));
  const byOrder = rowComparator(node.spec.order.map((k, i) => ({ index: i, descending: k.descending, nullsFirst: k.nullsFirst, typeOid: k.expr.type.oid })));
  const width = node.inputWidth;
  const calls = node.calls.map((c) => ({
    call: c,
    args: c.args.map(compileExpr),
    filter: compilePredicate(c.filter),
    state: c.fn.kind === 'aggregate' ? c.fn.def.init() : null,
  }));
  // Earlier rows, for lag.
  const earlier: Row[] = [];
  const keepEarlier = node.calls.some((c) => c.fn.kind === 'window' && c.fn.name === 'lag');
  let group: Array<{ row: Row; keys: Datum[] }> = [];
  let done = 0;
  let groups = 0;
  const step = (c: (typeof calls)[number], row: Row): void => {
    if (c.call.fn.kind !== 'aggregate') return;
    if (c.filter !== null && !c.filter(row, ctx)) return;
    const values = c.args.map((f) => f(row, ctx));
    if (c.call.fn.def.strict && values.some((v) => v === null)) return;
    c.state = c.call.fn.def.step(c.state, values, ctx.evalContext);
  };
  const rowsMode = node.spec.frame.mode === 'rows';
  function* flush(): Iterable<Row> {
    groups++;
    const first = done;
    // RANGE and GROUPS frames end with the peer group: its aggregates are final once all of it is in.
    const groupValues: Datum[] = calls.map((c) => {
      if (c.call.fn.kind !== 'aggregate' || rowsMode) return null;
      for (const g of group) step(c, g.row);
      return c.call.fn.def.final(c.state, ctx.evalContext);
    });
    for (let j = 0; j < group.length; j++) {
      tick(ctx);
      const i = first + j;
      const row = group[j]!.row;
      const out: Row = new Array(width + calls.length);
      for (let k = 0; k < width; k++) out[k] = row[k] ?? null;
      for (let ci = 0; ci < calls.length; ci++) {
        const c = calls[ci]!;
        const fn = c.call.fn;
        let v: Datum;
        if (fn.kind === 'aggregate') {
          if (rowsMode) { step(c, row); v = fn.def.final(c.state, ctx.evalContext); } else v = groupValues[ci]!;
        } else if (fn.name === 'row_number') v = BigInt(i + 1);
        else if (fn.name === 'rank') v = BigInt(first + 1);
        else if (fn.name === 'dense_rank') v = BigInt(groups);
        else {
          // lag(value [, offset [, default]]) with a constant offset ≥ 0
          const off = c.args.length > 1 ? Number(c.args[1]!(row, ctx)) : 1;
          v = i - off >= 0 ? c.args[0]!(earlier[i - off]!, ctx) : c.args.length > 2 ? c.args[2]!(row, ctx) : null;
        }
        out[width + ci] = v;
      }
      yield out;
    }
    done += group.length;
    group = [];
  }
  for (const row of input) {
    if (row === PAUSE) { yield PAUSE; continue; }
    tick(ctx);
    const keys = orderFs.map((f) => f(row, ctx));
    if (group.length > 0 && byOrder(group[0]!.keys, keys) !== 0) yield* flush();
    group.push({ row, keys });
    if (keepEarlier) earlier.push(row);
  }
  if (group.length > 0) yield* flush();
}
