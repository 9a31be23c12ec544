// The embedded API (src/index.ts): memory and directory databases, parameters, results typed exactly
// as node-postgres types them from a real PostgreSQL 15 (compared value by value with the oracle),
// several connections with transactions and isolation, transaction(fn), SQLSTATE-coded errors, and
// reopening a data directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuiverDB, type Connection } from '../../src/index.js';
import { startPostgres, type PostgresOracle } from '../helpers/postgres-oracle.js';

let oracle: PostgresOracle;
let pgc: pg.Client;
let db: QuiverDB;

beforeAll(async () => {
  oracle = await startPostgres();
  pgc = new pg.Client({ host: oracle.host, port: oracle.port, user: 'postgres', database: 'postgres' });
  await pgc.connect();
  db = await QuiverDB.open({ memory: true });
});

afterAll(async () => {
  await pgc?.end();
  await oracle?.stop();
  await db?.close();
});

/** The error a promise rejects with (fails the test if it resolves). */
async function failure(p: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    return e as Error & { code?: string };
  }
  throw new Error('expected the statement to fail');
}

/** Runs sql on both PostgreSQL (through pg) and an embedded connection; returns both outcomes. */
async function both(c: Connection, sql: string, params: unknown[] = []): Promise<{ pg: unknown; quiver: unknown }> {
  const pgOut = await pgc.query(sql, params).then(
    (r) => ({ command: r.command, rowCount: r.rowCount, rows: r.rows, fields: r.fields.map((f) => [f.name, f.dataTypeID]) }),
    (e: pg.DatabaseError) => ({ error: e.code }));
  const qOut = await c.query(sql, params).then(
    (r) => ({ command: r.command, rowCount: r.rowCount, rows: r.rows, fields: r.fields.map((f) => [f.name, f.dataTypeID]) }),
    (e: Error & { code?: string }) => ({ error: e.code }));
  return { pg: pgOut, quiver: qOut };
}

