// pgvector's vector, halfvec and sparsevec: text input/output, binary send/recv, typmod (dimension)
// checks and the conversions behind their casts, with pgvector 0.8's messages and SQLSTATEs.
// Datum shapes are in vector-datum.ts; halves are rounded with src/vector's toHalf.
import { SqlError, SQLSTATE } from '../../base/index.js';
import { toHalf, halfToBits, halfFromBits } from '../../vector/index.js';
import type { SqlArray } from './datum.js';
import type { SparseVec } from './vector-datum.js';
import { OID } from './oids.js';
import { Numeric } from './numeric.js';
import { float4Out } from './scalar-io.js';
import { isCSpace, scanFloat4, scanLong, scanPlainFloat4, fastScanEnd } from './c-number-parse.js';

export const VECTOR_MAX_DIM = 16000;
export const HALFVEC_MAX_DIM = 16000;
export const SPARSEVEC_MAX_DIM = 1000000000;
export const SPARSEVEC_MAX_NNZ = 16000;

export type VectorKind = 'vector' | 'halfvec' | 'sparsevec';

const MAX_DIM: Record<VectorKind, number> = { vector: VECTOR_MAX_DIM, halfvec: HALFVEC_MAX_DIM, sparsevec: SPARSEVEC_MAX_DIM };

function dataException(msg: string): SqlError {
  return new SqlError(SQLSTATE.DATA_EXCEPTION, msg);
}

function invalidSyntax(kind: VectorKind, lit: string, detail?: string): SqlError {
  return new SqlError(SQLSTATE.INVALID_TEXT_REPRESENTATION, `invalid input syntax for type ${kind}: "${lit}"`, detail !== undefined ? { detail } : {});
}

function outOfRange(kind: VectorKind, token: string): SqlError {
  return new SqlError(SQLSTATE.NUMERIC_VALUE_OUT_OF_RANGE, `"${token}" is out of range for type ${kind}`);
}

/** CheckDim: at least 1 and at most the type's maximum dimensions. */
export function checkDim(kind: VectorKind, dim: number): void {
  if (dim < 1) throw dataException(`${kind} must have at least 1 dimension`);
  if (dim > MAX_DIM[kind]) throw new SqlError(SQLSTATE.PROGRAM_LIMIT_EXCEEDED, `${kind} cannot have more than ${MAX_DIM[kind]} dimensions`);
}

/** CheckExpectedDim: a typmod (>= 0) must equal the dimension count. */
export function checkExpectedDim(typmod: number, dim: number): void {
  if (typmod >= 0 && typmod !== dim) throw dataException(`expected ${typmod} dimensions, not ${dim}`);
}

/** CheckElement: no NaN or infinity in any vector type. */
export function checkElement(kind: VectorKind, v: number): void {
  if (Number.isNaN(v)) throw dataException(`NaN not allowed in ${kind}`);
  if (v === Infinity || v === -Infinity) throw dataException(`infinite value not allowed in ${kind}`);
}

/** Float4ToHalf (checked): a finite float4 that overflows the half range is an error. */
export function float4ToHalfChecked(v: number): number {
  const h = toHalf(v);
  if ((h === Infinity || h === -Infinity) && Number.isFinite(v)) throw outOfRange('halfvec', float4Out(v));
  return h;
}

/** vector_typmod_in / halfvec_typmod_in / sparsevec_typmod_in. */
export function vectorTypmodIn(kind: VectorKind, mods: readonly number[]): number {
  if (mods.length !== 1) throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, 'invalid type modifier');
  const n = mods[0]!;
  if (n < 1) throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, `dimensions for type ${kind} must be at least 1`);
  if (n > MAX_DIM[kind]) throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, `dimensions for type ${kind} cannot exceed ${MAX_DIM[kind]}`);
  return n;
}

function skipSpace(s: string, i: number): number {
  while (i < s.length && isCSpace(s.charCodeAt(i))) i++;
  return i;
}

/** Powers of ten exactly representable as doubles (10^0 .. 10^22). */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const FLT_MAX = 3.4028234663852886e38;
const FLT_MIN_NORMAL = 1.1754943508222875e-38;
const midF64 = new Float64Array(1);
const midU32 = new Uint32Array(midF64.buffer);
const MID_LOW_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
/** Elements of the literal being parsed by fastVectorIn (grown on demand, never shrunk). */
let fastScratch = new Float32Array(256);

