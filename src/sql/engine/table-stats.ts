// Table statistics for the planner: a live row count per table, counted once on first use (or
// taken from ANALYZE) and kept current by the row deltas of committed transactions. The counts
// are saved at shutdown with the store's highest commit timestamp and taken up again at start
// when nothing committed since (after a crash the log may have replayed commits: counted anew),
// so that the first query on a large table after a restart does not count it on the server
// thread (~0.35 s per million rows).
import type { TableDesc } from '../../catalog/index.js';
import type { TxnManager } from '../../txn/index.js';
import { layoutOf } from '../exec/index.js';

/** The store note the counts are saved in. */
const NOTE = 'table-row-counts';

export class TableStats {
  private readonly counts = new Map<number, number>();
  /** Tables counted in full since start (for tests and diagnostics). */
  fullCounts = 0;

  constructor(private readonly txns: TxnManager) {
    this.load();
  }

  rowCount(table: TableDesc): number {
    let n = this.counts.get(table.oid);
    if (n === undefined) {
      n = this.count(table);
      this.counts.set(table.oid, n);
    }
    return n;
  }

  /** Exact count at the latest snapshot (ANALYZE and first use). */
  count(table: TableDesc): number {
    this.fullCounts++;
    const layout = layoutOf(table);
    return this.txns.store.count(layout.prefix, layout.prefixEnd, this.txns.visibleTs());
  }

  /** Saves the counts with the highest commit timestamp they are exact at (at shutdown). */
  save(): void {
    const store = this.txns.store;
    const record = { ts: store.highestAppliedTs().toString(), counts: [...this.counts] };
    store.writeLocalNote(NOTE, Buffer.from(JSON.stringify(record)));
  }

  private load(): void {
    const store = this.txns.store;
    const raw = store.readLocalNote(NOTE);
    if (raw === undefined) return;
    try {
      const record = JSON.parse(raw.toString('utf8')) as { ts: string; counts: Array<[number, number]> };
      if (record.ts !== store.highestAppliedTs().toString()) return;
      for (const [oid, n] of record.counts) this.counts.set(oid, n);
    } catch {
      // An unreadable note: count again.
    }
  }

  set(tableOid: number, n: number): void {
    this.counts.set(tableOid, n);
  }

  /** Applies a committed transaction's inserted-minus-deleted row counts. */
  applyDeltas(deltas: ReadonlyMap<number, number>): void {
    for (const [oid, d] of deltas) {
      const n = this.counts.get(oid);
      if (n !== undefined) this.counts.set(oid, Math.max(0, n + d));
    }
  }

  forget(tableOid: number): void {
    this.counts.delete(tableOid);
  }
}
