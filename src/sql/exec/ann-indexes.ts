// The live ANN indexes (hnsw, ivfflat) of one server: builds them, keeps them in step with every
// committed write batch, answers searches with MVCC-checked candidates, purges entries no
// snapshot can see any more, and checkpoints them to files beside the LMDB store so that a
// restart replays only the versions committed since the last checkpoint.
//
// An index entry ("label") names one row key and the commit-ts window of that row's versions
// holding the indexed value it was built from: a snapshot sees the label's row iff the window
// contains it (pure arithmetic), and reads the row bytes with one exact-version read. Several
// versions of one row may sit in the index at once, their windows disjoint.
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import type { Txn, TxnManager, WriteBatch } from '../../txn/index.js';
import type { AnnOpclass, IndexDesc, TableDesc } from '../../catalog/index.js';
import type { Datum } from '../types/index.js';
import { isSparseVec, isBitString } from '../types/index.js';
import {
  createAnnIndex, loadAnnIndex, HnswGraph, RemoteHnswIndex, remoteHnswAvailable, HybridHnswIndex, hybridHnswAvailable,
  UsearchHnswIndex, type AnnIndex, type AnnHits, type AnnIndexOptions, type GraphVector,
} from '../../vector/index.js';
import { layoutOf, decodeStoredRow, type TableLayout } from './table-codec.js';

/** What an index structure must do, whichever library implements it. */
interface AnnStructure {
  size(): number;
  add(label: number, v: IndexVector): void;
  addBatch?(labels: readonly number[], vs: readonly IndexVector[]): void;
  remove(label: number): void;
  search(q: IndexVector, count: number, params: { efSearch?: number; probes?: number }): AnnHits;
  /** A search answered off the main thread (the worker-hosted usearch index). */
  searchAsync?(q: IndexVector, count: number, efSearch: number): Promise<AnnHits>;
  /** Resolves when every insert posted before has been applied. */
  flush?(): Promise<void>;
  /** Releases resources held elsewhere (the worker's copy). */
  drop?(): void;
  /**
   * A search answered by a worker-thread mirror while the main thread goes on (the hybrid
   * index), or null when there is none; offThreadBusy counts those still running.
   */
  searchOffThread?(q: IndexVector, count: number, efSearch: number): Promise<AnnHits> | null;
  readonly offThreadBusy?: number;
  /** Whether the worker-thread mirror exists (made on the first concurrent search, if the index is small enough). */
  readonly mirrored?: boolean;
  /** Several searches in one native call across cores (usearch). */
  searchMany?(qs: readonly IndexVector[], count: number, params: { efSearch?: number; probes?: number }): AnnHits[];
  save(path: string): void;
}

interface SearchRequest {
  q: IndexVector;
  count: number;
  efSearch: number;
  resolve(h: AnnHits): void;
  reject(e: unknown): void;
}
type IndexVector = Float32Array | Uint8Array | GraphVector;

/** Progress of a running CREATE INDEX, as pg_stat_progress_create_index shows it. */
export interface IndexBuildProgress {
  pid: number;
  datid: number;
  relid: number;
  indexRelid: number;
  phase: string;
  tuplesTotal: number;
  tuplesDone: number;
}

/** Extracts the indexed value from a physical row (a column or an expression over the row). */
export type IndexKeyFn = (row: Datum[]) => Datum;

/**
 * A label's row key (also as the latin1 string that keys byKey and a scan's seen-set), the hash of
 * its indexed value, and the row versions it stands for: the row's consecutive versions committed
 * from ts to lastTs all hold this indexed value (an UPDATE of other columns extends lastTs), and
 * supersededTs (undefined while current) is when the row next changed that value, set it to NULL
 * or was deleted. Snapshot S sees the label's row iff ts <= S < supersededTs.
 */
export interface LabelEntry {
  key: Buffer; ks: string; hash: number; ts: bigint; lastTs: bigint; supersededTs: bigint | undefined;
  /**
   * The window [ts, supersededTs) as pairs of small integers (WINDOW_BITS low bits apart), kept
   * with it: a scan compares them against its snapshot's pair without loading the bigints
   * (separate heap objects, a cache miss each). While current, the end is WINDOW_OPEN.
   */
  fromHi: number; fromLo: number; toHi: number; toLo: number;
}

/** Low bits of a commit ts in a window pair; both halves stay small integers (V8 Smis). */
const WINDOW_BITS = 30n;
const WINDOW_LOW_MASK = (1n << WINDOW_BITS) - 1n;
/** The high half of an open window's end: above any commit ts's until wall clocks reach 2^44 ms. */
export const WINDOW_OPEN = 2 ** 30 - 1;

/** ts as the (high, low) pair that label windows are compared in. */
export function windowPair(ts: bigint): [number, number] {
  return [Number(ts >> WINDOW_BITS), Number(ts & WINDOW_LOW_MASK)];
}

function labelEntry(key: Buffer, ks: string, hash: number, ts: bigint, lastTs: bigint, supersededTs: bigint | undefined): LabelEntry {
  const [fromHi, fromLo] = windowPair(ts);
  const [toHi, toLo] = supersededTs === undefined ? [WINDOW_OPEN, 0] : windowPair(supersededTs);
  return { key, ks, hash, ts, lastTs, supersededTs, fromHi, fromLo, toHi, toLo };
}

