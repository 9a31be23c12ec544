// Store: the one LMDB environment. Durable, multi-versioned key/value state that changes only by
// apply(WriteBatch) (deterministic, idempotent, group-committed) and garbage collection (gc, also
// a deterministic function of the state). A batch is durable once its record is in the
// write-ahead log (wal.ts); LMDB commits without syncing and is synced by checkpoints
// (checkpoint.ts), from which recovery replays the log. Reads are at a snapshot timestamp. It
// knows nothing of SQL, transactions or locks; src/txn builds those on top.
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import { LIMITS, SQLSTATE, SqlError, copyOut } from '../base/index.js';
import type { PackedPuts } from './packed-puts.js';
import { decodeBatch, encodeBatch } from './batch-codec.js';
import {
  fdatasync, lockDataDirectory, readCheckpoint, readMetaPages, restoreMetaPages, writeCheckpoint, writeCheckpointSync,
} from './checkpoint.js';
import { Wal, listSegments, replaySegments } from './wal.js';
import {
  TOMBSTONE_VALUE, TS_BYTES, TS_MAX, VALUE_PUT, encodeMvccKey, encodePutValue, mvccKeyTs, mvccSuffix,
} from './mvcc-key.js';

/** The one way data changes. commitTs must be > 0. A key must not be both put and deleted. */
export interface WriteBatch {
  commitTs: bigint;
  puts: Array<[Uint8Array, Uint8Array]>;
  deletes: Uint8Array[];
  /**
   * Per put (same index): 1 when it is known to be the first version ever of its key (a fresh
   * unique rowid), so that nothing older exists for the collector to remove. A hint only;
   * applying ignores it.
   */
  firstVersions?: Uint8Array;
  /**
   * More puts, packed (bulk loads' rows): keys ascending in each, none in two of them or also in
   * puts or deletes, each the first version ever of its key. Entries marked shadowed are not
   * part of the batch.
   */
  packed?: readonly PackedPuts[];
  /**
   * Key ranges [start, end) that no snapshot at or after commitTs reads again (a dropped table or
   * index, rows moved to a new key range). Their versions stay for older snapshots and are
   * removed by purgeDropped once no snapshot older than commitTs remains: no per-key tombstones.
   */
  dropRanges?: ReadonlyArray<readonly [Uint8Array, Uint8Array]>;
}

/** A recorded dropRanges entry waiting to be purged. */
export interface DroppedRange {
  ts: bigint;
  start: Buffer;
  end: Buffer;
}

/** Called for every applied batch, in commitTs order, once it is durable and visible. */
export type ApplyListener = (batch: WriteBatch) => void;

export interface StoreOptions {
  /** Data directory (created if missing). Required unless memory is true. */
  path?: string | undefined;
  /** Memory-only: a temporary directory, no fsync, removed on close. */
  memory?: boolean | undefined;
  /** Skip fsync (tests, bulk loads): a crash may lose recent commits. */
  noSync?: boolean | undefined;
  /** Milliseconds between checkpoints while batches are applied (default 1000). */
  checkpointIntervalMs?: number | undefined;
}

/** A checkpoint is also taken once the current log segment holds this many bytes. */
const SEGMENT_CHECKPOINT_BYTES = 64 << 20;
/** Data directories open in this process (a second Store on one would undo the first's writes). */
const openDirectories = new Set<string>();

export interface ScanOptions {
  reverse?: boolean | undefined;
  limit?: number | undefined;
}

/** One stored version, as the data-directory checker sees it. */
export interface RawVersion {
  key: Buffer;
  ts: bigint;
  tombstone: boolean;
  /** The user value (undefined for tombstones). */
  value: Buffer | undefined;
}

export interface GcOptions {
  /** Stored versions examined per LMDB write transaction (one chunk). */
  chunkEntries?: number | undefined;
  /** Only collect within [start, end). */
  start?: Uint8Array | undefined;
  end?: Uint8Array | undefined;
}

export interface GcResult {
  versionsRemoved: number;
  versionsExamined: number;
  chunks: number;
}

interface PendingApply {
  ts: bigint;
  batch: WriteBatch;
  /** Completions still awaited: the LMDB commit, and the log write when there is a log. */
  waits: number;
  done: boolean;
  error: unknown;
  resolve: () => void;
  reject: (e: unknown) => void;
}

const META_HIGHEST_TS = Buffer.from('highestAppliedTs');
/** Meta keys 'drop/' ++ commitTs (8 bytes) ++ n (4 bytes) → dropped range (see WriteBatch.dropRanges). */
const META_DROP = Buffer.from('drop/');
const META_DROP_END = Buffer.from('drop0');
const META_FORMAT = Buffer.from('format');
/** Prefix of node-local notes (readLocalNote / writeLocalNote). */
const META_NOTE = 'note/';
const FORMAT_VERSION = Buffer.from('quiverdb-mvcc-1');
const SUFFIX_ALL_FF = Buffer.alloc(TS_BYTES + 1, 0xff).fill(0, TS_BYTES);
const U32 = 0x1_0000_0000n;
/** GC removals per LMDB transaction. */
const REMOVE_GROUP = 2000;

