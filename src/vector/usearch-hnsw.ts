// HNSW index on usearch (prebuilt SIMD native library): pgvector metric/scalar mapping, per-query
// ef_search emulation, multi-threaded bulk add, label replace/remove, and persistence as the
// usearch file plus a JSON sidecar with our options. l1 is not in usearch (the TS graph owns it).
import { readFileSync } from 'node:fs';
import { availableParallelism, endianness } from 'node:os';
import { Index, MetricKind, ScalarKind } from 'usearch';
import {
  DEFAULT_EF_CONSTRUCTION, DEFAULT_EF_SEARCH, DEFAULT_M, allZero, bitBytes, checkLabel, checkVector, norm,
  validateAnnOptions,
  type AnnHits, type AnnIndex, type AnnIndexOptions, type AnnSearchParams, type AnnVector,
} from './ann-types.js';
import { metaPathFor, writeFileAtomic, writeChunksAtomic } from './ann-files.js';

/** Vectors per native add call in addBatch (progress granularity). */
const BATCH_CHUNK = 8192;
const META_FORMAT = 'quiverdb-usearch-hnsw/1';
/**
 * Smaller batches are inserted serially: concurrent inserts into a tiny graph occasionally leave a
 * node unreachable (seen in 2 of 600 cosine builds of 20-30 vectors), and threads buy nothing there.
 */
const SERIAL_BELOW = 1024;

const LITTLE_ENDIAN = endianness() === 'LE';

/** Searches each thread of a multi-threaded batch search should have to pay for starting it. */
const MIN_SEARCHES_PER_THREAD = 4;

/** Threads for native bulk work; also the number of per-thread contexts usearch reserves. */
export const ANN_THREADS = Math.max(1, availableParallelism());

export class UsearchUnsupportedError extends Error {}

function usearchMetric(opts: AnnIndexOptions): MetricKind {
  switch (opts.metric) {
    case 'l2': return MetricKind.L2sq;
    case 'ip': return MetricKind.IP;
    case 'cosine': return MetricKind.Cos;
    case 'hamming': return MetricKind.Hamming;
    // usearch's Tanimoto on b1 is 1 - |a&b| / |a|b|, i.e. Jaccard distance on bit sets.
    case 'jaccard': return MetricKind.Tanimoto;
    case 'l1':
      throw new UsearchUnsupportedError('usearch has no L1 (taxicab) metric: use the TypeScript HNSW graph (hnsw-graph) for vector_l1_ops');
  }
}

function usearchScalar(opts: AnnIndexOptions): ScalarKind {
  switch (opts.scalar) {
    case 'f32': return ScalarKind.F32;
    case 'f16': return ScalarKind.F16;
    case 'bit': return ScalarKind.B1;
  }
}

/**
 * usearch's JS binding takes Float32/Float64/Int8 arrays only and casts to b1 element-wise, so bit
 * vectors travel as one Int8 (0/1) per bit. Its cast also leaves a trailing partial byte
 * unzeroed, so the index dimension is rounded up to whole bytes (zero padding changes neither
 * Hamming nor Jaccard).
 */
function unpackBits(packed: Uint8Array, out: Int8Array, at: number): void {
  for (let b = 0; b < packed.length; b++) {
    const byte = packed[b]!;
    const o = at + b * 8;
    out[o] = (byte >>> 7) & 1; out[o + 1] = (byte >>> 6) & 1; out[o + 2] = (byte >>> 5) & 1; out[o + 3] = (byte >>> 4) & 1;
    out[o + 4] = (byte >>> 3) & 1; out[o + 5] = (byte >>> 2) & 1; out[o + 6] = (byte >>> 1) & 1; out[o + 7] = byte & 1;
  }
}

interface Meta {
  format: string;
  kind: 'hnsw';
  options: AnnIndexOptions;
}

export class UsearchHnswIndex implements AnnIndex {
  readonly kind = 'hnsw' as const;
  readonly options: AnnIndexOptions;
  private readonly native: Index;
  /** Dimension as usearch sees it (bits rounded up to bytes for 'bit'). */
  private readonly nativeDims: number;

  /**
   * Threads for native adds (not persisted). usearch sizes its per-thread contexts when capacity
   * grows (or to the core count on load) and fails adds with more workers than contexts, so this
   * is capped at ANN_THREADS and kept constant per index.
   */
  private readonly threads: number;

