// COPY FROM STDIN against PostgreSQL 15: the same psql scripts (text and CSV data, keyed and
// unkeyed tables, duplicates within and across COPYs, keys below/above/among stored ones, rows
// deleted in the same transaction, bad data with its CONTEXT line) run on both servers and their
// output is compared; a COPY waiting on another session's uncommitted insert of the same key.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect } from '../helpers/quiver-server.js';
import { useServerPair } from '../helpers/server-pair.js';

const PG_PSQL = '/usr/lib/postgresql/15/bin/psql';
const PSQL = existsSync(PG_PSQL) ? PG_PSQL : 'psql';

const servers = useServerPair();
const dir = mkdtempSync(join(tmpdir(), 'quiver-copy-test-'));

interface Result { code: number; stdout: string; stderr: string }

function psql(port: number, script: string, args: string[] = []): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(PSQL, ['-X', '-q', '-t', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', ...args],
      { env: { ...process.env, PGCONNECT_TIMEOUT: '10' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(script);
  });
}

/** Runs the script on both servers; returns QuiverDB's result after checking it equals PostgreSQL's. */
async function same(script: string): Promise<Result> {
  const [pg, quiver] = await Promise.all([psql(servers.port('postgres'), script), psql(servers.port('quiver'), script)]);
  expect(quiver.stderr).toBe(pg.stderr);
  expect(quiver.stdout).toBe(pg.stdout);
  return quiver;
}

/** A COPY ... FROM STDIN of lines, as a psql script block. */
function copyBlock(table: string, lines: readonly string[], options = ''): string {
  return `COPY ${table} FROM STDIN${options};\n${lines.join('\n')}\n\\.`;
}

describe('COPY FROM STDIN matches PostgreSQL', () => {
  it('keyed table: ascending loads, duplicates across and within COPYs', async () => {
    const r = await same(`
CREATE TABLE ka (id int PRIMARY KEY, v text);
COPY ka FROM STDIN;
1\tx
2\ty
\\.
COPY ka FROM STDIN;
3\tz
2\tdup
\\.
COPY ka FROM STDIN;
5\ta
6\tb
5\tc
\\.
SELECT * FROM ka ORDER BY id;
`);
    expect(r.stderr).toContain('Key (id)=(2) already exists.');
    expect(r.stderr).toContain('Key (id)=(5) already exists.');
    expect(r.stdout).toBe('  1 | x\n  2 | y\n\n');
  });

  it('keys below, among and above the stored ones; rows deleted before', async () => {
    const r = await same(`
CREATE TABLE kb (id int PRIMARY KEY, v text);
CREATE INDEX kb_v ON kb (v);
INSERT INTO kb VALUES (100, 'h'), (200, 'i');
COPY kb FROM STDIN;
50\ta
150\tb
250\tc
300\td
\\.
COPY kb FROM STDIN;
400\te
200\tdup
\\.
DELETE FROM kb WHERE id = 150;
COPY kb FROM STDIN;
150\tback
\\.
BEGIN;
DELETE FROM kb WHERE id = 300;
COPY kb FROM STDIN;
300\tagain
\\.
COMMIT;
BEGIN;
COPY kb FROM STDIN;
500\tin-txn
\\.
COPY kb FROM STDIN;
500\tdup-in-txn
\\.
ROLLBACK;
SELECT id, v FROM kb ORDER BY id;
SELECT id FROM kb WHERE v = 'again';
`);
    expect(r.stderr).toContain('Key (id)=(200) already exists.');
    expect(r.stderr).toContain('Key (id)=(500) already exists.');
    expect(r.stdout).toContain(' 300 | again\n');
  });

  it('unkeyed tables, defaults, CSV quoting, headers, NULLs and CRLF line ends', async () => {
    const r = await same(`
CREATE TABLE ua (id serial, name text, score float8, born date, note text DEFAULT 'none');
COPY ua (name, score, born) FROM STDIN;
ann\t1.5\t2024-02-29
bob\t\\N\t0001-01-01
c\\tq\t-0\t2024-1-5
\\.
COPY ua (name, score, born) FROM STDIN (FORMAT csv, HEADER true);
name,score,born
"quoted, with comma",2.25,1999-12-31
"multi
line",,2000-01-01
"say ""hi""",3e2, 2001-02-03
\\.
SELECT id, name, score, born, note FROM ua ORDER BY id;
`);
    expect(r.stdout).toContain('2024-02-29');
  });

  it('bad rows fail with PostgreSQL\'s message and CONTEXT, leaving the table unchanged', async () => {
    const r = await same(`
CREATE TABLE ba (id int PRIMARY KEY, n int NOT NULL, d date);
COPY ba FROM STDIN;
1\t1\t2024-01-01
2\t2
\\.
COPY ba FROM STDIN;
1\t1\t2024-01-01\textra
\\.
COPY ba FROM STDIN;
1\tone\t2024-01-01
\\.
COPY ba FROM STDIN;
1\t\\N\t2024-01-01
\\.
COPY ba FROM STDIN;
1\t1\t2023-02-29
\\.
CREATE TABLE bchild (id int PRIMARY KEY, parent int REFERENCES ba, CHECK (id > 0));
COPY bchild FROM STDIN;
1\t\\N
-2\t\\N
\\.
COPY bchild FROM STDIN;
1\t\\N
2\t5
\\.
SELECT count(*) FROM ba;
`);
    expect(r.stderr).toContain('missing data for column "d"');
    expect(r.stderr).toContain('CONTEXT:  COPY ba, line 2: "2\t2"');
    expect(r.stdout).toBe('     0\n\n');
  });

  it('ALTER TABLE ADD PRIMARY KEY after a load (pgbench -i): duplicates, NULLs, then keyed access', async () => {
    const r = await same(`
CREATE TABLE rk (aid int, bid int, filler char(10));
COPY rk FROM STDIN;
3	1	x
1	1	y
2	1	z
3	2	w
5	1	v
\\.
ALTER TABLE rk ADD PRIMARY KEY (aid);
DELETE FROM rk WHERE bid = 2;
INSERT INTO rk VALUES (NULL, 3, 'n');
ALTER TABLE rk ADD PRIMARY KEY (aid);
DELETE FROM rk WHERE aid IS NULL;
ALTER TABLE rk ADD PRIMARY KEY (aid);
SELECT * FROM rk WHERE aid = 2;
INSERT INTO rk VALUES (1, 9, 'dup');
UPDATE rk SET bid = bid + 10 WHERE aid = 5;
SELECT aid, bid, filler FROM rk ORDER BY aid;
CREATE TABLE rk2 (aid int, bid int);
INSERT INTO rk2 SELECT g, g % 3 FROM generate_series(1, 50) g;
INSERT INTO rk2 VALUES (50, 7), (51, 0);
ALTER TABLE rk2 ADD PRIMARY KEY (aid);
INSERT INTO rk2 VALUES (NULL, 1);
ALTER TABLE rk2 ADD PRIMARY KEY (aid);
DELETE FROM rk2 WHERE bid = 7;
ALTER TABLE rk2 ADD PRIMARY KEY (aid);
DELETE FROM rk2 WHERE aid IS NULL;
BEGIN;
ALTER TABLE rk2 ADD PRIMARY KEY (aid);
INSERT INTO rk2 VALUES (52, 2);
SELECT count(*), min(aid), max(aid) FROM rk2;
ROLLBACK;
ALTER TABLE rk2 ADD PRIMARY KEY (aid, bid);
SELECT * FROM rk2 WHERE aid IN (1, 51, 52) ORDER BY aid;
`);
    expect(r.stderr).toContain('Key (aid)=(50) is duplicated.');
    expect(r.stderr).toContain('column "aid" of relation "rk2" contains null values');
    expect(r.stderr).toContain('Key (aid)=(3) is duplicated.');
    expect(r.stderr).toContain('column "aid" of relation "rk" contains null values');
    expect(r.stdout).toContain('   5 |  11 | v');
  });

  it('line endings: \\r\\n and \\r files load; a file mixing endings fails as in PostgreSQL', async () => {
    const cases = [
      '1\tcrlf\r\n2\tcrlf\r\n',
      '1\tcr\r2\tcr\r',
      '1\tlf\n2\tcr\r3\tx\n',
      '1\tcrlf\r\n2\tlf\n',
      '1\tcr\r2\tlf\n',
      '1\tcrlf\r\n2\tcr\r3\tx\r\n',
    ];
    for (const [i, data] of cases.entries()) {
      for (const csv of [false, true]) {
        const body = csv ? data.replace(/\t/g, ',') : data;
        await same(`CREATE TABLE IF NOT EXISTS le${i} (id int, v text);\nTRUNCATE le${i};\n`);
        // psql's \\copy reads the data from a file and sends it as is
        const file = join(dir, `le${i}${csv ? '.csv' : '.txt'}`);
        writeFileSync(file, body);
        const r = await same(`\\copy le${i} FROM '${file}'${csv ? ' (FORMAT csv)' : ''}\nSELECT id, v FROM le${i} ORDER BY id;\n`);
        // the first two files use one ending throughout; the others mix them
        if (i < 2) expect(r.stdout).toMatch(/2 \| (crlf|cr)/);
        else expect(r.stderr).toContain('found in data');
      }
    }
  });

  it('text format: a backslash keeps a line end as data, as PostgreSQL reads it', async () => {
    const cases = [
      'x\\\ny\t1\nz\t2\n', // escaped \n: one value spanning two lines
      'x\\\r\ny\t1\n', // escaped \r, then the line ends at \n: missing data
      'a\\\\\t1\nb\\\\\\\nc\t2\n', // an escaped backslash before a tab; three backslashes before \n
      'p\\\r\nq\t3\r\n', // only the \r is escaped: the \n ends the line
    ];
    for (const [i, data] of cases.entries()) {
      await same(`CREATE TABLE IF NOT EXISTS bs${i} (v text, n int);\nTRUNCATE bs${i};\n`);
      const file = join(dir, `bs${i}.txt`);
      writeFileSync(file, data);
      const r = await same(`\\copy bs${i} FROM '${file}'\nSELECT v, length(v), n FROM bs${i} ORDER BY n;\n`);
      if (i === 0) expect(r.stdout).toContain(' 3 |');
    }
  });

  it('a large load in mixed key order', async () => {
    const lines: string[] = [];
    for (let i = 1; i <= 20_000; i++) lines.push(`${i}\tname-${i % 97}\t${(i * 0.37) % 1000}`);
    for (let i = 40_000; i > 20_000; i -= 3) lines.push(`${i}\tdesc-${i % 89}\t${i / 7}`);
    const r = await same(`
CREATE TABLE big (id int PRIMARY KEY, name text, score float8);
COPY big FROM STDIN;
${lines.join('\n')}
\\.
SELECT count(*), sum(id), min(id), max(id), count(DISTINCT name) FROM big;
SELECT * FROM big WHERE id IN (1, 20000, 39998, 40000) ORDER BY id;
`);
    expect(r.stdout).toContain('26667');
  });

  // Loads over 128 kB go through the bulk-load worker in several blocks; the statement reads on
  // from the first line the worker leaves to it, and must answer exactly as PostgreSQL does.
  it('large loads: escapes and NULLs throughout, then errors deep in the input, with their CONTEXT', async () => {
    const rows = (from: number, to: number): string[] => {
      const out: string[] = [];
      for (let i = from; i <= to; i++) {
        const name = i % 11 === 0 ? '\\N' : i % 13 === 0 ? `tab\\there ${i}` : i % 17 === 0 ? `back\\\\slash ü${i}` : `n${i}`;
        out.push(`${i}\t${name}\t${i % 7 === 0 ? '\\N' : (i * 0.37).toFixed(2)}\t2024-01-${String((i % 28) + 1).padStart(2, '0')}`);
      }
      return out;
    };
    /** Rows 1..12,000 with line n replaced. */
    const withLine = (n: number, line: string): string[] => [...rows(1, n - 1), line, ...rows(n + 1, 12_000)];
    const ok = rows(1, 12_000);
    const r = await same(`
CREATE TABLE lg (id int PRIMARY KEY, name text, score float8, created date NOT NULL);
CREATE TABLE lh (id int, name text, score float8, created date NOT NULL);
${copyBlock('lg', ok)}
${copyBlock('lh', ok)}
SELECT count(*), count(name), count(score), sum(id), min(name), max(name) FROM lg;
SELECT count(*), sum(length(name)) FROM lh;
SELECT * FROM lg WHERE id IN (11, 13, 17, 7, 12000) ORDER BY id;
CREATE TABLE lb (id int PRIMARY KEY, name text, score float8, created date NOT NULL);
${copyBlock('lb', withLine(9_001, '9001\tx\tnot-a-number\t2024-01-01'))}
${copyBlock('lb', withLine(10_001, '10001\tx\t1.5\t\\N'))}
${copyBlock('lb', withLine(11_001, '5000\tagain\t1\t2024-01-01'))}
${copyBlock('lb', withLine(8_001, '8001\tx'))}
SELECT count(*) FROM lb;
`);
    expect(r.stdout).toContain('12000');
    expect(r.stderr).toContain('line 9001, column score');
    expect(r.stderr).toContain('line 10001');
    expect(r.stderr).toContain('Key (id)=(5000) already exists.');
    expect(r.stderr).toContain('line 8001');
  });
});

describe('large CSV loads match PostgreSQL', () => {
  it('HEADER, quoted fields, NULLs and empty strings; a field spanning lines and errors deep in the input', async () => {
    const rows = (from: number, to: number): string[] => {
      const out: string[] = [];
      for (let i = from; i <= to; i++) {
        const name = i % 11 === 0 ? '' : i % 13 === 0 ? '""' : i % 17 === 0 ? `"a,b ""q"" ü${i}"` : `n${i}`;
        out.push(`${i},${name},${i % 7 === 0 ? '' : (i * 0.37).toFixed(2)},2024-01-${String((i % 28) + 1).padStart(2, '0')}`);
      }
      return out;
    };
    const header = 'id,name,score,created';
    const ok = [header, ...rows(1, 8_000), '8001,"two\nlines",1.5,2024-01-01', ...rows(8_002, 12_000)];
    const bad = [header, ...rows(1, 9_000), '9001,x,not-a-number,2024-01-01', ...rows(9_002, 12_000)];
    const r = await same(`
CREATE TABLE cg (id int PRIMARY KEY, name text, score float8, created date NOT NULL);
${copyBlock('cg', ok, ' (FORMAT csv, HEADER true)')}
SELECT count(*), count(name), count(score), sum(id), sum(length(name)), max(name) FROM cg;
SELECT * FROM cg WHERE id IN (11, 13, 17, 7, 8001, 12000) ORDER BY id;
CREATE TABLE cb (id int PRIMARY KEY, name text, score float8, created date NOT NULL);
${copyBlock('cb', bad, ' (FORMAT csv, HEADER true)')}
SELECT count(*) FROM cb;
`);
    expect(r.stdout).toContain('12000');
    expect(r.stderr).toContain('line 9002, column score');
  });
});

describe('concurrent bulk loads into a table without a primary key', () => {
  it('two COPYs at once keep every row (rowids reserved in blocks never collide)', async () => {
    const port = servers.port('quiver');
    const setup = await connect(port);
    try {
      await setup.query('DROP TABLE IF EXISTS lr; CREATE TABLE lr (session int, n int)');
      const data = (who: number): string => Array.from({ length: 10_000 }, (_, i) => `${who}\t${i}`).join('\n');
      const results = await Promise.all([1, 2].map((who) => psql(port, `COPY lr FROM STDIN;\n${data(who)}\n\\.\n`)));
      for (const r of results) expect(r.stderr).toBe('');
      const { rows } = await setup.query('SELECT session, count(*)::int AS rows, count(DISTINCT n)::int AS distinct_n FROM lr GROUP BY session ORDER BY session');
      expect(rows.map((r) => [Number(r.session), Number(r.rows), Number(r.distinct_n)])).toEqual([[1, 10_000, 10_000], [2, 10_000, 10_000]]);
    } finally {
      await setup.end();
    }
  });
});

describe('COPY and concurrent inserts of the same key', () => {
  for (const outcome of ['COMMIT', 'ROLLBACK'] as const) {
    it(`waits for the other transaction, then ${outcome === 'COMMIT' ? 'fails with 23505' : 'succeeds'}`, async () => {
      const results: Result[] = [];
      for (const target of ['postgres', 'quiver'] as const) {
        const port = servers.port(target);
        const setup = await connect(port);
        const other = await connect(port);
        try {
          await setup.query(`DROP TABLE IF EXISTS cc; CREATE TABLE cc (id int PRIMARY KEY, v text)`);
          await other.query('BEGIN');
          await other.query(`INSERT INTO cc VALUES (7, 'other')`);
          const copy = psql(port, 'COPY cc FROM STDIN;\n6\tmine\n7\tmine\n8\tmine\n\\.\nSELECT id, v FROM cc ORDER BY id;\n', ['-A']);
          await new Promise((r) => setTimeout(r, 300));
          await other.query(outcome);
          results.push(await copy);
        } finally {
          await setup.end();
          await other.end();
        }
      }
      expect(results[1]).toEqual(results[0]);
      if (outcome === 'COMMIT') expect(results[1]!.stderr).toContain('Key (id)=(7) already exists.');
      else expect(results[1]!.stdout).toBe('6|mine\n7|mine\n8|mine\n');
    });
  }
});

describe('an uncommitted bulk load and concurrent inserts', () => {
  for (const outcome of ['COMMIT', 'ROLLBACK'] as const) {
    it(`an insert of a loaded key waits, then ${outcome === 'COMMIT' ? 'fails with 23505' : 'succeeds'}; keys between the loaded ones do not wait`, async () => {
      const results: string[][] = [];
      for (const target of ['postgres', 'quiver'] as const) {
        const port = servers.port(target);
        const loader = await connect(port);
        const other = await connect(port);
        const seen: string[] = [];
        try {
          await loader.query(`DROP TABLE IF EXISTS bl; CREATE TABLE bl (id int PRIMARY KEY, v text)`);
          await loader.query('BEGIN');
          await loader.query(`INSERT INTO bl SELECT g, 'load' FROM generate_series(2, 2000, 2) g`);
          await other.query(`INSERT INTO bl VALUES (999, 'gap')`); // between loaded keys: no wait
          seen.push('gap inserted');
          const waiting = other.query(`INSERT INTO bl VALUES (1000, 'other')`).then(
            () => 'inserted', (e: { code?: string; detail?: string }) => `${e.code ?? ''} ${e.detail ?? ''}`);
          await new Promise((r) => setTimeout(r, 300));
          seen.push(`before ${outcome}: ${await Promise.race([waiting, Promise.resolve('waiting')])}`);
          await loader.query(outcome);
          seen.push(await waiting);
          const r = await other.query(`SELECT count(*)::int AS n, string_agg(v, ',' ORDER BY id) FILTER (WHERE id IN (999, 1000)) AS vs FROM bl`);
          seen.push(JSON.stringify(r.rows[0]));
        } finally {
          await loader.end();
          await other.end();
        }
        results.push(seen);
      }
      expect(results[1]).toEqual(results[0]);
      expect(results[1]![1]).toBe(`before ${outcome}: waiting`);
      expect(results[1]![2]).toBe(outcome === 'COMMIT' ? '23505 Key (id)=(1000) already exists.' : 'inserted');
    });
  }
});
