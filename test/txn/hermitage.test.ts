// The anomaly tests of Martin Kleppmann's "hermitage" study (github.com/ept/hermitage, postgres.md)
// run at READ COMMITTED, REPEATABLE READ and SERIALIZABLE, each against the real PostgreSQL 15 and
// QuiverDB in the same test: QuiverDB's trace (rows of every SELECT, command tags, SQLSTATEs, which
// statements block, final table) must equal PostgreSQL's, and PostgreSQL's must match the annotations.
import { describe, expect, it } from 'vitest';
import { connect } from '../helpers/quiver-server.js';
import { useServerPair } from '../helpers/server-pair.js';
import { closeClient, err, expectedTrace, rows, runSteps, type Step } from './step-runner.js';

type Level = 'read committed' | 'repeatable read' | 'serializable';
const LEVELS: Level[] = ['read committed', 'repeatable read', 'serializable'];

const servers = useServerPair();

/** Outcome by isolation level: `rc` at READ COMMITTED, `rr` at REPEATABLE READ, `ser` (default `rr`) at SERIALIZABLE. */
function by(level: Level, rc: string, rr: string, ser: string = rr): string {
  return level === 'read committed' ? rc : level === 'repeatable read' ? rr : ser;
}

function begin(s: number, level: Level): Step[] {
  return [
    { s, sql: 'begin', out: 'BEGIN' },
    { s, sql: `set transaction isolation level ${level}`, out: 'SET' },
  ];
}

const SELECT_ALL = 'select * from test';

