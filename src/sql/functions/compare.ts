// Value comparison by datum kind, as PostgreSQL's btree comparison functions order values:
// floats with NaN greatest, bpchar ignoring trailing blanks, bytea bytewise, numerics and
// intervals by their own compare, arrays elementwise (NULL elements greatest). Text compares in
// code-unit order (the C collation, except for characters beyond U+FFFF).
import type { Datum, SqlArray } from '../types/index.js';
import { isSqlArray } from '../types/index.js';
import { Interval, Numeric } from '../types/index.js';
import { T } from './oids.js';

export function cmpFloat(a: number, b: number): number {
  if (a !== a) return b !== b ? 0 : 1;
  if (b !== b) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function cmpBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

export function rtrimBlanks(s: string): string {
  let e = s.length;
  while (e > 0 && s.charCodeAt(e - 1) === 32) e--;
  return e === s.length ? s : s.slice(0, e);
}

export function cmpString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compares two non-null datums of the same type (oid disambiguates bpchar). */
export function compareValues(a: Datum, b: Datum, oid: number): number {
  if (a === null || b === null) return a === null ? (b === null ? 0 : 1) : -1;
  switch (typeof a) {
    case 'number': return cmpFloat(a, b as number);
    case 'bigint': return a < (b as bigint) ? -1 : a > (b as bigint) ? 1 : 0;
    case 'string':
      return oid === T.bpchar ? cmpString(rtrimBlanks(a), rtrimBlanks(b as string)) : cmpString(a, b as string);
    case 'boolean': return a === b ? 0 : a ? 1 : -1;
    default: break;
  }
  if (a instanceof Uint8Array) return cmpBytes(a, b as Uint8Array);
  if (a instanceof Numeric) return a.compare(b as Numeric);
  if (a instanceof Interval) return a.compare(b as Interval);
  if (isSqlArray(a)) return compareArrays(a, b as SqlArray);
  throw new Error('compareValues: unsupported datum');
}

/** array_cmp: elementwise, then by element count, dimensions and lower bounds. */
export function compareArrays(a: SqlArray, b: SqlArray): number {
  const n = Math.min(a.items.length, b.items.length);
  const oid = a.elemOid;
  for (let i = 0; i < n; i++) {
    const c = compareValues(a.items[i]!, b.items[i]!, oid);
    if (c !== 0) return c;
  }
  if (a.items.length !== b.items.length) return a.items.length < b.items.length ? -1 : 1;
  if (a.dims.length !== b.dims.length) return a.dims.length < b.dims.length ? -1 : 1;
  for (let i = 0; i < a.dims.length; i++) {
    if (a.dims[i] !== b.dims[i]) return a.dims[i]! < b.dims[i]! ? -1 : 1;
    if (a.lbounds[i] !== b.lbounds[i]) return a.lbounds[i]! < b.lbounds[i]! ? -1 : 1;
  }
  return 0;
}

/** array_eq: same shape and pairwise-equal elements (two NULLs count as equal). */
export function arraysEqual(a: SqlArray, b: SqlArray): boolean {
  if (a.dims.length !== b.dims.length || a.items.length !== b.items.length) return false;
  for (let i = 0; i < a.dims.length; i++) {
    if (a.dims[i] !== b.dims[i] || a.lbounds[i] !== b.lbounds[i]) return false;
  }
  for (let i = 0; i < a.items.length; i++) {
    if (compareValues(a.items[i]!, b.items[i]!, a.elemOid) !== 0) return false;
  }
  return true;
}
