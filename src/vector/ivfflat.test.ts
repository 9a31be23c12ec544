// IVFFlat: recall@10 >= 0.90 at lists=100, probes=10 on 20,000 clustered vectors (l2, ip, cosine,
// f16, hamming), exactness when every list is probed (property test), training from pending
// rows, add/remove after build, and save/load round trips.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { clusteredData, exactTopK, recallAtK, seededRandom } from './clustered-data.js';
import { IvfFlatIndex } from './ivfflat.js';
import { loadAnnIndex } from './ann-index.js';
import { quantizeData, refFloatDistance, refHamming, refJaccard, tieAwareRecall } from './ann-testing.js';

const N = 20_000;
const DIM = 64;
const Q = 100;
const K = 10;
const dir = mkdtempSync(join(tmpdir(), 'ivfflat-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('IVFFlat recall@10 at lists=100, probes=10', () => {
  const plain = clusteredData({ count: N, dim: DIM, seed: 21 }, Q);
  const unit = clusteredData({ count: N, dim: DIM, seed: 22, normalize: true }, Q);
  const labels = Array.from({ length: N }, (_, i) => i);

  for (const [metric, data, scalar] of [['l2', plain, 'f32'], ['ip', unit, 'f32'], ['cosine', unit, 'f32'], ['l2', plain, 'f16']] as const) {
    it(`${metric} ${scalar}: recall >= 0.90, distances match pgvector`, () => {
      const ix = new IvfFlatIndex({ metric, scalar, dimensions: DIM, lists: 100 });
      let progress = 0;
      ix.addBatch(labels, labels.map((i) => data.vector(i)), (done) => { progress = done; });
      expect(progress).toBe(N);
      expect(ix.isTrained()).toBe(true);
      expect(ix.size()).toBe(N);
      const sizes = ix.listSizes();
      expect(sizes.length).toBe(100);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(N);
      const dist = refFloatDistance(metric);
      const truth = exactTopK(data, K, dist);
      const found: number[][] = [];
      for (let q = 0; q < Q; q++) {
        const hits = ix.search(data.query(q), K, { probes: 10 });
        for (let i = 0; i < hits.labels.length; i++) {
          expect(hits.distances[i]!).toBeCloseTo(dist(data.query(q), data.vector(hits.labels[i]!)), 4);
          if (i > 0) expect(hits.distances[i]!).toBeGreaterThanOrEqual(hits.distances[i - 1]!);
        }
        found.push(Array.from(hits.labels));
      }
      expect(recallAtK(truth, found)).toBeGreaterThanOrEqual(0.9);
    });
  }

  it('hamming on binary-quantized data: recall >= 0.90', () => {
    const bits = clusteredData({ count: N, dim: 256, seed: 23 }, Q);
    const packed = quantizeData(bits);
    const ix = new IvfFlatIndex({ metric: 'hamming', scalar: 'bit', dimensions: 256, lists: 100 });
    ix.addBatch(labels, packed.base);
    const found = packed.queries.map((q) => ix.search(q, K, { probes: 10 }).labels);
    expect(tieAwareRecall(packed.base, packed.queries, found, K, refHamming)).toBeGreaterThanOrEqual(0.9);
  });
});

