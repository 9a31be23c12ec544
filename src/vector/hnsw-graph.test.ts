// Behaviour of the TypeScript HNSW graph on small data: every metric against exact search, deletes
// and compaction, the iterative scan, serialization, zero vectors and input errors, plus property
// tests of reported distances and scan exhaustiveness.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SqlError } from '../base/index.js';
import { clusteredData, exactTopK, recallAtK, seededRandom } from './clustered-data.js';
import { HnswGraph, type GraphVector, type HnswMetric } from './hnsw-graph.js';

/** Reference distances, written the plain way in double precision. */
function refDistance(metric: HnswMetric, a: Float32Array, b: Float32Array): number {
  let dot = 0, na = 0, nb = 0, l2 = 0, l1 = 0, both = 0, ca = 0, cb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!, y = b[i]!;
    dot += x * y; na += x * x; nb += y * y; l2 += (x - y) * (x - y); l1 += Math.abs(x - y);
    if (x !== 0) ca++;
    if (y !== 0) cb++;
    if (x !== 0 && y !== 0) both++;
  }
  switch (metric) {
    case 'l2': return Math.sqrt(l2);
    case 'ip': return -dot;
    case 'cosine': return 1 - Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)));
    case 'l1': return l1;
    case 'hamming': return ca + cb - 2 * both;
    case 'jaccard': return both === 0 ? 1 : 1 - both / (ca + cb - both);
  }
}

function build(metric: HnswMetric, vectors: readonly Float32Array[], opts: { m?: number; seed?: number } = {}): HnswGraph {
  const g = new HnswGraph({ metric, dimensions: vectors[0]!.length, m: opts.m ?? 12, efConstruction: 64, seed: opts.seed ?? 3 });
  vectors.forEach((v, i) => g.add(i, v));
  return g;
}

function rows(data: { vector(i: number): Float32Array }, n: number): Float32Array[] {
  return Array.from({ length: n }, (_, i) => data.vector(i));
}

function sqlState(f: () => unknown): string | undefined {
  try { f(); } catch (e) { return e instanceof SqlError ? e.code : 'not a SqlError'; }
  return undefined;
}

