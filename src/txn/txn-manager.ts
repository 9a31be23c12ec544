// TxnManager and Txn: snapshots over the store's visible watermark, buffered writes overlaid on
// reads, row locks with waiting and deadlock detection, savepoints, serializable validation,
// commit through one WriteBatch per transaction (group-committed by the store), and the GC trigger.
import { LIMITS, SQLSTATE, SqlError, assert } from '../base/index.js';
import type { ApplyListener, GcResult, Store, WriteBatch } from '../storage/index.js';
import { Hlc, type WallClock } from './hlc.js';
import { LockTable, type FreshRunHolder, type LockMode, type Waiter } from './lock-table.js';
import { ReadSet, SsiTracker, WriteKeys, type SsiTxn } from './ssi.js';
import { WriteBuffer, keyString } from './write-buffer.js';

export type IsolationLevel = 'read committed' | 'repeatable read' | 'serializable';

export interface BeginOptions {
  isolation?: IsolationLevel | undefined;
  readOnly?: boolean | undefined;
  /** The session's process id, for deadlock messages (defaults to the transaction id). */
  pid?: number | undefined;
}

export interface TxnScanOptions {
  reverse?: boolean | undefined;
  limit?: number | undefined;
}

export interface TxnManagerOptions {
  /** Wall clock for the HLC and lock waits (tests inject one). */
  clock?: WallClock | undefined;
  /** deadlock_timeout in ms (default 1000): picks the deadlock victim as PostgreSQL would. */
  deadlockTimeoutMs?: number | undefined;
  /** 'pg' (default) or 'closer' (the waiter closing a wait-for cycle always fails). */
  deadlockVictim?: 'pg' | 'closer' | undefined;
}

type TxnState = 'active' | 'committing' | 'committed' | 'aborted';

interface SavepointMark {
  id: number;
  undoPos: number;
  lockLogPos: number;
  droppedPos: number;
}

/**
 * Chunks (of 10,000 keys) of dropped-range purging per background GC pass, while transactions
 * run and when idle: reading the keys costs this thread ~1 µs each, so a pass is kept short
 * (a million dropped keys go in under a minute on an idle server). VACUUM purges them all.
 */
const BUSY_PURGE_CHUNKS = 2;
const IDLE_PURGE_CHUNKS = 20;
/** The write buffer of every transaction that has not written: only ever read. */
const NO_WRITES = new WriteBuffer();

export class TxnManager {
  readonly hlc: Hlc;
  readonly locks: LockTable;
  readonly ssi: SsiTracker;
  private readonly active = new Set<Txn>();
  private nextId = 1;
  private gcTimer: NodeJS.Timeout | undefined;
  private gcRunning: Promise<GcResult> | undefined;
  /** Keys written since the last GC pass (while background GC runs). */
  private gcCandidates: Map<string, Buffer> | undefined;
  /** nextId when the previous collection pass started (see runGc). */
  private idAtLastGc = 0;
  private gcNeedsFullPass = false;
  private gcUnsubscribe: (() => void) | undefined;

  constructor(readonly store: Store, options: TxnManagerOptions = {}) {
    this.hlc = new Hlc(options.clock ?? Date.now, store.highestAppliedTs());
    this.ssi = new SsiTracker(() => store.visibleTs());
    this.locks = new LockTable({
      now: options.clock, deadlockTimeoutMs: options.deadlockTimeoutMs, victim: options.deadlockVictim,
    });
  }

  begin(options: BeginOptions = {}): Txn {
    const id = this.nextId++;
    const txn = new Txn(this, id, options.pid ?? id, options.isolation ?? 'read committed',
      options.readOnly === true, this.store.visibleTs());
    this.active.add(txn);
    this.ssi.begin(txn);
    return txn;
  }

  /** The store's visible watermark (what a snapshot taken now sees). */
  visibleTs(): bigint { return this.store.visibleTs(); }

  /** Number of running transactions. */
  get activeCount(): number { return this.active.size; }

  /** The oldest snapshot any running transaction reads at (visibleTs() when none runs). */
  oldestActiveSnapshot(): bigint {
    let min = this.store.visibleTs();
    for (const t of this.active) if (t.snapshotTs < min) min = t.snapshotTs;
    return min;
  }

