// Row lock table: exclusive/share locks keyed by row key, FIFO waiters, and a wait-for graph with
// deadlock detection at enqueue time. The victim is chosen as PostgreSQL's deadlock_timeout timers
// would choose it (see acquire), and fails at once with 40P01 and PostgreSQL's detail text.
// Locks are held until the owner's commit/rollback (or savepoint rollback).
// A transaction's run of fresh keys (first versions appended in ascending order, e.g. by COPY) is
// locked as a whole, with no entry per key: the table asks the run's holder when a key it has no
// entry for is requested, and only then makes an entry for it.
import { SQLSTATE, SqlError } from '../base/index.js';

export type LockMode = 'exclusive' | 'share';

/** What the lock table needs from a transaction. */
export interface LockOwner {
  readonly id: number;
  readonly pid: number;
  /** The waiter this owner is blocked in, if any (maintained by the lock table). */
  waitingOn: Waiter | undefined;
}

export interface Waiter {
  readonly owner: LockOwner;
  readonly mode: LockMode;
  readonly entry: LockEntry;
  /** When the wait began (ms, from the table's clock). */
  readonly since: number;
  /** Order in which waits began. */
  readonly seq: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** A lock owner whose run of fresh keys is exclusively locked as a whole (see LockTable.freeForRun). */
export interface FreshRunHolder extends LockOwner {
  /** Whether key is in the owner's run. */
  runHas(key: Buffer): boolean;
  /** The table made an entry for one of the run's keys (someone asked for it): the owner releases it at its end. */
  runKeyLocked(key: string): void;
}

/** Shared empty holder set and queue of entries that never had a share lock or a waiter (most). */
const NO_SHARED: ReadonlySet<LockOwner> = new Set<LockOwner>();
const NO_WAITERS: readonly Waiter[] = Object.freeze([]);

export class LockEntry {
  exclusive: LockOwner | undefined = undefined;
  /** NO_SHARED until the first share lock (entries are created per row key, so kept small). */
  shared = NO_SHARED as Set<LockOwner>;
  waiters = NO_WAITERS as Waiter[];
  constructor(readonly key: string) {}

  addShared(owner: LockOwner): void {
    if (this.shared === NO_SHARED) this.shared = new Set();
    this.shared.add(owner);
  }

  enqueue(w: Waiter, first: boolean): void {
    if (this.waiters === NO_WAITERS) this.waiters = [];
    if (first) this.waiters.unshift(w); else this.waiters.push(w);
  }
}

function conflicts(entry: LockEntry, owner: LockOwner, mode: LockMode): LockOwner[] {
  const out: LockOwner[] = [];
  if (entry.exclusive !== undefined && entry.exclusive !== owner) out.push(entry.exclusive);
  if (mode === 'exclusive') for (const s of entry.shared) if (s !== owner) out.push(s);
  return out;
}

export interface LockTableOptions {
  /** Clock in ms (tests inject one). */
  now?: (() => number) | undefined;
  /** PostgreSQL's deadlock_timeout (1s): used only to pick the victim, never to delay. */
  deadlockTimeoutMs?: number | undefined;
  /** 'pg' (default): the victim PostgreSQL would pick; 'closer': always the waiter that closes the cycle. */
  victim?: 'pg' | 'closer' | undefined;
}

export class LockTable {
  private readonly entries = new Map<string, LockEntry>();
  private readonly runHolders = new Set<FreshRunHolder>();
  private readonly now: () => number;
  private readonly deadlockTimeoutMs: number;
  private readonly victimRule: 'pg' | 'closer';
  private waitSeq = 0;

  constructor(options: LockTableOptions = {}) {
    this.now = options.now ?? Date.now;
    this.deadlockTimeoutMs = options.deadlockTimeoutMs ?? 1000;
    this.victimRule = options.victim ?? 'pg';
  }

  /** Number of keys with holders or waiters (for tests and leak checks). */
  get size(): number { return this.entries.size; }

