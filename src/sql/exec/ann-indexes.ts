// The live ANN indexes (hnsw, ivfflat) of one server: builds them, keeps them in step with every
// committed write batch, answers searches with MVCC-checked candidates, purges entries no
// snapshot can see any more, and checkpoints them to files beside the LMDB store so that a
// restart replays only the versions committed since the last checkpoint.
//
// An index entry ("label") names one row key and a hash of the indexed value it was built from.
// A search candidate counts only if the row version the reader's snapshot sees still hashes to
// that value, so a search never returns a row its snapshot cannot see, and several versions of
// one row may sit in the index at once (each visible to the snapshots that see it).
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

/** A label's row key (also as the latin1 string that keys byKey and a scan's seen-set) and value hash. */
interface LabelEntry { key: Buffer; ks: string; hash: number }

/** One ANN index: its structure, its labels and where it stands in the commit order. */
export class LiveAnnIndex {
  readonly labels = new Map<number, LabelEntry>();
  /** Row key (latin1) → labels of that row, oldest first. */
  readonly byKey = new Map<string, number[]>();
  nextLabel = 0;
  appliedTs = 0n;
  /** Changes since the last checkpoint / labels that may have become dead. */
  dirty = false;
  superseded = 0;
  /** How this index came to be in memory: built from the table, or loaded from a checkpoint. */
  openedFrom: 'build' | 'checkpoint' = 'build';
  /** Row versions replayed on top of the checkpoint at start-up. */
  replayed = 0;
  layout: TableLayout;
  /**
   * The committed store, for scans that read candidates at their snapshot without going through
   * the transaction (when it has no own writes in the table, which they merge themselves).
   */
  committed: { get(key: Uint8Array, snapshotTs: bigint): Buffer | undefined } | null = null;

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

  /** addVersion for many fresh rows at once (index build): one multi-threaded batch insert. */
  addFresh(rows: ReadonlyArray<readonly [Buffer, Datum]>): void {
    const labels: number[] = [];
    const vectors: IndexVector[] = [];
    for (const [key, value] of rows) {
      const ks = key.toString('latin1');
      if (this.byKey.has(ks)) { this.addVersion(key, value); continue; }
      const v = this.toIndexVector(value);
      if (v === null) continue;
      const label = this.nextLabel++;
      labels.push(label);
      vectors.push(v);
      this.labels.set(label, { key: Buffer.from(key), ks, hash: indexedValueHash(value) });
      this.byKey.set(ks, [label]);
    }
    if (labels.length === 0) return;
    if (this.structure.addBatch !== undefined) this.structure.addBatch(labels, vectors);
    else for (let i = 0; i < labels.length; i++) this.structure.add(labels[i]!, vectors[i]!);
    this.dirty = true;
  }