  /**
   * Collects versions no running transaction can see. One run at a time. A full pass visits
   * every key; otherwise (once startGc is running) only keys written since the previous pass.
   */
  runGc(options: { full?: boolean; background?: boolean } = {}): Promise<GcResult> {
    if (this.gcRunning !== undefined) return this.gcRunning;
    const full = options.full === true || this.gcCandidates === undefined || this.gcNeedsFullPass;
    const run = async (): Promise<GcResult> => {
      const oldest = this.oldestActiveSnapshot();
      // A background pass purges dropped ranges a little at a time, less while busy: a
      // transaction runs now or began since the previous pass (autocommit statements under load
      // are rarely running at the instant of the pass). VACUUM purges them all.
      const busy = this.active.size > 0 || this.nextId !== this.idAtLastGc;
      this.idAtLastGc = this.nextId;
      const chunks = options.background !== true ? Infinity : busy ? BUSY_PURGE_CHUNKS : IDLE_PURGE_CHUNKS;
      const purged = await this.store.purgeDropped(oldest, undefined, chunks);
      if (full) {
        if (this.gcCandidates !== undefined) this.gcCandidates.clear();
        this.gcNeedsFullPass = false;
        const r = await this.store.gc(oldest);
        return { ...r, versionsRemoved: r.versionsRemoved + purged };
      }
      const cands = this.gcCandidates!;
      const keys = [...cands.values()];
      cands.clear();
      const r = await this.store.gcKeys(keys, oldest);
      for (const k of r.retry) cands.set(keyString(k), k);
      return { versionsRemoved: r.versionsRemoved + purged, versionsExamined: r.versionsExamined, chunks: r.chunks };
    };
    const p = run().finally(() => { this.gcRunning = undefined; });
    this.gcRunning = p;
    return p;
  }

  /**
   * Runs GC every intervalMs in the background: a full pass at once (unless the store is new),
   * then passes over the keys written since (tracked from applied batches). Returns a stop function.
   */
  startGc(intervalMs: number): () => void {
    void this.stopGc();
    if (this.gcCandidates === undefined) {
      const cands = new Map<string, Buffer>();
      this.gcCandidates = cands;
      // Garbage from before tracking began needs a full pass; a store nothing was ever applied to has none.
      this.gcNeedsFullPass = this.store.highestAppliedTs() > 0n;
      this.gcUnsubscribe = this.store.onApply((b) => {
        // Batch keys are not changed after commit: keep them without copying.
        const first = b.firstVersions;
        b.puts.forEach(([k], i) => { if (first === undefined || first[i] !== 1) cands.set(keyString(k), k as Buffer); });
        for (const k of b.deletes) cands.set(keyString(k), k as Buffer);
      });
    }
    const pass = (): void => { this.runGc({ background: true }).catch((e: unknown) => console.error('gc failed', e)); };
    // The full pass runs now, while the store holds no more than what was there before tracking.
    if (this.gcNeedsFullPass) pass();
    const t = setInterval(pass, intervalMs);
    t.unref();
    this.gcTimer = t;
    return () => { void this.stopGc(); };
  }

  /** Stops background GC and key tracking; waits for a running pass. */
  async stopGc(): Promise<void> {
    if (this.gcTimer !== undefined) clearInterval(this.gcTimer);
    this.gcTimer = undefined;
    this.gcUnsubscribe?.();
    this.gcUnsubscribe = undefined;
    this.gcCandidates = undefined;
    if (this.gcRunning !== undefined) await this.gcRunning.catch(() => undefined);
  }

  /** Listener for every applied batch, in commit order (external index maintainers). */
  onApply(listener: ApplyListener): () => void { return this.store.onApply(listener); }

  /** @internal */
  finished(txn: Txn): void {
    this.active.delete(txn);
    this.ssi.end(txn);
  }
}

/**
 * One transaction. Protocol for the SQL layer, per row it changes (and per new key, for uniqueness):
 *   await txn.lockRow(key, 'exclusive')  (undefined = granted at once; 40P01 on deadlock)
 *   RR/SERIALIZABLE: txn.checkWriteConflict(key)  (40001 if changed since the snapshot)
 *   READ COMMITTED:  if txn.changedSinceSnapshot(key), re-read txn.getLatest(key) and re-check
 *   then txn.put / txn.delete. Commit does not re-check write-write conflicts itself.
 * Call refreshSnapshot() at every statement start, whatever the isolation level.
 */
