// Several-connection transaction behaviour, run against the real PostgreSQL 15 (which validates each
// test) and QuiverDB: readers and writers do not block each other, concurrent updates wait then
// re-read (READ COMMITTED) or fail with 40001, FOR UPDATE/FOR SHARE, write skew, deadlocks (40P01),
// failed transaction blocks (25P02), savepoints, and unique-key insert races.
import { afterEach, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { connect } from '../helpers/quiver-server.js';
import { useServerPair } from '../helpers/server-pair.js';
import { closeClient, err, outcomeOf, rows, settleWithin } from './step-runner.js';

const servers = useServerPair();

/** How long a statement that should block is given to (wrongly) finish. */
const BLOCK_MS = 300;
/** How long a statement that should finish is awaited before it counts as blocked. */
const WAIT_MS = 5000;
const STILL_BLOCKED = 'still blocked';

const open: pg.Client[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map(closeClient));
});

type Target = 'postgres' | 'quiver';
function portOf(target: Target): number {
  return servers.port(target);
}

async function sessions(target: Target, n: number): Promise<pg.Client[]> {
  const out: pg.Client[] = [];
  for (let i = 0; i < n; i++) {
    const c = await connect(portOf(target));
    open.push(c);
    out.push(c);
  }
  return out;
}

/** Sends `sql` on `c` and returns the pending query. */
function send(c: pg.Client, sql: string): Promise<pg.QueryResult<unknown[]>> {
  return c.query<unknown[]>({ text: sql, rowMode: 'array' });
}

/** The outcome of a sent query (rows(...), err(...), command tag), or STILL_BLOCKED after `ms`. */
async function outcome(p: Promise<pg.QueryResult<unknown[]>>, ms = WAIT_MS): Promise<string> {
  const r = await settleWithin(p, ms);
  return r === null ? STILL_BLOCKED : outcomeOf(r);
}

/** Runs `sql` on `c` and returns its outcome. */
function run(c: pg.Client, sql: string): Promise<string> {
  return outcome(send(c, sql));
}

/** True when `p` has not settled while the test moved on for BLOCK_MS. */
async function blocked(p: Promise<unknown>): Promise<boolean> {
  return (await settleWithin(p, BLOCK_MS)) === null;
}

/** The transaction status of the client's last ReadyForQuery ('I', 'T' or 'E'), once it has arrived. */
async function txStatus(c: pg.Client): Promise<string | null> {
  // A failed query rejects on ErrorResponse, before its ReadyForQuery is read: wait for that.
  const client = c as unknown as { readyForQuery: boolean };
  for (let i = 0; i < 400 && !client.readyForQuery; i++) await new Promise((r) => setTimeout(r, 5));
  return c.getTransactionStatus();
}

/** Creates table `name` as `(id int primary key, v int)` with rows (id, v). */
async function table(c: pg.Client, name: string, data: [number, number][]): Promise<void> {
  await c.query(`drop table if exists ${name}`);
  await c.query(`create table ${name} (id int primary key, v int)`);
  if (data.length > 0) await c.query(`insert into ${name} values ${data.map(([i, v]) => `(${String(i)}, ${String(v)})`).join(', ')}`);
}

