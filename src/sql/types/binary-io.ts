// binaryIn / binaryOut: PostgreSQL's typsend/typreceive wire formats (big-endian integers, IEEE
// floats, numeric as base-10000 digits, UTF-8 text, int32 dates, int64 timestamps, interval as
// micros+days+months, 16-byte uuid, jsonb version byte 1, arrays with their header, bit strings
// as bit length + bytes, pgvector's vector/halfvec/sparsevec formats). Malformed input is 22P03.
import { SqlError, SQLSTATE, notSupported } from '../../base/index.js';
import type { Datum, SqlArray, SqlRecord, SqlType } from './datum.js';
import { OID } from './oids.js';
import { typeInfo, elementTypeOf } from './type-info.js';
import { Numeric, pow10 } from './numeric.js';
import { Interval } from './interval.js';
import { uuidFromBytes, uuidToBytes } from './scalar-io.js';
import { jsonIn, jsonbIn } from './json.js';
import { coerceTypmod } from './casts.js';
import { LIMITS } from '../../base/index.js';
import { bitRecv, bitSend } from './bit-string.js';
import { denseVectorRecv, halfvecSend, sparsevecRecv, sparsevecSend, vectorSend } from './vector-io.js';
import type { BitString, SparseVec } from './vector-datum.js';

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

function bad(msg = 'incorrect binary data format'): SqlError {
  return new SqlError(SQLSTATE.INVALID_BINARY_REPRESENTATION, msg);
}

