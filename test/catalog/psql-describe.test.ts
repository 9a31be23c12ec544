// psql's describe commands (\dt, \d table, \di, \dn, \l, \du, \dv, \ds, \d, \dx) and the catalog
// queries ORMs run through node-postgres, against QuiverDB and the real PostgreSQL 15 after the same
// schema is created on both: the outputs must be identical, up to the normalizations listed in
// normalize() (each says why it is there).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { startPostgres, type PostgresOracle } from '../helpers/postgres-oracle.js';
import { connect, startQuiver, type QuiverServer } from '../helpers/quiver-server.js';

const PG_PSQL = '/usr/lib/postgresql/15/bin/psql';
const PSQL = existsSync(PG_PSQL) ? PG_PSQL : 'psql';

const SCHEMA = [
  'CREATE SCHEMA app',
  'CREATE ROLE reporter',
  `CREATE TABLE customers (id serial PRIMARY KEY, email varchar(100) NOT NULL UNIQUE, name text,
     created_at timestamp DEFAULT now(), score numeric(10,2) DEFAULT 0 CHECK (score >= 0))`,
  `CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id int NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
     amount numeric(12,2) NOT NULL, status text DEFAULT 'new', note varchar(20), CONSTRAINT amount_positive CHECK (amount > 0))`,
  'CREATE INDEX orders_status_idx ON orders (status)',
  'CREATE UNIQUE INDEX orders_note_desc ON orders (note DESC, customer_id)',
  'CREATE VIEW big_orders AS SELECT id, amount FROM orders WHERE amount > 100',
  'CREATE SEQUENCE invoice_seq START 1000',
  'CREATE TABLE app.items (sku text PRIMARY KEY, qty int NOT NULL DEFAULT 1, customer int REFERENCES customers(id))',
];

let oracle: PostgresOracle;
let quiver: QuiverServer;
let pgClient: pg.Client;
let qClient: pg.Client;

beforeAll(async () => {
  [oracle, quiver] = await Promise.all([startPostgres(), startQuiver({ memory: true })]);
  [pgClient, qClient] = await Promise.all([connect(oracle.port), connect(quiver.port)]);
  for (const sql of SCHEMA) {
    await pgClient.query(sql);
    await qClient.query(sql);
  }
}, 120_000);

afterAll(async () => {
  await Promise.all([pgClient?.end(), qClient?.end()]);
  await Promise.all([oracle?.stop(), quiver?.stop()]);
});

function psql(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(PSQL, ['-X', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-c', command],
      { env: { ...process.env, PGPASSWORD: '', PAGER: '', COLUMNS: '200' } }, (err, stdout, stderr) => {
        if (err !== null && stderr === '') { reject(err); return; }
        resolve(stdout + stderr);
      });
  });
}

/**
 * What legitimately differs:
 * - \l: QuiverDB has no template0 database (only template1 and postgres); its rows are dropped
 *   from PostgreSQL's listing and the row count adjusted.
 * Cells are compared with surrounding blanks stripped, so that the column widths that change with
 * the dropped rows do not matter.
 */
function normalize(out: string, command: string): string {
  let s = out;
  if (command === '\\l') {
    s = s.replace(/^ template0 \|.*\n(?: {11}\|.*\n)*/m, '');
    s = s.replace(/\((\d+) rows\)/, (_m, n: string) => `(${Number(n) - (out.includes(' template0 ') ? 1 : 0)} rows)`);
  }
  return s.split('\n').map((line) => line.split(/[|+]/).map((c) => c.trim()).join('|').replace(/^-+(\|-+)*$/, '---')).join('\n');
}

describe('psql describe commands match PostgreSQL 15', () => {
  const commands = ['\\dt', '\\d customers', '\\d orders', '\\d app.items', '\\d big_orders', '\\d invoice_seq',
    '\\d orders_note_desc', '\\di', '\\dn', '\\l', '\\du', '\\dv', '\\ds', '\\d', '\\dx', '\\dt app.*', '\\dn+',
    // Verbose forms: sizes agree while the tables are empty (QuiverDB's sizes are estimates).
    '\\d+ customers', '\\dt+', '\\di+', '\\ds+', '\\du+',
    // Lists of objects QuiverDB has none of beyond the built-ins (psql hides pg_catalog's).
    '\\df', '\\do', '\\dT', '\\dL', '\\dd', '\\dp', '\\ddp', '\\dc', '\\dD', '\\dO', '\\dX', '\\dy', '\\des', '\\dew',
    '\\deu', '\\dRs', '\\dRp'];
  for (const command of commands) {
    it(command, async () => {
      const [expected, actual] = await Promise.all([psql(oracle.port, command), psql(quiver.port, command)]);
      expect(actual).not.toMatch(/ERROR/);
      expect(normalize(actual, command)).toBe(normalize(expected, command));
    });
  }

  it('\\d customers shows every section psql prints for it', async () => {
    const out = await psql(quiver.port, '\\d customers');
    for (const part of ['Table "public.customers"', 'Indexes:', '"customers_pkey" PRIMARY KEY, btree (id)',
      'Check constraints:', 'Referenced by:', "nextval('customers_id_seq'::regclass)"]) expect(out).toContain(part);
    expect(await psql(quiver.port, '\\d orders')).toContain('Foreign-key constraints:');
  });
});