describe('IVFFlat exactness and lifecycle', () => {
  it('probing every list gives the exact top-k (property)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 20 }),
      fc.constantFrom('l2' as const, 'ip' as const, 'cosine' as const), fc.integer({ min: 0, max: 1e6 }),
      fc.constantFrom(8, 64), // 64 dims makes long lists take the native exactSearch scan
      (n, lists, k, metric, seed, dim) => {
        const data = clusteredData({ count: n, dim, clusters: 4, seed }, 3);
        const ix = new IvfFlatIndex({ metric, scalar: 'f32', dimensions: dim, lists }, { seed });
        const labels = Array.from({ length: n }, (_, i) => i * 3);
        ix.addBatch(labels, labels.map((_, i) => data.vector(i)));
        ix.train();
        const dist = refFloatDistance(metric);
        for (let q = 0; q < 3; q++) {
          const hits = ix.search(data.query(q), k, { probes: lists });
          const exact = Array.from({ length: n }, (_, i) => dist(data.query(q), data.vector(i))).sort((a, b) => a - b);
          expect(hits.labels.length).toBe(Math.min(k, n));
          for (let i = 0; i < hits.labels.length; i++) expect(hits.distances[i]!).toBeCloseTo(exact[i]!, 4);
        }
      },
    ), { numRuns: 40 });
  });

  it('jaccard bit lists: exact when probing all lists, dims not a multiple of 8', () => {
    const rand = seededRandom(5);
    const bits = 45;
    const base = Array.from({ length: 400 }, () => Uint8Array.from({ length: 6 }, (_, j) => (j === 5 ? Math.floor(rand() * 256) & 0xf8 : Math.floor(rand() * 256))));
    base[7] = new Uint8Array(6); // an all-zero vector
    const ix = new IvfFlatIndex({ metric: 'jaccard', scalar: 'bit', dimensions: bits, lists: 8 });
    ix.addBatch(base.map((_, i) => i), base);
    const q = base[3]!;
    const hits = ix.search(q, 5, { probes: 8 });
    const exact = base.map((b) => refJaccard(q, b)).sort((a, b) => a - b);
    expect(Array.from(hits.distances)).toEqual(exact.slice(0, 5).map((d) => expect.closeTo(d, 9)));
    expect(hits.labels[0]).toBe(3);
    const zero = ix.search(new Uint8Array(6), 3, { probes: 8 });
    expect(Array.from(zero.distances)).toEqual([1, 1, 1]);
  });

  it('keeps rows pending (exact scan) until there are enough to train', () => {
    const data = clusteredData({ count: 1200, dim: 16, seed: 3 }, 5);
    const ix = new IvfFlatIndex({ metric: 'l2', scalar: 'f32', dimensions: 16, lists: 100 });
    for (let i = 0; i < 999; i++) ix.add(i, data.vector(i));
    expect(ix.isTrained()).toBe(false);
    const truth = exactTopK({ ...data, base: data.base.subarray(0, 999 * 16) }, 10, refFloatDistance('l2'));
    expect(Array.from(ix.search(data.query(0), 10, { probes: 1 }).labels)).toEqual(truth[0]);
    ix.add(999, data.vector(999));
    expect(ix.isTrained()).toBe(true);
    expect(ix.size()).toBe(1000);
    expect(ix.listSizes().reduce((a, b) => a + b, 0)).toBe(1000);
    for (let i = 1000; i < 1200; i++) ix.add(i, data.vector(i));
    expect(ix.size()).toBe(1200);
    expect(ix.search(data.vector(1100), 1, { probes: 1 }).labels[0]).toBe(1100);
  });

  it('remove() excludes labels; add() replaces; zero vectors skip cosine', () => {
    const data = clusteredData({ count: 3000, dim: 16, seed: 4 }, 1);
    const ix = new IvfFlatIndex({ metric: 'cosine', scalar: 'f32', dimensions: 16, lists: 20 });
    const labels = Array.from({ length: 3000 }, (_, i) => i);
    ix.addBatch(labels, labels.map((i) => data.vector(i)));
    const before = Array.from(ix.search(data.query(0), 10, { probes: 20 }).labels);
    for (const l of before.slice(0, 5)) ix.remove(l);
    expect(ix.size()).toBe(2995);
    for (const l of before.slice(0, 5)) expect(ix.has(l)).toBe(false);
    const after = Array.from(ix.search(data.query(0), 10, { probes: 20 }).labels);
    expect(after.slice(0, 5)).toEqual(before.slice(5));
    ix.add(before[9]!, data.query(0));
    expect(ix.size()).toBe(2995);
    const hit = ix.search(data.query(0), 1, { probes: 20 });
    expect(hit.labels[0]).toBe(before[9]);
    expect(hit.distances[0]).toBeCloseTo(0, 6);
    ix.add(5000, new Float32Array(16));
    expect(ix.has(5000)).toBe(false);
  });

  it('save/load round trip gives identical results, trained or pending', () => {
    const data = clusteredData({ count: 4000, dim: 24, seed: 6 }, 20);
    for (const count of [4000, 300]) {
      const ix = new IvfFlatIndex({ metric: 'ip', scalar: 'f16', dimensions: 24, lists: 40 });
      const labels = Array.from({ length: count }, (_, i) => i + 2 ** 40);
      ix.addBatch(labels, labels.map((_, i) => data.vector(i)));
      ix.remove(2 ** 40 + 17);
      const path = join(dir, `ivf-${count}.idx`);
      ix.save(path);
      const back = loadAnnIndex(path) as IvfFlatIndex;
      expect(back.kind).toBe('ivfflat');
      expect(back.options).toEqual(ix.options);
      expect(back.size()).toBe(ix.size());
      expect(back.isTrained()).toBe(ix.isTrained());
      expect(back.has(2 ** 40 + 17)).toBe(false);
      for (let q = 0; q < 20; q++) {
        expect(back.search(data.query(q), 10, { probes: 3 })).toEqual(ix.search(data.query(q), 10, { probes: 3 }));
      }
      const big = data.vector(3999).map((x) => x * 100);
      back.add(1, big);
      expect(back.search(data.vector(3999), 1, { probes: 1 }).labels[0]).toBe(1);
    }
  });
});
