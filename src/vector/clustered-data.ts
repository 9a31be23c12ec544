// Deterministic clustered vector data for recall tests and benchmarks: Gaussian clusters around
// random centres (not uniform noise, which makes every ANN index look bad and no real data looks
// like), queries drawn from the same clusters but never from the base set, and exact top-k ground
// truth by brute force.

/** mulberry32: a small, fast, seedable PRNG returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(rand: () => number): number {
  let u = 0;
  while (u === 0) u = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

export interface ClusteredDataOptions {
  readonly count: number;
  readonly dim: number;
  /** Number of clusters (default: max(8, sqrt(count)/2)). */
  readonly clusters?: number;
  /** Cluster standard deviation relative to the spread of the centres (default 0.35). */
  readonly spread?: number;
  readonly seed?: number;
  /** Scale every vector to unit length (for cosine / inner-product data). */
  readonly normalize?: boolean;
}

export interface ClusteredData {
  readonly dim: number;
  /** count × dim, row-major. */
  readonly base: Float32Array;
  readonly queries: Float32Array;
  /** Cluster number of each base vector (handy for building filter columns). */
  readonly baseCluster: Int32Array;
  vector(i: number): Float32Array;
  query(i: number): Float32Array;
}

/** Builds `count` base vectors and `queryCount` query vectors from the same clusters. */
export function clusteredData(opts: ClusteredDataOptions, queryCount = 0): ClusteredData {
  const { count, dim } = opts;
  const rand = seededRandom(opts.seed ?? 42);
  const clusters = opts.clusters ?? Math.max(8, Math.round(Math.sqrt(count) / 2));
  const spread = opts.spread ?? 0.35;
  const centres = new Float32Array(clusters * dim);
  for (let i = 0; i < centres.length; i++) centres[i] = gaussian(rand);
  const fill = (out: Float32Array, n: number, clusterOf: Int32Array | null): void => {
    for (let i = 0; i < n; i++) {
      const c = Math.floor(rand() * clusters);
      if (clusterOf) clusterOf[i] = c;
      let norm = 0;
      for (let d = 0; d < dim; d++) {
        const v = centres[c * dim + d]! + spread * gaussian(rand);
        out[i * dim + d] = v;
        norm += v * v;
      }
      if (opts.normalize === true && norm > 0) {
        const s = 1 / Math.sqrt(norm);
        for (let d = 0; d < dim; d++) out[i * dim + d]! *= s;
      }
    }
  };
  const base = new Float32Array(count * dim);
  const baseCluster = new Int32Array(count);
  fill(base, count, baseCluster);
  const queries = new Float32Array(queryCount * dim);
  fill(queries, queryCount, null);
  return {
    dim, base, queries, baseCluster,
    vector: (i) => base.subarray(i * dim, (i + 1) * dim),
    query: (i) => queries.subarray(i * dim, (i + 1) * dim),
  };
}

/**
 * Exact top-k ids (ascending distance, ties by id) for each query under `distance`, considering
 * only base vectors for which `keep(id)` is true.
 */
export function exactTopK(
  data: ClusteredData, k: number, distance: (a: Float32Array, b: Float32Array) => number,
  keep: (id: number) => boolean = () => true,
): number[][] {
  const n = data.base.length / data.dim;
  const nq = data.queries.length / data.dim;
  const out: number[][] = [];
  for (let q = 0; q < nq; q++) {
    const query = data.query(q);
    const best: { id: number; d: number }[] = [];
    for (let i = 0; i < n; i++) {
      if (!keep(i)) continue;
      const d = distance(query, data.vector(i));
      if (best.length < k || d < best[best.length - 1]!.d) {
        let at = best.length;
        while (at > 0 && (best[at - 1]!.d > d || (best[at - 1]!.d === d && best[at - 1]!.id > i))) at--;
        best.splice(at, 0, { id: i, d });
        if (best.length > k) best.pop();
      }
    }
    out.push(best.map((b) => b.id));
  }
  return out;
}

/** Mean fraction of each truth list found in the matching result list. */
export function recallAtK(truth: readonly (readonly number[])[], found: readonly (readonly (number | bigint)[])[]): number {
  let sum = 0;
  for (let q = 0; q < truth.length; q++) {
    const t = truth[q]!;
    if (t.length === 0) { sum += 1; continue; }
    const f = new Set((found[q] ?? []).map(Number));
    let hit = 0;
    for (const id of t) if (f.has(id)) hit++;
    sum += hit / t.length;
  }
  return truth.length === 0 ? 1 : sum / truth.length;
}