/**
 * vector_in for the shape clients send ('[1.5,-0.25,3]': no white space, plain decimals of at
 * most 15 significant digits and 22 fraction digits, normal float4 magnitudes), or undefined to
 * leave the literal to the general parser. Each element is digits / 10^k, which is the correctly
 * rounded double of the decimal (both operands are exact doubles), then rounded to float4 unless
 * that double lies exactly halfway between two float4s (double rounding could differ there).
 */
function fastVectorIn(lit: string, typmod: number): Float32Array | undefined {
  const n = lit.length;
  if (n < 3 || lit.charCodeAt(0) !== 91 || lit.charCodeAt(n - 1) !== 93) return undefined;
  let out = fastScratch;
  let dim = 0;
  let i = 1;
  for (;;) {
    let neg = false;
    let c = lit.charCodeAt(i);
    if (c === 45) { neg = true; c = lit.charCodeAt(++i); }
    let m = 0;
    let digits = 0;
    let frac = 0;
    let seen = false;
    while (c >= 48 && c <= 57) { m = m * 10 + (c - 48); if (m !== 0) digits++; seen = true; c = lit.charCodeAt(++i); }
    if (c === 46) {
      c = lit.charCodeAt(++i);
      while (c >= 48 && c <= 57) { m = m * 10 + (c - 48); if (m !== 0) digits++; frac++; seen = true; c = lit.charCodeAt(++i); }
    }
    if (!seen || digits > 15 || frac > 22 || (c !== 44 && c !== 93)) return undefined;
    const a = m / POW10[frac]!;
    if (a !== 0 && (a < FLT_MIN_NORMAL || a > FLT_MAX)) return undefined;
    midF64[0] = a;
    if ((midU32[MID_LOW_WORD]! & 0x1fffffff) === 0x10000000) return undefined;
    if (dim === out.length) {
      if (dim >= VECTOR_MAX_DIM) return undefined;
      const grown = new Float32Array(Math.min(VECTOR_MAX_DIM, dim * 2));
      grown.set(out);
      fastScratch = out = grown;
    }
    out[dim++] = neg ? -a : a;
    i++;
    if (c === 93) break;
  }
  if (i !== n) return undefined;
  checkExpectedDim(typmod, dim);
  return out.slice(0, dim);
}

/** vector_in / halfvec_in: '[1,2,3]' with white space allowed around brackets and elements. */
export function denseVectorIn(kind: 'vector' | 'halfvec', lit: string, typmod: number): Float32Array {
  if (kind === 'vector') {
    const fast = fastVectorIn(lit, typmod);
    if (fast !== undefined) return fast;
  }
  const max = MAX_DIM[kind];
  const x: number[] = [];
  let pt = skipSpace(lit, 0);
  if (lit[pt] !== '[') throw invalidSyntax(kind, lit, 'Vector contents must start with "[".');
  pt = skipSpace(lit, pt + 1);
  if (lit[pt] === ']') throw dataException(`${kind} must have at least 1 dimension`);
  for (;;) {
    if (x.length === max) throw new SqlError(SQLSTATE.PROGRAM_LIMIT_EXCEEDED, `${kind} cannot have more than ${max} dimensions`);
    pt = skipSpace(lit, pt);
    if (pt >= lit.length) throw invalidSyntax(kind, lit);
    if (kind === 'vector') {
      const fast = scanPlainFloat4(lit, pt);
      if (fast !== undefined) {
        const next = skipSpace(lit, fastScanEnd);
        const c = lit.charCodeAt(next);
        if (c === 44 || c === 93) {
          x.push(fast);
          pt = next + 1;
          if (c === 44) continue;
          break;
        }
        // Anything else after the digits (0x10, inf...): the exact scanner decides.
      }
    }
    const r = scanFloat4(lit, pt);
    if (r === null) throw invalidSyntax(kind, lit);
    let v = r.value;
    if (kind === 'vector') {
      if (r.overflow) throw outOfRange(kind, lit.slice(r.start, r.end));
    } else {
      const h = toHalf(v);
      if (r.overflow || ((h === Infinity || h === -Infinity) && Number.isFinite(v))) throw outOfRange(kind, lit.slice(r.start, r.end));
      v = h;
    }
    checkElement(kind, v);
    x.push(v);
    pt = skipSpace(lit, r.end);
    if (lit[pt] === ',') { pt++; continue; }
    if (lit[pt] === ']') { pt++; break; }
    throw invalidSyntax(kind, lit);
  }
  pt = skipSpace(lit, pt);
  if (pt < lit.length) throw invalidSyntax(kind, lit, 'Junk after closing right brace.');
  checkDim(kind, x.length);
  checkExpectedDim(typmod, x.length);
  return Float32Array.from(x);
}