  /** Number of registered fresh-key runs (for tests and leak checks). */
  get runCount(): number { return this.runHolders.size; }

  /** The mode owner holds key in, if any. */
  heldMode(owner: LockOwner, key: string): LockMode | undefined {
    const e = this.entryOf(key);
    if (e === undefined) return undefined;
    if (e.exclusive === owner) return 'exclusive';
    return e.shared.has(owner) ? 'share' : undefined;
  }

  holds(owner: LockOwner, key: string, mode: LockMode): boolean {
    const e = this.entryOf(key);
    if (e === undefined) return false;
    if (e.exclusive === owner) return true;
    return mode === 'share' && e.shared.has(owner);
  }

  /**
   * Whether holder may add key to its run of fresh keys, locking it with the run: nobody holds
   * or waits for it and no other run has it. The caller then registers with addRunHolder and
   * appends the key before yielding.
   */
  freeForRun(holder: FreshRunHolder, key: Buffer): boolean {
    if (this.entries.size > 0 && this.entries.has(key.toString('latin1'))) return false;
    for (const h of this.runHolders) if (h !== holder && h.runHas(key)) return false;
    return true;
  }

  addRunHolder(holder: FreshRunHolder): void { this.runHolders.add(holder); }

  /** The holder's run is gone (it ended): its keys are unlocked, bar those given entries. */
  removeRunHolder(holder: FreshRunHolder): void { this.runHolders.delete(holder); }

  /** The key's entry, made from a run's implicit lock when a run has the key. */
  private entryOf(key: string): LockEntry | undefined {
    const e = this.entries.get(key);
    if (e !== undefined || this.runHolders.size === 0) return e;
    const buf = Buffer.from(key, 'latin1');
    for (const h of this.runHolders) {
      if (!h.runHas(buf)) continue;
      const made = new LockEntry(key);
      made.exclusive = h;
      this.entries.set(key, made);
      h.runKeyLocked(key);
      return made;
    }
    return undefined;
  }

  /**
   * Grants at once (returns undefined) or queues the owner and returns a promise that resolves
   * when granted. A queued request that would close a wait-for cycle is refused with 40P01.
   */
  acquire(owner: LockOwner, key: string, mode: LockMode): Promise<void> | undefined {
    let e = this.entryOf(key);
    if (e === undefined) {
      e = new LockEntry(key);
      this.entries.set(key, e);
      this.grant(e, owner, mode);
      return undefined;
    }
    if (e.exclusive === owner || (mode === 'share' && e.shared.has(owner))) return undefined;
    const upgrade = e.shared.has(owner);
    if (conflicts(e, owner, mode).length === 0 && (e.waiters.length === 0 || upgrade)) {
      this.grant(e, owner, mode);
      return undefined;
    }
    let waiter!: Waiter;
    const now = this.now();
    const promise = new Promise<void>((resolve, reject) => {
      waiter = { owner, mode, entry: e, since: now, seq: this.waitSeq++, resolve, reject };
    });
    // an upgrade goes ahead of other waiters (they wait for our share lock anyway)
    e.enqueue(waiter, upgrade);
    owner.waitingOn = waiter;
    const cycle = this.findCycle(owner);
    if (cycle !== undefined) this.breakCycle(cycle, now);
    return promise;
  }

