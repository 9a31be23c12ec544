// The storage row format: [version 1][varint column count][null bitmap][non-null values], each
// fixed-width (bool, ints, floats, dates, timestamps, interval, uuid), varint-length-prefixed (text,
// bytea, numeric, arrays, bit strings) or a varint count of raw little-endian elements (vector
// float4s, halfvec binary16s, sparsevec int32 indices + float4s). Exact round trip of every datum;
// missing trailing columns (rows written before ALTER TABLE ADD COLUMN) decode as NULL.
import { SqlError, SQLSTATE } from '../../base/index.js';
import type { Datum, SqlArray, SqlType } from './datum.js';
import { OID } from './oids.js';
import { Numeric } from './numeric.js';
import { Interval } from './interval.js';
import { uuidFromBytes, uuidToBytes } from './scalar-io.js';
import { binaryIn, binaryOut } from './binary-io.js';
import { halfToBits, halfFromBits } from '../../vector/index.js';
import type { BitString, SparseVec } from './vector-datum.js';

const VERSION = 1;
const enc = new TextEncoder();
const dec = new TextDecoder();

// value kinds
const K_BOOL = 1, K_I16 = 2, K_I32 = 3, K_U32 = 4, K_I64 = 5, K_F32 = 6, K_F64 = 7, K_TEXT = 8,
  K_BYTES = 9, K_NUMERIC = 10, K_DATE = 11, K_TIME = 12, K_INTERVAL = 13, K_UUID = 14, K_ARRAY = 15, K_CHAR = 16,
  K_VECTOR = 17, K_HALFVEC = 18, K_SPARSEVEC = 19, K_BITS = 20;

function kindOf(oid: number): number {
  switch (oid) {
    case OID.bool: return K_BOOL;
    case OID.int2: return K_I16;
    case OID.int4: return K_I32;
    case OID.oid: case OID.regclass: case OID.regtype: case OID.regproc: case OID.regnamespace: return K_U32;
    case OID.int8: case OID.timestamp: case OID.timestamptz: return K_I64;
    case OID.float4: return K_F32;
    case OID.float8: return K_F64;
    case OID.text: case OID.varchar: case OID.bpchar: case OID.name: case OID.json: case OID.jsonb:
    case OID.unknown: case OID.cstring:
      return K_TEXT;
    case OID.char: return K_CHAR;
    case OID.bytea: return K_BYTES;
    case OID.numeric: return K_NUMERIC;
    case OID.date: return K_DATE;
    case OID.time: return K_TIME;
    case OID.interval: return K_INTERVAL;
    case OID.uuid: return K_UUID;
    case OID.vector: return K_VECTOR;
    case OID.halfvec: return K_HALFVEC;
    case OID.sparsevec: return K_SPARSEVEC;
    case OID.bit: case OID.varbit: return K_BITS;
  }
  return K_ARRAY;
}

// ---------------------------------------------------------------- writer

let buf = new Uint8Array(256);
let dv = new DataView(buf.buffer);
let pos = 0;

function ensure(n: number): void {
  if (pos + n <= buf.length) return;
  let size = buf.length * 2;
  while (size < pos + n) size *= 2;
  const nb = new Uint8Array(size);
  nb.set(buf.subarray(0, pos));
  buf = nb;
  dv = new DataView(buf.buffer);
}

function varintSize(n: number): number {
  let s = 1;
  while (n >= 0x80) { n = Math.floor(n / 128); s++; }
  return s;
}

function writeVarint(n: number): void {
  ensure(5);
  while (n >= 0x80) { buf[pos++] = (n & 0x7f) | 0x80; n = Math.floor(n / 128); }
  buf[pos++] = n;
}

function writeBytes(b: Uint8Array): void {
  writeVarint(b.length);
  ensure(b.length);
  buf.set(b, pos);
  pos += b.length;
}

