// Datum shapes of the pgvector-compatible types and of PostgreSQL's bit strings:
//   vector     Float32Array (one float4 per dimension)
//   halfvec    Float32Array holding values already rounded to IEEE half precision
//   sparsevec  SparseVec: dimension count plus ascending 0-based indices of the non-zeros
//   bit/varbit BitString: bit count plus bytes, most significant bit first (as PostgreSQL stores them)
// Which of vector/halfvec a Float32Array is comes from its SqlType, as for every datum.

/** A sparse vector: `{1:1.5,3:2}/5` is dim 5, indices [0, 2], values [1.5, 2] (indices 0-based here, 1-based in text). */
export interface SparseVec {
  readonly kind: 'sparsevec';
  readonly dim: number;
  /** Ascending, distinct, 0-based; no explicit zeros stored. */
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

/** A bit string (bit(n) / varbit(n)); unused low bits of the last byte are zero. */
export interface BitString {
  readonly kind: 'bit';
  readonly length: number;
  readonly bytes: Uint8Array;
}

export function isSparseVec(d: unknown): d is SparseVec {
  return typeof d === 'object' && d !== null && (d as { kind?: unknown }).kind === 'sparsevec';
}

export function isBitString(d: unknown): d is BitString {
  return typeof d === 'object' && d !== null && (d as { kind?: unknown }).kind === 'bit';
}
