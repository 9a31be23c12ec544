// HnswGraph: an in-memory HNSW graph written in TypeScript, for what the native ANN library cannot
// serve — L1 distance, sparse vectors, and filtered / iterative (pgvector 0.8 style) scans. Node
// data lives in typed-array slabs, neighbour selection is the hnswlib/pgvector heuristic, levels come
// from a seeded PRNG (so builds are deterministic), deletes are tombstones repaired by compact().
import { SqlError, SQLSTATE } from '../base/index.js';
import { NodeHeap } from './hnsw-graph-heap.js';
import {
  M_COSINE, M_HAMMING, M_JACCARD, M_L1, M_L2, denseDist, sparseGatherDist, sparseMergeDist,
} from './hnsw-graph-kernels.js';

/**
 * Distance as pgvector defines it: l2 Euclidean, ip negative inner product, cosine 1 - cos
 * similarity, l1 sum of absolute differences; hamming and jaccard read a vector's non-zero
 * components as set bits (bit vectors belong in the native index; these exist for completeness).
 */
export type HnswMetric = 'l2' | 'ip' | 'cosine' | 'l1' | 'hamming' | 'jaccard';

/** Nearest neighbours, ascending by distance. */
export interface HnswHits { labels: Float64Array; distances: Float64Array }

/** A sparse vector: 0-based strictly ascending indices (the shape of a sparsevec datum). */
export interface SparseGraphVector { readonly indices: Int32Array; readonly values: Float32Array; readonly dim: number }

export type GraphVector = Float32Array | SparseGraphVector;

export interface HnswGraphOptions {
  metric: HnswMetric;
  dimensions: number;
  /** Neighbours per node on the upper levels (level 0 keeps 2m). pgvector's default 16. */
  m?: number;
  /** Candidate list size while inserting. pgvector's default 64. */
  efConstruction?: number;
  seed?: number;
  /** How vectors are stored; by default the kind of the first vector added. */
  storage?: 'dense' | 'sparse';
}

export interface HnswSearchParams {
  /** Candidate list size (pgvector's hnsw.ef_search, default 40); raised to `count` if smaller. */
  efSearch?: number;
  /** Only labels for which this returns true are returned. It must not call back into the graph. */
  filter?: (label: number) => boolean;
}

export interface HnswIterParams extends HnswSearchParams {
  /** Stop after computing this many distances (pgvector's hnsw.max_scan_tuples); default unbounded. */
  maxVisited?: number;
}

const METRICS: readonly HnswMetric[] = ['l2', 'ip', 'cosine', 'l1', 'hamming', 'jaccard'];
const DELETED = 1;
const MAX_LEVEL = 16;
/** Sparse queries are scattered into a dense buffer when the dimension is at most this. */
const SCATTER_MAX_DIM = 1 << 21;
const FILTER_SAMPLE = 96;
const MAGIC = 0x57534e48; // 'HNSW' little-endian
const FORMAT_VERSION = 1;
const HEADER_BYTES = 96;

interface Query {
  /** Dense graphs: the query (unit length for cosine). */
  dense: Float32Array;
  /** Sparse graphs: the query's entries (unit length for cosine), without zeros. */
  idx: Int32Array;
  val: Float32Array;
  /** Sparse: squared norm (l2), L1 norm (l1), non-zero count (bit metrics). */
  aux: number;
  /** True while the query is scattered into the graph's dense buffer. */
  scattered: boolean;
  /** Cosine distance to a zero vector is NaN (pgvector); the walk still runs, the distances are NaN. */
  nan: boolean;
}

const EMPTY_F32 = new Float32Array(0);
const EMPTY_I32 = new Int32Array(0);

function dataError(message: string): SqlError {
  return new SqlError(SQLSTATE.DATA_EXCEPTION, message);
}

function corrupt(what: string): SqlError {
  return new SqlError(SQLSTATE.DATA_CORRUPTED, `corrupted HNSW graph image: ${what}`);
}

function isSparse(v: GraphVector): v is SparseGraphVector {
  return !(v instanceof Float32Array);
}

export class HnswGraph {
  readonly metric: HnswMetric;
  readonly dimensions: number;
  readonly m: number;
  readonly efConstruction: number;
  private readonly mc: number;
  private readonly m0: number;
  private readonly s0: number;
  private readonly s1: number;
  private readonly ml: number;
  private rng: number;
  private sparse: boolean | null;

  private n = 0;
  private cap = 0;
  private labels = new Float64Array(0);
  private levels = new Uint8Array(0);
  private flags = new Uint8Array(0);
  private aux = new Float64Array(0);
  private vecs = new Float32Array(0);
  private spStart = new Uint32Array(1);
  private spIdx = new Int32Array(0);
  private spVal = new Float32Array(0);
  private links0 = new Int32Array(0);
  private upperBase = new Int32Array(0);
  private linksU = new Int32Array(0);
  private uTop = 0;
  private entry = -1;
  private maxLevel = -1;
  private deleted = 0;
  /** Live label → node. */
  private ids = new Map<number, number>();
  private visited = new Uint32Array(0);
  private gen = 0;
  private scatter: Float32Array | null = null;
  private scatterBusy = false;
  /** Second scatter buffer, for node-to-node distances while building (sparse storage only). */
  private scatter2: Float32Array | null = null;
  /** Bumped whenever node numbers change (compaction), so open iterators can notice. */
  private epoch = 0;

  private readonly cand = new NodeHeap();
  private readonly res = new NodeHeap();
  private seedIds = new Int32Array(64);
  private seedD = new Float64Array(64);
  private selOut = new Int32Array(64);
  private ovIds: Int32Array;
  private ovD: Float64Array;
  private ovOut: Int32Array;

