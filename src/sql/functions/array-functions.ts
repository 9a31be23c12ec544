// Array functions and operators: array_length/lower/upper/ndims/dims, cardinality,
// array_append/prepend/cat (and their || operators), array_position(s), array_remove/replace,
// trim_array, containment @> <@ && and unnest (set-returning).
import { SqlError, SQLSTATE } from '../../base/index.js';
import type { Datum, SqlArray } from '../types/index.js';
import { fn, op, srf, typedFn, typedOp } from './registry.js';
import { T } from './oids.js';
import { compareValues } from './compare.js';

export function makeArray(elemOid: number, items: Datum[]): SqlArray {
  return { kind: 'array', elemOid, dims: items.length ? [items.length] : [], lbounds: items.length ? [1] : [], items };
}

function dimArg(a: SqlArray, d: number): number | null {
  return d >= 1 && d <= a.dims.length ? d - 1 : null;
}

function notEqualsNull(x: Datum, y: Datum, oid: number): boolean {
  // IS NOT DISTINCT FROM semantics, as array_position and array_remove use
  if (x === null || y === null) return x === null && y === null;
  return compareValues(x, y, oid) === 0;
}

function checkOneDim(a: SqlArray, what: string): void {
  if (a.dims.length > 1) {
    throw new SqlError(SQLSTATE.FEATURE_NOT_SUPPORTED, `${what} for multidimensional arrays is not supported`);
  }
}

export function arrayAppend(a: SqlArray | null, x: Datum, elemOid: number): SqlArray {
  if (a === null || a.items.length === 0) {
    return { kind: 'array', elemOid, dims: [1], lbounds: [a?.lbounds[0] ?? 1], items: [x] };
  }
  if (a.dims.length !== 1) throw new SqlError(SQLSTATE.DATA_EXCEPTION, 'argument must be empty or one-dimensional array');
  return { kind: 'array', elemOid: a.elemOid, dims: [a.dims[0]! + 1], lbounds: a.lbounds, items: [...a.items, x] };
}

export function arrayPrepend(x: Datum, a: SqlArray | null, elemOid: number): SqlArray {
  if (a === null || a.items.length === 0) return { kind: 'array', elemOid, dims: [1], lbounds: [1], items: [x] };
  if (a.dims.length !== 1) throw new SqlError(SQLSTATE.DATA_EXCEPTION, 'argument must be empty or one-dimensional array');
  return { kind: 'array', elemOid: a.elemOid, dims: [a.dims[0]! + 1], lbounds: a.lbounds, items: [x, ...a.items] };
}

export function arrayCat(a: SqlArray | null, b: SqlArray | null): SqlArray | null {
  if (a === null) return b;
  if (b === null) return a;
  if (a.items.length === 0 && a.dims.length === 0) return b;
  if (b.items.length === 0 && b.dims.length === 0) return a;
  const nd1 = a.dims.length, nd2 = b.dims.length;
  if (nd1 === nd2) {
    for (let i = 1; i < nd1; i++) {
      if (a.dims[i] !== b.dims[i] || a.lbounds[i] !== b.lbounds[i]) {
        throw catError(`Arrays with differing element dimensions are not compatible for concatenation.`);
      }
    }
    return { kind: 'array', elemOid: a.elemOid, dims: [a.dims[0]! + b.dims[0]!, ...a.dims.slice(1)], lbounds: a.lbounds, items: [...a.items, ...b.items] };
  }
  if (nd1 === nd2 - 1) {
    for (let i = 0; i < nd1; i++) if (a.dims[i] !== b.dims[i + 1]) throw catError('Arrays with differing dimensions are not compatible for concatenation.');
    return { kind: 'array', elemOid: a.elemOid, dims: [b.dims[0]! + 1, ...b.dims.slice(1)], lbounds: b.lbounds, items: [...a.items, ...b.items] };
  }
  if (nd2 === nd1 - 1) {
    for (let i = 0; i < nd2; i++) if (b.dims[i] !== a.dims[i + 1]) throw catError('Arrays with differing dimensions are not compatible for concatenation.');
    return { kind: 'array', elemOid: a.elemOid, dims: [a.dims[0]! + 1, ...a.dims.slice(1)], lbounds: a.lbounds, items: [...a.items, ...b.items] };
  }
  throw catError(`Arrays of ${nd1} and ${nd2} dimensions are not compatible for concatenation.`);
}

function catError(detail: string): SqlError {
  return new SqlError(SQLSTATE.ARRAY_SUBSCRIPT_ERROR, 'cannot concatenate incompatible arrays', { detail });
}

function contains(a: SqlArray, b: SqlArray): boolean {
  // every non-null element of b equals some element of a (NULLs never match)
  for (const y of b.items) {
    if (y === null) return false;
    let found = false;
    for (const x of a.items) if (x !== null && compareValues(x, y, a.elemOid) === 0) { found = true; break; }
    if (!found) return false;
  }
  return true;
}

function overlaps(a: SqlArray, b: SqlArray): boolean {
  for (const y of b.items) {
    if (y === null) continue;
    for (const x of a.items) if (x !== null && compareValues(x, y, a.elemOid) === 0) return true;
  }
  return false;
}