export class Store {
  private readonly env: RootDatabase<Buffer, Buffer>;
  private readonly data: Database<Buffer, Buffer>;
  private readonly meta: Database<Buffer, Buffer>;
  private readonly tempDir: string | undefined;
  private watermark: bigint;
  private highestTs: bigint;
  /** Applies not yet visible, sorted by ts. */
  private pending: PendingApply[] = [];
  private listeners: ApplyListener[] = [];
  private closed = false;
  private readonly codec = new ScanCodec();
  /** Number of LMDB write transactions started by apply (for group-commit tests). */
  applyTxns = 0;
  /** The commit promise of the LMDB transaction the last apply joined (one per transaction). */
  private lastCommitPromise: Promise<boolean> | undefined;
  /** Highest commitTs handed to LMDB (written as the highest applied ts with each apply). */
  private highestIssued: bigint;
  /** The durable mode's parts (undefined for memory-only and noSync stores). */
  private durable: {
    wal: Wal;
    dataFd: number;
    pageSize: number;
    /** Read transaction holding the last checkpoint's snapshot (its pages must not be reused). */
    pin: { done(): void } | undefined;
    running: Promise<void> | undefined;
    timer: NodeJS.Timeout | undefined;
    appliedSinceCheckpoint: boolean;
    releaseLock: () => void;
  } | undefined;
  /** Applies whose LMDB writes wait for the log write of their records (in commitTs order). */
  private unissued: Array<() => void> = [];
  /** Set when the log failed: no later batch can be made durable. */
  private failure: unknown;
  /** Checkpoints taken (tests). */
  checkpoints = 0;

  private constructor(env: RootDatabase<Buffer, Buffer>, private readonly dir: string, tempDir: string | undefined) {
    this.env = env;
    this.tempDir = tempDir;
    this.data = env.openDB<Buffer, Buffer>('data', {
      keyEncoder: { writeKey, readKey: this.codec.readKey },
      encoder: { encode: identity, decode: this.codec.decode },
    } as object);
    this.meta = env.openDB<Buffer, Buffer>('meta', { keyEncoding: 'binary', encoding: 'binary' });
    const format = this.meta.get(META_FORMAT);
    if (format === undefined) this.meta.putSync(META_FORMAT, FORMAT_VERSION);
    else if (!Buffer.from(format).equals(FORMAT_VERSION)) {
      throw new SqlError(SQLSTATE.INTERNAL_ERROR, `data directory has unknown format "${Buffer.from(format).toString()}"`);
    }
    const h = this.meta.get(META_HIGHEST_TS);
    this.highestTs = h === undefined ? 0n : Buffer.from(h).readBigUInt64BE(0);
    this.highestIssued = this.highestTs;
    this.watermark = this.highestTs;
  }

