// The server process's main with a fake engine and captured output/signals: flags and
// environment, the one "listening" line, pg_hba files, and graceful shutdown on SIGTERM.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { readMainOptions, serverMain, type ServerMainDeps } from '../../src/wire/index.js';
import { FakeEngine } from './fake-engine.js';

function harness(argv: string[], env: Record<string, string> = {}) {
  const engine = new FakeEngine();
  engine.addRole('alice', null);
  const out: string[] = [];
  const err: string[] = [];
  const exits: number[] = [];
  const signals = new Map<string, () => void>();
  const opened: Array<{ dataDir?: string; memory?: boolean }> = [];
  let exited: (code: number) => void = () => undefined;
  const exitPromise = new Promise<number>((r) => { exited = r; });
  const deps: ServerMainDeps = {
    argv, env,
    openEngine: async (o) => { opened.push(o); return engine; },
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    exit: (c) => { exits.push(c); exited(c); },
    onSignal: (s, h) => { signals.set(s, h); },
  };
  return { engine, out, err, exits, signals, opened, exitPromise, deps };
}

describe('readMainOptions', () => {
  it('uses defaults, then environment, then flags', () => {
    expect(readMainOptions([], {})).toMatchObject(
      { host: '127.0.0.1', port: 5432, dataDir: './data', memory: false, hbaFile: undefined });
    const env = {
      QUIVER_PORT: '6000', QUIVER_HOST: '0.0.0.0', QUIVER_DATA: '/d', QUIVER_HBA: '/h',
    };
    expect(readMainOptions([], env)).toMatchObject(
      { host: '0.0.0.0', port: 6000, dataDir: '/d', hbaFile: '/h' });
    expect(readMainOptions(['--port', '7000', '--host', '::1', '--data', '/x', '--memory'], env))
      .toMatchObject({ host: '::1', port: 7000, dataDir: '/x', memory: true });
  });

  it('rejects a bad port and unknown flags', () => {
    expect(() => readMainOptions(['--port', 'abc'], {})).toThrow('invalid port "abc"');
    expect(() => readMainOptions(['--port', '70000'], {})).toThrow('invalid port "70000"');
    expect(() => readMainOptions(['--bogus'], {})).toThrow();
  });
});

describe('serverMain', () => {
  it('prints one listening line, serves, and shuts down on SIGTERM', async () => {
    const h = harness(['--port', '0', '--data', '/tmp/somewhere']);
    const server = await serverMain(h.deps);
    expect(server).toBeDefined();
    expect(h.opened).toEqual([{ dataDir: '/tmp/somewhere' }]);
    expect(h.out).toEqual(
      [`QuiverDB listening on 127.0.0.1:${server!.port}, data directory /tmp/somewhere`]);
    const c = new pg.Client({ host: '127.0.0.1', port: server!.port, user: 'alice' });
    await c.connect();
    expect((await c.query('SELECT 12')).rows[0]?.['?column?']).toBe(12);
    const ended = new Promise<unknown>((r) => c.on('error', r));
    h.signals.get('SIGTERM')?.();
    expect(await h.exitPromise).toBe(0);
    expect(((await ended) as pg.DatabaseError).code).toBe('57P01');
    expect(h.engine.closed).toBe(true);
    expect(h.engine.sessions.every((s) => s.closed)).toBe(true);
    await c.end().catch(() => undefined);
  });

  it('opens an in-memory engine with --memory', async () => {
    const h = harness(['--port', '0', '--memory']);
    const server = await serverMain(h.deps);
    expect(h.opened).toEqual([{ memory: true }]);
    expect(h.out[0])
      .toBe(`QuiverDB listening on 127.0.0.1:${server!.port}, data directory :memory:`);
    h.signals.get('SIGINT')?.();
    expect(await h.exitPromise).toBe(0);
  });

  it('loads the pg_hba file given with --hba', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quiver-hba-'));
    try {
      const file = join(dir, 'pg_hba.conf');
      writeFileSync(file, 'host all all 127.0.0.1/32 reject\n');
      const h = harness(['--port', '0', '--memory', '--hba', file]);
      const server = await serverMain(h.deps);
      const c = new pg.Client({ host: '127.0.0.1', port: server!.port, user: 'alice' });
      const e = (await c.connect().catch((x: unknown) => x)) as pg.DatabaseError;
      expect(e.code).toBe('28000');
      h.signals.get('SIGTERM')?.();
      expect(await h.exitPromise).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 1 with a message when the hba file is broken or the port is taken', async () => {
    const h = harness(['--port', '0', '--hba', '/nonexistent/hba.conf']);
    expect(await serverMain(h.deps)).toBeUndefined();
    expect(h.exits).toEqual([1]);
    expect(h.err[0]).toContain('could not open configuration file "/nonexistent/hba.conf"');
    expect(h.opened).toEqual([]);

    const first = harness(['--port', '0', '--memory']);
    const server = await serverMain(first.deps);
    const second = harness(['--port', String(server!.port), '--memory']);
    expect(await serverMain(second.deps)).toBeUndefined();
    expect(second.exits).toEqual([1]);
    expect(second.err[0]).toContain('EADDRINUSE');
    expect(second.engine.closed).toBe(true);
    first.signals.get('SIGTERM')?.();
    expect(await first.exitPromise).toBe(0);
  });

  it('exits 2 on bad flags', async () => {
    const h = harness(['--port', 'x']);
    expect(await serverMain(h.deps)).toBeUndefined();
    expect(h.exits).toEqual([2]);
    expect(h.err[0]).toBe('quiverdb: invalid port "x"');
  });
});