describe('HnswGraph on small data', () => {
  const N = 2000;

  for (const metric of ['l2', 'ip', 'cosine', 'l1'] as const) {
    it(`${metric}: recall@10 against exact search and pgvector distances`, () => {
      const data = clusteredData({ count: N, dim: 24, seed: 5, normalize: metric === 'ip' }, 40);
      const g = build(metric, rows(data, N));
      expect(g.size()).toBe(N);
      const truth = exactTopK(data, 10, (a, b) => refDistance(metric, a, b));
      const found: number[][] = [];
      for (let q = 0; q < 40; q++) {
        const hits = g.search(data.query(q), 10, { efSearch: 64 });
        expect(hits.labels.length).toBe(10);
        for (let i = 0; i < 10; i++) {
          const want = refDistance(metric, data.query(q), data.vector(hits.labels[i]!));
          expect(Math.abs(Number(hits.distances[i]) - want)).toBeLessThan(1e-4 * Math.max(1, Math.abs(want)));
          if (i > 0) expect(Number(hits.distances[i])).toBeGreaterThanOrEqual(Number(hits.distances[i - 1]));
        }
        found.push(Array.from(hits.labels));
      }
      expect(recallAtK(truth, found)).toBeGreaterThanOrEqual(0.98);
    });
  }

  for (const metric of ['hamming', 'jaccard'] as const) {
    it(`${metric}: over 0/1 vectors finds neighbours as near as the exact ones`, () => {
      const data = clusteredData({ count: N, dim: 64, seed: 9 }, 30);
      const bits = (v: Float32Array): Float32Array => v.map((x) => (x > 0 ? 1 : 0));
      const vs = rows(data, N).map(bits);
      const g = build(metric, vs);
      let near = 0;
      for (let q = 0; q < 30; q++) {
        const query = bits(data.query(q));
        const exact = vs.map((v) => refDistance(metric, query, v)).sort((a, b) => a - b);
        const hits = g.search(query, 10, { efSearch: 80 });
        for (let i = 0; i < 10; i++) {
          const d = Number(hits.distances[i]);
          expect(d).toBeCloseTo(refDistance(metric, query, vs[hits.labels[i]!]!), 9);
          if (d <= exact[9]!) near++;
        }
      }
      expect(near / 300).toBeGreaterThanOrEqual(0.95);
    });
  }

  it('sparse storage gives the same answers as dense storage', () => {
    const data = clusteredData({ count: 800, dim: 16, seed: 2 }, 20);
    const vs = rows(data, 800).map((v) => v.map((x) => (Math.abs(x) < 0.5 ? 0 : x)));
    const toSparse = (v: Float32Array): GraphVector => {
      const idx: number[] = [];
      v.forEach((x, i) => { if (x !== 0) idx.push(i); });
      return { dim: v.length, indices: Int32Array.from(idx), values: Float32Array.from(idx, (i) => v[i]!) };
    };
    for (const metric of ['l2', 'ip', 'cosine', 'l1'] as const) {
      const dense = new HnswGraph({ metric, dimensions: 16, m: 8, seed: 1 });
      const sparse = new HnswGraph({ metric, dimensions: 16, m: 8, seed: 1, storage: 'sparse' });
      vs.forEach((v, i) => { if (v.some((x) => x !== 0)) { dense.add(i, v); sparse.add(i, toSparse(v)); } });
      for (let q = 0; q < 20; q++) {
        const query = data.query(q);
        const a = dense.search(query, 5, { efSearch: 800 });
        const b = sparse.search(toSparse(query), 5, { efSearch: 800 });
        expect(Array.from(b.distances).map((d) => d.toFixed(4))).toEqual(Array.from(a.distances).map((d) => d.toFixed(4)));
      }
    }
  });

  it('remove hides labels, add replaces a vector, and compact keeps recall', () => {
    const data = clusteredData({ count: N, dim: 24, seed: 8 }, 40);
    const g = build('l2', rows(data, N));
    const removed = (i: number): boolean => i % 5 !== 0;
    const gone = N - N / 5;
    for (let i = 0; i < N; i++) if (removed(i)) g.remove(i);
    g.remove(1_000_000); // unknown labels are ignored
    expect(g.has(1)).toBe(false);
    expect(g.has(5)).toBe(true);
    expect(g.size()).toBe(N - gone);
    expect(g.deletedCount()).toBe(gone);
    const truth = exactTopK(data, 10, (a, b) => refDistance('l2', a, b), (i) => !removed(i));
    const run = (): number[][] => Array.from({ length: 40 }, (_, q) => Array.from(g.search(data.query(q), 10, { efSearch: 16 }).labels));
    const before = run();
    expect(before.flat().some(removed)).toBe(false);
    expect(recallAtK(truth, before)).toBeGreaterThanOrEqual(0.95);
    expect(g.compact()).toBe(gone);
    expect(g.deletedCount()).toBe(0);
    expect(g.size()).toBe(N - gone);
    const after = run();
    expect(after.flat().some(removed)).toBe(false);
    expect(recallAtK(truth, after)).toBeGreaterThanOrEqual(0.95);
    // Re-adding a label replaces its vector.
    g.add(5, data.query(0));
    expect(g.size()).toBe(N - gone);
    const hit = g.search(data.query(0), 1, {});
    expect(Array.from(hit.labels)).toEqual([5]);
    expect(hit.distances[0]).toBe(0);
    // Removing everything, then adding again, starts a fresh graph.
    for (let i = 0; i < N; i++) g.remove(i);
    expect(g.size()).toBe(0);
    expect(g.search(data.query(0), 3, {}).labels.length).toBe(0);
    g.add(7, data.vector(7));
    expect(Array.from(g.search(data.query(0), 3, {}).labels)).toEqual([7]);
  });

  it('searchIter yields every live label once, nearest first, and honours maxVisited', () => {
    const data = clusteredData({ count: N, dim: 16, seed: 4 }, 3);
    const g = build('l1', rows(data, N));
    for (let i = 0; i < N; i += 7) g.remove(i);
    const live = N - Math.ceil(N / 7);
    const query = data.query(0);
    const out = [...g.searchIter(query, { efSearch: 20 })];
    expect(out.length).toBe(live);
    expect(new Set(out.map((h) => h.label)).size).toBe(live);
    expect(out.some((h) => h.label % 7 === 0)).toBe(false);
    let ordered = 0;
    for (let i = 1; i < out.length; i++) if (out[i]!.distance >= out[i - 1]!.distance) ordered++;
    expect(ordered / (out.length - 1)).toBeGreaterThanOrEqual(0.9);
    for (const h of out.slice(0, 50)) expect(h.distance).toBeCloseTo(refDistance('l1', query, data.vector(h.label)), 3);
    const top = Array.from(g.search(query, 10, { efSearch: 20 }).labels);
    expect(recallAtK([top], [out.slice(0, 10).map((h) => h.label)])).toBeGreaterThanOrEqual(0.9);
    // With a filter: exactly the matching labels.
    const even = [...g.searchIter(query, { efSearch: 20, filter: (l) => l % 2 === 0 })];
    expect(even.length).toBe(Array.from({ length: N }, (_, i) => i).filter((i) => i % 2 === 0 && i % 7 !== 0).length);
    expect(even.every((h) => h.label % 2 === 0)).toBe(true);
    // maxVisited stops the scan early.
    const capped = [...g.searchIter(query, { efSearch: 20, maxVisited: 300 })];
    expect(capped.length).toBeGreaterThan(0);
    expect(capped.length).toBeLessThanOrEqual(300);
    // Removals while a scan is open are honoured; compaction makes the scan throw.
    const it2 = g.searchIter(query, { efSearch: 20 })[Symbol.iterator]();
    const first = it2.next().value!;
    const second = [...g.searchIter(query, { efSearch: 20 })][1]!;
    g.remove(second.label);
    expect(it2.next().value!.label).not.toBe(second.label);
    expect(first.label).not.toBe(second.label);
    g.compact();
    expect(() => it2.next()).toThrow(/compacted/);
  });

  it('serialize/deserialize round-trips exactly, including later inserts', () => {
    const data = clusteredData({ count: 1200, dim: 12, seed: 6 }, 20);
    for (const storage of ['dense', 'sparse'] as const) {
      const g = new HnswGraph({ metric: 'cosine', dimensions: 12, m: 8, seed: 77, storage });
      for (let i = 0; i < 1000; i++) g.add(i * 3, data.vector(i));
      g.add(5000, new Float32Array(12)); // zero vector: not indexed
      for (let i = 0; i < 1000; i += 10) g.remove(i * 3);
      const image = g.serialize();
      const h = HnswGraph.deserialize(image);
      expect(h.size()).toBe(g.size());
      expect(h.has(5000)).toBe(false);
      expect(h.deletedCount()).toBe(g.deletedCount());
      for (let q = 0; q < 20; q++) {
        expect(h.search(data.query(q), 10, { efSearch: 30 })).toEqual(g.search(data.query(q), 10, { efSearch: 30 }));
      }
      for (let i = 1000; i < 1200; i++) { g.add(i * 3, data.vector(i)); h.add(i * 3, data.vector(i)); }
      expect(h.serialize()).toEqual(g.serialize());
      expect(HnswGraph.deserialize(image.slice()).serialize()).toEqual(image);
    }
  });

  it('rejects corrupted images with XX001', () => {
    const data = clusteredData({ count: 200, dim: 8, seed: 1 }, 0);
    const g = build('l2', rows(data, 200), { m: 4 });
    const image = g.serialize();
    expect(sqlState(() => HnswGraph.deserialize(image.subarray(0, image.length - 8)))).toBe('XX001');
    const badMagic = image.slice(); badMagic[0]! ^= 0xff;
    expect(sqlState(() => HnswGraph.deserialize(badMagic))).toBe('XX001');
    // Point node 0's first level-0 neighbour at a node that does not exist. Image layout: 96-byte
    // header, labels f64[n], levels u8[n], flags u8[n], aux f64[n], vectors f32[n*dim], links.
    const badLink = image.slice();
    const dv = new DataView(badLink.buffer);
    const links0 = 96 + 200 * 8 + 200 + 200 + 200 * 8 + 200 * 8 * 4;
    expect(dv.getInt32(links0, true)).toBeGreaterThan(0);
    dv.setInt32(links0 + 4, 999_999, true);
    expect(sqlState(() => HnswGraph.deserialize(badLink))).toBe('XX001');
  });

  it('zero vectors under cosine are not indexed; zero queries give NaN', () => {
    const g = new HnswGraph({ metric: 'cosine', dimensions: 3 });
    g.add(1, Float32Array.of(1, 0, 0));
    g.add(2, Float32Array.of(0, 0, 0));
    g.add(3, Float32Array.of(0, 1, 0));
    expect(g.size()).toBe(2);
    expect(g.has(2)).toBe(false);
    const hits = g.search(Float32Array.of(1, 1, 0), 10, {});
    expect(Array.from(hits.labels).sort()).toEqual([1, 3]);
    expect(hits.distances[0]).toBeCloseTo(1 - Math.SQRT1_2, 6);
    expect([...g.searchIter(Float32Array.of(1, 0, 0), {})].map((h) => h.label)).toEqual([1, 3]);
    expect(Number.isNaN(g.search(Float32Array.of(0, 0, 0), 1, {}).distances[0])).toBe(true);
    g.add(1, Float32Array.of(0, 0, 0)); // replacing with a zero vector drops the label
    expect(g.has(1)).toBe(false);
    expect(g.size()).toBe(1);
    expect(Array.from(g.search(Float32Array.of(1, 0, 0), 10, {}).labels)).toEqual([3]);
  });

  it('reports bad input as SQL errors', () => {
    const g = new HnswGraph({ metric: 'l2', dimensions: 4 });
    expect(sqlState(() => g.add(1, new Float32Array(3)))).toBe('22000');
    expect(() => g.add(1, new Float32Array(3))).toThrow('expected 4 dimensions, not 3');
    expect(sqlState(() => g.add(-1, new Float32Array(4)))).toBe('22023');
    expect(sqlState(() => g.add(1.5, new Float32Array(4)))).toBe('22023');
    expect(sqlState(() => g.add(1, { dim: 4, indices: Int32Array.of(2, 1), values: Float32Array.of(1, 1) }))).toBe('22000');
    expect(sqlState(() => g.add(1, { dim: 4, indices: Int32Array.of(4), values: Float32Array.of(1) }))).toBe('22000');
    expect(sqlState(() => new HnswGraph({ metric: 'l2', dimensions: 4, m: 1 }))).toBe('22023');
    expect(sqlState(() => g.addBatch([1, 2], [new Float32Array(4)]))).toBe('22023');
    // A sparse vector into a dense graph (and back) is converted.
    g.add(9, { dim: 4, indices: Int32Array.of(1, 3), values: Float32Array.of(2, 2) });
    expect(g.search({ dim: 4, indices: Int32Array.of(1), values: Float32Array.of(2) }, 1, {}).distances[0]).toBe(2);
    expect(g.search(new Float32Array(4), 0, {}).labels.length).toBe(0);
  });

  it('addBatch reports progress and builds the same graph as add', () => {
    const data = clusteredData({ count: 3000, dim: 8, seed: 12 }, 0);
    const a = new HnswGraph({ metric: 'l2', dimensions: 8, seed: 5 });
    const b = new HnswGraph({ metric: 'l2', dimensions: 8, seed: 5 });
    const labels = Array.from({ length: 3000 }, (_, i) => i + 2 ** 40);
    const progress: number[] = [];
    a.addBatch(labels, rows(data, 3000), (done) => progress.push(done));
    labels.forEach((l, i) => b.add(l, data.vector(i)));
    expect(progress).toEqual([1024, 2048, 3000]);
    expect(a.serialize()).toEqual(b.serialize());
    expect(a.search(data.vector(5), 1, {}).labels[0]).toBe(2 ** 40 + 5);
  });
});

