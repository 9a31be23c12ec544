// The in-process ceiling: the same dataset on bare usearch (no SQL, no wire, no MVCC) with the
// same graph parameters as the SQL index (connectivity = m, expansion_add = ef_construction,
// expansion_search = ef_search). The index is built once; single-threaded passes over the query set
// can then be timed at any moment, so that the bench samples the ceiling between QuiverDB's timed
// windows and both see the same machine (this machine is shared: a ceiling timed minutes apart from
// the windows it is compared with moved by up to 2x between runs). Plus a batch on all cores.
import { rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Index, ScalarKind } from 'usearch';
import { recallAtK } from '../../src/vector/index.js';
import { K, usearchMetric, type Dataset } from './datasets.js';

/** Timed passes over the query set per sample (the fastest counts); a pass is ~0.1-0.3 s at 100k × 128. */
const CEILING_PASSES = Number(process.env['BENCH_CEILING_PASSES'] ?? '3');

export interface CeilingPoint {
  ef: number;
  /** Fastest single-thread sample at this ef. */
  qps: number;
  /** Every single-thread sample, in the order taken. */
  samples: number[];
  batchQps: number;
  recall: number;
}
export interface CeilingResult { buildSeconds: number; threads: number; points: CeilingPoint[] }

/** A built bare-library index that can be timed at any ef, any number of times. */
export class CeilingProbe {
  readonly threads = availableParallelism();
  readonly buildSeconds: number;
  /** The built index, saved (expansion_search is not stored: loaders set their own). */
  readonly file = join(tmpdir(), `vector-bench-ceiling-${process.pid}.usearch`);
  private readonly queries: Float32Array[] = [];
  private loaded: { ef: number; index: Index } | null = null;
  private readonly points = new Map<number, CeilingPoint>();

  constructor(private readonly ds: Dataset, private readonly m: number, private readonly efConstruction: number, log: (s: string) => void) {
    const n = ds.spec.n;
    const keys = new BigUint64Array(n);
    for (let i = 0; i < n; i++) keys[i] = BigInt(i);
    const built = this.newIndex(40);
    const t = performance.now();
    built.add(keys, ds.base, this.threads);
    this.buildSeconds = (performance.now() - t) / 1000;
    log(`  usearch build (ceiling): ${this.buildSeconds.toFixed(2)} s on ${this.threads} threads`);
    // expansion_search is fixed per Index and not stored in the file: reloaded under each ef.
    built.save(this.file);
    for (let q = 0; q < ds.spec.queries; q++) this.queries.push(ds.queries.slice(q * ds.dim, (q + 1) * ds.dim));
  }

  private newIndex(efSearch: number): Index {
    return new Index({
      dimensions: this.ds.dim, metric: usearchMetric(this.ds.spec.name), quantization: ScalarKind.F32,
      connectivity: this.m, expansion_add: this.efConstruction, expansion_search: efSearch, multi: false,
    });
  }

  private indexAt(ef: number): Index {
    if (this.loaded?.ef !== ef) {
      const index = this.newIndex(ef);
      index.load(this.file);
      this.loaded = { ef, index };
    }
    return this.loaded.index;
  }

  /** Times CEILING_PASSES single-thread passes at `ef` now; returns the fastest pass's QPS. */
  sample(ef: number): number {
    const ix = this.indexAt(ef);
    let best = Infinity;
    let found: number[][] = [];
    for (let rep = 0; rep < CEILING_PASSES; rep++) {
      const f: number[][] = [];
      const t = performance.now();
      for (const qv of this.queries) f.push(Array.from(ix.search(qv, K, 1).keys, Number));
      best = Math.min(best, performance.now() - t);
      found = f;
    }
    const qps = (this.queries.length * 1000) / best;
    let p = this.points.get(ef);
    if (p === undefined) {
      const t = performance.now();
      ix.search(this.ds.queries, K, this.threads);
      const batchQps = (this.queries.length * 1000) / (performance.now() - t);
      p = { ef, qps, samples: [], batchQps, recall: recallAtK(this.ds.truth, found) };
      this.points.set(ef, p);
    }
    p.samples.push(qps);
    p.qps = Math.max(p.qps, qps);
    return qps;
  }

  result(): CeilingResult {
    return { buildSeconds: this.buildSeconds, threads: this.threads, points: [...this.points.values()].sort((a, b) => a.ef - b.ef) };
  }

  close(): void {
    this.loaded = null;
    rmSync(this.file, { force: true });
  }
}
