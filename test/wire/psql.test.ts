// The wire server through the real psql client (libpq): -c queries, errors, SCRAM and md5
// authentication with PGPASSWORD, and COPY FROM STDIN / TO STDOUT with piped data.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { md5Secret, scramSecret } from '../../src/base/index.js';
import { parseHba, startServer, type RunningServer } from '../../src/wire/index.js';
import { FakeEngine } from './fake-engine.js';

const PG_PSQL = '/usr/lib/postgresql/15/bin/psql';
const PSQL = existsSync(PG_PSQL) ? PG_PSQL : 'psql';

let engine: FakeEngine;
let server: RunningServer;

beforeAll(async () => {
  engine = new FakeEngine();
  engine.addRole('alice', null);
  engine.addRole('sam', scramSecret('scrampw'));
  engine.addRole('mia', md5Secret('md5pw', 'mia'));
  server = await startServer(engine, {
    host: '127.0.0.1', port: 0,
    hbaRules: parseHba(`
      host all alice 127.0.0.1/32 trust
      host all mia   127.0.0.1/32 md5
      host all all   127.0.0.1/32 scram-sha-256
    `),
  });
});

afterAll(async () => {
  await server.close();
});

interface Result { code: number; stdout: string; stderr: string }

function psql(user: string, args: string[], opts: { password?: string; stdin?: string } = {}):
  Promise<Result> {
  const env: NodeJS.ProcessEnv = { ...process.env, PGCONNECT_TIMEOUT: '10' };
  delete env['PGPASSWORD'];
  if (opts.password !== undefined) env['PGPASSWORD'] = opts.password;
  const argv = ['-X', '-h', '127.0.0.1', '-p', String(server.port), '-U', user, '-d', 'db',
    '-v', 'ON_ERROR_STOP=1', '-w', ...args];
  if (opts.stdin === undefined) {
    return new Promise((resolve) => {
      execFile(PSQL, argv, { env, timeout: 30_000 }, (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
        resolve({ code, stdout, stderr });
      });
    });
  }
  return new Promise((resolve) => {
    const child = spawn(PSQL, argv, { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(opts.stdin);
  });
}

describe('psql', () => {
  it('runs a query with -c', async () => {
    const r = await psql('alice', ['-At', '-c', 'SELECT 42']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('42\n');
    expect(r.code).toBe(0);
  });

  it('prints the aligned result table', async () => {
    const r = await psql('alice', ['-c', 'SELECT series 2']);
    expect(r.stdout).toBe(' n \n---\n 1\n 2\n(2 rows)\n\n');
  });

  it('shows errors with their position', async () => {
    const r = await psql('alice', ['-c', 'SELECT wrong']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('ERROR:  syntax error at or near "wrong"');
    expect(r.stderr).toContain('LINE 1: SELECT wrong');
  });

  it('authenticates with SCRAM-SHA-256', async () => {
    const ok = await psql('sam', ['-At', '-c', 'SELECT 7'], { password: 'scrampw' });
    expect(ok.stdout).toBe('7\n');
    const bad = await psql('sam', ['-At', '-c', 'SELECT 7'], { password: 'nope' });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('FATAL:  password authentication failed for user "sam"');
  });

  it('authenticates with md5', async () => {
    const ok = await psql('mia', ['-At', '-c', 'SELECT 8'], { password: 'md5pw' });
    expect(ok.stdout).toBe('8\n');
    const bad = await psql('mia', ['-At', '-c', 'SELECT 8'], { password: 'nope' });
    expect(bad.stderr).toContain('FATAL:  password authentication failed for user "mia"');
  });

  it('copies piped stdin with COPY FROM STDIN', async () => {
    const stdin = '1\tone\n2\ttwo\n3\tthree\n';
    const r = await psql('alice', ['-c', 'COPY t FROM STDIN'], { stdin });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('COPY 3\n');
    expect(engine.copiedIn.at(-1)).toBe('1\tone\n2\ttwo\n3\tthree\n');
  });

  it('copies out with COPY TO STDOUT', async () => {
    const r = await psql('alice', ['-c', 'COPY t TO STDOUT']);
    expect(r.stdout).toBe('1\tone\n2\ttwo\n');
  });
});

describe('Unix-domain socket', () => {
  it('accepts psql over a Unix socket under "local" rules only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quiver-sock-'));
    const eng = new FakeEngine();
    eng.addRole('alice', null);
    const srv = await startServer(eng, {
      host: '127.0.0.1', port: 0, unixSocketDir: dir,
      hbaRules: parseHba('local all all trust'),
    });
    try {
      const run = (host: string): Promise<Result> => new Promise((resolve) => {
        execFile(PSQL, ['-X', '-h', host, '-p', String(srv.port), '-U', 'alice', '-d', 'db', '-w',
          '-At', '-c', 'SELECT 3'], { timeout: 30_000 }, (err, stdout, stderr) => {
          resolve({ code: err === null ? 0 : 1, stdout, stderr });
        });
      });
      const local = await run(dir);
      expect(local.stdout).toBe('3\n');
      const tcp = await run('127.0.0.1');
      expect(tcp.code).toBe(1);
      expect(tcp.stderr).toContain('no pg_hba.conf entry for host "127.0.0.1"');
    } finally {
      await srv.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
