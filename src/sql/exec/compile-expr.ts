// Expression compilation: a bound expression becomes a closure (row, ctx) → Datum, so the hot
// loop is direct calls with no tree walking or type dispatch per row. SQL's three-valued logic
// (NULL = unknown) is implemented here for AND/OR/NOT, IN, ANY/ALL and CASE.
import { SqlError, SQLSTATE } from '../../base/index.js';
import {
  OID, castDatum, compareDatums, makeArray, isSqlArray, elementTypeOf, type Datum, type SqlArray, type TypeSettings,
} from '../types/index.js';
import { regprocOut, type ScalarFunctionDef } from '../functions/index.js';
import type { BoundExpr } from '../analyze/index.js';
import { planQuery } from '../plan/index.js';
import type { ExecContext } from './exec-context.js';
import { runPlan } from './run-plan.js';

export type Row = Datum[];
export type Evaluator = (row: Row, ctx: ExecContext) => Datum;

const cache = new WeakMap<BoundExpr, Evaluator>();

export function compileExpr(e: BoundExpr): Evaluator {
  let f = cache.get(e);
  if (f === undefined) {
    f = compile(e);
    cache.set(e, f);
  }
  return f;
}

/** Evaluates a predicate: only TRUE passes (NULL and FALSE do not). */
export function compilePredicate(e: BoundExpr | null): ((row: Row, ctx: ExecContext) => boolean) | null {
  if (e === null) return null;
  const f = compileExpr(e);
  return (row, ctx) => f(row, ctx) === true;
}

