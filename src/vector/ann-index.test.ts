// The AnnIndex contract through createAnnIndex/loadAnnIndex: option and input validation, l1
// routing error, label replace/remove/has, pgvector distance values for every metric (including
// zero-vector edge cases and bit lengths that are not whole bytes), exact results on small HNSW
// graphs (property), and HNSW save/load round trips.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createAnnIndex, loadAnnIndex } from './ann-index.js';
import { annIndexFiles } from './ann-files.js';
import { UsearchUnsupportedError } from './usearch-hnsw.js';
import { clusteredData, seededRandom } from './clustered-data.js';
import { refFloatDistance, refHamming, refJaccard } from './ann-testing.js';
import type { AnnKind } from './ann-types.js';

const dir = mkdtempSync(join(tmpdir(), 'ann-index-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('validation', () => {
  it('rejects bad options and routes l1 HNSW elsewhere', () => {
    expect(() => createAnnIndex('hnsw', { metric: 'l1', scalar: 'f32', dimensions: 3 })).toThrow(UsearchUnsupportedError);
    expect(() => createAnnIndex('hnsw', { metric: 'l1', scalar: 'f32', dimensions: 3 })).toThrow(/TypeScript HNSW graph/);
    expect(() => createAnnIndex('ivfflat', { metric: 'l1', scalar: 'f32', dimensions: 3 })).toThrow(/l1/);
    expect(() => createAnnIndex('hnsw', { metric: 'hamming', scalar: 'f32', dimensions: 3 })).toThrow(/does not apply/);
    expect(() => createAnnIndex('hnsw', { metric: 'l2', scalar: 'bit', dimensions: 8 })).toThrow(/does not apply/);
    expect(() => createAnnIndex('hnsw', { metric: 'l2', scalar: 'f32', dimensions: 0 })).toThrow(/dimensions/);
    expect(() => createAnnIndex('hnsw', { metric: 'l2', scalar: 'f32', dimensions: 4, m: 0 })).toThrow(/m must/);
    expect(() => createAnnIndex('ivfflat', { metric: 'l2', scalar: 'f32', dimensions: 4, lists: 1.5 })).toThrow(/lists/);
    expect(() => createAnnIndex('nope' as AnnKind, { metric: 'l2', scalar: 'f32', dimensions: 4 })).toThrow(/kind/);
  });

  for (const kind of ['hnsw', 'ivfflat'] as const) {
    it(`${kind}: rejects bad labels and vectors`, () => {
      const ix = createAnnIndex(kind, { metric: 'l2', scalar: 'f32', dimensions: 3 });
      expect(() => ix.add(-1, new Float32Array(3))).toThrow(/label/);
      expect(() => ix.add(2 ** 53, new Float32Array(3))).toThrow(/label/);
      expect(() => ix.add(1.5, new Float32Array(3))).toThrow(/label/);
      expect(() => ix.add(1, new Float32Array(4))).toThrow(/dimensions/);
      expect(() => ix.add(1, new Uint8Array(3))).toThrow(/Float32Array/);
      expect(() => ix.addBatch([1, 1], [new Float32Array(3), new Float32Array(3)])).toThrow(/twice/);
      expect(() => ix.addBatch([1], [])).toThrow(/labels/);
      expect(ix.size()).toBe(0);
      const bits = createAnnIndex(kind, { metric: 'hamming', scalar: 'bit', dimensions: 12 });
      expect(() => bits.add(1, new Uint8Array(1))).toThrow(/12 bits/);
      bits.add(2 ** 53 - 1, new Uint8Array(2));
      expect(bits.has(2 ** 53 - 1)).toBe(true);
      expect(ix.search(new Float32Array(3), 5, {}).labels.length).toBe(0);
    });
  }
});