export function registerArrayFunctions(): void {
  const A = T.anyarray, CA = T.anycompatiblearray, C = T.anycompatible, I = T.int4;
  const a0 = (a: Datum[]) => a[0] as SqlArray;
  fn('array_length', [A, I], I, (a) => { const d = dimArg(a0(a), a[1] as number); return d === null ? null : a0(a).dims[d]!; });
  fn('array_lower', [A, I], I, (a) => { const d = dimArg(a0(a), a[1] as number); return d === null ? null : a0(a).lbounds[d]!; });
  fn('array_upper', [A, I], I, (a) => {
    const d = dimArg(a0(a), a[1] as number);
    return d === null ? null : a0(a).lbounds[d]! + a0(a).dims[d]! - 1;
  });
  fn('cardinality', [A], I, (a) => a0(a).items.length);
  fn('array_ndims', [A], I, (a) => (a0(a).dims.length === 0 ? null : a0(a).dims.length));
  fn('array_dims', [A], T.text, (a) => {
    const x = a0(a);
    if (x.dims.length === 0) return null;
    return x.dims.map((d, i) => `[${x.lbounds[i]!}:${x.lbounds[i]! + d - 1}]`).join('');
  });
  typedFn('array_append', [CA, C], CA, (t) => (a) => arrayAppend(a[0] as SqlArray | null, a[1]!, t.args[1]!), { strict: false });
  typedFn('array_prepend', [C, CA], CA, (t) => (a) => arrayPrepend(a[0]!, a[1] as SqlArray | null, t.args[0]!), { strict: false });
  fn('array_cat', [CA, CA], CA, (a) => arrayCat(a[0] as SqlArray | null, a[1] as SqlArray | null), { strict: false });
  typedOp('||', CA, C, CA, (t) => (a) => arrayAppend(a[0] as SqlArray | null, a[1]!, t.args[1]!), { strict: false });
  typedOp('||', C, CA, CA, (t) => (a) => arrayPrepend(a[0]!, a[1] as SqlArray | null, t.args[0]!), { strict: false });
  op('||', CA, CA, CA, (a) => arrayCat(a[0] as SqlArray | null, a[1] as SqlArray | null), { strict: false });
  const position = (a: Datum[], start: number): Datum => {
    const arr = a[0] as SqlArray | null;
    if (arr === null) return null;
    checkOneDim(arr, 'searching for elements');
    const lb = arr.lbounds[0] ?? 1;
    for (let i = Math.max(0, start - lb); i < arr.items.length; i++) {
      if (notEqualsNull(arr.items[i]!, a[1]!, arr.elemOid)) return i + lb;
    }
    return null;
  };
  fn('array_position', [CA, C], I, (a) => position(a, 1), { strict: false });
  fn('array_position', [CA, C, I], I, (a) => {
    if (a[2] === null) throw new SqlError(SQLSTATE.NULL_VALUE_NOT_ALLOWED, 'initial position must not be null');
    return position(a, a[2] as number);
  }, { strict: false });
  fn('array_positions', [CA, C], T._int4, (a) => {
    const arr = a[0] as SqlArray | null;
    if (arr === null) return null;
    checkOneDim(arr, 'searching for elements');
    const lb = arr.lbounds[0] ?? 1;
    const out: Datum[] = [];
    arr.items.forEach((x, i) => { if (notEqualsNull(x, a[1]!, arr.elemOid)) out.push(i + lb); });
    return makeArray(T.int4, out);
  }, { strict: false });
  fn('array_remove', [CA, C], CA, (a) => {
    const arr = a[0] as SqlArray | null;
    if (arr === null) return null;
    checkOneDim(arr, 'removing elements from');
    return makeArray(arr.elemOid, arr.items.filter((x) => !notEqualsNull(x, a[1]!, arr.elemOid)));
  }, { strict: false });
  fn('array_replace', [CA, C, C], CA, (a) => {
    const arr = a[0] as SqlArray | null;
    if (arr === null) return null;
    return { ...arr, items: arr.items.map((x) => (notEqualsNull(x, a[1]!, arr.elemOid) ? a[2]! : x)) };
  }, { strict: false });
  fn('trim_array', [A, I], A, (a) => {
    const arr = a0(a), n = a[1] as number;
    const len = arr.dims[0] ?? 0;
    if (n < 0 || n > len) {
      throw new SqlError(SQLSTATE.ARRAY_SUBSCRIPT_ERROR, 'number of elements to trim must be between 0 and ' + len);
    }
    const per = len === 0 ? 0 : arr.items.length / len;
    const keep = len - n;
    if (keep === 0) return makeArray(arr.elemOid, []);
    return { ...arr, dims: [keep, ...arr.dims.slice(1)], items: arr.items.slice(0, keep * per) };
  });
  op('@>', A, A, T.bool, (a) => contains(a0(a), a[1] as SqlArray));
  op('<@', A, A, T.bool, (a) => contains(a[1] as SqlArray, a0(a)));
  op('&&', A, A, T.bool, (a) => overlaps(a0(a), a[1] as SqlArray));
  srf('unnest', [A], T.anyelement, (a) => a0(a).items);
}