function need(b: Uint8Array, n: number): void {
  if (b.length !== n) throw bad(b.length < n ? 'insufficient data left in message' : 'incorrect binary data format');
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function utf8(b: Uint8Array): string {
  if (b.includes(0)) throw new SqlError(SQLSTATE.CHARACTER_NOT_IN_REPERTOIRE, 'invalid byte sequence for encoding "UTF8": 0x00');
  try {
    return dec.decode(b);
  } catch {
    throw new SqlError(SQLSTATE.CHARACTER_NOT_IN_REPERTOIRE, 'invalid byte sequence for encoding "UTF8"');
  }
}

const NUMERIC_POS = 0x0000;
const NUMERIC_NEG = 0x4000;
const NUMERIC_NAN = 0xc000;
const NUMERIC_PINF = 0xd000;
const NUMERIC_NINF = 0xf000;

/** Base-10000 digits, weight, sign and dscale of a numeric, as PostgreSQL stores it. */
export function numericToNbase(n: Numeric): { digits: number[]; weight: number; sign: number; dscale: number } {
  if (n.isNaN()) return { digits: [], weight: 0, sign: NUMERIC_NAN, dscale: 0 };
  if (n.isInfinite()) return { digits: [], weight: 0, sign: n.sign() > 0 ? NUMERIC_PINF : NUMERIC_NINF, dscale: 0 };
  const neg = n.coef < 0n;
  const a = neg ? -n.coef : n.coef;
  if (a === 0n) return { digits: [], weight: 0, sign: NUMERIC_POS, dscale: n.scale };
  // align the fraction to a multiple of 4 digits
  const fracPad = (4 - (n.scale % 4)) % 4;
  let v = a * pow10(fracPad);
  const fracGroups = (n.scale + fracPad) / 4;
  const groups: number[] = [];
  while (v > 0n) {
    groups.push(Number(v % 10000n));
    v /= 10000n;
  }
  // groups are little-endian; weight of most significant = groups.length - 1 - fracGroups
  let weight = groups.length - 1 - fracGroups;
  groups.reverse();
  // strip leading zeros (cannot happen: top group nonzero) and trailing zeros
  let end = groups.length;
  while (end > 0 && groups[end - 1] === 0) end--;
  let start = 0;
  while (start < end && groups[start] === 0) { start++; weight--; }
  return { digits: groups.slice(start, end), weight, sign: neg ? NUMERIC_NEG : NUMERIC_POS, dscale: n.scale };
}

function numericSend(n: Numeric): Uint8Array {
  const { digits, weight, sign, dscale } = numericToNbase(n);
  const out = new Uint8Array(8 + digits.length * 2);
  const v = view(out);
  v.setInt16(0, digits.length);
  v.setInt16(2, weight);
  v.setUint16(4, sign);
  // PostgreSQL sends 0x0020 as the dscale of +-Infinity (an artifact of its header bits)
  v.setInt16(6, sign === NUMERIC_PINF || sign === NUMERIC_NINF ? 0x20 : dscale);
  for (let i = 0; i < digits.length; i++) v.setInt16(8 + i * 2, digits[i]!);
  return out;
}

function numericRecv(b: Uint8Array): Numeric {
  if (b.length < 8) throw bad('insufficient data left in message');
  const v = view(b);
  const ndigits = v.getInt16(0);
  const weight = v.getInt16(2);
  const sign = v.getUint16(4);
  const dscale = v.getInt16(6);
  if (ndigits < 0 || ndigits > 0x7fff) throw bad('invalid length in external "numeric" value');
  need(b, 8 + ndigits * 2);
  if (sign === NUMERIC_NAN) return Numeric.NaN;
  if (sign === NUMERIC_PINF) return Numeric.POS_INF;
  if (sign === NUMERIC_NINF) return Numeric.NEG_INF;
  if (sign !== NUMERIC_POS && sign !== NUMERIC_NEG) throw bad('invalid sign in external "numeric" value');
  if (dscale < 0 || dscale > 0x3fff) throw bad('invalid scale in external "numeric" value');
  let c = 0n;
  for (let i = 0; i < ndigits; i++) {
    const d = v.getInt16(8 + i * 2);
    if (d < 0 || d >= 10000) throw bad('invalid digit in external "numeric" value');
    c = c * 10000n + BigInt(d);
  }
  // value = c * 10000^(weight - ndigits + 1)
  const exp4 = (weight - ndigits + 1) * 4;
  let num = exp4 >= 0 ? Numeric.of(c * pow10(exp4), 0) : Numeric.of(c, -exp4);
  num = num.trunc(dscale);
  return sign === NUMERIC_NEG ? num.neg() : num;
}

function arraySend(a: SqlArray, elem: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let hasNull = 0;
  let size = 12 + a.dims.length * 8;
  const et: SqlType = { oid: elem, typmod: -1 };
  for (const x of a.items) {
    if (x === null) { hasNull = 1; parts.push(EMPTY); size += 4; continue; }
    const p = binaryOut(et, x);
    parts.push(p);
    size += 4 + p.length;
  }
  const out = new Uint8Array(size);
  const v = view(out);
  v.setInt32(0, a.items.length === 0 ? 0 : a.dims.length);
  v.setInt32(4, hasNull);
  v.setUint32(8, elem);
  let o = 12;
  if (a.items.length > 0) {
    for (let i = 0; i < a.dims.length; i++) {
      v.setInt32(o, a.dims[i]!); v.setInt32(o + 4, a.lbounds[i]!); o += 8;
    }
  }
  for (let i = 0; i < a.items.length; i++) {
    if (a.items[i] === null) { v.setInt32(o, -1); o += 4; continue; }
    const p = parts[i]!;
    v.setInt32(o, p.length); o += 4;
    out.set(p, o); o += p.length;
  }
  return o === size ? out : out.subarray(0, o);
}

const EMPTY = new Uint8Array(0);

function arrayRecv(b: Uint8Array, type: SqlType, elemOid: number): SqlArray {
  if (b.length < 12) throw bad('insufficient data left in message');
  const v = view(b);
  const ndim = v.getInt32(0);
  const flags = v.getInt32(4);
  const elemSent = v.getUint32(8);
  if (ndim < 0) throw bad(`invalid number of dimensions: ${ndim}`);
  if (ndim > LIMITS.arrayDimsMax) {
    throw new SqlError(SQLSTATE.PROGRAM_LIMIT_EXCEEDED, `number of array dimensions (${ndim}) exceeds the maximum allowed (${LIMITS.arrayDimsMax})`);
  }
  if (flags !== 0 && flags !== 1) throw bad('invalid array flags');
  if (elemSent !== elemOid) throw new SqlError(SQLSTATE.DATATYPE_MISMATCH, 'binary data has array element type ' + elemSent + ' instead of expected ' + elemOid);
  let o = 12;
  const dims: number[] = [];
  const lbounds: number[] = [];
  let n = 1;
  for (let i = 0; i < ndim; i++) {
    if (o + 8 > b.length) throw bad('insufficient data left in message');
    const d = v.getInt32(o);
    const lb = v.getInt32(o + 4);
    if (d < 0) throw bad('array dimension must not be negative');
    dims.push(d); lbounds.push(lb);
    n *= d;
    o += 8;
  }
  if (ndim === 0 || n === 0) {
    if (o !== b.length) throw bad();
    return { kind: 'array', elemOid, dims: [], lbounds: [], items: [] };
  }
  if (n > 134217727) throw new SqlError(SQLSTATE.PROGRAM_LIMIT_EXCEEDED, 'array size exceeds the maximum allowed (134217727)');
  const items: Datum[] = new Array<Datum>(n);
  const et: SqlType = { oid: elemOid, typmod: type.typmod };
  for (let i = 0; i < n; i++) {
    if (o + 4 > b.length) throw bad('insufficient data left in message');
    const len = v.getInt32(o); o += 4;
    if (len === -1) { items[i] = null; continue; }
    if (len < 0 || o + len > b.length) throw bad('insufficient data left in message');
    items[i] = binaryIn(et, b.subarray(o, o + len));
    o += len;
  }
  if (o !== b.length) throw bad();
  return { kind: 'array', elemOid, dims, lbounds, items };
}

/** Decodes a value in PostgreSQL's binary (send/recv) format; applies the typmod. */
export function binaryIn(type: SqlType, b: Uint8Array): Datum {
  const oid = type.oid;
  switch (oid) {
    case OID.bool: need(b, 1); return b[0] !== 0;
    case OID.int2: need(b, 2); return view(b).getInt16(0);
    case OID.int4: need(b, 4); return view(b).getInt32(0);
    case OID.oid: case OID.regclass: case OID.regtype: case OID.regproc: case OID.regnamespace: need(b, 4); return view(b).getUint32(0);
    case OID.int8: need(b, 8); return view(b).getBigInt64(0);
    case OID.float4: need(b, 4); return view(b).getFloat32(0);
    case OID.float8: need(b, 8); return view(b).getFloat64(0);
    case OID.text: case OID.varchar: case OID.bpchar: case OID.name: case OID.unknown: case OID.cstring: {
      const s = utf8(b);
      return type.typmod >= 0 ? coerceTypmod(s, type, false) : s;
    }
    case OID.char: return b.length === 0 ? '' : String.fromCharCode(b[0]!);
    case OID.bytea: return b.slice();
    case OID.numeric: {
      const n = numericRecv(b);
      return type.typmod >= 0 ? coerceTypmod(n, type) : n;
    }
    case OID.date: {
      need(b, 4);
      const d = view(b).getInt32(0);
      if (d === 2147483647) return Infinity;
      if (d === -2147483648) return -Infinity;
      return d;
    }
    case OID.time: {
      need(b, 8);
      const t = view(b).getBigInt64(0);
      if (t < 0n || t > 86_400_000_000n) throw new SqlError(SQLSTATE.DATETIME_FIELD_OVERFLOW, 'time out of range');
      return coerceTypmod(Number(t), type);
    }
    case OID.timestamp: case OID.timestamptz: {
      need(b, 8);
      return coerceTypmod(view(b).getBigInt64(0), type);
    }
    case OID.interval: {
      need(b, 16);
      const v = view(b);
      const iv = new Interval(v.getInt32(12), v.getInt32(8), v.getBigInt64(0));
      return coerceTypmod(iv, type);
    }
    case OID.uuid: need(b, 16); return uuidFromBytes(b);
    case OID.json: return jsonIn(utf8(b));
    case OID.jsonb: {
      if (b.length < 1) throw bad('insufficient data left in message');
      if (b[0] !== 1) throw bad(`unsupported jsonb version number ${b[0]!}`);
      return jsonbIn(utf8(b.subarray(1)));
    }
    case OID.int2vector: return arrayRecv(b, { oid: OID._int2, typmod: -1 }, OID.int2);
    case OID.oidvector: return arrayRecv(b, { oid: OID._oid, typmod: -1 }, OID.oid);
    case OID.bit: return bitRecv(b, type.typmod, false);
    case OID.varbit: return bitRecv(b, type.typmod, true);
    case OID.vector: return denseVectorRecv('vector', b, type.typmod);
    case OID.halfvec: return denseVectorRecv('halfvec', b, type.typmod);
    case OID.sparsevec: return sparsevecRecv(b, type.typmod);
  }
  const elem = elementTypeOf(oid);
  if (elem !== 0) return arrayRecv(b, type, elem);
  throw notSupported(`binary input of type ${typeInfo(oid)?.sqlName ?? oid}`);
}

/** Encodes a non-null datum in PostgreSQL's binary (send) format. */
export function binaryOut(type: SqlType, d: Datum): Uint8Array {
  const oid = type.oid;
  let out: Uint8Array;
  switch (oid) {
    case OID.bool: return Uint8Array.of(d ? 1 : 0);
    case OID.int2: out = new Uint8Array(2); view(out).setInt16(0, d as number); return out;
    case OID.int4: out = new Uint8Array(4); view(out).setInt32(0, d as number); return out;
    case OID.oid: case OID.regclass: case OID.regtype: case OID.regproc: case OID.regnamespace:
      out = new Uint8Array(4); view(out).setUint32(0, d as number); return out;
    case OID.int8: out = new Uint8Array(8); view(out).setBigInt64(0, d as bigint); return out;
    case OID.float4: out = new Uint8Array(4); view(out).setFloat32(0, d as number); return out;
    case OID.float8: out = new Uint8Array(8); view(out).setFloat64(0, d as number); return out;
    case OID.text: case OID.varchar: case OID.bpchar: case OID.name: case OID.unknown: case OID.cstring:
    case OID.json:
      return enc.encode(d as string);
    case OID.char: {
      const s = d as string;
      return s.length === 0 ? new Uint8Array(0) : Uint8Array.of(s.charCodeAt(0) & 0xff);
    }
    case OID.bytea: return d as Uint8Array;
    case OID.numeric: return numericSend(d as Numeric);
    case OID.date: {
      const v = d as number;
      out = new Uint8Array(4);
      view(out).setInt32(0, v === Infinity ? 2147483647 : v === -Infinity ? -2147483648 : v);
      return out;
    }
    case OID.time: out = new Uint8Array(8); view(out).setBigInt64(0, BigInt(d as number)); return out;
    case OID.timestamp: case OID.timestamptz: out = new Uint8Array(8); view(out).setBigInt64(0, d as bigint); return out;
    case OID.interval: {
      const iv = d as Interval;
      out = new Uint8Array(16);
      const v = view(out);
      v.setBigInt64(0, iv.micros); v.setInt32(8, iv.days); v.setInt32(12, iv.months);
      return out;
    }
    case OID.uuid: return uuidToBytes(d as string);
    case OID.jsonb: {
      const t = enc.encode(d as string);
      out = new Uint8Array(t.length + 1);
      out[0] = 1;
      out.set(t, 1);
      return out;
    }
    case OID.int2vector: return arraySend(d as SqlArray, OID.int2);
    case OID.oidvector: return arraySend(d as SqlArray, OID.oid);
    case OID.void: return new Uint8Array(0);
    case OID.bit: case OID.varbit: return bitSend(d as BitString);
    case OID.vector: return vectorSend(d as Float32Array);
    case OID.halfvec: return halfvecSend(d as Float32Array);
    case OID.sparsevec: return sparsevecSend(d as SparseVec);
    case OID.record: return recordSend(d as SqlRecord);
  }
  const elem = elementTypeOf(oid);
  if (elem !== 0) return arraySend(d as SqlArray, elem);
  throw notSupported(`binary output of type ${typeInfo(oid)?.sqlName ?? oid}`);
}

/** record_send: the field count, then each field's type OID and length-prefixed binary value (-1 for NULL). */
function recordSend(r: SqlRecord): Uint8Array {
  const fields = r.values.map((v, i) => (v === null ? null : binaryOut({ oid: r.types[i]!, typmod: -1 }, v)));
  const out = new Uint8Array(4 + fields.reduce((n, f) => n + 8 + (f?.length ?? 0), 0));
  const dv = view(out);
  dv.setInt32(0, fields.length);
  let at = 4;
  fields.forEach((f, i) => {
    dv.setUint32(at, r.types[i]!);
    dv.setInt32(at + 4, f === null ? -1 : f.length);
    at += 8;
    if (f !== null) { out.set(f, at); at += f.length; }
  });
  return out;
}