  static open(options: StoreOptions): Store {
    let path = options.path;
    let tempDir: string | undefined;
    if (options.memory) {
      tempDir = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'quiverdb-mem-'));
      path = tempDir;
    }
    if (path === undefined) throw new Error('internal: Store.open needs a path or memory: true');
    fs.mkdirSync(path, { recursive: true });
    const durable = options.memory !== true && options.noSync !== true;
    const dataFile = nodePath.join(path, 'data.mdb');
    const dirKey = nodePath.resolve(path);
    let releaseLock = (): void => undefined;
    let segment = 0;
    if (durable) {
      if (openDirectories.has(dirKey)) throw new Error(`data directory ${path} is already open in this process`);
      releaseLock = lockDataDirectory(path);
      // Back to the last checkpoint's state (a no-op after a clean shutdown); the log redoes the rest.
      const checkpoint = readCheckpoint(path);
      if (checkpoint !== undefined) {
        if (fs.existsSync(dataFile)) restoreMetaPages(dataFile, checkpoint.metas);
        segment = checkpoint.segment;
      }
    }
    const env = open<Buffer, Buffer>({
      path: dataFile,
      keyEncoding: 'binary',
      encoding: 'binary',
      // never synced at commit: the log makes batches durable, checkpoints sync this file
      overlappingSync: false,
      noSync: true,
      maxDbs: 8,
      // compression and caching off: values are opaque and must round-trip byte-exactly
    });
    const store = new Store(env, path, tempDir);
    if (durable) {
      openDirectories.add(dirKey);
      try {
        store.recover(segment, releaseLock, options.checkpointIntervalMs ?? 1000);
      } catch (e) {
        openDirectories.delete(dirKey);
        releaseLock();
        throw e;
      }
    }
    return store;
  }

  /** Replays the log from segment on, checkpoints, and starts logging into a new segment. */
  private recover(segment: number, releaseLock: () => void, intervalMs: number): void {
    const walDir = nodePath.join(this.dir, 'wal');
    let replayed = 0;
    this.env.transactionSync(() => {
      for (const payload of replaySegments(walDir, segment)) { this.writeBatch(decodeBatch(payload)); replayed++; }
    });
    if (replayed > 0) {
      const h = this.meta.get(META_HIGHEST_TS);
      this.highestTs = h === undefined ? 0n : Buffer.from(h).readBigUInt64BE(0);
      this.highestIssued = this.highestTs;
      this.watermark = this.highestTs;
      this.env.resetReadTxn();
    }
    const dataFd = fs.openSync(nodePath.join(this.dir, 'data.mdb'), 'r');
    const next = Math.max(segment, ...listSegments(walDir)) + 1;
    const pageSize = (this.env.getStats() as { pageSize: number }).pageSize;
    // The checkpoint recovery starts from: synced state, its meta pages, log from segment next on.
    const pin = this.pinSnapshot();
    fs.fdatasyncSync(dataFd);
    const metas = readMetaPages(dataFd, pageSize);
    fs.fdatasyncSync(dataFd);
    writeCheckpointSync(this.dir, { segment: next, pageSize, metas });
    const wal = Wal.open(walDir, next);
    wal.onGroup = () => this.issueLogged();
    wal.removeBelow(next);
    const timer = setInterval(() => {
      const d = this.durable;
      if (d !== undefined && d.appliedSinceCheckpoint) this.checkpoint().catch((e: unknown) => console.error('checkpoint failed', e));
    }, intervalMs);
    timer.unref();
    this.durable = { wal, dataFd, pageSize, pin, running: undefined, timer, appliedSinceCheckpoint: false, releaseLock };
  }

  /** A read transaction on LMDB's newest committed state, kept until done(). */
  private pinSnapshot(): { done(): void } {
    this.env.resetReadTxn();
    return (this.env as unknown as { useReadTransaction(): { done(): void } }).useReadTransaction();
  }

  /**
   * Syncs the LMDB file and records its meta pages: recovery restarts from here and replays the
   * log from the segment begun now. One at a time.
   */
  checkpoint(): Promise<void> {
    return this.closed ? Promise.resolve() : this.runCheckpoint();
  }

  private runCheckpoint(): Promise<void> {
    const d = this.durable;
    if (d === undefined) return Promise.resolve();
    if (d.running !== undefined) return d.running;
    const run = async (): Promise<void> => {
      d.appliedSinceCheckpoint = false;
      const pin = this.pinSnapshot();
      let segment: number;
      try {
        segment = d.wal.rotate();
        // Everything logged before the rotation is committed to LMDB before the sync below.
        if (this.lastCommitPromise !== undefined) await this.lastCommitPromise.catch(() => undefined);
        await fdatasync(d.dataFd);
        const metas = readMetaPages(d.dataFd, d.pageSize);
        // the pages of whatever state those meta pages name are on disk once this returns
        await fdatasync(d.dataFd);
        await writeCheckpoint(this.dir, { segment, pageSize: d.pageSize, metas });
      } catch (e) {
        pin.done();
        throw e;
      }
      d.pin?.done();
      d.pin = pin;
      d.wal.removeBelow(segment);
      this.checkpoints++;
    };
    const p = run().finally(() => { d.running = undefined; });
    d.running = p;
    return p;
  }

  /** Highest commitTs whose batch (and every earlier one) is durable and readable. */
  /** The data directory (a temporary one for memory-only stores). */
  get directory(): string { return this.dir; }
  /** True for memory-only stores, whose directory is removed on close. */
  get isTemporary(): boolean { return this.tempDir !== undefined; }

  visibleTs(): bigint { return this.watermark; }

  /** The directory holding data.mdb. */
  get path(): string { return this.dir; }

  /**
   * A node-local note kept beside the data (planner statistics): not part of the replicated
   * state and not logged; written at once, durable with the next checkpoint.
   */
  writeLocalNote(name: string, bytes: Uint8Array): void {
    if (this.closed) throw new Error('internal: store is closed');
    this.meta.putSync(Buffer.from(META_NOTE + name), Buffer.from(bytes));
  }

  /** The note written under name, if any. */
  readLocalNote(name: string): Buffer | undefined {
    const v = this.meta.get(Buffer.from(META_NOTE + name));
    return v === undefined ? undefined : Buffer.from(v);
  }

  /** Highest commitTs ever applied (persisted; the clock restarts above it). */
  highestAppliedTs(): bigint { return this.highestTs; }

  onApply(listener: ApplyListener): () => void {
    this.listeners.push(listener);
    return () => { this.listeners = this.listeners.filter((l) => l !== listener); };
  }

  /**
   * Writes the batch's versions (K + ~commitTs) and the highest applied ts, in one LMDB
   * transaction shared with every other apply of the same event turn (group commit, one fsync).
   * Deterministic and idempotent. Resolves once durable and visible (visibleTs() >= commitTs).
   */
  apply(batch: WriteBatch): Promise<void> {
    if (this.closed) return Promise.reject(new Error('internal: store is closed'));
    const ts = batch.commitTs;
    if (ts <= 0n || ts >= TS_MAX) return Promise.reject(new Error(`internal: bad commitTs ${ts}`));
    try {
      for (const [k] of batch.puts) checkKey(k);
      for (const p of batch.packed ?? []) for (let i = 0; i < p.count; i++) if (p.flagAt(i) - p.keyStart(i) > LIMITS.keyBytesMax) checkKey(p.key(i));
      for (const k of batch.deletes) checkKey(k);
    } catch (e) {
      return Promise.reject(e);
    }
    if (this.failure !== undefined) return Promise.reject(this.failure);
    let entry!: PendingApply;
    const d = this.durable;
    const promise = new Promise<void>((resolve, reject) => {
      entry = { ts, batch, waits: d === undefined ? 1 : 2, done: false, error: undefined, resolve, reject };
    });
    this.insertPending(entry);
    const finished = (): void => {
      if (--entry.waits > 0) return;
      entry.done = true;
      if (entry.error === undefined && ts > this.highestTs) this.highestTs = ts;
      this.advance();
    };
    const failed = (e: unknown): void => { if (entry.error === undefined) entry.error = e; finished(); };
    // Queued writes: lmdb-js commits every write queued in one event turn in one LMDB transaction
    // on its writer thread, with no callback into this thread. Applies are issued in commitTs
    // order, so the highest ts only grows.
    const issue = (): void => {
      let committed: Promise<boolean>;
      try {
        committed = this.writeBatch(batch);
      } catch (e) {
        this.failure ??= e;
        failed(e);
        return;
      }
      if (committed !== this.lastCommitPromise) { this.lastCommitPromise = committed; this.applyTxns++; }
      committed.then(finished, failed);
    };
    if (d === undefined) {
      issue();
      return promise;
    }
    d.appliedSinceCheckpoint = true;
    // The LMDB writes go out with the log write that carries the record (Wal.onGroup): the
    // commits one log write makes durable commit to LMDB in one transaction.
    this.unissued.push(issue);
    d.wal.append(encodeBatch(batch)).then(finished, (e: unknown) => {
      // PostgreSQL PANICs when its log cannot be written; this store refuses every later batch.
      this.failure ??= new SqlError(SQLSTATE.IO_ERROR, `could not write to the write-ahead log: ${(e as Error).message}`);
      const i = this.unissued.indexOf(issue);
      if (i >= 0) { this.unissued.splice(i, 1); failed(this.failure); }
      failed(this.failure);
    });
    if (d.wal.segmentBytes > SEGMENT_CHECKPOINT_BYTES) this.checkpoint().catch((e: unknown) => console.error('checkpoint failed', e));
    return promise;
  }

  /** Issues the LMDB writes of the applies whose records a log write is about to carry. */
  private issueLogged(): void {
    const list = this.unissued;
    if (list.length === 0) return;
    this.unissued = [];
    for (const issue of list) issue();
  }

  /**
   * Issues the batch's LMDB writes (queued, or part of the current transaction inside
   * transactionSync); returns the commit promise of the LMDB transaction they joined.
   */
  private writeBatch(batch: WriteBatch): Promise<boolean> {
    const ts = batch.commitTs;
    let committed: Promise<boolean>;
    {
      // lmdb-js copies the key into its write queue at once: one reused VersionKey, no key buffer per version
      const vk = VERSION_KEY;
      vk.suffix = mvccSuffix(ts);
      const key = vk as unknown as Buffer;
      for (const [k, v] of batch.puts) { vk.set(k, 0, k.length); this.data.put(key, encodePutValue(v)); }
      for (const k of batch.deletes) { vk.set(k, 0, k.length); this.data.put(key, TOMBSTONE_VALUE); }
      for (const p of batch.packed ?? []) {
        for (let i = 0; i < p.count; i++) {
          if (p.isShadowed(i)) continue;
          // The stored value (flag byte + value) lies in the chunk: lmdb-js takes a buffer's
          // start/end properties as the bytes to write (and keeps the buffer until written).
          const chunk = p.chunkOf(i) as Buffer & { start: number; end: number };
          const flag = p.flagAt(i);
          vk.set(chunk, p.keyStart(i), flag);
          chunk.start = flag;
          chunk.end = p.valueEnd(i);
          this.data.put(key, chunk);
        }
      }
      batch.dropRanges?.forEach(([start, end], i) => this.meta.put(dropKey(ts, i), encodeDropRange(start, end)));
      if (ts > this.highestIssued) this.highestIssued = ts;
      const tsBuf = Buffer.allocUnsafe(8);
      tsBuf.writeBigUInt64BE(this.highestIssued, 0);
      committed = this.meta.put(META_HIGHEST_TS, tsBuf);
    }
    return committed;
  }

  private insertPending(e: PendingApply): void {
    const p = this.pending;
    let i = p.length;
    while (i > 0 && p[i - 1]!.ts > e.ts) i--;
    p.splice(i, 0, e);
  }

  /** Makes finished applies visible in commitTs order. */
  private advance(): void {
    let advanced = false;
    const finished: PendingApply[] = [];
    while (this.pending.length > 0 && this.pending[0]!.done) {
      const e = this.pending.shift()!;
      finished.push(e);
      if (e.error === undefined && e.ts > this.watermark) { this.watermark = e.ts; advanced = true; }
    }
    if (advanced) this.env.resetReadTxn();
    for (const e of finished) {
      if (e.error !== undefined) { e.reject(e.error); continue; }
      for (const l of this.listeners) {
        try { l(e.batch); } catch (err) { console.error('apply listener failed', err); }
      }
      e.resolve();
    }
  }

  /** The newest version of key at or below snapshotTs; undefined if none or a tombstone. */
  get(key: Uint8Array, snapshotTs: bigint): Buffer | undefined {
    return this.stateAt(key, snapshotTs) ?? undefined;
  }

  /** The newest version of key at or below snapshotTs: its value, null for a tombstone, undefined if none. */
  private stateAt(key: Uint8Array, snapshotTs: bigint): Buffer | null | undefined {
    const start = encodeMvccKey(key, snapshotTs);
    const end = Buffer.concat([key, SUFFIX_ALL_FF]);
    const codec = this.codec;
    codec.pointRead = true;
    try {
      for (const { value } of this.data.getRange({ start, end, limit: 1 })) return value === TOMBSTONE_MARK ? null : value;
    } finally {
      codec.pointRead = false;
    }
    return undefined;
  }

  /**
   * The version of key committed at exactly ts (one exact-key read): its value, undefined for a
   * tombstone or when no version of key at ts is stored (never written, or collected).
   */
  getVersion(key: Uint8Array, ts: bigint): Buffer | undefined {
    // getBinary: the stored bytes sized exactly (get would hand the codec LMDB's shared buffer).
    const value = this.data.getBinary(encodeMvccKey(key, ts));
    return value === undefined || value[0] !== VALUE_PUT ? undefined : value.subarray(1);
  }

  /**
   * The newest visible version of key at the current watermark: its value, null for a deletion,
   * undefined when the key has no visible version at all.
   */
  latestState(key: Uint8Array): Buffer | null | undefined {
    return this.stateAt(key, this.watermark);
  }

  /**
   * The greatest user key in [start, end) that has any stored version (visible or not, deleted
   * or not); undefined when the range holds none. A key above it has no version at all.
   */
  lastKeyIn(start: Uint8Array, end: Uint8Array): Buffer | undefined {
    for (const raw of this.data.getKeys({ start: highBound(end), end: lowBound(start), reverse: true, limit: 1 })) {
      return raw.subarray(0, raw.length - TS_BYTES);
    }
    return undefined;
  }

  /** Commit ts of the newest version of key (tombstones included); undefined if none. */
  latestVersionTs(key: Uint8Array): bigint | undefined {
    const start = Buffer.concat([key, Buffer.alloc(TS_BYTES)]);
    const end = Buffer.concat([key, SUFFIX_ALL_FF]);
    for (const k of this.data.getKeys({ start, end, limit: 1 })) return mvccKeyTs(k);
    return undefined;
  }

  /**
   * Visible versions of user keys in [start, end) at snapshotTs, in key order (or reverse).
   * end undefined = unbounded. Bounds must not have a user key as a proper prefix other than
   * themselves (true for prefixes and encodings built with the keys module).
   */
  *scan(start: Uint8Array, end: Uint8Array | undefined, snapshotTs: bigint, options: ScanOptions = {}): Generator<[Buffer, Buffer]> {
    const limit = options.limit ?? Infinity;
    if (limit <= 0) return;
    const inv = TS_MAX - snapshotTs;
    const snapHi = Number(inv / U32);
    const snapLo = Number(inv % U32);
    let emitted = 0;
    if (!options.reverse) {
      const range = this.data.getRange({ start: lowBound(start), end: highBound(end) });
      const it = range[Symbol.iterator]();
      const ctx: ScanState = { prev: undefined, prevLen: -1, snapHi, snapLo, skip: false, reverse: false };
      const codec = this.codec;
      try {
        for (;;) {
          codec.ctx = ctx;
          let r: IteratorResult<{ key: Buffer; value: Buffer }>;
          try { r = it.next(); } finally { codec.ctx = undefined; }
          if (r.done) return;
          const { key, value } = r.value;
          if (key === SKIP || value === TOMBSTONE_MARK) continue;
          yield [key, value];
          if (++emitted >= limit) return;
        }
      } finally {
        it.return?.();
      }
    }
    // Reverse: versions of one key arrive oldest first; the last visible one of a group wins.
    // The codec hands out one key object per group, so a new object means a new group.
    const it = this.data.getRange({ start: highBound(end), end: lowBound(start), reverse: true, exclusiveStart: true })[Symbol.iterator]();
    const ctx: ScanState = { prev: undefined, prevLen: -1, snapHi, snapLo, skip: false, reverse: true };
    const codec = this.codec;
    let groupKey: Buffer | undefined;
    let cand: Buffer | undefined;
    try {
      for (;;) {
        codec.ctx = ctx;
        let r: IteratorResult<{ key: Buffer; value: Buffer }>;
        try { r = it.next(); } finally { codec.ctx = undefined; }
        if (r.done) break;
        const { key, value } = r.value;
        if (key !== groupKey) {
          if (cand !== undefined && cand !== TOMBSTONE_MARK) {
            yield [groupKey!, cand];
            if (++emitted >= limit) return;
          }
          groupKey = key;
          cand = undefined;
        }
        if (value !== SKIP) cand = value;
      }
      if (cand !== undefined && cand !== TOMBSTONE_MARK) yield [groupKey!, cand];
    } finally {
      it.return?.();
    }
  }

  /** Number of user keys in [start, end) visible at snapshotTs (scan() without copying values out). */
  count(start: Uint8Array, end: Uint8Array | undefined, snapshotTs: bigint): number {
    const inv = TS_MAX - snapshotTs;
    const ctx: ScanState = {
      prev: undefined, prevLen: -1, snapHi: Number(inv / U32), snapLo: Number(inv % U32), skip: false, reverse: false, countOnly: true,
    };
    const it = this.data.getRange({ start: lowBound(start), end: highBound(end) })[Symbol.iterator]();
    const codec = this.codec;
    let n = 0;
    try {
      for (;;) {
        codec.ctx = ctx;
        let r: IteratorResult<{ key: Buffer; value: Buffer }>;
        try { r = it.next(); } finally { codec.ctx = undefined; }
        if (r.done) return n;
        if (r.value.key !== SKIP && r.value.value === COUNTED) n++;
      }
    } finally {
      it.return?.();
    }
  }

  /** Every stored version in [start, end) of user keys, newest first per key (for the checker and tests). */
  *rawVersions(start?: Uint8Array, end?: Uint8Array): Generator<RawVersion> {
    const opts = { start: lowBound(start), end: highBound(end) };
    for (const { key: raw, value } of this.data.getRange(opts)) {
      const n = raw.length - TS_BYTES;
      const tombstone = value[0] !== VALUE_PUT;
      yield { key: raw.subarray(0, n), ts: mvccKeyTs(raw), tombstone, value: tombstone ? undefined : value.subarray(1) };
    }
  }

  /**
   * Removes versions no snapshot at or above oldestSnapshotTs can see: per key, everything older
   * than the newest version <= oldestSnapshotTs, and that version too when it is a tombstone.
   * Runs in chunks: gcStep(oldestSnapshotTs, chunkStart, chunkEntries) reads which versions to
   * remove (a pure function of the store state), and LMDB's writer thread removes them. A version
   * garbage at some state stays garbage in every later one (writes only add newer versions), so
   * removing it a little later is safe, and replicas that log the same GC steps converge
   * (deterministic, idempotent). oldestSnapshotTs must not exceed visibleTs().
   */
  async gc(oldestSnapshotTs: bigint, options: GcOptions = {}): Promise<GcResult> {
    const chunkEntries = options.chunkEntries ?? 2000;
    if (oldestSnapshotTs > this.watermark) oldestSnapshotTs = this.watermark;
    const result: GcResult = { versionsRemoved: 0, versionsExamined: 0, chunks: 0 };
    let next: Buffer | undefined = options.start === undefined ? undefined : Buffer.from(options.start);
    const end = options.end === undefined ? undefined : Buffer.from(options.end);
    for (;;) {
      if (this.closed) break;
      const from: Buffer | undefined = next;
      const step = this.gcStep(oldestSnapshotTs, from, end, chunkEntries);
      await this.removeStored(step.remove);
      result.chunks++;
      result.versionsRemoved += step.remove.length;
      result.versionsExamined += step.examined;
      if (step.next === undefined) break;
      next = step.next;
      await new Promise<void>((r) => setImmediate(r));
    }
    if (result.versionsRemoved > 0) this.env.resetReadTxn();
    return result;
  }

  /**
   * GC of just the given user keys (those written since the last pass), keysPerChunk keys per
   * LMDB write transaction; same rule and determinism as gc(). Returns the keys that still hold
   * versions newer than oldestSnapshotTs (they need another pass later).
   */
  async gcKeys(keys: Uint8Array[], oldestSnapshotTs: bigint, keysPerChunk = 2000): Promise<GcResult & { retry: Buffer[] }> {
    if (oldestSnapshotTs > this.watermark) oldestSnapshotTs = this.watermark;
    const result = { versionsRemoved: 0, versionsExamined: 0, chunks: 0, retry: [] as Buffer[] };
    for (let i = 0; i < keys.length && !this.closed; i += keysPerChunk) {
      const chunk = keys.slice(i, i + keysPerChunk);
      const remove: Buffer[] = [];
      for (const key of chunk) {
        const start = Buffer.concat([key, Buffer.alloc(TS_BYTES)]);
        const end = Buffer.concat([key, SUFFIX_ALL_FF]);
        const r = this.gcStep(oldestSnapshotTs, start, end, Infinity);
        for (const k of r.remove) remove.push(k);
        result.versionsExamined += r.examined;
        if (r.newer) result.retry.push(Buffer.from(key));
      }
      await this.removeStored(remove);
      result.chunks++;
      result.versionsRemoved += remove.length;
      if (i + keysPerChunk < keys.length) await new Promise<void>((r) => setImmediate(r));
    }
    if (result.versionsRemoved > 0) this.env.resetReadTxn();
    return result;
  }

  /** One GC chunk: the stored keys to remove, and the user key where the next chunk starts. */
  private gcStep(oldest: bigint, start: Buffer | undefined, end: Buffer | undefined, chunkEntries: number):
    { remove: Buffer[]; examined: number; next: Buffer | undefined; newer: boolean } {
    const opts = { start: lowBound(start), end: highBound(end) };
    const remove: Buffer[] = [];
    let examined = 0;
    let groupKey: Buffer | undefined;
    let groupLen = -1;
    let seenOld = false;
    let next: Buffer | undefined;
    let newer = false;
    for (const { key: raw, value } of this.data.getRange(opts)) {
      const n = raw.length - TS_BYTES;
      const same = n === groupLen && samePrefix(raw, groupKey!, n);
      if (!same) {
        if (examined >= chunkEntries) { next = Buffer.from(raw.subarray(0, n)); break; }
        groupKey = raw; groupLen = n; seenOld = false;
      }
      examined++;
      if (mvccKeyTs(raw) > oldest) { newer = true; continue; }
      if (!seenOld) {
        seenOld = true;
        if (value[0] !== VALUE_PUT) remove.push(Buffer.from(raw));
      } else {
        remove.push(Buffer.from(raw));
      }
    }
    return { remove, examined, next, newer };
  }

  /**
   * Removes stored keys (GC: no log record) on LMDB's writer thread, REMOVE_GROUP per LMDB
   * transaction so that commits queued meanwhile wait little; resolves once they are gone.
   */
  private async removeStored(keys: readonly Buffer[]): Promise<void> {
    for (let i = 0; i < keys.length && !this.closed; i += REMOVE_GROUP) {
      let last: Promise<boolean> | undefined;
      const end = Math.min(keys.length, i + REMOVE_GROUP);
      for (let j = i; j < end; j++) last = this.data.remove(keys[j]!);
      await last;
      this.env.resetReadTxn();
    }
  }

  /** Dropped ranges not purged yet, oldest first. */
  droppedRanges(): DroppedRange[] {
    const out: DroppedRange[] = [];
    for (const { key, value } of this.meta.getRange({ start: META_DROP, end: META_DROP_END })) {
      const k = Buffer.from(key);
      const v = Buffer.from(value);
      const n = v.readUInt32BE(0);
      out.push({ ts: k.readBigUInt64BE(META_DROP.length), start: v.subarray(4, 4 + n), end: v.subarray(4 + n) });
    }
    return out;
  }

  /**
   * Removes every stored version inside the dropped ranges recorded at or before
   * oldestSnapshotTs, chunkEntries at a time (removed by LMDB's writer thread), then the records
   * themselves; at most maxChunks chunks (the rest waits for a later call). Deterministic and idempotent
   * like gc(). Returns the number of versions removed.
   */
  async purgeDropped(oldestSnapshotTs: bigint, chunkEntries = 10_000, maxChunks = Infinity): Promise<number> {
    if (oldestSnapshotTs > this.watermark) oldestSnapshotTs = this.watermark;
    let removed = 0;
    let chunks = 0;
    const records = [...this.meta.getKeys({ start: META_DROP, end: META_DROP_END })].map((k) => Buffer.from(k));
    for (const recordKey of records) {
      if (this.closed || chunks >= maxChunks) break;
      if (recordKey.readBigUInt64BE(META_DROP.length) > oldestSnapshotTs) break;
      for (;;) {
        const value = this.meta.get(recordKey);
        if (value === undefined) break;
        const v = Buffer.from(value);
        const len = v.readUInt32BE(0);
        // Nothing is written into a dropped range again: the keys read now are all to go.
        const keys: Buffer[] = [];
        for (const k of this.data.getKeys({ start: v.subarray(4, 4 + len), end: v.subarray(4 + len), limit: chunkEntries })) keys.push(Buffer.from(k));
        await this.removeStored(keys);
        if (keys.length < chunkEntries && !this.closed) {
          await this.meta.remove(recordKey);
          this.env.resetReadTxn();
        }
        const n = keys.length;
        removed += n;
        if (n < chunkEntries || this.closed || ++chunks >= maxChunks) break;
        await new Promise<void>((r) => setImmediate(r));
      }
    }
    if (removed > 0) this.env.resetReadTxn();
    return removed;
  }

  /** Waits for pending applies, then closes the environment (and removes a memory store's directory). */
  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.allSettled(this.pending.map((p) => new Promise<void>((r) => {
      const res = p.resolve, rej = p.reject;
      p.resolve = () => { res(); r(); };
      p.reject = (e) => { rej(e); r(); };
    })));
    this.closed = true;
    const d = this.durable;
    if (d !== undefined) {
      clearInterval(d.timer);
      await d.running?.catch(() => undefined);
      // a last checkpoint: the next open replays nothing
      if (this.failure === undefined) await this.runCheckpoint().catch((e: unknown) => console.error('checkpoint at close failed', e));
      await d.wal.close();
      d.pin?.done();
      fs.closeSync(d.dataFd);
    }
    await this.env.close();
    if (d !== undefined) {
      openDirectories.delete(nodePath.resolve(this.dir));
      d.releaseLock();
    }
    if (this.tempDir !== undefined) fs.rmSync(this.tempDir, { recursive: true, force: true });
  }
}

