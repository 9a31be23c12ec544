// Distance kernels over dense vectors (Float32Array; halfvec values are f16-rounded floats in one),
// sparse vectors (ascending 0-based indices + values) and bit strings (MSB-first bytes).
// `exact*` kernels reproduce pgvector's arithmetic: float32 accumulation in index order (every
// step rounded with Math.fround), then widened to float64; `fast*` kernels are for index search
// (float64 accumulation, unrolled) and may differ from the exact ones in the last bits.
const f = Math.fround;

/** A sparse vector as the kernels read it (sql/types' SparseVec satisfies this). */
export interface SparseVectorLike {
  readonly dim: number;
  /** Ascending, distinct, 0-based. */
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

// ---------------------------------------------------------------------------------------------
// Exact kernels (pgvector's scalar arithmetic)

/** Squared L2 distance: float32 sum of float32 (a-b)². Infinity when it overflows float32. */
export function exactL2Squared(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = f(a[i]! - b[i]!);
    s = f(s + f(d * d));
  }
  return s;
}

/** L2 (Euclidean) distance: sqrt in float64 of the float32 squared distance. */
export function exactL2Distance(a: Float32Array, b: Float32Array): number {
  return Math.sqrt(exactL2Squared(a, b));
}

/** Inner product accumulated in float32. */
export function exactInnerProduct(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s = f(s + f(a[i]! * b[i]!));
  return s;
}

/** Cosine similarity: float32 dot and squared norms, then dot / sqrt(|a|²·|b|²) in float64 (NaN for a zero vector). */
export function exactCosineSimilarity(a: Float32Array, b: Float32Array): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!, y = b[i]!;
    dot = f(dot + f(x * y));
    na = f(na + f(x * x));
    nb = f(nb + f(y * y));
  }
  return dot / Math.sqrt(na * nb);
}

/** 1 - similarity clamped to [-1, 1]; NaN stays NaN (zero vectors, overflow). */
export function cosineDistanceFromSimilarity(sim: number): number {
  if (sim > 1) sim = 1;
  else if (sim < -1) sim = -1;
  return 1 - sim;
}

export function exactCosineDistance(a: Float32Array, b: Float32Array): number {
  return cosineDistanceFromSimilarity(exactCosineSimilarity(a, b));
}

/** L1 (taxicab) distance accumulated in float32. */
export function exactL1Distance(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s = f(s + Math.abs(f(a[i]! - b[i]!)));
  return s;
}

/** Angular distance acos(clamp(a·b)) / π, for unit vectors (pgvector's spherical distance). */
export function exactSphericalDistance(a: Float32Array, b: Float32Array): number {
  let d = exactInnerProduct(a, b);
  if (d > 1) d = 1;
  else if (d < -1) d = -1;
  return Math.acos(d) / Math.PI;
}

/** Euclidean norm: float64 sum of squares (pgvector's vector_norm / l2_norm). */
export function exactNorm(a: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) { const x = a[i]!; s += x * x; }
  return Math.sqrt(s);
}

// ---------------------------------------------------------------------------------------------
// Sparse kernels (merge over both index lists in ascending order, float32 accumulation)

export function exactSparseL2Squared(a: SparseVectorLike, b: SparseVectorLike): number {
  const ai = a.indices, av = a.values, bi = b.indices, bv = b.values;
  let s = 0, i = 0, j = 0;
  while (i < ai.length || j < bi.length) {
    if (j >= bi.length || (i < ai.length && ai[i]! < bi[j]!)) { const x = av[i++]!; s = f(s + f(x * x)); }
    else if (i >= ai.length || bi[j]! < ai[i]!) { const y = bv[j++]!; s = f(s + f(y * y)); }
    else { const d = f(av[i++]! - bv[j++]!); s = f(s + f(d * d)); }
  }
  return s;
}

export function exactSparseInnerProduct(a: SparseVectorLike, b: SparseVectorLike): number {
  const ai = a.indices, av = a.values, bi = b.indices, bv = b.values;
  let s = 0, i = 0, j = 0;
  while (i < ai.length && j < bi.length) {
    const x = ai[i]!, y = bi[j]!;
    if (x < y) i++;
    else if (y < x) j++;
    else s = f(s + f(av[i++]! * bv[j++]!));
  }
  return s;
}

function float32SumSquares(v: Float32Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) { const x = v[i]!; s = f(s + f(x * x)); }
  return s;
}

export function exactSparseCosineDistance(a: SparseVectorLike, b: SparseVectorLike): number {
  const dot = exactSparseInnerProduct(a, b);
  return cosineDistanceFromSimilarity(dot / Math.sqrt(float32SumSquares(a.values) * float32SumSquares(b.values)));
}

export function exactSparseL1Distance(a: SparseVectorLike, b: SparseVectorLike): number {
  const ai = a.indices, av = a.values, bi = b.indices, bv = b.values;
  let s = 0, i = 0, j = 0;
  while (i < ai.length || j < bi.length) {
    if (j >= bi.length || (i < ai.length && ai[i]! < bi[j]!)) s = f(s + Math.abs(av[i++]!));
    else if (i >= ai.length || bi[j]! < ai[i]!) s = f(s + Math.abs(bv[j++]!));
    else s = f(s + Math.abs(f(av[i++]! - bv[j++]!)));
  }
  return s;
}

export function exactSparseNorm(a: SparseVectorLike): number {
  return exactNorm(a.values);
}

// ---------------------------------------------------------------------------------------------
// Bit kernels (bytes MSB-first; unused trailing bits are zero in both operands)

const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >> 1]!;