function compile(e: BoundExpr): Evaluator {
  switch (e.kind) {
    case 'const': {
      const v = e.value;
      return () => v;
    }
    case 'param': {
      const i = e.index;
      return (_row, ctx) => ctx.params[i] ?? null;
    }
    case 'winref': {
      const i = e.index;
      return (row) => row[i] ?? null;
    }
    case 'wincall': throw new Error('internal: window function call outside of a window node');
    case 'column': case 'grouped': {
      const i = e.index;
      if (e.kind === 'grouped' || e.levelsUp === 0) return (row) => row[i] ?? null;
      if (e.levelsUp === -1) return (_row, ctx) => ctx.probeRow![i] ?? null;
      const up = e.levelsUp;
      return (_row, ctx) => ctx.outer[ctx.outer.length - up]![i] ?? null;
    }
    case 'call': return compileCall(e.fn, e.args.map(compileExpr));
    case 'srf': throw new SqlError(SQLSTATE.FEATURE_NOT_SUPPORTED, 'set-returning functions are not allowed here');
    case 'aggcall': throw new Error('internal: aggregate call outside of grouping');
    case 'and': {
      const args = e.args.map(compileExpr);
      return (row, ctx) => {
        let sawNull = false;
        for (const a of args) {
          const v = a(row, ctx);
          if (v === false) return false;
          if (v === null) sawNull = true;
        }
        return sawNull ? null : true;
      };
    }
    case 'or': {
      const args = e.args.map(compileExpr);
      return (row, ctx) => {
        let sawNull = false;
        for (const a of args) {
          const v = a(row, ctx);
          if (v === true) return true;
          if (v === null) sawNull = true;
        }
        return sawNull ? null : false;
      };
    }
    case 'not': {
      const a = compileExpr(e.arg);
      return (row, ctx) => {
        const v = a(row, ctx);
        return v === null ? null : !v;
      };
    }
    case 'case': {
      const whens = e.whens.map((w) => ({ when: compileExpr(w.when), then: compileExpr(w.then) }));
      const otherwise = compileExpr(e.otherwise);
      return (row, ctx) => {
        for (const w of whens) if (w.when(row, ctx) === true) return w.then(row, ctx);
        return otherwise(row, ctx);
      };
    }
    case 'coalesce': {
      const args = e.args.map(compileExpr);
      return (row, ctx) => {
        for (const a of args) {
          const v = a(row, ctx);
          if (v !== null) return v;
        }
        return null;
      };
    }
    case 'minmax': {
      const args = e.args.map(compileExpr);
      const oid = e.cmpOid;
      const greatest = e.op === 'greatest';
      return (row, ctx) => {
        let best: Datum = null;
        for (const a of args) {
          const v = a(row, ctx);
          if (v === null) continue;
          if (best === null) { best = v; continue; }
          const c = compareDatums(oid, v, best);
          if (greatest ? c > 0 : c < 0) best = v;
        }
        return best;
      };
    }
    case 'nullif': {
      const l = compileExpr(e.left);
      const r = compileExpr(e.right);
      const eq = e.eq;
      return (row, ctx) => {
        const a = l(row, ctx);
        const b = r(row, ctx);
        if (a === null || b === null) return a;
        return eq.impl([a, b], ctx.evalContext) === true ? null : a;
      };
    }
    case 'cast': {
      const a = compileExpr(e.arg);
      const from = e.arg.type;
      const to = e.type;
      const explicit = e.explicit;
      if (to.oid === OID.regclass && from.oid !== OID.oid && from.oid !== OID.regclass && from.oid !== OID.int4) {
        // Relation names become OIDs through the catalog.
        return (row, ctx) => {
          const v = a(row, ctx);
          if (v === null) return null;
          const r = ctx.evalContext.services.catalogFunction('regclassin', [v]);
          return r === undefined ? castDatum(v, from, to, explicit, settingsOf(ctx)) : r;
        };
      }
      return (row, ctx) => {
        const v = a(row, ctx);
        if (v === null) return null;
        return castDatum(v, from, to, explicit, settingsOf(ctx));
      };
    }
    case 'isnull': {
      const a = compileExpr(e.arg);
      return e.negate ? (row, ctx) => a(row, ctx) !== null : (row, ctx) => a(row, ctx) === null;
    }
    case 'booltest': {
      const a = compileExpr(e.arg);
      const want = e.test === 'true' ? true : e.test === 'false' ? false : null;
      const negate = e.negate;
      return (row, ctx) => {
        const v = a(row, ctx);
        return negate ? v !== want : v === want;
      };
    }
    case 'distinctfrom': {
      const l = compileExpr(e.left);
      const r = compileExpr(e.right);
      const eq = e.eq;
      const negate = e.negate;
      return (row, ctx) => {
        const a = l(row, ctx);
        const b = r(row, ctx);
        let distinct: boolean;
        if (a === null || b === null) distinct = !(a === null && b === null);
        else distinct = eq.impl([a, b], ctx.evalContext) !== true;
        return negate ? !distinct : distinct;
      };
    }
    case 'inlist': {
      const l = compileExpr(e.left);
      const items = e.items.map(compileExpr);
      const fns = e.fns;
      const all = e.all;
      return (row, ctx) => {
        const a = l(row, ctx);
        if (a === null) return items.length === 0 ? all : null;
        let sawNull = false;
        for (let i = 0; i < items.length; i++) {
          const b = items[i]!(row, ctx);
          if (b === null) { sawNull = true; continue; }
          const r = fns[i]!.impl([a, b], ctx.evalContext);
          if (all ? r === false : r === true) return !all;
          if (r === null) sawNull = true;
        }
        return sawNull ? null : all;
      };
    }
    case 'arrayop': {
      const l = compileExpr(e.left);
      const r = compileExpr(e.right);
      const fn = e.fn;
      const all = e.all;
      return (row, ctx) => {
        const arr = r(row, ctx);
        if (arr === null) return null;
        const items = (arr as SqlArray).items;
        const a = l(row, ctx);
        if (items.length === 0) return all;
        if (a === null) return null;
        let sawNull = false;
        for (const b of items) {
          if (b === null) { sawNull = true; continue; }
          const v = fn.impl([a, b], ctx.evalContext);
          if (all ? v === false : v === true) return !all;
          if (v === null) sawNull = true;
        }
        return sawNull ? null : all;
      };
    }
    case 'array': {
      const items = e.items.map(compileExpr);
      const elemOid = elementTypeOf(e.type.oid);
      // ARRAY[ARRAY[..], ARRAY[..]]: the items are arrays of the result's own type.
      const nested = e.items.length > 0 && e.items[0]!.type.oid === e.type.oid;
      return (row, ctx) => {
        const values = items.map((f) => f(row, ctx));
        if (!nested) return makeArray(elemOid, values);
        return buildNestedArray(elemOid, values);
      };
    }
    case 'row': {
      const items = e.items.map(compileExpr);
      const names = e.names;
      const types = e.items.map((x) => x.type.oid);
      return (row, ctx): Datum => ({ kind: 'record', names, types, values: items.map((f) => f(row, ctx)) });
    }
    case 'subscript': {
      const a = compileExpr(e.arg);
      const idx = e.indexes.map((x) => ({ lower: x.lower === null ? null : compileExpr(x.lower), upper: x.upper === null ? null : compileExpr(x.upper) }));
      const slice = e.slice;
      return (row, ctx) => {
        const arr = a(row, ctx);
        if (arr === null || !isSqlArray(arr)) return null;
        const lo: number[] = [];
        const hi: number[] = [];
        for (const x of idx) {
          const u = x.upper === null ? null : x.upper(row, ctx);
          const l = x.lower === null ? null : x.lower(row, ctx);
          if ((x.upper !== null && u === null) || (x.lower !== null && l === null)) return null;
          lo.push(slice ? (l === null ? -Infinity : (l as number)) : (u as number));
          hi.push(slice ? (u === null ? Infinity : (u as number)) : (u as number));
        }
        return slice ? arraySlice(arr, lo, hi) : arrayElement(arr, lo);
      };
    }
    case 'subquery': return compileSubquery(e);
    case 'anysub': return compileAnySub(e);
  }
}