describe('typed results equal node-postgres against PostgreSQL 15', () => {
  const cases: Array<[string, string, unknown[]]> = [
    ['integers and numerics', 'SELECT 1 AS a, 2::int2 AS b, 3::int8 AS c, 1.50::numeric AS d, 2.5::float8 AS e, 1.5::float4 AS f', []],
    ['extreme integers', 'SELECT 9223372036854775807::int8 AS big, (-2147483648)::int4 AS minint, (-32768)::int2 AS minsmall, ' +
      '123456789012345678901234567890.123::numeric AS bignum, 0.000001::numeric(10,8) AS small', []],
    ['bool, text, null', "SELECT true AS t, false AS f, 'x'::text AS s, 'ab'::varchar(5) AS v, 'c'::char(3) AS ch, NULL AS n, NULL::int AS ni, '' AS empty", []],
    ['dates and times', "SELECT '2024-01-02'::date AS d, '2024-01-02 03:04:05.123456'::timestamp AS ts, " +
      "'2024-01-02 03:04:05+02'::timestamptz AS tz, '12:34:56'::time AS tm, '1 day 02:00'::interval AS iv", []],
    ['infinite dates', "SELECT 'infinity'::timestamptz AS inf, '-infinity'::date AS ninf, 'infinity'::timestamp AS tinf", []],
    ['json and jsonb', `SELECT '{"a":[1,2,{"b":null}]}'::json AS j, '{"b":1,"a":2}'::jsonb AS jb, '[1,"x",true]'::jsonb AS arr, 'null'::jsonb AS jn, '"s"'::json AS js`, []],
    ['arrays', "SELECT ARRAY[1,2,3] AS ia, ARRAY['a','b c',NULL,'\"q\"'] AS ta, ARRAY[1::int8, 2] AS i8a, ARRAY[true,false] AS ba, " +
      "'{}'::int[] AS ea, ARRAY[[1,2],[3,4]] AS md, ARRAY[1.5::numeric] AS na, ARRAY['2024-01-01'::date] AS da", []],
    ['bytea', "SELECT '\\xdeadbeef'::bytea AS b, ''::bytea AS e, decode('00ff', 'hex') AS d", []],
    ['NaN and infinities', "SELECT 'NaN'::float8 AS n, 'Infinity'::float8 AS i, '-Infinity'::float8 AS ni, 'NaN'::numeric AS nn, '-0'::float8 AS nz", []],
    ['other scalar types', "SELECT '00000000-0000-0000-0000-000000000001'::uuid AS u, 'a'::name AS nm, 12::oid AS o", []],
    ['parameters of many types', 'SELECT $1::int AS a, $2::text AS b, $3::int8 AS c, $4::bool AS d, $5::numeric AS e, $6::float8 AS f',
      [42, 'hé ✓', '9007199254740993', true, '1.10', 2.25]],
    ['parameters: dates, json, arrays, bytea, null', 'SELECT $1::timestamptz AS a, $2::date AS b, $3::jsonb AS c, $4::int[] AS d, $5::bytea AS e, $6::text AS f, $7::text[] AS g',
      [new Date('2020-05-06T07:08:09.123Z'), '2020-05-06', { x: [1, 2], y: 'z' }, [1, 2, 3], Buffer.from([0, 1, 255]), null, ['a', 'b"c', null]]],
    ['untyped parameters', "SELECT $1 = 'text' AS a, 1 + $2 AS b, $3 AS c, $4 AS d", ['text', 5, 'x', null]],
    ['aggregates', 'SELECT count(*) AS n, sum(x) AS s, avg(x) AS a, max(x) AS m FROM generate_series(1, 10) AS g(x)', []],
  ];
  for (const [name, sql, params] of cases) {
    it(name, async () => {
      const c = await db.connect();
      try {
        const { pg: want, quiver: got } = await both(c, sql, params);
        expect(want).not.toHaveProperty('error');
        expect(got).toEqual(want);
      } finally {
        await c.close();
      }
    });
  }

  it('round-trips a table of every type through parameters', async () => {
    const ddl = `CREATE TABLE emb_types (id int PRIMARY KEY, i2 int2, i8 int8, n numeric(12,3), f float8, b bool, t text,
      d date, ts timestamp, tz timestamptz, j json, jb jsonb, ia int[], ta text[], by bytea)`;
    const c = await db.connect();
    try {
      await pgc.query('DROP TABLE IF EXISTS emb_types');
      await pgc.query(ddl);
      await c.query(ddl);
      const rows: unknown[][] = [
        [1, 7, '-9223372036854775808', '12345.678', 1e-300, false, 'naïve\ttab', '1999-12-31', '2000-01-01 00:00:00.5',
          new Date('1970-01-01T00:00:00Z'), { a: 1 }, [{ b: [true, null] }], [-1, 0, 1], ['', 'x y', null], Buffer.from('hi')],
        [2, null, null, null, null, null, null, null, null, null, null, null, null, null, null],
      ];
      for (const r of rows) {
        const ins = 'INSERT INTO emb_types VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)';
        // json parameters: node-postgres sends arrays as PostgreSQL arrays, so the jsonb array goes as JSON text
        const p = r.map((v, i) => (i === 11 && v !== null ? JSON.stringify(v) : v));
        const { pg: want, quiver: got } = await both(c, ins, p);
        expect(got).toEqual(want);
      }
      const { pg: want, quiver: got } = await both(c, 'SELECT * FROM emb_types ORDER BY id');
      expect((want as { rows: unknown[] }).rows).toHaveLength(2);
      expect(got).toEqual(want);
    } finally {
      await pgc.query('DROP TABLE IF EXISTS emb_types');
      await c.close();
    }
  });

  it('reports DML command tags and row counts as node-postgres does', async () => {
    const c = await db.connect();
    try {
      await pgc.query('DROP TABLE IF EXISTS emb_tags');
      for (const sql of ['CREATE TABLE emb_tags (a int PRIMARY KEY, b text)', "INSERT INTO emb_tags VALUES (1, 'x'), (2, 'y'), (3, 'z')",
        "UPDATE emb_tags SET b = 'w' WHERE a >= 2", 'DELETE FROM emb_tags WHERE a = 1', 'SELECT * FROM emb_tags ORDER BY a',
        'INSERT INTO emb_tags VALUES (9, $1) RETURNING a, b', 'DELETE FROM emb_tags WHERE a > 100']) {
        const params = sql.includes('$1') ? ['p'] : [];
        const { pg: want, quiver: got } = await both(c, sql, params);
        expect(got, sql).toEqual(want);
      }
    } finally {
      await pgc.query('DROP TABLE IF EXISTS emb_tags');
      await c.close();
    }
  });
});

