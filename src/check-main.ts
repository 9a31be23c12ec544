// `npm run check-data -- DIR`: verifies a data directory offline (composition root): every index
// entry matches a row version and every row has its index entries. Exits 1 on any problem.
import { Store } from './storage/index.js';
import { TxnManager } from './txn/index.js';
import { Database, checkDatabase } from './sql/engine/index.js';

async function main(): Promise<number> {
  const dir = process.argv[2] ?? process.env['QUIVER_DATA'] ?? './data';
  const store = Store.open({ path: dir });
  const txns = new TxnManager(store);
  const db = await Database.open(txns);
  const report = checkDatabase(db);
  await db.close();
  await store.close();
  process.stdout.write(`checked ${dir}: ${report.databases} databases, ${report.tables} tables, ${report.rows} rows, ${report.indexEntries} index entries\n`);
  for (const p of report.problems) process.stdout.write(`PROBLEM ${p}\n`);
  process.stdout.write(report.problems.length === 0 ? 'OK\n' : `${report.problems.length} problems\n`);
  return report.problems.length === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (e: unknown) => {
  process.stderr.write(`check failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(2);
});
