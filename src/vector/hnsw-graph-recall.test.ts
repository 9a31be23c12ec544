// Recall of the TypeScript HNSW graph at pgvector's defaults (m=16, ef_construction=64,
// ef_search=40) on 20,000 clustered vectors: L2 over 128 dimensions (also printing build time and
// queries per second, for comparison with the native index) and L1 over 64 dimensions.
import { describe, expect, it } from 'vitest';
import { clusteredData, exactTopK, recallAtK } from './clustered-data.js';
import { HnswGraph } from './hnsw-graph.js';

function l2(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) { const d = a[i]! - b[i]!; s += d * d; }
  return s;
}

function l1(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s;
}

describe('HnswGraph recall on 20,000 clustered vectors', () => {
  for (const { metric, dim, dist } of [
    { metric: 'l2', dim: 128, dist: l2 },
    { metric: 'l1', dim: 64, dist: l1 },
  ] as const) {
    it(`${metric} × ${dim}: recall@10 ≥ 0.95 at m=16, ef_construction=64, ef_search=40`, () => {
      const count = 20_000;
      const data = clusteredData({ count, dim, seed: 7 }, 100);
      const g = new HnswGraph({ metric, dimensions: dim, m: 16, efConstruction: 64, seed: 1 });
      let t = performance.now();
      for (let i = 0; i < count; i++) g.add(i, data.vector(i));
      const buildMs = performance.now() - t;
      expect(g.size()).toBe(count);
      const truth = exactTopK(data, 10, dist);
      const found: number[][] = [];
      for (let q = 0; q < 100; q++) found.push(Array.from(g.search(data.query(q), 10, { efSearch: 40 }).labels));
      t = performance.now(); // timed second pass, once the JIT has warmed up
      for (let rep = 0; rep < 3; rep++) for (let q = 0; q < 100; q++) g.search(data.query(q), 10, { efSearch: 40 });
      const searchMs = (performance.now() - t) / 3;
      const recall = recallAtK(truth, found);
      console.log(`hnsw-graph ${metric} ${count}x${dim} m=16 efc=64: build ${(buildMs / 1000).toFixed(2)} s ` +
        `(${Math.round(count / (buildMs / 1000))} vectors/s), ef_search=40 recall@10 ${recall.toFixed(3)}, ` +
        `${Math.round(100 / (searchMs / 1000))} queries/s`);
      expect(recall).toBeGreaterThanOrEqual(0.95);
    });
  }
});