/** Runs the same query on both servers and returns the rows (all values as text). */
async function both(sql: string, params: unknown[] = []): Promise<[unknown[], unknown[]]> {
  const [a, b] = await Promise.all([pgClient.query(sql, params), qClient.query(sql, params)]);
  return [a.rows, b.rows];
}

describe('ORM introspection queries match PostgreSQL 15', () => {
  it('information_schema.columns (types, nullability, lengths, precision)', async () => {
    const [expected, actual] = await both(`
      SELECT table_schema, table_name, column_name, ordinal_position, is_nullable, data_type, udt_name,
             character_maximum_length, numeric_precision, numeric_scale, datetime_precision, is_identity
        FROM information_schema.columns
       WHERE table_schema IN ('public', 'app')
       ORDER BY table_schema, table_name, ordinal_position`);
    expect(actual).toEqual(expected);
  });

  it('information_schema.columns defaults', async () => {
    const [expected, actual] = await both(`
      SELECT table_name, column_name, column_default FROM information_schema.columns
       WHERE table_schema IN ('public', 'app') AND column_default IS NOT NULL ORDER BY 1, 2`);
    expect(actual).toEqual(expected);
  });

  it('defaults and CHECK constraints are printed as PostgreSQL prints them', async () => {
    const ddl = `CREATE TABLE exprs (a numeric DEFAULT 0, b numeric DEFAULT 1.5, c int8 DEFAULT 0, d text DEFAULT 'x',
      e varchar(5) DEFAULT 'y', f date DEFAULT '2020-01-01', g bool DEFAULT true, h float8 DEFAULT 0, i int DEFAULT -1,
      j numeric DEFAULT -2.5, k timestamptz DEFAULT now(), l text DEFAULT 'a' || 'b', m int DEFAULT 1 + 2,
      CONSTRAINT c1 CHECK (a > 0 AND b < 10.5), CONSTRAINT c2 CHECK (c > 0), CONSTRAINT c3 CHECK (d <> 'z'),
      CONSTRAINT c4 CHECK (h > 0.5), CONSTRAINT c5 CHECK (i BETWEEN 1 AND 5), CONSTRAINT c6 CHECK (j IS NOT NULL),
      CONSTRAINT c7 CHECK (length(d) > 2), CONSTRAINT c8 CHECK (m > i + 1), CONSTRAINT c9 CHECK (a > -1),
      CONSTRAINT c10 CHECK (c > 5000000000), CONSTRAINT c11 CHECK (d IN ('p', 'q')))`;
    await Promise.all([pgClient.query(ddl), qClient.query(ddl)]);
    const [d1, d2] = await both(`
      SELECT a.attname, pg_get_expr(d.adbin, d.adrelid, true) AS pretty, pg_get_expr(d.adbin, d.adrelid) AS plain
        FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
       WHERE d.adrelid = 'exprs'::regclass ORDER BY d.adnum`);
    expect(d2).toEqual(d1);
    const [c1, c2] = await both(`
      SELECT conname, pg_get_constraintdef(oid, true) AS pretty, pg_get_constraintdef(oid) AS plain
        FROM pg_constraint WHERE conrelid = 'exprs'::regclass ORDER BY conname`);
    expect(c2).toEqual(c1);
  });

  it('information_schema.tables', async () => {
    // is_insertable_into of views differs on purpose: PostgreSQL's simple views are auto-updatable,
    // QuiverDB's views are not (INSERT into a view fails), so QuiverDB says NO.
    const [expected, actual] = await both(`
      SELECT table_schema, table_name, table_type,
             CASE WHEN table_type = 'VIEW' THEN 'n/a' ELSE is_insertable_into END AS is_insertable_into
        FROM information_schema.tables
       WHERE table_schema IN ('public', 'app') ORDER BY 1, 2`);
    expect(actual).toEqual(expected);
    const [, views] = await both(`SELECT is_insertable_into FROM information_schema.tables WHERE table_name = 'big_orders'`);
    expect(views).toEqual([{ is_insertable_into: 'NO' }]);
  });

  it('primary keys through pg_index and pg_attribute (Prisma/Knex style)', async () => {
    const [expected, actual] = await both(`
      SELECT tc.relname AS table_name, a.attname AS column_name, ic.relname AS index_name, i.indisprimary, i.indisunique
        FROM pg_index i
        JOIN pg_class tc ON tc.oid = i.indrelid
        JOIN pg_class ic ON ic.oid = i.indexrelid
        JOIN pg_namespace n ON n.oid = tc.relnamespace
        JOIN pg_attribute a ON a.attrelid = tc.oid AND a.attnum = ANY(i.indkey)
       WHERE n.nspname IN ('public', 'app')
       ORDER BY 1, 3, 2`);
    expect(actual).toEqual(expected);
  });

  it('primary key columns via regclass and format_type', async () => {
    const [expected, actual] = await both(`
      SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS data_type
        FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
       WHERE i.indrelid = $1::regclass AND i.indisprimary`, ['orders']);
    expect(actual).toEqual(expected);
  });

  it('foreign keys through pg_constraint', async () => {
    const [expected, actual] = await both(`
      SELECT con.conname, src.relname AS table_name, tgt.relname AS referenced_table, con.confdeltype, con.confupdtype,
             con.conkey, con.confkey, pg_get_constraintdef(con.oid) AS definition, con.conrelid::regclass AS tbl
        FROM pg_constraint con
        JOIN pg_class src ON src.oid = con.conrelid
        JOIN pg_class tgt ON tgt.oid = con.confrelid
       WHERE con.contype = 'f' ORDER BY 1`);
    expect(actual).toEqual(expected);
  });

  it('constraints and their kinds', async () => {
    const [expected, actual] = await both(`
      SELECT c.relname, con.conname, con.contype, con.condeferrable, con.convalidated
        FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname IN ('public', 'app') ORDER BY 1, 2`);
    expect(actual).toEqual(expected);
  });

  it('relations, kinds and owners through pg_class', async () => {
    const [expected, actual] = await both(`
      SELECT n.nspname, c.relname, c.relkind, pg_get_userbyid(c.relowner) AS owner, c.relhasindex, c.relpersistence,
             pg_table_is_visible(c.oid) AS visible
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname IN ('public', 'app') ORDER BY 1, 2`);
    expect(actual).toEqual(expected);
  });

  it('index definitions', async () => {
    const [expected, actual] = await both(`
      SELECT indexname, indexdef FROM pg_indexes WHERE schemaname IN ('public', 'app') ORDER BY 1`);
    expect(actual).toEqual(expected);
  });

  // NOT NULL pseudo-constraints are named <schema oid>_<table oid>_<attnum>_not_null: OIDs differ.
  const oidNames = (rows: unknown[]): unknown[] => JSON.parse(JSON.stringify(rows).replace(/\d+_\d+_(\d+)_not_null/g, 'N_N_$1_not_null')) as unknown[];

  it('information_schema.table_constraints', async () => {
    const [expected, actual] = await both(`
      SELECT constraint_schema, constraint_name, table_schema, table_name, constraint_type, is_deferrable, initially_deferred,
             enforced, nulls_distinct
        FROM information_schema.table_constraints WHERE table_schema IN ('public', 'app') ORDER BY table_name, constraint_type, 2`);
    expect(oidNames(actual)).toEqual(oidNames(expected));
  });

  it('information_schema.key_column_usage, referential_constraints, constraint_column_usage (Knex/TypeORM style)', async () => {
    const [k1, k2] = await both(`
      SELECT kcu.table_name, kcu.column_name, kcu.constraint_name, kcu.ordinal_position, kcu.position_in_unique_constraint,
             tc.constraint_type, ccu.table_name AS foreign_table, ccu.column_name AS foreign_column, rc.update_rule, rc.delete_rule,
             rc.unique_constraint_name, rc.match_option
        FROM information_schema.key_column_usage kcu
        JOIN information_schema.table_constraints tc
          ON tc.constraint_name = kcu.constraint_name AND tc.constraint_schema = kcu.constraint_schema
        LEFT JOIN information_schema.referential_constraints rc
          ON rc.constraint_name = kcu.constraint_name AND rc.constraint_schema = kcu.constraint_schema
        LEFT JOIN information_schema.constraint_column_usage ccu
          ON tc.constraint_type = 'FOREIGN KEY' AND ccu.constraint_name = kcu.constraint_name AND ccu.constraint_schema = kcu.constraint_schema
       WHERE kcu.table_schema IN ('public', 'app') ORDER BY 1, 3, 4`);
    expect(k2).toEqual(k1);
  });

  it('information_schema.check_constraints', async () => {
    const [expected, actual] = await both(`
      SELECT cc.constraint_schema, cc.constraint_name, cc.check_clause
        FROM information_schema.check_constraints cc
       WHERE cc.constraint_schema IN ('public', 'app') AND cc.constraint_name NOT LIKE '%not_null' ORDER BY 2`);
    expect(actual).toEqual(expected);
    const [n1, n2] = await both(`
      SELECT constraint_name, check_clause FROM information_schema.check_constraints
       WHERE constraint_schema IN ('public', 'app') AND constraint_name LIKE '%not_null' ORDER BY 2`);
    expect(oidNames(n2).length).toBe(n1.length);
    expect(new Set(n2.map((r) => (r as { check_clause: string }).check_clause))).toEqual(new Set(n1.map((r) => (r as { check_clause: string }).check_clause)));
  });

  it('information_schema.sequences', async () => {
    const [expected, actual] = await both(`SELECT * FROM information_schema.sequences ORDER BY sequence_schema, sequence_name`);
    expect(actual).toEqual(expected);
  });

  it('serial sequences', async () => {
    const [expected, actual] = await both(`
      SELECT pg_get_serial_sequence('customers', 'id') AS a, pg_get_serial_sequence('public.orders', 'id') AS b,
             pg_get_serial_sequence('customers', 'name') AS c`);
    expect(actual).toEqual(expected);
  });
});
