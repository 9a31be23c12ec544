// A/B search throughput of several QuiverDB builds or settings on the same data: loads the l2
// dataset once into a cached data directory (COPY + CREATE INDEX, checkpointed), starts one server
// per variant on a copy of it, and alternates timed 1- and N-connection windows across the
// variants so that machine noise hits them alike. Prints per-variant medians and ratios.
//
// Run: npx tsc -p tsconfig.build.json && node dist/bench/vector/ab-bench.js
// Environment: AB_VARIANTS ("name=path/to/main.js[,ENV=value...];..."; default "dist=dist/src/main.js"),
//   AB_EF (40), AB_SECONDS (4), AB_ROUNDS (3), AB_WARMUP (seconds of load per variant before the
//   rounds, 2; a server restarted on a checkpoint checks every label against the store in its
//   first maintenance pass, ~10 s after start, and reads candidate rows until then), BENCH_N
//   (100000), BENCH_Q (1000), BENCH_CLIENTS (8), BENCH_CACHE (.tmp/vector-bench).
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, openSync, closeSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type pg from 'pg';
import { recallAtK } from '../../src/vector/index.js';
import { PG_BIN_DIR } from '../../test/helpers/postgres-oracle.js';
import { REPO_ROOT, connect, freePort } from '../../test/helpers/quiver-server.js';
import { K, loadDataset, specFor, type Dataset } from './datasets.js';
import { onAll, timedLoad, type LoadResult, type Statement } from './search-load.js';

const env = (k: string, d: string): string => process.env[k] ?? d;
const N = Number(env('BENCH_N', '100000'));
const Q = Number(env('BENCH_Q', '1000'));
const EF = Number(env('AB_EF', '40'));
const SECONDS = Number(env('AB_SECONDS', '4'));
const ROUNDS = Number(env('AB_ROUNDS', '3'));
const WARMUP = Number(env('AB_WARMUP', '2'));
const CLIENTS = Number(env('BENCH_CLIENTS', '8'));
const CACHE = env('BENCH_CACHE', join(REPO_ROOT, '.tmp', 'vector-bench'));
const PSQL = existsSync(join(PG_BIN_DIR, 'psql')) ? join(PG_BIN_DIR, 'psql') : 'psql';
const log = (s: string): void => { console.log(s); };

interface Variant { name: string; main: string; env: Record<string, string> }
interface Server { port: number; proc: ChildProcess; dir: string; stop(): Promise<void> }

function parseVariants(s: string): Variant[] {
  return s.split(';').map((v) => v.trim()).filter((v) => v !== '').map((v) => {
    const eq = v.indexOf('=');
    const [path, ...envs] = v.slice(eq + 1).split(',');
    const e: Record<string, string> = {};
    for (const kv of envs) { const i = kv.indexOf('='); e[kv.slice(0, i)] = kv.slice(i + 1); }
    return { name: v.slice(0, eq), main: resolve(REPO_ROOT, path!), env: e };
  });
}

