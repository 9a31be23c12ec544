// IVFFlat in TypeScript, after pgvector: k-means centres trained on a sample, inverted lists of
// (label, vector) in contiguous growable typed arrays, search scanning the `probes` nearest lists.
// Supports vector/halfvec (l2, ip, cosine; cosine rows stored unit-length) and bit (hamming,
// jaccard). Until enough rows arrive to train, rows wait in one exactly-scanned pending list.
import { readFileSync } from 'node:fs';
import { exactSearch, MetricKind } from 'usearch';
import {
  DEFAULT_LISTS, DEFAULT_PROBES, checkLabel, checkVector, validateAnnOptions,
  type AnnHits, type AnnIndex, type AnnIndexOptions, type AnnSearchParams, type AnnVector,
} from './ann-types.js';
import { TopK, bitWords, dotAt, hammingAt, jaccardAt, l2sqAt, packWords } from './ann-kernels.js';
import { assignNearest, assignNearestBits, kmeansBits, kmeansFloat } from './kmeans.js';
import { writeChunksAtomic } from './ann-files.js';
import { seededRandom } from './clustered-data.js';
import { ANN_THREADS } from './usearch-hnsw.js';

const MAGIC = 'QVIVFFL1';
const TRAILER = 'QVIVFEND';
const FORMAT = 'quiverdb-ivfflat/1';
/** Rows per native assignment call in addBatch (progress granularity). */
const ASSIGN_CHUNK = 16384;
/** Pending rows needed (per list) before training happens on its own. */
const TRAIN_ROWS_PER_LIST = 10;
/** Lists with at least this many elements (rows × dims) are scanned by usearch's exactSearch. */
const NATIVE_SCAN_MIN_ELEMENTS = 4096;

type Rows = Float32Array | Uint32Array;

interface List {
  labels: Float64Array;
  data: Rows;
  size: number;
}

interface Header {
  format: string;
  kind: 'ivfflat';
  options: AnnIndexOptions;
  trained: boolean;
  rowLen: number;
  listSizes: number[];
  pendingSize: number;
  seed: number;
}

export interface IvfFlatBuildOptions {
  /** k-means sample size (default: pgvector's max(lists * 50, 10000), capped at the rows). */
  sampleSize?: number;
  /** Lloyd iteration cap (default 25 for floats, 15 for bits). */
  maxIterations?: number;
  /** PRNG seed for sampling and seeding (default fixed, so builds are reproducible). */
  seed?: number;
  /** Threads for native nearest-centre assignment (default: all cores). */
  threads?: number;
}

export class IvfFlatIndex implements AnnIndex {
  readonly kind = 'ivfflat' as const;
  readonly options: AnnIndexOptions;
  private readonly isBit: boolean;
  /** Elements per stored row: dimensions, or 32-bit words for bits. */
  private readonly rowLen: number;
  private readonly nLists: number;
  private readonly build: IvfFlatBuildOptions;
  private centers: Rows | null = null;
  private lists: List[] = [];
  private pending: List;
  /** label → list number, or -1 for the pending list. */
  private readonly where = new Map<number, number>();
  private rand: () => number;

  constructor(options: AnnIndexOptions, build: IvfFlatBuildOptions = {}) {
    validateAnnOptions(options);
    if (options.metric === 'l1') throw new RangeError('IVFFlat does not support the l1 metric (pgvector has no vector_l1_ops for ivfflat)');
    this.options = { metric: options.metric, scalar: options.scalar, dimensions: options.dimensions, lists: options.lists ?? DEFAULT_LISTS };
    this.isBit = options.scalar === 'bit';
    this.rowLen = this.isBit ? bitWords(options.dimensions) : options.dimensions;
    this.nLists = this.options.lists!;
    this.build = build;
    this.rand = seededRandom(build.seed ?? 0x1f1f1f);
    this.pending = this.newList(16);
  }

  private newRows(n: number): Rows {
    return this.isBit ? new Uint32Array(n * this.rowLen) : new Float32Array(n * this.rowLen);
  }

  private newList(capacity: number): List {
    return { labels: new Float64Array(capacity), data: this.newRows(capacity), size: 0 };
  }

