// Datum: the in-memory representation of one SQL value, by type. Every value carries its
// PostgreSQL type (OID + typmod) alongside it in plans and row descriptions; the datum itself is
// a plain JS value chosen per type so that the hot paths (ints, floats, text) allocate nothing.
//
//   bool                     boolean
//   int2, int4, oid          number (integer)
//   int8                     bigint
//   float4, float8           number
//   numeric                  Numeric (exact, arbitrary precision; NaN and +-Infinity allowed)
//   text, varchar, bpchar,
//   name, "char"             string  (bpchar stored padded to its typmod length)
//   bytea                    Uint8Array
//   date                     number: days since 2000-01-01 (PostgreSQL's epoch); +-Infinity for infinity
//   time                     number: microseconds since midnight
//   timestamp, timestamptz   bigint: microseconds since 2000-01-01 00:00:00 (UTC for timestamptz);
//                            PostgreSQL's DT_NOBEGIN/DT_NOEND (int64 min/max) for -infinity/infinity
//   interval                 Interval { months, days, micros: bigint }
//   uuid                     string, canonical lowercase 8-4-4-4-12 form
//   json                     string, the input text verbatim
//   jsonb                    string, normalized as PostgreSQL's jsonb output prints it
//   vector, halfvec          Float32Array; sparsevec SparseVec; bit, varbit BitString (vector-datum.ts)
//   arrays                   SqlArray { dims, lbounds, items (row-major, flat), elemType }
//   NULL                     null
import type { Numeric } from './numeric.js';
import type { Interval } from './interval.js';
import type { SparseVec, BitString } from './vector-datum.js';

export type Datum =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | Numeric
  | Interval
  | SqlArray
  | Float32Array
  | SparseVec
  | BitString
  | SqlRecord;

/** A row value (ROW(a, b), a whole-row reference t): its fields with their names and types. */
export interface SqlRecord {
  readonly kind: 'record';
  readonly names: readonly string[];
  readonly types: readonly number[];
  readonly values: readonly Datum[];
}

export function isRecord(d: Datum): d is SqlRecord {
  return typeof d === 'object' && d !== null && (d as { kind?: unknown }).kind === 'record';
}

/** A type as PostgreSQL identifies it: pg_type OID plus the type modifier (-1 = none). */
export interface SqlType {
  readonly oid: number;
  readonly typmod: number;
}

/** A PostgreSQL array value: any number of dimensions (0 for the empty array), 1-based by default. */
export interface SqlArray {
  readonly kind: 'array';
  /** OID of the element type. */
  readonly elemOid: number;
  /** Length of each dimension; [] for an empty array. */
  readonly dims: readonly number[];
  /** Lower bound of each dimension (usually all 1). */
  readonly lbounds: readonly number[];
  /** Elements in row-major order; length = product of dims. */
  readonly items: readonly Datum[];
}

export function isSqlArray(d: Datum): d is SqlArray {
  return typeof d === 'object' && d !== null && (d as { kind?: unknown }).kind === 'array';
}
