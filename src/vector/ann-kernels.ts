// Local distance kernels for the TypeScript ANN structures (IVFFlat lists, k-means): unrolled
// squared L2 and dot product over rows of a flat Float32Array, popcount-based Hamming/Jaccard over
// 32-bit words, bit packing helpers, and a bounded max-heap for top-k selection.

/** Squared L2 between q and row `off` (element offset) of `data`, for `dim` elements. */
export function l2sqAt(q: Float32Array, data: Float32Array, off: number, dim: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  const end4 = dim - (dim & 3);
  for (; i < end4; i += 4) {
    const d0 = q[i]! - data[off + i]!;
    const d1 = q[i + 1]! - data[off + i + 1]!;
    const d2 = q[i + 2]! - data[off + i + 2]!;
    const d3 = q[i + 3]! - data[off + i + 3]!;
    s0 += d0 * d0; s1 += d1 * d1; s2 += d2 * d2; s3 += d3 * d3;
  }
  for (; i < dim; i++) {
    const d = q[i]! - data[off + i]!;
    s0 += d * d;
  }
  return s0 + s1 + s2 + s3;
}

/** Dot product of q and row `off` of `data`. */
export function dotAt(q: Float32Array, data: Float32Array, off: number, dim: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  const end4 = dim - (dim & 3);
  for (; i < end4; i += 4) {
    s0 += q[i]! * data[off + i]!;
    s1 += q[i + 1]! * data[off + i + 1]!;
    s2 += q[i + 2]! * data[off + i + 2]!;
    s3 += q[i + 3]! * data[off + i + 3]!;
  }
  for (; i < dim; i++) s0 += q[i]! * data[off + i]!;
  return s0 + s1 + s2 + s3;
}

export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Hamming distance between q and row `off` (word offset) of `data`, over `words` 32-bit words. */
export function hammingAt(q: Uint32Array, data: Uint32Array, off: number, words: number): number {
  let s = 0;
  for (let i = 0; i < words; i++) s += popcount32((q[i]! ^ data[off + i]!) >>> 0);
  return s;
}

/** pgvector's Jaccard distance: 1 when the intersection is empty, else 1 - |a&b| / |a|b|. */
export function jaccardAt(q: Uint32Array, data: Uint32Array, off: number, words: number): number {
  let and = 0, or = 0;
  for (let i = 0; i < words; i++) {
    const a = q[i]!, b = data[off + i]!;
    and += popcount32((a & b) >>> 0);
    or += popcount32((a | b) >>> 0);
  }
  return and === 0 ? 1 : 1 - and / or;
}

/** 32-bit words needed for `bits` bits. */
export function bitWords(bits: number): number {
  return (bits + 31) >>> 5;
}

/** Copies packed bytes into `out` at word offset `at` (bytes beyond the vector are zero). */
export function packWords(bytes: Uint8Array, out: Uint32Array, at: number, words: number): void {
  const view = new Uint8Array(out.buffer, out.byteOffset + at * 4, words * 4);
  view.fill(0);
  view.set(bytes);
}

/** Bounded max-heap keeping the `k` smallest (distance, label) pairs. */
export class TopK {
  readonly dist: Float64Array;
  readonly label: Float64Array;
  size = 0;
  constructor(readonly k: number) {
    this.dist = new Float64Array(k);
    this.label = new Float64Array(k);
  }

  /** Largest kept distance, or Infinity while not full. */
  bound(): number {
    return this.size < this.k ? Infinity : this.dist[0]!;
  }

  push(d: number, label: number): void {
    const { dist, lab } = { dist: this.dist, lab: this.label };
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (dist[p]! >= d) break;
        dist[i] = dist[p]!; lab[i] = lab[p]!;
        i = p;
      }
      dist[i] = d; lab[i] = label;
      return;
    }
    if (!(d < dist[0]!)) return;
    // Replace the root and sift down.
    const n = this.size;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && dist[r]! > dist[l]! ? r : l;
      if (dist[c]! <= d) break;
      dist[i] = dist[c]!; lab[i] = lab[c]!;
      i = c;
    }
    dist[i] = d; lab[i] = label;
  }

  /** Kept pairs in ascending distance (ties by label). */
  sorted(): { labels: Float64Array; distances: Float64Array } {
    const order = Array.from({ length: this.size }, (_, i) => i);
    order.sort((a, b) => this.dist[a]! - this.dist[b]! || this.label[a]! - this.label[b]!);
    const labels = new Float64Array(this.size);
    const distances = new Float64Array(this.size);
    for (let i = 0; i < order.length; i++) {
      labels[i] = this.label[order[i]!]!;
      distances[i] = this.dist[order[i]!]!;
    }
    return { labels, distances };
  }
}