describe('HnswGraph properties', () => {
  const metricArb = fc.constantFrom<HnswMetric>('l2', 'ip', 'cosine', 'l1', 'hamming', 'jaccard');
  const caseArb = fc.record({
    metric: metricArb,
    dim: fc.integer({ min: 1, max: 6 }),
    n: fc.integer({ min: 1, max: 80 }),
    storage: fc.constantFrom<'dense' | 'sparse'>('dense', 'sparse'),
    m: fc.integer({ min: 2, max: 8 }),
    seed: fc.integer({ min: 0, max: 1000 }),
    removeEvery: fc.integer({ min: 0, max: 5 }),
  });

  function makeVectors(dim: number, n: number, seed: number): Float32Array[] {
    const rand = seededRandom(seed);
    // Small integers (with repeats and zeros) to provoke ties.
    return Array.from({ length: n + 1 }, () => Float32Array.from({ length: dim }, () => Math.floor(rand() * 5) - 2));
  }

  it('searchIter is exhaustive and every reported distance is the pgvector distance', () => {
    fc.assert(fc.property(caseArb, ({ metric, dim, n, storage, m, seed, removeEvery }) => {
      const vs = makeVectors(dim, n, seed);
      const query = vs[n]!;
      const g = new HnswGraph({ metric, dimensions: dim, m, efConstruction: 8, seed, storage });
      const indexable = (v: Float32Array): boolean => metric !== 'cosine' || v.some((x) => x !== 0);
      for (let i = 0; i < n; i++) g.add(i, vs[i]!);
      const live = new Set<number>();
      for (let i = 0; i < n; i++) if (removeEvery === 0 || i % removeEvery !== 0) live.add(i); else g.remove(i);
      const expected = [...live].filter((i) => indexable(vs[i]!)).sort((a, b) => a - b);
      expect(g.size()).toBe(expected.length);
      for (let i = 0; i < n; i++) expect(g.has(i)).toBe(expected.includes(i));
      const out = [...g.searchIter(query, { efSearch: 4 })];
      expect(out.map((h) => h.label).sort((a, b) => a - b)).toEqual(expected);
      const qNaN = metric === 'cosine' && !indexable(query);
      for (const h of out) {
        if (qNaN) expect(Number.isNaN(h.distance)).toBe(true);
        else expect(h.distance).toBeCloseTo(refDistance(metric, query, vs[h.label]!), 4);
      }
      const hits = g.search(query, 5, { efSearch: 2 });
      expect(hits.labels.length).toBe(Math.min(5, expected.length));
      for (let i = 1; i < hits.labels.length && !qNaN; i++) expect(hits.distances[i]!).toBeGreaterThanOrEqual(hits.distances[i - 1]!);
      g.compact();
      expect([...g.searchIter(query, {})].map((h) => h.label).sort((a, b) => a - b)).toEqual(expected);
    }), { numRuns: 300 });
  });
});
