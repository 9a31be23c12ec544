// Recall and behaviour of the usearch-backed HNSW index at pgvector's defaults (m=16,
// ef_construction=64, ef_search=40): 20,000 clustered vectors, 100 queries, k=10, for l2, ip,
// cosine and (binary-quantized) hamming/jaccard; distances checked against pgvector's formulas.
import { describe, expect, it } from 'vitest';
import { clusteredData, exactTopK, recallAtK, type ClusteredData } from './clustered-data.js';
import { UsearchHnswIndex } from './usearch-hnsw.js';
import { quantizeData, refFloatDistance, refHamming, refJaccard, tieAwareRecall } from './ann-testing.js';
import type { AnnMetric } from './ann-types.js';

const N = 20_000;
const DIM = 64;
const Q = 100;
const K = 10;

function buildFloat(data: ClusteredData, metric: AnnMetric, scalar: 'f32' | 'f16' = 'f32'): UsearchHnswIndex {
  const ix = new UsearchHnswIndex({ metric, scalar, dimensions: data.dim, m: 16, efConstruction: 64 });
  const labels = Array.from({ length: N }, (_, i) => i);
  ix.addBatch(labels, labels.map((i) => data.vector(i)));
  return ix;
}

describe('usearch HNSW recall@10 at pgvector defaults', () => {
  const plain = clusteredData({ count: N, dim: DIM, seed: 7 }, Q);
  const unit = clusteredData({ count: N, dim: DIM, seed: 8, normalize: true }, Q);

  for (const [metric, data] of [['l2', plain], ['ip', unit], ['cosine', unit]] as const) {
    it(`${metric}: recall >= 0.95 and pgvector distances`, () => {
      const ix = buildFloat(data, metric);
      expect(ix.size()).toBe(N);
      const dist = refFloatDistance(metric);
      const truth = exactTopK(data, K, dist);
      const found: number[][] = [];
      for (let q = 0; q < Q; q++) {
        const hits = ix.search(data.query(q), K, { efSearch: 40 });
        expect(hits.labels.length).toBe(K);
        for (let i = 0; i < K; i++) {
          const exact = dist(data.query(q), data.vector(hits.labels[i]!));
          expect(Math.abs(hits.distances[i]! - exact)).toBeLessThan(1e-4 * Math.max(1, Math.abs(exact)));
          if (i > 0) expect(hits.distances[i]!).toBeGreaterThanOrEqual(hits.distances[i - 1]!);
        }
        found.push(Array.from(hits.labels));
      }
      expect(recallAtK(truth, found)).toBeGreaterThanOrEqual(0.95);
    });
  }

  it('f16 (halfvec) l2: recall >= 0.95', () => {
    const ix = buildFloat(plain, 'l2', 'f16');
    const truth = exactTopK(plain, K, refFloatDistance('l2'));
    const found = Array.from({ length: Q }, (_, q) => Array.from(ix.search(plain.query(q), K, { efSearch: 40 }).labels));
    expect(recallAtK(truth, found)).toBeGreaterThanOrEqual(0.95);
  });

  const bits = clusteredData({ count: N, dim: 256, seed: 9 }, Q);
  const packed = quantizeData(bits);
  for (const [metric, ref] of [['hamming', refHamming], ['jaccard', refJaccard]] as const) {
    it(`${metric} on binary-quantized data: recall >= 0.95`, () => {
      const ix = new UsearchHnswIndex({ metric, scalar: 'bit', dimensions: 256 });
      ix.addBatch(packed.base.map((_, i) => i), packed.base);
      const found: Float64Array[] = [];
      for (let q = 0; q < Q; q++) {
        const hits = ix.search(packed.queries[q]!, K, { efSearch: 40 });
        for (let i = 0; i < hits.labels.length; i++) {
          expect(hits.distances[i]!).toBeCloseTo(ref(packed.queries[q]!, packed.base[hits.labels[i]!]!), 5);
        }
        found.push(Float64Array.from(hits.labels));
      }
      expect(tieAwareRecall(packed.base, packed.queries, found, K, ref)).toBeGreaterThanOrEqual(0.95);
    });
  }
});

describe('usearch HNSW per-query ef_search', () => {
  const n = 5000;
  // 200 queries: the multi-threaded build's graph varies a little from run to run, and with 50 a
  // couple of misses already fell below the bound
  const data = clusteredData({ count: n, dim: 32, seed: 11 }, 200);
  const ix = new UsearchHnswIndex({ metric: 'l2', scalar: 'f32', dimensions: 32 });
  const labels = Array.from({ length: n }, (_, i) => i);
  ix.addBatch(labels, labels.map((i) => data.vector(i)));

  it('returns count results even when efSearch < count', () => {
    expect(ix.search(data.query(0), 25, { efSearch: 1 }).labels.length).toBe(25);
  });

  it('a larger efSearch finds the true nearest neighbour more often', () => {
    const truth = exactTopK(data, 1, refFloatDistance('l2'));
    const at = (ef: number): number =>
      recallAtK(truth, Array.from({ length: 200 }, (_, q) => Array.from(ix.search(data.query(q), 1, { efSearch: ef }).labels)));
    expect(at(200)).toBeGreaterThanOrEqual(0.98);
    expect(at(200)).toBeGreaterThanOrEqual(at(1));
  });

  it('never returns more than count', () => {
    expect(ix.search(data.query(1), 3, { efSearch: 100 }).labels.length).toBe(3);
  });
});