  isTrained(): boolean {
    return this.centers !== null;
  }

  /** Rows in each list (pending rows are not counted). */
  listSizes(): number[] {
    return this.lists.map((l) => l.size);
  }

  size(): number {
    return this.where.size;
  }

  has(label: number): boolean {
    return this.where.has(label);
  }

  /** The stored row for a vector (cosine: unit length), or null when pgvector would not index it. */
  private prepare(v: AnnVector, out: Rows, at: number): boolean {
    if (this.isBit) {
      packWords(v as Uint8Array, out as Uint32Array, at * this.rowLen, this.rowLen);
      return true;
    }
    const f = v as Float32Array;
    const o = at * this.rowLen;
    if (this.options.metric === 'cosine') {
      let s = 0;
      for (let i = 0; i < f.length; i++) s += f[i]! * f[i]!;
      if (s === 0) return false;
      const inv = 1 / Math.sqrt(s);
      for (let i = 0; i < f.length; i++) out[o + i] = f[i]! * inv;
    } else {
      (out as Float32Array).set(f, o);
    }
    return true;
  }

  private append(list: List, label: number, rows: Rows, at: number): void {
    if (list.size === list.labels.length) {
      const cap = Math.max(16, list.labels.length * 2);
      const labels = new Float64Array(cap);
      labels.set(list.labels);
      const data = this.newRows(cap);
      data.set(list.data as never);
      list.labels = labels;
      list.data = data;
    }
    list.labels[list.size] = label;
    const n = this.rowLen;
    (list.data as Float32Array).set((rows as Float32Array).subarray(at * n, (at + 1) * n), list.size * n);
    list.size++;
  }

  private removeFrom(list: List, label: number): void {
    const n = this.rowLen;
    for (let i = 0; i < list.size; i++) {
      if (list.labels[i] !== label) continue;
      const last = list.size - 1;
      if (i !== last) {
        list.labels[i] = list.labels[last]!;
        (list.data as Float32Array).copyWithin(i * n, last * n, (last + 1) * n);
      }
      list.size--;
      return;
    }
  }

  private listOf(idx: number): List {
    return idx < 0 ? this.pending : this.lists[idx]!;
  }

  remove(label: number): void {
    const idx = this.where.get(label);
    if (idx === undefined) return;
    this.removeFrom(this.listOf(idx), label);
    this.where.delete(label);
  }

  /** Nearest list for one prepared row. */
  private nearestList(rows: Rows, at: number): number {
    const out = new Int32Array(1);
    this.assign(rows, at, 1, out, 1);
    return out[0]!;
  }

  /** Nearest list for rows [from, from + n) of `rows`, into out[0..n). */
  private assign(rows: Rows, from: number, n: number, out: Int32Array, threads: number): void {
    const c = this.centers!;
    const r = this.rowLen;
    if (this.isBit) {
      const metric = this.options.metric === 'jaccard' ? 'jaccard' : 'hamming';
      assignNearestBits((rows as Uint32Array).subarray(from * r, (from + n) * r), n, c as Uint32Array, this.nLists, r, metric, out);
    } else {
      const metric = this.options.metric === 'l2' ? 'l2' : 'spherical';
      assignNearest((rows as Float32Array).subarray(from * r, (from + n) * r), n, c as Float32Array, this.nLists, r, metric, threads, out);
    }
  }

  add(label: number, vector: AnnVector): void {
    checkLabel(label);
    checkVector(this.options, vector);
    this.remove(label);
    const row = this.newRows(1);
    if (!this.prepare(vector, row, 0)) return;
    if (this.centers === null) {
      this.append(this.pending, label, row, 0);
      this.where.set(label, -1);
      if (this.pending.size >= this.nLists * TRAIN_ROWS_PER_LIST) this.train();
      return;
    }
    const idx = this.nearestList(row, 0);
    this.append(this.lists[idx]!, label, row, 0);
    this.where.set(label, idx);
  }