export class Txn implements FreshRunHolder, SsiTxn {
  snapshotTs: bigint;
  commitTs: bigint | undefined;
  waitingOn: Waiter | undefined = undefined;
  readonly serializable: boolean;
  readonly reads: ReadSet | undefined;
  private state: TxnState = 'active';
  private snapshotFrozen = false;
  /** Buffered writes; the shared empty buffer until the first write (most transactions only read). */
  private writes: WriteBuffer = NO_WRITES;
  /** Keys this transaction took a lock on (the lock table knows the modes); may repeat a key. */
  private heldKeys: string[] = [];
  /** While savepoints exist: [key, mode held before] per acquisition. */
  private lockLog: Array<[string, LockMode | undefined]> | undefined;
  private savepoints: SavepointMark[] = [];
  private nextSavepoint = 1;
  private commitCallbacks: Array<() => void> = [];
  /** Key ranges this transaction drops (WriteBatch.dropRanges). */
  private dropped: Array<[Buffer, Buffer]> = [];
  /** ksOf's memo. Callers never modify a key buffer after handing it to a Txn method. */
  private lastKey: Uint8Array | undefined;
  private lastKs = '';
  /** Registered with the lock table as the holder of a run of fresh keys (putFreshUnlocked). */
  private runRegistered = false;

  constructor(
    private readonly manager: TxnManager,
    readonly id: number,
    readonly pid: number,
    readonly isolation: IsolationLevel,
    readonly readOnly: boolean,
    snapshotTs: bigint,
  ) {
    this.snapshotTs = snapshotTs;
    this.serializable = isolation === 'serializable';
    this.reads = this.serializable ? new ReadSet() : undefined;
  }

  /** This transaction's own write buffer, made at the first write (or savepoint). */
  private writable(): WriteBuffer {
    if (this.writes === NO_WRITES) this.writes = new WriteBuffer();
    return this.writes;
  }

  get isActive(): boolean { return this.state === 'active'; }
  get status(): TxnState { return this.state; }
  /** Number of buffered writes. */
  get writeCount(): number { return this.writes.size; }

  private checkActive(): void {
    if (this.state !== 'active') throw new Error(`internal: transaction ${this.id} is ${this.state}`);
  }

  /**
   * Call at each statement start. READ COMMITTED takes a new snapshot every time; REPEATABLE READ
   * and SERIALIZABLE take it at the first statement only (as PostgreSQL does: not at BEGIN).
   */
  refreshSnapshot(): void {
    this.checkActive();
    if (this.snapshotFrozen) return;
    if (this.isolation !== 'read committed') this.snapshotFrozen = true;
    const v = this.manager.store.visibleTs();
    if (v > this.snapshotTs) this.snapshotTs = v;
  }

  // ---- reads ----

  get(key: Uint8Array): Buffer | undefined {
    this.checkActive();
    const ks = this.ksOf(key);
    this.reads?.addPoint(ks);
    const w = this.writes.get(ks, key);
    if (w !== undefined) return w.value ?? undefined;
    return this.manager.store.get(key, this.snapshotTs);
  }

  /**
   * Visible rows in [start, end) (end undefined: unbounded) with own writes overlaid, as of the
   * call: own writes made while iterating are not returned (no Halloween problem).
   */
  scan(start: Uint8Array, end: Uint8Array | undefined, options: TxnScanOptions = {}): Iterable<[Buffer, Buffer]> {
    this.checkActive();
    const ss = keyString(start);
    const es = end === undefined ? undefined : keyString(end);
    this.reads?.addRange(ss, es);
    const reverse = options.reverse === true;
    if (!this.writes.hasRange(ss, es)) {
      return this.manager.store.scan(start, end, this.snapshotTs, { reverse, limit: options.limit });
    }
    return this.overlayScan(start, end, ss, es, reverse, options.limit ?? Infinity);
  }

  /**
   * Own buffered writes in [start, end) (value null for a delete), for access paths that read
   * committed data from elsewhere (an ANN index) and merge the transaction's own changes.
   */
  ownWrites(start: Uint8Array, end: Uint8Array): Array<{ key: Buffer; value: Buffer | null }> {
    this.checkActive();
    const ss = keyString(start);
    const es = keyString(end);
    if (!this.writes.hasRange(ss, es)) return [];
    return [...this.writes.range(ss, es, false)] as Array<{ key: Buffer; value: Buffer | null }>;
  }

  /** Records a read of all of [start, end) for serializable conflict checks, without reading it. */
  noteRangeRead(start: Uint8Array, end: Uint8Array): void {
    this.reads?.addRange(keyString(start), keyString(end));
  }

