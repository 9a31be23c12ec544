// Datasets for the vector bench: deterministic clustered vectors (src/vector clusteredData) rounded to
// a few decimals so the COPY text is short and the server parses exactly our float32 values, a
// category column for filtered queries, exact top-k ground truth (usearch exactSearch) and the COPY
// text file, both cached under .tmp/vector-bench keyed by every parameter that shapes them.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { exactSearch, MetricKind } from 'usearch';
import { clusteredData, seededRandom } from '../../src/vector/index.js';

export type Metric = 'l2' | 'cosine';

export interface DatasetSpec {
  /** 'l2' or 'cosine' (also the BENCH_DATASETS name). */
  readonly name: Metric;
  readonly n: number;
  readonly queries: number;
  readonly dim: number;
  readonly seed: number;
  /** Decimal places kept in every component (the COPY text prints exactly these digits). */
  readonly decimals: number;
  readonly normalize: boolean;
}

/** Selectivities (percent of rows with category < x) for the filtered queries. */
export const FILTER_PERCENTS = [50, 10, 1] as const;
export const K = 10;
/** Bump when the generation or the cache layout changes. */
const CACHE_VERSION = 1;

export function specFor(name: Metric, n: number, queries: number): DatasetSpec {
  return name === 'l2'
    ? { name, n, queries, dim: 128, seed: 1234, decimals: 4, normalize: false }
    : { name, n, queries, dim: 768, seed: 4321, decimals: 5, normalize: true };
}

export interface Dataset {
  readonly spec: DatasetSpec;
  readonly dim: number;
  /** n × dim, row-major; row i is the row with id i. */
  readonly base: Float32Array;
  /** queries × dim. */
  readonly queries: Float32Array;
  /** Category 0..99 of each row, independent of its cluster. */
  readonly category: Int32Array;
  /** Query vectors in pgvector text form ('[1.5,-0.25,...]'). */
  readonly queryText: string[];
  /** Exact top-K ids per query, unfiltered. */
  readonly truth: number[][];
  /** Exact top-K ids per query among rows with category < percent. */
  readonly filteredTruth: Map<number, number[][]>;
  /** Path of the COPY text file (id, category, embedding; tab-separated). */
  readonly copyFile: string;
  readonly copyBytes: number;
}

export function cacheKey(s: DatasetSpec): string {
  return `${s.name}-n${s.n}-q${s.queries}-d${s.dim}-seed${s.seed}-dec${s.decimals}${s.normalize ? '-norm' : ''}-v${CACHE_VERSION}`;
}

export const usearchMetric = (m: Metric): MetricKind => (m === 'l2' ? MetricKind.L2sq : MetricKind.Cos);

/** Rounds every component to `decimals` places, stored as float32 (what the server will hold). */
function quantize(a: Float32Array, decimals: number): void {
  const f = 10 ** decimals;
  for (let i = 0; i < a.length; i++) a[i] = Math.round(a[i]! * f) / f;
}

/** Shortest text of a quantized component: the double nearest the decimal, printed by JS. */
function componentText(v: number, decimals: number): string {
  const f = 10 ** decimals;
  return String(Math.round(v * f) / f);
}

export function vectorText(a: Float32Array, at: number, dim: number, decimals: number): string {
  const parts = new Array<string>(dim);
  for (let d = 0; d < dim; d++) parts[d] = componentText(a[at + d]!, decimals);
  return `[${parts.join(',')}]`;
}

