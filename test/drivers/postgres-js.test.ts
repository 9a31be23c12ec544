// postgres.js (the `postgres` npm driver) against QuiverDB: its extended-protocol pipelining,
// statement describe, type parsing, transactions and error reporting work unchanged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { startQuiver, type QuiverServer } from '../helpers/quiver-server.js';

let server: QuiverServer;
let sql: postgres.Sql;

beforeAll(async () => {
  server = await startQuiver({ memory: true });
  sql = postgres({ host: '127.0.0.1', port: server.port, user: 'postgres', database: 'postgres', max: 4, onnotice: () => undefined });
  await sql`CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL, price numeric(10,2), tags text[], at timestamptz DEFAULT now())`;
}, 60_000);

afterAll(async () => {
  await sql?.end({ timeout: 5 });
  await server?.stop();
});

describe('postgres.js', () => {
  it('inserts with parameters and reads typed rows back', async () => {
    const inserted = await sql`INSERT INTO items (name, price, tags) VALUES (${'apple'}, ${'1.25'}, ${['red', 'fruit']}) RETURNING id, name`;
    expect(inserted).toEqual([{ id: 1, name: 'apple' }]);
    const rows = await sql`SELECT id, name, price, tags, at FROM items WHERE name = ${'apple'}`;
    expect(rows.length).toBe(1);
    expect(rows[0]!.price).toBe('1.25');
    expect(rows[0]!.tags).toEqual(['red', 'fruit']);
    expect(rows[0]!.at).toBeInstanceOf(Date);
  });

  it('pipelines many queries at once', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => sql`SELECT ${i}::int AS n, ${`v${i}`} AS s`));
    expect(results.map((r) => r[0]!.n)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(results[7]![0]!.s).toBe('v7');
  });

  it('runs transactions and rolls back on error', async () => {
    await sql.begin(async (tx) => {
      await tx`INSERT INTO items (name) VALUES ('in-tx')`;
    });
    await expect(sql.begin(async (tx) => {
      await tx`INSERT INTO items (name) VALUES ('rolled-back')`;
      await tx`SELECT 1/0`;
    })).rejects.toMatchObject({ code: '22012' });
    const names = (await sql`SELECT name FROM items ORDER BY id`).map((r) => r.name);
    expect(names).toContain('in-tx');
    expect(names).not.toContain('rolled-back');
  });

  it('reports PostgreSQL errors with their SQLSTATE and position', async () => {
    await expect(sql`SELECT nope FROM items`).rejects.toMatchObject({ code: '42703', position: '8' });
    await expect(sql`INSERT INTO items (id, name) VALUES (1, 'dup')`).rejects.toMatchObject({ code: '23505' });
  });

  it('uses unsafe (simple protocol) queries with several statements', async () => {
    const r = await sql.unsafe('SELECT 1 AS a; SELECT 2 AS b');
    expect(r.length).toBe(2);
  });
});