/** Number of set bits. */
export function popcount(bytes: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) n += POPCOUNT[bytes[i]!]!;
  return n;
}

/** Number of differing bits over the common byte length. */
export function hammingDistance(a: Uint8Array, b: Uint8Array): number {
  let n = 0;
  const len = Math.min(a.length, b.length);
  for (let i = 0; i < len; i++) n += POPCOUNT[a[i]! ^ b[i]!]!;
  return n;
}

/** 1 - |a∧b| / |a∨b|; 1 when no bit is set in both (pgvector's convention, also for two empty strings). */
export function jaccardDistance(a: Uint8Array, b: Uint8Array): number {
  let ab = 0, aa = 0, bb = 0;
  const len = Math.min(a.length, b.length);
  for (let i = 0; i < len; i++) {
    const x = a[i]!, y = b[i]!;
    ab += POPCOUNT[x & y]!;
    aa += POPCOUNT[x]!;
    bb += POPCOUNT[y]!;
  }
  return ab === 0 ? 1 : 1 - ab / (aa + bb - ab);
}

// ---------------------------------------------------------------------------------------------
// Fast kernels for index search (float64 accumulation, 4-way unrolled)

export function fastL2Squared(a: Float32Array, b: Float32Array): number {
  const n = a.length, m = n & ~3;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, i = 0;
  for (; i < m; i += 4) {
    const d0 = a[i]! - b[i]!, d1 = a[i + 1]! - b[i + 1]!, d2 = a[i + 2]! - b[i + 2]!, d3 = a[i + 3]! - b[i + 3]!;
    s0 += d0 * d0; s1 += d1 * d1; s2 += d2 * d2; s3 += d3 * d3;
  }
  for (; i < n; i++) { const d = a[i]! - b[i]!; s0 += d * d; }
  return (s0 + s1) + (s2 + s3);
}

export function fastInnerProduct(a: Float32Array, b: Float32Array): number {
  const n = a.length, m = n & ~3;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, i = 0;
  for (; i < m; i += 4) {
    s0 += a[i]! * b[i]!; s1 += a[i + 1]! * b[i + 1]!; s2 += a[i + 2]! * b[i + 2]!; s3 += a[i + 3]! * b[i + 3]!;
  }
  for (; i < n; i++) s0 += a[i]! * b[i]!;
  return (s0 + s1) + (s2 + s3);
}

/** Cosine distance with float64 sums (NaN when either vector is zero). */
export function fastCosineDistance(a: Float32Array, b: Float32Array): number {
  const n = a.length, m = n & ~1;
  let d0 = 0, d1 = 0, a0 = 0, a1 = 0, b0 = 0, b1 = 0, i = 0;
  for (; i < m; i += 2) {
    const x0 = a[i]!, y0 = b[i]!, x1 = a[i + 1]!, y1 = b[i + 1]!;
    d0 += x0 * y0; a0 += x0 * x0; b0 += y0 * y0;
    d1 += x1 * y1; a1 += x1 * x1; b1 += y1 * y1;
  }
  if (i < n) { const x = a[i]!, y = b[i]!; d0 += x * y; a0 += x * x; b0 += y * y; }
  return cosineDistanceFromSimilarity((d0 + d1) / Math.sqrt((a0 + a1) * (b0 + b1)));
}

export function fastL1Distance(a: Float32Array, b: Float32Array): number {
  const n = a.length, m = n & ~3;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, i = 0;
  for (; i < m; i += 4) {
    s0 += Math.abs(a[i]! - b[i]!); s1 += Math.abs(a[i + 1]! - b[i + 1]!);
    s2 += Math.abs(a[i + 2]! - b[i + 2]!); s3 += Math.abs(a[i + 3]! - b[i + 3]!);
  }
  for (; i < n; i++) s0 += Math.abs(a[i]! - b[i]!);
  return (s0 + s1) + (s2 + s3);
}

/** Euclidean norm with float64 sums. */
export function fastNorm(a: Float32Array): number {
  return Math.sqrt(fastInnerProduct(a, a));
}

/** Sparse squared L2 with float64 sums (same merge as the exact kernel). */
export function fastSparseL2Squared(a: SparseVectorLike, b: SparseVectorLike): number {
  const ai = a.indices, av = a.values, bi = b.indices, bv = b.values;
  let s = 0, i = 0, j = 0;
  while (i < ai.length && j < bi.length) {
    const x = ai[i]!, y = bi[j]!;
    if (x < y) { const v = av[i++]!; s += v * v; }
    else if (y < x) { const v = bv[j++]!; s += v * v; }
    else { const d = av[i++]! - bv[j++]!; s += d * d; }
  }
  for (; i < ai.length; i++) { const v = av[i]!; s += v * v; }
  for (; j < bi.length; j++) { const v = bv[j]!; s += v * v; }
  return s;
}

export function fastSparseInnerProduct(a: SparseVectorLike, b: SparseVectorLike): number {
  const ai = a.indices, av = a.values, bi = b.indices, bv = b.values;
  let s = 0, i = 0, j = 0;
  while (i < ai.length && j < bi.length) {
    const x = ai[i]!, y = bi[j]!;
    if (x < y) i++;
    else if (y < x) j++;
    else s += av[i++]! * bv[j++]!;
  }
  return s;
}

/** Sparse query against a dense vector (same dimension): Σ q[i]·d[i] in float64. */
export function fastSparseDenseInnerProduct(q: SparseVectorLike, d: Float32Array): number {
  let s = 0;
  const idx = q.indices, v = q.values;
  for (let k = 0; k < idx.length; k++) s += v[k]! * d[idx[k]!]!;
  return s;
}