  constructor(options: AnnIndexOptions, build: { threads?: number } = {}) {
    validateAnnOptions(options);
    this.threads = Math.max(1, Math.min(ANN_THREADS, Math.floor(build.threads ?? ANN_THREADS)));
    const metric = usearchMetric(options);
    this.options = {
      metric: options.metric, scalar: options.scalar, dimensions: options.dimensions,
      m: options.m ?? DEFAULT_M, efConstruction: options.efConstruction ?? DEFAULT_EF_CONSTRUCTION,
    };
    this.nativeDims = options.scalar === 'bit' ? bitBytes(options.dimensions) * 8 : options.dimensions;
    // expansion_search is fixed per index; usearch searches with max(expansion_search, wanted)
    // (index.hpp: `expansion = max(config.expansion, wanted)`), so keep it at 1 and ask each
    // search for max(count, efSearch) results to get pgvector's per-query ef_search.
    this.native = new Index({
      dimensions: this.nativeDims, metric, quantization: usearchScalar(options),
      connectivity: this.options.m!, expansion_add: this.options.efConstruction!, expansion_search: 1, multi: false,
    });
  }

  size(): number {
    return this.native.size();
  }

  has(label: number): boolean {
    if (!Number.isInteger(label) || label < 0 || label > Number.MAX_SAFE_INTEGER) return false;
    return this.native.contains(BigInt(label)) as boolean;
  }

  /** False when pgvector would not index the vector (zero vector under cosine). */
  private indexable(v: AnnVector): boolean {
    return !(this.options.metric === 'cosine' && norm(v as Float32Array) === 0);
  }

  private nativeVector(vectors: readonly AnnVector[]): Float32Array | Int8Array {
    const d = this.nativeDims;
    if (this.options.scalar === 'bit') {
      const out = new Int8Array(vectors.length * d);
      for (let i = 0; i < vectors.length; i++) unpackBits(vectors[i] as Uint8Array, out, i * d);
      return out;
    }
    if (vectors.length === 1) return vectors[0] as Float32Array;
    const out = new Float32Array(vectors.length * d);
    for (let i = 0; i < vectors.length; i++) out.set(vectors[i] as Float32Array, i * d);
    return out;
  }

  add(label: number, vector: AnnVector): void {
    checkLabel(label);
    checkVector(this.options, vector);
    const key = BigInt(label);
    if (this.native.contains(key) as boolean) this.native.remove(key);
    if (!this.indexable(vector)) return;
    this.native.add(BigUint64Array.of(key), this.nativeVector([vector]), this.threads);
  }

  addBatch(labels: readonly number[], vectors: readonly AnnVector[], onProgress?: (done: number) => void): void {
    if (labels.length !== vectors.length) throw new RangeError(`addBatch: ${labels.length} labels but ${vectors.length} vectors`);
    const seen = new Set<number>();
    for (let i = 0; i < labels.length; i++) {
      const label = labels[i]!;
      checkLabel(label);
      checkVector(this.options, vectors[i]!);
      if (seen.has(label)) throw new RangeError(`addBatch: label ${label} appears twice`);
      seen.add(label);
    }
    for (let start = 0; start < labels.length; start += BATCH_CHUNK) {
      const end = Math.min(labels.length, start + BATCH_CHUNK);
      const keys: bigint[] = [];
      const vecs: AnnVector[] = [];
      const all = BigUint64Array.from(labels.slice(start, end), (l) => BigInt(l));
      const present = this.native.contains(all) as boolean[];
      const toRemove: bigint[] = [];
      for (let i = start; i < end; i++) {
        if (present[i - start] === true) toRemove.push(all[i - start]!);
        if (!this.indexable(vectors[i]!)) continue;
        keys.push(all[i - start]!);
        vecs.push(vectors[i]!);
      }
      if (toRemove.length > 0) this.native.remove(BigUint64Array.from(toRemove));
      if (keys.length >= SERIAL_BELOW) {
        this.native.add(BigUint64Array.from(keys), this.nativeVector(vecs), this.threads);
      } else {
        // One call per vector runs inline on one thread (usearch uses min(threads, tasks)) while
        // still passing the index's constant thread count, which sizes its per-thread contexts.
        for (let i = 0; i < keys.length; i++) this.native.add(BigUint64Array.of(keys[i]!), this.nativeVector([vecs[i]!]), this.threads);
      }
      onProgress?.(end);
    }
  }

  remove(label: number): void {
    if (!this.has(label)) return;
    this.native.remove(BigInt(label));
  }

  search(query: AnnVector, count: number, params: AnnSearchParams): AnnHits {
    checkVector(this.options, query);
    if (!(count > 0) || this.native.size() === 0) return { labels: new Float64Array(0), distances: new Float64Array(0) };
    const ef = params.efSearch ?? DEFAULT_EF_SEARCH;
    if (!Number.isInteger(ef) || ef < 1) throw new RangeError(`efSearch must be a positive integer, got ${ef}`);
    const wanted = Math.max(Math.floor(count), ef);
    const metric = this.options.metric;
    // pgvector's cosine distance to a zero query is NaN for every row: any order will do.
    const zeroCosine = metric === 'cosine' && norm(query as Float32Array) === 0;
    const m = this.native.search(this.nativeVector([query]), wanted, 1);
    return this.hits(query, m.keys, m.distances, 0, m.keys.length, count, zeroCosine);
  }

