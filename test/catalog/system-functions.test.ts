// System information functions (pg_get_serial_sequence, lastval, get_byte/set_byte, ^@,
// current_setting/set_config, pg_size_pretty, privileges, regclass/regnamespace output, ...) against
// PostgreSQL 15 where the answer is deterministic, and QuiverDB's own answers where it differs on
// purpose (relation sizes are estimates; no inet type; transaction ids are QuiverDB's).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { startPostgres, type PostgresOracle } from '../helpers/postgres-oracle.js';
import { connect, startQuiver, type QuiverServer } from '../helpers/quiver-server.js';

let oracle: PostgresOracle;
let quiver: QuiverServer;
let pgClient: pg.Client;
let qClient: pg.Client;

const SETUP = [
  'CREATE SCHEMA app',
  'CREATE TABLE t (id serial PRIMARY KEY, v text)',
  'CREATE TABLE app.u (k bigserial PRIMARY KEY, "Mixed" serial, w int)',
  'CREATE SEQUENCE s START 40',
];

beforeAll(async () => {
  [oracle, quiver] = await Promise.all([startPostgres(), startQuiver({ memory: true })]);
  [pgClient, qClient] = await Promise.all([connect(oracle.port), connect(quiver.port)]);
  for (const sql of SETUP) {
    await pgClient.query(sql);
    await qClient.query(sql);
  }
}, 120_000);

afterAll(async () => {
  await Promise.all([pgClient?.end(), qClient?.end()]);
  await Promise.all([oracle?.stop(), quiver?.stop()]);
});

interface Outcome { rows?: unknown[]; code?: string; message?: string }

async function run(c: pg.Client, sql: string): Promise<Outcome> {
  try {
    return { rows: (await c.query(sql)).rows };
  } catch (e) {
    const err = e as { code?: string; message?: string };
    return { code: err.code, message: err.message };
  }
}

async function same(sql: string): Promise<Outcome> {
  const [expected, actual] = await Promise.all([run(pgClient, sql), run(qClient, sql)]);
  expect(actual).toEqual(expected);
  return actual;
}

describe('system functions match PostgreSQL 15', () => {
  const queries = [
    "SELECT pg_get_serial_sequence('t', 'id') AS a, pg_get_serial_sequence('app.u', 'k') AS b, pg_get_serial_sequence('app.u', 'Mixed') AS c, pg_get_serial_sequence('t', 'v') AS d",
    "SELECT pg_get_serial_sequence('app.u', '\"Mixed\"')",
    "SELECT pg_get_serial_sequence('t', 'nope')",
    "SELECT get_byte('\\x0102ff'::bytea, 2) AS a, set_byte('\\x0102'::bytea, 0, 255) AS b",
    "SELECT get_byte('\\x01'::bytea, 1)",
    "SELECT set_byte('\\x01'::bytea, -1, 0)",
    "SELECT 'alphabet' ^@ 'alph' AS a, 'alphabet' ^@ 'beta' AS b, starts_with('x', '') AS c",
    "SELECT current_setting('TimeZone') AS a, current_setting('search_path') AS b, current_setting('no_such_setting', true) AS c",
    "SELECT current_setting('no_such_setting')",
    "SELECT current_setting('timezone') AS a, current_setting('transaction_isolation') AS b",
    "SELECT set_config('application_name', 'abc', false) AS a, current_setting('application_name') AS b",
    "SELECT set_config('no_such_setting', 'x', false)",
    "SELECT pg_size_pretty(0::bigint) AS a, pg_size_pretty(10239::bigint) AS b, pg_size_pretty(10240::bigint) AS c, pg_size_pretty(123456789::bigint) AS d, pg_size_pretty(-20000000::bigint) AS e, pg_size_pretty(9223372036854775807) AS f",
    "SELECT pg_is_in_recovery() AS a, has_table_privilege('t', 'SELECT') AS b, has_schema_privilege('app', 'USAGE') AS c, pg_has_role('postgres', 'MEMBER') AS d",
    "SELECT 't'::regclass::text AS a, 'app.u'::regclass::text AS b, (SELECT oid FROM pg_namespace WHERE nspname = 'app')::regnamespace::text AS c",
    "SELECT pg_table_is_visible('t'::regclass) AS a, pg_table_is_visible('app.u'::regclass) AS b",
    "SELECT obj_description(oid, 'pg_namespace') AS d FROM pg_namespace WHERE nspname = 'public'",
    "SELECT pg_relation_size('t') AS a",
    "SELECT lastval()",
  ];
  for (const sql of queries) it(sql, async () => { await same(sql); });

  it('lastval follows nextval across sequences', async () => {
    await same("SELECT nextval('s') AS a, lastval() AS b");
    await same("SELECT nextval('t_id_seq') AS a, lastval() AS b");
    const r = await same("SELECT nextval('s') AS a, lastval() AS b, currval('s') AS c");
    expect(r.rows).toEqual([{ a: '41', b: '41', c: '41' }]);
  });

  it('set_config(..., true) only lasts for the transaction', async () => {
    for (const c of [pgClient, qClient]) await c.query('BEGIN');
    await same("SELECT set_config('application_name', 'inner', true) AS a, current_setting('application_name') AS b");
    for (const c of [pgClient, qClient]) await c.query('COMMIT');
    await same("SELECT current_setting('application_name') AS a");
  });
});

describe('where QuiverDB answers differently on purpose', () => {
  it('relation sizes are page-rounded estimates from the row count (0 for an empty table)', async () => {
    await qClient.query("INSERT INTO t (v) SELECT 'x' FROM generate_series(1, 500)");
    await qClient.query('ANALYZE t');
    const r = await qClient.query(`SELECT pg_relation_size('t') AS heap, pg_table_size('t') AS tbl, pg_indexes_size('t') AS idx,
      pg_total_relation_size('t') AS total`);
    const row = r.rows[0] as { heap: string; tbl: string; idx: string; total: string };
    expect(Number(row.heap)).toBeGreaterThan(0);
    expect(Number(row.heap) % 8192).toBe(0);
    // PostgreSQL's identity: total = table (heap + TOAST) + indexes.
    expect(Number(row.tbl)).toBeGreaterThanOrEqual(Number(row.heap));
    expect(Number(row.total)).toBe(Number(row.tbl) + Number(row.idx));
  });

  it('txid_current is stable within a transaction and grows across transactions', async () => {
    await qClient.query('BEGIN');
    const a = (await qClient.query('SELECT txid_current() AS x')).rows[0] as { x: string };
    const b = (await qClient.query('SELECT txid_current() AS x')).rows[0] as { x: string };
    await qClient.query('COMMIT');
    const c = (await qClient.query('SELECT txid_current() AS x')).rows[0] as { x: string };
    expect(a.x).toBe(b.x);
    expect(BigInt(c.x)).toBeGreaterThan(BigInt(a.x));
  });

  it('inet_client_addr and inet_server_port are NULL (no inet type)', async () => {
    const r = await qClient.query('SELECT inet_client_addr() AS a, inet_server_port() AS b');
    expect(r.rows).toEqual([{ a: null, b: null }]);
  });
});
