// Comparison operators = <> < > <= >= for every built-in type, including PostgreSQL's cross-type
// integer, float and date/timestamp variants, and arrays (anyarray). Same-type integer and text
// comparisons compile to one closure with no allocation.
import type { Datum, SqlArray } from '../types/index.js';
import type { Interval, Numeric } from '../types/index.js';
import { compareDatums } from '../types/index.js';
import { op, type Impl } from './registry.js';
import { T } from './oids.js';
import { arraysEqual, cmpBytes, cmpFloat, compareArrays, rtrimBlanks } from './compare.js';

const USECS_PER_DAY = 86_400_000_000n;

/** Registers all six operators from a three-way comparison. */
function fromCmp(l: number, r: number, cmp: (a: Datum, b: Datum) => number): void {
  op('=', l, r, T.bool, (a) => cmp(a[0]!, a[1]!) === 0);
  op('<>', l, r, T.bool, (a) => cmp(a[0]!, a[1]!) !== 0);
  op('<', l, r, T.bool, (a) => cmp(a[0]!, a[1]!) < 0);
  op('>', l, r, T.bool, (a) => cmp(a[0]!, a[1]!) > 0);
  op('<=', l, r, T.bool, (a) => cmp(a[0]!, a[1]!) <= 0);
  op('>=', l, r, T.bool, (a) => cmp(a[0]!, a[1]!) >= 0);
}

/** Direct JS comparisons, valid for values where JS order is SQL order (no NaN). */
function direct(l: number, r: number): void {
  const ops: [string, Impl][] = [
    // loose equality lets number == bigint compare exactly without conversion
    // eslint-disable-next-line eqeqeq
    ['=', (a) => a[0] == a[1]],
    // eslint-disable-next-line eqeqeq
    ['<>', (a) => a[0] != a[1]],
    ['<', (a) => (a[0] as number) < (a[1] as number)],
    ['>', (a) => (a[0] as number) > (a[1] as number)],
    ['<=', (a) => (a[0] as number) <= (a[1] as number)],
    ['>=', (a) => (a[0] as number) >= (a[1] as number)],
  ];
  for (const [s, f] of ops) op(s, l, r, T.bool, f);
}

function dateToTs(d: number): bigint {
  if (d === Infinity) return 9223372036854775807n;
  if (d === -Infinity) return -9223372036854775808n;
  return BigInt(d) * USECS_PER_DAY;
}

export function registerComparisons(): void {
  const ints = [T.int2, T.int4, T.int8];
  for (const l of ints) for (const r of ints) direct(l, r);
  direct(T.oid, T.oid);
  direct(T.date, T.date);
  direct(T.time, T.time);
  direct(T.timestamp, T.timestamp);
  direct(T.timestamptz, T.timestamptz);
  direct(T.char, T.char);
  // text: strings compare directly in JS (code-unit order)
  direct(T.text, T.text);
  direct(T.name, T.name);
  direct(T.name, T.text);
  direct(T.text, T.name);
  direct(T.uuid, T.uuid);
  fromCmp(T.bpchar, T.bpchar, (a, b) => {
    const x = rtrimBlanks(a as string), y = rtrimBlanks(b as string);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  fromCmp(T.bool, T.bool, (a, b) => (a === b ? 0 : a ? 1 : -1));
  const floats = [T.float4, T.float8];
  for (const l of floats) for (const r of floats) {
    op('=', l, r, T.bool, (a) => { const x = a[0] as number, y = a[1] as number; return x === y || (x !== x && y !== y); });
    op('<>', l, r, T.bool, (a) => { const x = a[0] as number, y = a[1] as number; return !(x === y || (x !== x && y !== y)); });
    op('<', l, r, T.bool, (a) => cmpFloat(a[0] as number, a[1] as number) < 0);
    op('>', l, r, T.bool, (a) => cmpFloat(a[0] as number, a[1] as number) > 0);
    op('<=', l, r, T.bool, (a) => cmpFloat(a[0] as number, a[1] as number) <= 0);
    op('>=', l, r, T.bool, (a) => cmpFloat(a[0] as number, a[1] as number) >= 0);
  }
  fromCmp(T.numeric, T.numeric, (a, b) => (a as Numeric).compare(b as Numeric));
  fromCmp(T.interval, T.interval, (a, b) => (a as Interval).compare(b as Interval));
  fromCmp(T.bytea, T.bytea, (a, b) => cmpBytes(a as Uint8Array, b as Uint8Array));
  // date vs timestamp (timestamptz cross-type comparisons need the session time zone: not here)
  const big = (x: bigint, y: bigint): number => (x < y ? -1 : x > y ? 1 : 0);
  fromCmp(T.date, T.timestamp, (a, b) => big(dateToTs(a as number), b as bigint));
  fromCmp(T.timestamp, T.date, (a, b) => big(a as bigint, dateToTs(b as number)));
  // jsonb equality: equal normalized texts are equal; otherwise numbers may still be (1.0 = 1)
  const jsonbEqual = (x: Datum, y: Datum): boolean => x === y || compareDatums(T.jsonb, x, y) === 0;
  op('=', T.jsonb, T.jsonb, T.bool, (a) => jsonbEqual(a[0]!, a[1]!));
  op('<>', T.jsonb, T.jsonb, T.bool, (a) => !jsonbEqual(a[0]!, a[1]!));
  // arrays
  const A = T.anyarray;
  op('=', A, A, T.bool, (a) => arraysEqual(a[0] as SqlArray, a[1] as SqlArray));
  op('<>', A, A, T.bool, (a) => !arraysEqual(a[0] as SqlArray, a[1] as SqlArray));
  op('<', A, A, T.bool, (a) => compareArrays(a[0] as SqlArray, a[1] as SqlArray) < 0);
  op('>', A, A, T.bool, (a) => compareArrays(a[0] as SqlArray, a[1] as SqlArray) > 0);
  op('<=', A, A, T.bool, (a) => compareArrays(a[0] as SqlArray, a[1] as SqlArray) <= 0);
  op('>=', A, A, T.bool, (a) => compareArrays(a[0] as SqlArray, a[1] as SqlArray) >= 0);
}
