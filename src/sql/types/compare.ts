// Comparison, equality and hashing of non-null datums of one type, as PostgreSQL's default btree
// and hash operator classes order them: text in C collation, bpchar ignoring trailing spaces,
// floats with NaN greatest and -0 = 0, numeric by value, intervals by 30-day months, arrays
// element-wise, jsonb as PostgreSQL orders it, bit strings as bitcmp, pgvector's types as their
// *_cmp functions. json (which has no equality operator in PostgreSQL) compares by its text.
import type { Datum, SqlArray, SqlRecord } from './datum.js';
import { OID } from './oids.js';
import { elementTypeOf } from './type-info.js';
import { Numeric } from './numeric.js';
import type { Interval } from './interval.js';
import { parseJson, compareJsonbKeys, type JsonValue } from './json.js';
import type { BitString, SparseVec } from './vector-datum.js';
import { compareBits } from './bit-string.js';

/** vector_cmp / halfvec_cmp: elements first (as PostgreSQL arrays), then the dimension count. */
export function compareDenseVectors(a: Float32Array, b: Float32Array): number {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/**
 * sparsevec_cmp: as the dense vectors compare over the shorter dimension count, then dimensions
 * (a stored element at an index the other lacks decides by its sign).
 */
export function compareSparseVectors(a: SparseVec, b: SparseVec): number {
  const nnz = Math.min(a.indices.length, b.indices.length);
  for (let i = 0; i < nnz; i++) {
    const ai = a.indices[i]!;
    const bi = b.indices[i]!;
    if (ai < bi) return a.values[i]! < 0 ? -1 : 1;
    if (ai > bi) return b.values[i]! < 0 ? 1 : -1;
    if (a.values[i]! < b.values[i]!) return -1;
    if (a.values[i]! > b.values[i]!) return 1;
  }
  if (a.indices.length < b.indices.length && b.indices[nnz]! < a.dim) return b.values[nnz]! < 0 ? 1 : -1;
  if (a.indices.length > b.indices.length && a.indices[nnz]! < b.dim) return a.values[nnz]! < 0 ? -1 : 1;
  return a.dim < b.dim ? -1 : a.dim > b.dim ? 1 : 0;
}

/** Compares strings by Unicode code point = UTF-8 byte order (C collation). */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x < 0xd800 && y < 0xd800) return x - y;
    const cx = a.codePointAt(i)!;
    const cy = b.codePointAt(i)!;
    if (cx !== cy) return cx - cy;
  }
  return a.length - b.length;
}

/** Length of s without trailing spaces (bpchar semantics). */
function trueLen(s: string): number {
  let e = s.length;
  while (e > 0 && s.charCodeAt(e - 1) === 32) e--;
  return e;
}

export function compareBpchar(a: string, b: string): number {
  const la = trueLen(a);
  const lb = trueLen(b);
  return compareText(la === a.length ? a : a.slice(0, la), lb === b.length ? b : b.slice(0, lb));
}

