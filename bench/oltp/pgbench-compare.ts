// pgbench against real PostgreSQL 15 and QuiverDB in one run: load (pgbench -i and a separate COPY),
// then select-only and TPC-B-like workloads under -M simple and -M prepared, alternating servers,
// with TPS per server, the QuiverDB/PostgreSQL ratio, and QuiverDB's RSS (min/median/max).
//
// Environment: BENCH_SECONDS (default 30), BENCH_SCALE (10), BENCH_CLIENTS (8), BENCH_THREADS (2),
// BENCH_ROUNDS (1; the median is reported), BENCH_COPY_ROWS (100000), BENCH_COPY_REPEATS (3: COPYs
// into fresh tables, alternating the servers; the median is reported, the first one also), BENCH_TARGETS
// (postgres,quiver), BENCH_QUIVER (built|tsx; default built when dist/src/main.js exists),
// BENCH_PG_FSYNC (on|off, default on: PostgreSQL runs durable like QuiverDB), BENCH_INIT_STEPS
// (pgbench -I, default dtgvp).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PG_BIN_DIR, startPostgres, type PostgresOracle } from '../../test/helpers/postgres-oracle.js';
import { REPO_ROOT, startQuiver, type QuiverServer } from '../../test/helpers/quiver-server.js';
import { describeMachine, run, sampleRss } from '../lib/process.js';
import { fmt, median, ratio, summary, table } from '../lib/stats.js';

const env = (k: string, d: string): string => process.env[k] ?? d;
const SECONDS = Number(env('BENCH_SECONDS', '30'));
const SCALE = Number(env('BENCH_SCALE', '10'));
const CLIENTS = Number(env('BENCH_CLIENTS', '8'));
const THREADS = Number(env('BENCH_THREADS', '2'));
const ROUNDS = Number(env('BENCH_ROUNDS', '1'));
const COPY_ROWS = Number(env('BENCH_COPY_ROWS', '100000'));
const COPY_REPEATS = Math.max(1, Number(env('BENCH_COPY_REPEATS', '3')));
const TARGETS = env('BENCH_TARGETS', 'postgres,quiver').split(',').map((s) => s.trim());
const BUILT = env('BENCH_QUIVER', existsSync(join(REPO_ROOT, 'dist', 'src', 'main.js')) ? 'built' : 'tsx') === 'built';
const PG_FSYNC = env('BENCH_PG_FSYNC', 'on');
const INIT_STEPS = env('BENCH_INIT_STEPS', 'dtgvp');
const PGBENCH = existsSync(join(PG_BIN_DIR, 'pgbench')) ? join(PG_BIN_DIR, 'pgbench') : 'pgbench';
const PSQL = existsSync(join(PG_BIN_DIR, 'psql')) ? join(PG_BIN_DIR, 'psql') : 'psql';

type Name = 'PostgreSQL' | 'QuiverDB';
interface Target { name: Name; port: number; pid: number | null; stop(): Promise<void> }
interface LoadResult {
  initSeconds: number | null; generateSeconds: number | null;
  /** Median of the COPYs, and each of them in order. */
  copySeconds: number | null; copyRuns: number[]; error: string | null;
}

const conn = (port: number): string[] => ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres'];

async function pgbenchInit(t: Target): Promise<LoadResult> {
  const r = await run(PGBENCH, [...conn(t.port), '-i', '-I', INIT_STEPS, '-s', String(SCALE), '-q', 'postgres']);
  const out = r.stdout + r.stderr;
  if (r.code !== 0) return { initSeconds: null, generateSeconds: null, copySeconds: null, copyRuns: [], error: lastLines(out) };
  const done = /done in ([\d.]+) s/.exec(out);
  const gen = /client-side generate ([\d.]+) s/.exec(out);
  return { initSeconds: done ? Number(done[1]) : r.ms / 1000, generateSeconds: gen ? Number(gen[1]) : null, copySeconds: null, copyRuns: [], error: null };
}

function copyInput(): string {
  const lines: string[] = [];
  for (let i = 1; i <= COPY_ROWS; i++) lines.push(`${i}\tname-${i % 997}\t${(i * 0.37) % 1000}\t2024-01-${String((i % 28) + 1).padStart(2, '0')}`);
  return lines.join('\n') + '\n\\.\n';
}