describe.each(['hnsw', 'ivfflat'] as const)('%s contract', (kind) => {
  const opts = { lists: 4 };

  it('add replaces, remove excludes, has tracks membership', () => {
    const ix = createAnnIndex(kind, { metric: 'l2', scalar: 'f32', dimensions: 2, ...opts });
    const labels = Array.from({ length: 50 }, (_, i) => i);
    ix.addBatch(labels, labels.map((i) => Float32Array.of(i, 0)));
    expect(ix.size()).toBe(50);
    expect(ix.has(10)).toBe(true);
    ix.remove(10);
    ix.remove(10);
    ix.remove(999);
    expect(ix.has(10)).toBe(false);
    expect(ix.size()).toBe(49);
    const hits = ix.search(Float32Array.of(10, 0), 3, { efSearch: 64, probes: 4 });
    expect(Array.from(hits.labels.slice(0, 2)).sort((a, b) => a - b)).toEqual([9, 11]);
    expect([8, 12]).toContain(hits.labels[2]);
    expect(Array.from(hits.distances)).toEqual([1, 1, 2]);
    expect(Array.from(hits.labels)).not.toContain(10);
    ix.add(20, Float32Array.of(100, 0)); // replace
    expect(ix.size()).toBe(49);
    const far = ix.search(Float32Array.of(100, 0), 1, { efSearch: 64, probes: 4 });
    expect(Array.from(far.labels)).toEqual([20]);
    expect(far.distances[0]).toBe(0);
    ix.addBatch([20, 10], [Float32Array.of(20, 0), Float32Array.of(10, 0)]);
    expect(ix.size()).toBe(50);
    expect(Array.from(ix.search(Float32Array.of(10.1, 0), 1, { efSearch: 64, probes: 4 }).labels)).toEqual([10]);
  });

  it('distances are pgvector values for every float metric and f16', () => {
    const data = clusteredData({ count: 200, dim: 10, seed: 31 }, 5);
    for (const metric of ['l2', 'ip', 'cosine'] as const) {
      for (const scalar of ['f32', 'f16'] as const) {
        const ix = createAnnIndex(kind, { metric, scalar, dimensions: 10, ...opts });
        const labels = Array.from({ length: 200 }, (_, i) => i);
        ix.addBatch(labels, labels.map((i) => data.vector(i)));
        const dist = refFloatDistance(metric);
        for (let q = 0; q < 5; q++) {
          const hits = ix.search(data.query(q), 20, { efSearch: 200, probes: 4 });
          expect(hits.labels.length).toBe(20);
          const exact = labels.map((i) => dist(data.query(q), data.vector(i))).sort((a, b) => a - b);
          // Values are not f16-rounded in this data, so f16 storage is only close.
          const tol = scalar === 'f16' ? 2e-2 : 1e-4;
          const close = (a: number, b: number): boolean => Math.abs(a - b) < tol * Math.max(1, Math.abs(b));
          for (let i = 0; i < 20; i++) {
            expect(close(hits.distances[i]!, dist(data.query(q), data.vector(hits.labels[i]!)))).toBe(true);
            // Inner product is not a metric: HNSW graphs built on it can leave nodes unreachable
            // (pgvector too), so only IVFFlat (all lists probed) is exact for ip.
            if (metric !== 'ip' || kind === 'ivfflat') expect(close(hits.distances[i]!, exact[i]!)).toBe(true);
          }
        }
      }
    }
  });

  it('cosine does not index zero vectors; jaccard/hamming handle odd bit lengths and zero queries', () => {
    const cos = createAnnIndex(kind, { metric: 'cosine', scalar: 'f32', dimensions: 3, ...opts });
    cos.addBatch([1, 2], [new Float32Array(3), Float32Array.of(1, 2, 3)]);
    expect(cos.has(1)).toBe(false);
    expect(cos.has(2)).toBe(true);
    expect(cos.size()).toBe(1);
    const nan = cos.search(new Float32Array(3), 5, { efSearch: 10, probes: 4 });
    expect(Array.from(nan.labels)).toEqual([2]);
    expect(Number.isNaN(nan.distances[0])).toBe(true);
    const rand = seededRandom(12);
    const base = Array.from({ length: 120 }, () => Uint8Array.of(Math.floor(rand() * 256), Math.floor(rand() * 16) << 4));
    base[5] = new Uint8Array(2);
    for (const [metric, ref] of [['hamming', refHamming], ['jaccard', refJaccard]] as const) {
      const ix = createAnnIndex(kind, { metric, scalar: 'bit', dimensions: 12, ...opts });
      ix.addBatch(base.map((_, i) => i), base);
      for (const q of [base[9]!, Uint8Array.of(0xff, 0xf0), new Uint8Array(2)]) {
        const hits = ix.search(q, 10, { efSearch: 200, probes: 4 });
        const exact = base.map((b) => ref(q, b)).sort((a, b) => a - b);
        expect(Array.from(hits.distances).map((d) => Math.round(d * 1e5))).toEqual(exact.slice(0, 10).map((d) => Math.round(d * 1e5)));
      }
    }
  });

  it('save/load round trip returns identical results', () => {
    const data = clusteredData({ count: 3000, dim: 16, seed: 33 }, 20);
    const ix = createAnnIndex(kind, { metric: 'cosine', scalar: 'f32', dimensions: 16, m: 8, efConstruction: 40, lists: 10 });
    const labels = Array.from({ length: 3000 }, (_, i) => 10 * i + 2 ** 45);
    ix.addBatch(labels, labels.map((_, i) => data.vector(i)));
    ix.remove(labels[7]!);
    const path = join(dir, `${kind}.idx`);
    ix.save(path);
    ix.save(path); // overwrite in place
    const back = loadAnnIndex(path);
    expect(back.kind).toBe(kind);
    expect(back.options).toEqual(ix.options);
    expect(back.size()).toBe(2999);
    expect(back.has(labels[7]!)).toBe(false);
    expect(back.has(labels[8]!)).toBe(true);
    for (let q = 0; q < 20; q++) {
      const a = ix.search(data.query(q), 10, { efSearch: 40, probes: 2 });
      const b = back.search(data.query(q), 10, { efSearch: 40, probes: 2 });
      expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
      expect(Array.from(b.distances)).toEqual(Array.from(a.distances));
    }
    back.add(1, data.query(0));
    expect(back.search(data.query(0), 1, { efSearch: 40, probes: 10 }).labels[0]).toBe(1);
    for (const f of annIndexFiles(path)) if (kind === 'hnsw') expect(existsSync(f)).toBe(true);
  });
});