describe('memory databases', () => {
  it('runs statements through db.query and keeps each memory database separate', async () => {
    const a = await QuiverDB.open({ memory: true });
    const b = await QuiverDB.open({ memory: true });
    try {
      await a.query('CREATE TABLE m (x int)');
      await a.query('INSERT INTO m VALUES ($1), ($2)', [5, 6]);
      expect((await a.query('SELECT sum(x) AS s FROM m')).rows).toEqual([{ s: '11' }]);
      const e = await failure(b.query('SELECT * FROM m'));
      expect(e.code).toBe('42P01');
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('runs several statements in one call and returns the last result', async () => {
    const c = await db.connect();
    try {
      const r = await c.query('CREATE TABLE multi (x int); INSERT INTO multi VALUES (1), (2); SELECT count(*)::int AS n FROM multi');
      expect(r.rows).toEqual([{ n: 2 }]);
      await c.query('DROP TABLE multi');
    } finally {
      await c.close();
    }
  });

  it('runs statements of one connection in order even when not awaited', async () => {
    const c = await db.connect();
    try {
      await c.query('CREATE TABLE ordered (n serial, x int)');
      const ps = Array.from({ length: 20 }, (_, i) => c.query('INSERT INTO ordered (x) VALUES ($1) RETURNING n, x', [i]));
      ps.push(c.query('SELECT count(*)::int AS n, max(x) AS x FROM ordered'));
      const rs = await Promise.all(ps);
      expect(rs.map((r) => r.rows[0])).toEqual([...Array.from({ length: 20 }, (_, i) => ({ n: i + 1, x: i })), { n: 20, x: 19 }]);
      await c.query('DROP TABLE ordered');
    } finally {
      await c.close();
    }
  });
});

describe('errors', () => {
  it('surface as Errors with the SQLSTATE in .code, and the connection keeps working', async () => {
    const c = await db.connect();
    try {
      await c.query('CREATE TABLE errs (id int PRIMARY KEY, v int NOT NULL)');
      await c.query('INSERT INTO errs VALUES (1, 1)');
      const cases: Array<[string, unknown[], string]> = [
        ['SELEC 1', [], '42601'],
        ['SELECT * FROM no_such_table', [], '42P01'],
        ['SELECT no_such_column FROM errs', [], '42703'],
        ['SELECT no_such_function(1)', [], '42883'],
        ['SELECT 1 / 0', [], '22012'],
        ['SELECT $1::int', ['abc'], '22P02'],
        ['INSERT INTO errs VALUES (1, 2)', [], '23505'],
        ['INSERT INTO errs VALUES ($1, NULL)', [2], '23502'],
        ["SELECT 2147483647::int + 1", [], '22003'],
      ];
      for (const [sql, params, code] of cases) {
        const e = await failure(c.query(sql, params));
        expect(e.code, sql).toBe(code);
        const want = await pgc.query(sql.replace('errs', 'pg_class'), params).then(() => 'ok', (x: pg.DatabaseError) => x.code);
        if (!sql.includes('errs')) expect(e.code, `PostgreSQL: ${sql}`).toBe(want);
        expect((await c.query('SELECT v FROM errs WHERE id = 1')).rows).toEqual([{ v: 1 }]);
      }
    } finally {
      await c.query('DROP TABLE IF EXISTS errs');
      await c.close();
    }
  });

  it('fail the transaction block (25P02) until ROLLBACK', async () => {
    const c = await db.connect();
    try {
      await c.query('BEGIN');
      expect((await failure(c.query('SELECT 1/0'))).code).toBe('22012');
      expect((await failure(c.query('SELECT 1'))).code).toBe('25P02');
      expect((await failure(c.query('SELECT $1::int', [1]))).code).toBe('25P02');
      await c.query('ROLLBACK');
      expect((await c.query('SELECT 1 AS x')).rows).toEqual([{ x: 1 }]);
    } finally {
      await c.close();
    }
  });
});

describe('connections and transactions', () => {
  it('keeps a connection\'s uncommitted writes invisible to others until COMMIT', async () => {
    const [a, b] = [await db.connect(), await db.connect()];
    try {
      await a.query('CREATE TABLE iso (id int PRIMARY KEY, v int)');
      await a.query('INSERT INTO iso VALUES (1, 10)');
      await a.query('BEGIN');
      await a.query('INSERT INTO iso VALUES (2, 20)');
      await a.query('UPDATE iso SET v = 11 WHERE id = 1');
      expect((await a.query('SELECT id, v FROM iso ORDER BY id')).rows).toEqual([{ id: 1, v: 11 }, { id: 2, v: 20 }]);
      expect((await b.query('SELECT id, v FROM iso ORDER BY id')).rows).toEqual([{ id: 1, v: 10 }]);
      await a.query('COMMIT');
      expect((await b.query('SELECT id, v FROM iso ORDER BY id')).rows).toEqual([{ id: 1, v: 11 }, { id: 2, v: 20 }]);
    } finally {
      await a.query('DROP TABLE IF EXISTS iso');
      await a.close();
      await b.close();
    }
  });

  it('gives REPEATABLE READ one snapshot per transaction and READ COMMITTED one per statement', async () => {
    const [a, b, r] = [await db.connect(), await db.connect(), await db.connect()];
    try {
      await a.query('CREATE TABLE snap (id int PRIMARY KEY)');
      await a.query('INSERT INTO snap VALUES (1)');
      await b.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await r.query('BEGIN');
      expect((await b.query('SELECT count(*)::int AS n FROM snap')).rows).toEqual([{ n: 1 }]);
      expect((await r.query('SELECT count(*)::int AS n FROM snap')).rows).toEqual([{ n: 1 }]);
      await a.query('INSERT INTO snap VALUES (2)');
      expect((await b.query('SELECT count(*)::int AS n FROM snap')).rows).toEqual([{ n: 1 }]);
      expect((await r.query('SELECT count(*)::int AS n FROM snap')).rows).toEqual([{ n: 2 }]);
      await b.query('COMMIT');
      await r.query('COMMIT');
      expect((await b.query('SELECT count(*)::int AS n FROM snap')).rows).toEqual([{ n: 2 }]);
    } finally {
      await a.query('DROP TABLE IF EXISTS snap');
      await Promise.all([a.close(), b.close(), r.close()]);
    }
  });

  it('makes a concurrent writer of the same row wait, then re-read (no lost update)', async () => {
    const [a, b] = [await db.connect(), await db.connect()];
    try {
      await a.query('CREATE TABLE ctr (id int PRIMARY KEY, n int)');
      await a.query('INSERT INTO ctr VALUES (1, 0)');
      await a.query('BEGIN');
      await a.query('UPDATE ctr SET n = n + 1 WHERE id = 1');
      let settled = false;
      const waiting = b.query('UPDATE ctr SET n = n + 1 WHERE id = 1').finally(() => { settled = true; });
      // a round trip on the first connection; the second must still be waiting for the row lock
      expect((await a.query('SELECT n FROM ctr WHERE id = 1')).rows).toEqual([{ n: 1 }]);
      expect(settled).toBe(false);
      await a.query('COMMIT');
      expect((await waiting).rowCount).toBe(1);
      expect((await a.query('SELECT n FROM ctr WHERE id = 1')).rows).toEqual([{ n: 2 }]);
    } finally {
      await a.query('DROP TABLE IF EXISTS ctr');
      await a.close();
      await b.close();
    }
  });

  it('REPEATABLE READ fails a write to a row changed since its snapshot with 40001', async () => {
    const [a, b] = [await db.connect(), await db.connect()];
    try {
      await a.query('CREATE TABLE rr (id int PRIMARY KEY, n int)');
      await a.query('INSERT INTO rr VALUES (1, 0)');
      await b.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await b.query('SELECT * FROM rr');
      await a.query('UPDATE rr SET n = 5 WHERE id = 1');
      expect((await failure(b.query('UPDATE rr SET n = n + 1 WHERE id = 1'))).code).toBe('40001');
      await b.query('ROLLBACK');
      expect((await b.query('SELECT n FROM rr')).rows).toEqual([{ n: 5 }]);
    } finally {
      await a.query('DROP TABLE IF EXISTS rr');
      await a.close();
      await b.close();
    }
  });

  it('transaction(fn) commits what fn did and returns its value', async () => {
    const c = await db.connect();
    const other = await db.connect();
    try {
      await c.query('CREATE TABLE tx (x int)');
      const out = await c.transaction(async (t) => {
        await t.query('INSERT INTO tx VALUES (1), (2)');
        expect((await other.query('SELECT count(*)::int AS n FROM tx')).rows).toEqual([{ n: 0 }]);
        return (await t.query('SELECT sum(x)::int AS s FROM tx')).rows[0];
      });
      expect(out).toEqual({ s: 3 });
      expect((await other.query('SELECT count(*)::int AS n FROM tx')).rows).toEqual([{ n: 2 }]);
    } finally {
      await c.query('DROP TABLE IF EXISTS tx');
      await c.close();
      await other.close();
    }
  });

  it('transaction(fn) rolls back and rethrows when fn throws or a statement fails', async () => {
    const c = await db.connect();
    try {
      await c.query('CREATE TABLE txr (x int PRIMARY KEY)');
      await c.query('INSERT INTO txr VALUES (1)');
      const boom = new Error('boom');
      await expect(c.transaction(async (t) => {
        await t.query('INSERT INTO txr VALUES (2)');
        throw boom;
      })).rejects.toBe(boom);
      const e = await failure(c.transaction(async (t) => {
        await t.query('DELETE FROM txr');
        await t.query('INSERT INTO txr VALUES (3), (3)');
      }));
      expect(e.code).toBe('23505');
      expect((await c.query('SELECT x FROM txr ORDER BY x')).rows).toEqual([{ x: 1 }]);
      // the connection is usable again, outside any transaction block
      expect((await c.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await c.query('DROP TABLE IF EXISTS txr');
      await c.close();
    }
  });

  it('serves many connections at once', async () => {
    const conns = await Promise.all(Array.from({ length: 8 }, () => db.connect()));
    try {
      await conns[0]!.query('CREATE TABLE many (c int, i int, PRIMARY KEY (c, i))');
      await Promise.all(conns.map((c, ci) => c.transaction(async (t) => {
        for (let i = 0; i < 10; i++) await t.query('INSERT INTO many VALUES ($1, $2)', [ci, i]);
      })));
      expect((await conns[1]!.query('SELECT count(*)::int AS n, count(DISTINCT c)::int AS d FROM many')).rows).toEqual([{ n: 80, d: 8 }]);
    } finally {
      await conns[0]!.query('DROP TABLE IF EXISTS many');
      await Promise.all(conns.map((c) => c.close()));
    }
  });
});

describe('directory databases', () => {
  it('keep committed data across close and reopen, and drop what was never committed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quiver-embedded-'));
    try {
      const first = await QuiverDB.open({ dataDir: dir });
      const c = await first.connect();
      await c.query('CREATE TABLE keep (id int PRIMARY KEY, name text UNIQUE, at timestamptz)');
      await c.query('CREATE SEQUENCE keep_seq');
      await c.query("SELECT nextval('keep_seq'), nextval('keep_seq')");
      await c.transaction(async (t) => {
        await t.query('INSERT INTO keep VALUES ($1, $2, $3)', [1, 'one', new Date('2021-02-03T04:05:06Z')]);
        await t.query('INSERT INTO keep VALUES ($1, $2, $3)', [2, 'two', null]);
      });
      const open = await first.connect();
      await open.query('BEGIN');
      await open.query("INSERT INTO keep VALUES (3, 'never', now())");
      await open.close(); // closing a session rolls its open transaction back
      await c.close();
      await first.close();

      const second = await QuiverDB.open({ dataDir: dir });
      try {
        const r = await second.query('SELECT id, name, at FROM keep ORDER BY id');
        expect(r.rows).toEqual([{ id: 1, name: 'one', at: new Date('2021-02-03T04:05:06Z') }, { id: 2, name: 'two', at: null }]);
        // PostgreSQL answers 3 after a clean shutdown; any value above those handed out is correct
        const next = BigInt(String((await second.query("SELECT nextval('keep_seq') AS v")).rows[0]?.v));
        expect(next > 2n).toBe(true);
        expect((await failure(second.query("INSERT INTO keep VALUES (9, 'one', NULL)"))).code).toBe('23505');
        await second.query("INSERT INTO keep VALUES (3, 'three', NULL)");
      } finally {
        await second.close();
      }
      const third = await QuiverDB.open({ dataDir: dir });
      try {
        expect((await third.query('SELECT count(*)::int AS n FROM keep')).rows).toEqual([{ n: 3 }]);
      } finally {
        await third.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
