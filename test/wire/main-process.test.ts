// The real server process (src/main.ts over the real engine, in memory): it prints its one
// listening line, answers node-postgres, and exits 0 on SIGTERM after ending sessions.
import { spawn, type ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import pg from 'pg';

function startMain(args: string[]): Promise<{ child: ChildProcess; port: number; line: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: new URL('../../', import.meta.url).pathname,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^QuiverDB listening on [^\n]*:(\d+), data directory [^\n]*\n/.exec(out);
      if (m) resolve({ child, port: Number(m[1]), line: m[0] });
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${err}`)));
  });
}

describe('src/main.ts', () => {
  it('serves queries and shuts down cleanly on SIGTERM', async () => {
    const { child, port, line } = await startMain(['--memory', '--port', '0']);
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      expect(line).toBe(`QuiverDB listening on 127.0.0.1:${port}, data directory :memory:\n`);
      const c = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
      await c.connect();
      const r = await c.query('SELECT 1 AS one');
      expect(r.rows).toEqual([{ one: 1 }]);
      const terminated = new Promise<unknown>((res) => c.on('error', res));
      child.kill('SIGTERM');
      expect(((await terminated) as pg.DatabaseError).code).toBe('57P01');
      expect(await exited).toBe(0);
      await c.end().catch(() => undefined);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