/** arr[i][j]...: NULL when out of range or the wrong number of subscripts (as PostgreSQL). */
function arrayElement(arr: SqlArray, at: number[]): Datum {
  if (at.length !== arr.dims.length) return null;
  let offset = 0;
  for (let d = 0; d < at.length; d++) {
    const k = at[d]! - arr.lbounds[d]!;
    if (k < 0 || k >= arr.dims[d]!) return null;
    offset = offset * arr.dims[d]! + k;
  }
  return arr.items[offset] ?? null;
}

/** arr[a:b][c:d]...: the sub-array, 1-based; empty when the ranges do not overlap the array. */
function arraySlice(arr: SqlArray, lo: number[], hi: number[]): Datum {
  const nd = arr.dims.length;
  if (nd === 0 || lo.length > nd) return makeArray(arr.elemOid, []);
  const from: number[] = [];
  const to: number[] = [];
  for (let d = 0; d < nd; d++) {
    const lb = arr.lbounds[d]!;
    const ub = lb + arr.dims[d]! - 1;
    const l = d < lo.length ? Math.max(lo[d]!, lb) : lb;
    const u = d < hi.length ? Math.min(hi[d]!, ub) : ub;
    if (u < l) return makeArray(arr.elemOid, []);
    from.push(l - lb);
    to.push(u - lb);
  }
  const dims = from.map((f, d) => to[d]! - f + 1);
  const items: Datum[] = [];
  const walk = (d: number, base: number): void => {
    for (let k = from[d]!; k <= to[d]!; k++) {
      const off = base * arr.dims[d]! + k;
      if (d === nd - 1) items.push(arr.items[off] ?? null);
      else walk(d + 1, off);
    }
  };
  walk(0, 0);
  return makeArray(arr.elemOid, items, dims, dims.map(() => 1));
}

function buildNestedArray(elemOid: number, values: Datum[]): Datum {
  const subs = values as Array<SqlArray | null>;
  if (subs.some((s) => s === null)) throw new SqlError(SQLSTATE.ARRAY_SUBSCRIPT_ERROR, 'multidimensional arrays must have array expressions with matching dimensions');
  const first = subs[0]!;
  for (const s of subs) {
    if (s!.dims.length !== first.dims.length || s!.dims.some((d, i) => d !== first.dims[i])) {
      throw new SqlError(SQLSTATE.ARRAY_SUBSCRIPT_ERROR, 'multidimensional arrays must have array expressions with matching dimensions');
    }
  }
  const items = subs.flatMap((s) => s!.items);
  return makeArray(elemOid, items as Datum[], [subs.length, ...first.dims], [1, ...first.lbounds]);
}

function compileCall(fn: ScalarFunctionDef, args: Evaluator[]): Evaluator {
  const impl0 = fn.impl as (args: Datum[], ctx: unknown) => Datum;
  // void results are a non-null empty value, as in PostgreSQL (setseed(0.5) IS NULL is false).
  const impl = fn.returnType === OID.void ? (a: Datum[], c: unknown): Datum => { impl0(a, c); return ''; } : impl0;
  const strict = fn.strict;
  if (fn.name === 'pg_sleep') {
    return (row, ctx) => {
      const v = args[0]!(row, ctx);
      if (v !== null) ctx.sleepRequestMs += Math.max(0, Number(v) * 1000);
      return null;
    };
  }
  if (args.length === 2) {
    const a0 = args[0]!, a1 = args[1]!;
    if (strict) {
      return (row, ctx) => {
        const x = a0(row, ctx);
        if (x === null) return null;
        const y = a1(row, ctx);
        if (y === null) return null;
        return impl([x, y], ctx.evalContext);
      };
    }
    return (row, ctx) => impl([a0(row, ctx), a1(row, ctx)], ctx.evalContext);
  }
  if (args.length === 1) {
    const a0 = args[0]!;
    if (strict) {
      return (row, ctx) => {
        const x = a0(row, ctx);
        return x === null ? null : impl([x], ctx.evalContext);
      };
    }
    return (row, ctx) => impl([a0(row, ctx)], ctx.evalContext);
  }
  return (row, ctx) => {
    const values = new Array<Datum>(args.length);
    for (let i = 0; i < args.length; i++) {
      const v = args[i]!(row, ctx);
      if (v === null && strict) return null;
      values[i] = v;
    }
    return impl(values, ctx.evalContext);
  };
}