function writeText(s: string): void {
  const max = s.length * 3;
  const reserve = varintSize(max);
  ensure(reserve + max);
  const start = pos + reserve;
  let n: number;
  // ASCII fast path for short strings; longer ones go straight to the native encoder
  let ascii = s.length <= 32;
  for (let i = 0; ascii && i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) { ascii = false; break; }
    buf[start + i] = c;
  }
  if (ascii) n = s.length;
  else n = enc.encodeInto(s, buf.subarray(start)).written;
  const need = varintSize(n);
  if (need < reserve) buf.copyWithin(pos + need, start, start + n);
  writeVarint(n);
  pos += n;
}

function writeValue(kind: number, d: Datum, type: SqlType): void {
  switch (kind) {
    case K_BOOL: ensure(1); buf[pos++] = d ? 1 : 0; return;
    case K_I16: ensure(2); dv.setInt16(pos, d as number); pos += 2; return;
    case K_I32: ensure(4); dv.setInt32(pos, d as number); pos += 4; return;
    case K_U32: ensure(4); dv.setUint32(pos, d as number); pos += 4; return;
    case K_I64: ensure(8); dv.setBigInt64(pos, d as bigint); pos += 8; return;
    case K_F32: ensure(4); dv.setFloat32(pos, d as number); pos += 4; return;
    case K_F64: ensure(8); dv.setFloat64(pos, d as number); pos += 8; return;
    case K_TEXT: case K_CHAR: writeText(d as string); return;
    case K_BYTES: writeBytes(d as Uint8Array); return;
    case K_NUMERIC: {
      const n = d as Numeric;
      ensure(1);
      if (!n.isFinite()) { buf[pos++] = n.isNaN() ? 1 : n.sign() > 0 ? 2 : 3; return; }
      const neg = n.coef < 0n;
      const a = neg ? -n.coef : n.coef;
      const big = a > 0xffffffffffffn;
      buf[pos++] = big ? (neg ? 7 : 6) : (neg ? 5 : 4);
      writeVarint(n.scale);
      if (!big) writeVarint(Number(a));
      else writeText(a.toString(16));
      return;
    }
    case K_DATE: {
      const v = d as number;
      ensure(4);
      dv.setInt32(pos, v === Infinity ? 2147483647 : v === -Infinity ? -2147483648 : v);
      pos += 4;
      return;
    }
    case K_TIME: ensure(8); dv.setFloat64(pos, d as number); pos += 8; return;
    case K_INTERVAL: {
      const iv = d as Interval;
      ensure(16);
      dv.setInt32(pos, iv.months); dv.setInt32(pos + 4, iv.days); dv.setBigInt64(pos + 8, iv.micros);
      pos += 16;
      return;
    }
    case K_UUID: ensure(16); buf.set(uuidToBytes(d as string), pos); pos += 16; return;
    case K_VECTOR: {
      const v = d as Float32Array;
      writeVarint(v.length);
      ensure(4 * v.length);
      for (let i = 0; i < v.length; i++) dv.setFloat32(pos + 4 * i, v[i]!, true);
      pos += 4 * v.length;
      return;
    }
    case K_HALFVEC: {
      const v = d as Float32Array;
      writeVarint(v.length);
      ensure(2 * v.length);
      for (let i = 0; i < v.length; i++) dv.setUint16(pos + 2 * i, halfToBits(v[i]!), true);
      pos += 2 * v.length;
      return;
    }
    case K_SPARSEVEC: {
      const v = d as SparseVec;
      const nnz = v.indices.length;
      writeVarint(v.dim);
      writeVarint(nnz);
      ensure(8 * nnz);
      for (let i = 0; i < nnz; i++) dv.setInt32(pos + 4 * i, v.indices[i]!, true);
      for (let i = 0; i < nnz; i++) dv.setFloat32(pos + 4 * nnz + 4 * i, v.values[i]!, true);
      pos += 8 * nnz;
      return;
    }
    case K_BITS: {
      const b = d as BitString;
      writeVarint(b.length);
      ensure(b.bytes.length);
      buf.set(b.bytes, pos);
      pos += b.bytes.length;
      return;
    }
    default: writeBytes(binaryOut({ oid: type.oid, typmod: -1 }, d as SqlArray)); return;
  }
}