export function compareFloat(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  return an ? (bn ? 0 : 1) : -1;
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

function cmpNum(a: number, b: number): number { return a < b ? -1 : a > b ? 1 : 0; }
function cmpBig(a: bigint, b: bigint): number { return a < b ? -1 : a > b ? 1 : 0; }

/**
 * The first difference of two value lists over their common length, NULL greater than any value
 * and equal to NULL (arrays' elements, records' fields); `typeAt` gives each position's type.
 */
function compareElementwise(xs: readonly Datum[], ys: readonly Datum[], typeAt: (i: number) => number): number {
  const n = Math.min(xs.length, ys.length);
  for (let i = 0; i < n; i++) {
    const x = xs[i]!;
    const y = ys[i]!;
    if (x === null || y === null) {
      if (x === null && y === null) continue;
      return x === null ? 1 : -1;
    }
    const c = compareDatums(typeAt(i), x, y);
    if (c !== 0) return c;
  }
  return 0;
}

/** array_cmp: element-wise (NULL greater than any value), then item count, ndims, dims, lbounds. */
export function compareArrays(a: SqlArray, b: SqlArray, elemOid: number): number {
  const c = compareElementwise(a.items, b.items, () => elemOid);
  if (c !== 0) return c;
  if (a.items.length !== b.items.length) return a.items.length < b.items.length ? -1 : 1;
  if (a.dims.length !== b.dims.length) return a.dims.length < b.dims.length ? -1 : 1;
  for (let i = 0; i < a.dims.length; i++) {
    if (a.dims[i] !== b.dims[i]) return a.dims[i]! < b.dims[i]! ? -1 : 1;
  }
  for (let i = 0; i < a.lbounds.length; i++) {
    if (a.lbounds[i] !== b.lbounds[i]) return a.lbounds[i]! < b.lbounds[i]! ? -1 : 1;
  }
  return 0;
}

// jsonb ordering: Object > Array > Boolean > Number > String > Null
function jsonRank(v: JsonValue): number {
  if (v === null) return 0;
  if (typeof v === 'string') return 1;
  if (v instanceof Numeric) return 2;
  if (typeof v === 'boolean') return 3;
  if (Array.isArray(v)) return 4;
  return 5;
}

/**
 * PostgreSQL's jsonb ordering (compareJsonbContainers): Object > Array > Boolean > Number > String
 * > Null; arrays by element count then elements; objects by pair count then pairs in storage
 * order (keys compared as text); an empty top-level array sorts below every scalar.
 */
export function compareJsonValues(a: JsonValue, b: JsonValue, top = true): number {
  const ra = jsonRank(a);
  const rb = jsonRank(b);
  if (top && ra !== rb && (ra === 4 || rb === 4) && ra !== 5 && rb !== 5) {
    // a top-level scalar is a one-element "raw scalar" array: counts decide first
    const na = ra === 4 ? (a as JsonValue[]).length : 1;
    const nb = rb === 4 ? (b as JsonValue[]).length : 1;
    if (na !== nb) return na - nb;
    return ra === 4 ? 1 : -1;
  }
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0: return 0;
    case 1: return compareText(a as string, b as string);
    case 2: return (a as Numeric).compare(b as Numeric);
    case 3: return (a === b ? 0 : a ? 1 : -1);
    case 4: {
      const x = a as JsonValue[];
      const y = b as JsonValue[];
      if (x.length !== y.length) return x.length - y.length;
      for (let i = 0; i < x.length; i++) {
        const c = compareJsonValues(x[i]!, y[i]!, false);
        if (c !== 0) return c;
      }
      return 0;
    }
  }
  const x = a as Map<string, JsonValue>;
  const y = b as Map<string, JsonValue>;
  if (x.size !== y.size) return x.size - y.size;
  const kx = [...x.keys()].sort(compareJsonbKeys);
  const ky = [...y.keys()].sort(compareJsonbKeys);
  for (let i = 0; i < kx.length; i++) {
    const c = compareText(kx[i]!, ky[i]!);
    if (c !== 0) return c;
    const d = compareJsonValues(x.get(kx[i]!)!, y.get(ky[i]!)!, false);
    if (d !== 0) return d;
  }
  return 0;
}

export function compareJsonb(a: string, b: string): number {
  if (a === b) return 0;
  return compareJsonValues(parseJson(a, 'jsonb'), parseJson(b, 'jsonb'));
}

/** Three-way comparison of two non-null datums of type oid. */
export function compareDatums(oid: number, a: Datum, b: Datum): number {
  switch (oid) {
    case OID.int4: case OID.int2: case OID.oid: case OID.date: case OID.time:
    case OID.regclass: case OID.regtype: case OID.regproc: case OID.regnamespace:
      return cmpNum(a as number, b as number);
    case OID.int8: case OID.timestamp: case OID.timestamptz:
      return cmpBig(a as bigint, b as bigint);
    case OID.text: case OID.varchar: case OID.name: case OID.unknown: case OID.char: case OID.uuid:
    case OID.json: case OID.cstring:
      return compareText(a as string, b as string);
    case OID.bpchar: return compareBpchar(a as string, b as string);
    case OID.float8: case OID.float4: return compareFloat(a as number, b as number);
    case OID.bool: return (a as boolean) === (b as boolean) ? 0 : (a as boolean) ? 1 : -1;
    case OID.numeric: return (a as Numeric).compare(b as Numeric);
    case OID.bytea: return compareBytes(a as Uint8Array, b as Uint8Array);
    case OID.interval: return (a as Interval).compare(b as Interval);
    case OID.jsonb: return compareJsonb(a as string, b as string);
    case OID.int2vector: case OID.oidvector: return compareArrays(a as SqlArray, b as SqlArray, oid === OID.int2vector ? OID.int2 : OID.oid);
    case OID.bit: case OID.varbit: return compareBits(a as BitString, b as BitString);
    case OID.vector: case OID.halfvec: return compareDenseVectors(a as Float32Array, b as Float32Array);
    case OID.sparsevec: return compareSparseVectors(a as SparseVec, b as SparseVec);
    case OID.record: return compareRecords(a as SqlRecord, b as SqlRecord);
  }
  const elem = elementTypeOf(oid);
  if (elem !== 0) return compareArrays(a as SqlArray, b as SqlArray, elem);
  // unknown types: compare by JS value as a last resort
  if (typeof a === 'number' && typeof b === 'number') return compareFloat(a, b);
  if (typeof a === 'string' && typeof b === 'string') return compareText(a, b);
  if (typeof a === 'bigint' && typeof b === 'bigint') return cmpBig(a, b);
  throw new Error(`compareDatums: no comparison for type ${oid}`);
}

