// Casts between built-in types: castContext mirrors pg_cast (plus pgvector 0.8's CREATE CAST list,
// PostgreSQL's automatic I/O conversion casts to and from string types and element-wise array
// casts), castDatum performs a cast, and coerceTypmod applies a target typmod (varchar/bpchar
// length, numeric(p,s), timestamp(p), interval fields, bit(n)/varbit(n) length, vector(n)
// dimensions) with PostgreSQL's assignment vs explicit-cast behaviour.
import { SqlError, SQLSTATE, notSupported } from '../../base/index.js';
import type { Datum, SqlArray, SqlType } from './datum.js';
import { OID } from './oids.js';
import { typeInfo, elementTypeOf } from './type-info.js';
import { Numeric, applyNumericTypmod } from './numeric.js';
import { Interval, USECS_PER_DAY } from './interval.js';
import { checkCharLength, padBpchar } from './scalar-io.js';
import { textIn, textOut } from './text-io.js';
import { roundMicros } from './datetime-io.js';
import { applyIntervalTypmod } from './interval-io.js';
import {
  type TypeSettings, sessionZone, dateToTimestamp, timestampToDate, timestampToTimestamptz,
  timestamptzToTimestamp, isFiniteTimestamp, checkTimestamp, dateOutOfRange, MIN_DATE, END_DATE,
} from './datetime.js';
import { jsonbIn, parseJson } from './json.js';
import type { BitString, SparseVec } from './vector-datum.js';
import { bitFromInt, bitToInt, coerceBitLength, coerceVarbitLength } from './bit-string.js';
import {
  arrayToDense, checkExpectedDim, denseToFloat4Array, denseToSparsevec, halfvecToVector, sparsevecToDense, vectorToHalfvec,
} from './vector-io.js';

export type CastContext = 'i' | 'a' | 'e';