/** Value kinds per column list (row layouts are long-lived arrays). */
const kindsCache = new WeakMap<readonly SqlType[], Uint8Array>();

function kindsOf(types: readonly SqlType[]): Uint8Array {
  let k = kindsCache.get(types);
  if (k === undefined) {
    k = Uint8Array.from(types, (t) => kindOf(t.oid));
    kindsCache.set(types, k);
  }
  return k;
}

/** Encodes one row into the shared scratch buffer; returns its length. */
function encodeInto(types: readonly SqlType[], values: readonly Datum[]): number {
  const n = types.length;
  const kinds = kindsOf(types);
  pos = 0;
  ensure(8 + (n >> 3));
  buf[pos++] = VERSION;
  writeVarint(n);
  const bitmapAt = pos;
  const bitmapLen = (n + 7) >> 3;
  ensure(bitmapLen);
  buf.fill(0, pos, pos + bitmapLen);
  pos += bitmapLen;
  for (let i = 0; i < n; i++) {
    const d = values[i];
    if (d === null || d === undefined) {
      buf[bitmapAt + (i >> 3)]! |= 1 << (i & 7);
      continue;
    }
    writeValue(kinds[i]!, d, types[i]!);
  }
  return pos;
}

/** Encodes one row. values.length must equal types.length. */
export function encodeRow(types: readonly SqlType[], values: readonly Datum[]): Uint8Array {
  const n = encodeInto(types, values);
  // A Buffer copy: small ones come from Node's shared pool instead of an ArrayBuffer each.
  const out = Buffer.allocUnsafe(n);
  out.set(buf.subarray(0, n), 0);
  return out;
}

/**
 * encodeRow into a view of a scratch buffer that the next encoding overwrites: for callers that
 * copy the bytes at once (appending them to a packed run), saving an allocation and a copy.
 */
export function encodeRowTransient(types: readonly SqlType[], values: readonly Datum[]): Uint8Array {
  // encodeInto may replace buf (growing it): read buf only after it ran
  const n = encodeInto(types, values);
  return buf.subarray(0, n);
}

// ---------------------------------------------------------------- reader

