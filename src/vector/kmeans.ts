// k-means for IVFFlat list centres, after pgvector: k-means++ seeding on a sample, Lloyd
// iterations, spherical (unit-length centres) for inner product and cosine; bit vectors use
// Hamming/Jaccard with per-bit majority centres. Nearest-centre assignment of float vectors runs
// natively on all cores through usearch's exactSearch.
import { exactSearch, MetricKind } from 'usearch';
import { bitWords, dotAt, hammingAt, jaccardAt, l2sqAt, popcount32 } from './ann-kernels.js';

export type KmeansMetric = 'l2' | 'spherical';

export interface KmeansResult {
  /** k × dim, row-major. */
  centers: Float32Array;
  iterations: number;
}

/** Row count below which the TypeScript loop beats a native call (thread start-up). */
const NATIVE_MIN_WORK = 1 << 16;

/**
 * Nearest centre (and its distance: squared L2, or 1 - dot for spherical) of each of `n` rows of
 * `points`. Spherical assumes unit-length centres; rows need not be unit length (argmax dot).
 */
export function assignNearest(
  points: Float32Array, n: number, centers: Float32Array, k: number, dim: number, metric: KmeansMetric,
  threads: number, outCenter: Int32Array, outDist?: Float32Array,
): void {
  if (n === 0) return;
  if (n * k < NATIVE_MIN_WORK || k === 0) {
    for (let i = 0; i < n; i++) {
      let best = 0, bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const d = metric === 'l2' ? l2sqAt(points.subarray(i * dim, (i + 1) * dim), centers, c * dim, dim)
          : 1 - dotAt(points.subarray(i * dim, (i + 1) * dim), centers, c * dim, dim);
        if (d < bestD) { bestD = d; best = c; }
      }
      outCenter[i] = best;
      if (outDist) outDist[i] = bestD;
    }
    return;
  }
  const kind = metric === 'l2' ? MetricKind.L2sq : MetricKind.IP;
  const res = exactSearch(atZeroOffset(centers, k * dim), atZeroOffset(points, n * dim), dim, 1, kind, threads);
  for (let i = 0; i < n; i++) {
    outCenter[i] = Number(res.keys[i]!);
    if (outDist) outDist[i] = res.distances[i]!;
  }
}

/**
 * usearch's exactSearch reads from the start of each argument's ArrayBuffer, ignoring the typed
 * array's byteOffset (javascript/lib.cpp uses ArrayBuffer().Data()), so views are copied first.
 */
function atZeroOffset(a: Float32Array, length: number): Float32Array {
  return a.byteOffset === 0 ? a.subarray(0, length) : a.slice(0, length);
}

function normalizeRow(v: Float32Array, off: number, dim: number): boolean {
  let s = 0;
  for (let i = 0; i < dim; i++) s += v[off + i]! * v[off + i]!;
  if (s === 0) return false;
  const inv = 1 / Math.sqrt(s);
  for (let i = 0; i < dim; i++) v[off + i]! *= inv;
  return true;
}

function rowsEqual(a: Float32Array, ao: number, b: Float32Array, bo: number, dim: number): boolean {
  for (let i = 0; i < dim; i++) if (a[ao + i] !== b[bo + i]) return false;
  return true;
}

/**
 * Centres for `k` lists from `n` sample rows (spherical samples must already be unit length).
 * With n <= k, like pgvector, the distinct samples become centres and the rest are random.
 */
