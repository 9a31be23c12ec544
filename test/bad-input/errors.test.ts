// Bad statements through the server, compared with PostgreSQL 15: syntax errors (code, message and
// cursor position), unknown tables/columns/functions/types, invalid and out-of-range values,
// division by zero, NaN and infinities. After each one both the same connection and a new one keep
// working and the committed fixture is intact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pair } from './harness.js';

let pair: Pair;

const SETUP = [
  'CREATE TABLE t (x int, y text)',
  "INSERT INTO t VALUES (1, 'a'), (2, 'b')",
  'CREATE TABLE chk (a int CHECK (a > 0), v varchar(3), n numeric(4,2), d date NOT NULL)',
  'CREATE TABLE fl (f float8 PRIMARY KEY, n numeric UNIQUE)',
  "INSERT INTO fl VALUES ('NaN', 'NaN'), ('Infinity', 'Infinity'), ('-Infinity', '-Infinity'), (0, 0), (1.5, 2.5), (-7, -7)",
];

beforeAll(async () => {
  pair = await Pair.start();
  for (const sql of SETUP) {
    const { postgres, quiver } = await pair.both(sql);
    expect(postgres.code, sql).toBeUndefined();
    expect(quiver, sql).toEqual(postgres);
  }
}, 120_000);

afterAll(async () => {
  await pair?.stop();
});

/** Each statement must answer on QuiverDB exactly as on PostgreSQL (rows, or code + message + position). */
function same(group: string, statements: string[]): void {
  describe(group, () => {
    for (const sql of statements) {
      it(sql.length > 100 ? `${sql.slice(0, 100)}…` : sql, async () => {
        const { postgres, quiver } = await pair.both(sql);
        expect(quiver).toEqual(postgres);
        await pair.expectHealthy(sql);
      });
    }
  });
}

same('syntax errors report PostgreSQL\'s code, message and position', [
  'SELEC 1',
  '  selec 1',
  'SELECT 1 +',
  'SELECT * FORM t',
  "SELECT 'abc",
  'SELECT $$abc',
  'SELECT "abc',
  'SELECT 1 /* never closed',
  'CREATE TABLE z (x int',
  'SELECT * FROM t WHERE x = = 1',
  'SELECT 1 FROM',
  'SELECT ,',
  'SELECT 1; SELEC 2',
  "SELECT 'héllo ✓' FORM t",
  'INSERT INTO t VALUES (',
  'UPDATE t SET WHERE x = 1',
  'SELECT * FROM t ORDER',
  'SELECT 1 AS',
  'SELECT (1',
  'SELECT 1)',
  "SELECT E'\\xZZ'",
  'SELECT 1 2',
  ';;;',
]);

same('unknown tables, columns, functions, types and operators', [
  'SELECT * FROM no_such_table',
  'SELECT * FROM nope.t',
  'SELECT nope FROM t',
  'SELECT t.nope FROM t',
  'SELECT x FROM t WHERE nope = 1',
  'INSERT INTO t (zz) VALUES (1)',
  'UPDATE t SET nope = 1',
  'DELETE FROM no_such_table',
  'DROP TABLE no_such_table',
  'SELECT no_such_function(1)',
  'SELECT no_such_function()',
  'SELECT count(x, y) FROM t',
  'SELECT abs(y) FROM t',
  'SELECT x FROM t WHERE y > 1',
  'SELECT 1::no_such_type',
  'SELECT x FROM t, t',
  'SELECT x FROM t a, t b',
  'SELECT x FROM t GROUP BY y',
  'SELECT sum(x) FROM t WHERE sum(x) > 1',
]);