// pg_cast rows among the built-in types (source, target, context), from PostgreSQL 15.
const PG_CAST: readonly [number, number, CastContext][] = [
  [16, 23, 'e'], [16, 25, 'a'], [16, 1042, 'a'], [16, 1043, 'a'],
  [18, 23, 'e'], [18, 25, 'i'], [18, 1042, 'a'], [18, 1043, 'a'],
  [19, 25, 'i'], [19, 1042, 'a'], [19, 1043, 'a'],
  [20, 21, 'a'], [20, 23, 'a'], [20, 24, 'i'], [20, 26, 'i'], [20, 700, 'i'], [20, 701, 'i'], [20, 1700, 'i'], [20, 2205, 'i'], [20, 2206, 'i'],
  [21, 20, 'i'], [21, 23, 'i'], [21, 24, 'i'], [21, 26, 'i'], [21, 700, 'i'], [21, 701, 'i'], [21, 1700, 'i'], [21, 2205, 'i'], [21, 2206, 'i'],
  [23, 16, 'e'], [23, 18, 'e'], [23, 20, 'i'], [23, 21, 'a'], [23, 24, 'i'], [23, 26, 'i'], [23, 700, 'i'], [23, 701, 'i'], [23, 1700, 'i'], [23, 2205, 'i'], [23, 2206, 'i'],
  [24, 20, 'a'], [24, 23, 'a'], [24, 26, 'i'],
  [25, 18, 'a'], [25, 19, 'i'], [25, 1042, 'i'], [25, 1043, 'i'], [25, 2205, 'i'],
  [26, 20, 'a'], [26, 23, 'a'], [26, 24, 'i'], [26, 2205, 'i'], [26, 2206, 'i'],
  [114, 3802, 'a'],
  [700, 20, 'a'], [700, 21, 'a'], [700, 23, 'a'], [700, 701, 'i'], [700, 1700, 'a'],
  [701, 20, 'a'], [701, 21, 'a'], [701, 23, 'a'], [701, 700, 'a'], [701, 1700, 'a'],
  [1042, 18, 'a'], [1042, 19, 'i'], [1042, 25, 'i'], [1042, 1043, 'i'],
  [1043, 18, 'a'], [1043, 19, 'i'], [1043, 25, 'i'], [1043, 1042, 'i'], [1043, 2205, 'i'],
  [1082, 1114, 'i'], [1082, 1184, 'i'],
  [1083, 1186, 'i'],
  [1114, 1082, 'a'], [1114, 1083, 'a'], [1114, 1184, 'i'],
  [1184, 1082, 'a'], [1184, 1083, 'a'], [1184, 1114, 'a'],
  [1186, 1083, 'a'],
  [1700, 20, 'a'], [1700, 21, 'a'], [1700, 23, 'a'], [1700, 700, 'i'], [1700, 701, 'i'],
  [2205, 20, 'a'], [2205, 23, 'a'], [2205, 26, 'i'],
  [2206, 20, 'a'], [2206, 23, 'a'], [2206, 26, 'i'],
  [4089, 20, 'a'], [4089, 23, 'a'], [4089, 26, 'i'], [26, 4089, 'i'], [20, 4089, 'i'], [21, 4089, 'i'], [23, 4089, 'i'],
  [22, 1005, 'i'], [30, 1028, 'i'],
  [3802, 16, 'e'], [3802, 20, 'e'], [3802, 21, 'e'], [3802, 23, 'e'], [3802, 114, 'a'], [3802, 700, 'e'], [3802, 701, 'e'], [3802, 1700, 'e'],
  // bit strings: bit <-> varbit are binary coercible; integers convert explicitly
  [1560, 1562, 'i'], [1562, 1560, 'i'], [20, 1560, 'e'], [23, 1560, 'e'], [1560, 20, 'e'], [1560, 23, 'e'],
  // pgvector 0.8 (sql/vector.sql CREATE CAST): vector 16385, halfvec 16387, sparsevec 16389
  [16385, 1021, 'i'], [1007, 16385, 'a'], [1021, 16385, 'a'], [1022, 16385, 'a'], [1231, 16385, 'a'],
  [16387, 16385, 'a'], [16385, 16387, 'i'], [16387, 1021, 'a'],
  [1007, 16387, 'a'], [1021, 16387, 'a'], [1022, 16387, 'a'], [1231, 16387, 'a'],
  [16389, 16385, 'a'], [16385, 16389, 'i'], [16389, 16387, 'a'], [16387, 16389, 'i'],
];

const CAST_MAP = new Map<number, CastContext>();
for (const [s, t, c] of PG_CAST) CAST_MAP.set(s * 65536 + t, c);

function isStringCategory(oid: number): boolean {
  return typeInfo(oid)?.category === 'S';
}

/**
 * The context in which a cast from one type to another is allowed ('i' implicit, 'a' assignment,
 * 'e' explicit only), or undefined when there is no cast. Same type → 'i'.
 */
export function castContext(fromOid: number, toOid: number): CastContext | undefined {
  if (fromOid === toOid) return 'i';
  if (fromOid === OID.unknown) return typeInfo(toOid) !== undefined ? 'i' : undefined;
  const c = CAST_MAP.get(fromOid * 65536 + toOid);
  if (c !== undefined) return c;
  const fromInfo = typeInfo(fromOid);
  const toInfo = typeInfo(toOid);
  if (fromInfo === undefined || toInfo === undefined) return undefined;
  // a row value to text: record_out (I/O conversion, as for any type)
  if (fromOid === OID.record && isStringCategory(toOid) && toOid !== OID.name) return 'a';
  if (fromInfo.category === 'P' || toInfo.category === 'P') return undefined;
  const fe = elementTypeOf(fromOid);
  const te = elementTypeOf(toOid);
  if (fe !== 0 && te !== 0 && fromInfo.name.startsWith('_') && toInfo.name.startsWith('_')) {
    // array coercion: allowed when the element cast is; context is the element cast's
    return castContext(fe, te);
  }
  // automatic I/O conversion casts
  if (isStringCategory(toOid) && toOid !== OID.name && !isStringCategory(fromOid)) return 'a';
  if (toOid === OID.name && !isStringCategory(fromOid)) return 'a';
  if (isStringCategory(fromOid) && !isStringCategory(toOid)) return 'e';
  return undefined;
}

