// EXPLAIN (COSTS OFF) against PostgreSQL 15: plan shapes and detail lines (Filter, Sort Key,
// Group Key, Index Cond) for queries whose plans both servers choose alike, compared through
// psql: expression sort keys in their own parentheses, aggregate results named by their calls
// in HAVING filters and sort keys, the Group Key of a hashed DISTINCT.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useServerPair } from '../helpers/server-pair.js';

const PG_PSQL = '/usr/lib/postgresql/15/bin/psql';
const PSQL = existsSync(PG_PSQL) ? PG_PSQL : 'psql';

const servers = useServerPair();

function psql(port: number, script: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(PSQL, ['-X', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres'],
      { env: { ...process.env, PGCONNECT_TIMEOUT: '10' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
    child.stdin.end(script);
  });
}

const SETUP = `
CREATE TABLE ex (id int PRIMARY KEY, x numeric, s text, i int);
`;

const QUERIES = [
  'SELECT * FROM ex WHERE s = \'a\'',
  'SELECT * FROM ex ORDER BY x + 1, s::varchar(3), x::int, lower(s) LIMIT 2',
  'SELECT * FROM ex ORDER BY x DESC, s NULLS FIRST',
  'SELECT * FROM ex ORDER BY i DESC NULLS LAST, s DESC NULLS FIRST',
  'SELECT DISTINCT x + 1 FROM ex',
  'SELECT DISTINCT s, i FROM ex',
  'SELECT i, count(*) FROM ex GROUP BY i HAVING count(*) > 1 AND sum(x) < 5',
  'SELECT i, sum(x) + 1 AS t FROM ex GROUP BY i ORDER BY t, i',
  'SELECT i, count(*) FROM ex GROUP BY i ORDER BY count(*) DESC',
  'SELECT lower(s) AS l, max(i) FROM ex GROUP BY lower(s) ORDER BY 1',
  'SELECT count(*) FROM ex WHERE x > 1',
  'SELECT * FROM ex WHERE id = 5',
  'SELECT id, rank() OVER (PARTITION BY s ORDER BY x DESC) FROM ex',
  'SELECT id, count(*) OVER () FROM ex',
  'SELECT id, rank() OVER (ORDER BY x + 1) FROM ex ORDER BY 2',
  'SELECT i, rank() OVER (ORDER BY count(*)) FROM ex GROUP BY i',
  'SELECT s, i, count(*) FROM ex GROUP BY ROLLUP (s, i)',
  'SELECT s, count(*) FROM ex GROUP BY GROUPING SETS ((s), ())',
];

describe('EXPLAIN (COSTS OFF) matches PostgreSQL', () => {
  it('plan lines for scans, sorts, aggregates and DISTINCT', async () => {
    const script = SETUP + QUERIES.map((q) => `EXPLAIN (COSTS OFF) ${q};`).join('\n') + '\nDROP TABLE ex;\n';
    const [pg, quiver] = await Promise.all([psql(servers.port('postgres'), script), psql(servers.port('quiver'), script)]);
    expect(pg.code).toBe(0);
    expect(quiver.output).toBe(pg.output);
    expect(quiver.output).toContain('Sort Key: ((x + \'1\'::numeric)), ((s)::character varying(3)), ((x)::integer), (lower(s))');
    expect(quiver.output).toContain('Filter: ((count(*) > 1) AND (sum(x) < \'5\'::numeric))');
  });
});
