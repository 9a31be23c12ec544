// Order-preserving, self-delimiting index keys for datum tuples: byte order = PostgreSQL's sort
// order (ASC NULLS LAST / DESC NULLS FIRST by default) and keys concatenate (index key + pk).
// Lossy: numeric (scale dropped), float and vector elements (-0 → 0, one NaN), bpchar (trailing
// spaces dropped); interval (span only), jsonb and arrays cannot be decoded. Vectors order as
// pgvector's *_cmp (elements, then dimensions); sparsevec keys follow the dense order sparsely.
import { SqlError, SQLSTATE, notSupported } from '../../base/index.js';
import type { Datum, SqlArray, SqlType } from './datum.js';
import { OID } from './oids.js';
import { elementTypeOf } from './type-info.js';
import { Numeric, pow10 } from './numeric.js';
import type { Interval } from './interval.js';
import { uuidFromBytes, uuidToBytes } from './scalar-io.js';
import { parseJson, compareJsonbKeys, type JsonValue } from './json.js';
import { halfToBits, halfFromBits } from '../../vector/index.js';
import type { BitString, SparseVec } from './vector-datum.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

const NULL_FIRST = 0x00;
const VALUE = 0x01;
const NULL_LAST = 0xff;

class KeyWriter {
  buf = new Uint8Array(64);
  pos = 0;
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const nb = new Uint8Array(size);
    nb.set(this.buf.subarray(0, this.pos));
    this.buf = nb;
  }
  byte(b: number): void { this.ensure(1); this.buf[this.pos++] = b; }
  u32(v: number): void {
    this.ensure(4);
    const b = this.buf;
    b[this.pos++] = v >>> 24; b[this.pos++] = (v >>> 16) & 0xff; b[this.pos++] = (v >>> 8) & 0xff; b[this.pos++] = v & 0xff;
  }
  i32(v: number): void { this.u32((v ^ 0x80000000) >>> 0); }
  i16(v: number): void { this.ensure(2); const u = (v + 0x8000) & 0xffff; this.buf[this.pos++] = u >> 8; this.buf[this.pos++] = u & 0xff; }
  i64(v: bigint): void {
    const u = BigInt.asUintN(64, v) ^ 0x8000000000000000n;
    this.u32(Number(u >> 32n));
    this.u32(Number(u & 0xffffffffn));
  }
  f64(v: number): void {
    this.ensure(8);
    if (v === 0) v = 0;
    if (Number.isNaN(v)) v = NaN;
    const dv = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8);
    dv.setFloat64(0, v);
    if ((this.buf[this.pos]! & 0x80) !== 0) {
      for (let i = 0; i < 8; i++) this.buf[this.pos + i] = ~this.buf[this.pos + i]! & 0xff;
    } else {
      this.buf[this.pos]! ^= 0x80;
    }
    this.pos += 8;
  }
  /** Escaped bytes: 0x00 → 00 FF, terminated by 00 01. */
  bytes(b: Uint8Array): void {
    this.ensure(b.length * 2 + 2);
    for (let i = 0; i < b.length; i++) {
      const x = b[i]!;
      this.buf[this.pos++] = x;
      if (x === 0) this.buf[this.pos++] = 0xff;
    }
    this.buf[this.pos++] = 0;
    this.buf[this.pos++] = 1;
  }
  text(s: string): void {
    let ascii = true;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 0 || c >= 0x80) { ascii = false; break; }
    }
    if (!ascii) { this.bytes(enc.encode(s)); return; }
    this.ensure(s.length + 2);
    for (let i = 0; i < s.length; i++) this.buf[this.pos++] = s.charCodeAt(i);
    this.buf[this.pos++] = 0;
    this.buf[this.pos++] = 1;
  }
  invertFrom(start: number): void {
    for (let i = start; i < this.pos; i++) this.buf[i] = ~this.buf[i]! & 0xff;
  }
}

// numeric tags
const N_NEG_INF = 0x10, N_NEG = 0x11, N_ZERO = 0x14, N_POS = 0x17, N_POS_INF = 0x1e, N_NAN = 0x1f;