function dropKey(ts: bigint, n: number): Buffer {
  const k = Buffer.allocUnsafe(META_DROP.length + 12);
  META_DROP.copy(k, 0);
  k.writeBigUInt64BE(ts, META_DROP.length);
  k.writeUInt32BE(n, META_DROP.length + 8);
  return k;
}

function encodeDropRange(start: Uint8Array, end: Uint8Array): Buffer {
  const v = Buffer.allocUnsafe(4 + start.length + end.length);
  v.writeUInt32BE(start.length, 0);
  v.set(start, 4);
  v.set(end, 4 + start.length);
  return v;
}

/** Below every stored key (stored keys are at least TS_BYTES long). */
const MIN_KEY = Buffer.from([0]);
/** Above every stored key (user keys are at most LIMITS.keyBytesMax bytes). */
const MAX_KEY = Buffer.alloc(LIMITS.keyBytesMax + TS_BYTES + 1, 0xff);

function lowBound(k: Uint8Array | undefined): Buffer {
  return k === undefined || k.length === 0 ? MIN_KEY : Buffer.from(k);
}

function highBound(k: Uint8Array | undefined): Buffer {
  return k === undefined ? MAX_KEY : Buffer.from(k);
}

function checkKey(k: Uint8Array): void {
  if (k.length > LIMITS.keyBytesMax) {
    throw new SqlError(SQLSTATE.PROGRAM_LIMIT_EXCEEDED, `index row size ${k.length} exceeds maximum ${LIMITS.keyBytesMax}`);
  }
}