export function datumsEqual(oid: number, a: Datum, b: Datum): boolean {
  switch (oid) {
    case OID.int4: case OID.int2: case OID.oid: case OID.date: case OID.time: case OID.int8:
    case OID.timestamp: case OID.timestamptz: case OID.text: case OID.varchar: case OID.name:
    case OID.bool: case OID.uuid: case OID.char:
      return a === b;
    case OID.float8: case OID.float4:
      return a === b || (Number.isNaN(a as number) && Number.isNaN(b as number));
  }
  return compareDatums(oid, a, b) === 0;
}

const HEX = '0123456789abcdef';

function jsonHashKey(v: JsonValue): string {
  if (v === null) return 'n';
  if (typeof v === 'string') return 's' + v.length + ':' + v;
  if (v instanceof Numeric) return 'd' + v.hashKey() + ';';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (Array.isArray(v)) return 'a' + v.length + '[' + v.map(jsonHashKey).join('') + ']';
  const keys = [...v.keys()].sort(compareJsonbKeys);
  return 'o' + keys.length + '{' + keys.map((k) => k.length + ':' + k + jsonHashKey(v.get(k)!)).join('') + '}';
}

/**
 * A Map key for a non-null datum: equal datums (by datumsEqual) give equal keys (=== or both NaN),
 * unequal datums give different keys.
 */
export function hashDatum(oid: number, d: Datum): string | number {
  switch (oid) {
    case OID.record: {
      const r = d as SqlRecord;
      return r.values.map((v, i) => (v === null ? '\u0001N' : `\u0001${String(hashDatum(r.types[i]!, v))}`)).join('');
    }
    case OID.int4: case OID.int2: case OID.oid: case OID.date: case OID.time:
    case OID.regclass: case OID.regtype: case OID.regproc: case OID.regnamespace:
      return d as number;
    case OID.float8: case OID.float4: {
      const v = d as number;
      return v === 0 ? 0 : v;
    }
    case OID.int8: case OID.timestamp: case OID.timestamptz: {
      const v = d as bigint;
      return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v.toString();
    }
    case OID.text: case OID.varchar: case OID.name: case OID.unknown: case OID.char: case OID.uuid:
    case OID.json: case OID.cstring:
      return d as string;
    case OID.bpchar: {
      const s = d as string;
      const l = trueLen(s);
      return l === s.length ? s : s.slice(0, l);
    }
    case OID.bool: return (d as boolean) ? 1 : 0;
    case OID.numeric: return (d as Numeric).hashKey();
    case OID.bytea: {
      const b = d as Uint8Array;
      let s = '';
      for (let i = 0; i < b.length; i++) s += HEX[b[i]! >> 4]! + HEX[b[i]! & 15]!;
      return s;
    }
    case OID.interval: return (d as Interval).span().toString();
    case OID.jsonb: return jsonHashKey(parseJson(d as string, 'jsonb'));
    case OID.bit: case OID.varbit: {
      const b = d as BitString;
      let s = b.length + ':';
      for (let i = 0; i < b.bytes.length; i++) s += HEX[b.bytes[i]! >> 4]! + HEX[b.bytes[i]! & 15]!;
      return s;
    }
    // join prints -0 as 0, so equal vectors (which treat -0 = 0) hash alike
    case OID.vector: case OID.halfvec: return (d as Float32Array).join(',');
    case OID.sparsevec: {
      const v = d as SparseVec;
      return `${v.dim}/${v.indices.join(',')}/${v.values.join(',')}`;
    }
  }
  const elem = oid === OID.int2vector ? OID.int2 : oid === OID.oidvector ? OID.oid : elementTypeOf(oid);
  if (elem !== 0) {
    const a = d as SqlArray;
    let s = a.dims.join('x') + '@' + a.lbounds.join(',') + '[';
    for (const x of a.items) {
      if (x === null) { s += 'N;'; continue; }
      const k = hashDatum(elem, x);
      const ks = typeof k === 'number' ? (Number.isNaN(k) ? 'NaN' : String(k)) : k;
      s += (typeof k === 'number' ? '#' : '$') + ks.length + ':' + ks + ';';
    }
    return s + ']';
  }
  if (typeof d === 'number' || typeof d === 'string') return d;
  return String(d);
}

/** record comparison: field by field, NULLs after non-NULLs and equal to each other (as btree's record_cmp). */
function compareRecords(a: SqlRecord, b: SqlRecord): number {
  const c = compareElementwise(a.values, b.values, (i) => a.types[i]!);
  return c !== 0 ? c : a.values.length - b.values.length;
}
