// Recall of the TypeScript HNSW graph over sparse vectors (pgvector's sparsevec opclasses): 20,000
// deterministic clustered 1,000-dimensional vectors with about 30 non-zeros each, for l2, cosine,
// inner product (unit-length data, as embeddings are) and l1.
import { describe, expect, it } from 'vitest';
import { recallAtK, seededRandom } from './clustered-data.js';
import { HnswGraph, type HnswMetric, type SparseGraphVector } from './hnsw-graph.js';

/** Vectors drawn from topics: each cluster favours ~60 dimensions with its own weights. */
function sparseClustered(count: number, queries: number, dim: number, seed: number, normalize: boolean): {
  base: SparseGraphVector[]; queries: SparseGraphVector[];
} {
  const rand = seededRandom(seed);
  const clusters = 60;
  const topics = Array.from({ length: clusters }, () => {
    const dims = new Map<number, number>();
    while (dims.size < 60) dims.set(Math.floor(rand() * dim), 0.5 + rand());
    return [...dims];
  });
  const make = (): SparseGraphVector => {
    const topic = topics[Math.floor(rand() * clusters)]!;
    const entries = new Map<number, number>();
    for (const [d, w] of topic) if (rand() < 25 / 60) entries.set(d, w * (0.7 + 0.6 * rand()));
    for (let j = 0; j < 5; j++) entries.set(Math.floor(rand() * dim), 0.5 * rand() + 0.01);
    const indices = Int32Array.from([...entries.keys()].sort((a, b) => a - b));
    const values = Float32Array.from(indices, (i) => entries.get(i)!);
    if (normalize) {
      const norm = Math.sqrt(values.reduce((s, x) => s + x * x, 0));
      for (let i = 0; i < values.length; i++) values[i]! /= norm;
    }
    return { dim, indices, values };
  };
  return { base: Array.from({ length: count }, make), queries: Array.from({ length: queries }, make) };
}

/** Exact distances from query q to every base vector: q scattered densely in double precision. */
function exactDistances(metric: HnswMetric, q: SparseGraphVector, base: readonly SparseGraphVector[]): Float64Array {
  const dense = new Float64Array(q.dim);
  let qq = 0, q1 = 0;
  q.indices.forEach((i, j) => { const x = q.values[j]!; dense[i] = x; qq += x * x; q1 += Math.abs(x); });
  return Float64Array.from(base, (v) => {
    let dot = 0, vv = 0, l1 = q1;
    for (let j = 0; j < v.indices.length; j++) {
      const x = dense[v.indices[j]!]!, y = v.values[j]!;
      dot += x * y; vv += y * y; l1 += Math.abs(x - y) - Math.abs(x);
    }
    switch (metric) {
      case 'l2': return Math.sqrt(Math.max(0, qq + vv - 2 * dot));
      case 'ip': return -dot;
      case 'cosine': return 1 - dot / Math.sqrt(qq * vv);
      case 'l1': return l1;
      default: throw new Error('unused');
    }
  });
}

describe('HnswGraph over sparse vectors', () => {
  const count = 20_000;
  const plain = sparseClustered(count, 100, 1000, 21, false);
  const unit = sparseClustered(count, 100, 1000, 21, true);
  for (const metric of ['l2', 'cosine', 'ip', 'l1'] as const) {
    it(`${metric}: recall@10 ≥ 0.95`, () => {
      const data = metric === 'ip' ? unit : plain;
      const g = new HnswGraph({ metric, dimensions: 1000, m: 16, efConstruction: 64, seed: 2 });
      const t = performance.now();
      g.addBatch(data.base.map((_, i) => i), data.base);
      const buildMs = performance.now() - t;
      const truth: number[][] = [];
      const found: number[][] = [];
      for (const q of data.queries) {
        const exact = exactDistances(metric, q, data.base);
        const order = Array.from(exact.keys()).sort((a, b) => exact[a]! - exact[b]! || a - b);
        truth.push(order.slice(0, 10));
        const hits = g.search(q, 10, { efSearch: 40 });
        expect(hits.labels.length).toBe(10);
        for (let i = 0; i < 10; i++) expect(Math.abs(hits.distances[i]! - exact[hits.labels[i]!]!)).toBeLessThan(1e-5);
        found.push(Array.from(hits.labels));
      }
      const recall = recallAtK(truth, found);
      console.log(`hnsw-graph sparse ${metric} ${count}x1000 (~30 nnz): build ${(buildMs / 1000).toFixed(2)} s, recall@10 ${recall.toFixed(3)}`);
      expect(recall).toBeGreaterThanOrEqual(0.95);
    });
  }
});
