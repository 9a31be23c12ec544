// The data-directory checker: for every table of every database, each secondary-index entry
// must point to a row version that exists and carries the indexed values, and each row must have
// exactly its entry in every index; row keys must match their primary-key columns.
import { tablePrefix, prefixEnd } from '../../keys/index.js';
import type { Database } from './database.js';
import { layoutOf, decodeStoredRow, indexLayoutOf, indexEntryKey, storageKeyOf, isStorageIndex } from '../exec/index.js';

export interface CheckReport {
  databases: number;
  tables: number;
  rows: number;
  indexEntries: number;
  problems: string[];
}

export function checkDatabase(db: Database): CheckReport {
  const report: CheckReport = { databases: 0, tables: 0, rows: 0, indexEntries: 0, problems: [] };
  const txn = db.txns.begin({ isolation: 'repeatable read', readOnly: true });
  try {
    for (const dbDesc of db.shared.catalog.all('database')) {
      report.databases++;
      const catalog = db.catalogOf(dbDesc.oid);
      for (const table of catalog.all('table')) {
        if (table.kind !== 'r') continue;
        report.tables++;
        const layout = layoutOf(table);
        const indexes = catalog.indexesOf(table.oid).filter((i) => i.method === 'btree' && !isStorageIndex(table, i));
        const expected = new Map<number, Map<string, string>>();
        for (const i of indexes) expected.set(i.oid, new Map());
        for (const [key, value] of txn.scan(layout.prefix, layout.prefixEnd)) {
          report.rows++;
          let row;
          try {
            row = decodeStoredRow(layout, value);
          } catch (e) {
            report.problems.push(`${dbDesc.name}.${table.name}: row ${Buffer.from(key).toString('hex')} does not decode: ${String(e)}`);
            continue;
          }
          if (layout.keyPositions.length > 0) {
            const k = storageKeyOf(layout, row);
            if (!k.equals(Buffer.from(key))) report.problems.push(`${dbDesc.name}.${table.name}: row key ${Buffer.from(key).toString('hex')} does not match its primary key columns`);
          }
          for (const i of indexes) {
            const entry = indexEntryKey(layout, indexLayoutOf(table, i), row, Buffer.from(key));
            expected.get(i.oid)!.set(entry.toString('hex'), Buffer.from(key).toString('hex'));
          }
        }
        for (const i of indexes) {
          const il = indexLayoutOf(table, i);
          const want = expected.get(i.oid)!;
          const seen = new Set<string>();
          for (const [key, value] of txn.scan(il.prefix, il.prefixEnd)) {
            report.indexEntries++;
            const k = Buffer.from(key).toString('hex');
            seen.add(k);
            const target = want.get(k);
            if (target === undefined) report.problems.push(`${dbDesc.name}.${i.name}: entry ${k} has no matching row`);
            else if (target !== Buffer.from(value).toString('hex')) report.problems.push(`${dbDesc.name}.${i.name}: entry ${k} points to the wrong row`);
          }
          for (const k of want.keys()) if (!seen.has(k)) report.problems.push(`${dbDesc.name}.${i.name}: row is missing its entry ${k}`);
        }
        // No keys of unknown indexes under the table's prefix.
        const known = new Set([0, ...indexes.map((i) => i.oid)]);
        const tp = tablePrefix(table.oid);
        for (const [key] of txn.scan(tp, prefixEnd(tp))) {
          const isKnown = [...known].some((oid) => {
            const p = oid === 0 ? layout.prefix : indexLayoutOf(table, indexes.find((x) => x.oid === oid)!).prefix;
            return Buffer.from(key).subarray(0, p.length).equals(p);
          });
          if (!isKnown) { report.problems.push(`${dbDesc.name}.${table.name}: key ${Buffer.from(key).toString('hex')} belongs to no index`); break; }
        }
      }
    }
  } finally {
    txn.rollback();
  }
  return report;
}
