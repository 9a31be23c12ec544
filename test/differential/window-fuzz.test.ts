// Window functions, generated: fast-check builds window calls (every built-in window function and
// the common aggregates) over random PARTITION BY / ORDER BY keys and frames (ROWS, RANGE with
// typed offsets, GROUPS, EXCLUDE) on a table with NULLs and ties; each query runs on PostgreSQL 15
// and on QuiverDB and the answers (rows by id, or the SQLSTATE) must be the same. Calls whose value
// depends on the order of peers get `id` as a last ORDER BY key, since PostgreSQL's sort leaves
// peers in no particular order.
import fc from 'fast-check';
import type pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { assertSameAnswers } from '../helpers/generated-differential.js';
import { useServerPair } from '../helpers/server-pair.js';
import { connect } from '../helpers/quiver-server.js';

const pair = useServerPair();
let pgClient: pg.Client;
let quiver: pg.Client;

const ROWS = 40;

beforeAll(async () => {
  pgClient = await connect(pair.port('postgres'));
  quiver = await connect(pair.port('quiver'));
  const values: string[] = [];
  for (let id = 1; id <= ROWS; id++) {
    const nul = (k: number): boolean => (id * k) % 11 === 0;
    const a = nul(3) ? 'NULL' : String((id * 7) % 9);
    const b = nul(5) ? 'NULL' : String(((id * 13) % 17) / 4);
    const c = nul(7) ? 'NULL' : String(((id * 29) % 23) / 2);
    const d = nul(2) ? 'NULL' : `'2024-01-01'::date + ${(id * 5) % 13}`;
    values.push(`(${id}, ${id % 4}, ${a}, ${b}, ${c}, ${d})`);
  }
  for (const client of [pgClient, quiver]) {
    await client.query('CREATE TABLE wf (id int PRIMARY KEY, g int, a int, b float8, c numeric, d date)');
    await client.query(`INSERT INTO wf VALUES ${values.join(', ')}`);
  }
}, 60_000);

afterAll(async () => {
  await pgClient?.end();
  await quiver?.end();
});

type Col = 'g' | 'a' | 'b' | 'c' | 'd';
interface OrderKey { col: Col; desc: boolean; nulls: '' | ' NULLS FIRST' | ' NULLS LAST' }

/** RANGE offsets in each ORDER BY column's own terms. */
const rangeOffset: Record<Col, (n: number) => string> = {
  g: (n) => String(n), a: (n) => String(n), b: (n) => (n / 2).toFixed(1), c: (n) => `${n}.5`, d: (n) => `'${n} days'`,
};

const col = fc.constantFrom<Col>('g', 'a', 'b', 'c', 'd');
const orderKey = fc.record({ col, desc: fc.boolean(), nulls: fc.constantFrom<OrderKey['nulls']>('', ' NULLS FIRST', ' NULLS LAST') });

const call = fc.oneof(
  fc.constantFrom('rank()', 'dense_rank()', 'percent_rank()', 'cume_dist()', 'count(*)', 'count(a)', 'sum(a)', 'sum(c)', 'min(b)', 'max(d)', 'avg(a)', 'bool_or(a > 4)'),
  fc.constantFrom('row_number()', 'first_value(a)', 'last_value(c)', 'string_agg(a::text, \',\')', 'array_agg(id)').map((s) => `${s}!`),
  fc.integer({ min: 1, max: 5 }).map((k) => `ntile(${k})!`),
  fc.tuple(fc.constantFrom('lag', 'lead'), fc.integer({ min: 0, max: 3 }), fc.boolean()).map(([f, off, def]) => `${f}(b, ${off}${def ? ', -1' : ''})!`),
  fc.integer({ min: 1, max: 4 }).map((n) => `nth_value(d, ${n})!`),
);