/** Seconds psql takes to COPY data into a fresh table bench_copy_<n> with a primary key. */
async function timedCopy(t: Target, n: number, data: string): Promise<number | string> {
  const psql = (sql: string, input?: string): ReturnType<typeof run> =>
    run(PSQL, [...conn(t.port), '-d', 'postgres', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql], input === undefined ? {} : { input });
  const table = `bench_copy_${n}`;
  const setup = await psql(`DROP TABLE IF EXISTS ${table}; CREATE TABLE ${table} (id int PRIMARY KEY, name text, score float8, created date)`);
  if (setup.code !== 0) return lastLines(setup.stderr);
  const r = await psql(`COPY ${table} FROM STDIN`, data);
  if (r.code !== 0) return lastLines(r.stderr);
  return r.ms / 1000;
}

interface RunOutcome { tps: number | null; error: string | null; rss: number[] }

async function pgbenchRun(t: Target, selectOnly: boolean, mode: 'simple' | 'prepared'): Promise<RunOutcome> {
  const sampler = t.pid !== null ? sampleRss(t.pid) : null;
  const r = await run(PGBENCH, [...conn(t.port), '-n', '-c', String(CLIENTS), '-j', String(THREADS), '-T', String(SECONDS),
    '-M', mode, ...(selectOnly ? ['-S'] : []), 'postgres']);
  const rss = sampler?.stop() ?? [];
  const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(r.stdout) ?? /tps = ([\d.]+)/.exec(r.stdout);
  if (r.code !== 0 || !m) return { tps: null, error: lastLines(r.stdout + r.stderr), rss };
  return { tps: Number(m[1]), error: null, rss };
}

function lastLines(s: string, n = 3): string { return s.trim().split('\n').slice(-n).join(' | '); }

async function startTargets(): Promise<Target[]> {
  const targets: Target[] = [];
  if (TARGETS.includes('postgres')) {
    const pg: PostgresOracle = await startPostgres({ settings: { fsync: PG_FSYNC, synchronous_commit: PG_FSYNC, full_page_writes: PG_FSYNC, max_connections: '200' } });
    targets.push({ name: 'PostgreSQL', port: pg.port, pid: null, stop: () => pg.stop() });
  }
  if (TARGETS.includes('quiver')) {
    try {
      const q: QuiverServer = await startQuiver({ built: BUILT });
      targets.push({ name: 'QuiverDB', port: q.port, pid: q.process.pid ?? null, stop: async () => { await q.stop(); q.cleanup(); } });
    } catch (e) {
      console.log(`QuiverDB did not start: ${lastLines(String((e as Error).message), 5)}`);
    }
  }
  return targets;
}