function writeNumeric(w: KeyWriter, n: Numeric): void {
  if (n.isNaN()) { w.byte(N_NAN); return; }
  if (n.isInfinite()) { w.byte(n.sign() > 0 ? N_POS_INF : N_NEG_INF); return; }
  if (n.coef === 0n) { w.byte(N_ZERO); return; }
  const neg = n.coef < 0n;
  let digits = (neg ? -n.coef : n.coef).toString();
  // value = 0.digits x 10^exp
  const exp = digits.length - n.scale;
  let end = digits.length;
  while (end > 1 && digits.charCodeAt(end - 1) === 48) end--;
  digits = digits.slice(0, end);
  w.byte(neg ? N_NEG : N_POS);
  const start = w.pos;
  w.i32(exp);
  w.ensure((digits.length >> 1) + 2);
  for (let i = 0; i < digits.length; i += 2) {
    const d1 = digits.charCodeAt(i) - 48;
    const d2 = i + 1 < digits.length ? digits.charCodeAt(i + 1) - 48 : 0;
    w.buf[w.pos++] = 1 + d1 * 10 + d2;
  }
  w.buf[w.pos++] = 0;
  if (neg) w.invertFrom(start);
}


function writeJson(w: KeyWriter, v: JsonValue, top = false): void {
  if (top && Array.isArray(v) && v.length !== 1) {
    // top level: scalars are one-element raw arrays, so element count decides against arrays
    if (v.length === 0) { w.byte(0x0f); return; }
  }
  if (top && Array.isArray(v) && v.length === 1) {
    // a one-element array sorts after every scalar, before two-element arrays
    w.byte(0x14); w.u32(1); writeJson(w, v[0]!); return;
  }
  if (top && !Array.isArray(v) && !(v instanceof Map)) {
    // raw scalar: between empty and one-element arrays
    w.byte(0x13); writeJsonScalar(w, v); return;
  }
  if (v === null) { w.byte(0x10); return; }
  if (typeof v === 'string') { w.byte(0x11); w.text(v); return; }
  if (v instanceof Numeric) { w.byte(0x12); writeNumeric(w, v); return; }
  if (typeof v === 'boolean') { w.byte(0x13); w.byte(v ? 1 : 0); return; }
  if (Array.isArray(v)) {
    w.byte(0x14); w.u32(v.length);
    for (const x of v) writeJson(w, x);
    return;
  }
  w.byte(0x15); w.u32(v.size);
  const keys = [...v.keys()].sort(compareJsonbKeys);
  for (const k of keys) {
    w.text(k);
    writeJson(w, v.get(k)!);
  }
}

function writeJsonScalar(w: KeyWriter, v: null | boolean | string | Numeric): void {
  if (v === null) { w.byte(0x10); return; }
  if (typeof v === 'string') { w.byte(0x11); w.text(v); return; }
  if (v instanceof Numeric) { w.byte(0x12); writeNumeric(w, v); return; }
  w.byte(0x13); w.byte(v ? 1 : 0);
}

const f32 = new Float32Array(1);
const f32bits = new Uint32Array(f32.buffer);

/** float4 bits made order-preserving as unsigned (-0 taken as 0). */
function sortableF32(v: number): number {
  f32[0] = v === 0 ? 0 : v;
  const b = f32bits[0]!;
  return (b & 0x80000000) !== 0 ? ~b >>> 0 : (b | 0x80000000) >>> 0;
}

function fromSortableF32(u: number): number {
  f32bits[0] = (u & 0x80000000) !== 0 ? (u & 0x7fffffff) >>> 0 : ~u >>> 0;
  return f32[0]!;
}

/** binary16 bits made order-preserving as unsigned (-0 taken as 0). */
function sortableHalf(v: number): number {
  const b = halfToBits(v === 0 ? 0 : v);
  return (b & 0x8000) !== 0 ? ~b & 0xffff : b | 0x8000;
}

function fromSortableHalf(u: number): number {
  return halfFromBits((u & 0x8000) !== 0 ? u & 0x7fff : ~u & 0xffff);
}

// sparsevec entry tags: negative values and the end (ordered by position), then positive values
const SV_NEG_OR_END = 0x01;
const SV_POS = 0x03;

/**
 * A sparsevec as a sequence matching the dense comparison: a negative value at index i sorts by
 * (NEG, 2i+1, value), the end by (NEG, 2*dim) — so a vector that ends before index i of a
 * negative entry is greater, and one that ends after is smaller — and a positive value by
 * (POS, ~i, value): an earlier positive element makes a vector greater.
 */
