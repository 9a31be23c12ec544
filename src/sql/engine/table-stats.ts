// Table statistics for the planner: a live row count per table, counted once on first use (or
// taken from ANALYZE) and kept current by the row deltas of committed transactions.
import type { TableDesc } from '../../catalog/index.js';
import type { TxnManager } from '../../txn/index.js';
import { layoutOf } from '../exec/index.js';

export class TableStats {
  private readonly counts = new Map<number, number>();

  constructor(private readonly txns: TxnManager) {}

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
    const layout = layoutOf(table);
    return this.txns.store.count(layout.prefix, layout.prefixEnd, this.txns.visibleTs());
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
