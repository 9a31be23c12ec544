// asyncpg and psycopg 3 (Python's main PostgreSQL drivers, from Debian's python3-asyncpg and
// python3-psycopg, which .ci/run installs) against a QuiverDB server: python-drivers.py runs their
// everyday calls and the type look-ups pgvector-python makes, and fails on any mismatch.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startQuiver, type QuiverServer } from '../helpers/quiver-server.js';

/** Debian's interpreter, the one its python3-* packages install into. */
const PYTHON = '/usr/bin/python3';

let server: QuiverServer;
beforeAll(async () => { server = await startQuiver({ memory: true }); }, 120_000);
afterAll(async () => { await server.stop(); });

describe('Python drivers', () => {
  it('asyncpg and psycopg 3 run their everyday calls and pgvector-python\'s type look-ups', async () => {
    const r = await new Promise<{ code: number; out: string }>((resolve) => {
      execFile(PYTHON, [join(REPO_ROOT, 'test', 'drivers', 'python-drivers.py'), String(server.port)], { timeout: 60_000 }, (err, stdout, stderr) => {
        resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, out: stdout + stderr });
      });
    });
    expect(r.out).toContain('all ok');
    expect(r.code).toBe(0);
    expect(r.out).toContain('ok psycopg TypeInfo');
    expect(r.out).toContain('ok asyncpg vector codec');
    expect(r.out).toContain('ok psycopg named cursor rest');
    expect(r.out).toContain('ok asyncpg record');
    expect(r.out).toContain('ok psycopg scroll back');
  });
});