  /** Adds a label for a row version unless the row's newest label already holds this value. */
  addVersion(key: Buffer, value: Datum): boolean {
    const v = this.toIndexVector(value);
    const ks = key.toString('latin1');
    const existing = this.byKey.get(ks);
    if (v === null) {
      if (existing !== undefined) this.superseded++;
      return false;
    }
    const hash = indexedValueHash(value);
    if (existing !== undefined) {
      const newest = this.labels.get(existing[existing.length - 1]!);
      if (newest !== undefined && newest.hash === hash) return false;
      this.superseded++;
    }
    const label = this.nextLabel++;
    this.structure.add(label, v);
    this.labels.set(label, { key: Buffer.from(key), ks, hash });
    if (existing === undefined) this.byKey.set(ks, [label]); else existing.push(label);
    this.dirty = true;
    return true;
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
    for (const h of this.live.values()) {
      const p = h.layout.prefix;
      const end = h.layout.prefixEnd;
      // One batched (multi-threaded, for large commits such as COPY) insert per commit.
      const versions: Array<readonly [Buffer, Datum]> = [];
      for (const [key, value] of batch.puts) {
        if (!startsWith(key, p)) continue;
        versions.push([Buffer.from(key.buffer, key.byteOffset, key.byteLength), h.keyOf(decodeStoredRow(h.layout, value))]);
      }
      if (versions.length > 0) h.addFresh(versions);
      for (const key of batch.deletes) {
        if (Buffer.compare(key, p) < 0 || Buffer.compare(key, end) >= 0) continue;
        if (h.byKey.has(Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1'))) { h.superseded++; h.dirty = true; }
      }
      if (batch.commitTs > h.appliedTs) h.appliedTs = batch.commitTs;
    }
  }

  /**
   * Builds a new index over the table's committed rows (CREATE INDEX). It receives committed
   * batches from the moment it is registered, so rows committed during the build are not lost.
   */
  async build(args: {
    dbOid: number; table: TableDesc; desc: IndexDesc; opclass: AnnOpclass; dimensions: number; keyOf: IndexKeyFn;
    creator: Txn; pid: number;
  }): Promise<LiveAnnIndex> {
    const h = new LiveAnnIndex(args.dbOid, args.table, args.desc, args.opclass, args.dimensions, args.keyOf,
      newStructure(args.desc, args.opclass, args.dimensions), args.creator);
    h.committed = this.txns.store;
    this.live.set(args.desc.oid, h);
    const progress: IndexBuildProgress = {
      pid: args.pid, datid: args.dbOid, relid: args.table.oid, indexRelid: args.desc.oid,
      phase: 'building index: loading tuples', tuplesTotal: 0, tuplesDone: 0,
    };
    this.progress.set(args.pid, progress);
    try {
      const snapshot = this.txns.visibleTs();
      h.appliedTs = snapshot;
      const store = this.txns.store;
      // Only the row keys and indexed values are kept (not whole rows) while building.
      const keys: Array<readonly [Buffer, Datum]> = [];
      for (const [k, v] of store.scan(h.layout.prefix, h.layout.prefixEnd, snapshot)) {
        keys.push([Buffer.from(k), args.keyOf(decodeStoredRow(h.layout, v))]);
      }
      progress.tuplesTotal = keys.length;
      // IVFFlat trains its centres on the first large batch: give it every row at once.
      const chunkSize = args.desc.method === 'ivfflat' ? Math.max(keys.length, 1) : BUILD_CHUNK;
      for (let i = 0; i < keys.length; i += chunkSize) {
        h.addFresh(keys.slice(i, i + chunkSize));
        if (h.structure.flush !== undefined) await h.structure.flush();
        progress.tuplesDone = Math.min(keys.length, i + chunkSize);
        await new Promise((r) => setImmediate(r));
      }
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
    // Versions the collector removed since the checkpoint leave labels only a purge pass finds.
    h.superseded = 1;
    this.live.set(args.desc.oid, h);
    // Replay: every version of the table committed after the checkpoint.
    const from = h.appliedTs;
    let newest = from;
    for (const v of this.txns.store.rawVersions(h.layout.prefix, h.layout.prefixEnd)) {
      if (v.ts <= from) continue;
      if (v.ts > newest) newest = v.ts;
      h.replayed++;
      if (v.tombstone || v.value === undefined) { h.superseded++; continue; }
      h.addVersion(v.key, args.keyOf(decodeStoredRow(h.layout, v.value)));
    }
    h.appliedTs = newest > h.appliedTs ? newest : h.appliedTs;
    return h;
  }

  /** Removes labels whose row versions no snapshot can see any more. Returns how many went. */
  purge(force = false): number {
    let removed = 0;
    const store = this.txns.store;
    const horizon = this.txns.oldestActiveSnapshot();
    for (const h of this.live.values()) {
      if (h.creator !== null) continue;
      if (!force && h.superseded === 0) continue;
      h.superseded = 0;
      for (const [ks, list] of [...h.byKey]) {
        const key = Buffer.from(ks, 'latin1');
        const latestTs = store.latestVersionTs(key);
        if (latestTs !== undefined && latestTs >= horizon) { h.superseded++; continue; }
        const latest = store.getLatest(key);
        let liveHash: number | null = null;
        if (latest !== undefined) {
          const v = h.keyOf(decodeStoredRow(h.layout, latest));
          if (h.toIndexVector(v) !== null) liveHash = indexedValueHash(v);
        }
        for (const label of [...list]) {
          const e = h.labels.get(label)!;
          if (liveHash !== null && e.hash === liveHash) continue;
          h.removeLabel(label);
          removed++;
        }
      }
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
      const structure = loadStructure(args.desc, args.opclass, args.dimensions, nodePath.join(dir, `${oid}.${meta.gen}.index`), labels.readUInt32LE(0));
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

/** labels file: count u32, then per label: label f64, hash u32, key length u16, key bytes. */
function encodeLabels(h: LiveAnnIndex): Buffer {
  let size = 4;
  for (const e of h.labels.values()) size += 8 + 4 + 2 + e.key.length;
  const out = Buffer.allocUnsafe(size);
  let o = out.writeUInt32LE(h.labels.size, 0);
  for (const [label, e] of h.labels) {
    o = out.writeDoubleLE(label, o);
    o = out.writeUInt32LE(e.hash, o);
    o = out.writeUInt16LE(e.key.length, o);
    o += e.key.copy(out, o);
  }
  return out;
}

function decodeLabels(h: LiveAnnIndex, b: Buffer): void {
  const n = b.readUInt32LE(0);
  let o = 4;
  for (let i = 0; i < n; i++) {
    const label = b.readDoubleLE(o); o += 8;
    const hash = b.readUInt32LE(o); o += 4;
    const len = b.readUInt16LE(o); o += 2;
    const key = Buffer.from(b.subarray(o, o + len)); o += len;
    const ks = key.toString('latin1');
    h.labels.set(label, { key, ks, hash });
    const list = h.byKey.get(ks);
    if (list === undefined) h.byKey.set(ks, [label]); else list.push(label);
    if (label >= h.nextLabel) h.nextLabel = label + 1;
  }
  for (const list of h.byKey.values()) list.sort((a, b2) => a - b2);
}