/**
 * The labels of one index by number, in arrays: labels are handed out in increasing order, so a
 * look-up is two indexed loads instead of a hash probe (the Map's look-ups were ~2 % of an HNSW
 * query's server time with 100k labels). Labels live in chunks of CHUNK slots, and a chunk whose
 * labels were all removed is freed, so memory follows the live labels, not every label ever made.
 */
export class LabelTable {
  private static readonly SHIFT = 12;
  private static readonly CHUNK = 1 << LabelTable.SHIFT;
  private readonly chunks: ((LabelEntry | undefined)[] | undefined)[] = [];
  private readonly live: number[] = [];
  private count = 0;

  get size(): number { return this.count; }

  get(label: number): LabelEntry | undefined {
    return this.chunks[label >>> LabelTable.SHIFT]?.[label & (LabelTable.CHUNK - 1)];
  }

  set(label: number, e: LabelEntry): void {
    if (!(label >= 0 && label <= 0xffffffff && Number.isInteger(label))) throw new RangeError(`internal: label ${label} out of range`);
    const c = label >>> LabelTable.SHIFT;
    // grow densely (holes would turn the arrays into dictionaries)
    while (this.chunks.length <= c) { this.chunks.push(undefined); this.live.push(0); }
    let chunk = this.chunks[c];
    if (chunk === undefined) chunk = this.chunks[c] = new Array<LabelEntry | undefined>(LabelTable.CHUNK).fill(undefined);
    const i = label & (LabelTable.CHUNK - 1);
    if (chunk[i] === undefined) { this.count++; this.live[c]!++; }
    chunk[i] = e;
  }

  delete(label: number): void {
    const c = label >>> LabelTable.SHIFT;
    const chunk = this.chunks[c];
    const i = label & (LabelTable.CHUNK - 1);
    if (chunk === undefined || chunk[i] === undefined) return;
    chunk[i] = undefined;
    this.count--;
    if (--this.live[c]! === 0) this.chunks[c] = undefined;
  }

  *values(): IterableIterator<LabelEntry> {
    for (const [, e] of this) yield e;
  }

  *keys(): IterableIterator<number> {
    for (const [label] of this) yield label;
  }

  *[Symbol.iterator](): IterableIterator<[number, LabelEntry]> {
    for (let c = 0; c < this.chunks.length; c++) {
      const chunk = this.chunks[c];
      if (chunk === undefined) continue;
      for (let i = 0; i < chunk.length; i++) {
        const e = chunk[i];
        if (e !== undefined) yield [c * LabelTable.CHUNK + i, e];
      }
    }
  }
}

/** A row version given to addFresh: its key, indexed value, commit ts and the start of its run of equal values. */
export interface FreshVersion { key: Buffer; value: Datum; ts: bigint; firstTs: bigint }

/** The committed store as the index reads it. */
export interface CommittedRows {
  get(key: Uint8Array, snapshotTs: bigint): Buffer | undefined;
  getVersion(key: Uint8Array, ts: bigint): Buffer | undefined;
}

/** One ANN index: its structure, its labels and where it stands in the commit order. */
export class LiveAnnIndex {
  readonly labels = new LabelTable();
  /** Row key (latin1) → labels of that row, oldest first. */
  readonly byKey = new Map<string, number[]>();
  nextLabel = 0;
  appliedTs = 0n;
  /** Changes since the last checkpoint. */
  dirty = false;
  /** Labels with a supersededTs, waiting until no snapshot older than it remains (then purged). */
  supersededLabels: number[] = [];
  /** Set after a restart: current labels whose version the collector removed meanwhile are found by one check. */
  verifyAll = false;
  /** While the build loads the table: batches committed meanwhile, applied in order afterwards. */
  loading: WriteBatch[] | null = null;
  /** How this index came to be in memory: built from the table, or loaded from a checkpoint. */
  openedFrom: 'build' | 'checkpoint' = 'build';
  /** Row versions replayed on top of the checkpoint at start-up. */
  replayed = 0;
  layout: TableLayout;
  /**
   * The committed store, from which scans read candidates (rows the transaction wrote itself are
   * skipped there and merged from its own writes).
   */
  committed: CommittedRows | null = null;

  constructor(
    readonly dbOid: number,
    public table: TableDesc,
    readonly desc: IndexDesc,
    readonly opclass: AnnOpclass,
    readonly dimensions: number,
    readonly keyOf: IndexKeyFn,
    public structure: AnnStructure,
    /** Set while the creating transaction has not committed. */
    public creator: Txn | null,
  ) {
    this.layout = layoutOf(table);
  }

  /** The structure's input for a datum, or null when the value is not indexed (NULL, zero for cosine). */
  toIndexVector(d: Datum): IndexVector | null {
    if (d === null) return null;
    if (d instanceof Float32Array) {
      if (this.opclass.metric === 'cosine' && isZero(d)) return null;
      return d;
    }
    if (isBitString(d)) return d.bytes;
    if (isSparseVec(d)) {
      if (this.opclass.metric === 'cosine' && d.values.every((v) => v === 0)) return null;
      return { indices: d.indices, values: d.values, dim: d.dim };
    }
    return null;
  }