describe.each<Target>(['postgres', 'quiver'])('concurrency on %s', (target) => {
  describe('readers and writers', () => {
    it('a long REPEATABLE READ reader does not block a writer, and keeps its snapshot', async () => {
      const [a, b] = await sessions(target, 2) as [pg.Client, pg.Client];
      await table(a, 'rw1', [[1, 0]]);
      expect(await run(a, 'begin isolation level repeatable read')).toBe('BEGIN');
      expect(await run(a, 'select v from rw1 where id = 1')).toBe(rows([0]));
      expect(await run(b, 'update rw1 set v = 1 where id = 1')).toBe('UPDATE 1');
      expect(await run(b, 'select v from rw1 where id = 1')).toBe(rows([1]));
      expect(await run(a, 'select v from rw1 where id = 1')).toBe(rows([0]));
      expect(await run(a, 'commit')).toBe('COMMIT');
      expect(await run(a, 'select v from rw1 where id = 1')).toBe(rows([1]));
    });

    it('a READ COMMITTED reader sees each committed write at its next statement, without blocking it', async () => {
      const [a, b] = await sessions(target, 2) as [pg.Client, pg.Client];
      await table(a, 'rw2', [[1, 0]]);
      expect(await run(a, 'begin')).toBe('BEGIN');
      expect(await run(a, 'select v from rw2 where id = 1')).toBe(rows([0]));
      expect(await run(b, 'update rw2 set v = 1 where id = 1')).toBe('UPDATE 1');
      expect(await run(a, 'select v from rw2 where id = 1')).toBe(rows([1]));
      expect(await run(a, 'commit')).toBe('COMMIT');
    });

    it('a writer with an open transaction does not block readers, who see the old version', async () => {
      const [a, b] = await sessions(target, 2) as [pg.Client, pg.Client];
      await table(a, 'rw3', [[1, 0]]);
      expect(await run(b, 'begin')).toBe('BEGIN');
      expect(await run(b, 'update rw3 set v = 2 where id = 1')).toBe('UPDATE 1');
      expect(await run(a, 'select v from rw3 where id = 1')).toBe(rows([0]));
      expect(await run(b, 'commit')).toBe('COMMIT');
      expect(await run(a, 'select v from rw3 where id = 1')).toBe(rows([2]));
    });
  });

  describe('concurrent updates of one row', () => {
    it('READ COMMITTED: the second UPDATE waits, then applies to the newest version (+2)', async () => {
      const [a, b] = await sessions(target, 2) as [pg.Client, pg.Client];
      await table(a, 'cu1', [[1, 0]]);
      expect(await run(a, 'begin')).toBe('BEGIN');
      expect(await run(b, 'begin')).toBe('BEGIN');
      expect(await run(a, 'update cu1 set v = v + 1 where id = 1')).toBe('UPDATE 1');
      const pb = send(b, 'update cu1 set v = v + 1 where id = 1');
      expect(await blocked(pb)).toBe(true);
      expect(await run(a, 'commit')).toBe('COMMIT');
      expect(await outcome(pb)).toBe('UPDATE 1');
      expect(await run(b, 'select v from cu1')).toBe(rows([2]));
      expect(await run(b, 'commit')).toBe('COMMIT');
      expect(await run(a, 'select v from cu1')).toBe(rows([2]));
    });

    it('READ COMMITTED: a waiting UPDATE re-checks its WHERE on the newest version', async () => {
      const [a, b] = await sessions(target, 2) as [pg.Client, pg.Client];
      await table(a, 'cu2', [[1, 0], [2, 0]]);
      expect(await run(a, 'begin')).toBe('BEGIN');
      expect(await run(a, 'update cu2 set v = 5 where id = 1')).toBe('UPDATE 1');
      const pb = send(b, 'update cu2 set v = v + 100 where v = 0');
      expect(await blocked(pb)).toBe(true);
      expect(await run(a, 'commit')).toBe('COMMIT');
      expect(await outcome(pb)).toBe('UPDATE 1');
      expect(await run(a, 'select id, v from cu2')).toBe(rows([1, 5], [2, 100]));
    });

    it('READ COMMITTED: a waiting UPDATE of a row the first transaction deleted updates nothing', async () => {
      const [a, b] = await sessions(target, 2) as [pg.Client, pg.Client];
      await table(a, 'cu3', [[1, 0]]);
      expect(await run(a, 'begin')).toBe('BEGIN');
      expect(await run(a, 'delete from cu3 where id = 1')).toBe('DELETE 1');
      const pb = send(b, 'update cu3 set v = 1 where id = 1');
      expect(await blocked(pb)).toBe(true);
      expect(await run(a, 'commit')).toBe('COMMIT');
      expect(await outcome(pb)).toBe('UPDATE 0');
      expect(await run(a, 'select id, v from cu3')).toBe(rows());
    });

    for (const level of ['repeatable read', 'serializable']) {
      it(`${level.toUpperCase()}: the second UPDATE waits, then fails with 40001 when the first commits`, async () => {
        const [a, b] = await sessions(target, 2) as [pg.Client, pg.Client];
        await table(a, 'cu4', [[1, 0]]);
        expect(await run(a, `begin isolation level ${level}`)).toBe('BEGIN');
        expect(await run(b, `begin isolation level ${level}`)).toBe('BEGIN');
        expect(await run(b, 'select v from cu4')).toBe(rows([0]));
        expect(await run(a, 'update cu4 set v = v + 1 where id = 1')).toBe('UPDATE 1');
        const pb = send(b, 'update cu4 set v = v + 1 where id = 1');
        expect(await blocked(pb)).toBe(true);
        expect(await run(a, 'commit')).toBe('COMMIT');
        expect(await outcome(pb)).toBe(err('40001'));
        expect(await run(b, 'select 1')).toBe(err('25P02'));
        expect(await run(b, 'rollback')).toBe('ROLLBACK');
        expect(await run(b, 'select v from cu4')).toBe(rows([1]));
      });

      it(`${level.toUpperCase()}: the second UPDATE proceeds when the first rolls back`, async () => {
        const [a, b] = await sessions(target, 2) as [pg.Client, pg.Client];
        await table(a, 'cu5', [[1, 0]]);
        expect(await run(a, `begin isolation level ${level}`)).toBe('BEGIN');
        expect(await run(b, `begin isolation level ${level}`)).toBe('BEGIN');
        expect(await run(b, 'select v from cu5')).toBe(rows([0]));
        expect(await run(a, 'update cu5 set v = v + 1 where id = 1')).toBe('UPDATE 1');
        const pb = send(b, 'update cu5 set v = v + 10 where id = 1');
        expect(await blocked(pb)).toBe(true);
        expect(await run(a, 'rollback')).toBe('ROLLBACK');
        expect(await outcome(pb)).toBe('UPDATE 1');
        expect(await run(b, 'commit')).toBe('COMMIT');
        expect(await run(a, 'select v from cu5')).toBe(rows([10]));
      });

      it(`${level.toUpperCase()}: updating a row changed by a transaction committed after the snapshot fails at once with 40001`, async () => {
        const [a, b] = await sessions(target, 2) as [pg.Client, pg.Client];
        await table(a, 'cu6', [[1, 0]]);
        expect(await run(b, `begin isolation level ${level}`)).toBe('BEGIN');
        expect(await run(b, 'select v from cu6')).toBe(rows([0]));
        expect(await run(a, 'update cu6 set v = 1 where id = 1')).toBe('UPDATE 1');
        expect(await run(b, 'update cu6 set v = 2 where id = 1')).toBe(err('40001'));
        expect(await run(b, 'rollback')).toBe('ROLLBACK');
      });
    }
  });

  describe('row locks: FOR UPDATE and FOR SHARE', () => {
    it('SELECT FOR UPDATE blocks a concurrent UPDATE until commit', async () => {
      const [a, b, c] = await sessions(target, 3) as [pg.Client, pg.Client, pg.Client];
      await table(a, 'lk1', [[1, 0], [2, 0]]);
      expect(await run(a, 'begin')).toBe('BEGIN');
      expect(await run(a, 'select id, v from lk1 where id = 1 for update')).toBe(rows([1, 0]));
      expect(await run(c, 'select id, v from lk1 where id = 1')).toBe(rows([1, 0]));
      expect(await run(c, 'update lk1 set v = 9 where id = 2')).toBe('UPDATE 1');
      const pb = send(b, 'update lk1 set v = 5 where id = 1');
      expect(await blocked(pb)).toBe(true);
      expect(await run(a, 'commit')).toBe('COMMIT');
      expect(await outcome(pb)).toBe('UPDATE 1');
      expect(await run(a, 'select id, v from lk1')).toBe(rows([1, 5], [2, 9]));
    });

    it('SELECT FOR UPDATE blocks another FOR UPDATE, which then returns the newest version (READ COMMITTED)', async () => {
      const [a, b] = await sessions(target, 2) as [pg.Client, pg.Client];
      await table(a, 'lk2', [[1, 0]]);
      expect(await run(a, 'begin')).toBe('BEGIN');
      expect(await run(a, 'select v from lk2 where id = 1 for update')).toBe(rows([0]));
      expect(await run(a, 'update lk2 set v = 7 where id = 1')).toBe('UPDATE 1');
      expect(await run(b, 'begin')).toBe('BEGIN');
      const pb = send(b, 'select v from lk2 where id = 1 for update');
      expect(await blocked(pb)).toBe(true);
      expect(await run(a, 'commit')).toBe('COMMIT');
      expect(await outcome(pb)).toBe(rows([7]));
      expect(await run(b, 'commit')).toBe('COMMIT');
    });

    it('SELECT FOR UPDATE at REPEATABLE READ fails with 40001 after waiting for a committed update', async () => {
      const [a, b] = await sessions(target, 2) as [pg.Client, pg.Client];
      await table(a, 'lk3', [[1, 0]]);
      expect(await run(b, 'begin isolation level repeatable read')).toBe('BEGIN');
      expect(await run(b, 'select v from lk3')).toBe(rows([0]));
      expect(await run(a, 'begin')).toBe('BEGIN');
      expect(await run(a, 'update lk3 set v = 7 where id = 1')).toBe('UPDATE 1');
      const pb = send(b, 'select v from lk3 where id = 1 for update');
      expect(await blocked(pb)).toBe(true);
      expect(await run(a, 'commit')).toBe('COMMIT');
      expect(await outcome(pb)).toBe(err('40001'));
      expect(await run(b, 'rollback')).toBe('ROLLBACK');
    });

    it('FOR SHARE allows another FOR SHARE, and an UPDATE waits for every sharer', async () => {
      const [a, b, c] = await sessions(target, 3) as [pg.Client, pg.Client, pg.Client];
      await table(a, 'lk4', [[1, 0]]);
      expect(await run(a, 'begin')).toBe('BEGIN');
      expect(await run(a, 'select v from lk4 where id = 1 for share')).toBe(rows([0]));
      expect(await run(b, 'begin')).toBe('BEGIN');
      expect(await run(b, 'select v from lk4 where id = 1 for share')).toBe(rows([0]));
      const pc = send(c, 'update lk4 set v = 3 where id = 1');
      expect(await blocked(pc)).toBe(true);
      expect(await run(a, 'commit')).toBe('COMMIT');
      expect(await blocked(pc)).toBe(true);
      expect(await run(b, 'commit')).toBe('COMMIT');
      expect(await outcome(pc)).toBe('UPDATE 1');
      expect(await run(a, 'select v from lk4')).toBe(rows([3]));
    });

    it('FOR SHARE blocks FOR UPDATE until the sharer ends', async () => {
      const [a, b] = await sessions(target, 2) as [pg.Client, pg.Client];
      await table(a, 'lk5', [[1, 0]]);
      expect(await run(a, 'begin')).toBe('BEGIN');
      expect(await run(a, 'select v from lk5 where id = 1 for share')).toBe(rows([0]));
      expect(await run(b, 'begin')).toBe('BEGIN');
      const pb = send(b, 'select v from lk5 where id = 1 for update');
      expect(await blocked(pb)).toBe(true);
      expect(await run(a, 'rollback')).toBe('ROLLBACK');
      expect(await outcome(pb)).toBe(rows([0]));
      expect(await run(b, 'commit')).toBe('COMMIT');
    });

    it('FOR UPDATE NOWAIT fails at once with 55P03 on a locked row; SKIP LOCKED skips it', async () => {
      const [a, b] = await sessions(target, 2) as [pg.Client, pg.Client];
      await table(a, 'lk6', [[1, 0], [2, 0]]);
      expect(await run(a, 'begin')).toBe('BEGIN');
      expect(await run(a, 'select v from lk6 where id = 1 for update')).toBe(rows([0]));
      expect(await run(b, 'select id from lk6 for update skip locked')).toBe(rows([2]));
      expect(await run(b, 'select v from lk6 where id = 1 for update nowait')).toBe(err('55P03'));
      expect(await run(a, 'commit')).toBe('COMMIT');
    });
  });

  describe('write skew', () => {
    /** Two on-call doctors each go off call if the other is on call; returns both sessions' outcomes. */
    async function doctors(level: string): Promise<{ outcomes: string[]; onCall: string }> {
      const [a, b] = await sessions(target, 2) as [pg.Client, pg.Client];
      await a.query('drop table if exists doctors');
      await a.query('create table doctors (name text primary key, on_call boolean not null)');
      await a.query("insert into doctors values ('alice', true), ('bob', true)");
      const outcomes: string[] = [];
      const failed = new Set<pg.Client>();
      /** Runs sql unless the session already failed; records errors. */
      const step = async (c: pg.Client, sql: string, expectOk: string): Promise<void> => {
        if (failed.has(c)) return;
        const o = await run(c, sql);
        if (o !== expectOk) { failed.add(c); outcomes.push(`${c === a ? 'alice' : 'bob'}: ${sql} -> ${o}`); }
      };
      await step(a, `begin isolation level ${level}`, 'BEGIN');
      await step(b, `begin isolation level ${level}`, 'BEGIN');
      await step(a, 'select count(*) from doctors where on_call', rows([2]));
      await step(b, 'select count(*) from doctors where on_call', rows([2]));
      await step(a, "update doctors set on_call = false where name = 'alice'", 'UPDATE 1');
      await step(b, "update doctors set on_call = false where name = 'bob'", 'UPDATE 1');
      await step(a, 'commit', 'COMMIT');
      await step(b, 'commit', 'COMMIT');
      for (const c of failed) await run(c, 'rollback');
      const r = await run(a, 'select count(*) from doctors where on_call');
      return { outcomes, onCall: r };
    }

    it('is allowed at REPEATABLE READ', async () => {
      const r = await doctors('repeatable read');
      expect(r.outcomes).toEqual([]);
      expect(r.onCall).toBe(rows([0]));
    });

    it('is prevented at SERIALIZABLE: one transaction fails with 40001', async () => {
      const r = await doctors('serializable');
      expect(r.outcomes).toHaveLength(1);
      expect(r.outcomes[0]).toMatch(/-> error 40001$/);
      expect(r.onCall).toBe(rows([1]));
    });
  });

  describe('deadlocks', () => {
    it('between two sessions: one gets 40P01, the other proceeds', async () => {
      const [a, b] = await sessions(target, 2) as [pg.Client, pg.Client];
      await table(a, 'dl1', [[1, 0], [2, 0]]);
      expect(await run(a, 'begin')).toBe('BEGIN');
      expect(await run(b, 'begin')).toBe('BEGIN');
      expect(await run(a, 'update dl1 set v = 10 where id = 1')).toBe('UPDATE 1');
      expect(await run(b, 'update dl1 set v = 20 where id = 2')).toBe('UPDATE 1');
      const pa = send(a, 'update dl1 set v = 10 where id = 2');
      expect(await blocked(pa)).toBe(true);
      const pb = send(b, 'update dl1 set v = 20 where id = 1');
      const [oa, ob] = await Promise.all([outcome(pa), outcome(pb)]);
      expect([oa, ob].sort()).toEqual(['UPDATE 1', err('40P01')]);
      const [winner, loser, value] = oa === 'UPDATE 1' ? [a, b, 10] : [b, a, 20];
      expect(await run(loser, 'select 1')).toBe(err('25P02'));
      expect(await run(loser, 'rollback')).toBe('ROLLBACK');
      expect(await run(winner, 'commit')).toBe('COMMIT');
      expect(await run(loser, 'select id, v from dl1')).toBe(rows([1, value], [2, value]));
    });
  });

  describe('transaction blocks', () => {
    it('a failed statement aborts the block: 25P02 until ROLLBACK, and the status shows it', async () => {
      const [a] = await sessions(target, 1) as [pg.Client];
      await table(a, 'tb1', []);
      expect(await txStatus(a)).toBe('I');
      expect(await run(a, 'begin')).toBe('BEGIN');
      expect(await txStatus(a)).toBe('T');
      expect(await run(a, 'insert into tb1 values (1, 1)')).toBe('INSERT 0 1');
      expect(await run(a, 'select 1/0')).toBe(err('22012'));
      expect(await txStatus(a)).toBe('E');
      expect(await run(a, 'select 1')).toBe(err('25P02'));
      expect(await run(a, 'insert into tb1 values (2, 2)')).toBe(err('25P02'));
      expect(await txStatus(a)).toBe('E');
      expect(await run(a, 'rollback')).toBe('ROLLBACK');
      expect(await txStatus(a)).toBe('I');
      expect(await run(a, 'select id from tb1')).toBe(rows());
    });

    it('COMMIT of a failed block rolls it back (command tag ROLLBACK)', async () => {
      const [a] = await sessions(target, 1) as [pg.Client];
      await table(a, 'tb2', []);
      expect(await run(a, 'begin')).toBe('BEGIN');
      expect(await run(a, 'insert into tb2 values (1, 1)')).toBe('INSERT 0 1');
      expect(await run(a, 'insert into tb2 values (1, 1)')).toBe(err('23505'));
      expect(await run(a, 'commit')).toBe('ROLLBACK');
      expect(await txStatus(a)).toBe('I');
      expect(await run(a, 'select id from tb2')).toBe(rows());
    });

    it('an error in a block releases its row locks at once, before ROLLBACK', async () => {
      const [a, b] = await sessions(target, 2) as [pg.Client, pg.Client];
      await table(a, 'tb3', [[1, 0]]);
      expect(await run(a, 'begin')).toBe('BEGIN');
      expect(await run(a, 'update tb3 set v = 1 where id = 1')).toBe('UPDATE 1');
      const pb = send(b, 'update tb3 set v = 2 where id = 1');
      expect(await blocked(pb)).toBe(true);
      expect(await run(a, 'select 1/0')).toBe(err('22012'));
      expect(await outcome(pb)).toBe('UPDATE 1');
      expect(await run(a, 'rollback')).toBe('ROLLBACK');
      expect(await run(a, 'select v from tb3')).toBe(rows([2]));
    });

    it('an error outside a block leaves the session idle', async () => {
      const [a] = await sessions(target, 1) as [pg.Client];
      expect(await run(a, 'select 1/0')).toBe(err('22012'));
      expect(await txStatus(a)).toBe('I');
      expect(await run(a, 'select 1')).toBe(rows([1]));
    });
  });

  describe('savepoints', () => {
    it('ROLLBACK TO restores, RELEASE keeps', async () => {
      const [a] = await sessions(target, 1) as [pg.Client];
      await table(a, 'sp1', []);
      expect(await run(a, 'begin')).toBe('BEGIN');
      expect(await run(a, 'insert into sp1 values (1, 1)')).toBe('INSERT 0 1');
      expect(await run(a, 'savepoint s1')).toBe('SAVEPOINT');
      expect(await run(a, 'insert into sp1 values (2, 2)')).toBe('INSERT 0 1');
      expect(await run(a, 'update sp1 set v = 100 where id = 1')).toBe('UPDATE 1');
      expect(await run(a, 'rollback to savepoint s1')).toBe('ROLLBACK');
      expect(await run(a, 'select id, v from sp1')).toBe(rows([1, 1]));
      expect(await run(a, 'savepoint s2')).toBe('SAVEPOINT');
      expect(await run(a, 'insert into sp1 values (3, 3)')).toBe('INSERT 0 1');
      expect(await run(a, 'release savepoint s2')).toBe('RELEASE');
      expect(await run(a, 'commit')).toBe('COMMIT');
      expect(await run(a, 'select id, v from sp1')).toBe(rows([1, 1], [3, 3]));
    });

    it('ROLLBACK TO leaves a failed block usable again', async () => {
      const [a] = await sessions(target, 1) as [pg.Client];
      await table(a, 'sp2', []);
      expect(await run(a, 'begin')).toBe('BEGIN');
      expect(await run(a, 'insert into sp2 values (1, 1)')).toBe('INSERT 0 1');
      expect(await run(a, 'savepoint s')).toBe('SAVEPOINT');
      expect(await run(a, 'insert into sp2 values (1, 1)')).toBe(err('23505'));
      expect(await txStatus(a)).toBe('E');
      expect(await run(a, 'select 1')).toBe(err('25P02'));
      expect(await run(a, 'rollback to savepoint s')).toBe('ROLLBACK');
      expect(await txStatus(a)).toBe('T');
      expect(await run(a, 'insert into sp2 values (2, 2)')).toBe('INSERT 0 1');
      expect(await run(a, 'commit')).toBe('COMMIT');
      expect(await run(a, 'select id from sp2')).toBe(rows([1], [2]));
    });

    it('ROLLBACK TO an outer savepoint destroys the inner ones; unknown savepoints are 3B001', async () => {
      const [a] = await sessions(target, 1) as [pg.Client];
      await table(a, 'sp3', []);
      expect(await run(a, 'begin')).toBe('BEGIN');
      expect(await run(a, 'savepoint outer_sp')).toBe('SAVEPOINT');
      expect(await run(a, 'insert into sp3 values (1, 1)')).toBe('INSERT 0 1');
      expect(await run(a, 'savepoint inner_sp')).toBe('SAVEPOINT');
      expect(await run(a, 'insert into sp3 values (2, 2)')).toBe('INSERT 0 1');
      expect(await run(a, 'rollback to savepoint outer_sp')).toBe('ROLLBACK');
      expect(await run(a, 'release savepoint inner_sp')).toBe(err('3B001'));
      expect(await run(a, 'rollback')).toBe('ROLLBACK');
      expect(await run(a, 'select id from sp3')).toBe(rows());
    });

    it('ROLLBACK TO releases the row locks taken after the savepoint', async () => {
      const [a, b] = await sessions(target, 2) as [pg.Client, pg.Client];
      await table(a, 'sp4', [[1, 0]]);
      expect(await run(a, 'begin')).toBe('BEGIN');
      expect(await run(a, 'savepoint s')).toBe('SAVEPOINT');
      expect(await run(a, 'update sp4 set v = 1 where id = 1')).toBe('UPDATE 1');
      const pb = send(b, 'update sp4 set v = 2 where id = 1');
      expect(await blocked(pb)).toBe(true);
      expect(await run(a, 'rollback to savepoint s')).toBe('ROLLBACK');
      expect(await outcome(pb)).toBe('UPDATE 1');
      expect(await run(a, 'select v from sp4')).toBe(rows([2]));
      expect(await run(a, 'commit')).toBe('COMMIT');
    });
    it('an error after a savepoint releases only the row locks taken since the savepoint', async () => {
      const [a, b, c] = await sessions(target, 3) as [pg.Client, pg.Client, pg.Client];
      await table(a, 'sp5', [[1, 0], [2, 0]]);
      expect(await run(a, 'begin')).toBe('BEGIN');
      expect(await run(a, 'update sp5 set v = 1 where id = 1')).toBe('UPDATE 1');
      expect(await run(a, 'savepoint s')).toBe('SAVEPOINT');
      expect(await run(a, 'update sp5 set v = 1 where id = 2')).toBe('UPDATE 1');
      const pb = send(b, 'update sp5 set v = 2 where id = 2');
      expect(await blocked(pb)).toBe(true);
      expect(await run(a, 'select 1/0')).toBe(err('22012'));
      expect(await outcome(pb)).toBe('UPDATE 1');
      const pc = send(c, 'update sp5 set v = 3 where id = 1');
      expect(await blocked(pc)).toBe(true);
      expect(await run(a, 'rollback to savepoint s')).toBe('ROLLBACK');
      expect(await blocked(pc)).toBe(true);
      expect(await run(a, 'commit')).toBe('COMMIT');
      expect(await outcome(pc)).toBe('UPDATE 1');
      expect(await run(a, 'select id, v from sp5')).toBe(rows([1, 3], [2, 2]));
    });
  });

  describe('unique-key insert race', () => {
    it('the second insert waits, then fails with 23505 when the first commits', async () => {
      const [a, b] = await sessions(target, 2) as [pg.Client, pg.Client];
      await table(a, 'ur1', []);
      expect(await run(a, 'begin')).toBe('BEGIN');
      expect(await run(b, 'begin')).toBe('BEGIN');
      expect(await run(a, 'insert into ur1 values (1, 1)')).toBe('INSERT 0 1');
      const pb = send(b, 'insert into ur1 values (1, 2)');
      expect(await blocked(pb)).toBe(true);
      expect(await run(a, 'commit')).toBe('COMMIT');
      expect(await outcome(pb)).toBe(err('23505'));
      expect(await run(b, 'rollback')).toBe('ROLLBACK');
      expect(await run(b, 'select id, v from ur1')).toBe(rows([1, 1]));
    });

    it('the second insert waits, then succeeds when the first rolls back', async () => {
      const [a, b] = await sessions(target, 2) as [pg.Client, pg.Client];
      await table(a, 'ur2', []);
      expect(await run(a, 'begin')).toBe('BEGIN');
      expect(await run(b, 'begin')).toBe('BEGIN');
      expect(await run(a, 'insert into ur2 values (1, 1)')).toBe('INSERT 0 1');
      const pb = send(b, 'insert into ur2 values (1, 2)');
      expect(await blocked(pb)).toBe(true);
      expect(await run(a, 'rollback')).toBe('ROLLBACK');
      expect(await outcome(pb)).toBe('INSERT 0 1');
      expect(await run(b, 'commit')).toBe('COMMIT');
      expect(await run(a, 'select id, v from ur2')).toBe(rows([1, 2]));
    });
  });
});