let rb: Uint8Array = new Uint8Array(0);
let rp = 0;
// scratch for 8-byte reads without a DataView per row (little-endian host assumed for the typed arrays)
const scratch = new Uint8Array(8);
const scratchF64 = new Float64Array(scratch.buffer);
const scratchF32 = new Float32Array(scratch.buffer, 0, 1);
const scratchI64 = new BigInt64Array(scratch.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function rd8(): void {
  const b = rb;
  const p = rp;
  if (p + 8 > b.length) throw corrupt();
  if (LITTLE_ENDIAN) {
    scratch[0] = b[p + 7]!; scratch[1] = b[p + 6]!; scratch[2] = b[p + 5]!; scratch[3] = b[p + 4]!;
    scratch[4] = b[p + 3]!; scratch[5] = b[p + 2]!; scratch[6] = b[p + 1]!; scratch[7] = b[p]!;
  } else {
    for (let i = 0; i < 8; i++) scratch[i] = b[p + i]!;
  }
  rp = p + 8;
}

function rdI32(): number {
  const b = rb;
  const p = rp;
  if (p + 4 > b.length) throw corrupt();
  rp = p + 4;
  return (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
}

function corrupt(): SqlError {
  return new SqlError(SQLSTATE.DATA_CORRUPTED, 'invalid stored row');
}

function readVarint(): number {
  let r = 0;
  let mul = 1;
  for (;;) {
    const b = rb[rp++];
    if (b === undefined) throw corrupt();
    r += (b & 0x7f) * mul;
    if (b < 0x80) return r;
    mul *= 128;
  }
}

function readText(): string {
  const n = readVarint();
  const end = rp + n;
  if (end > rb.length) throw corrupt();
  if (n <= 24) {
    let s = '';
    let i = rp;
    for (; i < end; i++) {
      const c = rb[i]!;
      if (c >= 0x80) break;
      s += String.fromCharCode(c);
    }
    if (i === end) { rp = end; return s; }
  }
  const s = dec.decode(rb.subarray(rp, end));
  rp = end;
  return s;
}

function readValue(kind: number, type: SqlType): Datum {
  let v: Datum;
  switch (kind) {
    case K_BOOL: return rb[rp++] !== 0;
    case K_I16: { const x = rdI32Part16(); return x; }
    case K_I32: return rdI32();
    case K_U32: return rdI32() >>> 0;
    case K_I64: rd8(); return scratchI64[0]!;
    case K_F32: {
      const x = rdI32();
      if (LITTLE_ENDIAN) { scratch[0] = x & 0xff; scratch[1] = (x >>> 8) & 0xff; scratch[2] = (x >>> 16) & 0xff; scratch[3] = x >>> 24; }
      else { scratch[3] = x & 0xff; scratch[2] = (x >>> 8) & 0xff; scratch[1] = (x >>> 16) & 0xff; scratch[0] = x >>> 24; }
      return scratchF32[0]!;
    }
    case K_F64: rd8(); return scratchF64[0]!;
    case K_TEXT: case K_CHAR: return readText();
    case K_BYTES: {
      const n = readVarint();
      if (rp + n > rb.length) throw corrupt();
      const b = copyBytes(rp, rp + n);
      rp += n;
      return b;
    }
    case K_NUMERIC: {
      const tag = rb[rp++];
      switch (tag) {
        case 1: return Numeric.NaN;
        case 2: return Numeric.POS_INF;
        case 3: return Numeric.NEG_INF;
        case 4: case 5: {
          const scale = readVarint();
          const c = BigInt(readVarint());
          return Numeric.of(tag === 5 ? -c : c, scale);
        }
        case 6: case 7: {
          const scale = readVarint();
          const c = BigInt('0x' + readText());
          return Numeric.of(tag === 7 ? -c : c, scale);
        }
      }
      throw corrupt();
    }
    case K_DATE: {
      const d = rdI32();
      return d === 2147483647 ? Infinity : d === -2147483648 ? -Infinity : d;
    }
    case K_TIME: rd8(); return scratchF64[0]!;
    case K_INTERVAL: {
      const months = rdI32();
      const days = rdI32();
      rd8();
      return new Interval(months, days, scratchI64[0]!);
    }
    case K_UUID: v = uuidFromBytes(rb.subarray(rp, rp + 16)); rp += 16; return v;
    case K_VECTOR: case K_HALFVEC: {
      const dim = readVarint();
      const width = kind === K_VECTOR ? 4 : 2;
      if (rp + width * dim > rb.length) throw corrupt();
      const out = new Float32Array(dim);
      const dvr = new DataView(rb.buffer, rb.byteOffset + rp, width * dim);
      if (kind === K_VECTOR) {
        if (LITTLE_ENDIAN) new Uint8Array(out.buffer).set(rb.subarray(rp, rp + 4 * dim));
        else for (let i = 0; i < dim; i++) out[i] = dvr.getFloat32(4 * i, true);
      } else {
        for (let i = 0; i < dim; i++) out[i] = halfFromBits(dvr.getUint16(2 * i, true));
      }
      rp += width * dim;
      return out;
    }
    case K_SPARSEVEC: {
      const dim = readVarint();
      const nnz = readVarint();
      if (rp + 8 * nnz > rb.length) throw corrupt();
      const dvr = new DataView(rb.buffer, rb.byteOffset + rp, 8 * nnz);
      const indices = new Int32Array(nnz);
      const values = new Float32Array(nnz);
      for (let i = 0; i < nnz; i++) indices[i] = dvr.getInt32(4 * i, true);
      for (let i = 0; i < nnz; i++) values[i] = dvr.getFloat32(4 * nnz + 4 * i, true);
      rp += 8 * nnz;
      const sv: SparseVec = { kind: 'sparsevec', dim, indices, values };
      return sv;
    }
    case K_BITS: {
      const length = readVarint();
      const n = (length + 7) >> 3;
      if (rp + n > rb.length) throw corrupt();
      const bits: BitString = { kind: 'bit', length, bytes: copyBytes(rp, rp + n) };
      rp += n;
      return bits;
    }
    default: {
      const n = readVarint();
      if (rp + n > rb.length) throw corrupt();
      const a = binaryIn({ oid: type.oid, typmod: -1 }, rb.subarray(rp, rp + n));
      rp += n;
      return a;
    }
  }
}

function skipValue(kind: number): void {
  switch (kind) {
    case K_BOOL: rp += 1; return;
    case K_I16: rp += 2; return;
    case K_I32: case K_U32: case K_F32: case K_DATE: rp += 4; return;
    case K_I64: case K_F64: case K_TIME: rp += 8; return;
    case K_INTERVAL: case K_UUID: rp += 16; return;
    case K_NUMERIC: {
      const tag = rb[rp++]!;
      if (tag >= 4) {
        readVarint();
        if (tag <= 5) readVarint();
        else { const n = readVarint(); rp += n; }
      }
      return;
    }
    case K_VECTOR: { const n = readVarint(); rp += 4 * n; return; }
    case K_HALFVEC: { const n = readVarint(); rp += 2 * n; return; }
    case K_SPARSEVEC: { readVarint(); const n = readVarint(); rp += 8 * n; return; }
    case K_BITS: { const n = readVarint(); rp += (n + 7) >> 3; return; }
    default: { const n = readVarint(); rp += n; }
  }
}

function rdI32Part16(): number {
  const b = rb;
  const p = rp;
  if (p + 2 > b.length) throw corrupt();
  rp = p + 2;
  return ((b[p]! << 24) | (b[p + 1]! << 16)) >> 16;
}

function begin(bytes: Uint8Array): number {
  rb = bytes;
  rp = 0;
  if (rb[rp++] !== VERSION) throw corrupt();
  return readVarint();
}

/** Decodes a whole row; columns missing from the stored row decode as NULL. */
export function decodeRow(types: readonly SqlType[], bytes: Uint8Array): Datum[] {
  const stored = begin(bytes);
  const n = types.length;
  const out: Datum[] = new Array<Datum>(n);
  const bitmapAt = rp;
  rp += (stored + 7) >> 3;
  const m = stored < n ? stored : n;
  for (let i = 0; i < m; i++) {
    if ((rb[bitmapAt + (i >> 3)]! & (1 << (i & 7))) !== 0) { out[i] = null; continue; }
    const t = types[i]!;
    out[i] = readValue(kindOf(t.oid), t);
  }
  for (let i = m; i < n; i++) out[i] = null;
  if (rp > rb.length) throw corrupt();
  return out;
}

/** Decodes only the columns listed in `wanted` (indexes into types), in that order. */
export function decodeColumns(types: readonly SqlType[], bytes: Uint8Array, wanted: readonly number[]): Datum[] {
  const stored = begin(bytes);
  const out: Datum[] = new Array<Datum>(wanted.length).fill(null);
  let maxWanted = -1;
  for (const w of wanted) if (w > maxWanted) maxWanted = w;
  const bitmapAt = rp;
  rp += (stored + 7) >> 3;
  const last = Math.min(maxWanted, stored - 1, types.length - 1);
  const values: Datum[] = new Array<Datum>(last + 1);
  const want = new Uint8Array(last + 1);
  for (const w of wanted) if (w <= last) want[w] = 1;
  for (let i = 0; i <= last; i++) {
    if ((rb[bitmapAt + (i >> 3)]! & (1 << (i & 7))) !== 0) { values[i] = null; continue; }
    const t = types[i]!;
    const k = kindOf(t.oid);
    if (want[i] === 1) values[i] = readValue(k, t);
    else skipValue(k);
  }
  for (let j = 0; j < wanted.length; j++) {
    const w = wanted[j]!;
    out[j] = w <= last ? values[w] ?? null : null;
  }
  if (rp > rb.length) throw corrupt();
  return out;
}

/** A copy of rb[start, end) (Buffer#slice would share the store's memory). */
function copyBytes(start: number, end: number): Uint8Array {
  return Uint8Array.prototype.slice.call(rb, start, end);
}