  /** addVersion for many fresh rows at once (index build, large commits): one multi-threaded batch insert. */
  addFresh(rows: readonly FreshVersion[]): void {
    const labels: number[] = [];
    const vectors: IndexVector[] = [];
    for (const r of rows) {
      const ks = r.key.toString('latin1');
      if (this.byKey.has(ks)) { this.addVersion(r.key, r.value, r.ts, r.firstTs); continue; }
      const v = this.toIndexVector(r.value);
      if (v === null) continue;
      const label = this.nextLabel++;
      labels.push(label);
      vectors.push(v);
      this.labels.set(label, labelEntry(Buffer.from(r.key), ks, indexedValueHash(r.value), r.firstTs, r.ts, undefined));
      this.byKey.set(ks, [label]);
    }
    if (labels.length === 0) return;
    if (this.structure.addBatch !== undefined) this.structure.addBatch(labels, vectors);
    else for (let i = 0; i < labels.length; i++) this.structure.add(labels[i]!, vectors[i]!);
    this.dirty = true;
  }

  /** The row's newest label while it is current (not superseded). */
  private currentLabel(ks: string): number | undefined {
    const list = this.byKey.get(ks);
    if (list === undefined) return undefined;
    const label = list[list.length - 1]!;
    return this.labels.get(label)?.supersededTs === undefined ? label : undefined;
  }

  /**
   * Applies the row version committed at ts (versions of one row come in commit order): extends
   * the row's current label when the indexed value is unchanged, else supersedes it and adds a
   * label for the new value (firstTs: where the run of this value starts, for a build). Returns
   * whether a label was added.
   */
  addVersion(key: Buffer, value: Datum, ts: bigint, firstTs = ts): boolean {
    const v = this.toIndexVector(value);
    const ks = key.toString('latin1');
    const cur = this.currentLabel(ks);
    const e = cur === undefined ? undefined : this.labels.get(cur)!;
    if (v === null) {
      if (cur !== undefined) this.supersede(cur, ts);
      return false;
    }
    const hash = indexedValueHash(value);
    if (e !== undefined) {
      if (e.hash === hash) {
        if (ts > e.lastTs) { e.lastTs = ts; this.dirty = true; }
        return false;
      }
      this.supersede(cur!, ts);
    }
    const label = this.nextLabel++;
    this.structure.add(label, v);
    this.labels.set(label, labelEntry(Buffer.from(key), ks, hash, firstTs, ts, undefined));
    const existing = this.byKey.get(ks);
    if (existing === undefined) this.byKey.set(ks, [label]); else existing.push(label);
    this.dirty = true;
    return true;
  }

  /** The row was deleted (or moved away) at ts: its current label stops there. */
  deleteVersion(ks: string, ts: bigint): void {
    const cur = this.currentLabel(ks);
    if (cur !== undefined) this.supersede(cur, ts);
  }

  private supersede(label: number, ts: bigint): void {
    const e = this.labels.get(label)!;
    e.supersededTs = ts;
    [e.toHi, e.toLo] = windowPair(ts);
    this.supersededLabels.push(label);
    this.dirty = true;
  }

  /**
   * The row bytes of a label's version as snapshotTs sees it, or undefined when that snapshot does
   * not see this label's version: a window test, then one exact-version read (a snapshot inside
   * the run of equal values, before its newest version, reads the version it sees instead).
   */
  readRow(e: LabelEntry, snapshotTs: bigint): Buffer | undefined {
    if (snapshotTs < e.ts || (e.supersededTs !== undefined && snapshotTs >= e.supersededTs)) return undefined;
    const store = this.committed;
    if (store === null) return undefined;
    if (snapshotTs > this.appliedTs) {
      // Commits the index has not applied yet (never expected): check the value itself.
      const bytes = store.get(e.key, snapshotTs);
      if (bytes === undefined || indexedValueHash(this.keyOf(decodeStoredRow(this.layout, bytes))) !== e.hash) return undefined;
      return bytes;
    }
    return snapshotTs >= e.lastTs ? store.getVersion(e.key, e.lastTs) : store.get(e.key, snapshotTs);
  }

  removeLabel(label: number): void {
    const e = this.labels.get(label);
    if (e === undefined) return;
    this.labels.delete(label);
    this.structure.remove(label);
    const list = this.byKey.get(e.ks);
    if (list !== undefined) {
      const i = list.indexOf(label);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.byKey.delete(e.ks);
    }
    this.dirty = true;
  }

  /** The entry for a label if it still exists. */
  entry(label: number): LabelEntry | undefined {
    return this.labels.get(label);
  }

  private queue: SearchRequest[] = [];
  /** A search ran in-line in this turn of the event loop. */
  private inlineTurn = false;
  /** Until when (performance.now()) searches count as concurrent and go through the queue. */
  private concurrentUntil = 0;
  private readonly endTurn = (): void => { this.inlineTurn = false; };

