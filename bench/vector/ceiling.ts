// The in-process ceiling: the same dataset on bare usearch (no SQL, no wire, no MVCC) with the
// same graph parameters as the SQL index (connectivity = m, expansion_add = ef_construction,
// expansion_search = ef_search), single-threaded QPS (best of CEILING_PASSES passes over the queries,
// so that a noisy moment of a shared machine does not lower the ceiling) and recall at each ef, plus a
// batch on all cores.
import { rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Index, ScalarKind } from 'usearch';
import { recallAtK } from '../../src/vector/index.js';
import { K, usearchMetric, type Dataset } from './datasets.js';

/** Timed passes over the query set per ef (the fastest counts); a pass is ~0.1-0.3 s at 100k × 128. */
const CEILING_PASSES = Number(process.env['BENCH_CEILING_PASSES'] ?? '7');

export interface CeilingPoint { ef: number; qps: number; batchQps: number; recall: number }
export interface CeilingResult { buildSeconds: number; threads: number; points: CeilingPoint[] }

function newIndex(ds: Dataset, m: number, efConstruction: number, efSearch: number): Index {
  return new Index({
    dimensions: ds.dim, metric: usearchMetric(ds.spec.name), quantization: ScalarKind.F32,
    connectivity: m, expansion_add: efConstruction, expansion_search: efSearch, multi: false,
  });
}

export function runCeiling(ds: Dataset, efs: readonly number[], m: number, efConstruction: number, log: (s: string) => void): CeilingResult {
  const threads = availableParallelism();
  const n = ds.spec.n;
  const keys = new BigUint64Array(n);
  for (let i = 0; i < n; i++) keys[i] = BigInt(i);
  const built = newIndex(ds, m, efConstruction, efs[0] ?? 40);
  let t = performance.now();
  built.add(keys, ds.base, threads);
  const buildSeconds = (performance.now() - t) / 1000;
  log(`  usearch build: ${buildSeconds.toFixed(2)} s on ${threads} threads`);
  // expansion_search is fixed per Index and not stored in the file: reload under each ef.
  const file = join(tmpdir(), `vector-bench-ceiling-${process.pid}.usearch`);
  built.save(file);
  const queries: Float32Array[] = [];
  for (let q = 0; q < ds.spec.queries; q++) queries.push(ds.queries.slice(q * ds.dim, (q + 1) * ds.dim));
  const points: CeilingPoint[] = [];
  try {
    for (const ef of efs) {
      const ix = newIndex(ds, m, efConstruction, ef);
      ix.load(file);
      let best = Infinity;
      let found: number[][] = [];
      for (let rep = 0; rep < CEILING_PASSES; rep++) {
        const f: number[][] = [];
        t = performance.now();
        for (const qv of queries) f.push(Array.from(ix.search(qv, K, 1).keys, Number));
        best = Math.min(best, performance.now() - t);
        found = f;
      }
      t = performance.now();
      ix.search(ds.queries, K, threads);
      const batchMs = performance.now() - t;
      const p = { ef, qps: (queries.length * 1000) / best, batchQps: (queries.length * 1000) / batchMs, recall: recallAtK(ds.truth, found) };
      points.push(p);
      log(`  usearch ef=${ef}: ${p.qps.toFixed(0)} QPS single-thread, ${p.batchQps.toFixed(0)} QPS batch on ${threads} threads, recall@10 ${p.recall.toFixed(4)}`);
    }
  } finally {
    rmSync(file, { force: true });
  }
  return { buildSeconds, threads, points };
}