/** a[0..n) === b[0..n), compared from the end (keys of one index share long prefixes). */
function samePrefix(a: Uint8Array, b: Uint8Array, n: number): boolean {
  for (let i = n - 1; i >= 0; i--) if (a[i] !== b[i]) return false;
  return true;
}

// ---- decoding straight out of LMDB's key/value buffers (forward scans) ----

/** Returned as key (and value) for stored versions a forward scan skips. */
const SKIP: Buffer = Buffer.alloc(0);
/** Returned as value for a visible tombstone. */
const TOMBSTONE_MARK: Buffer = Buffer.alloc(0);
/** Returned as value for a visible put during count(). */
const COUNTED: Buffer = Buffer.alloc(0);

interface ScanState {
  prev: Buffer | undefined;
  prevLen: number;
  snapHi: number;
  snapLo: number;
  skip: boolean;
  /** Reverse scans: prev is the current group's key, returned for each of its versions. */
  reverse: boolean;
  /** count(): visible values are not copied out (decode returns COUNTED). */
  countOnly?: boolean;
}

function identity(v: Buffer): Buffer { return v; }

/** Whether the version whose ~ts suffix starts at t[q] is at or below the scan's snapshot. */
function visible(t: Uint8Array, q: number, c: ScanState): boolean {
  const hi = ((t[q]! << 24) >>> 0) + (t[q + 1]! << 16) + (t[q + 2]! << 8) + t[q + 3]!;
  if (hi !== c.snapHi) return hi > c.snapHi;
  return ((t[q + 4]! << 24) >>> 0) + (t[q + 5]! << 16) + (t[q + 6]! << 8) + t[q + 7]! >= c.snapLo;
}