  addBatch(labels: readonly number[], vectors: readonly AnnVector[], onProgress?: (done: number) => void): void {
    if (labels.length !== vectors.length) throw new RangeError(`addBatch: ${labels.length} labels but ${vectors.length} vectors`);
    const seen = new Set<number>();
    for (let i = 0; i < labels.length; i++) {
      checkLabel(labels[i]!);
      checkVector(this.options, vectors[i]!);
      if (seen.has(labels[i]!)) throw new RangeError(`addBatch: label ${labels[i]!} appears twice`);
      seen.add(labels[i]!);
    }
    for (const l of labels) this.remove(l);
    const rows = this.newRows(labels.length);
    const kept: number[] = [];
    for (let i = 0; i < labels.length; i++) if (this.prepare(vectors[i]!, rows, kept.length)) kept.push(labels[i]!);
    if (this.centers === null) {
      if (this.pending.size + kept.length < this.nLists * TRAIN_ROWS_PER_LIST) {
        for (let i = 0; i < kept.length; i++) { this.append(this.pending, kept[i]!, rows, i); this.where.set(kept[i]!, -1); }
        onProgress?.(labels.length);
        return;
      }
      this.trainOn([{ rows, n: kept.length }, { rows: this.pending.data, n: this.pending.size }]);
      this.flushPending();
    }
    const threads = this.build.threads ?? ANN_THREADS;
    const out = new Int32Array(Math.min(ASSIGN_CHUNK, kept.length));
    for (let start = 0; start < kept.length; start += ASSIGN_CHUNK) {
      const n = Math.min(ASSIGN_CHUNK, kept.length - start);
      this.assign(rows, start, n, out, threads);
      for (let i = 0; i < n; i++) {
        const idx = out[i]!;
        this.append(this.lists[idx]!, kept[start + i]!, rows, start + i);
        this.where.set(kept[start + i]!, idx);
      }
      onProgress?.(Math.min(labels.length, Math.round(((start + n) / kept.length) * labels.length)));
    }
    if (kept.length === 0) onProgress?.(labels.length);
  }

  /** Trains the centres now from the pending rows (no-op when already trained or empty). */
  train(): void {
    if (this.centers !== null || this.pending.size === 0) return;
    this.trainOn([{ rows: this.pending.data, n: this.pending.size }]);
    this.flushPending();
  }

  private flushPending(): void {
    const p = this.pending;
    this.pending = this.newList(16);
    if (p.size === 0) return;
    const out = new Int32Array(p.size);
    this.assign(p.data, 0, p.size, out, this.build.threads ?? ANN_THREADS);
    for (let i = 0; i < p.size; i++) {
      this.append(this.lists[out[i]!]!, p.labels[i]!, p.data, i);
      this.where.set(p.labels[i]!, out[i]!);
    }
  }

  /** k-means over a random sample drawn from the given row sets. */
  private trainOn(sources: { rows: Rows; n: number }[]): void {
    const total = sources.reduce((s, x) => s + x.n, 0);
    const want = Math.min(total, this.build.sampleSize ?? Math.max(this.nLists * 50, 10000));
    // Partial Fisher-Yates over the concatenated row numbers.
    const ids = new Int32Array(total);
    for (let i = 0; i < total; i++) ids[i] = i;
    for (let i = 0; i < want; i++) {
      const j = i + Math.floor(this.rand() * (total - i));
      const t = ids[i]!; ids[i] = ids[j]!; ids[j] = t;
    }
    const r = this.rowLen;
    const sample = this.newRows(want);
    let n = 0;
    const spherical = this.options.metric === 'ip' || this.options.metric === 'cosine';
    for (let s = 0; s < want; s++) {
      let id = ids[s]!;
      let src = 0;
      while (id >= sources[src]!.n) { id -= sources[src]!.n; src++; }
      const from = sources[src]!.rows;
      (sample as Float32Array).set((from as Float32Array).subarray(id * r, (id + 1) * r), n * r);
      if (spherical && this.options.metric === 'ip') {
        // pgvector normalizes k-means samples for inner product and skips zero vectors.
        let q = 0;
        for (let d = 0; d < r; d++) q += sample[n * r + d]! * sample[n * r + d]!;
        if (q === 0) continue;
        const inv = 1 / Math.sqrt(q);
        for (let d = 0; d < r; d++) sample[n * r + d]! *= inv;
      }
      n++;
    }
    if (this.isBit) {
      const metric = this.options.metric === 'jaccard' ? 'jaccard' : 'hamming';
      const opts = this.build.maxIterations === undefined ? {} : { maxIterations: this.build.maxIterations };
      this.centers = kmeansBits(sample as Uint32Array, n, this.nLists, this.options.dimensions, metric, this.rand, opts).centers;
    } else {
      const opts: { maxIterations?: number; threads?: number } = { threads: this.build.threads ?? ANN_THREADS };
      if (this.build.maxIterations !== undefined) opts.maxIterations = this.build.maxIterations;
      this.centers = kmeansFloat(sample as Float32Array, n, this.nLists, r, spherical ? 'spherical' : 'l2', this.rand, opts).centers;
    }
    this.lists = Array.from({ length: this.nLists }, () => this.newList(16));
  }