async function start(main: string, dir: string, extraEnv: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const proc = spawn(process.execPath, [main, '--port', String(port), '--data', dir], {
    cwd: REPO_ROOT, env: { ...process.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise<void>((res, rej) => {
    const t = setTimeout(() => rej(new Error(`no listening line: ${out}`)), 180_000);
    proc.stdout!.on('data', (d: Buffer) => { out += d.toString(); if (/QuiverDB listening on/.test(out)) { clearTimeout(t); res(); } });
    proc.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
    proc.once('exit', (c) => { clearTimeout(t); rej(new Error(`exited ${String(c)}: ${out}`)); });
  });
  return {
    port, proc, dir,
    stop: () => new Promise<void>((res) => { proc.once('exit', () => res()); proc.kill('SIGTERM'); }),
  };
}

/** A data directory holding the dataset and its HNSW index, built once and cached. */
async function dataDir(ds: Dataset): Promise<string> {
  const dir = join(CACHE, `ab-data-l2-n${N}`);
  if (existsSync(join(dir, 'READY'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  log(`  building cached data directory ${dir} ...`);
  const s = await start(join(REPO_ROOT, 'dist', 'src', 'main.js'), dir, {});
  const c = await connect(s.port);
  await c.query('CREATE EXTENSION IF NOT EXISTS vector');
  await c.query(`CREATE TABLE items (id int PRIMARY KEY, category int, embedding vector(${ds.dim}))`);
  await new Promise<void>((res, rej) => {
    const fd = openSync(ds.copyFile, 'r');
    const p = spawn(PSQL, ['-h', '127.0.0.1', '-p', String(s.port), '-U', 'postgres', '-d', 'postgres', '-X', '-q', '-v', 'ON_ERROR_STOP=1',
      '-c', 'COPY items (id, category, embedding) FROM STDIN'], { stdio: [fd, 'ignore', 'inherit'] });
    p.on('close', (code) => { closeSync(fd); if (code === 0) res(); else rej(new Error(`COPY exit ${String(code)}`)); });
  });
  await c.query('CREATE INDEX items_embedding_idx ON items USING hnsw (embedding vector_l2_ops) WITH (m = 16, ef_construction = 64)');
  await c.end();
  for (let i = 0; i < 120 && !(existsSync(join(dir, 'ann')) && readdirSync(join(dir, 'ann')).length > 0); i++) await new Promise((r) => setTimeout(r, 500));
  await s.stop();
  closeSync(openSync(join(dir, 'READY'), 'w'));
  return dir;
}

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s.length === 0 ? NaN : s[Math.floor((s.length - 1) / 2)]!; };

async function main(): Promise<void> {
  const variants = parseVariants(env('AB_VARIANTS', 'dist=dist/src/main.js'));
  const ds = loadDataset(specFor('l2', N, Q), CACHE, log);
  const base = await dataDir(ds);
  const servers: Server[] = [];
  const clients: pg.Client[][] = [];
  const knn: Statement = { name: 'knn', text: `SELECT id FROM items ORDER BY embedding <-> $1 LIMIT ${K}` };
  try {
    for (const v of variants) {
      const dir = mkdtempSync(join(tmpdir(), 'quiver-ab-'));
      cpSync(base, dir, { recursive: true });
      const s = await start(v.main, dir, v.env);
      servers.push(s);
      const cs: pg.Client[] = [];
      for (let i = 0; i < CLIENTS; i++) cs.push(await connect(s.port));
      // Every variant must search the cached graph: a server that cannot read the checkpoint (an
      // older labels format) rebuilds the index, and each rebuild's graph differs.
      const opened = await cs[0]!.query<{ opened_from: string }>('SELECT opened_from FROM quiver_ann_indexes');
      if (opened.rows[0]?.opened_from !== 'checkpoint') {
        throw new Error(`${v.name} did not open the index from the cached checkpoint (${opened.rows[0]?.opened_from ?? 'no index'}): remove ${base} to rebuild it`);
      }
      await onAll(cs, `SET hnsw.ef_search = ${EF}`);
      clients.push(cs);
      await timedLoad(cs, knn, ds.queryText, WARMUP, null, []); // warm-up
    }
    const one: number[][] = variants.map(() => []);
    const many: number[][] = variants.map(() => []);
    // Server CPU (all threads) per query, µs: less sensitive to other processes than QPS.
    const cpuOne: number[][] = variants.map(() => []);
    const cpuMany: number[][] = variants.map(() => []);
    const cpuPerQuery = (l: LoadResult): number => (l.serverCores === null ? NaN : (l.serverCores / l.qps) * 1e6);
    const found: (number[] | undefined)[][] = variants.map(() => new Array(Q));
    for (let r = 0; r < ROUNDS; r++) {
      const order = variants.map((_, i) => (i + r) % variants.length);
      for (const i of order) {
        const l = await timedLoad(clients[i]!.slice(0, 1), knn, ds.queryText, SECONDS, servers[i]!.proc.pid ?? null, found[i]!);
        one[i]!.push(l.qps);
        cpuOne[i]!.push(cpuPerQuery(l));
      }
      for (const i of order) {
        const l = await timedLoad(clients[i]!, knn, ds.queryText, SECONDS, servers[i]!.proc.pid ?? null, found[i]!);
        many[i]!.push(l.qps);
        cpuMany[i]!.push(cpuPerQuery(l));
      }
      log(`  round ${r + 1}: ` + variants.map((v, i) => `${v.name} 1c ${one[i]!.at(-1)!.toFixed(0)} / ${CLIENTS}c ${many[i]!.at(-1)!.toFixed(0)}`).join('; '));
    }
    log(`\nef_search=${EF}, ${ROUNDS} rounds × ${SECONDS} s, medians (ratio to ${variants[0]!.name}):`);
    for (let i = 0; i < variants.length; i++) {
      const f = found[i]!;
      const idx = f.map((x, q) => (x === undefined ? -1 : q)).filter((q) => q >= 0);
      const recall = recallAtK(idx.map((q) => ds.truth[q]!), idx.map((q) => f[q]!));
      const o = median(one[i]!), m = median(many[i]!);
      log(`  ${variants[i]!.name.padEnd(12)} 1 conn ${o.toFixed(0).padStart(5)} (${(o / median(one[0]!)).toFixed(2)}x)  ${CLIENTS} conns ${m.toFixed(0).padStart(5)} (${(m / median(many[0]!)).toFixed(2)}x)  recall@10 ${recall.toFixed(4)}; ` +
        `server CPU/query ${median(cpuOne[i]!).toFixed(0)} µs (1 conn), ${median(cpuMany[i]!).toFixed(0)} µs (${CLIENTS} conns)`);
    }
  } finally {
    for (const cs of clients) for (const c of cs) await c.end().catch(() => undefined);
    for (const s of servers) { await s.stop(); rmSync(s.dir, { recursive: true, force: true }); }
  }
}

await main();