  /**
   * Several searches in one native call on every core (queries from concurrent sessions):
   * the same results as calling search for each.
   */
  searchMany(queries: readonly AnnVector[], count: number, params: AnnSearchParams): AnnHits[] {
    if (queries.length === 1) return [this.search(queries[0]!, count, params)];
    for (const q of queries) checkVector(this.options, q);
    if (!(count > 0) || this.native.size() === 0) return queries.map(() => ({ labels: new Float64Array(0), distances: new Float64Array(0) }));
    const ef = params.efSearch ?? DEFAULT_EF_SEARCH;
    if (!Number.isInteger(ef) || ef < 1) throw new RangeError(`efSearch must be a positive integer, got ${ef}`);
    const wanted = Math.max(Math.floor(count), ef);
    // usearch starts its threads per call (~0.1 ms each on a small VM), and the calling thread is
    // one of them: a batch is split only when each thread gets several searches, and over at most
    // all cores but one, which the server's other work and local clients need (on 2 cores
    // measured: one thread gave the most queries per second at 8 connections and the least CPU
    // per query).
    const threads = Math.max(1, Math.min(ANN_THREADS - 1, Math.floor(queries.length / MIN_SEARCHES_PER_THREAD)));
    const m = this.native.search(this.nativeVector(queries), wanted, threads) as unknown as {
      keys: BigUint64Array; distances: Float32Array; counts: BigUint64Array;
    };
    return queries.map((q, i) => {
      const zeroCosine = this.options.metric === 'cosine' && norm(q as Float32Array) === 0;
      return this.hits(q, m.keys, m.distances, i * wanted, Number(m.counts[i]!), count, zeroCosine);
    });
  }

  /** pgvector's distances for `found` native matches starting at `offset`, at most `count` of them. */
  private hits(
    query: AnnVector, keys: BigUint64Array, dists: Float32Array, offset: number, found: number, count: number, zeroCosine: boolean,
  ): AnnHits {
    const metric = this.options.metric;
    const n = Math.min(found, Math.floor(count));
    // Both arrays share one allocation (one backing store per search instead of two).
    const both = new Float64Array(2 * n);
    const labels = both.subarray(0, n);
    const distances = both.subarray(n);
    const zeroQuery = metric === 'jaccard' && allZero(query as Uint8Array);
    // Keys as 32-bit halves (little-endian; labels stay below 2^53): no BigInt per result.
    const halves = LITTLE_ENDIAN ? new Uint32Array(keys.buffer, keys.byteOffset, keys.length * 2) : null;
    for (let i = 0; i < n; i++) {
      const at = 2 * (offset + i);
      labels[i] = halves !== null ? halves[at]! + halves[at + 1]! * 4294967296 : Number(keys[offset + i]!);
      const d = dists[offset + i]!;
      if (zeroCosine) { distances[i] = NaN; continue; }
      switch (metric) {
        case 'l2': distances[i] = Math.sqrt(Math.max(0, d)); break;
        case 'ip': distances[i] = d - 1; break; // usearch ip = 1 - a·b; pgvector <#> = -(a·b)
        // pgvector's jaccard_distance is 1 when the intersection is empty (also for two zero
        // vectors, where usearch says 0); a non-zero query has a non-empty union, so only the
        // all-zero query differs.
        case 'jaccard': distances[i] = zeroQuery ? 1 : d; break;
        default: distances[i] = d;
      }
    }
    return { labels, distances };
  }

  save(path: string): void {
    const meta: Meta = { format: META_FORMAT, kind: 'hnsw', options: this.options };
    // The sidecar never changes for a given index, so writing it first keeps the pair consistent.
    writeChunksAtomic(metaPathFor(path), [Buffer.from(JSON.stringify(meta))]);
    writeFileAtomic(path, (tmp) => this.native.save(tmp));
  }

  /** Restores an index saved by save(); `meta` is the parsed sidecar. */
  static load(path: string, metaText?: string): UsearchHnswIndex {
    const meta = JSON.parse(metaText ?? readFileSync(metaPathFor(path), 'utf8')) as Partial<Meta>;
    if (meta.format !== META_FORMAT || meta.kind !== 'hnsw' || meta.options === undefined) {
      throw new Error(`${metaPathFor(path)} is not a QuiverDB HNSW index sidecar`);
    }
    const index = new UsearchHnswIndex(meta.options);
    index.native.load(path);
    if (index.native.dimensions() !== index.nativeDims) {
      throw new Error(`${path}: stored dimensions ${index.native.dimensions()} do not match the sidecar (${index.nativeDims})`);
    }
    return index;
  }
}
