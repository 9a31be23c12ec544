// The runnable scripts in sql/examples through psql: the SQL tour on QuiverDB and on PostgreSQL 15
// with identical output (errors included), and the pgvector tour on QuiverDB against its recorded
// output (PostgreSQL here has no pgvector).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/quiver-server.js';
import { useServerPair } from './helpers/server-pair.js';

const PG_PSQL = '/usr/lib/postgresql/15/bin/psql';
const PSQL = existsSync(PG_PSQL) ? PG_PSQL : 'psql';
const EXAMPLES = join(REPO_ROOT, 'sql', 'examples');

const servers = useServerPair();

interface Result { code: number; output: string }

/**
 * Runs a script of sql/examples as a user would (psql -f, from that directory so that error lines
 * name the file alone), with stdout and stderr in one stream.
 */
function runFile(port: number, file: string): Promise<Result> {
  return new Promise((resolve) => {
    // one pipe for both streams (2>&1), so notices and results keep psql's order of writing
    const child = spawn('sh', ['-c', 'exec "$0" "$@" 2>&1', PSQL, '-X', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port),
      '-U', 'postgres', '-d', 'postgres', '-f', file], { cwd: EXAMPLES, env: { ...process.env, PGCONNECT_TIMEOUT: '10', PGTZ: 'UTC' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

describe('sql/examples', () => {
  it('01-basics.sql prints on QuiverDB what it prints on PostgreSQL', async () => {
    const file = '01-basics.sql';
    const pg = await runFile(servers.port('postgres'), file);
    const quiver = await runFile(servers.port('quiver'), file);
    expect(pg.code).toBe(0);
    expect(quiver.output).toBe(pg.output);
    expect(quiver.code).toBe(0);
    // the constraint errors are part of the tour
    expect(quiver.output).toContain('violates foreign key constraint "orders_customer_id_fkey"');
    expect(quiver.output).toContain('violates check constraint "customers_country_check"');
  });

  it('02-vector-search.sql prints its recorded output on QuiverDB', async () => {
    const file = '02-vector-search.sql';
    const quiver = await runFile(servers.port('quiver'), file);
    expect(quiver.code).toBe(0);
    expect(quiver.output).toBe(readFileSync(join(EXAMPLES, '02-vector-search.out'), 'utf8'));
  });
});
