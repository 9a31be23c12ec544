// Filtered search on the TypeScript HNSW graph: at 50%, 20%, 5% and 0.5% selectivity (filters both
// uncorrelated and correlated with the clusters) it returns k results whenever k rows match, with
// recall@10 ≥ 0.95, walking the graph when enough rows match and scanning exactly when few do.
import { describe, expect, it } from 'vitest';
import { clusteredData, exactTopK, recallAtK } from './clustered-data.js';
import { HnswGraph } from './hnsw-graph.js';

function l2(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) { const d = a[i]! - b[i]!; s += d * d; }
  return s;
}

/** A well-mixed hash of an integer into 0..9999. */
const bucket = (x: number): number => (Math.imul(x + 1, 2654435761) >>> 0) % 10_000;

describe('HnswGraph filtered search', () => {
  const count = 20_000, dim = 64;
  const data = clusteredData({ count, dim, seed: 11 }, 100);
  const g = new HnswGraph({ metric: 'l2', dimensions: dim, m: 16, efConstruction: 64, seed: 1 });
  for (let i = 0; i < count; i++) g.add(i, data.vector(i));

  const cases = [
    { name: 'random 50%', pct: 50, keep: (id: number) => bucket(id) < 5000, walks: true },
    { name: 'by cluster 50%', pct: 50, keep: (id: number) => bucket(data.baseCluster[id]!) < 5000, walks: true },
    { name: 'random 20%', pct: 20, keep: (id: number) => bucket(id) < 2000, walks: true },
    { name: 'random 5%', pct: 5, keep: (id: number) => bucket(id) < 500, walks: false },
    { name: 'by cluster 5%', pct: 5, keep: (id: number) => bucket(data.baseCluster[id]! * 7) < 500, walks: false },
    { name: 'random 0.5%', pct: 0.5, keep: (id: number) => bucket(id) < 50, walks: false },
  ];
  for (const { name, keep, walks } of cases) {
    it(`${name}: k results and recall@10 ≥ 0.95`, () => {
      const truth = exactTopK(data, 10, l2, keep);
      const found: number[][] = [];
      let walked = 0;
      for (let q = 0; q < 100; q++) {
        const hits = g.search(data.query(q), 10, { efSearch: 40, filter: keep });
        if (!g.lastSearch.exact) walked++;
        expect(hits.labels.length).toBe(truth[q]!.length);
        expect(Array.from(hits.labels).every(keep)).toBe(true);
        found.push(Array.from(hits.labels));
      }
      expect(recallAtK(truth, found)).toBeGreaterThanOrEqual(0.95);
      // Broad filters are served by the graph walk, narrow ones by the exact scan.
      expect(walked).toBe(walks ? 100 : 0);
    });
  }

  it('returns every match when fewer than k exist', () => {
    const few = new Set([5, 17, 19_999]);
    const hits = g.search(data.query(0), 10, { efSearch: 40, filter: (id) => few.has(id) });
    expect(Array.from(hits.labels).sort((a, b) => a - b)).toEqual([5, 17, 19_999]);
    expect(g.search(data.query(0), 10, { filter: () => false }).labels.length).toBe(0);
  });

  it('falls back to an exact scan when the walk cannot find enough matches', () => {
    // Passes exactly the nodes the selectivity sample looks at (every 208th): the sample promises a
    // broad filter, the walk (wanting 100 candidates) finds a narrow one and gives up half-way.
    const step = Math.floor(count / 96);
    const keep = (id: number): boolean => id % step === 0;
    const truth = exactTopK(data, 10, l2, keep);
    const found: number[][] = [];
    let exact = 0;
    for (let q = 0; q < 20; q++) {
      found.push(Array.from(g.search(data.query(q), 10, { efSearch: 100, filter: keep }).labels));
      if (g.lastSearch.exact) exact++;
    }
    expect(exact).toBe(20);
    expect(recallAtK(truth.slice(0, 20), found)).toBe(1);
  });

  it('combines filters with deletions', () => {
    const h = new HnswGraph({ metric: 'l2', dimensions: dim, m: 16, efConstruction: 64, seed: 1 });
    for (let i = 0; i < 5000; i++) h.add(i, data.vector(i));
    for (let i = 0; i < 5000; i += 2) h.remove(i);
    const keep = (id: number): boolean => bucket(id) < 5000;
    let seen = 0;
    for (let q = 0; q < 20; q++) {
      const hits = h.search(data.query(q), 10, { efSearch: 40, filter: keep });
      expect(hits.labels.length).toBe(10);
      for (const l of hits.labels) { expect(l % 2).toBe(1); expect(keep(l)).toBe(true); seen++; }
    }
    expect(seen).toBe(200);
  });
});