/** Each scenario's steps at one isolation level, with PostgreSQL 15's outcomes. */
const SCENARIOS: Record<string, (l: Level) => Step[]> = {
  // Write cycles: T2's write waits for T1's row lock.
  'G0 (write cycles)': (l) => [
    ...begin(1, l), ...begin(2, l),
    { s: 1, sql: 'update test set value = 11 where id = 1', out: 'UPDATE 1' },
    { s: 2, sql: 'update test set value = 12 where id = 1', blocks: true, out: by(l, 'UPDATE 1', err('40001')) },
    { s: 1, sql: 'update test set value = 21 where id = 2', out: 'UPDATE 1' },
    { s: 1, sql: 'commit', out: 'COMMIT', unblocks: [2] },
    { s: 1, sql: SELECT_ALL, out: rows([1, 11], [2, 21]) },
    { s: 2, sql: 'update test set value = 22 where id = 2', out: by(l, 'UPDATE 1', err('25P02')) },
    { s: 2, sql: 'commit', out: by(l, 'COMMIT', 'ROLLBACK') },
    { s: 1, sql: SELECT_ALL, out: by(l, rows([1, 12], [2, 22]), rows([1, 11], [2, 21])) },
  ],
  // Aborted reads: an aborted write is never seen.
  'G1a (aborted reads)': (l) => [
    ...begin(1, l), ...begin(2, l),
    { s: 1, sql: 'update test set value = 101 where id = 1', out: 'UPDATE 1' },
    { s: 2, sql: SELECT_ALL, out: rows([1, 10], [2, 20]) },
    { s: 1, sql: 'abort', out: 'ROLLBACK' },
    { s: 2, sql: SELECT_ALL, out: rows([1, 10], [2, 20]) },
    { s: 2, sql: 'commit', out: 'COMMIT' },
  ],
  // Intermediate reads: only the final committed value is seen.
  'G1b (intermediate reads)': (l) => [
    ...begin(1, l), ...begin(2, l),
    { s: 1, sql: 'update test set value = 101 where id = 1', out: 'UPDATE 1' },
    { s: 2, sql: SELECT_ALL, out: rows([1, 10], [2, 20]) },
    { s: 1, sql: 'update test set value = 11 where id = 1', out: 'UPDATE 1' },
    { s: 1, sql: 'commit', out: 'COMMIT' },
    { s: 2, sql: SELECT_ALL, out: by(l, rows([1, 11], [2, 20]), rows([1, 10], [2, 20])) },
    { s: 2, sql: 'commit', out: 'COMMIT' },
  ],
  // Circular information flow.
  'G1c (circular information flow)': (l) => [
    ...begin(1, l), ...begin(2, l),
    { s: 1, sql: 'update test set value = 11 where id = 1', out: 'UPDATE 1' },
    { s: 2, sql: 'update test set value = 22 where id = 2', out: 'UPDATE 1' },
    { s: 1, sql: 'select * from test where id = 2', out: rows([2, 20]) },
    { s: 2, sql: 'select * from test where id = 1', out: rows([1, 10]) },
    { s: 1, sql: 'commit', out: 'COMMIT' },
    { s: 2, sql: 'commit', out: by(l, 'COMMIT', 'COMMIT', err('40001')) },
  ],
  // Observed transaction vanishes.
  'OTV (observed transaction vanishes)': (l) => [
    ...begin(1, l), ...begin(2, l), ...begin(3, l),
    { s: 1, sql: 'update test set value = 11 where id = 1', out: 'UPDATE 1' },
    { s: 1, sql: 'update test set value = 19 where id = 2', out: 'UPDATE 1' },
    { s: 2, sql: 'update test set value = 12 where id = 1', blocks: true, out: by(l, 'UPDATE 1', err('40001')) },
    { s: 1, sql: 'commit', out: 'COMMIT', unblocks: [2] },
    { s: 3, sql: 'select * from test where id = 1', out: rows([1, 11]) },
    { s: 2, sql: 'update test set value = 18 where id = 2', out: by(l, 'UPDATE 1', err('25P02')) },
    { s: 3, sql: 'select * from test where id = 2', out: rows([2, 19]) },
    { s: 2, sql: 'commit', out: by(l, 'COMMIT', 'ROLLBACK') },
    { s: 3, sql: 'select * from test where id = 2', out: by(l, rows([2, 18]), rows([2, 19])) },
    { s: 3, sql: 'select * from test where id = 1', out: by(l, rows([1, 12]), rows([1, 11])) },
    { s: 3, sql: 'commit', out: 'COMMIT' },
  ],
  // Predicate-many-preceders: a predicate read sees a row inserted by a later-committed transaction.
  'PMP (predicate-many-preceders)': (l) => [
    ...begin(1, l), ...begin(2, l),
    { s: 1, sql: 'select * from test where value = 30', out: rows() },
    { s: 2, sql: 'insert into test (id, value) values(3, 30)', out: 'INSERT 0 1' },
    { s: 2, sql: 'commit', out: 'COMMIT' },
    { s: 1, sql: 'select * from test where value % 3 = 0', out: by(l, rows([3, 30]), rows()) },
    { s: 1, sql: 'commit', out: 'COMMIT' },
  ],
  // PMP for write predicates: READ COMMITTED re-checks the predicate on the newest version.
  'PMP-write (predicate-many-preceders, write predicates)': (l) => [
    ...begin(1, l), ...begin(2, l),
    { s: 1, sql: 'update test set value = value + 10', out: 'UPDATE 2' },
    { s: 2, sql: 'delete from test where value = 20', blocks: true, out: by(l, 'DELETE 0', err('40001')) },
    { s: 1, sql: 'commit', out: 'COMMIT', unblocks: [2] },
    { s: 2, sql: 'select * from test where value = 20', out: by(l, rows([1, 20]), err('25P02')) },
    { s: 2, sql: 'commit', out: by(l, 'COMMIT', 'ROLLBACK') },
  ],
  // Lost update.
  'P4 (lost update)': (l) => [
    ...begin(1, l), ...begin(2, l),
    { s: 1, sql: 'select * from test where id = 1', out: rows([1, 10]) },
    { s: 2, sql: 'select * from test where id = 1', out: rows([1, 10]) },
    { s: 1, sql: 'update test set value = 11 where id = 1', out: 'UPDATE 1' },
    { s: 2, sql: 'update test set value = 11 where id = 1', blocks: true, out: by(l, 'UPDATE 1', err('40001')) },
    { s: 1, sql: 'commit', out: 'COMMIT', unblocks: [2] },
    { s: 2, sql: 'commit', out: by(l, 'COMMIT', 'ROLLBACK') },
  ],
  // Read skew.
  'G-single (read skew)': (l) => [
    ...begin(1, l), ...begin(2, l),
    { s: 1, sql: 'select * from test where id = 1', out: rows([1, 10]) },
    { s: 2, sql: 'select * from test where id = 1', out: rows([1, 10]) },
    { s: 2, sql: 'select * from test where id = 2', out: rows([2, 20]) },
    { s: 2, sql: 'update test set value = 12 where id = 1', out: 'UPDATE 1' },
    { s: 2, sql: 'update test set value = 18 where id = 2', out: 'UPDATE 1' },
    { s: 2, sql: 'commit', out: 'COMMIT' },
    { s: 1, sql: 'select * from test where id = 2', out: by(l, rows([2, 18]), rows([2, 20])) },
    { s: 1, sql: 'commit', out: 'COMMIT' },
  ],
  // Read skew through predicate dependencies.
  'G-single-dependencies (read skew, predicate dependencies)': (l) => [
    ...begin(1, l), ...begin(2, l),
    { s: 1, sql: 'select * from test where value % 5 = 0', out: rows([1, 10], [2, 20]) },
    { s: 2, sql: 'update test set value = 12 where value = 10', out: 'UPDATE 1' },
    { s: 2, sql: 'commit', out: 'COMMIT' },
    { s: 1, sql: 'select * from test where value % 3 = 0', out: by(l, rows([1, 12]), rows()) },
    { s: 1, sql: 'commit', out: 'COMMIT' },
  ],
  // Read skew through a write predicate.
  'G-single-write (read skew, write predicate)': (l) => [
    ...begin(1, l), ...begin(2, l),
    { s: 1, sql: 'select * from test where id = 1', out: rows([1, 10]) },
    { s: 2, sql: SELECT_ALL, out: rows([1, 10], [2, 20]) },
    { s: 2, sql: 'update test set value = 12 where id = 1', out: 'UPDATE 1' },
    { s: 2, sql: 'update test set value = 18 where id = 2', out: 'UPDATE 1' },
    { s: 2, sql: 'commit', out: 'COMMIT' },
    { s: 1, sql: 'delete from test where value = 20', out: by(l, 'DELETE 0', err('40001')) },
    { s: 1, sql: 'abort', out: 'ROLLBACK' },
  ],
  // Write skew.
  'G2-item (write skew)': (l) => [
    ...begin(1, l), ...begin(2, l),
    { s: 1, sql: 'select * from test where id in (1,2)', out: rows([1, 10], [2, 20]) },
    { s: 2, sql: 'select * from test where id in (1,2)', out: rows([1, 10], [2, 20]) },
    { s: 1, sql: 'update test set value = 11 where id = 1', out: 'UPDATE 1' },
    { s: 2, sql: 'update test set value = 21 where id = 2', out: 'UPDATE 1' },
    { s: 1, sql: 'commit', out: 'COMMIT' },
    { s: 2, sql: 'commit', out: by(l, 'COMMIT', 'COMMIT', err('40001')) },
  ],
  // Anti-dependency cycles through predicate reads and inserts.
  'G2 (anti-dependency cycles)': (l) => [
    ...begin(1, l), ...begin(2, l),
    { s: 1, sql: 'select * from test where value % 3 = 0', out: rows() },
    { s: 2, sql: 'select * from test where value % 3 = 0', out: rows() },
    { s: 1, sql: 'insert into test (id, value) values(3, 30)', out: 'INSERT 0 1' },
    { s: 2, sql: 'insert into test (id, value) values(4, 42)', out: 'INSERT 0 1' },
    { s: 1, sql: 'commit', out: 'COMMIT' },
    { s: 2, sql: 'commit', out: by(l, 'COMMIT', 'COMMIT', err('40001')) },
    { s: 1, sql: 'select * from test where value % 3 = 0', out: by(l, rows([3, 30], [4, 42]), rows([3, 30], [4, 42]), rows([3, 30])) },
  ],
  // Fekete et al.'s example: two anti-dependency edges through a read-only transaction.
  'G2-two-edges (anti-dependency cycle through a read-only transaction)': (l) => [
    ...begin(1, l),
    { s: 1, sql: SELECT_ALL, out: rows([1, 10], [2, 20]) },
    ...begin(2, l),
    { s: 2, sql: 'update test set value = value + 5 where id = 2', out: 'UPDATE 1' },
    { s: 2, sql: 'commit', out: 'COMMIT' },
    ...begin(3, l),
    { s: 3, sql: SELECT_ALL, out: rows([1, 10], [2, 25]) },
    { s: 3, sql: 'commit', out: 'COMMIT' },
    { s: 1, sql: 'update test set value = 0 where id = 1', out: by(l, 'UPDATE 1', 'UPDATE 1', err('40001')) },
    { s: 1, sql: 'abort', out: 'ROLLBACK' },
  ],
};

