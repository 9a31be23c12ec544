// Starts a throwaway real PostgreSQL 15 server (the oracle that defines correct behaviour) for tests
// and benchmarks: initdb into a temp dir as user `postgres`, C collation, UTF8, TimeZone=UTC, trust
// auth, fsync off. Safe to use from parallel test files (unique dirs and ports). Not for QuiverDB.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';

export const PG_BIN_DIR = process.env['PG_BIN_DIR'] ?? '/usr/lib/postgresql/15/bin';

export interface PostgresOracle {
  /** TCP port on 127.0.0.1. */
  readonly port: number;
  readonly host: string;
  /** Directory holding the data dir and the unix socket. */
  readonly baseDir: string;
  readonly dataDir: string;
  /** Fast shutdown, then removes the temp directory. Idempotent. */
  stop(): Promise<void>;
}

export interface OracleOptions {
  /** Extra `-c name=value` settings passed to postgres. */
  settings?: Record<string, string>;
  /** How long to wait for readiness, ms (default 60s). */
  readyTimeoutMs?: number;
}

interface RunAs { uid?: number; gid?: number }

function postgresUser(): RunAs {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {};
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error('postgres-oracle: running as root but there is no `postgres` user ' +
      '(install the apt package postgresql-15, or `useradd -r postgres`)');
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Throws a clear error when the PostgreSQL 15 binaries are not installed. */
export function assertPostgresInstalled(): void {
  for (const bin of ['initdb', 'postgres']) {
    if (!existsSync(join(PG_BIN_DIR, bin))) {
      throw new Error(`postgres-oracle: ${join(PG_BIN_DIR, bin)} not found; install the apt package ` +
        '`postgresql-15` (apt-get install -y postgresql-15 postgresql-client-15) or set PG_BIN_DIR');
    }
  }
}

const live = new Set<{ proc: ChildProcess; dir: string }>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const s of live) {
      try { s.proc.kill('SIGKILL'); } catch { /* already gone */ }
      try { rmSync(s.dir, { recursive: true, force: true }); } catch { /* best effort */ }
    }
  });
}

/** Starts PostgreSQL 15 on a free port; resolves once it accepts connections. */
export async function startPostgres(opts: OracleOptions = {}): Promise<PostgresOracle> {
  assertPostgresInstalled();
  const who = postgresUser();
  const baseDir = mkdtempSync(join(tmpdir(), 'quiver-pg-'));
  if (who.uid !== undefined && who.gid !== undefined) chownSync(baseDir, who.uid, who.gid);
  const dataDir = join(baseDir, 'data');
  const env = { ...process.env, LC_ALL: 'C', LANG: 'C', TZ: 'UTC' };
  const init = spawnSync(join(PG_BIN_DIR, 'initdb'),
    ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--locale=C', '-E', 'UTF8', '-N'],
    { ...who, env, encoding: 'utf8', cwd: baseDir });
  if (init.status !== 0) {
    rmSync(baseDir, { recursive: true, force: true });
    throw new Error(`postgres-oracle: initdb failed (${String(init.status)}): ${init.stderr}${init.stdout}`);
  }
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    TimeZone: 'UTC',
    log_timezone: 'UTC',
    max_connections: '100',
    ...opts.settings,
  };
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
  let lastErr = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const args = ['-D', dataDir, '-p', String(port), '-k', baseDir];
    for (const [k, v] of Object.entries(settings)) args.push('-c', `${k}=${v}`);
    const proc = spawn(join(PG_BIN_DIR, 'postgres'), args, { ...who, env, cwd: baseDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    proc.stdout?.on('data', (d: Buffer) => { log += d.toString(); });
    proc.stderr?.on('data', (d: Buffer) => { log += d.toString(); });
    let exited = false;
    const exitPromise = new Promise<void>((res) => proc.once('exit', () => { exited = true; res(); }));
    const entry = { proc, dir: baseDir };
    live.add(entry);
    installExitHook();
    while (!exited && Date.now() < deadline) {
      if (await canConnect(port)) {
        let stopped = false;
        return {
          port, host: '127.0.0.1', baseDir, dataDir,
          async stop() {
            if (stopped) return;
            stopped = true;
            if (!exited) {
              proc.kill('SIGINT');
              const timer = setTimeout(() => { if (!exited) proc.kill('SIGKILL'); }, 10_000);
              await exitPromise;
              clearTimeout(timer);
            }
            live.delete(entry);
            rmSync(baseDir, { recursive: true, force: true });
          },
        };
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!exited) { proc.kill('SIGKILL'); await exitPromise; }
    live.delete(entry);
    lastErr = log;
    if (!/could not bind|Address already in use/.test(log)) break; // not a port race: give up
  }
  rmSync(baseDir, { recursive: true, force: true });
  throw new Error(`postgres-oracle: server did not become ready:\n${lastErr}`);
}

async function canConnect(port: number): Promise<boolean> {
  const c = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', connectionTimeoutMillis: 2000 });
  c.on('error', () => { /* ignore late errors */ });
  try {
    await c.connect();
    await c.query('SELECT 1');
    await c.end();
    return true;
  } catch {
    try { await c.end(); } catch { /* ignore */ }
    return false;
  }
}