  /**
   * Whether a search should run in-line now rather than wait for the queue: when no other search
   * waits or runs, and no other session searched in the same turn of the event loop or lately
   * (then a session is alone and the queue's turn of the event loop is pure latency). The
   * worker-hosted index (searchAsync) always goes through its promise.
   */
  searchInline(): boolean {
    const s = this.structure;
    if (s.searchMany === undefined || s.searchAsync !== undefined) return false;
    if (this.queue.length > 0 || (s.offThreadBusy ?? 0) > 0) return false;
    const now = performance.now();
    if (this.inlineTurn) {
      this.concurrentUntil = now + CONCURRENT_MS;
      return false;
    }
    if (now < this.concurrentUntil) return false;
    this.inlineTurn = true;
    setImmediate(this.endTurn);
    return true;
  }

  /** True when concurrent searches can share one multi-core native call. */
  get canBatch(): boolean {
    return this.structure.searchMany !== undefined || this.structure.searchAsync !== undefined;
  }

  /**
   * Queues a search to run with the others that sessions issue in the same turn of the event loop:
   * one native call searches them all on every core. A lone search runs by itself.
   */
  requestSearch(q: IndexVector, count: number, efSearch: number): Promise<AnnHits> {
    if (this.structure.searchAsync !== undefined) return this.structure.searchAsync(q, count, efSearch);
    return new Promise<AnnHits>((resolve, reject) => {
      this.queue.push({ q, count, efSearch, resolve, reject });
      if (this.queue.length === 1) setImmediate(() => this.flushSearches());
    });
  }

  private flushSearches(): void {
    const batch = this.queue;
    this.queue = [];
    if (batch.length > 1) this.concurrentUntil = performance.now() + CONCURRENT_MS;
    if (this.structure.searchOffThread !== undefined) {
      // Hybrid: the worker's mirror searches while the main thread serves the wire.
      const rest: SearchRequest[] = [];
      for (const r of batch) {
        const p = this.structure.searchOffThread(r.q, r.count, r.efSearch);
        if (p === null) rest.push(r); else p.then(r.resolve, r.reject);
      }
      if (rest.length === 0) return;
      batch.length = 0;
      batch.push(...rest);
    }
    // Same count and ef share a call; different ones (rare: other LIMITs or SET ef_search) go apart.
    const groups = new Map<string, SearchRequest[]>();
    for (const r of batch) {
      const k = `${r.count}/${r.efSearch}`;
      const g = groups.get(k);
      if (g === undefined) groups.set(k, [r]); else g.push(r);
    }
    for (const g of groups.values()) {
      try {
        const params = { efSearch: g[0]!.efSearch };
        const hits = g.length === 1 || this.structure.searchMany === undefined
          ? g.map((r) => this.structure.search(r.q, r.count, params))
          : this.structure.searchMany(g.map((r) => r.q), g[0]!.count, params);
        g.forEach((r, i) => r.resolve(hits[i]!));
      } catch (e) {
        for (const r of g) r.reject(e);
      }
    }
  }
}

/** How long after two searches overlapped that searches keep going through the queue (ms). */
const CONCURRENT_MS = 20;

function isZero(v: Float32Array): boolean {
  for (let i = 0; i < v.length; i++) if (v[i] !== 0) return false;
  return true;
}

/** FNV-1a over the bytes that make up an indexed value (float bits, sparse indices + values, bit bytes). */
export function indexedValueHash(d: Datum): number {
  let h = 0x811c9dc5;
  const mixBytes = (b: Uint8Array): void => {
    for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  };
  const mixWords = (w: Uint32Array | Int32Array): void => {
    for (let i = 0; i < w.length; i++) h = Math.imul(h ^ (w[i]! >>> 0), 0x01000193);
  };
  if (d instanceof Float32Array) mixWords(new Uint32Array(d.buffer, d.byteOffset, d.length));
  else if (isSparseVec(d)) {
    h = Math.imul(h ^ d.dim, 0x01000193);
    mixWords(d.indices);
    mixWords(new Uint32Array(d.values.buffer, d.values.byteOffset, d.values.length));
  } else if (isBitString(d)) {
    h = Math.imul(h ^ d.length, 0x01000193);
    mixBytes(d.bytes);
  }
  return h >>> 0;
}

/** usearch (or our IVFFlat) for dense metrics it supports; the TypeScript graph for L1 and sparse vectors. */
function annOptions(desc: IndexDesc, opclass: AnnOpclass, dimensions: number): AnnIndexOptions {
  const opts = desc.options ?? {};
  return {
    metric: opclass.metric,
    scalar: opclass.typeName === 'bit' ? 'bit' : opclass.typeName === 'halfvec' ? 'f16' : 'f32',
    dimensions,
    m: opts.m !== undefined ? Number(opts.m) : 16,
    efConstruction: opts.ef_construction !== undefined ? Number(opts.ef_construction) : 64,
    lists: opts.lists !== undefined ? Number(opts.lists) : 100,
  };
}

/** The TypeScript graph serves L1 and sparse vectors, which usearch lacks. */
function usesGraph(desc: IndexDesc, opclass: AnnOpclass): boolean {
  return desc.method === 'hnsw' && (opclass.metric === 'l1' || opclass.typeName === 'sparsevec');
}