/** Recreates the hermitage table on the server at `port`. */
async function resetTable(port: number): Promise<void> {
  const c = await connect(port, { queryTimeoutMs: 10_000 });
  try {
    await c.query('drop table if exists test');
    await c.query('create table test (id int primary key, value int)');
    await c.query('insert into test (id, value) values (1, 10), (2, 20)');
  } finally {
    await closeClient(c);
  }
}

async function finalContents(port: number): Promise<string[][]> {
  const c = await connect(port, { queryTimeoutMs: 10_000 });
  try {
    const r = await c.query<string[]>({ text: 'select id, value from test order by id', rowMode: 'array' });
    return r.rows;
  } finally {
    await closeClient(c);
  }
}

/** The scenario's trace on one server, ending with the table's final contents. */
async function trace(port: number, steps: Step[]): Promise<{ steps: string[]; final: string[][] }> {
  await resetTable(port);
  const t = await runSteps(port, steps);
  return { steps: t, final: await finalContents(port) };
}

describe('hermitage', () => {
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    describe(name, () => {
      for (const level of LEVELS) {
        it(`at ${level.toUpperCase()} behaves as PostgreSQL`, async () => {
          const steps = scenario(level);
          const pg = await trace(servers.port('postgres'), steps);
          // The annotations are PostgreSQL's behaviour (this checks the test, not QuiverDB).
          expect(pg.steps, 'PostgreSQL vs the annotations').toEqual(expectedTrace(steps));
          const qv = await trace(servers.port('quiver'), steps);
          expect(qv.steps, 'QuiverDB vs PostgreSQL').toEqual(pg.steps);
          expect(qv.final, 'final contents: QuiverDB vs PostgreSQL').toEqual(pg.final);
        });
      }
    });
  }
});