/** Exact top-k of each query over the rows `ids` (all rows when null), as row ids. */
function exactTruth(base: Float32Array, queries: Float32Array, dim: number, metric: Metric, ids: Int32Array | null): number[][] {
  let data = base;
  if (ids !== null) {
    data = new Float32Array(ids.length * dim);
    for (let j = 0; j < ids.length; j++) data.set(base.subarray(ids[j]! * dim, (ids[j]! + 1) * dim), j * dim);
  }
  const nq = queries.length / dim;
  const k = Math.min(K, data.length / dim);
  const out: number[][] = [];
  if (k === 0) return Array.from({ length: nq }, () => []);
  // exactSearch ignores byteOffset: both arguments are whole buffers here.
  const m = exactSearch(data, queries, dim, k, usearchMetric(metric), availableParallelism());
  const keys = m.keys;
  const counts = 'counts' in m ? m.counts : null;
  for (let q = 0; q < nq; q++) {
    const c = counts === null ? keys.length : Number(counts[q]);
    const row: number[] = [];
    for (let i = 0; i < c; i++) {
      const key = Number(keys[q * k + i]!);
      row.push(ids === null ? key : ids[key]!);
    }
    out.push(row);
  }
  return out;
}

function writeCopyFile(path: string, base: Float32Array, category: Int32Array, spec: DatasetSpec): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    const rowsPerChunk = 2000;
    for (let start = 0; start < spec.n; start += rowsPerChunk) {
      const lines: string[] = [];
      for (let i = start; i < Math.min(spec.n, start + rowsPerChunk); i++) {
        lines.push(`${i}\t${category[i]!}\t${vectorText(base, i * spec.dim, spec.dim, spec.decimals)}\n`);
      }
      writeSync(fd, lines.join(''));
    }
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** Builds (or reads from the cache) one dataset with its ground truth and COPY file. */
export function loadDataset(spec: DatasetSpec, cacheDir: string, log: (s: string) => void): Dataset {
  mkdirSync(cacheDir, { recursive: true });
  const key = cacheKey(spec);
  let t = performance.now();
  const data = clusteredData({ count: spec.n, dim: spec.dim, seed: spec.seed, normalize: spec.normalize }, spec.queries);
  const base = data.base;
  const queries = data.queries;
  quantize(base, spec.decimals);
  quantize(queries, spec.decimals);
  const rand = seededRandom(spec.seed + 7);
  const category = new Int32Array(spec.n);
  for (let i = 0; i < spec.n; i++) category[i] = Math.floor(rand() * 100);
  log(`  ${spec.name}: generated ${spec.n} × ${spec.dim} + ${spec.queries} queries in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const truthFile = join(cacheDir, `${key}.truth.json`);
  let truth: number[][];
  const filteredTruth = new Map<number, number[][]>();
  if (existsSync(truthFile)) {
    const saved = JSON.parse(readFileSync(truthFile, 'utf8')) as { all: number[][]; filtered: Record<string, number[][]> };
    truth = saved.all;
    for (const [p, v] of Object.entries(saved.filtered)) filteredTruth.set(Number(p), v);
    log(`  ${spec.name}: ground truth from cache ${truthFile}`);
  } else {
    t = performance.now();
    truth = exactTruth(base, queries, spec.dim, spec.name, null);
    for (const p of FILTER_PERCENTS) {
      const ids: number[] = [];
      for (let i = 0; i < spec.n; i++) if (category[i]! < p) ids.push(i);
      filteredTruth.set(p, exactTruth(base, queries, spec.dim, spec.name, Int32Array.from(ids)));
    }
    writeFileSync(truthFile, JSON.stringify({ all: truth, filtered: Object.fromEntries(filteredTruth) }));
    log(`  ${spec.name}: exact ground truth (usearch exactSearch, ${availableParallelism()} threads) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }

  const copyFile = join(cacheDir, `${key}.copy.tsv`);
  if (!existsSync(copyFile)) {
    t = performance.now();
    writeCopyFile(copyFile, base, category, spec);
    log(`  ${spec.name}: wrote COPY text ${copyFile} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const queryText: string[] = [];
  for (let q = 0; q < spec.queries; q++) queryText.push(vectorText(queries, q * spec.dim, spec.dim, spec.decimals));
  return { spec, dim: spec.dim, base, queries, category, queryText, truth, filteredTruth, copyFile, copyBytes: statSync(copyFile).size };
}