  private *overlayScan(start: Uint8Array, end: Uint8Array | undefined, ss: string, es: string | undefined,
    reverse: boolean, limit: number): Generator<[Buffer, Buffer]> {
    if (limit <= 0) return;
    const base = this.manager.store.scan(start, end, this.snapshotTs, { reverse });
    // Own writes as of the scan's start: writes made while the scan runs (an UPDATE moving rows
    // ahead of the cursor) are not seen by it. Entries are immutable, so the array is a snapshot.
    const own = [...this.writes.range(ss, es, reverse)][Symbol.iterator]();
    let b = base.next();
    let o = own.next();
    let n = 0;
    const dir = reverse ? -1 : 1;
    while (!b.done || !o.done) {
      let c: number;
      if (b.done) c = 1;
      else if (o.done) c = -1;
      else c = Buffer.compare(b.value[0], o.value.key) * dir;
      if (c < 0) {
        yield b.value as [Buffer, Buffer];
        b = base.next();
      } else {
        const w = o.value as { key: Buffer; value: Buffer | null };
        if (c === 0) b = base.next();
        o = own.next();
        if (w.value === null) continue;
        yield [w.key, w.value];
      }
      if (++n >= limit) { base.return(undefined); return; }
    }
  }

  /** Newest committed version of key ignoring the snapshot (own writes first), for EvalPlanQual-style re-reads. */
  getLatest(key: Uint8Array): Buffer | undefined {
    return this.latestState(key) ?? undefined;
  }

  /**
   * getLatest, telling apart a key that never had a version (undefined) from one whose newest
   * version is a deletion (null), so that a write can be marked as the key's first version.
   */
  latestState(key: Uint8Array): Buffer | null | undefined {
    this.checkActive();
    const w = this.writes.get(this.ksOf(key), key);
    if (w !== undefined) return w.value;
    return this.manager.store.latestState(key);
  }

  /** The store's current watermark (what getLatest reads at). */
  latestTs(): bigint { return this.manager.store.visibleTs(); }

  /** The greatest key in [start, end) with any committed version in the store (Store.lastKeyIn). */
  lastStoredKeyIn(start: Uint8Array, end: Uint8Array): Buffer | undefined {
    this.checkActive();
    return this.manager.store.lastKeyIn(start, end);
  }

  /** This transaction's own write of key: its value, null for its deletion, undefined when it wrote none. */
  ownWrite(key: Uint8Array): Buffer | null | undefined {
    return this.writes.get(this.ksOf(key), key)?.value;
  }

  /** Whether another transaction committed a version of key after this snapshot. */
  changedSinceSnapshot(key: Uint8Array): boolean {
    const ts = this.manager.store.latestVersionTs(key);
    return ts !== undefined && ts > this.snapshotTs;
  }

  /** REPEATABLE READ / SERIALIZABLE: 40001 if key changed since the snapshot. */
  checkWriteConflict(key: Uint8Array): void {
    if (this.isolation === 'read committed') return;
    if (this.changedSinceSnapshot(key)) {
      throw new SqlError(SQLSTATE.SERIALIZATION_FAILURE, 'could not serialize access due to concurrent update');
    }
  }

  // ---- writes ----

  private checkWritable(): void {
    this.checkActive();
    if (this.readOnly) {
      throw new SqlError(SQLSTATE.READ_ONLY_SQL_TRANSACTION, 'cannot execute this statement in a read-only transaction');
    }
  }

  /**
   * keyString of key, remembered for the last key asked: a row write asks for the same key
   * buffer several times in a row (lock, read latest, put).
   */
  private ksOf(key: Uint8Array): string {
    if (key === this.lastKey) return this.lastKs;
    const ks = keyString(key);
    this.lastKey = key;
    this.lastKs = ks;
    return ks;
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.checkWritable();
    checkKeySize(key);
    if (this.serializable) this.manager.ssi.checkWrite(this, this.ksOf(key));
    this.writable().set(this.ksOf(key), key, value);
  }

  /**
   * put() for buffers the caller hands over (freshly encoded, never modified again): no copies.
   * firstVersion: the caller guarantees the key never existed (a fresh unique rowid), so the
   * collector need not visit it.
   */
  /**
   * Buffers the first version of a key no other transaction can know (a fresh rowid), copying
   * key and value into this transaction's run of fresh keys; false (nothing done) when it cannot
   * join the run: the caller then uses putOwned.
   */
  appendFresh(key: Buffer, value: Buffer): boolean {
    this.checkWritable();
    if (this.serializable) return false;
    checkKeySize(key);
    return this.writable().appendFresh(key, value);
  }