/**
 * usearch (in the worker thread when it runs, so searches use the second core) or our IVFFlat
 * for dense metrics; the TypeScript graph for L1 and sparse vectors.
 */
function newStructure(desc: IndexDesc, opclass: AnnOpclass, dimensions: number): AnnStructure {
  const o = annOptions(desc, opclass, dimensions);
  if (usesGraph(desc, opclass)) {
    return graphStructure(new HnswGraph({ metric: opclass.metric, dimensions, m: o.m, efConstruction: o.efConstruction, seed: desc.oid }));
  }
  if (desc.method === 'hnsw' && remoteHnswAvailable()) return RemoteHnswIndex.create(o);
  const idx: AnnIndex = createAnnIndex(desc.method as 'hnsw' | 'ivfflat', o);
  if (idx instanceof UsearchHnswIndex && hybridHnswAvailable()) return new HybridHnswIndex(idx) as unknown as AnnStructure;
  return idx as unknown as AnnStructure;
}

function graphStructure(g: HnswGraph): AnnStructure {
  return {
    size: () => g.size(),
    add: (label, v) => g.add(label, v as GraphVector),
    addBatch: (labels, vs) => g.addBatch(labels, vs as GraphVector[]),
    remove: (label) => g.remove(label),
    search: (q, count, params) => g.search(q as GraphVector, count, { efSearch: params.efSearch }),
    save: (path) => {
      const tmp = `${path}.tmp`;
      fs.writeFileSync(tmp, g.serialize());
      fs.renameSync(tmp, path);
    },
  };
}

function loadStructure(desc: IndexDesc, opclass: AnnOpclass, dimensions: number, path: string, size: number): AnnStructure {
  if (usesGraph(desc, opclass)) {
    return graphStructure(HnswGraph.deserialize(new Uint8Array(fs.readFileSync(path))));
  }
  if (desc.method === 'hnsw' && remoteHnswAvailable()) return RemoteHnswIndex.load(path, annOptions(desc, opclass, dimensions), size);
  const idx = loadAnnIndex(path);
  if (idx instanceof UsearchHnswIndex && hybridHnswAvailable()) return new HybridHnswIndex(idx) as unknown as AnnStructure;
  return idx as unknown as AnnStructure;
}

/** Rows per multi-threaded insert batch; the build yields to the event loop between batches (progress stays visible). */
const BUILD_CHUNK = 10_000;

export class AnnIndexes {
  private readonly live = new Map<number, LiveAnnIndex>();
  readonly progress = new Map<number, IndexBuildProgress>();
  private readonly unsubscribe: () => void;
  private readonly dir: string | null;
  private timer: NodeJS.Timeout | undefined;
  /** Rows per build chunk (HNSW); tests make it small so that commits land between chunks. */
  buildChunk = BUILD_CHUNK;

  constructor(private readonly txns: TxnManager) {
    const store = txns.store;
    this.dir = store.isTemporary ? null : nodePath.join(store.directory, 'ann');
    this.unsubscribe = txns.onApply((b) => this.applyBatch(b));
  }

