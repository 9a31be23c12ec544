// Row counts saved at shutdown are taken up again at start, so a restart does not count tables
// on the server thread; after commits the saved counts do not cover, tables are counted anew.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Connection, openEngine } from '../../src/index.js';
import type { Database } from '../../src/sql/engine/database.js';
import { TableStats } from '../../src/sql/engine/table-stats.js';

const dir = mkdtempSync(join(tmpdir(), 'quiver-table-stats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function open(): Promise<{ db: Database; c: Connection }> {
  const db = (await openEngine({ dataDir: dir })) as unknown as Database;
  const c = new Connection(await db.openSession({ user: 'postgres', database: 'postgres', params: {} }));
  return { db, c };
}

/** The planner's row estimate for a full scan of t (EXPLAIN's rows=). */
async function estimatedRows(c: Connection): Promise<number> {
  const plan = await c.query<{ 'QUERY PLAN': string }>('EXPLAIN SELECT * FROM t');
  return Number(/rows=(\d+)/.exec(plan.rows[0]!['QUERY PLAN'])![1]);
}

describe('TableStats across restarts', () => {
  it('takes the saved counts up after a clean shutdown, and counts anew after later commits', async () => {
    let { db, c } = await open();
    await c.query('CREATE TABLE t (id int PRIMARY KEY, v int)');
    await c.query('INSERT INTO t SELECT g, g % 7 FROM generate_series(1, 3000) g');
    expect(await estimatedRows(c)).toBe(3000);
    await c.query('DELETE FROM t WHERE id <= 100');
    expect(await estimatedRows(c)).toBe(2900);
    await c.close();
    await db.close();

    ({ db, c } = await open());
    expect(await estimatedRows(c)).toBe(2900);
    expect(db.stats.fullCounts).toBe(0);

    // Counts saved, then a commit they do not cover: a fresh TableStats counts the table again.
    db.stats.save();
    await c.query('INSERT INTO t VALUES (100000, 1)');
    const fresh = new TableStats(db.txns);
    const dbOid = db.shared.catalog.database('postgres')!.oid;
    const table = [...db.catalogOf(dbOid).all('table')].find((x) => x.name === 't')!;
    expect(fresh.rowCount(table)).toBe(2901);
    expect(fresh.fullCounts).toBe(1);
    await c.close();
    await db.close();
  });
});