  putOwned(key: Buffer, value: Buffer, firstVersion = false): void {
    this.checkWritable();
    checkKeySize(key);
    if (this.serializable) this.manager.ssi.checkWrite(this, this.ksOf(key));
    else if (firstVersion && this.writable().appendFresh(key, value)) return;
    this.writable().setOwned(this.ksOf(key), key, value, firstVersion);
  }

  /**
   * Buffers the first version of key without a lock entry, when the key can join this
   * transaction's run of fresh keys: it sorts after every key of the run, nobody holds or waits
   * for its lock and no other run has it. The run is locked as a whole (see LockTable). The
   * caller guarantees the key has no committed version (it sorts after every stored key of its
   * range). Key and value are copied into the run at once. Returns false (nothing done)
   * otherwise: the caller then locks and writes the key the usual way.
   */
  putFreshUnlocked(key: Buffer, value: Buffer): boolean {
    this.checkWritable();
    if (this.serializable) return false;
    checkKeySize(key);
    if (!this.writable().canAppendFresh(key)) return false;
    const locks = this.manager.locks;
    if (!locks.freeForRun(this, key)) return false;
    if (!this.runRegistered) {
      locks.addRunHolder(this);
      this.runRegistered = true;
    }
    this.writable().appendChecked(key, value);
    return true;
  }

  /** FreshRunHolder: whether key is in the run (locked by it while this transaction lasts). */
  runHas(key: Buffer): boolean { return this.writes.runHas(key); }

  /** FreshRunHolder: the lock table made an entry for a run key; it is released at the end. */
  runKeyLocked(key: string): void { this.heldKeys.push(key); }

  /**
   * Drops every key in [start, end) from the commit on: for ranges no later snapshot reads (a
   * dropped table or index, rows moved to another range by a DDL). Older snapshots still read
   * them; the store purges them later. No per-key tombstones are written.
   */
  dropRange(start: Uint8Array, end: Uint8Array): void {
    this.checkWritable();
    this.dropped.push([Buffer.from(start), Buffer.from(end)]);
  }

  delete(key: Uint8Array): void {
    this.checkWritable();
    checkKeySize(key);
    if (this.serializable) this.manager.ssi.checkWrite(this, this.ksOf(key));
    this.writable().set(this.ksOf(key), key, null);
  }

  // ---- locks ----

  /** Locks a row; undefined when granted at once, else a promise that settles when granted (or 40P01/aborted). */
  lockRow(key: Uint8Array, mode: LockMode): Promise<void> | undefined {
    this.checkActive();
    const ks = this.ksOf(key);
    const locks = this.manager.locks;
    const prev = locks.heldMode(this, ks);
    if (prev === 'exclusive' || prev === mode) return undefined;
    const r = locks.acquire(this, ks, mode);
    if (r === undefined) {
      if (prev === undefined) this.heldKeys.push(ks);
      this.lockLog?.push([ks, prev]);
      return undefined;
    }
    return r.then(() => {
      if (this.state !== 'active') { // finished while waiting: give the lock back
        this.manager.locks.release(this, ks);
        throw new Error(`internal: transaction ${this.id} finished while waiting for a lock`);
      }
      if (prev === undefined) this.heldKeys.push(ks);
      this.lockLog?.push([ks, prev]);
    });
  }

  /** Rejects the current lock wait, if any (statement_timeout, cancel). */
  abortWaits(error: unknown): void {
    this.manager.locks.cancelWait(this, error);
  }

  get isWaiting(): boolean { return this.waitingOn !== undefined; }

  // ---- savepoints ----

  savepoint(): number {
    this.checkActive();
    const id = this.nextSavepoint++;
    if (this.lockLog === undefined) this.lockLog = [];
    this.savepoints.push({ id, undoPos: this.writable().mark(), lockLogPos: this.lockLog.length, droppedPos: this.dropped.length });
    return id;
  }

  private findSavepoint(mark: number): number {
    const i = this.savepoints.findIndex((s) => s.id === mark);
    assert(i >= 0, `unknown savepoint ${mark}`);
    return i;
  }