same('invalid and out-of-range values', [
  "SELECT 'abc'::int",
  "SELECT 'inf'::int",
  "SELECT x + 'a' FROM t",
  "SELECT abs('x')",
  "INSERT INTO t VALUES ('abc')",
  'INSERT INTO t VALUES (1, 2, 3)',
  'SELECT 2147483648::int',
  'SELECT 32768::int2',
  'SELECT 9223372036854775808::int8',
  'SELECT 2147483647 + 1',
  'SELECT (-2147483648)::int / -1',
  'SELECT 9223372036854775807::int8 * 2',
  'SELECT -(-9223372036854775808)::int8',
  'SELECT 12345::numeric(3,0)',
  "SELECT '2024-13-01'::date",
  "SELECT '2024-02-30'::date",
  "SELECT 'xyz'::timestamp",
  "SELECT '25:00'::time",
  "SELECT '{1,2'::int[]",
  "SELECT '{bad json'::json",
  "SELECT 'maybe'::bool",
  "SELECT 'not-a-uuid'::uuid",
  "SELECT '\\xzz'::bytea",
  'SELECT chr(0)',
  'INSERT INTO chk VALUES (0, \'a\', 1, \'2020-01-01\')',
  'INSERT INTO chk VALUES (1, \'abcd\', 1, \'2020-01-01\')',
  'INSERT INTO chk VALUES (1, \'a\', 100, \'2020-01-01\')',
  'INSERT INTO chk VALUES (1, \'a\', 1, NULL)',
  "INSERT INTO keep VALUES (1, 'dup')",
  "INSERT INTO keep VALUES (9, 'one')",
  "UPDATE keep SET v = 'two' WHERE id = 1",
  'UPDATE keep SET id = NULL WHERE id = 1',
  "SELECT '1e400'::float8",
  'SELECT 1e400::float8',
  "SELECT '1e-400'::float8",
  'SELECT 1e-400::float8',
  "SELECT '3.5e38'::float4",
  'SELECT 3.5e38::float4',
  "SELECT 'NaN'::float8::int",
  "SELECT 'Infinity'::float8::int8",
  "SELECT 'NaN'::numeric::int",
  "SELECT 'Infinity'::numeric::int",
  'SELECT 10::numeric ^ 1000000',
  'SELECT exp(10000)',
  "SELECT 2::float8 ^ 10000",
  'SELECT sqrt(-1)',
  'SELECT ln(0)',
  'SELECT power(0, -1)',
  "SELECT repeat('x', -1)",
  "SELECT substr('abc', 1, -1)",
  "SELECT '2000-01-01'::date + 2147483647",
]);

same('division by zero', [
  'SELECT 1 / 0',
  'SELECT 1.0 / 0',
  'SELECT 1 % 0',
  'SELECT 5 % 0.0',
  'SELECT 1::float8 / 0',
  'SELECT 1 / 0.0::float8',
  'SELECT 1::int2 / 0::int2',
  'SELECT 1::int8 / 0',
  "SELECT 'Infinity'::float8 / 0",
  "SELECT 'NaN'::float8 / 0",
  "SELECT 'NaN'::numeric / 0",
  'SELECT div(1, 0)',
  'SELECT mod(1, 0)',
  'SELECT x / (x - x) FROM t',
  'SELECT sum(x) / count(*) FROM t WHERE x > 100',
  'SELECT avg(x) FROM t WHERE x > 100',
  'UPDATE t SET x = x / 0',
]);