export function kmeansFloat(
  samples: Float32Array, n: number, k: number, dim: number, metric: KmeansMetric, rand: () => number,
  opts: { maxIterations?: number; threads?: number } = {},
): KmeansResult {
  const threads = opts.threads ?? 1;
  const centers = new Float32Array(k * dim);
  if (n <= k) {
    let filled = 0;
    for (let i = 0; i < n; i++) {
      let dup = false;
      for (let c = 0; c < filled && !dup; c++) dup = rowsEqual(samples, i * dim, centers, c * dim, dim);
      if (!dup) centers.set(samples.subarray(i * dim, (i + 1) * dim), filled++ * dim);
    }
    for (; filled < k; filled++) {
      for (let d = 0; d < dim; d++) centers[filled * dim + d] = rand();
      if (metric === 'spherical') normalizeRow(centers, filled * dim, dim);
    }
    return { centers, iterations: 0 };
  }

  // k-means++: each next centre drawn with probability proportional to squared distance to the
  // nearest chosen centre (pgvector weights by the squared k-means distance too).
  const weight = new Float64Array(n).fill(Infinity);
  const dist = new Float32Array(n);
  const one = new Int32Array(n);
  let pick = Math.floor(rand() * n);
  for (let c = 0; c < k; c++) {
    centers.set(samples.subarray(pick * dim, (pick + 1) * dim), c * dim);
    if (c + 1 === k) break;
    assignNearest(samples, n, centers.subarray(c * dim, (c + 1) * dim), 1, dim, metric, threads, one, dist);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      let w: number;
      if (metric === 'l2') w = Math.max(0, dist[i]!);
      else { const a = Math.acos(Math.min(1, Math.max(-1, 1 - dist[i]!))) / Math.PI; w = a * a; }
      if (w < weight[i]!) weight[i] = w;
      sum += weight[i]!;
    }
    pick = pickWeighted(weight, sum, rand);
  }

  // Lloyd iterations until (almost) nothing moves.
  const maxIterations = opts.maxIterations ?? 25;
  const assign = new Int32Array(n).fill(-1);
  const next = new Int32Array(n);
  const sums = new Float64Array(k * dim);
  const counts = new Int32Array(k);
  let iterations = 0;
  for (let it = 0; it < maxIterations; it++) {
    iterations = it + 1;
    assignNearest(samples, n, centers, k, dim, metric, threads, next);
    let changes = 0;
    for (let i = 0; i < n; i++) if (next[i] !== assign[i]) { changes++; assign[i] = next[i]!; }
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const c = assign[i]!;
      counts[c]!++;
      const so = c * dim, po = i * dim;
      for (let d = 0; d < dim; d++) sums[so + d]! += samples[po + d]!;
    }
    for (let c = 0; c < k; c++) {
      const co = c * dim;
      if (counts[c] === 0) {
        // Empty cluster: restart it on a random sample (pgvector uses a random vector).
        const r = Math.floor(rand() * n);
        centers.set(samples.subarray(r * dim, (r + 1) * dim), co);
        continue;
      }
      const inv = 1 / counts[c]!;
      for (let d = 0; d < dim; d++) centers[co + d] = sums[co + d]! * inv;
      if (metric === 'spherical' && !normalizeRow(centers, co, dim)) {
        const r = Math.floor(rand() * n);
        centers.set(samples.subarray(r * dim, (r + 1) * dim), co);
      }
    }
    if (it > 0 && changes <= n / 1000) break;
  }
  return { centers, iterations };
}

export type BitKmeansMetric = 'hamming' | 'jaccard';

/** Nearest bit centre for each of `n` rows of packed 32-bit words. */
export function assignNearestBits(
  points: Uint32Array, n: number, centers: Uint32Array, k: number, words: number, metric: BitKmeansMetric,
  outCenter: Int32Array,
): void {
  const kernel = metric === 'hamming' ? hammingAt : jaccardAt;
  for (let i = 0; i < n; i++) {
    const p = points.subarray(i * words, (i + 1) * words);
    let best = 0, bestD = Infinity;
    for (let c = 0; c < k; c++) {
      const d = kernel(p, centers, c * words, words);
      if (d < bestD) { bestD = d; best = c; }
    }
    outCenter[i] = best;
  }
}