  constructor(opts: HnswGraphOptions) {
    const mc = METRICS.indexOf(opts.metric);
    if (mc < 0) throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, `unknown HNSW metric "${String(opts.metric)}"`);
    if (!Number.isInteger(opts.dimensions) || opts.dimensions < 1) {
      throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, `invalid HNSW dimensions ${opts.dimensions}`);
    }
    const m = opts.m ?? 16;
    if (!Number.isInteger(m) || m < 2 || m > 100) throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, `invalid HNSW m ${m}`);
    const efc = opts.efConstruction ?? 64;
    if (!Number.isInteger(efc) || efc < 1 || efc > 10000) {
      throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, `invalid HNSW ef_construction ${efc}`);
    }
    this.metric = opts.metric;
    this.mc = mc;
    this.dimensions = opts.dimensions;
    this.m = m;
    this.efConstruction = Math.max(efc, m);
    this.m0 = 2 * m;
    this.s0 = this.m0 + 1;
    this.s1 = m + 1;
    this.ml = 1 / Math.log(m);
    this.rng = (opts.seed ?? 0x5eed) >>> 0;
    this.sparse = opts.storage === undefined ? null : opts.storage === 'sparse';
    this.ovIds = new Int32Array(this.m0 + 1);
    this.ovD = new Float64Array(this.m0 + 1);
    this.ovOut = new Int32Array(this.m0 + 1);
  }

  // ---------------------------------------------------------------- public API

  /**
   * What the last search() did: distances computed by the graph walk (0 when it went straight to an
   * exact scan, -1 when the walk gave up past its budget) and whether the answer came from an exact scan.
   */
  readonly lastSearch = { visited: 0, exact: false };

  /** Live labels. */
  size(): number { return this.ids.size; }

  /** Tombstoned nodes that compact() would drop. */
  deletedCount(): number { return this.deleted; }

  has(label: number): boolean { return this.ids.has(label); }

  /**
   * Adds (or replaces) the vector of `label`, an integer in 0..2^53. Like pgvector, a zero vector
   * under the cosine metric is not indexed (has(label) stays false; a previous vector is removed).
   */
  add(label: number, v: GraphVector): void {
    if (!Number.isSafeInteger(label) || label < 0) throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, `invalid HNSW label ${label}`);
    this.remove(label);
    if (this.sparse === null) this.sparse = isSparse(v);
    if (this.ids.size === 0 && this.deleted > 0) this.reset();
    const id = this.appendNode(label, v);
    if (id < 0) return;
    this.ids.set(label, id);
    this.link(id, this.levels[id]!);
  }

  addBatch(labels: readonly number[], vs: readonly GraphVector[], onProgress?: (done: number) => void): void {
    if (labels.length !== vs.length) throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, 'HNSW addBatch: labels and vectors differ in length');
    for (let i = 0; i < labels.length; i++) {
      this.add(labels[i]!, vs[i]!);
      if (onProgress !== undefined && ((i + 1) % 1024 === 0 || i + 1 === labels.length)) onProgress(i + 1);
    }
  }

  /** Tombstones `label`: it is never returned again but its node keeps routing until compact(). */
  remove(label: number): void {
    const id = this.ids.get(label);
    if (id === undefined) return;
    this.ids.delete(label);
    this.flags[id]! |= DELETED;
    this.deleted++;
  }

  search(q: GraphVector, count: number, params: HnswSearchParams = {}): HnswHits {
    const live = this.ids.size;
    const k = Math.min(Math.max(0, Math.floor(count)), live);
    if (k === 0 || this.entry < 0) return { labels: new Float64Array(0), distances: new Float64Array(0) };
    let ef = Math.max(params.efSearch ?? 40, k);
    const filter = params.filter ?? null;
    const query = this.makeQuery(q);
    const W = this.res;
    let found = -1;
    this.bind(query);
    try {
      let budget = Infinity;
      let brute = false;
      if (filter !== null) {
        // Cost model in distance evaluations: a walk visits about 8 nodes per candidate-list slot
        // divided by the fraction that match; an exact scan calls the filter on every node (~1/4 of
        // a distance) and measures the matches.
        const s = this.sampleSelectivity(filter);
        if (s * live < 4 * k) {
          brute = true;
        } else {
          // Matches cluster together in real data (a tenant, a category): widen the candidate list
          // as the filter gets more selective so the walk reaches past non-matching regions.
          ef = Math.ceil(ef / Math.sqrt(s));
          const exactCost = this.n * (0.25 + s);
          brute = (8 * ef) / s > exactCost;
          budget = Math.max(1000, Math.min(exactCost, this.n / 2));
        }
      }
      if (!brute) {
        const mode = filter !== null ? 2 : this.deleted > 0 ? 1 : 0;
        const start = this.descend(query, 0);
        const C = this.cand;
        C.clear(); W.clear();
        const gen = this.nextGen();
        this.visited[start] = gen;
        const d0 = this.distQ(query, start);
        C.push(d0, start);
        if (this.eligible(start, mode, filter)) W.push(-d0, start);
        const visited = this.searchLayer(query, 0, ef, C, W, this.visited, gen, this.n, mode, filter, budget);
        this.lastSearch.visited = visited;
        if (visited >= 0 && W.size >= k) found = W.size;
      } else {
        this.lastSearch.visited = 0;
      }
      this.lastSearch.exact = found < 0;
      if (found < 0) {
        this.bruteForce(query, k, filter, W);
        found = W.size;
      }
      // W is a max-heap (negated keys) of `found` entries: keep the k nearest.
      while (W.size > k) W.pop();
      const n = W.size;
      const labels = new Float64Array(n);
      const distances = new Float64Array(n);
      for (let i = n - 1; i >= 0; i--) {
        const d = -W.topKey();
        const id = W.pop();
        labels[i] = this.labels[id]!;
        distances[i] = this.external(query, id, d);
      }
      return { labels, distances };
    } finally {
      this.unbind(query);
    }
  }

  /**
   * Resumable scan for pgvector-style iterative index scans: yields labels in approximately
   * ascending distance, widening past efSearch until the graph is exhausted (then any node the walk
   * could not reach is added by an exact sweep, so every live label is yielded exactly once) or
   * maxVisited distances have been computed. Nodes added after the scan starts are not seen;
   * removed ones are skipped; compact() while a scan is open makes its next step throw.
   */
  *searchIter(q: GraphVector, params: HnswIterParams = {}): Generator<{ label: number; distance: number }, void, undefined> {
    if (this.entry < 0 || this.ids.size === 0) return;
    const ef = Math.max(1, params.efSearch ?? 40);
    const maxVisited = params.maxVisited ?? Infinity;
    const filter = params.filter ?? null;
    const mode = filter !== null ? 2 : 1;
    const query = this.makeQuery(q);
    const epoch = this.epoch;
    const limit = this.n;
    const seen = new Uint8Array(limit);
    const C = new NodeHeap();
    const win = new Window(ef);
    let visitedCount = 0;
    let started = false;
    let swept = false;
    for (;;) {
      if (this.epoch !== epoch) throw new Error('HNSW graph was compacted during an iterative scan');
      const capped = visitedCount >= maxVisited;
      if (!capped && (!started || (C.size > 0 && (win.size < ef || C.topKey() <= win.max())))) {
        this.bind(query);
        try {
          if (!started) {
            started = true;
            const s = this.descend(query, 0);
            seen[s] = 1;
            visitedCount++;
            const d = this.distQ(query, s);
            C.push(d, s);
            if (this.eligible(s, mode, filter)) win.insert(d, s);
          }
          const links = this.links0, s0 = this.s0;
          while (C.size > 0 && visitedCount < maxVisited && (win.size < ef || C.topKey() <= win.max())) {
            const c = C.pop();
            const base = c * s0;
            const cnt = links[base]!;
            for (let j = 1; j <= cnt; j++) {
              const e = links[base + j]!;
              if (e >= limit || seen[e] === 1) continue;
              seen[e] = 1;
              visitedCount++;
              const d = this.distQ(query, e);
              C.push(d, e);
              if (this.eligible(e, mode, filter)) win.insert(d, e);
            }
          }
          if (C.size === 0 && visitedCount < maxVisited && !swept) {
            swept = true;
            for (let e = 0; e < limit; e++) {
              if (seen[e] === 1) continue;
              seen[e] = 1;
              if (this.eligible(e, mode, filter)) win.insert(this.distQ(query, e), e);
            }
          }
        } finally {
          this.unbind(query);
        }
      }
      if (win.size === 0) return;
      const d = win.minKey();
      const id = win.popMin();
      if (this.epoch !== epoch) throw new Error('HNSW graph was compacted during an iterative scan');
      if ((this.flags[id]! & DELETED) !== 0) continue;
      yield { label: this.labels[id]!, distance: this.external(query, id, d) };
    }
  }

  /**
   * Repairs the neighbour lists that point at tombstoned nodes (each affected node re-selects from
   * its live neighbours and its deleted neighbours' neighbours, as FreshDiskANN consolidates
   * deletes), then drops the tombstones and renumbers the nodes. Returns the number dropped.
   */
  compact(): number {
    const dropped = this.deleted;
    if (dropped === 0) return 0;
    if (this.ids.size === 0) { this.reset(); return dropped; }
    for (let l = 0; l <= this.maxLevel; l++) this.repairLevel(l);
    this.renumber();
    return dropped;
  }

  serialize(): Uint8Array {
    const n = this.n;
    const sparse = this.sparse === true;
    const nnz = sparse ? this.spStart[n]! : 0;
    const sections: ArrayBufferView[] = [
      this.labels.subarray(0, n), this.levels.subarray(0, n), this.flags.subarray(0, n), this.aux.subarray(0, n),
      sparse ? this.spStart.subarray(0, n + 1) : EMPTY_I32,
      sparse ? this.spIdx.subarray(0, nnz) : EMPTY_I32,
      sparse ? this.spVal.subarray(0, nnz) : this.vecs.subarray(0, n * this.dimensions),
      this.links0.subarray(0, n * this.s0), this.upperBase.subarray(0, n), this.linksU.subarray(0, this.uTop),
    ];
    let total = HEADER_BYTES;
    for (const s of sections) total += (s.byteLength + 7) & ~7;
    const out = new Uint8Array(total);
    const dv = new DataView(out.buffer);
    const u32 = [MAGIC, FORMAT_VERSION, this.mc, this.dimensions, this.m, this.efConstruction, this.rng,
      this.sparse === null ? 0 : sparse ? 2 : 1, n, this.entry, this.maxLevel, this.deleted, this.uTop, nnz];
    u32.forEach((x, i) => dv.setInt32(i * 4, x | 0, true));
    let off = HEADER_BYTES;
    for (const s of sections) {
      out.set(new Uint8Array(s.buffer, s.byteOffset, s.byteLength), off);
      off += (s.byteLength + 7) & ~7;
    }
    return out;
  }

  static deserialize(bytes: Uint8Array): HnswGraph {
    if (!isLittleEndian()) throw new SqlError(SQLSTATE.FEATURE_NOT_SUPPORTED, 'HNSW graph images on big-endian hosts are not supported');
    if (bytes.byteLength < HEADER_BYTES) throw corrupt('too short');
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const h = (i: number): number => dv.getInt32(i * 4, true);
    if (h(0) !== MAGIC) throw corrupt('bad magic number');
    if (h(1) !== FORMAT_VERSION) throw corrupt(`unknown format version ${h(1)}`);
    const mc = h(2);
    const metric = METRICS[mc];
    if (metric === undefined) throw corrupt('unknown metric');
    const storage = h(7);
    const g = new HnswGraph({ metric, dimensions: h(3), m: h(4), efConstruction: h(5), seed: h(6) >>> 0,
      ...(storage === 0 ? {} : { storage: storage === 2 ? 'sparse' : 'dense' as const }) });
    const n = h(8), entry = h(9), maxLevel = h(10), deleted = h(11), uTop = h(12), nnz = h(13);
    if (n < 0 || uTop < 0 || nnz < 0 || deleted < 0 || deleted > n) throw corrupt('bad counts');
    if ((n === 0) !== (entry < 0) || entry >= n || maxLevel > MAX_LEVEL) throw corrupt('bad entry point');
    if (storage === 0 && n > 0) throw corrupt('storage kind');
    const sparse = storage === 2;
    let off = HEADER_BYTES;
    const take = <T>(ctor: { new(b: ArrayBuffer): T; BYTES_PER_ELEMENT: number }, count: number): T => {
      const len = count * ctor.BYTES_PER_ELEMENT;
      if (off + len > bytes.byteLength) throw corrupt('truncated');
      const buf = bytes.slice(off, off + len).buffer;
      off += (len + 7) & ~7;
      return new ctor(buf);
    };
    g.ensureCapacity(n);
    g.labels.set(take(Float64Array, n));
    g.levels.set(take(Uint8Array, n));
    g.flags.set(take(Uint8Array, n));
    g.aux.set(take(Float64Array, n));
    const spStart = take(Uint32Array, sparse ? n + 1 : 0);
    const spIdx = take(Int32Array, sparse ? nnz : 0);
    const values = take(Float32Array, sparse ? nnz : n * g.dimensions);
    if (sparse) {
      if (spStart[0] !== 0 || spStart[n] !== nnz) throw corrupt('sparse offsets');
      for (let i = 0; i < n; i++) if (spStart[i]! > spStart[i + 1]!) throw corrupt('sparse offsets');
      for (let i = 0; i < nnz; i++) if (spIdx[i]! < 0 || spIdx[i]! >= g.dimensions) throw corrupt('sparse index');
      if (g.spStart.length < n + 1) g.spStart = new Uint32Array(n + 1);
      g.spStart.set(spStart); g.spIdx = spIdx; g.spVal = values;
    } else {
      g.vecs.set(values);
    }
    g.links0.set(take(Int32Array, n * g.s0));
    g.upperBase.set(take(Int32Array, n));
    g.linksU = take(Int32Array, uTop);
    if (off !== bytes.byteLength) throw corrupt('trailing bytes');
    g.n = n; g.uTop = uTop; g.entry = entry; g.maxLevel = maxLevel; g.deleted = deleted;
    g.rng = h(6) >>> 0;
    let dead = 0;
    for (let id = 0; id < n; id++) {
      const lv = g.levels[id]!;
      if (lv > maxLevel) throw corrupt('node above the top level');
      if (lv > 0 && (g.upperBase[id]! < 0 || g.upperBase[id]! + lv * g.s1 > uTop)) throw corrupt('upper links');
      for (let l = 0; l <= lv; l++) {
        const arr = l === 0 ? g.links0 : g.linksU;
        const base = g.linkBase(id, l);
        const cnt = arr[base]!;
        if (cnt < 0 || cnt > (l === 0 ? g.m0 : g.m)) throw corrupt('neighbour count');
        for (let j = 1; j <= cnt; j++) { const e = arr[base + j]!; if (e < 0 || e >= n || g.levels[e]! < l) throw corrupt('neighbour id'); }
      }
      if ((g.flags[id]! & DELETED) !== 0) { dead++; continue; }
      const label = g.labels[id]!;
      if (!Number.isSafeInteger(label) || label < 0 || g.ids.has(label)) throw corrupt('labels');
      g.ids.set(label, id);
    }
    if (dead !== deleted) throw corrupt('deleted count');
    if (entry >= 0 && g.levels[entry] !== maxLevel) throw corrupt('entry level');
    return g;
  }

  // ---------------------------------------------------------------- storage

  private ensureCapacity(need: number): void {
    if (need <= this.cap) return;
    const cap = Math.max(16, need, this.cap * 2);
    const grow = <T extends Float64Array | Float32Array | Int32Array | Uint32Array | Uint8Array>(old: T, size: number, make: (n: number) => T): T => {
      const a = make(size);
      a.set(old as never);
      return a;
    };
    this.labels = grow(this.labels, cap, (k) => new Float64Array(k));
    this.levels = grow(this.levels, cap, (k) => new Uint8Array(k));
    this.flags = grow(this.flags, cap, (k) => new Uint8Array(k));
    this.aux = grow(this.aux, cap, (k) => new Float64Array(k));
    if (this.sparse === true) this.spStart = grow(this.spStart, cap + 1, (k) => new Uint32Array(k));
    else this.vecs = grow(this.vecs, cap * this.dimensions, (k) => new Float32Array(k));
    this.links0 = grow(this.links0, cap * this.s0, (k) => new Int32Array(k));
    this.upperBase = grow(this.upperBase, cap, (k) => new Int32Array(k));
    this.visited = new Uint32Array(cap);
    this.gen = 0;
    this.cap = cap;
  }

  private reset(): void {
    this.n = 0; this.uTop = 0; this.entry = -1; this.maxLevel = -1; this.deleted = 0;
    this.ids = new Map();
    if (this.sparse === true) this.spStart[0] = 0;
    this.epoch++;
  }

  private nextGen(): number {
    if (this.gen >= 0xfffffffe) { this.visited.fill(0); this.gen = 0; }
    return ++this.gen;
  }

  private randomLevel(): number {
    // mulberry32, with its state kept in the graph so that images continue the same sequence.
    this.rng = (this.rng + 0x6d2b79f5) >>> 0;
    let t = this.rng;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return Math.min(MAX_LEVEL, Math.floor(-Math.log(1 - u) * this.ml));
  }

  private linkBase(id: number, level: number): number {
    return level === 0 ? id * this.s0 : this.upperBase[id]! + (level - 1) * this.s1;
  }

  private checkSparse(v: SparseGraphVector): void {
    if (v.dim !== this.dimensions) throw dataError(`expected ${this.dimensions} dimensions, not ${v.dim}`);
    const { indices, values } = v;
    if (indices.length !== values.length) throw dataError('sparse vector indices and values differ in length');
    let prev = -1;
    for (let i = 0; i < indices.length; i++) {
      const x = indices[i]!;
      if (x <= prev || x >= this.dimensions) throw dataError('sparse vector indices must be ascending and below the dimension');
      prev = x;
    }
  }

  /** Stores a node for `v` and returns its number, or -1 when the vector cannot be indexed. */
  private appendNode(label: number, v: GraphVector): number {
    const dim = this.dimensions;
    const cosine = this.mc === M_COSINE;
    if (isSparse(v)) this.checkSparse(v);
    else if (v.length !== dim) throw dataError(`expected ${dim} dimensions, not ${v.length}`);
    let sq = 0;
    if (isSparse(v)) { for (const x of v.values) sq += x * x; } else { for (let i = 0; i < dim; i++) sq += v[i]! * v[i]!; }
    if (cosine && sq === 0) return -1;
    const scale = cosine ? 1 / Math.sqrt(sq) : 1;
    const id = this.n;
    this.ensureCapacity(id + 1);
    if (this.sparse === true) {
      const at = this.spStart[id]!;
      let nz = 0;
      if (isSparse(v)) { for (const x of v.values) if (x !== 0) nz++; } else { for (let i = 0; i < dim; i++) if (v[i] !== 0) nz++; }
      if (at + nz > this.spIdx.length) {
        const size = Math.max(1024, at + nz, this.spIdx.length * 2);
        const idx = new Int32Array(size); idx.set(this.spIdx); this.spIdx = idx;
        const val = new Float32Array(size); val.set(this.spVal); this.spVal = val;
      }
      let p = at;
      const put = (i: number, x: number): void => { if (x !== 0) { this.spIdx[p] = i; this.spVal[p] = x * scale; p++; } };
      if (isSparse(v)) { for (let j = 0; j < v.indices.length; j++) put(v.indices[j]!, v.values[j]!); } else { for (let i = 0; i < dim; i++) put(i, v[i]!); }
      this.spStart[id + 1] = p;
      this.aux[id] = this.sparseAux(this.spVal, at, p);
    } else {
      const off = id * dim;
      if (isSparse(v)) {
        this.vecs.fill(0, off, off + dim);
        for (let j = 0; j < v.indices.length; j++) this.vecs[off + v.indices[j]!] = v.values[j]! * scale;
      } else if (scale === 1) {
        this.vecs.set(v, off);
      } else {
        for (let i = 0; i < dim; i++) this.vecs[off + i] = v[i]! * scale;
      }
    }
    const level = this.randomLevel();
    this.labels[id] = label;
    this.levels[id] = level;
    this.flags[id] = 0;
    const b0 = id * this.s0;
    this.links0.fill(0, b0, b0 + this.s0);
    if (level > 0) {
      const need = this.uTop + level * this.s1;
      if (need > this.linksU.length) {
        const a = new Int32Array(Math.max(1024, need, this.linksU.length * 2));
        a.set(this.linksU);
        this.linksU = a;
      }
      this.upperBase[id] = this.uTop;
      this.linksU.fill(0, this.uTop, need);
      this.uTop = need;
    } else {
      this.upperBase[id] = -1;
    }
    this.n = id + 1;
    return id;
  }

  private sparseAux(vals: Float32Array, s: number, e: number): number {
    let a = 0;
    switch (this.mc) {
      case M_L2: for (let j = s; j < e; j++) a += vals[j]! * vals[j]!; return a;
      case M_L1: for (let j = s; j < e; j++) a += Math.abs(vals[j]!); return a;
      case M_HAMMING: case M_JACCARD: return e - s;
      default: return 0;
    }
  }

  // ---------------------------------------------------------------- distances

  private makeQuery(v: GraphVector): Query {
    const dim = this.dimensions;
    if (isSparse(v)) this.checkSparse(v);
    else if (v.length !== dim) throw dataError(`expected ${dim} dimensions, not ${v.length}`);
    const cosine = this.mc === M_COSINE;
    let sq = 0;
    if (isSparse(v)) { for (const x of v.values) sq += x * x; } else { for (let i = 0; i < dim; i++) sq += v[i]! * v[i]!; }
    const nan = cosine && sq === 0;
    const scale = cosine && sq > 0 ? 1 / Math.sqrt(sq) : 1;
    const q: Query = { dense: EMPTY_F32, idx: EMPTY_I32, val: EMPTY_F32, aux: 0, scattered: false, nan };
    if (this.sparse === true) {
      let nz = 0;
      if (isSparse(v)) { for (const x of v.values) if (x !== 0) nz++; } else { for (let i = 0; i < dim; i++) if (v[i] !== 0) nz++; }
      q.idx = new Int32Array(nz);
      q.val = new Float32Array(nz);
      let p = 0;
      const put = (i: number, x: number): void => { if (x !== 0) { q.idx[p] = i; q.val[p] = x * scale; p++; } };
      if (isSparse(v)) { for (let j = 0; j < v.indices.length; j++) put(v.indices[j]!, v.values[j]!); } else { for (let i = 0; i < dim; i++) put(i, v[i]!); }
      q.aux = this.sparseAux(q.val, 0, nz);
    } else {
      q.dense = new Float32Array(dim);
      if (isSparse(v)) { for (let j = 0; j < v.indices.length; j++) q.dense[v.indices[j]!] = v.values[j]! * scale; } else { for (let i = 0; i < dim; i++) q.dense[i] = v[i]! * scale; }
    }
    return q;
  }

  /** The query for inserting node `id`: its own stored vector. */
  private nodeQuery(id: number): Query {
    if (this.sparse === true) {
      const s = this.spStart[id]!, e = this.spStart[id + 1]!;
      return { dense: EMPTY_F32, idx: this.spIdx.subarray(s, e), val: this.spVal.subarray(s, e), aux: this.aux[id]!, scattered: false, nan: false };
    }
    const off = id * this.dimensions;
    return { dense: this.vecs.subarray(off, off + this.dimensions), idx: EMPTY_I32, val: EMPTY_F32, aux: 0, scattered: false, nan: false };
  }

  private bind(q: Query): void {
    if (this.sparse !== true || this.scatterBusy || this.dimensions > SCATTER_MAX_DIM) return;
    if (this.scatter === null) this.scatter = new Float32Array(this.dimensions);
    const s = this.scatter;
    for (let j = 0; j < q.idx.length; j++) s[q.idx[j]!] = q.val[j]!;
    q.scattered = true;
    this.scatterBusy = true;
  }

  private unbind(q: Query): void {
    if (!q.scattered) return;
    const s = this.scatter!;
    for (let j = 0; j < q.idx.length; j++) s[q.idx[j]!] = 0;
    q.scattered = false;
    this.scatterBusy = false;
  }

  /** Internal distance from a query to node e. */
  private distQ(q: Query, e: number): number {
    if (this.sparse === true) {
      const s = this.spStart[e]!, t = this.spStart[e + 1]!;
      if (q.scattered) return sparseGatherDist(this.mc, this.scatter!, q.aux, this.spIdx, this.spVal, s, t, this.aux[e]!);
      return sparseMergeDist(this.mc, q.idx, q.val, 0, q.idx.length, this.spIdx, this.spVal, s, t);
    }
    return denseDist(this.mc, q.dense, 0, this.vecs, e * this.dimensions, this.dimensions);
  }

  /** Internal distance between nodes a and b. */
  private distNN(a: number, b: number): number {
    if (this.sparse === true) {
      const st = this.spStart;
      return sparseMergeDist(this.mc, this.spIdx, this.spVal, st[a]!, st[a + 1]!, this.spIdx, this.spVal, st[b]!, st[b + 1]!);
    }
    const dim = this.dimensions;
    return denseDist(this.mc, this.vecs, a * dim, this.vecs, b * dim, dim);
  }

  /** The second scatter buffer when sparse node-to-node distances should use it, else null. */
  private nodeScatter(): Float32Array | null {
    if (this.sparse !== true || this.dimensions > SCATTER_MAX_DIM) return null;
    return this.scatter2 ??= new Float32Array(this.dimensions);
  }

  /** Writes node a's entries into buf (on = 1) or clears them again (on = 0). */
  private scatterNode(buf: Float32Array, a: number, on: number): void {
    const idx = this.spIdx, val = this.spVal;
    for (let j = this.spStart[a]!, t = this.spStart[a + 1]!; j < t; j++) buf[idx[j]!] = on * val[j]!;
  }

  /** Internal distance between node a (scattered in buf) and node b. */
  private gatherNode(buf: Float32Array, a: number, b: number): number {
    return sparseGatherDist(this.mc, buf, this.aux[a]!, this.spIdx, this.spVal, this.spStart[b]!, this.spStart[b + 1]!, this.aux[b]!);
  }

  /** The pgvector distance reported for node `id` whose internal distance is `d`. */
  private external(q: Query, id: number, d: number): number {
    if (q.nan) return NaN;
    switch (this.mc) {
      case M_L2:
        if (this.sparse === true) {
          const s = this.spStart[id]!, t = this.spStart[id + 1]!;
          d = sparseMergeDist(M_L2, q.idx, q.val, 0, q.idx.length, this.spIdx, this.spVal, s, t);
        }
        return Math.sqrt(d);
      case M_COSINE: return d < 0 ? 0 : d > 2 ? 2 : d;
      default: return d;
    }
  }

  private eligible(e: number, mode: number, filter: ((label: number) => boolean) | null): boolean {
    return mode === 0 || ((this.flags[e]! & DELETED) === 0 && (mode === 1 || filter!(this.labels[e]!)));
  }

  // ---------------------------------------------------------------- graph walks

  /** Greedy descent from the entry point to `level`; returns the closest node found. */
  private descend(q: Query, level: number): number {
    let cur = this.entry;
    let curD = this.distQ(q, cur);
    for (let l = this.maxLevel; l > level; l--) {
      const links = this.linksU;
      let changed = true;
      while (changed) {
        changed = false;
        const base = this.linkBase(cur, l);
        const cnt = links[base]!;
        for (let j = 1; j <= cnt; j++) {
          const e = links[base + j]!;
          const d = this.distQ(q, e);
          if (d < curD) { curD = d; cur = e; changed = true; }
        }
      }
    }
    return cur;
  }

  /**
   * Best-first search of one level from the seeds already in C (candidates, min-heap) and W
   * (results, max-heap by negated key). mode 0: every node may be a result; 1: live nodes; 2: live
   * nodes passing `filter`. Returns the number of distances computed, or -1 past `budget`.
   */
  private searchLayer(
    q: Query, level: number, ef: number, C: NodeHeap, W: NodeHeap, visited: Uint32Array, gen: number,
    limit: number, mode: number, filter: ((label: number) => boolean) | null, budget: number,
  ): number {
    const links = level === 0 ? this.links0 : this.linksU;
    const flags = this.flags, labels = this.labels;
    const s0 = this.s0, s1 = this.s1, upper = this.upperBase;
    const dense = this.sparse !== true, vecs = this.vecs, dim = this.dimensions, mc = this.mc, qd = q.dense;
    let count = 0;
    while (C.size > 0) {
      if (W.size >= ef && C.topKey() > -W.topKey()) break;
      const c = C.pop();
      const base = level === 0 ? c * s0 : upper[c]! + (level - 1) * s1;
      const cnt = links[base]!;
      for (let j = 1; j <= cnt; j++) {
        const e = links[base + j]!;
        if (e >= limit || visited[e] === gen) continue;
        visited[e] = gen;
        count++;
        const d = dense ? denseDist(mc, qd, 0, vecs, e * dim, dim) : this.distQ(q, e);
        if (W.size < ef || d < -W.topKey()) {
          C.push(d, e);
          if (mode === 0 || ((flags[e]! & DELETED) === 0 && (mode === 1 || filter!(labels[e]!)))) {
            if (W.size < ef) W.push(-d, e); else W.replaceTop(-d, e);
          }
        }
      }
      if (count > budget) return -1;
    }
    return count;
  }

  /** Exact scan: the k nearest eligible nodes into W (max-heap by negated key). */
  private bruteForce(q: Query, k: number, filter: ((label: number) => boolean) | null, W: NodeHeap): void {
    W.clear();
    const flags = this.flags, labels = this.labels;
    for (let e = 0; e < this.n; e++) {
      if ((flags[e]! & DELETED) !== 0) continue;
      if (filter !== null && !filter(labels[e]!)) continue;
      const d = this.distQ(q, e);
      if (W.size < k) W.push(-d, e);
      else if (d < -W.topKey()) { W.pop(); W.push(-d, e); }
    }
  }

  /** Fraction of an evenly spaced sample of live nodes that pass the filter. */
  private sampleSelectivity(filter: (label: number) => boolean): number {
    const n = this.n;
    const step = Math.max(1, Math.floor(n / FILTER_SAMPLE));
    let tried = 0, passed = 0;
    for (let e = 0; e < n && tried < FILTER_SAMPLE; e += step) {
      if ((this.flags[e]! & DELETED) !== 0) continue;
      tried++;
      if (filter(this.labels[e]!)) passed++;
    }
    return tried === 0 ? 0 : passed / tried;
  }

  // ---------------------------------------------------------------- construction

  private ensureScratch(size: number): void {
    if (this.seedIds.length >= size) return;
    const s = Math.max(size, this.seedIds.length * 2);
    this.seedIds = new Int32Array(s);
    this.seedD = new Float64Array(s);
    this.selOut = new Int32Array(s);
  }

  private link(id: number, level: number): void {
    if (this.entry < 0) { this.entry = id; this.maxLevel = level; return; }
    const q = this.nodeQuery(id);
    this.bind(q);
    try {
      const efc = this.efConstruction;
      this.ensureScratch(efc + 1);
      const mode = this.deleted > 0 ? 1 : 0;
      const C = this.cand, W = this.res;
      const top = Math.min(level, this.maxLevel);
      const start = this.descend(q, top);
      let seeds = 1;
      this.seedIds[0] = start;
      this.seedD[0] = this.distQ(q, start);
      for (let l = top; l >= 0; l--) {
        const gen = this.nextGen();
        this.visited[id] = gen;
        C.clear(); W.clear();
        for (let i = 0; i < seeds; i++) {
          const s = this.seedIds[i]!, d = this.seedD[i]!;
          this.visited[s] = gen;
          C.push(d, s);
          if (mode === 0 || (this.flags[s]! & DELETED) === 0) { W.push(-d, s); if (W.size > efc) W.pop(); }
        }
        this.searchLayer(q, l, efc, C, W, this.visited, gen, this.n, mode, null, Infinity);
        const found = W.size;
        if (found === 0) continue;
        for (let i = found - 1; i >= 0; i--) { this.seedD[i] = -W.topKey(); this.seedIds[i] = W.pop(); }
        seeds = found;
        const mmax = l === 0 ? this.m0 : this.m;
        const chosen = this.selectNeighbours(this.seedIds, this.seedD, found, mmax, this.selOut);
        const links = l === 0 ? this.links0 : this.linksU;
        const base = this.linkBase(id, l);
        links[base] = chosen;
        for (let j = 0; j < chosen; j++) links[base + 1 + j] = this.selOut[j]!;
        // seedD is sorted and selOut holds a subset of seedIds: find each chosen one's distance.
        for (let j = 0; j < chosen; j++) {
          const s = this.selOut[j]!;
          let d = 0;
          for (let i = 0; i < found; i++) if (this.seedIds[i] === s) { d = this.seedD[i]!; break; }
          this.connect(s, id, d, l);
        }
      }
      if (level > this.maxLevel) { this.entry = id; this.maxLevel = level; }
    } finally {
      this.unbind(q);
    }
  }

  /**
   * The hnswlib/pgvector heuristic: walk candidates nearest first, keep one unless an already kept
   * neighbour is closer to it than the base is. ids/ds sorted ascending; returns how many were
   * written to out.
   */
  private selectNeighbours(ids: Int32Array, ds: Float64Array, count: number, m: number, out: Int32Array): number {
    if (count <= m) { for (let i = 0; i < count; i++) out[i] = ids[i]!; return count; }
    let r = 0;
    const buf = this.nodeScatter();
    for (let i = 0; i < count && r < m; i++) {
      const e = ids[i]!, de = ds[i]!;
      let good = true;
      if (buf !== null && r > 1) {
        this.scatterNode(buf, e, 1);
        for (let j = 0; j < r; j++) if (this.gatherNode(buf, e, out[j]!) < de) { good = false; break; }
        this.scatterNode(buf, e, 0);
      } else {
        for (let j = 0; j < r; j++) {
          // Strictly closer (as hnswlib; pgvector uses <=, which with duplicate vectors prunes every
          // other neighbour of a node once its duplicate arrives).
          if (this.distNN(e, out[j]!) < de) { good = false; break; }
        }
      }
      if (good) out[r++] = e;
    }
    // The pruned ones are not used to top lists up (pgvector does): full lists turn every later link
    // into an expensive re-selection and leave new nodes with no in-links (recall plateaus ~0.99).
    return r;
  }

  /** Adds `id` (at internal distance d) to node s's neighbours at level l, re-selecting on overflow. */
  private connect(s: number, id: number, d: number, l: number): void {
    const links = l === 0 ? this.links0 : this.linksU;
    const base = this.linkBase(s, l);
    const cnt = links[base]!;
    const mmax = l === 0 ? this.m0 : this.m;
    if (cnt < mmax) { links[base + 1 + cnt] = id; links[base] = cnt + 1; return; }
    const ids = this.ovIds, ds = this.ovD;
    let k = 0;
    const insert = (e: number, de: number): void => {
      let i = k++;
      while (i > 0 && ds[i - 1]! > de) { ds[i] = ds[i - 1]!; ids[i] = ids[i - 1]!; i--; }
      ds[i] = de; ids[i] = e;
    };
    const buf = this.nodeScatter();
    if (buf !== null) this.scatterNode(buf, s, 1);
    for (let j = 1; j <= cnt; j++) {
      const e = links[base + j]!;
      if ((this.flags[e]! & DELETED) !== 0) continue;
      insert(e, buf !== null ? this.gatherNode(buf, s, e) : this.distNN(s, e));
    }
    if (buf !== null) this.scatterNode(buf, s, 0);
    insert(id, d);
    const chosen = this.selectNeighbours(ids, ds, k, mmax, this.ovOut);
    links[base] = chosen;
    for (let j = 0; j < chosen; j++) links[base + 1 + j] = this.ovOut[j]!;
  }

  // ---------------------------------------------------------------- compaction

  private repairLevel(l: number): void {
    const links = l === 0 ? this.links0 : this.linksU;
    const mmax = l === 0 ? this.m0 : this.m;
    const flags = this.flags;
    let ids = new Int32Array(256), ds = new Float64Array(256);
    const out = new Int32Array(mmax);
    for (let v = 0; v < this.n; v++) {
      if ((flags[v]! & DELETED) !== 0 || this.levels[v]! < l) continue;
      const base = this.linkBase(v, l);
      const cnt = links[base]!;
      let hit = false;
      for (let j = 1; j <= cnt; j++) if ((flags[links[base + j]!]! & DELETED) !== 0) { hit = true; break; }
      if (!hit) continue;
      // Candidates: live neighbours, and live neighbours of deleted neighbours (deleted nodes' lists
      // are never rewritten here, so they still describe the neighbourhood).
      const gen = this.nextGen();
      this.visited[v] = gen;
      let k = 0;
      const consider = (e: number): void => {
        if (this.visited[e] === gen || e === v || (flags[e]! & DELETED) !== 0) return;
        this.visited[e] = gen;
        if (k === ids.length) {
          const i2 = new Int32Array(k * 2); i2.set(ids); ids = i2;
          const d2 = new Float64Array(k * 2); d2.set(ds); ds = d2;
        }
        ids[k] = e; ds[k] = this.distNN(v, e); k++;
      };
      for (let j = 1; j <= cnt; j++) {
        const e = links[base + j]!;
        if ((flags[e]! & DELETED) === 0) { consider(e); continue; }
        const b2 = this.linkBase(e, l);
        const c2 = links[b2]!;
        for (let i = 1; i <= c2; i++) consider(links[b2 + i]!);
      }
      if (k === 0) for (const e of this.searchNeighbourhood(v, l)) consider(e);
      // Sort candidates ascending (insertion sort through an index order is enough at this size).
      const order = Array.from({ length: k }, (_, i) => i).sort((a, b) => ds[a]! - ds[b]! || ids[a]! - ids[b]!);
      const sIds = Int32Array.from(order, (i) => ids[i]!);
      const sD = Float64Array.from(order, (i) => ds[i]!);
      const chosen = this.selectNeighbours(sIds, sD, k, mmax, out);
      links[base] = chosen;
      for (let j = 0; j < chosen; j++) links[base + 1 + j] = out[j]!;
    }
  }

  /** Live nodes near node v on level l found by a fresh walk from the entry point (compaction fallback). */
  private searchNeighbourhood(v: number, l: number): Int32Array {
    const q = this.nodeQuery(v);
    this.bind(q);
    try {
      const start = this.descend(q, l);
      const C = this.cand, W = this.res;
      C.clear(); W.clear();
      const gen = this.nextGen();
      this.visited[v] = gen;
      this.visited[start] = gen;
      const d0 = this.distQ(q, start);
      C.push(d0, start);
      if ((this.flags[start]! & DELETED) === 0 && start !== v) W.push(-d0, start);
      this.searchLayer(q, l, this.efConstruction, C, W, this.visited, gen, this.n, 1, null, Infinity);
      const out = new Int32Array(W.size);
      let k = 0;
      while (W.size > 0) { const e = W.pop(); if (e !== v) out[k++] = e; }
      return out.subarray(0, k);
    } finally {
      this.unbind(q);
    }
  }

  /** Drops tombstoned nodes and renumbers the rest in order. */
  private renumber(): void {
    const n = this.n, dim = this.dimensions;
    const map = new Int32Array(n).fill(-1);
    let live = 0;
    for (let i = 0; i < n; i++) if ((this.flags[i]! & DELETED) === 0) map[i] = live++;
    const old = {
      labels: this.labels, levels: this.levels, aux: this.aux, vecs: this.vecs, spStart: this.spStart,
      spIdx: this.spIdx, spVal: this.spVal, links0: this.links0, upperBase: this.upperBase, linksU: this.linksU,
    };
    const sparse = this.sparse === true;
    this.cap = 0; this.n = 0;
    this.labels = new Float64Array(0); this.levels = new Uint8Array(0); this.flags = new Uint8Array(0);
    this.aux = new Float64Array(0); this.vecs = new Float32Array(0); this.spStart = new Uint32Array(1);
    this.links0 = new Int32Array(0); this.upperBase = new Int32Array(0);
    this.ensureCapacity(live);
    let nnz = 0;
    if (sparse) for (let i = 0; i < n; i++) if (map[i]! >= 0) nnz += old.spStart[i + 1]! - old.spStart[i]!;
    this.spIdx = new Int32Array(Math.max(1024, nnz));
    this.spVal = new Float32Array(Math.max(1024, nnz));
    let uTop = 0;
    for (let i = 0; i < n; i++) if (map[i]! >= 0) uTop += old.levels[i]! * this.s1;
    this.linksU = new Int32Array(Math.max(1024, uTop));
    this.uTop = 0;
    let p = 0;
    const remap = (src: Int32Array, sb: number, dst: Int32Array, db: number): void => {
      const cnt = src[sb]!;
      let c = 0;
      for (let j = 1; j <= cnt; j++) { const e = map[src[sb + j]!]!; if (e >= 0) dst[db + 1 + c++] = e; }
      dst[db] = c;
    };
    let entry = -1, maxLevel = -1;
    for (let i = 0; i < n; i++) {
      const id = map[i]!;
      if (id < 0) continue;
      const lv = old.levels[i]!;
      this.labels[id] = old.labels[i]!;
      this.levels[id] = lv;
      this.flags[id] = 0;
      this.aux[id] = old.aux[i]!;
      if (sparse) {
        const s = old.spStart[i]!, e = old.spStart[i + 1]!;
        this.spIdx.set(old.spIdx.subarray(s, e), p);
        this.spVal.set(old.spVal.subarray(s, e), p);
        p += e - s;
        this.spStart[id + 1] = p;
      } else {
        this.vecs.set(old.vecs.subarray(i * dim, (i + 1) * dim), id * dim);
      }
      remap(old.links0, i * this.s0, this.links0, id * this.s0);
      if (lv > 0) {
        this.upperBase[id] = this.uTop;
        for (let l = 1; l <= lv; l++) remap(old.linksU, old.upperBase[i]! + (l - 1) * this.s1, this.linksU, this.uTop + (l - 1) * this.s1);
        this.uTop += lv * this.s1;
      } else {
        this.upperBase[id] = -1;
      }
      if (lv > maxLevel) { maxLevel = lv; entry = id; }
    }
    const oldEntry = map[this.entry]!;
    if (oldEntry >= 0) { entry = oldEntry; maxLevel = old.levels[this.entry]!; }
    this.n = live;
    this.entry = entry;
    this.maxLevel = maxLevel;
    this.deleted = 0;
    this.ids = new Map();
    for (let id = 0; id < live; id++) this.ids.set(this.labels[id]!, id);
    this.epoch++;
  }
}