describe('HNSW on small sets is exact when efSearch covers the set (property)', () => {
  // l2 and cosine only: an inner-product graph may leave nodes unreachable (not a metric).
  it('matches brute force', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 }),
      fc.constantFrom('l2' as const, 'cosine' as const), fc.integer({ min: 0, max: 1e6 }),
      (n, k, metric, seed) => {
        const data = clusteredData({ count: n, dim: 6, clusters: 3, seed }, 2);
        const ix = createAnnIndex('hnsw', { metric, scalar: 'f32', dimensions: 6 });
        ix.addBatch(Array.from({ length: n }, (_, i) => i), Array.from({ length: n }, (_, i) => data.vector(i)));
        const dist = refFloatDistance(metric);
        for (let q = 0; q < 2; q++) {
          const hits = ix.search(data.query(q), k, { efSearch: 64 });
          const exact = Array.from({ length: n }, (_, i) => dist(data.query(q), data.vector(i))).sort((a, b) => a - b);
          expect(hits.labels.length).toBe(Math.min(n, k));
          for (let i = 0; i < hits.labels.length; i++) expect(hits.distances[i]!).toBeCloseTo(exact[i]!, 4);
        }
      },
    ), { numRuns: 60 });
  });
});

describe('loadAnnIndex', () => {
  it('refuses files it did not write', () => {
    const path = join(dir, 'missing-sidecar.idx');
    createAnnIndex('hnsw', { metric: 'l2', scalar: 'f32', dimensions: 2 }).save(path);
    rmSync(`${path}.meta.json`);
    expect(() => loadAnnIndex(path)).toThrow(/sidecar/);
  });
});