  /**
   * PostgreSQL checks for a deadlock when a waiter's deadlock_timeout expires, and the checking
   * process is the victim. So the victim is the cycle member whose timer fires first at or after
   * the moment the cycle closed: the earliest waiter that has waited less than deadlock_timeout,
   * else the waiter that closed the cycle. It is rejected now rather than after the timeout.
   */
  private breakCycle(cycle: Array<[LockOwner, LockOwner]>, now: number): void {
    let victimAt = 0;
    if (this.victimRule === 'pg') {
      let best = Infinity;
      cycle.forEach(([o], i) => {
        const w = o.waitingOn!;
        if (w.since + this.deadlockTimeoutMs >= now && w.seq < best) { best = w.seq; victimAt = i; }
      });
    }
    const ordered = [...cycle.slice(victimAt), ...cycle.slice(0, victimAt)];
    const victim = ordered[0]![0];
    const w = victim.waitingOn!;
    this.removeWaiter(w);
    w.reject(new SqlError(SQLSTATE.DEADLOCK_DETECTED, 'deadlock detected', {
      detail: ordered.map(([a, b]) =>
        `Process ${a.pid} waits for ShareLock on transaction ${b.id}; blocked by process ${b.pid}.`).join('\n'),
      hint: 'See server log for query details.',
    }));
  }

  private grant(e: LockEntry, owner: LockOwner, mode: LockMode): void {
    if (mode === 'exclusive') {
      e.shared.delete(owner);
      e.exclusive = owner;
    } else {
      e.addShared(owner);
    }
  }

  /** Owners the waiter waits for: conflicting holders and conflicting waiters queued ahead of it. */
  private blockers(w: Waiter): LockOwner[] {
    const out = conflicts(w.entry, w.owner, w.mode);
    for (const other of w.entry.waiters) {
      if (other === w) break;
      if (other.owner === w.owner) continue;
      if (w.mode === 'exclusive' || other.mode === 'exclusive') out.push(other.owner);
    }
    return out;
  }

  /** A wait-for path from start back to start, as [waiter, blocker] pairs, if one exists. */
  private findCycle(start: LockOwner): Array<[LockOwner, LockOwner]> | undefined {
    const visited = new Set<LockOwner>();
    const path: Array<[LockOwner, LockOwner]> = [];
    const dfs = (o: LockOwner): boolean => {
      const w = o.waitingOn;
      if (w === undefined) return false;
      for (const b of this.blockers(w)) {
        path.push([o, b]);
        if (b === start) return true;
        if (!visited.has(b)) {
          visited.add(b);
          if (dfs(b)) return true;
        }
        path.pop();
      }
      return false;
    };
    return dfs(start) ? path : undefined;
  }

  private removeWaiter(w: Waiter): void {
    const i = w.entry.waiters.indexOf(w);
    if (i >= 0) w.entry.waiters.splice(i, 1);
    if (w.owner.waitingOn === w) w.owner.waitingOn = undefined;
    this.wake(w.entry);
  }

  /** Rejects the owner's current wait (cancel, statement_timeout). */
  cancelWait(owner: LockOwner, error: unknown): void {
    const w = owner.waitingOn;
    if (w === undefined) return;
    this.removeWaiter(w);
    w.reject(error);
  }

  /** Releases the owner's lock on key entirely. */
  release(owner: LockOwner, key: string): void {
    const e = this.entries.get(key);
    if (e === undefined) return;
    if (e.exclusive === owner) e.exclusive = undefined;
    e.shared.delete(owner);
    if (e.waiters.length === 0) {
      if (e.exclusive === undefined && e.shared.size === 0) this.entries.delete(key);
      return;
    }
    this.wake(e);
  }

  /** Turns the owner's exclusive lock on key back into a share lock. */
  downgrade(owner: LockOwner, key: string): void {
    const e = this.entries.get(key);
    if (e === undefined || e.exclusive !== owner) return;
    e.exclusive = undefined;
    e.addShared(owner);
    this.wake(e);
  }

  /** Grants queued requests in FIFO order while they are compatible; drops empty entries. */
  private wake(e: LockEntry): void {
    while (e.waiters.length > 0) {
      const w = e.waiters[0]!;
      if (conflicts(e, w.owner, w.mode).length > 0) break;
      e.waiters.shift();
      this.grant(e, w.owner, w.mode);
      if (w.owner.waitingOn === w) w.owner.waitingOn = undefined;
      w.resolve();
    }
    if (e.exclusive === undefined && e.shared.size === 0 && e.waiters.length === 0) this.entries.delete(e.key);
  }
}