  /** Starts background purging and checkpointing every `intervalMs`. */
  startBackground(intervalMs: number): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => {
      try {
        this.purge();
        this.checkpointAll();
      } catch {
        // A failed checkpoint is retried on the next tick; the store stays the source of truth.
      }
    }, intervalMs);
    this.timer.unref();
  }

  get(indexOid: number): LiveAnnIndex | undefined {
    return this.live.get(indexOid);
  }

  all(): IterableIterator<LiveAnnIndex> { return this.live.values(); }

  /** Applies one committed batch to every index of the tables it touches. */
  private applyBatch(batch: WriteBatch): void {
    if (this.live.size === 0) return;
    for (const h of this.live.values()) applyTo(h, batch);
  }

  /**
   * Builds a new index over the table's committed rows (CREATE INDEX). It receives committed
   * batches from the moment it is registered, so rows committed during the build are not lost:
   * they wait in h.loading until the table's rows are in, then apply in commit order.
   */
  async build(args: {
    dbOid: number; table: TableDesc; desc: IndexDesc; opclass: AnnOpclass; dimensions: number; keyOf: IndexKeyFn;
    creator: Txn; pid: number;
  }): Promise<LiveAnnIndex> {
    const h = new LiveAnnIndex(args.dbOid, args.table, args.desc, args.opclass, args.dimensions, args.keyOf,
      newStructure(args.desc, args.opclass, args.dimensions), args.creator);
    h.committed = this.txns.store;
    h.loading = [];
    this.live.set(args.desc.oid, h);
    const progress: IndexBuildProgress = {
      pid: args.pid, datid: args.dbOid, relid: args.table.oid, indexRelid: args.desc.oid,
      phase: 'building index: loading tuples', tuplesTotal: 0, tuplesDone: 0,
    };
    this.progress.set(args.pid, progress);
    try {
      const snapshot = this.txns.visibleTs();
      h.appliedTs = snapshot;
      // Only the row keys, indexed values and version timestamps are kept (not whole rows).
      const rows = visibleVersions(h, this.txns.store.rawVersions(h.layout.prefix, h.layout.prefixEnd), snapshot);
      progress.tuplesTotal = rows.length;
      // IVFFlat trains its centres on the first large batch: give it every row at once.
      const chunkSize = args.desc.method === 'ivfflat' ? Math.max(rows.length, 1) : this.buildChunk;
      for (let i = 0; i < rows.length; i += chunkSize) {
        h.addFresh(rows.slice(i, i + chunkSize));
        if (h.structure.flush !== undefined) await h.structure.flush();
        progress.tuplesDone = Math.min(rows.length, i + chunkSize);
        await new Promise((r) => setImmediate(r));
      }
      const queued = h.loading;
      h.loading = null;
      for (const b of queued) applyTo(h, b);
    } catch (e) {
      this.live.delete(args.desc.oid);
      throw e;
    } finally {
      this.progress.delete(args.pid);
    }
    return h;
  }

  /**
   * Reconciles with a published catalog of one database: indexes created by a committed
   * transaction become permanent (and are checkpointed); indexes no longer in the catalog go.
   */
  syncCatalog(dbOid: number, indexOids: ReadonlySet<number>, tableOf: (oid: number) => TableDesc | undefined): void {
    for (const [oid, h] of this.live) {
      if (h.dbOid !== dbOid) continue;
      const table = tableOf(h.table.oid);
      if (table !== undefined && table !== h.table) {
        // ADD/DROP COLUMN and the like: same row keys and key positions, new row layout.
        h.table = table;
        h.layout = layoutOf(table);
      }
      if (indexOids.has(oid)) {
        if (h.creator !== null) { h.creator = null; this.checkpoint(h); }
      } else if (h.creator === null || !h.creator.isActive) {
        this.drop(oid);
      }
    }
  }

  /** Forgets an index and removes its files. */
  drop(indexOid: number): void {
    this.live.get(indexOid)?.structure.drop?.();
    this.live.delete(indexOid);
    if (this.dir !== null) {
      for (const f of safeReaddir(this.dir)) if (f.startsWith(`${indexOid}.`)) fs.rmSync(nodePath.join(this.dir, f), { force: true });
    }
  }

  /**
   * Opens an index at start-up: from its last checkpoint plus the versions committed after it,
   * or by a full build when no usable checkpoint exists.
   */
  async open(args: { dbOid: number; table: TableDesc; desc: IndexDesc; opclass: AnnOpclass; dimensions: number; keyOf: IndexKeyFn }): Promise<LiveAnnIndex> {
    const loaded = this.dir === null ? undefined : this.loadCheckpoint(args);
    if (loaded === undefined) {
      const txn = this.txns.begin({ isolation: 'read committed' });
      try {
        const h = await this.build({ ...args, creator: txn, pid: 0 });
        h.creator = null;
        this.checkpoint(h);
        return h;
      } finally {
        txn.rollback();
      }
    }
    const h = loaded;
    h.openedFrom = 'checkpoint';
    // Versions the collector removed since the checkpoint leave labels only a check against the store finds.
    h.verifyAll = true;
    this.live.set(args.desc.oid, h);
    // Replay: every version of the table committed after the checkpoint, each row's in commit
    // order (the store lists them newest first), then the ranges dropped since.
    const from = h.appliedTs;
    const store = this.txns.store;
    let newest = from;
    let group: Array<{ key: Buffer; ts: bigint; tombstone: boolean; value: Buffer | undefined }> = [];
    const replayGroup = (): void => {
      for (let i = group.length - 1; i >= 0; i--) {
        const v = group[i]!;
        h.replayed++;
        if (v.tombstone || v.value === undefined) h.deleteVersion(v.key.toString('latin1'), v.ts);
        else h.addVersion(v.key, args.keyOf(decodeStoredRow(h.layout, v.value)), v.ts);
      }
      group = [];
    };
    for (const v of store.rawVersions(h.layout.prefix, h.layout.prefixEnd)) {
      if (v.ts <= from) continue;
      if (v.ts > newest) newest = v.ts;
      if (group.length > 0 && !group[0]!.key.equals(v.key)) replayGroup();
      group.push(v);
    }
    replayGroup();
    for (const d of store.droppedRanges()) if (d.ts > from) dropLabels(h, d.start, d.end, d.ts);
    // The replay covered every commit the store holds (nothing commits while it runs).
    const visible = this.txns.visibleTs();
    h.appliedTs = visible > newest ? visible : newest;
    return h;
  }

  /**
   * Removes labels whose row versions no snapshot can see any more: those superseded at or before
   * the oldest active snapshot. After a restart (and with force, as VACUUM does) also current
   * labels whose version is no longer stored. Returns how many went.
   */
  purge(force = false): number {
    let removed = 0;
    const store = this.txns.store;
    const horizon = this.txns.oldestActiveSnapshot();
    for (const h of this.live.values()) {
      if (h.creator !== null || h.loading !== null) continue;
      if (force || h.verifyAll) {
        h.verifyAll = false;
        for (const [label, e] of [...h.labels]) {
          if (e.supersededTs === undefined && store.getVersion(e.key, e.lastTs) === undefined) { h.removeLabel(label); removed++; }
        }
      }
      if (h.supersededLabels.length === 0) continue;
      const waiting: number[] = [];
      for (const label of h.supersededLabels) {
        const e = h.labels.get(label);
        if (e === undefined) continue;
        if (e.supersededTs! <= horizon) { h.removeLabel(label); removed++; } else waiting.push(label);
      }
      h.supersededLabels = waiting;
    }
    return removed;
  }

  checkpointAll(): void {
    for (const h of this.live.values()) if (h.creator === null && h.dirty) this.checkpoint(h);
  }

  /**
   * Writes the structure and labels under a new generation number, then points the meta file at
   * it (rename = atomic), then deletes older generations.
   */
  checkpoint(h: LiveAnnIndex): void {
    if (this.dir === null) { h.dirty = false; return; }
    fs.mkdirSync(this.dir, { recursive: true });
    const oid = h.desc.oid;
    const metaPath = nodePath.join(this.dir, `${oid}.meta`);
    const previous = readMeta(metaPath);
    const gen = (previous?.gen ?? 0) + 1;
    const appliedTs = h.appliedTs;
    h.structure.save(nodePath.join(this.dir, `${oid}.${gen}.index`));
    writeAtomic(nodePath.join(this.dir, `${oid}.${gen}.labels`), encodeLabels(h));
    fsyncDir(this.dir);
    writeAtomic(metaPath, Buffer.from(JSON.stringify({ gen, appliedTs: appliedTs.toString(), nextLabel: h.nextLabel, method: h.desc.method })));
    fsyncDir(this.dir);
    for (const f of safeReaddir(this.dir)) {
      const m = /^(\d+)\.(\d+)\.(index|labels)(\..*)?$/.exec(f);
      if (m !== null && Number(m[1]) === oid && Number(m[2]) !== gen) fs.rmSync(nodePath.join(this.dir, f), { force: true });
    }
    h.dirty = false;
  }

  private loadCheckpoint(args: { dbOid: number; table: TableDesc; desc: IndexDesc; opclass: AnnOpclass; dimensions: number; keyOf: IndexKeyFn }): LiveAnnIndex | undefined {
    const dir = this.dir!;
    const oid = args.desc.oid;
    const meta = readMeta(nodePath.join(dir, `${oid}.meta`));
    if (meta === undefined) return undefined;
    try {
      const labels = fs.readFileSync(nodePath.join(dir, `${oid}.${meta.gen}.labels`));
      // A labels file of another format (no version windows) is not usable: the index is rebuilt.
      if (labels.length < 8 || labels.readUInt32LE(0) !== LABELS_MAGIC) return undefined;
      const structure = loadStructure(args.desc, args.opclass, args.dimensions, nodePath.join(dir, `${oid}.${meta.gen}.index`), labels.readUInt32LE(4));
      const h = new LiveAnnIndex(args.dbOid, args.table, args.desc, args.opclass, args.dimensions, args.keyOf, structure, null);
      h.committed = this.txns.store;
      decodeLabels(h, labels);
      h.nextLabel = Math.max(h.nextLabel, meta.nextLabel);
      h.appliedTs = meta.appliedTs;
      return h;
    } catch {
      return undefined;
    }
  }

  close(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    try { this.checkpointAll(); } catch { /* the next start replays from the older checkpoint */ }
    this.unsubscribe();
    this.live.clear();
  }
}