/** vector_out / halfvec_out: shortest float4 digits of each element (halves widened to float4). */
export function denseVectorOut(v: Float32Array): string {
  let s = '[';
  for (let i = 0; i < v.length; i++) {
    if (i > 0) s += ',';
    s += float4Out(v[i]!, 1);
  }
  return s + ']';
}

const INT_MAX = 2147483647;
const INT_MIN = -2147483648;

/** sparsevec_in: '{1:1.5,3:2}/5' (1-based indices in text; zero values are dropped). */
export function sparsevecIn(lit: string, typmod: number): SparseVec {
  let maxNnz = 1;
  for (let i = 0; i < lit.length; i++) if (lit.charCodeAt(i) === 44) maxNnz++;
  if (maxNnz > SPARSEVEC_MAX_NNZ) {
    throw new SqlError(SQLSTATE.PROGRAM_LIMIT_EXCEEDED, `sparsevec cannot have more than ${SPARSEVEC_MAX_NNZ} non-zero elements`);
  }
  const elements: [number, number][] = [];
  let pt = skipSpace(lit, 0);
  if (lit[pt] !== '{') throw invalidSyntax('sparsevec', lit, 'Vector contents must start with "{".');
  pt = skipSpace(lit, pt + 1);
  if (lit[pt] === '}') pt++;
  else {
    for (;;) {
      pt = skipSpace(lit, pt);
      if (pt >= lit.length) throw invalidSyntax('sparsevec', lit);
      const ir = scanLong(lit, pt);
      if (ir === null) throw invalidSyntax('sparsevec', lit);
      const index = ir.value > INT_MAX ? INT_MAX : ir.value < INT_MIN + 1 ? INT_MIN + 1 : ir.value;
      pt = skipSpace(lit, ir.end);
      if (lit[pt] !== ':') throw invalidSyntax('sparsevec', lit);
      pt = skipSpace(lit, pt + 1);
      const r = scanFloat4(lit, pt);
      if (r === null) throw invalidSyntax('sparsevec', lit);
      if (r.overflow || r.underflowToZero) throw outOfRange('sparsevec', lit.slice(r.start, r.end));
      checkElement('sparsevec', r.value);
      if (r.value !== 0) elements.push([index - 1, r.value]);
      pt = skipSpace(lit, r.end);
      if (lit[pt] === ',') { pt++; continue; }
      if (lit[pt] === '}') { pt++; break; }
      throw invalidSyntax('sparsevec', lit);
    }
  }
  pt = skipSpace(lit, pt);
  if (lit[pt] !== '/') throw invalidSyntax('sparsevec', lit, 'Unexpected end of input.');
  pt = skipSpace(lit, pt + 1);
  const dr = scanLong(lit, pt);
  if (dr === null) throw invalidSyntax('sparsevec', lit);
  const dim = dr.value > INT_MAX ? INT_MAX : dr.value < INT_MIN ? INT_MIN : dr.value;
  pt = skipSpace(lit, dr.end);
  if (pt < lit.length) throw invalidSyntax('sparsevec', lit, 'Junk after closing.');
  checkDim('sparsevec', dim);
  checkExpectedDim(typmod, dim);
  // stable sort by index, as qsort over (index, value) pairs leaves duplicates for CheckIndex
  elements.sort((a, b) => a[0] - b[0]);
  const indices = new Int32Array(elements.length);
  const values = new Float32Array(elements.length);
  for (let i = 0; i < elements.length; i++) {
    indices[i] = elements[i]![0];
    values[i] = elements[i]![1];
    checkIndex(indices, i, dim);
  }
  return { kind: 'sparsevec', dim, indices, values };
}

/** CheckIndex: in bounds, ascending, no duplicates. */
function checkIndex(indices: Int32Array, i: number, dim: number): void {
  const index = indices[i]!;
  if (index < 0 || index >= dim) throw dataException('sparsevec index out of bounds');
  if (i > 0) {
    if (index < indices[i - 1]!) throw dataException('sparsevec indices must be in ascending order');
    if (index === indices[i - 1]!) throw dataException('sparsevec indices must not contain duplicates');
  }
}

