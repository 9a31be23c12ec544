// Helpers for ANN recall tests and benches: pgvector's distance formulas written plainly (the
// reference the indexes are checked against), binary quantization of clustered data, and a
// tie-aware recall for integer-valued metrics such as Hamming.
import type { AnnMetric } from './ann-types.js';
import type { ClusteredData } from './clustered-data.js';

export function refL2(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) { const d = a[i]! - b[i]!; s += d * d; }
  return Math.sqrt(s);
}

export function refNegIp(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return -s;
}

export function refCosine(a: Float32Array, b: Float32Array): number {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) { ab += a[i]! * b[i]!; aa += a[i]! * a[i]!; bb += b[i]! * b[i]!; }
  const sim = ab / Math.sqrt(aa * bb);
  return 1 - Math.min(1, Math.max(-1, sim));
}

function popcount8(x: number): number {
  let c = 0;
  while (x !== 0) { x &= x - 1; c++; }
  return c;
}

export function refHamming(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += popcount8(a[i]! ^ b[i]!);
  return s;
}

export function refJaccard(a: Uint8Array, b: Uint8Array): number {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) { ab += popcount8(a[i]! & b[i]!); aa += popcount8(a[i]!); bb += popcount8(b[i]!); }
  return ab === 0 ? 1 : 1 - ab / (aa + bb - ab);
}

/** pgvector's distance for a float metric. */
export function refFloatDistance(metric: AnnMetric): (a: Float32Array, b: Float32Array) => number {
  switch (metric) {
    case 'l2': return refL2;
    case 'ip': return refNegIp;
    case 'cosine': return refCosine;
    default: throw new Error(`no float reference for ${metric}`);
  }
}

/** Packs the sign of each element (x > 0 → 1), MSB first, like pgvector's binary_quantize. */
export function binaryQuantize(v: Float32Array): Uint8Array {
  const out = new Uint8Array((v.length + 7) >>> 3);
  for (let i = 0; i < v.length; i++) if (v[i]! > 0) out[i >>> 3]! |= 0x80 >>> (i & 7);
  return out;
}

/** Base and query vectors of `data`, binary-quantized. */
export function quantizeData(data: ClusteredData): { base: Uint8Array[]; queries: Uint8Array[] } {
  const n = data.base.length / data.dim, nq = data.queries.length / data.dim;
  return {
    base: Array.from({ length: n }, (_, i) => binaryQuantize(data.vector(i))),
    queries: Array.from({ length: nq }, (_, i) => binaryQuantize(data.query(i))),
  };
}

/**
 * Recall@k counting ties: a found item counts when its exact distance is no larger than the k-th
 * exact distance (so ties at the boundary are not penalised).
 */
export function tieAwareRecall<V>(
  base: readonly V[], queries: readonly V[], found: readonly (ArrayLike<number>)[], k: number,
  dist: (a: V, b: V) => number,
): number {
  let sum = 0;
  for (let q = 0; q < queries.length; q++) {
    const all = base.map((b) => dist(queries[q]!, b)).sort((x, y) => x - y);
    const kth = all[Math.min(k, all.length) - 1]!;
    let hit = 0;
    const f = found[q]!;
    for (let i = 0; i < Math.min(k, f.length); i++) if (dist(queries[q]!, base[f[i]!]!) <= kth) hit++;
    sum += hit / Math.min(k, all.length);
  }
  return sum / queries.length;
}