function outOfRange(typeName: string): SqlError {
  return new SqlError(SQLSTATE.NUMERIC_VALUE_OUT_OF_RANGE, `${typeName} out of range`);
}

const INT_NAMES: Record<number, string> = { [OID.int2]: 'smallint', [OID.int4]: 'integer', [OID.int8]: 'bigint' };

function checkInt(v: number, to: number): number {
  if (to === OID.int2 ? v < -32768 || v > 32767 : v < -2147483648 || v > 2147483647) throw outOfRange(INT_NAMES[to]!);
  return v;
}

/** rint: round half to even. */
export function rint(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function floatToInt(v: number, to: number): number | bigint {
  if (Number.isNaN(v) || !Number.isFinite(v)) throw outOfRange(INT_NAMES[to]!);
  const r = rint(v);
  if (to === OID.int8) {
    if (r < -9223372036854775808 || r >= 9223372036854775808) throw outOfRange('bigint');
    return BigInt(r);
  }
  return checkInt(r, to) + 0;
}

function numericToInt(n: Numeric, to: number): number | bigint {
  const name = INT_NAMES[to]!;
  if (n.isNaN()) throw new SqlError(SQLSTATE.FEATURE_NOT_SUPPORTED, `cannot convert NaN to ${name}`);
  if (n.isInfinite()) throw new SqlError(SQLSTATE.FEATURE_NOT_SUPPORTED, `cannot convert infinity to ${name}`);
  const v = n.roundToBigInt();
  if (to === OID.int8) {
    if (v < -9223372036854775808n || v > 9223372036854775807n) throw outOfRange('bigint');
    return v;
  }
  if (v < -2147483648n || v > 2147483647n) throw outOfRange(name);
  return checkInt(Number(v), to);
}

function toFloat4(v: number): number {
  const f = Math.fround(v);
  if (!Number.isFinite(f) && Number.isFinite(v)) throw new SqlError(SQLSTATE.NUMERIC_VALUE_OUT_OF_RANGE, 'value out of range: overflow');
  if (f === 0 && v !== 0) throw new SqlError(SQLSTATE.NUMERIC_VALUE_OUT_OF_RANGE, 'value out of range: underflow');
  return f;
}

function isIntLike(oid: number): boolean {
  return oid === OID.int2 || oid === OID.int4 || oid === OID.oid || oid === OID.regclass || oid === OID.regtype || oid === OID.regproc || oid === OID.regnamespace;
}

function jsonbTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (v instanceof Numeric) return 'numeric';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

/**
 * Casts a datum. `explicit` selects explicit-cast semantics for typmods (silent truncation of
 * varchar(n)/bpchar(n)) — assignment casts raise 22001 instead. NULL stays NULL.
 */
export function castDatum(d: Datum, from: SqlType, to: SqlType, explicit: boolean, settings?: TypeSettings): Datum {
  if (d === null) return null;
  const f = from.oid;
  const t = to.oid;
  if (f === t) return to.typmod >= 0 && to.typmod !== from.typmod ? coerceTypmod(d, to, explicit) : d;
  const r = convert(d, f, t, to.typmod, explicit, settings);
  return to.typmod >= 0 ? coerceTypmod(r, to, explicit) : r;
}

function convert(d: Datum, f: number, t: number, typmod: number, explicit: boolean, settings?: TypeSettings): Datum {
  const special = convertVectorOrBits(d, f, t, typmod);
  if (special !== undefined) return special;
  // numbers
  switch (t) {
    case OID.int2: case OID.int4:
      if (isIntLike(f)) return t === OID.int4 && f === OID.oid ? ((d as number) | 0) : checkInt(d as number, t);
      if (f === OID.int8) return checkInt(Number(d as bigint) > 4e9 ? 4e9 : Number(d as bigint) < -4e9 ? -4e9 : Number(d as bigint), t);
      if (f === OID.float4 || f === OID.float8) return floatToInt(d as number, t);
      if (f === OID.numeric) return numericToInt(d as Numeric, t);
      if (f === OID.bool && t === OID.int4) return (d as boolean) ? 1 : 0;
      if (f === OID.char && t === OID.int4) {
        const s = d as string;
        if (s.length === 0) return 0;
        const c = s.charCodeAt(0);
        return c > 127 ? c - 256 : c;
      }
      break;
    case OID.int8:
      if (isIntLike(f)) return BigInt(d as number);
      if (f === OID.float4 || f === OID.float8) return floatToInt(d as number, t);
      if (f === OID.numeric) return numericToInt(d as Numeric, t);
      break;
    case OID.oid: case OID.regclass: case OID.regtype: case OID.regproc: case OID.regnamespace:
      if (f === OID.int8) {
        const v = d as bigint;
        if (v < -2147483648n || v > 4294967295n) throw new SqlError(SQLSTATE.NUMERIC_VALUE_OUT_OF_RANGE, 'OID out of range');
        return v < 0n ? Number(v) + 4294967296 : Number(v);
      }
      if (isIntLike(f)) { const v = d as number; return v < 0 ? v + 4294967296 : v; }
      break;
    case OID.float8:
      if (isIntLike(f) || f === OID.float4) return d as number;
      if (f === OID.int8) return Number(d as bigint);
      if (f === OID.numeric) {
        const x = d as Numeric;
        const v = x.toNumber();
        // numeric_float8 goes through float8in: a finite numeric too large is out of range.
        if ((!Number.isFinite(v) && !x.isInfinite() && !x.isNaN()) || (v === 0 && x.isFinite() && x.sign() !== 0)) {
          throw new SqlError(SQLSTATE.NUMERIC_VALUE_OUT_OF_RANGE, `"${x.toString()}" is out of range for type double precision`);
        }
        return v;
      }
      break;
    case OID.float4:
      if (isIntLike(f)) return Math.fround(d as number);
      if (f === OID.int8) return Math.fround(Number(d as bigint));
      if (f === OID.float8) return toFloat4(d as number);
      if (f === OID.numeric) {
        // numeric_float4 goes through float4in: out-of-range values name the number.
        const x = d as Numeric;
        const v = x.toNumber();
        const r = Math.fround(v);
        if ((!Number.isFinite(r) && !x.isInfinite() && !x.isNaN()) || (r === 0 && x.isFinite() && x.sign() !== 0)) {
          throw new SqlError(SQLSTATE.NUMERIC_VALUE_OUT_OF_RANGE, `"${x.toString()}" is out of range for type real`);
        }
        return r;
      }
      break;
    case OID.numeric:
      if (isIntLike(f)) return Numeric.fromBigInt(BigInt(d as number));
      if (f === OID.int8) return Numeric.fromBigInt(d as bigint);
      if (f === OID.float8) return Numeric.fromNumber(d as number);
      if (f === OID.float4) return Numeric.fromFloat4(d as number);
      break;
    case OID.bool:
      if (f === OID.int4) return (d as number) !== 0;
      break;
    case OID.char:
      if (f === OID.int4) {
        const v = d as number;
        if (v < -128 || v > 127) throw new SqlError(SQLSTATE.NUMERIC_VALUE_OUT_OF_RANGE, '"char" out of range');
        return v === 0 ? '' : String.fromCharCode(v < 0 ? v + 256 : v);
      }
      break;
    case OID.date:
      if (f === OID.timestamp) return timestampToDateChecked(d as bigint);
      if (f === OID.timestamptz) return timestampToDateChecked(timestamptzToTimestamp(d as bigint, sessionZone(settings)));
      break;
    case OID.timestamp:
      if (f === OID.date) return dateToTimestamp(d as number);
      if (f === OID.timestamptz) return timestamptzToTimestamp(d as bigint, sessionZone(settings));
      break;
    case OID.timestamptz:
      if (f === OID.date) return timestampToTimestamptz(dateToTimestamp(d as number), sessionZone(settings));
      if (f === OID.timestamp) return timestampToTimestamptz(d as bigint, sessionZone(settings));
      break;
    case OID.time:
      if (f === OID.timestamp || f === OID.timestamptz) {
        let ts = d as bigint;
        if (!isFiniteTimestamp(ts)) throw new SqlError(SQLSTATE.DATETIME_FIELD_OVERFLOW, 'timestamp out of range');
        if (f === OID.timestamptz) ts = timestamptzToTimestamp(ts, sessionZone(settings));
        let r = ts % USECS_PER_DAY;
        if (r < 0n) r += USECS_PER_DAY;
        return Number(r);
      }
      if (f === OID.interval) {
        let r = (d as Interval).micros % USECS_PER_DAY;
        if (r < 0n) r += USECS_PER_DAY;
        return Number(r);
      }
      break;
    case OID.interval:
      if (f === OID.time) return new Interval(0, 0, BigInt(d as number));
      break;
    case OID.jsonb:
      if (f === OID.json) return jsonbIn(d as string);
      break;
    case OID.json:
      if (f === OID.jsonb) return d as string;
      break;
  }
  if (f === OID.jsonb && (t === OID.bool || t === OID.numeric || t === OID.int2 || t === OID.int4 || t === OID.int8 || t === OID.float4 || t === OID.float8)) {
    const v = parseJson(d as string, 'jsonb');
    const targetName = typeInfo(t)!.sqlName;
    if (t === OID.bool) {
      if (typeof v !== 'boolean') throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, `cannot cast jsonb ${jsonbTypeName(v)} to type ${targetName}`);
      return v;
    }
    if (!(v instanceof Numeric)) throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, `cannot cast jsonb ${jsonbTypeName(v)} to type ${targetName}`);
    return t === OID.numeric ? v : convert(v, OID.numeric, t, -1, explicit, settings);
  }
  // string types among themselves
  const fs = isStringCategory(f) || f === OID.char || f === OID.unknown;
  const ts = isStringCategory(t);
  if (fs && (ts || t === OID.char)) {
    let s = d as string;
    if (f === OID.bpchar && t !== OID.bpchar) s = rtrimSpaces(s);
    if (t === OID.char) return s.length === 0 ? '' : String.fromCodePoint(s.codePointAt(0)!);
    if (t === OID.name) return textIn({ oid: OID.name, typmod: -1 }, s);
    return s;
  }
  // arrays element-wise
  const fe = elementTypeOf(f);
  const te = elementTypeOf(t);
  if (fe !== 0 && te !== 0 && typeInfo(f)!.name.startsWith('_') && typeInfo(t)!.name.startsWith('_')) {
    const a = d as SqlArray;
    const fromT: SqlType = { oid: fe, typmod: -1 };
    const toT: SqlType = { oid: te, typmod };
    const items = a.items.map((x) => castDatum(x, fromT, toT, explicit, settings));
    return { kind: 'array', elemOid: te, dims: a.dims, lbounds: a.lbounds, items };
  }
  // I/O conversion casts
  if (ts) {
    const text = f === OID.bool ? ((d as boolean) ? 'true' : 'false') : textOut({ oid: f, typmod: -1 }, d, settings);
    return t === OID.name ? textIn({ oid: OID.name, typmod: -1 }, text) : text;
  }
  // CoerceViaIO reads with typmod -1; the length coercion follows (bit(n) truncates when explicit)
  if (fs) return textIn({ oid: t, typmod: t === OID.bit || t === OID.varbit ? -1 : typmod }, d as string, settings);
  const fi = typeInfo(f);
  const ti = typeInfo(t);
  if (fi === undefined || ti === undefined) throw notSupported(`cast from type ${f} to type ${t}`);
  throw new SqlError(SQLSTATE.CANNOT_COERCE, `cannot cast type ${fi.sqlName} to ${ti.sqlName}`);
}