/**
 * The window of an iterative scan: the `ef` nearest pending results in a sorted array (so the
 * walk's bound is its last element) and the rest in a min-heap that refills it.
 */
class Window {
  private keys: Float64Array;
  private vals: Int32Array;
  private start = 0;
  private end = 0;
  private readonly rest = new NodeHeap();

  constructor(private readonly ef: number) {
    this.keys = new Float64Array(ef * 2 + 2);
    this.vals = new Int32Array(ef * 2 + 2);
  }

  get size(): number { return this.end - this.start + this.rest.size; }
  max(): number { return this.keys[this.end - 1]!; }
  minKey(): number { return this.keys[this.start]!; }

  insert(d: number, e: number): void {
    const inWin = this.end - this.start;
    if (inWin >= this.ef) {
      if (d >= this.keys[this.end - 1]!) { this.rest.push(d, e); return; }
      this.end--;
      this.rest.push(this.keys[this.end]!, this.vals[this.end]!);
    }
    if (this.end === this.keys.length) {
      this.keys.copyWithin(0, this.start, this.end);
      this.vals.copyWithin(0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
    }
    let i = this.end++;
    const keys = this.keys, vals = this.vals;
    while (i > this.start && keys[i - 1]! > d) { keys[i] = keys[i - 1]!; vals[i] = vals[i - 1]!; i--; }
    keys[i] = d;
    vals[i] = e;
  }

  /** Removes the nearest pending result (call only when size > 0) and refills from the rest. */
  popMin(): number {
    if (this.end === this.start) this.refill();
    const v = this.vals[this.start]!;
    this.start++;
    if (this.end - this.start < this.ef && this.rest.size > 0) this.refill();
    return v;
  }

  private refill(): void {
    if (this.end === this.keys.length) {
      this.keys.copyWithin(0, this.start, this.end);
      this.vals.copyWithin(0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
    }
    const k = this.rest.topKey();
    this.keys[this.end] = k;
    this.vals[this.end] = this.rest.pop();
    this.end++;
  }
}

function isLittleEndian(): boolean {
  return new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
}