const plannedSubqueries = new WeakMap<object, ReturnType<typeof planQuery>>();

/** Runs a subquery with `row` as its outer row; uncorrelated ones run once per statement. */
function runSubquery(e: Extract<BoundExpr, { kind: 'subquery' | 'anysub' }>, row: Row, ctx: ExecContext, limit: number): Datum[][] {
  if (!e.correlated) {
    const cached = ctx.subqueryCache.get(e) as Datum[][] | undefined;
    if (cached !== undefined) return cached;
  }
  let planned = plannedSubqueries.get(e.query);
  if (planned === undefined) {
    planned = planQuery(e.query, ctx.stats);
    plannedSubqueries.set(e.query, planned);
  }
  let outerRow = row;
  if (e.groupedOuter !== undefined) {
    outerRow = new Array<Datum>(e.groupedOuter.scopeWidth).fill(null);
    for (const sl of e.groupedOuter.slots) outerRow[sl.scopeOffset] = row[sl.groupedIndex] ?? null;
  }
  ctx.outer.push(outerRow);
  const rows: Datum[][] = [];
  try {
    for (const r of runPlan(planned.root, ctx)) {
      rows.push(planned.outputWidth === r.length ? r : r.slice(0, planned.outputWidth));
      if (rows.length >= limit) break;
    }
  } finally {
    ctx.outer.pop();
  }
  if (!e.correlated) ctx.subqueryCache.set(e, rows);
  return rows;
}

function compileSubquery(e: Extract<BoundExpr, { kind: 'subquery' }>): Evaluator {
  switch (e.mode) {
    case 'exists':
      return (row, ctx) => runSubquery(e, row, ctx, 1).length > 0;
    case 'scalar':
      return (row, ctx) => {
        const rows = runSubquery(e, row, ctx, 2);
        if (rows.length > 1) throw new SqlError(SQLSTATE.CARDINALITY_VIOLATION, 'more than one row returned by a subquery used as an expression');
        return rows.length === 0 ? null : rows[0]![0] ?? null;
      };
    case 'array': {
      const elemOid = elementTypeOf(e.type.oid);
      return (row, ctx) => makeArray(elemOid, runSubquery(e, row, ctx, Infinity).map((r) => r[0] ?? null));
    }
  }
}

function compileAnySub(e: Extract<BoundExpr, { kind: 'anysub' }>): Evaluator {
  const lefts = e.left.map(compileExpr);
  const fns = e.fns;
  const all = e.all;
  return (row, ctx) => {
    const values = lefts.map((l) => l(row, ctx));
    const rows = runSubquery(e, row, ctx, Infinity);
    if (rows.length === 0) return all;
    let sawNull = false;
    for (const r of rows) {
      let rowResult: boolean | null = true;
      for (let i = 0; i < values.length; i++) {
        const a = values[i]!;
        const b = r[i] ?? null;
        if (a === null || b === null) { rowResult = rowResult === false ? false : null; continue; }
        const v = fns[i]!.impl([a, b], ctx.evalContext);
        if (v === false) { rowResult = false; break; }
        if (v === null) rowResult = null;
      }
      if (all ? rowResult === false : rowResult === true) return !all;
      if (rowResult === null) sawNull = true;
    }
    return sawNull ? null : all;
  };
}

function settingsOf(ctx: ExecContext): TypeSettings {
  // regclass/regnamespace to text name the object as the session sees it (through the catalog).
  const named = (fn: string) => (oid: number): string | undefined => {
    const r = ctx.evalContext.services.catalogFunction(fn, [oid]);
    return typeof r === 'string' ? r : undefined;
  };
  return { timeZone: ctx.evalContext.setting('TimeZone'), relationName: named('regclassout'), namespaceName: named('regnamespaceout'), procName: regprocOut };
}