/** The casts of pgvector's types and of bit strings; undefined when f → t is not one of them. */
function convertVectorOrBits(d: Datum, f: number, t: number, typmod: number): Datum | undefined {
  switch (t) {
    case OID.bit:
      if (f === OID.varbit) return d;
      if (f === OID.int4) return bitFromInt(BigInt(d as number), typmod);
      if (f === OID.int8) return bitFromInt(d as bigint, typmod);
      return undefined;
    case OID.varbit:
      return f === OID.bit ? d : undefined;
    case OID.int4:
      return f === OID.bit ? Number(bitToInt(d as BitString, 32)) : undefined;
    case OID.int8:
      return f === OID.bit ? bitToInt(d as BitString, 64) : undefined;
    case OID.vector:
      if (f === OID.halfvec) return halfvecToVector(d as Float32Array, typmod);
      if (f === OID.sparsevec) return sparsevecToDense('vector', d as SparseVec, typmod);
      if (f === OID._int4 || f === OID._float4 || f === OID._float8 || f === OID._numeric) return arrayToDense('vector', d as SqlArray, typmod);
      return undefined;
    case OID.halfvec:
      if (f === OID.vector) return vectorToHalfvec(d as Float32Array, typmod);
      if (f === OID.sparsevec) return sparsevecToDense('halfvec', d as SparseVec, typmod);
      if (f === OID._int4 || f === OID._float4 || f === OID._float8 || f === OID._numeric) return arrayToDense('halfvec', d as SqlArray, typmod);
      return undefined;
    case OID.sparsevec:
      if (f === OID.vector || f === OID.halfvec) return denseToSparsevec(d as Float32Array, typmod);
      return undefined;
    case OID._float4:
      if (f === OID.vector || f === OID.halfvec) return denseToFloat4Array(d as Float32Array);
      return undefined;
  }
  return undefined;
}

