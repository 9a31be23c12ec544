// Starts QuiverDB as a child process for tests (`node --import tsx src/main.ts --port P ...`) and
// waits for its "QuiverDB listening on HOST:PORT, data directory DIR" line. Also: freePort() and
// connect() for `pg` clients against QuiverDB or the oracle. Knows nothing of QuiverDB internals.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort } from './free-port.js';

export { freePort };

/** The directory holding package.json above this file (works from test/helpers and dist/test/helpers). */
export const REPO_ROOT = ((): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = resolve(dir, '..');
    if (up === dir) return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
    dir = up;
  }
})();

export interface QuiverServer {
  readonly host: string;
  readonly port: number;
  /** The data directory, or null in --memory mode. */
  readonly dataDir: string | null;
  readonly process: ChildProcess;
  /** Everything the server wrote to stdout and stderr so far. */
  output(): string;
  /** Sends `signal` (default SIGTERM) and waits for exit; SIGKILL after graceMs (default 10s). */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** kill -9 and wait for exit. The data directory is kept. */
  kill9(): Promise<void>;
  /** Removes the data directory if this helper created it. Call after stop()/kill9(). */
  cleanup(): void;
}

export interface QuiverOptions {
  /** Run with --memory (no data directory). */
  memory?: boolean;
  /** Use this data directory (e.g. to restart on the same data); default: a new temp dir. */
  dataDir?: string;
  /** Extra command line arguments. */
  args?: string[];
  env?: Record<string, string>;
  /** Run the built server (dist/src/main.js) instead of src/main.ts through tsx. */
  built?: boolean;
  /** Another entry script run through tsx (default: env QUIVER_ENTRY, else src/main.ts). For testing the harness. */
  entry?: string;
  readyTimeoutMs?: number;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

const LISTEN_RE = /QuiverDB listening on (\S+):(\d+), data directory (.*)/;

/** Starts QuiverDB on a free port and resolves when it prints its listening line. */
export async function startQuiver(opts: QuiverOptions = {}): Promise<QuiverServer> {
  let ownDir = false;
  let dataDir: string | null = null;
  if (!opts.memory) {
    dataDir = opts.dataDir ?? null;
    if (dataDir === null) { dataDir = mkdtempSync(join(tmpdir(), 'quiver-data-')); ownDir = true; }
  }
  let lastErr: Error | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const script = opts.entry ?? process.env['QUIVER_ENTRY'] ?? join(REPO_ROOT, 'src', 'main.ts');
    const entry = opts.built ? [join(REPO_ROOT, 'dist', 'src', 'main.js')] : ['--import', 'tsx', resolve(REPO_ROOT, script)];
    const args = [...entry, '--port', String(port), ...(dataDir === null ? ['--memory'] : ['--data', dataDir]), ...(opts.args ?? [])];
    const proc = spawn(process.execPath, args, {
      cwd: REPO_ROOT, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(proc);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.on('exit', () => { for (const p of live) { try { p.kill('SIGKILL'); } catch { /* gone */ } } });
    }
    let out = '';
    let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => {
      proc.once('exit', (code, signal) => { exitInfo = { code, signal }; live.delete(proc); res(exitInfo); });
    });
    try {
      const listening = await new Promise<{ host: string; port: number }>((res, rej) => {
        const timer = setTimeout(() => rej(new Error(`QuiverDB did not print its listening line within ${opts.readyTimeoutMs ?? 60_000} ms`)),
          opts.readyTimeoutMs ?? 60_000);
        const onData = (d: Buffer): void => {
          out += d.toString();
          const m = LISTEN_RE.exec(out);
          if (m) { clearTimeout(timer); res({ host: m[1] ?? '127.0.0.1', port: Number(m[2]) }); }
        };
        proc.stdout?.on('data', onData);
        proc.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
        void exited.then((e) => { clearTimeout(timer); rej(new Error(`QuiverDB exited before listening (code ${String(e.code)}, signal ${String(e.signal)})`)); });
      });
      const host = listening.host === '0.0.0.0' || listening.host === '::' || listening.host === 'localhost' ? '127.0.0.1' : listening.host;
      const dir = dataDir;
      return {
        host, port: listening.port, dataDir: dir, process: proc,
        output: () => out,
        async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000) {
          if (exitInfo) return exitInfo;
          proc.kill(signal);
          const timer = setTimeout(() => { if (!exitInfo) proc.kill('SIGKILL'); }, graceMs);
          const r = await exited;
          clearTimeout(timer);
          return r;
        },
        async kill9() {
          if (exitInfo) return;
          proc.kill('SIGKILL');
          await exited;
        },
        cleanup() { if (ownDir && dir !== null) rmSync(dir, { recursive: true, force: true }); },
      };
    } catch (e) {
      if (!exitInfo) { proc.kill('SIGKILL'); await exited; }
      lastErr = new Error(`${(e as Error).message}\n--- server output ---\n${out}`);
      if (!/EADDRINUSE/.test(out)) break;
    }
  }
  if (ownDir && dataDir !== null) rmSync(dataDir, { recursive: true, force: true });
  throw lastErr ?? new Error('QuiverDB failed to start');
}

export interface ConnectOptions {
  host?: string;
  user?: string;
  database?: string;
  password?: string;
  /** Return every value as the server's text (no pg type parsing). Default true. */
  rawText?: boolean;
  /** Client-side per-query timeout in ms. */
  queryTimeoutMs?: number;
}

/** Connects a `pg` Client (user postgres, database postgres) to 127.0.0.1:port. */
export async function connect(port: number, opts: ConnectOptions = {}): Promise<pg.Client> {
  const rawText = opts.rawText ?? true;
  const client = new pg.Client({
    host: opts.host ?? '127.0.0.1', port,
    user: opts.user ?? 'postgres', database: opts.database ?? 'postgres',
    ...(opts.password !== undefined ? { password: opts.password } : {}),
    ...(opts.queryTimeoutMs !== undefined ? { query_timeout: opts.queryTimeoutMs } : {}),
    ...(rawText ? { types: { getTypeParser: () => (v: string) => v } } : {}),
  });
  client.on('error', () => { /* surfaced through the failing query */ });
  await client.connect();
  return client;
}