function startsWith(key: Uint8Array, prefix: Buffer): boolean {
  if (key.length < prefix.length) return false;
  for (let i = prefix.length - 1; i >= 0; i--) if (key[i] !== prefix[i]) return false;
  return true;
}

function safeReaddir(dir: string): string[] {
  try { return fs.readdirSync(dir); } catch { return []; }
}

function writeAtomic(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, path);
}

function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
  } catch { /* not supported on every platform */ }
}

function readMeta(path: string): { gen: number; appliedTs: bigint; nextLabel: number } | undefined {
  try {
    const j = JSON.parse(fs.readFileSync(path, 'utf8')) as { gen: number; appliedTs: string; nextLabel: number };
    return { gen: j.gen, appliedTs: BigInt(j.appliedTs), nextLabel: j.nextLabel };
  } catch {
    return undefined;
  }
}

/**
 * Applies one committed batch to an index: each put is the row's version at commitTs, each
 * delete and dropped range ends the row's current label there. One write per key per batch.
 */
function applyTo(h: LiveAnnIndex, batch: WriteBatch): void {
  if (h.loading !== null) { h.loading.push(batch); return; }
  const p = h.layout.prefix;
  const end = h.layout.prefixEnd;
  const ts = batch.commitTs;
  // One batched (multi-threaded, for large commits such as COPY) insert per commit.
  const versions: FreshVersion[] = [];
  for (const [key, value] of batch.puts) {
    if (!startsWith(key, p)) continue;
    versions.push({ key: Buffer.from(key.buffer, key.byteOffset, key.byteLength), value: h.keyOf(decodeStoredRow(h.layout, value)), ts, firstTs: ts });
  }
  for (const packed of batch.packed ?? []) {
    // keys ascending: the table's rows are one stretch
    for (let i = packed.lowerBound(p); i < packed.count && packed.compareKey(i, end) < 0; i++) {
      if (packed.isShadowed(i)) continue;
      versions.push({ key: Buffer.from(packed.key(i)), value: h.keyOf(decodeStoredRow(h.layout, packed.value(i))), ts, firstTs: ts });
    }
  }
  if (versions.length > 0) h.addFresh(versions);
  for (const key of batch.deletes) {
    if (Buffer.compare(key, p) < 0 || Buffer.compare(key, end) >= 0) continue;
    h.deleteVersion(Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1'), ts);
  }
  if (batch.dropRanges !== undefined) for (const [s, e] of batch.dropRanges) dropLabels(h, s, e, ts);
  if (ts > h.appliedTs) h.appliedTs = ts;
}

/** A range no snapshot at or after ts reads again: the current labels of its rows end at ts. */
function dropLabels(h: LiveAnnIndex, start: Uint8Array, end: Uint8Array, ts: bigint): void {
  if (Buffer.compare(end, h.layout.prefix) <= 0 || Buffer.compare(start, h.layout.prefixEnd) >= 0) return;
  for (const e of h.labels.values()) {
    if (e.supersededTs === undefined && Buffer.compare(e.key, start) >= 0 && Buffer.compare(e.key, end) < 0) h.deleteVersion(e.ks, ts);
  }
}

/**
 * The rows a build indexes: each key's version visible at snapshot, with the commit ts of the
 * oldest stored version of the run of equal indexed values it ends (so older snapshots inside
 * that run see the label too). versions: the table's stored versions, newest first per key.
 */
function visibleVersions(
  h: LiveAnnIndex, versions: Iterable<{ key: Buffer; ts: bigint; tombstone: boolean; value: Buffer | undefined }>, snapshot: bigint,
): FreshVersion[] {
  const rows: FreshVersion[] = [];
  let groupKey: Buffer | undefined;
  /** 0: looking for the visible version; 1: following its run into older versions; 2: done with the key. */
  let state = 0;
  let cur: FreshVersion | undefined;
  let hash = 0;
  for (const v of versions) {
    if (groupKey === undefined || !groupKey.equals(v.key)) { groupKey = v.key; state = 0; }
    if (state === 2 || v.ts > snapshot) continue;
    if (v.tombstone || v.value === undefined) { state = 2; continue; }
    const value = h.keyOf(decodeStoredRow(h.layout, v.value));
    const indexed = h.toIndexVector(value) !== null;
    if (state === 0) {
      if (!indexed) { state = 2; continue; }
      cur = { key: v.key, value, ts: v.ts, firstTs: v.ts };
      rows.push(cur);
      hash = indexedValueHash(value);
      state = 1;
    } else if (indexed && indexedValueHash(value) === hash) {
      cur!.firstTs = v.ts;
    } else {
      state = 2;
    }
  }
  return rows;
}

/** "QAL2": the labels file format with version windows. */
const LABELS_MAGIC = 0x324c4151;

/**
 * labels file: magic u32, count u32, then per label: label f64, hash u32, ts u64, lastTs u64,
 * supersededTs u64 (0 while current; commit timestamps are > 0), key length u16, key bytes.
 */
function encodeLabels(h: LiveAnnIndex): Buffer {
  let size = 8;
  for (const e of h.labels.values()) size += 8 + 4 + 24 + 2 + e.key.length;
  const out = Buffer.allocUnsafe(size);
  let o = out.writeUInt32LE(LABELS_MAGIC, 0);
  o = out.writeUInt32LE(h.labels.size, o);
  for (const [label, e] of h.labels) {
    o = out.writeDoubleLE(label, o);
    o = out.writeUInt32LE(e.hash, o);
    o = out.writeBigUInt64LE(e.ts, o);
    o = out.writeBigUInt64LE(e.lastTs, o);
    o = out.writeBigUInt64LE(e.supersededTs ?? 0n, o);
    o = out.writeUInt16LE(e.key.length, o);
    o += e.key.copy(out, o);
  }
  return out;
}

function decodeLabels(h: LiveAnnIndex, b: Buffer): void {
  const n = b.readUInt32LE(4);
  let o = 8;
  for (let i = 0; i < n; i++) {
    const label = b.readDoubleLE(o); o += 8;
    const hash = b.readUInt32LE(o); o += 4;
    const ts = b.readBigUInt64LE(o); o += 8;
    const lastTs = b.readBigUInt64LE(o); o += 8;
    const sup = b.readBigUInt64LE(o); o += 8;
    const len = b.readUInt16LE(o); o += 2;
    if (o + len > b.length) throw new Error('internal: truncated labels file');
    const key = Buffer.from(b.subarray(o, o + len)); o += len;
    const ks = key.toString('latin1');
    h.labels.set(label, labelEntry(key, ks, hash, ts, lastTs, sup === 0n ? undefined : sup));
    if (sup !== 0n) h.supersededLabels.push(label);
    const list = h.byKey.get(ks);
    if (list === undefined) h.byKey.set(ks, [label]); else list.push(label);
    if (label >= h.nextLabel) h.nextLabel = label + 1;
  }
  for (const list of h.byKey.values()) list.sort((a, b2) => a - b2);
}
