// Serializable write-skew detection: a commit-time simplification of PostgreSQL's SSI.
// Read sets of serializable transactions, write sets of recent commits, and the pivot rule
// (documented on SsiTracker).
import { SQLSTATE, SqlError } from '../base/index.js';
import { keyString } from './write-buffer.js';
import type { PackedPuts } from '../storage/index.js';

export class ReadSet {
  readonly points = new Set<string>();
  readonly ranges: Array<[string, string | undefined]> = [];
  private readonly rangeIds = new Set<string>();

  addPoint(ks: string): void { this.points.add(ks); }

  addRange(start: string, end: string | undefined): void {
    const id = end === undefined ? `${start}\u0100` : `${start}\u0100${end}`;
    if (this.rangeIds.has(id)) return;
    this.rangeIds.add(id);
    this.ranges.push([start, end]);
  }

  covers(ks: string): boolean {
    if (this.points.has(ks)) return true;
    for (const [s, e] of this.ranges) if (ks >= s && (e === undefined || ks < e)) return true;
    return false;
  }

  coversAny(keys: Iterable<string>): boolean {
    for (const k of keys) if (this.covers(k)) return true;
    return false;
  }
}

/** What the tracker needs to know about a transaction. */
export interface SsiTxn {
  readonly snapshotTs: bigint;
  readonly serializable: boolean;
  readonly reads: ReadSet | undefined;
}

/** Keys written by a transaction, converted to strings on first use. */
export class WriteKeys {
  private set: Set<string> | undefined;
  constructor(private readonly keys: Uint8Array[], private readonly packed?: readonly PackedPuts[]) {}
  get(): Set<string> {
    if (this.set === undefined) {
      this.set = new Set();
      for (const k of this.keys) this.set.add(keyString(k));
      for (const p of this.packed ?? []) for (let i = 0; i < p.count; i++) if (!p.isShadowed(i)) this.set.add(keyString(p.key(i)));
    }
    return this.set;
  }
}

interface CommitRecord {
  commitTs: bigint;
  writes: WriteKeys;
  reads: ReadSet | undefined;
  hadOutConflict: boolean;
  /**
   * Read-only commits advance no watermark, so "committed after T's snapshot" cannot be judged by
   * timestamps: they keep the serializable transactions that were running when they committed.
   */
  concurrent?: Set<SsiTxn>;
}

/** Whether record r committed while t was running (r is concurrent with t). */
function concurrentWith(r: CommitRecord, t: SsiTxn): boolean {
  return r.concurrent !== undefined ? r.concurrent.has(t) : r.commitTs > t.snapshotTs;
}

/**
 * Serializable transactions record what they read (point keys and scanned ranges); every
 * committing transaction records what it wrote (a reference to its batch's keys, turned into
 * strings only when a validation looks at it), kept until no running or future snapshot can
 * predate it. The rule, checked when a serializable transaction T that wrote something commits:
 *   out-conflict: a transaction C that committed after T's snapshot wrote a key T read (T rw-> C);
 *   in-conflict:  a concurrent serializable R (running, or committed after T's snapshot) read a
 *                 key T writes (R rw-> T);
 *   T fails with 40001 if it has an out-conflict AND (an in-conflict, OR one of its out-conflict
 *   transactions C itself committed with an out-conflict: T -> C -> C' with C' committed first).
 * Read-only transactions (no writes) are never aborted; their reads still count as in-conflicts.
 * False positives are possible (ranges are whole scanned ranges); the read-only anomaly is not
 * prevented (a read-only transaction is not checked). Write-write conflicts are the lock
 * protocol's job (Txn.checkWriteConflict), not this tracker's.
 */
export class SsiTracker {
  private readonly active = new Set<SsiTxn>();
  private records: CommitRecord[] = [];

  /** visibleTs: the store's watermark; a snapshot taken later is at least that. */
  constructor(private readonly visibleTs: () => bigint) {}

  begin(t: SsiTxn): void { if (t.serializable) this.active.add(t); }

  end(t: SsiTxn): void {
    if (t.serializable) this.active.delete(t);
    this.prune();
  }

  /** Validates T (serializable, with writes) before it commits; throws 40001 when T is a pivot. */
  validate(t: SsiTxn, writeKeys: WriteKeys): boolean {
    const reads = t.reads;
    if (reads === undefined) return false;
    const out = this.records.filter((r) => r.commitTs > t.snapshotTs && reads.coversAny(r.writes.get()));
    if (out.length === 0) return false;
    const writes = writeKeys.get();
    let inConflict = out.some((r) => r.hadOutConflict);
    if (!inConflict) {
      for (const r of this.active) {
        if (r !== t && r.reads !== undefined && r.reads.coversAny(writes)) { inConflict = true; break; }
      }
    }
    if (!inConflict) {
      for (const r of this.records) {
        if (concurrentWith(r, t) && r.reads !== undefined && r.reads.coversAny(writes)) { inConflict = true; break; }
      }
    }
    if (inConflict) {
      throw new SqlError(SQLSTATE.SERIALIZATION_FAILURE,
        'could not serialize access due to read/write dependencies among transactions', {
          detail: 'Reason code: Canceled on identification as a pivot, during commit attempt.',
          hint: 'The transaction might succeed if retried.',
        });
    }
    return true;
  }

  /**
   * Checked when a serializable T writes key ks: if T already has an out-conflict (a transaction
   * that committed after T's snapshot wrote something T read) and a transaction that committed
   * after T's snapshot read ks, T is a pivot of a dangerous structure and fails now — at the write,
   * as PostgreSQL reports it — instead of at commit.
   */
  checkWrite(t: SsiTxn, ks: string): void {
    const reads = t.reads;
    if (reads === undefined || this.records.length === 0) return;
    let inConflict = false;
    for (const r of this.records) {
      if (concurrentWith(r, t) && r.reads !== undefined && r.reads.covers(ks)) { inConflict = true; break; }
    }
    if (!inConflict) return;
    const out = this.records.some((r) => r.commitTs > t.snapshotTs && reads.coversAny(r.writes.get()));
    if (!out) return;
    throw new SqlError(SQLSTATE.SERIALIZATION_FAILURE,
      'could not serialize access due to read/write dependencies among transactions', {
        detail: 'Reason code: Canceled on identification as a pivot, during write.',
        hint: 'The transaction might succeed if retried.',
      });
  }

  /** Records a commit (call synchronously with commit-ts assignment). */
  recordCommit(t: SsiTxn, commitTs: bigint, writes: WriteKeys, hadOutConflict: boolean): void {
    this.records.push({ commitTs, writes, reads: t.serializable ? t.reads : undefined, hadOutConflict });
  }

  /** Records the reads of a read-only serializable transaction that commits now. */
  recordReadOnlyCommit(t: SsiTxn): void {
    const concurrent = new Set([...this.active].filter((x) => x !== t));
    if (concurrent.size === 0 || t.reads === undefined) return;
    this.records.push({ commitTs: 0n, writes: new WriteKeys([]), reads: t.reads, hadOutConflict: false, concurrent });
  }

  /** Drops records every running and future snapshot already includes. */
  private prune(): void {
    if (this.records.length === 0) return;
    let min = this.visibleTs();
    for (const t of this.active) if (t.snapshotTs < min) min = t.snapshotTs;
    const keep = (r: CommitRecord): boolean => {
      if (r.concurrent === undefined) return r.commitTs > min;
      for (const t of r.concurrent) if (this.active.has(t)) return true;
      return false;
    };
    if (!this.records.every(keep)) this.records = this.records.filter(keep);
  }

  get recordCount(): number { return this.records.length; }
}