function rtrimSpaces(s: string): string {
  let e = s.length;
  while (e > 0 && s.charCodeAt(e - 1) === 32) e--;
  return e === s.length ? s : s.slice(0, e);
}

function timestampToDateChecked(ts: bigint): number {
  const d = timestampToDate(ts);
  if (Number.isFinite(d) && (d < MIN_DATE || d >= END_DATE)) throw dateOutOfRange();
  return d;
}

/**
 * Applies a typmod to a datum already of the right type: varchar(n)/bpchar(n) length (22001 on
 * assignment, truncation when explicit), bpchar padding, numeric(p,s) rounding and precision
 * check, timestamp(p)/time(p) rounding, interval fields/precision; arrays element-wise.
 */
export function coerceTypmod(d: Datum, type: SqlType, explicit = false): Datum {
  if (d === null || type.typmod < 0) return d;
  const tm = type.typmod;
  switch (type.oid) {
    case OID.varchar:
      return tm >= 4 ? checkCharLength(d as string, tm - 4, 'character varying', explicit) : d;
    case OID.bpchar:
      return tm >= 4 ? padBpchar(checkCharLength(d as string, tm - 4, 'character', explicit), tm - 4) : d;
    case OID.numeric:
      return applyNumericTypmod(d as Numeric, tm);
    case OID.timestamp: case OID.timestamptz: {
      const v = d as bigint;
      if (!isFiniteTimestamp(v)) return v;
      return checkTimestamp(roundMicros(v, tm));
    }
    case OID.time:
      return Number(roundMicros(BigInt(d as number), tm));
    case OID.interval:
      return applyIntervalTypmod(d as Interval, tm);
    case OID.bit:
      return coerceBitLength(d as BitString, tm, explicit);
    case OID.varbit:
      return coerceVarbitLength(d as BitString, tm, explicit);
    case OID.vector: case OID.halfvec:
      checkExpectedDim(tm, (d as Float32Array).length);
      return d;
    case OID.sparsevec:
      checkExpectedDim(tm, (d as SparseVec).dim);
      return d;
  }
  const elem = elementTypeOf(type.oid);
  if (elem !== 0) {
    const a = d as SqlArray;
    const et: SqlType = { oid: elem, typmod: tm };
    return { kind: 'array', elemOid: a.elemOid, dims: a.dims, lbounds: a.lbounds, items: a.items.map((x) => coerceTypmod(x, et, explicit)) };
  }
  return d;
}
