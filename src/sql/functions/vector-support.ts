// Shared pieces of the pgvector-compatible built-ins: dimension limits, pgvector's error messages
// (SQLSTATE and text as its C source words them), half-precision rounding as pgvector converts
// float to half, and bit-string helpers.
import { SqlError, SQLSTATE } from '../../base/index.js';
import type { BitString } from '../types/index.js';
import { float4Out } from '../types/index.js';
import { toHalf } from '../../vector/index.js';

export const VECTOR_MAX_DIM = 16000;
export const HALFVEC_MAX_DIM = 16000;
export const SPARSEVEC_MAX_DIM = 1_000_000_000;

export type DenseKind = 'vector' | 'halfvec';

const dataException = (msg: string): SqlError => new SqlError(SQLSTATE.DATA_EXCEPTION, msg);

/** "different vector dimensions 3 and 2" (22000). */
export function differentDims(kind: DenseKind | 'sparsevec', a: number, b: number): SqlError {
  return dataException(`different ${kind} dimensions ${a} and ${b}`);
}

/** "expected 2 dimensions, not 1" (22000): typmod and aggregate-state checks. */
export function expectedDims(expected: number, got: number): SqlError {
  return dataException(`expected ${expected} dimensions, not ${got}`);
}

/** pgvector's CheckDim: at least 1 (22000) and at most 16000 (54000) dimensions. */
export function checkDim(kind: DenseKind, dim: number): void {
  if (dim < 1) throw dataException(`${kind} must have at least 1 dimension`);
  if (dim > VECTOR_MAX_DIM) {
    throw new SqlError(SQLSTATE.PROGRAM_LIMIT_EXCEEDED, `${kind} cannot have more than ${VECTOR_MAX_DIM} dimensions`);
  }
}

/** CheckElement: "NaN not allowed in vector" / "infinite value not allowed in halfvec" (22000). */
export function checkElement(kind: DenseKind, x: number): void {
  if (Number.isNaN(x)) throw dataException(`NaN not allowed in ${kind}`);
  if (x === Infinity || x === -Infinity) throw dataException(`infinite value not allowed in ${kind}`);
}

export function differentBitLengths(a: number, b: number): SqlError {
  return dataException(`different bit lengths ${a} and ${b}`);
}

/** elog(ERROR) in a pgvector aggregate helper given a malformed state array (XX000). */
export function expectedStateArray(caller: string): SqlError {
  return new SqlError(SQLSTATE.INTERNAL_ERROR, `${caller}: expected state array`);
}

// ---------------------------------------------------------------------------------------------
// Half precision

/**
 * Rounds x to the nearest binary16 value (ties to even), ±Infinity past the half range. x is
 * first rounded to float32, as pgvector converts float to half (a float64 intermediate, as in
 * l2_normalize and avg, is thus rounded twice, like C's implicit double → float conversion).
 */
export function roundHalf(x: number): number {
  return toHalf(Math.fround(x));
}

/** Float4ToHalf: rounds to half, "\"70000\" is out of range for type halfvec" (22003) on overflow. */
export function toHalfChecked(x: number): number {
  const f = Math.fround(x);
  const h = roundHalf(f);
  if ((h === Infinity || h === -Infinity) && Number.isFinite(f)) {
    throw new SqlError(SQLSTATE.NUMERIC_VALUE_OUT_OF_RANGE, `"${float4Out(f)}" is out of range for type halfvec`);
  }
  return h;
}

// ---------------------------------------------------------------------------------------------
// Bit strings

export function makeBits(length: number, bytes?: Uint8Array): BitString {
  return { kind: 'bit', length, bytes: bytes ?? new Uint8Array((length + 7) >> 3) };
}

/** Clears the unused low bits of the last byte (bit strings keep them zero). */
export function clearPadding(b: BitString): BitString {
  const rem = b.length & 7;
  if (rem !== 0 && b.bytes.length > 0) b.bytes[b.bytes.length - 1]! &= (0xff << (8 - rem)) & 0xff;
  return b;
}

/** binary_quantize: bit i set when element i > 0. */
export function binaryQuantize(x: Float32Array): BitString {
  const out = makeBits(x.length);
  for (let i = 0; i < x.length; i++) if (x[i]! > 0) out.bytes[i >> 3]! |= 0x80 >> (i & 7);
  return out;
}