  /** Undoes writes and lock acquisitions made since the savepoint; the savepoint stays. */
  rollbackToSavepoint(mark: number): void {
    this.checkActive();
    const i = this.findSavepoint(mark);
    const sp = this.savepoints[i]!;
    this.savepoints.length = i + 1;
    this.writable().rollbackTo(sp.undoPos);
    this.dropped.length = sp.droppedPos;
    const log = this.lockLog!;
    while (log.length > sp.lockLogPos) {
      const [ks, prev] = log.pop()!;
      // heldKeys keeps the key: releasing a lock no longer held is a no-op at the end.
      if (prev === undefined) this.manager.locks.release(this, ks);
      else this.manager.locks.downgrade(this, ks);
    }
  }

  /** Forgets the savepoint (and those after it), keeping its changes. */
  releaseSavepoint(mark: number): void {
    this.checkActive();
    const i = this.findSavepoint(mark);
    this.savepoints.length = i;
    if (i === 0) {
      this.writable().dropUndo();
      this.lockLog = undefined;
    }
  }

  // ---- end ----

  /** Runs after a successful commit (e.g. catalog cache invalidation). */
  onCommit(cb: () => void): void { this.commitCallbacks.push(cb); }

  async commit(): Promise<void> {
    this.checkActive();
    if (this.waitingOn !== undefined) throw new Error('internal: commit while waiting for a lock');
    this.state = 'committing';
    const m = this.manager;
    if (this.writes.size === 0 && this.dropped.length === 0) {
      // A read-only serializable transaction's reads still matter to writers that run on
      // (they are in-conflicts of theirs): record them as a commit with no writes.
      if (this.serializable) m.ssi.recordReadOnlyCommit(this);
      this.finish('committed');
      this.runCallbacks();
      return;
    }
    let batch: WriteBatch;
    try {
      const puts: Array<[Buffer, Buffer]> = [], deletes: Buffer[] = [], keys: Buffer[] = [];
      let firstVersions: Uint8Array | undefined;
      this.writes.mapInOrder((w) => {
        keys.push(w.key);
        if (w.value === null) { deletes.push(w.key); return; }
        if (w.firstVersion === true) {
          firstVersions ??= new Uint8Array(this.writes.size);
          firstVersions[puts.length] = 1;
        }
        puts.push([w.key, w.value]);
      });
      batch = { commitTs: 0n, puts, deletes };
      if (firstVersions !== undefined) batch.firstVersions = firstVersions.subarray(0, puts.length);
      const runs = this.writes.runsForCommit();
      if (runs.length > 0) batch.packed = runs;
      if (this.dropped.length > 0) batch.dropRanges = this.dropped;
      const writeKeys = new WriteKeys(keys, batch.packed);
      const hadOut = this.serializable ? m.ssi.validate(this, writeKeys) : false;
      batch.commitTs = m.hlc.now();
      m.ssi.recordCommit(this, batch.commitTs, writeKeys, hadOut);
    } catch (e) {
      this.finish('aborted');
      throw e;
    }
    try {
      await m.store.apply(batch);
    } catch (e) {
      this.finish('aborted');
      throw e;
    }
    this.commitTs = batch.commitTs;
    this.finish('committed');
    this.runCallbacks();
  }

  private runCallbacks(): void {
    const cbs = this.commitCallbacks;
    this.commitCallbacks = [];
    for (const cb of cbs) {
      try { cb(); } catch (e) { console.error('onCommit callback failed', e); }
    }
  }

  /** Discards writes and releases locks. Safe to call on a finished transaction. */
  rollback(): void {
    if (this.state === 'committed' || this.state === 'aborted') return;
    if (this.state === 'committing') return; // the commit decides
    this.abortWaits(new SqlError(SQLSTATE.QUERY_CANCELED, 'canceling statement due to user request'));
    this.finish('aborted');
  }

  private finish(state: 'committed' | 'aborted'): void {
    this.state = state;
    const locks = this.manager.locks;
    if (this.runRegistered) {
      locks.removeRunHolder(this);
      this.runRegistered = false;
    }
    for (const ks of this.heldKeys) locks.release(this, ks);
    this.heldKeys = [];
    this.lockLog = undefined;
    this.savepoints = [];
    this.commitCallbacks = state === 'aborted' ? [] : this.commitCallbacks;
    this.manager.finished(this);
  }
}

function checkKeySize(key: Uint8Array): void {
  if (key.length > LIMITS.keyBytesMax) {
    throw new SqlError(SQLSTATE.PROGRAM_LIMIT_EXCEEDED, `index row size ${key.length} exceeds maximum ${LIMITS.keyBytesMax}`);
  }
}