async function main(): Promise<void> {
  console.log(`pgbench compare: scale ${SCALE}, ${CLIENTS} clients, ${THREADS} threads, ${SECONDS} s per run, ${ROUNDS} round(s)`);
  console.log(`machine: ${describeMachine()}`);
  console.log(`PostgreSQL fsync=${PG_FSYNC}; QuiverDB ${BUILT ? 'dist/src/main.js' : 'src/main.ts via tsx'}`);
  const targets = await startTargets();
  if (targets.length === 0) throw new Error('no server to benchmark');
  const results: Record<string, unknown> = { scale: SCALE, clients: CLIENTS, threads: THREADS, seconds: SECONDS, machine: describeMachine() };
  try {
    const load = new Map<Name, LoadResult>();
    for (const t of targets) load.set(t.name, await pgbenchInit(t));
    const copyData = copyInput();
    for (let n = 1; n <= COPY_REPEATS; n++) {
      for (const t of n % 2 === 1 ? targets : [...targets].reverse()) {
        const l = load.get(t.name)!;
        const c = await timedCopy(t, n, copyData);
        if (typeof c === 'number') l.copyRuns.push(c); else l.error = l.error ?? `COPY: ${c}`;
      }
    }
    for (const l of load.values()) l.copySeconds = l.copyRuns.length > 0 ? median(l.copyRuns) : null;
    const pgL = load.get('PostgreSQL') ?? null, qL = load.get('QuiverDB') ?? null;
    console.log('\nLoad');
    console.log(table(['step', 'PostgreSQL s', 'QuiverDB s', 'QuiverDB/PostgreSQL'], [
      [`pgbench -i -s ${SCALE} (total)`, fmt(pgL?.initSeconds ?? null, 2), fmt(qL?.initSeconds ?? null, 2), ratio(qL?.initSeconds ?? null, pgL?.initSeconds ?? null)],
      ['  of which client-side COPY', fmt(pgL?.generateSeconds ?? null, 2), fmt(qL?.generateSeconds ?? null, 2), ratio(qL?.generateSeconds ?? null, pgL?.generateSeconds ?? null)],
      [`COPY ${COPY_ROWS} rows via psql (median of ${COPY_REPEATS})`, fmt(pgL?.copySeconds ?? null, 2), fmt(qL?.copySeconds ?? null, 2), ratio(qL?.copySeconds ?? null, pgL?.copySeconds ?? null)],
      ['  first COPY', fmt(pgL?.copyRuns[0] ?? null, 2), fmt(qL?.copyRuns[0] ?? null, 2), ratio(qL?.copyRuns[0] ?? null, pgL?.copyRuns[0] ?? null)],
    ]));
    for (const [name, l] of load) console.log(`${name} COPY runs: ${l.copyRuns.map((s) => s.toFixed(3)).join(' / ')} s`);
    for (const [name, l] of load) if (l.error !== null) console.log(`${name} load error: ${l.error}`);
    results['load'] = Object.fromEntries(load);

    const rows: string[][] = [];
    const rssAll: number[] = [];
    const runs: Record<string, unknown>[] = [];
    let flip = false;
    for (const selectOnly of [true, false]) {
      for (const mode of ['simple', 'prepared'] as const) {
        const tps = new Map<Name, number[]>();
        const errors: string[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          const order = flip ? [...targets].reverse() : targets;
          flip = !flip;
          for (const t of order) {
            if (load.get(t.name)?.initSeconds === null) { errors.push(`${t.name}: not loaded`); continue; }
            const o = await pgbenchRun(t, selectOnly, mode);
            if (t.name === 'QuiverDB') rssAll.push(...o.rss);
            if (o.tps !== null) tps.set(t.name, [...(tps.get(t.name) ?? []), o.tps]);
            else errors.push(`${t.name}: ${o.error ?? 'failed'}`);
          }
        }
        const p = tps.has('PostgreSQL') ? median(tps.get('PostgreSQL') ?? []) : null;
        const q = tps.has('QuiverDB') ? median(tps.get('QuiverDB') ?? []) : null;
        const workload = selectOnly ? 'select-only (-S)' : 'TPC-B-like';
        rows.push([workload, mode, fmt(p), fmt(q), ratio(q, p)]);
        runs.push({ workload, mode, postgres: tps.get('PostgreSQL') ?? [], quiver: tps.get('QuiverDB') ?? [], errors });
        for (const e of errors) console.log(`  ${workload} -M ${mode}: ${e}`);
      }
    }
    console.log('\nThroughput (TPS, median of rounds)');
    console.log(table(['workload', 'protocol', 'PostgreSQL', 'QuiverDB', 'QuiverDB/PostgreSQL'], rows));
    if (rssAll.length > 0) {
      const s = summary(rssAll.map((b) => b / 2 ** 20));
      console.log(`\nQuiverDB RSS during runs (MiB): min ${fmt(s.min)}, median ${fmt(s.median)}, max ${fmt(s.max)} (${s.n} samples)`);
      results['quiverRssMiB'] = s;
    } else {
      console.log('\nQuiverDB RSS: no samples (QuiverDB not running)');
    }
    results['runs'] = runs;
    mkdirSync(join(REPO_ROOT, '.tmp'), { recursive: true });
    writeFileSync(join(REPO_ROOT, '.tmp', 'bench-pgbench.json'), JSON.stringify(results, null, 2));
  } finally {
    for (const t of targets) await t.stop();
  }
}

await main();