/** A frame clause for the given ORDER BY (none, or one PostgreSQL accepts). */
function frame(order: OrderKey[]): fc.Arbitrary<string> {
  const modes = ['ROWS', ...(order.length > 0 ? ['GROUPS'] : []), 'RANGE'];
  return fc.record({
    mode: fc.constantFrom(...modes),
    start: fc.integer({ min: 0, max: 3 }),
    end: fc.integer({ min: 0, max: 3 }),
    n1: fc.integer({ min: 0, max: 3 }),
    n2: fc.integer({ min: 0, max: 3 }),
    exclude: fc.constantFrom('', ' EXCLUDE CURRENT ROW', ' EXCLUDE GROUP', ' EXCLUDE TIES', ' EXCLUDE NO OTHERS'),
    use: fc.boolean(),
  }).map(({ mode, start, end, n1, n2, exclude, use }) => {
    if (!use) return '';
    const offsets = mode !== 'RANGE' || order.length === 1;
    const off = (n: number): string => (mode === 'RANGE' ? rangeOffset[order[0]!.col](n) : String(n));
    // 0 UNBOUNDED PRECEDING, 1 n PRECEDING, 2 CURRENT ROW, 3 n FOLLOWING; an end never before its start.
    const bound = (k: number, n: number, isEnd: boolean): string => {
      if (!offsets && (k === 1 || k === 3)) k = 2;
      if (k === 0) return isEnd ? 'UNBOUNDED FOLLOWING' : 'UNBOUNDED PRECEDING';
      if (k === 1) return `${off(n)} PRECEDING`;
      if (k === 2) return 'CURRENT ROW';
      return `${off(n)} FOLLOWING`;
    };
    const s = Math.min(start, end === 0 ? 3 : end);
    const e = end === 0 ? 0 : Math.max(end, s);
    return ` ${mode} BETWEEN ${bound(s, n1, false)} AND ${bound(e, n2, true)}${exclude}`;
  });
}

const query = fc.record({
  call,
  partition: fc.constantFrom('', 'PARTITION BY g', 'PARTITION BY a % 3', 'PARTITION BY g, d IS NULL'),
  order: fc.array(orderKey, { maxLength: 2 }),
}).chain((q) => frame(q.order).map((f) => {
  const orderSensitive = q.call.endsWith('!') || f.includes('ROWS');
  const keys = q.order.map((k) => `${k.col}${k.desc ? ' DESC' : ''}${k.nulls}`);
  // RANGE offsets need exactly one ORDER BY key: peers then stay peers, and the call must not care.
  const tieBreak = orderSensitive && !/RANGE BETWEEN .*(PRECEDING|FOLLOWING)/.test(f.replace(/UNBOUNDED (PRECEDING|FOLLOWING)/g, ''));
  const order = [...keys, ...(tieBreak ? ['id'] : [])];
  const over = [q.partition, order.length > 0 ? `ORDER BY ${order.join(', ')}` : ''].filter((s) => s !== '').join(' ');
  const fn = q.call.replace(/!$/, '');
  const safe = !orderSensitive || tieBreak;
  return { sql: `SELECT id, ${fn} OVER (${over}${f}) FROM wf ORDER BY id`, safe };
})).filter((q) => q.safe).map((q) => q.sql);

/** RANGE frames with offsets: one ORDER BY key, aggregates that do not care about the order of peers. */
const rangeQuery = fc.record({
  call: fc.constantFrom('count(*)', 'count(c)', 'sum(a)', 'min(b)', 'max(d)', 'avg(a)', 'sum(c)'),
  partition: fc.constantFrom('', 'PARTITION BY g '),
  key: orderKey,
  start: fc.constantFrom('UNBOUNDED PRECEDING', 'p PRECEDING', 'CURRENT ROW', 'f FOLLOWING'),
  end: fc.constantFrom('UNBOUNDED FOLLOWING', 'p PRECEDING', 'CURRENT ROW', 'f FOLLOWING'),
  p: fc.integer({ min: 0, max: 6 }),
  f: fc.integer({ min: 0, max: 6 }),
  exclude: fc.constantFrom('', ' EXCLUDE CURRENT ROW', ' EXCLUDE GROUP', ' EXCLUDE TIES'),
}).map((q) => {
  const rank = (b: string): number => ['UNBOUNDED PRECEDING', 'p PRECEDING', 'CURRENT ROW', 'f FOLLOWING', 'UNBOUNDED FOLLOWING'].indexOf(b);
  const [start, end] = rank(q.start) <= rank(q.end) ? [q.start, q.end] : [q.end === 'UNBOUNDED FOLLOWING' ? 'CURRENT ROW' : q.end, q.start];
  const off = (b: string): string => b.replace('p ', `${rangeOffset[q.key.col](q.p)} `).replace('f ', `${rangeOffset[q.key.col](q.f)} `);
  const key = `${q.key.col}${q.key.desc ? ' DESC' : ''}${q.key.nulls}`;
  return `SELECT id, ${q.call} OVER (${q.partition}ORDER BY ${key} RANGE BETWEEN ${off(start)} AND ${off(end)}${q.exclude}) FROM wf ORDER BY id`;
});

describe('window functions, generated, against PostgreSQL', () => {
  it('every generated window query answers as PostgreSQL does', async () => {
    await assertSameAnswers(query, pgClient, quiver, 300);
  }, 300_000);

  it('every generated RANGE frame with offsets answers as PostgreSQL does', async () => {
    await assertSameAnswers(rangeQuery, pgClient, quiver, 200);
  }, 300_000);
});