function writeSparsevec(w: KeyWriter, v: SparseVec): void {
  for (let i = 0; i < v.indices.length; i++) {
    const x = v.values[i]!;
    if (x < 0) { w.byte(SV_NEG_OR_END); w.u32(2 * v.indices[i]! + 1); }
    else { w.byte(SV_POS); w.u32((0xffffffff - v.indices[i]!) >>> 0); }
    w.u32(sortableF32(x));
  }
  w.byte(SV_NEG_OR_END);
  w.u32(2 * v.dim);
}

function writeValue(w: KeyWriter, oid: number, d: Datum): void {
  switch (oid) {
    case OID.vector: {
      const v = d as Float32Array;
      for (let i = 0; i < v.length; i++) { w.byte(0x01); w.u32(sortableF32(v[i]!)); }
      w.byte(0x00);
      return;
    }
    case OID.halfvec: {
      const v = d as Float32Array;
      w.ensure(v.length * 3 + 1);
      for (let i = 0; i < v.length; i++) {
        const u = sortableHalf(v[i]!);
        w.buf[w.pos++] = 0x01; w.buf[w.pos++] = u >> 8; w.buf[w.pos++] = u & 0xff;
      }
      w.buf[w.pos++] = 0x00;
      return;
    }
    case OID.sparsevec: writeSparsevec(w, d as SparseVec); return;
    case OID.bit: case OID.varbit: {
      // bitcmp: bytes over the shorter byte length, then the bit length
      const b = d as BitString;
      w.bytes(b.bytes);
      w.u32(b.length);
      return;
    }
    case OID.bool: w.byte(d ? 1 : 0); return;
    case OID.int2: w.i16(d as number); return;
    case OID.int4: w.i32(d as number); return;
    case OID.oid: case OID.regclass: case OID.regtype: case OID.regproc: case OID.regnamespace: w.u32(d as number); return;
    case OID.int8: case OID.timestamp: case OID.timestamptz: w.i64(d as bigint); return;
    case OID.float4: case OID.float8: w.f64(d as number); return;
    case OID.date: {
      const v = d as number;
      w.i32(v === Infinity ? 2147483647 : v === -Infinity ? -2147483648 : v);
      return;
    }
    case OID.time: w.i64(BigInt(d as number)); return;
    case OID.text: case OID.varchar: case OID.name: case OID.json: case OID.unknown: case OID.cstring:
      w.text(d as string); return;
    case OID.bpchar: {
      const s = d as string;
      let e = s.length;
      while (e > 0 && s.charCodeAt(e - 1) === 32) e--;
      w.text(e === s.length ? s : s.slice(0, e));
      return;
    }
    case OID.char: {
      const s = d as string;
      w.byte(s.length === 0 ? 0 : s.charCodeAt(0) & 0xff);
      return;
    }
    case OID.bytea: w.bytes(d as Uint8Array); return;
    case OID.uuid: { w.ensure(16); w.buf.set(uuidToBytes(d as string), w.pos); w.pos += 16; return; }
    case OID.numeric: writeNumeric(w, d as Numeric); return;
    case OID.interval: {
      // 128-bit span, sign-flipped big-endian
      const span = (d as Interval).span();
      const u = BigInt.asUintN(128, span) ^ (1n << 127n);
      for (let shift = 96n; shift >= 0n; shift -= 32n) w.u32(Number((u >> shift) & 0xffffffffn));
      return;
    }
    case OID.jsonb: writeJson(w, parseJson(d as string, 'jsonb'), true); return;
  }
  const elem = oid === OID.int2vector ? OID.int2 : oid === OID.oidvector ? OID.oid : elementTypeOf(oid);
  if (elem !== 0) {
    const a = d as SqlArray;
    for (const x of a.items) {
      if (x === null) { w.byte(0x02); continue; }
      w.byte(0x01);
      writeValue(w, elem, x);
    }
    w.byte(0x00);
    w.u32(a.items.length);
    w.u32(a.dims.length);
    for (const x of a.dims) w.u32(x);
    for (const x of a.lbounds) w.i32(x);
    return;
  }
  throw notSupported(`index keys of type ${oid}`);
}

const writer = new KeyWriter();