  search(query: AnnVector, count: number, params: AnnSearchParams): AnnHits {
    checkVector(this.options, query);
    const k = Math.floor(count);
    if (!(k > 0) || this.where.size === 0) return { labels: new Float64Array(0), distances: new Float64Array(0) };
    const probes = params.probes ?? DEFAULT_PROBES;
    if (!Number.isInteger(probes) || probes < 1) throw new RangeError(`probes must be a positive integer, got ${probes}`);
    const q = this.newRows(1);
    if (!this.prepare(query, q, 0)) return this.nanHits(k); // cosine with a zero query
    const scan: List[] = this.centers === null ? [this.pending] : this.probeLists(q, Math.min(probes, this.nLists));
    const top = new TopK(k);
    const r = this.rowLen;
    const metric = this.options.metric;
    for (const list of scan) {
      const { labels, size } = list;
      if (this.isBit) {
        const data = list.data as Uint32Array, qq = q as Uint32Array;
        const kernel = metric === 'jaccard' ? jaccardAt : hammingAt;
        for (let i = 0; i < size; i++) top.push(kernel(qq, data, i * r, r), labels[i]!);
      } else {
        const data = list.data as Float32Array, qq = q as Float32Array;
        if (size * r >= NATIVE_SCAN_MIN_ELEMENTS) {
          // usearch's SIMD brute force beats the TS loop ~4x (bench/ann); rows and query both
          // start at byte 0 of their buffers, as exactSearch requires.
          const m = exactSearch(data.subarray(0, size * r), qq, r, Math.min(k, size), metric === 'l2' ? MetricKind.L2sq : MetricKind.IP, 1);
          const shift = metric === 'l2' ? 0 : -1; // usearch ip = 1 - dot; we rank by -dot
          for (let i = 0; i < m.keys.length; i++) top.push(m.distances[i]! + shift, labels[Number(m.keys[i]!)]!);
        } else if (metric === 'l2') {
          for (let i = 0; i < size; i++) top.push(l2sqAt(qq, data, i * r, r), labels[i]!);
        } else {
          for (let i = 0; i < size; i++) top.push(-dotAt(qq, data, i * r, r), labels[i]!);
        }
      }
    }
    const hits = top.sorted();
    const d = hits.distances;
    if (metric === 'l2') for (let i = 0; i < d.length; i++) d[i] = Math.sqrt(d[i]!);
    else if (metric === 'cosine') for (let i = 0; i < d.length; i++) d[i] = 1 + d[i]!;
    return hits;
  }

  /** pgvector's cosine distance to a zero vector is NaN for every row; order is arbitrary. */
  private nanHits(k: number): AnnHits {
    const labels: number[] = [];
    for (const l of this.where.keys()) { if (labels.length >= k) break; labels.push(l); }
    return { labels: Float64Array.from(labels), distances: new Float64Array(labels.length).fill(NaN) };
  }

  private probeLists(q: Rows, probes: number): List[] {
    const c = this.centers!;
    const r = this.rowLen;
    const top = new TopK(probes);
    for (let i = 0; i < this.nLists; i++) {
      let d: number;
      if (this.isBit) d = (this.options.metric === 'jaccard' ? jaccardAt : hammingAt)(q as Uint32Array, c as Uint32Array, i * r, r);
      else if (this.options.metric === 'l2') d = l2sqAt(q as Float32Array, c as Float32Array, i * r, r);
      else d = -dotAt(q as Float32Array, c as Float32Array, i * r, r);
      top.push(d, i);
    }
    return Array.from(top.sorted().labels, (i) => this.lists[i]!);
  }

