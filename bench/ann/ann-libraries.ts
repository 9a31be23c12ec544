// In-process ANN library comparison on clustered L2 data (default 100,000 × 128): build time and
// threads, single-thread QPS and recall@10 across ef_search (HNSW) / probes (IVFFlat), for usearch
// f32, usearch f16, our IVFFlat, and hnswlib-node when it builds outside the project tree.
// Also a micro-benchmark of IVFFlat list scanning: local TS kernel vs usearch exactSearch.
// Run: node --import tsx bench/ann/ann-libraries.ts   (BENCH_N=20000 for a quick run;
// HNSWLIB_DIR=/tmp/hnswprobe is where hnswlib-node was installed; BENCH_Q = query count;
// BENCH_SPREAD=1 for overlapping clusters)
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { exactSearch, MetricKind } from 'usearch';
import { clusteredData, exactTopK, recallAtK, seededRandom } from '../../src/vector/clustered-data.js';
import { UsearchHnswIndex, ANN_THREADS } from '../../src/vector/usearch-hnsw.js';
import { IvfFlatIndex } from '../../src/vector/ivfflat.js';
import { TopK, l2sqAt } from '../../src/vector/ann-kernels.js';
import { refL2 } from '../../src/vector/ann-testing.js';
import type { AnnIndex } from '../../src/vector/ann-types.js';
import { table, fmt } from '../lib/stats.js';

const N = Number(process.env['BENCH_N'] ?? 100_000);
const DIM = Number(process.env['BENCH_DIM'] ?? 128);
const Q = Number(process.env['BENCH_Q'] ?? 200);
const K = 10;
const EFS = [10, 20, 40, 80, 160, 320];
const PROBES = [1, 2, 5, 10, 20, 40];
const HNSWLIB_DIR = process.env['HNSWLIB_DIR'] ?? '/tmp/hnswprobe';
/** Cluster spread (clusteredData default 0.35); 1.0 makes clusters overlap, a harder set for IVF. */
const SPREAD = Number(process.env['BENCH_SPREAD'] ?? 0.35);

interface Row { library: string; param: string; qps: number; recall: number }
const rows: Row[] = [];
const builds: string[][] = [];

function now(): number { return performance.now(); }

/** Best-of-3 single-thread QPS over all queries, plus recall@10 against truth. */
function sweep(library: string, label: string, search: (q: number) => ArrayLike<number>, truth: number[][]): void {
  let best = Infinity;
  let found: number[][] = [];
  for (let rep = 0; rep < 3; rep++) {
    const t = now();
    const f: number[][] = [];
    for (let q = 0; q < Q; q++) f.push(Array.from(search(q)));
    best = Math.min(best, now() - t);
    found = f;
  }
  rows.push({ library, param: label, qps: (Q * 1000) / best, recall: recallAtK(truth, found) });
  console.log(`  ${library.padEnd(22)} ${label.padEnd(12)} qps=${fmt((Q * 1000) / best, 0).padStart(7)} recall@10=${recallAtK(truth, found).toFixed(4)}`);
}