/**
 * Encodes a tuple as an order-preserving key. descending[i] reverses column i; nullsFirst[i]
 * defaults to descending[i] (PostgreSQL's default).
 */
export function encodeKeyDatums(types: readonly SqlType[], values: readonly Datum[], descending?: readonly boolean[], nullsFirst?: readonly boolean[]): Uint8Array {
  const w = writer;
  w.pos = 0;
  for (let i = 0; i < types.length; i++) {
    const d = values[i] ?? null;
    const desc = descending?.[i] ?? false;
    const nf = nullsFirst?.[i] ?? desc;
    if (d === null) { w.byte(nf ? NULL_FIRST : NULL_LAST); continue; }
    w.byte(VALUE);
    const start = w.pos;
    writeValue(w, types[i]!.oid, d);
    if (desc) w.invertFrom(start);
  }
  return w.buf.slice(0, w.pos);
}

/**
 * prefix followed by the ascending key (NULLs last) of row's columns at positions, as a new
 * Buffer: encodeKeyDatums for storage keys, with no intermediate copies.
 */
export function encodePrefixedKey(prefix: Uint8Array, types: readonly SqlType[], row: readonly Datum[], positions: readonly number[]): Buffer {
  if (positions.length === 1 && types[0]!.oid === OID.int4) {
    // the common integer primary key, written directly: VALUE, then the sign-flipped big-endian int
    const d = row[positions[0]!];
    if (typeof d === 'number') {
      const n = prefix.length;
      const out = Buffer.allocUnsafe(n + 5);
      out.set(prefix, 0);
      out[n] = VALUE;
      out.writeUInt32BE((d ^ 0x80000000) >>> 0, n + 1);
      return out;
    }
  }
  const w = writer;
  w.pos = 0;
  w.ensure(prefix.length);
  w.buf.set(prefix, 0);
  w.pos = prefix.length;
  for (let i = 0; i < positions.length; i++) {
    const d = row[positions[i]!] ?? null;
    if (d === null) { w.byte(NULL_LAST); continue; }
    w.byte(VALUE);
    writeValue(w, types[i]!.oid, d);
  }
  const out = Buffer.allocUnsafe(w.pos);
  out.set(w.buf.subarray(0, w.pos), 0);
  return out;
}

// ---------------------------------------------------------------- decoding

class KeyReader {
  pos = 0;
  constructor(readonly b: Uint8Array, readonly invert: boolean) {}
  byte(): number {
    const x = this.b[this.pos++];
    if (x === undefined) throw new SqlError(SQLSTATE.DATA_CORRUPTED, 'invalid index key');
    return this.invert ? ~x & 0xff : x;
  }
  u32(): number { return ((this.byte() << 24) | (this.byte() << 16) | (this.byte() << 8) | this.byte()) >>> 0; }
  i32(): number { return (this.u32() ^ 0x80000000) | 0; }
  i16(): number { return ((this.byte() << 8) | this.byte()) - 0x8000; }
  i64(): bigint {
    const hi = BigInt(this.u32());
    const lo = BigInt(this.u32());
    return BigInt.asIntN(64, ((hi << 32n) | lo) ^ 0x8000000000000000n);
  }
  f64(): number {
    const tmp = new Uint8Array(8);
    for (let i = 0; i < 8; i++) tmp[i] = this.byte();
    if ((tmp[0]! & 0x80) !== 0) tmp[0]! ^= 0x80;
    else for (let i = 0; i < 8; i++) tmp[i] = ~tmp[i]! & 0xff;
    return new DataView(tmp.buffer).getFloat64(0);
  }
  bytes(): Uint8Array {
    const out: number[] = [];
    for (;;) {
      const x = this.byte();
      if (x !== 0) { out.push(x); continue; }
      const y = this.byte();
      if (y === 0xff) { out.push(0); continue; }
      if (y === 1) return Uint8Array.from(out);
      throw new SqlError(SQLSTATE.DATA_CORRUPTED, 'invalid index key');
    }
  }
}