same('NaN and infinities', [
  "SELECT 'NaN'::float8 = 'NaN'::float8, 'NaN'::float8 > 'Infinity'::float8, 'NaN'::float8 < 1",
  "SELECT 'Infinity'::float8 - 'Infinity'::float8, 0 * 'Infinity'::float8, 'Infinity'::float8 + 1",
  "SELECT 'NaN'::numeric > 1000, 'Infinity'::numeric - 'Infinity'::numeric, 'NaN'::numeric = 'NaN'::numeric",
  "SELECT 'nan'::float4, '+inf'::float8, '-inf'::float8, 'infinity'::numeric, '-inf'::numeric, '-0'::float8",
  "SELECT 'NaN'::float8::numeric, 'Infinity'::numeric::float8, round('NaN'::numeric), floor('Infinity'::float8)",
  "SELECT greatest('NaN'::float8, 1), least('NaN'::float8, 'Infinity'), 'NaN'::float8 IN (1, 'NaN')",
  'SELECT f, n FROM fl ORDER BY f',
  'SELECT f, n FROM fl ORDER BY n DESC',
  'SELECT f FROM fl ORDER BY f DESC NULLS LAST LIMIT 2',
  "SELECT f FROM fl WHERE f = 'NaN'",
  "SELECT n FROM fl WHERE n = 'NaN'",
  'SELECT f FROM fl WHERE f > 1e308 ORDER BY f',
  "SELECT f FROM fl WHERE f BETWEEN '-Infinity' AND 0 ORDER BY f",
  'SELECT max(f), min(f), sum(f), avg(f), max(n), min(n), sum(n), avg(n) FROM fl',
  "SELECT sum(f), avg(n) FROM fl WHERE f <> 'NaN'",
  'SELECT count(DISTINCT f), count(DISTINCT n) FROM fl',
  "INSERT INTO fl VALUES ('NaN', 7)",
  "INSERT INTO fl VALUES ('-0', 8)",
  "INSERT INTO fl VALUES (8, 'NaN')",
  "SELECT 'infinity'::timestamp + interval '1 day', 'infinity'::date > '2020-01-01'::date",
  "SELECT 'infinity'::date - 1, '-infinity'::timestamptz < '1900-01-01'::timestamptz",
  "SELECT extract(year from 'infinity'::timestamp), 'infinity'::timestamp - 'infinity'::timestamp",
]);

describe('errors inside transactions', () => {
  it('a failing statement in a multi-statement query rolls back the statements before it', async () => {
    for (const t of ['postgres', 'quiver'] as const) {
      const c = pair.client(t);
      await c.query('CREATE TABLE multi (x int)');
      await expect(c.query('INSERT INTO multi VALUES (1); SELECT 1 / 0; INSERT INTO multi VALUES (2)'))
        .rejects.toMatchObject({ code: '22012' });
      expect((await c.query({ text: 'SELECT count(*) FROM multi', rowMode: 'array' })).rows, t).toEqual([['0']]);
      await c.query('DROP TABLE multi');
    }
    await pair.expectHealthy('a failing multi-statement query');
  });

  it('an error aborts the transaction block (25P02) and committed data survives the rollback', async () => {
    const seen = new Map<string, unknown>();
    for (const t of ['postgres', 'quiver'] as const) {
      const c = pair.client(t);
      const steps: unknown[] = [];
      for (const sql of ['BEGIN', "UPDATE keep SET v = 'changed' WHERE id = 1", 'SELECT nope FROM keep', 'SELECT 1',
        "UPDATE keep SET v = 'again'", 'COMMIT', 'SELECT v FROM keep WHERE id = 1']) {
        const o = await c.query({ text: sql, rowMode: 'array' }).then((r) => [r.command, r.rows], (e: { code?: string }) => e.code);
        steps.push(o);
      }
      seen.set(t, steps);
    }
    expect(seen.get('postgres')).toEqual([['BEGIN', []], ['UPDATE', []], '42703', '25P02', '25P02', ['ROLLBACK', []], ['SELECT', [['one']]]]);
    expect(seen.get('quiver')).toEqual(seen.get('postgres'));
    await pair.expectHealthy('an aborted transaction block');
  });
});

describe('what is not supported fails with 0A000 instead of answering something else', () => {
  it('an aggregate over outer-query columns only, written in a subquery (PostgreSQL aggregates the outer query)', async () => {
    const c = pair.client('quiver');
    for (const sql of ['SELECT (SELECT sum(t.x) FROM fl LIMIT 1) FROM t', 'SELECT (SELECT 1 FROM fl WHERE fl.f = max(t.x)) FROM t']) {
      await expect(c.query(sql), sql).rejects.toMatchObject({ code: '0A000', message: 'aggregate functions over columns of an outer query only are not supported' });
    }
    // mixed levels aggregate the subquery's rows, as in PostgreSQL
    const { postgres, quiver } = await pair.both('SELECT x, (SELECT sum(t.x + fl.f) FILTER (WHERE fl.f > 0 AND fl.f < 10) FROM fl) FROM t ORDER BY x');
    expect(quiver).toEqual(postgres);
    await pair.expectHealthy('an outer-level aggregate');
  });
});