/** sparsevec_out: '{index:value,...}/dim' with 1-based indices. */
export function sparsevecOut(v: SparseVec): string {
  let s = '{';
  for (let i = 0; i < v.indices.length; i++) {
    if (i > 0) s += ',';
    s += `${v.indices[i]! + 1}:${float4Out(v.values[i]!, 1)}`;
  }
  return `${s}}/${v.dim}`;
}

// ---------------------------------------------------------------- binary send / recv

function badBinary(msg = 'insufficient data left in message'): SqlError {
  return new SqlError(SQLSTATE.INVALID_BINARY_REPRESENTATION, msg);
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function needExactly(b: Uint8Array, n: number): void {
  if (b.length < n) throw badBinary();
  if (b.length > n) throw badBinary('incorrect binary data format');
}

/** vector_send: int16 dim, int16 unused (0), float4 x dim (big-endian). */
export function vectorSend(v: Float32Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * v.length);
  const dv = view(out);
  dv.setInt16(0, v.length);
  for (let i = 0; i < v.length; i++) dv.setFloat32(4 + 4 * i, v[i]!);
  return out;
}

/** halfvec_send: int16 dim, int16 unused (0), binary16 x dim (big-endian). */
export function halfvecSend(v: Float32Array): Uint8Array {
  const out = new Uint8Array(4 + 2 * v.length);
  const dv = view(out);
  dv.setInt16(0, v.length);
  for (let i = 0; i < v.length; i++) dv.setUint16(4 + 2 * i, halfToBits(v[i]!));
  return out;
}

/** vector_recv / halfvec_recv. */
export function denseVectorRecv(kind: 'vector' | 'halfvec', b: Uint8Array, typmod: number): Float32Array {
  if (b.length < 4) throw badBinary();
  const dv = view(b);
  const dim = dv.getInt16(0);
  const unused = dv.getInt16(2);
  checkDim(kind, dim);
  checkExpectedDim(typmod, dim);
  if (unused !== 0) throw dataException(`expected unused to be 0, not ${unused}`);
  const width = kind === 'vector' ? 4 : 2;
  needExactly(b, 4 + width * dim);
  const out = new Float32Array(dim);
  for (let i = 0; i < dim; i++) {
    const v = kind === 'vector' ? dv.getFloat32(4 + 4 * i) : halfFromBits(dv.getUint16(4 + 2 * i));
    checkElement(kind, v);
    out[i] = v;
  }
  return out;
}

/** sparsevec_send: int32 dim, int32 nnz, int32 unused, int32 indices (0-based), float4 values. */
export function sparsevecSend(v: SparseVec): Uint8Array {
  const nnz = v.indices.length;
  const out = new Uint8Array(12 + 8 * nnz);
  const dv = view(out);
  dv.setInt32(0, v.dim);
  dv.setInt32(4, nnz);
  for (let i = 0; i < nnz; i++) dv.setInt32(12 + 4 * i, v.indices[i]!);
  for (let i = 0; i < nnz; i++) dv.setFloat32(12 + 4 * nnz + 4 * i, v.values[i]!);
  return out;
}

/** sparsevec_recv. */
export function sparsevecRecv(b: Uint8Array, typmod: number): SparseVec {
  if (b.length < 12) throw badBinary();
  const dv = view(b);
  const dim = dv.getInt32(0);
  const nnz = dv.getInt32(4);
  const unused = dv.getInt32(8);
  checkDim('sparsevec', dim);
  if (nnz < 0) throw dataException('sparsevec cannot have negative number of elements');
  if (nnz > SPARSEVEC_MAX_NNZ) throw new SqlError(SQLSTATE.PROGRAM_LIMIT_EXCEEDED, `sparsevec cannot have more than ${SPARSEVEC_MAX_NNZ} non-zero elements`);
  if (nnz > dim) throw new SqlError(SQLSTATE.PROGRAM_LIMIT_EXCEEDED, 'sparsevec cannot have more elements than dimensions');
  checkExpectedDim(typmod, dim);
  if (unused !== 0) throw dataException(`expected unused to be 0, not ${unused}`);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  for (let i = 0; i < nnz; i++) {
    if (b.length < 12 + 4 * (i + 1)) throw badBinary();
    indices[i] = dv.getInt32(12 + 4 * i);
    checkIndex(indices, i, dim);
  }
  const vo = 12 + 4 * nnz;
  for (let i = 0; i < nnz; i++) {
    if (b.length < vo + 4 * (i + 1)) throw badBinary();
    const v = dv.getFloat32(vo + 4 * i);
    checkElement('sparsevec', v);
    if (v === 0) throw dataException('binary representation of sparsevec cannot contain zero values');
    values[i] = v;
  }
  if (b.length > vo + 4 * nnz) throw badBinary('incorrect binary data format');
  return { kind: 'sparsevec', dim, indices, values };
}