/** A user key (bytes [from, to) of src) and the timestamp suffix of the version being written (see writeKey). */
class VersionKey {
  src: Uint8Array = MIN_KEY;
  from = 0;
  to = 0;
  suffix: Buffer = MIN_KEY;
  set(src: Uint8Array, from: number, to: number): void { this.src = src; this.from = from; this.to = to; }
}
const VERSION_KEY = new VersionKey();

/** The data database's key writer: stored keys as they are, VersionKeys as key ++ suffix. */
function writeKey(key: Uint8Array | VersionKey, target: Uint8Array, start: number): number {
  if (key instanceof VersionKey) {
    const { src, from, to } = key;
    let p = start;
    if (to - from > 48) { target.set(src.subarray(from, to), p); p += to - from; } else for (let i = from; i < to; i++) target[p++] = src[i]!;
    target.set(key.suffix, p);
    return p + key.suffix.length;
  }
  target.set(key, start);
  return start + key.length;
}

/**
 * The data database's key and value decoders. Outside a forward scan they copy the stored key
 * and value (copies come from Node's buffer pool: copyOut); in a point read (pointRead set) the
 * key is not copied at all and the value comes without its flag byte (TOMBSTONE_MARK for a
 * deletion). During a forward scan (ctx set around each iterator step) they decide visibility
 * from the bytes in place: older versions of a decided key and versions newer than the snapshot
 * decode to SKIP without copying; a visible version decodes to the user key (suffix stripped)
 * and the user value (flag byte stripped), one copy each.
 */