  save(path: string): void {
    const header: Header = {
      format: FORMAT, kind: 'ivfflat', options: this.options, trained: this.centers !== null, rowLen: this.rowLen,
      listSizes: this.lists.map((l) => l.size), pendingSize: this.pending.size, seed: this.build.seed ?? 0x1f1f1f,
    };
    const chunks: Uint8Array[] = [];
    let length = 0;
    const push = (b: Uint8Array): void => {
      chunks.push(b);
      length += b.length;
      const pad = (8 - (length % 8)) % 8;
      if (pad > 0) { chunks.push(new Uint8Array(pad)); length += pad; }
    };
    const json = Buffer.from(JSON.stringify(header));
    const head = Buffer.alloc(12);
    head.write(MAGIC, 0, 'latin1');
    head.writeUInt32LE(json.length, 8);
    chunks.push(head);
    length += head.length;
    push(json);
    const bytes = (a: Float64Array | Rows, n: number): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, n * a.BYTES_PER_ELEMENT);
    if (this.centers !== null) push(bytes(this.centers, this.centers.length));
    for (const list of [...this.lists, this.pending]) {
      push(bytes(list.labels, list.size));
      push(bytes(list.data, list.size * this.rowLen));
    }
    chunks.push(Buffer.from(TRAILER, 'latin1'));
    writeChunksAtomic(path, chunks);
  }

  /** True when `head` (a file's first bytes) starts like a saved IVFFlat index. */
  static sniff(head: Uint8Array): boolean {
    return Buffer.from(head.subarray(0, 8)).toString('latin1') === MAGIC;
  }

  static load(path: string, build: IvfFlatBuildOptions = {}): IvfFlatIndex {
    let file: Uint8Array = readFileSync(path);
    if (file.byteOffset % 8 !== 0) file = new Uint8Array(file);
    const text = (a: number, b: number): string => Buffer.from(file.subarray(a, b)).toString('latin1');
    if (file.length < 20 || text(0, 8) !== MAGIC) throw new Error(`${path} is not a QuiverDB IVFFlat index`);
    if (text(file.length - 8, file.length) !== TRAILER) throw new Error(`${path}: truncated IVFFlat index file`);
    const jsonLen = new DataView(file.buffer, file.byteOffset + 8, 4).getUint32(0, true);
    const header = JSON.parse(Buffer.from(file.subarray(12, 12 + jsonLen)).toString('utf8')) as Header;
    if (header.format !== FORMAT) throw new Error(`${path}: unknown IVFFlat format '${String(header.format)}'`);
    const index = new IvfFlatIndex(header.options, { seed: header.seed, ...build });
    let at = 12 + jsonLen;
    at += (8 - (at % 8)) % 8;
    const r = index.rowLen;
    const take = <T extends Float64Array | Rows>(make: (n: number) => T, n: number): T => {
      const out = make(n);
      const bytesLen = out.byteLength;
      if (at + bytesLen > file.length - 8) throw new Error(`${path}: corrupt IVFFlat index file`);
      new Uint8Array(out.buffer).set(file.subarray(at, at + bytesLen));
      at += bytesLen;
      at += (8 - (at % 8)) % 8;
      return out;
    };
    const rowsOf = (n: number): Rows => index.newRows(n);
    if (header.trained) index.centers = take((n) => rowsOf(n / r), index.nLists * r);
    const readList = (size: number, idx: number): List => {
      const cap = Math.max(16, size);
      const labels = new Float64Array(cap);
      labels.set(take((n) => new Float64Array(n), size));
      const data = index.newRows(cap);
      data.set(take((n) => rowsOf(n / r), size * r) as never);
      for (let i = 0; i < size; i++) index.where.set(labels[i]!, idx);
      return { labels, data, size };
    };
    if (header.trained) index.lists = header.listSizes.map((s, i) => readList(s, i));
    index.pending = readList(header.pendingSize, -1);
    return index;
  }
}

