// Distance kernels private to the TypeScript HNSW graph (hnsw-graph.ts): dense loops over offsets
// into Float32Array slabs (unrolled, several accumulators, no allocation) and sparse kernels, both a
// merge over two sorted index lists and a gather against a query scattered into a dense buffer.
// They return the graph's *internal* distance: squared L2 for l2, the pgvector value otherwise.

/** Metric codes, stored in serialized graphs: never renumber. */
export const M_L2 = 0;
export const M_IP = 1;
export const M_COSINE = 2;
export const M_L1 = 3;
export const M_HAMMING = 4;
export const M_JACCARD = 5;

export function l2sqDense(a: Float32Array, ao: number, b: Float32Array, bo: number, n: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  const n4 = n - (n & 3);
  for (; i < n4; i += 4) {
    const d0 = a[ao + i]! - b[bo + i]!;
    const d1 = a[ao + i + 1]! - b[bo + i + 1]!;
    const d2 = a[ao + i + 2]! - b[bo + i + 2]!;
    const d3 = a[ao + i + 3]! - b[bo + i + 3]!;
    s0 += d0 * d0; s1 += d1 * d1; s2 += d2 * d2; s3 += d3 * d3;
  }
  for (; i < n; i++) { const d = a[ao + i]! - b[bo + i]!; s0 += d * d; }
  return (s0 + s1) + (s2 + s3);
}

export function dotDense(a: Float32Array, ao: number, b: Float32Array, bo: number, n: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  const n4 = n - (n & 3);
  for (; i < n4; i += 4) {
    s0 += a[ao + i]! * b[bo + i]!;
    s1 += a[ao + i + 1]! * b[bo + i + 1]!;
    s2 += a[ao + i + 2]! * b[bo + i + 2]!;
    s3 += a[ao + i + 3]! * b[bo + i + 3]!;
  }
  for (; i < n; i++) s0 += a[ao + i]! * b[bo + i]!;
  return (s0 + s1) + (s2 + s3);
}

export function l1Dense(a: Float32Array, ao: number, b: Float32Array, bo: number, n: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  const n4 = n - (n & 3);
  for (; i < n4; i += 4) {
    s0 += Math.abs(a[ao + i]! - b[bo + i]!);
    s1 += Math.abs(a[ao + i + 1]! - b[bo + i + 1]!);
    s2 += Math.abs(a[ao + i + 2]! - b[bo + i + 2]!);
    s3 += Math.abs(a[ao + i + 3]! - b[bo + i + 3]!);
  }
  for (; i < n; i++) s0 += Math.abs(a[ao + i]! - b[bo + i]!);
  return (s0 + s1) + (s2 + s3);
}

/** Hamming/Jaccard over dense vectors read as bit sets (a component is set when non-zero). */
function bitsDense(metric: number, a: Float32Array, ao: number, b: Float32Array, bo: number, n: number): number {
  let both = 0, ca = 0, cb = 0;
  for (let i = 0; i < n; i++) {
    const x = a[ao + i] !== 0 ? 1 : 0;
    const y = b[bo + i] !== 0 ? 1 : 0;
    ca += x; cb += y; both += x & y;
  }
  if (metric === M_HAMMING) return ca + cb - 2 * both;
  return both === 0 ? 1 : 1 - both / (ca + cb - both);
}

/** Internal distance between two dense vectors (cosine vectors are stored pre-normalized). */
export function denseDist(metric: number, a: Float32Array, ao: number, b: Float32Array, bo: number, n: number): number {
  switch (metric) {
    case M_L2: return l2sqDense(a, ao, b, bo, n);
    case M_IP: return -dotDense(a, ao, b, bo, n);
    case M_COSINE: return 1 - dotDense(a, ao, b, bo, n);
    case M_L1: return l1Dense(a, ao, b, bo, n);
    default: return bitsDense(metric, a, ao, b, bo, n);
  }
}

/** Internal distance between two sparse vectors by merging their ascending index lists. */
export function sparseMergeDist(
  metric: number,
  ai: Int32Array, av: Float32Array, as: number, ae: number,
  bi: Int32Array, bv: Float32Array, bs: number, be: number,
): number {
  let i = as, j = bs;
  switch (metric) {
    case M_IP:
    case M_COSINE: {
      let dot = 0;
      while (i < ae && j < be) {
        const x = ai[i]!, y = bi[j]!;
        if (x === y) { dot += av[i]! * bv[j]!; i++; j++; } else if (x < y) i++; else j++;
      }
      return metric === M_IP ? -dot : 1 - dot;
    }
    case M_L2: {
      let s = 0;
      while (i < ae && j < be) {
        const x = ai[i]!, y = bi[j]!;
        if (x === y) { const d = av[i]! - bv[j]!; s += d * d; i++; j++; } else if (x < y) { const d = av[i]!; s += d * d; i++; } else { const d = bv[j]!; s += d * d; j++; }
      }
      for (; i < ae; i++) { const d = av[i]!; s += d * d; }
      for (; j < be; j++) { const d = bv[j]!; s += d * d; }
      return s;
    }
    case M_L1: {
      let s = 0;
      while (i < ae && j < be) {
        const x = ai[i]!, y = bi[j]!;
        if (x === y) { s += Math.abs(av[i]! - bv[j]!); i++; j++; } else if (x < y) { s += Math.abs(av[i]!); i++; } else { s += Math.abs(bv[j]!); j++; }
      }
      for (; i < ae; i++) s += Math.abs(av[i]!);
      for (; j < be; j++) s += Math.abs(bv[j]!);
      return s;
    }
    default: {
      // Stored sparse vectors hold no explicit zeros, so every entry is a set bit.
      let both = 0;
      while (i < ae && j < be) {
        const x = ai[i]!, y = bi[j]!;
        if (x === y) { both++; i++; j++; } else if (x < y) i++; else j++;
      }
      const ca = ae - as, cb = be - bs;
      if (metric === M_HAMMING) return ca + cb - 2 * both;
      return both === 0 ? 1 : 1 - both / (ca + cb - both);
    }
  }
}

/**
 * Internal distance from a query scattered into `q` (dense, zero elsewhere) to a stored sparse
 * vector. `qAux` is the query's squared norm (l2), L1 norm (l1) or non-zero count (bit metrics);
 * `bAux` the stored vector's squared norm (l2) — both precomputed.
 */
export function sparseGatherDist(
  metric: number, q: Float32Array, qAux: number,
  bi: Int32Array, bv: Float32Array, bs: number, be: number, bAux: number,
): number {
  switch (metric) {
    case M_IP:
    case M_COSINE: {
      let dot = 0;
      for (let j = bs; j < be; j++) dot += q[bi[j]!]! * bv[j]!;
      return metric === M_IP ? -dot : 1 - dot;
    }
    case M_L2: {
      let dot = 0;
      for (let j = bs; j < be; j++) dot += q[bi[j]!]! * bv[j]!;
      const s = qAux + bAux - 2 * dot;
      return s > 0 ? s : 0;
    }
    case M_L1: {
      let s = qAux;
      for (let j = bs; j < be; j++) { const x = q[bi[j]!]!; s += Math.abs(x - bv[j]!) - Math.abs(x); }
      return s > 0 ? s : 0;
    }
    default: {
      let both = 0;
      for (let j = bs; j < be; j++) if (q[bi[j]!] !== 0) both++;
      const cb = be - bs;
      if (metric === M_HAMMING) return qAux + cb - 2 * both;
      return both === 0 ? 1 : 1 - both / (qAux + cb - both);
    }
  }
}