class ScanCodec {
  ctx: ScanState | undefined = undefined;
  /** Set around a point read (stateAt): the key is not needed, the value comes without its flag. */
  pointRead = false;

  readKey = (t: Uint8Array, start: number, end: number): Buffer => {
    const c = this.ctx;
    if (c === undefined) return this.pointRead ? SKIP : copyOut(t, start, end);
    const n = end - start - TS_BYTES;
    let same = false;
    if (n === c.prevLen) {
      const p = c.prev!;
      let i = n - 1;
      while (i >= 0 && p[i] === t[start + i]) i--;
      same = i < 0;
    }
    const q = start + n;
    if (c.reverse) {
      if (!same) {
        c.prev = copyOut(t, start, q);
        c.prevLen = n;
      }
      c.skip = !visible(t, q, c);
      return c.prev!;
    }
    if (same || !visible(t, q, c)) { c.skip = true; return SKIP; }
    const key = copyOut(t, start, q);
    c.prev = key;
    c.prevLen = n;
    c.skip = false;
    return key;
  };

  decode = (bytes: Uint8Array, size: number): Buffer => {
    const c = this.ctx;
    if (c === undefined) {
      if (!this.pointRead) return copyOut(bytes, 0, size);
      return bytes[0] === VALUE_PUT ? copyOut(bytes, 1, size) : TOMBSTONE_MARK;
    }
    if (c.skip) return SKIP;
    if (bytes[0] !== VALUE_PUT) return TOMBSTONE_MARK;
    if (c.countOnly === true) return COUNTED;
    return copyOut(bytes, 1, size);
  };
}