function main(): void {
  const cpu = cpus()[0]?.model ?? 'unknown cpu';
  console.log(`# ANN libraries: N=${N} dim=${DIM} queries=${Q} k=${K} spread=${SPREAD}; ${availableParallelism()} cores (${cpu}); node ${process.version}`);
  let t = now();
  const data = clusteredData({ count: N, dim: DIM, seed: 1234, spread: SPREAD }, Q);
  const truth = exactTopK(data, K, refL2);
  console.log(`data + exact truth: ${fmt((now() - t) / 1000, 1)} s`);
  const labels = Array.from({ length: N }, (_, i) => i);
  const vectors = labels.map((i) => data.vector(i));

  for (const scalar of ['f32', 'f16'] as const) {
    const name = `usearch HNSW ${scalar}`;
    const ix: AnnIndex = new UsearchHnswIndex({ metric: 'l2', scalar, dimensions: DIM, m: 16, efConstruction: 64 });
    t = now();
    ix.addBatch(labels, vectors);
    builds.push([name, fmt((now() - t) / 1000, 2), String(ANN_THREADS), 'm=16 ef_construction=64']);
    console.log(`${name}: build ${fmt((now() - t) / 1000, 2)} s on ${ANN_THREADS} threads`);
    for (const ef of EFS) sweep(name, `ef=${ef}`, (q) => ix.search(data.query(q), K, { efSearch: ef }).labels, truth);
  }

  if (ANN_THREADS > 1) {
    // Same build on one thread, to show what the second core buys.
    const ix = new UsearchHnswIndex({ metric: 'l2', scalar: 'f32', dimensions: DIM, m: 16, efConstruction: 64 }, { threads: 1 });
    t = now();
    ix.addBatch(labels, vectors);
    builds.push(['usearch HNSW f32', fmt((now() - t) / 1000, 2), '1', 'm=16 ef_construction=64 (thread-scaling check)']);
    console.log(`usearch HNSW f32: build ${fmt((now() - t) / 1000, 2)} s on 1 thread`);
  }

  {
    const lists = Math.max(1, Math.round(N / 1000));
    const name = `IVFFlat (TS) lists=${lists}`;
    const ix = new IvfFlatIndex({ metric: 'l2', scalar: 'f32', dimensions: DIM, lists });
    t = now();
    ix.addBatch(labels, vectors);
    builds.push([name, fmt((now() - t) / 1000, 2), `${ANN_THREADS} (assignment), 1 (k-means update)`, 'sample max(lists*50, 10000)']);
    console.log(`${name}: build ${fmt((now() - t) / 1000, 2)} s`);
    for (const p of PROBES) sweep('IVFFlat (TS)', `probes=${p}`, (q) => ix.search(data.query(q), K, { probes: p }).labels, truth);
  }

  const hnswlibPkg = join(HNSWLIB_DIR, 'node_modules', 'hnswlib-node', 'package.json');
  if (existsSync(hnswlibPkg)) {
    try {
      const req = createRequire(join(HNSWLIB_DIR, 'package.json'));
      const { HierarchicalNSW } = req('hnswlib-node') as {
        HierarchicalNSW: new (space: string, dim: number) => {
          initIndex(o: { maxElements: number; m: number; efConstruction: number; randomSeed: number }): void;
          addPoint(p: number[], label: number): void;
          setEf(ef: number): void;
          searchKnn(q: number[], k: number): { neighbors: number[]; distances: number[] };
        };
      };
      const ix = new HierarchicalNSW('l2', DIM);
      ix.initIndex({ maxElements: N, m: 16, efConstruction: 64, randomSeed: 100 });
      const plain = vectors.map((v) => Array.from(v));
      t = now();
      for (let i = 0; i < N; i++) ix.addPoint(plain[i]!, i);
      builds.push(['hnswlib-node 3.0.0', fmt((now() - t) / 1000, 2), '1 (addPoint is single-threaded)', 'm=16 ef_construction=64']);
      console.log(`hnswlib-node: build ${fmt((now() - t) / 1000, 2)} s on 1 thread`);
      const queries = Array.from({ length: Q }, (_, q) => Array.from(data.query(q)));
      for (const ef of EFS) {
        ix.setEf(ef);
        sweep('hnswlib-node', `ef=${ef}`, (q) => ix.searchKnn(queries[q]!, K).neighbors, truth);
      }
    } catch (e) {
      console.log(`hnswlib-node unavailable: ${(e as Error).message}`);
      builds.push(['hnswlib-node', 'n/a', '', `load failed: ${(e as Error).message}`]);
    }
  } else {
    console.log(`hnswlib-node not installed at ${HNSWLIB_DIR} (see docs/vector-ann-choice.md)`);
  }

  console.log('\n## Build\n');
  console.log(table(['index', 'build s', 'threads', 'parameters'], builds));
  console.log('\n## Search (single thread)\n');
  console.log(table(['index', 'param', 'QPS', 'recall@10'], rows.map((r) => [r.library, r.param, fmt(r.qps, 0), r.recall.toFixed(3)])));
  listScanMicrobench();
}

/**
 * IVFFlat scans ~probes lists of ~N/lists rows per query. Compare the local unrolled TS kernel
 * with one usearch exactSearch call per list (native SIMD, but a N-API call + result arrays each).
 */
function listScanMicrobench(): void {
  const listRows = 1000, nLists = 10, reps = 300;
  const rand = seededRandom(99);
  const lists = Array.from({ length: nLists }, () => Float32Array.from({ length: listRows * DIM }, () => rand()));
  const query = Float32Array.from({ length: DIM }, () => rand());
  let t = now();
  let sink = 0;
  for (let r = 0; r < reps; r++) {
    const top = new TopK(K);
    for (const l of lists) for (let i = 0; i < listRows; i++) top.push(l2sqAt(query, l, i * DIM, DIM), i);
    sink += top.sorted().labels.length;
  }
  const tsMs = (now() - t) / reps;
  t = now();
  for (let r = 0; r < reps; r++) {
    const top = new TopK(K);
    for (const l of lists) {
      const m = exactSearch(l, query, DIM, K, MetricKind.L2sq, 1);
      for (let i = 0; i < m.keys.length; i++) top.push(m.distances[i]!, Number(m.keys[i]!));
    }
    sink += top.sorted().labels.length;
  }
  const nativeMs = (now() - t) / reps;
  console.log(`\n## IVFFlat list scan (${nLists} lists × ${listRows} rows × ${DIM} dims, top ${K})\n`);
  console.log(table(['kernel', 'ms / query'], [['TypeScript unrolled l2sq', fmt(tsMs, 3)], ['usearch exactSearch per list', fmt(nativeMs, 3)]]));
  if (sink < 0) console.log(sink);
}

main();