// ---------------------------------------------------------------- conversions (casts)

/** vector_to_halfvec: each float4 rounded to a half (finite overflow is an error). */
export function vectorToHalfvec(v: Float32Array, typmod: number): Float32Array {
  checkDim('halfvec', v.length);
  checkExpectedDim(typmod, v.length);
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = float4ToHalfChecked(v[i]!);
  return out;
}

/** halfvec_to_vector. */
export function halfvecToVector(v: Float32Array, typmod: number): Float32Array {
  checkDim('vector', v.length);
  checkExpectedDim(typmod, v.length);
  return v.slice();
}

/** vector_to_sparsevec / halfvec_to_sparsevec: the non-zero elements. */
export function denseToSparsevec(v: Float32Array, typmod: number): SparseVec {
  checkDim('sparsevec', v.length);
  checkExpectedDim(typmod, v.length);
  let nnz = 0;
  for (let i = 0; i < v.length; i++) if (v[i] !== 0) nnz++;
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  let j = 0;
  for (let i = 0; i < v.length; i++) {
    if (v[i] === 0) continue;
    indices[j] = i;
    values[j] = v[i]!;
    j++;
  }
  return { kind: 'sparsevec', dim: v.length, indices, values };
}

/** sparsevec_to_vector / sparsevec_to_halfvec. */
export function sparsevecToDense(kind: 'vector' | 'halfvec', v: SparseVec, typmod: number): Float32Array {
  checkDim(kind, v.dim);
  checkExpectedDim(typmod, v.dim);
  const out = new Float32Array(v.dim);
  for (let i = 0; i < v.indices.length; i++) {
    out[v.indices[i]!] = kind === 'halfvec' ? float4ToHalfChecked(v.values[i]!) : v.values[i]!;
  }
  return out;
}

/** vector_to_float4 / halfvec_to_float4: a one-dimensional real[] with lower bound 1. */
export function denseToFloat4Array(v: Float32Array): SqlArray {
  return { kind: 'array', elemOid: OID.float4, dims: [v.length], lbounds: [1], items: Array.from(v) };
}

/**
 * array_to_vector / array_to_halfvec from integer[], real[], double precision[] or numeric[]:
 * 1-D, no NULLs; doubles narrow to float4 as C does (overflow to infinity, then rejected).
 */
export function arrayToDense(kind: 'vector' | 'halfvec', a: SqlArray, typmod: number): Float32Array {
  if (a.dims.length > 1) throw dataException('array must be 1-D');
  if (a.items.some((x) => x === null)) throw new SqlError(SQLSTATE.NULL_VALUE_NOT_ALLOWED, 'array must not contain nulls');
  const n = a.items.length;
  checkDim(kind, n);
  checkExpectedDim(typmod, n);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const x = a.items[i]!;
    let f: number;
    switch (a.elemOid) {
      case OID.int4: case OID.float4: case OID.float8: f = Math.fround(x as number); break;
      case OID.numeric: f = numericToFloat4(x as Numeric); break;
      default: throw dataException('unsupported array type');
    }
    out[i] = kind === 'halfvec' ? float4ToHalfChecked(f) : f;
  }
  for (let i = 0; i < n; i++) checkElement(kind, out[i]!);
  return out;
}

/** numeric_float4: out-of-range finite values are an error naming the number. */
function numericToFloat4(x: Numeric): number {
  if (x.isNaN()) return NaN;
  const v = x.toNumber();
  const r = Math.fround(v);
  if ((!Number.isFinite(r) && !x.isInfinite()) || (r === 0 && x.isFinite() && x.sign() !== 0)) {
    throw new SqlError(SQLSTATE.NUMERIC_VALUE_OUT_OF_RANGE, `"${x.toString()}" is out of range for type real`);
  }
  return r;
}