/** Bit centres (packed words) by k-means++ seeding and per-bit majority updates. */
export function kmeansBits(
  samples: Uint32Array, n: number, k: number, bits: number, metric: BitKmeansMetric, rand: () => number,
  opts: { maxIterations?: number } = {},
): { centers: Uint32Array; iterations: number } {
  const words = bitWords(bits);
  const centers = new Uint32Array(k * words);
  const randomRow = (c: number): void => {
    for (let w = 0; w < words; w++) centers[c * words + w] = Math.floor(rand() * 0x100000000) >>> 0;
    // Keep padding bits zero (words hold the packed bytes in memory order).
    maskPadding(centers, c * words, words, bits);
  };
  if (n <= k) {
    let filled = 0;
    for (let i = 0; i < n; i++) {
      let dup = false;
      for (let c = 0; c < filled && !dup; c++) dup = hammingAt(samples.subarray(i * words, (i + 1) * words), centers, c * words, words) === 0;
      if (!dup) centers.set(samples.subarray(i * words, (i + 1) * words), filled++ * words);
    }
    for (; filled < k; filled++) randomRow(filled);
    return { centers, iterations: 0 };
  }
  const kernel = metric === 'hamming' ? hammingAt : jaccardAt;
  const weight = new Float64Array(n).fill(Infinity);
  let pick = Math.floor(rand() * n);
  for (let c = 0; c < k; c++) {
    centers.set(samples.subarray(pick * words, (pick + 1) * words), c * words);
    if (c + 1 === k) break;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const d = kernel(samples.subarray(i * words, (i + 1) * words), centers, c * words, words);
      const w = d * d;
      if (w < weight[i]!) weight[i] = w;
      sum += weight[i]!;
    }
    pick = pickWeighted(weight, sum, rand);
  }
  const maxIterations = opts.maxIterations ?? 15;
  const assign = new Int32Array(n).fill(-1);
  const next = new Int32Array(n);
  const ones = new Int32Array(k * words * 32);
  const counts = new Int32Array(k);
  let iterations = 0;
  for (let it = 0; it < maxIterations; it++) {
    iterations = it + 1;
    assignNearestBits(samples, n, centers, k, words, metric, next);
    let changes = 0;
    for (let i = 0; i < n; i++) if (next[i] !== assign[i]) { changes++; assign[i] = next[i]!; }
    ones.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const c = assign[i]!;
      counts[c]!++;
      for (let w = 0; w < words; w++) {
        let x = samples[i * words + w]!;
        const base = (c * words + w) * 32;
        while (x !== 0) {
          const low = x & -x;
          ones[base + 31 - Math.clz32(low)]!++;
          x = (x ^ low) >>> 0;
        }
      }
    }
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) {
        const r = Math.floor(rand() * n);
        centers.set(samples.subarray(r * words, (r + 1) * words), c * words);
        continue;
      }
      const half = counts[c]! / 2;
      for (let w = 0; w < words; w++) {
        let x = 0;
        const base = (c * words + w) * 32;
        for (let b = 0; b < 32; b++) if (ones[base + b]! > half) x |= 1 << b;
        centers[c * words + w] = x >>> 0;
      }
      // An empty centre has Jaccard distance 1 to everything; keep it meaningful.
      if (metric === 'jaccard') {
        let pop = 0;
        for (let w = 0; w < words; w++) pop += popcount32(centers[c * words + w]!);
        if (pop === 0) {
          const r = Math.floor(rand() * n);
          centers.set(samples.subarray(r * words, (r + 1) * words), c * words);
        }
      }
    }
    if (it > 0 && changes <= n / 1000) break;
  }
  return { centers, iterations };
}

/** Clears the bits beyond `bits` in a packed row (bytes in memory order inside each word). */
export function maskPadding(rows: Uint32Array, off: number, words: number, bits: number): void {
  const bytes = new Uint8Array(rows.buffer, rows.byteOffset + off * 4, words * 4);
  const fullBytes = bits >>> 3;
  const rem = bits & 7;
  if (rem !== 0) bytes[fullBytes] = bytes[fullBytes]! & ((0xff << (8 - rem)) & 0xff);
  bytes.fill(0, fullBytes + (rem !== 0 ? 1 : 0));
}

/** k-means++ seeding: an index drawn with probability proportional to its weight. */
function pickWeighted(weight: Float64Array, sum: number, rand: () => number): number {
  let choice = sum * rand();
  for (let i = 0; i < weight.length; i++) {
    choice -= weight[i]!;
    if (choice <= 0) return i;
  }
  return weight.length - 1;
}