function readNumeric(r: KeyReader): Numeric {
  const tag = r.byte();
  switch (tag) {
    case N_NAN: return Numeric.NaN;
    case N_POS_INF: return Numeric.POS_INF;
    case N_NEG_INF: return Numeric.NEG_INF;
    case N_ZERO: return Numeric.ZERO;
  }
  const neg = tag === N_NEG;
  const inner = new KeyReader(r.b, r.invert !== neg);
  inner.pos = r.pos;
  const exp = inner.i32();
  let digits = '';
  for (;;) {
    const x = inner.byte();
    if (x === 0) break;
    const v = x - 1;
    digits += String(Math.floor(v / 10)) + String(v % 10);
  }
  r.pos = inner.pos;
  let end = digits.length;
  while (end > 1 && digits.charCodeAt(end - 1) === 48) end--;
  digits = digits.slice(0, end);
  const scale = digits.length - exp;
  let coef = BigInt(digits);
  let n: Numeric;
  if (scale >= 0) n = Numeric.of(coef, scale);
  else { coef *= pow10(-scale); n = Numeric.of(coef, 0); }
  return neg ? n.neg() : n;
}

function readSparsevec(r: KeyReader): SparseVec {
  const indices: number[] = [];
  const values: number[] = [];
  for (;;) {
    const tag = r.byte();
    const p = r.u32();
    if (tag === SV_NEG_OR_END && (p & 1) === 0) {
      return { kind: 'sparsevec', dim: p / 2, indices: Int32Array.from(indices), values: Float32Array.from(values) };
    }
    if (tag === SV_NEG_OR_END) indices.push((p - 1) / 2);
    else if (tag === SV_POS) indices.push(0xffffffff - p);
    else throw new SqlError(SQLSTATE.DATA_CORRUPTED, 'invalid index key');
    values.push(fromSortableF32(r.u32()));
  }
}

function readValue(r: KeyReader, oid: number): Datum {
  switch (oid) {
    case OID.vector: case OID.halfvec: {
      const out: number[] = [];
      for (;;) {
        const m = r.byte();
        if (m === 0x00) return Float32Array.from(out);
        if (m !== 0x01) throw new SqlError(SQLSTATE.DATA_CORRUPTED, 'invalid index key');
        out.push(oid === OID.vector ? fromSortableF32(r.u32()) : fromSortableHalf((r.byte() << 8) | r.byte()));
      }
    }
    case OID.sparsevec: return readSparsevec(r);
    case OID.bit: case OID.varbit: {
      const bytes = r.bytes();
      return { kind: 'bit', length: r.u32(), bytes };
    }
    case OID.bool: return r.byte() !== 0;
    case OID.int2: return r.i16();
    case OID.int4: return r.i32();
    case OID.oid: case OID.regclass: case OID.regtype: case OID.regproc: case OID.regnamespace: return r.u32();
    case OID.int8: case OID.timestamp: case OID.timestamptz: return r.i64();
    case OID.float4: case OID.float8: return r.f64();
    case OID.date: { const v = r.i32(); return v === 2147483647 ? Infinity : v === -2147483648 ? -Infinity : v; }
    case OID.time: return Number(r.i64());
    case OID.text: case OID.varchar: case OID.name: case OID.json: case OID.unknown: case OID.cstring: case OID.bpchar:
      return dec.decode(r.bytes());
    case OID.char: { const c = r.byte(); return c === 0 ? '' : String.fromCharCode(c); }
    case OID.bytea: return r.bytes();
    case OID.uuid: { const b = new Uint8Array(16); for (let i = 0; i < 16; i++) b[i] = r.byte(); return uuidFromBytes(b); }
    case OID.numeric: return readNumeric(r);
  }
  throw notSupported(`decoding index keys of type ${oid}`);
}

/**
 * Decodes a key written by encodeKeyDatums with the same types and directions. Lossy types come
 * back as an equal value (numeric without its display scale, bpchar without trailing spaces);
 * interval, jsonb and array keys cannot be decoded (0A000).
 */
export function decodeKeyDatums(types: readonly SqlType[], key: Uint8Array, descending?: readonly boolean[]): Datum[] {
  const out: Datum[] = [];
  let pos = 0;
  for (let i = 0; i < types.length; i++) {
    const marker = key[pos++];
    if (marker === NULL_FIRST || marker === NULL_LAST) { out.push(null); continue; }
    if (marker !== VALUE) throw new SqlError(SQLSTATE.DATA_CORRUPTED, 'invalid index key');
    const r = new KeyReader(key, descending?.[i] ?? false);
    r.pos = pos;
    out.push(readValue(r, types[i]!.oid));
    pos = r.pos;
  }
  return out;
}
