// Vector search benchmark, one command: clustered datasets (100k × 128 L2, 100k × 768 cosine) with
// exact ground truth; QuiverDB load (COPY through psql), HNSW build (with pg_stat_progress_create_index
// samples), recall@10/QPS across hnsw.ef_search at 1 and N connections, filtered queries with and
// without iterative scan, memory and disk per vector; the bare-usearch ceiling; the headline ratios.
//
// Run: npx tsc -p tsconfig.build.json && node dist/bench/vector/vector-bench.js
//   (or node --import tsx bench/vector/vector-bench.ts). Environment: BENCH_N (100000), BENCH_Q (1000),
//   BENCH_DATASETS (l2,cosine), BENCH_EF (10,20,40,80,160,320), BENCH_SECONDS per timed window (8),
//   BENCH_ROUNDS (2: windows per ef point and connection count, best counts), BENCH_CLIENTS (8), BENCH_FILTER_MIN_Q (200: queries per filtered point used for recall),
//   BENCH_QUIVER (built|tsx), BENCH_CACHE (.tmp/vector-bench), BENCH_CEILING_PASSES (3: timed passes of the
//   bare-library ceiling per sample; a sample is taken just before each QuiverDB window, the fastest counts).
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { recallAtK } from '../../src/vector/index.js';
import { PG_BIN_DIR } from '../../test/helpers/postgres-oracle.js';
import { REPO_ROOT, connect, startQuiver, type QuiverServer } from '../../test/helpers/quiver-server.js';
import { describeMachine, rssBytes, run, sampleRss } from '../lib/process.js';
import { fmt, ratio, table } from '../lib/stats.js';
import { CeilingProbe, type CeilingResult } from './ceiling.js';
import { FILTER_PERCENTS, K, loadDataset, specFor, type Dataset, type Metric } from './datasets.js';
import { formatAt, qpsAtRecall, type AtRecall } from './recall-curve.js';
import { fillMissing, onAll, timedLoad, type LoadResult, type Statement } from './search-load.js';
import { measureWireFloor, oneConnectionBound, type WireFloor } from './wire-floor.js';

const env = (k: string, d: string): string => process.env[k] ?? d;
const N = Number(env('BENCH_N', '100000'));
const Q = Number(env('BENCH_Q', '1000'));
const DATASETS = env('BENCH_DATASETS', 'l2,cosine').split(',').map((s) => s.trim()).filter((s) => s !== '') as Metric[];
const EFS = env('BENCH_EF', '10,20,40,80,160,320').split(',').map(Number);
const SECONDS = Number(env('BENCH_SECONDS', '8'));
const ROUNDS = Math.max(1, Number(env('BENCH_ROUNDS', '2')));
const CLIENTS = Number(env('BENCH_CLIENTS', '8'));
const FILTER_MIN_Q = Number(env('BENCH_FILTER_MIN_Q', '200'));
const BUILT = env('BENCH_QUIVER', existsSync(join(REPO_ROOT, 'dist', 'src', 'main.js')) ? 'built' : 'tsx') === 'built';
const CACHE = env('BENCH_CACHE', join(REPO_ROOT, '.tmp', 'vector-bench'));
const PSQL = existsSync(join(PG_BIN_DIR, 'psql')) ? join(PG_BIN_DIR, 'psql') : 'psql';
const M = 16;
const EF_CONSTRUCTION = 64;
const TARGET_RECALL = 0.95;

/** pgvector 0.8.6 on this kind of machine, 100k × 128 L2, m=16, ef_construction=64 (given, not measured here). */
const PGVECTOR = { qps8: 2059, qps1: 1131, buildSeconds: 27.7, copyRowsPerSec: 46400 };

for (const d of DATASETS) if (d !== 'l2' && d !== 'cosine') throw new Error(`BENCH_DATASETS: unknown dataset ${d} (l2, cosine)`);
for (const e of EFS) if (!Number.isInteger(e) || e < 1 || e > 1000) throw new Error(`BENCH_EF: bad ef ${e}`);

const log = (s: string): void => { console.log(s); };
const mib = (b: number | null): string => (b === null ? 'n/a' : (b / 2 ** 20).toFixed(1));

interface EfPoint {
  ef: number; recall: number; one: LoadResult; many: LoadResult; filled: number; oneRounds: number[]; manyRounds: number[];
  /** Each window's QPS over the ceiling sample taken just before it. */
  onePaired: number[]; manyPaired: number[];
}
interface FilterPoint { percent: number; mode: 'default' | 'iterative_scan = off'; recall: number; recallQueries: number; meanRows: number; load: LoadResult; plan: string }
interface QuiverResult {
  copySeconds: number; copyRowsPerSec: number; copyBytes: number;
  buildSeconds: number; progress: string[];
  rss: { beforeLoad: number | null; afterLoad: number | null; peakLoad: number | null; afterBuild: number | null; peakBuild: number | null; afterSearch: number | null };
  dataDirBytes: number | null; annFiles: Array<{ name: string; bytes: number }>;
  plan: string[]; planUsesIndex: boolean;
  efPoints: EfPoint[]; filterPoints: FilterPoint[];
  simpleProbe: string;
}
interface DatasetResult {
  name: Metric; n: number; dim: number; quiver: QuiverResult | null; quiverError: string | null; ceiling: CeilingResult;
  floor: WireFloor | null;
  /** The bare search served over the wire (raw responder + usearch), at `ef`. */
  served: (WireFloor & { ef: number }) | null;
}

function lastLines(s: string, n = 4): string { return s.trim().split('\n').slice(-n).join(' | '); }

/** COPY items FROM STDIN through psql, stdin read straight from the cached text file. */
function psqlCopy(port: number, file: string): Promise<{ code: number | null; stderr: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const fd = openSync(file, 'r');
    const t0 = performance.now();
    const p = spawn(PSQL, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-X', '-q', '-v', 'ON_ERROR_STOP=1',
      '-c', 'COPY items (id, category, embedding) FROM STDIN'], { stdio: [fd, 'pipe', 'pipe'] });
    let stderr = '';
    p.stdout?.on('data', () => { /* nothing expected */ });
    p.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
    p.on('error', (e) => { closeSync(fd); reject(e); });
    p.on('close', (code) => { closeSync(fd); resolve({ code, stderr, ms: performance.now() - t0 }); });
  });
}

async function duBytes(dir: string): Promise<number | null> {
  const r = await run('du', ['-sb', dir]);
  const m = /^(\d+)/.exec(r.stdout);
  return m ? Number(m[1]) : null;
}

function annFiles(dataDir: string): Array<{ name: string; bytes: number }> {
  const dir = join(dataDir, 'ann');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).map((name) => ({ name, bytes: statSync(join(dir, name)).size }));
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function benchQuiver(ds: Dataset, server: QuiverServer, ceiling: CeilingProbe): Promise<QuiverResult> {
  const pid = server.process.pid ?? null;
  const rss = (): number | null => (pid === null ? null : rssBytes(pid));
  const { n, dim } = ds.spec;
  const opclass = ds.spec.name === 'l2' ? 'vector_l2_ops' : 'vector_cosine_ops';
  const op = ds.spec.name === 'l2' ? '<->' : '<=>';
  const admin = await connect(server.port);
  const clients: pg.Client[] = [];
  try {
    await admin.query('CREATE EXTENSION IF NOT EXISTS vector');
    await admin.query(`CREATE TABLE items (id int PRIMARY KEY, category int, embedding vector(${dim}))`);
    await sleep(500);
    const beforeLoad = rss();

    // 1. Load.
    log(`  COPY ${n} rows (${mib(ds.copyBytes)} MiB of text) through psql ...`);
    const loadSampler = pid === null ? null : sampleRss(pid, 500);
    const copy = await psqlCopy(server.port, ds.copyFile);
    const loadSamples = loadSampler?.stop() ?? [];
    if (copy.code !== 0) throw new Error(`COPY failed: ${lastLines(copy.stderr)}`);
    const count = Number((await admin.query('SELECT count(*) AS n FROM items')).rows[0].n);
    if (count !== n) throw new Error(`COPY loaded ${count} rows, expected ${n}`);
    const copySeconds = copy.ms / 1000;
    await sleep(500);
    const afterLoad = rss();
    log(`  COPY: ${copySeconds.toFixed(2)} s, ${(n / copySeconds).toFixed(0)} rows/s; RSS ${mib(beforeLoad)} → ${mib(afterLoad)} MiB`);

    // 2. Index build, with progress sampled from a second connection.
    const watcher = await connect(server.port);
    const progress: string[] = [];
    const buildSampler = pid === null ? null : sampleRss(pid, 500);
    const t0 = performance.now();
    let building = true;
    const built = admin.query(`CREATE INDEX items_embedding_idx ON items USING hnsw (embedding ${opclass}) WITH (m = ${M}, ef_construction = ${EF_CONSTRUCTION})`)
      .finally(() => { building = false; });
    const poll = (async () => {
      while (building) {
        const s = performance.now();
        const r = await watcher.query('SELECT phase, tuples_done, tuples_total FROM pg_stat_progress_create_index');
        const answeredAt = ((performance.now() - t0) / 1000).toFixed(2);
        const waited = ((performance.now() - s) / 1000).toFixed(2);
        for (const row of r.rows as Array<{ phase: string; tuples_done: string; tuples_total: string }>) {
          progress.push(`t=${answeredAt}s (answered in ${waited}s): ${row.phase}, ${row.tuples_done}/${row.tuples_total} tuples`);
        }
        await sleep(250);
      }
    })();
    await built;
    const buildSeconds = (performance.now() - t0) / 1000;
    await poll;
    await watcher.end();
    const buildSamples = buildSampler?.stop() ?? [];
    await sleep(500);
    const afterBuild = rss();
    log(`  CREATE INDEX ... USING hnsw (m=${M}, ef_construction=${EF_CONSTRUCTION}): ${buildSeconds.toFixed(2)} s; RSS ${mib(afterBuild)} MiB; ${progress.length} progress samples`);
    const shown = progress.length <= 8 ? progress : Array.from({ length: 8 }, (_, i) => progress[Math.round((i * (progress.length - 1)) / 7)]!);
    for (const p of shown) log(`    ${p}`);

    // 3. Disk: wait briefly for the index checkpoint files.
    let files = annFiles(server.dataDir!);
    for (let i = 0; i < 20 && files.length === 0; i++) { await sleep(250); files = annFiles(server.dataDir!); }
    const dataDirBytes = await duBytes(server.dataDir!);

    // 4. Plan check.
    const q0 = ds.queryText[0]!;
    const plan = (await admin.query(`EXPLAIN SELECT id FROM items ORDER BY embedding ${op} '${q0}' LIMIT ${K}`)).rows
      .map((r: Record<string, string>) => r['QUERY PLAN']!.replace(/'\[[^\]]*\]'/, "'[...]'"));
    const planUsesIndex = plan.some((l) => l.includes('Index Scan using'));
    log(`  EXPLAIN: ${plan.map((l) => l.trim()).join(' / ')}`);

    // 5. Unfiltered sweep over ef_search.
    for (let c = 0; c < CLIENTS; c++) clients.push(await connect(server.port));
    const knn: Statement = { name: 'knn', text: `SELECT id FROM items ORDER BY embedding ${op} $1 LIMIT ${K}` };
    await onAll(clients, 'SET hnsw.ef_search = 40');
    await timedLoad(clients, knn, ds.queryText, Math.min(3, SECONDS), pid, []); // warm-up
    const efPoints: EfPoint[] = [];
    for (const ef of EFS) {
      await onAll(clients, `SET hnsw.ef_search = ${ef}`);
      const found: (number[] | undefined)[] = new Array(Q);
      // Rounds alternate 1 and N connections; the best round counts (the machine is shared, and
      // interference only ever lowers throughput). The ceiling is sampled just before each window.
      const ones: LoadResult[] = [];
      const manys: LoadResult[] = [];
      const onePaired: number[] = [];
      const manyPaired: number[] = [];
      const ceilingSamples: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        let c = ceiling.sample(ef);
        ceilingSamples.push(c);
        ones.push(await timedLoad(clients.slice(0, 1), knn, ds.queryText, SECONDS, pid, found));
        onePaired.push(ones[r]!.qps / c);
        c = ceiling.sample(ef);
        ceilingSamples.push(c);
        manys.push(await timedLoad(clients, knn, ds.queryText, SECONDS, pid, found));
        manyPaired.push(manys[r]!.qps / c);
      }
      const best = (xs: LoadResult[]): LoadResult => xs.reduce((a, b) => (b.qps > a.qps ? b : a));
      const one = best(ones);
      const many = best(manys);
      const filled = await fillMissing(clients, knn, ds.queryText, found);
      const recall = recallAtK(ds.truth, found as number[][]);
      efPoints.push({ ef, recall, one, many, filled, oneRounds: ones.map((x) => x.qps), manyRounds: manys.map((x) => x.qps), onePaired, manyPaired });
      for (const e of [...ones, ...manys].flatMap((x) => x.errors)) log(`    error: ${e}`);
      const rounds = (xs: LoadResult[]): string => xs.map((x) => x.qps.toFixed(0)).join('/');
      log(`  ef_search=${ef}: recall@10 ${recall.toFixed(4)}; 1 conn ${rounds(ones)} QPS (p50 ${one.p50ms.toFixed(2)} ms); ` +
        `${CLIENTS} conns ${rounds(manys)} QPS (p99 ${many.p99ms.toFixed(2)} ms, server ${fmt(many.serverCores, 2)} cores, client ${many.clientCores.toFixed(2)} cores); ` +
        `usearch samples ${ceilingSamples.map((x) => x.toFixed(0)).join('/')} QPS`);
    }
    await onAll(clients, 'RESET hnsw.ef_search');

    // 6. Filtered queries: default settings, then plain pgvector behaviour (iterative scan off).
    const filterPoints: FilterPoint[] = [];
    for (const mode of ['default', 'iterative_scan = off'] as const) {
      const c = await connect(server.port);
      try {
        if (mode !== 'default') await c.query('SET hnsw.iterative_scan = off');
        for (const percent of FILTER_PERCENTS) {
          const stmt: Statement = { name: `f${percent}`, text: `SELECT id FROM items WHERE category < ${percent} ORDER BY embedding ${op} $1 LIMIT ${K}` };
          const planRows = (await c.query(`EXPLAIN SELECT id FROM items WHERE category < ${percent} ORDER BY embedding ${op} '${q0}' LIMIT ${K}`)).rows
            .map((r: Record<string, string>) => r['QUERY PLAN']!.trim());
          const scan = planRows.find((l) => /Scan/.test(l))?.replace(/^->\s*/, '').replace(/\s+\(cost.*$/, '') ?? planRows.join(' / ');
          const found: (number[] | undefined)[] = new Array(Q);
          const load = await timedLoad([c], stmt, ds.queryText, SECONDS, pid, found);
          let covered = found.filter((f) => f !== undefined).length;
          const want = Math.min(Q, FILTER_MIN_Q);
          if (covered < want) {
            // Slow points (e.g. a 1 % filter without iterative scan) still get recall over `want` queries, untimed.
            await fillMissing([c], stmt, ds.queryText, found, want - covered);
            covered = found.filter((f) => f !== undefined).length;
          }
          const truth = ds.filteredTruth.get(percent)!;
          const idx = found.map((f, i) => (f === undefined ? -1 : i)).filter((i) => i >= 0);
          const recall = recallAtK(idx.map((i) => truth[i]!), idx.map((i) => found[i]!));
          const meanRows = idx.reduce((s, i) => s + found[i]!.length, 0) / Math.max(1, idx.length);
          filterPoints.push({ percent, mode, recall, recallQueries: covered, meanRows, load, plan: scan });
          for (const e of load.errors) log(`    error: ${e}`);
          log(`  filter ${percent}% (${mode}): recall@10 ${recall.toFixed(4)} over ${covered} queries, ${meanRows.toFixed(2)} rows/query, ` +
            `${load.qps.toFixed(1)} QPS (1 conn, p50 ${load.p50ms.toFixed(2)} ms); plan: ${scan}`);
        }
      } finally {
        await c.end();
      }
    }

    // 7. Probe: the same filtered query through the simple-query protocol (literals in the text).
    let simpleProbe = '';
    {
      const c = await connect(server.port);
      try {
        await c.query('SET hnsw.iterative_scan = off');
        await c.query('SET hnsw.ef_search = 10');
        const text = `SELECT id FROM items WHERE category < 1 ORDER BY embedding ${op} '${q0}' LIMIT ${K}`;
        let t = performance.now();
        const simple = await c.query(text);
        const simpleMs = performance.now() - t;
        t = performance.now();
        const ext = await c.query({ text: `SELECT id FROM items WHERE category < 1 ORDER BY embedding ${op} $1 LIMIT ${K}`, values: [q0] });
        const extMs = performance.now() - t;
        simpleProbe = `ef_search=10, iterative_scan=off, 1% filter: simple protocol ${simple.rows.length} rows in ${simpleMs.toFixed(1)} ms, ` +
          `extended protocol ${ext.rows.length} rows in ${extMs.toFixed(1)} ms` +
          (simple.rows.length !== ext.rows.length ? ' (differ: the simple-query path did not run the index scan)' : '');
        log(`  probe: ${simpleProbe}`);
      } finally {
        await c.end();
      }
    }
    const afterSearch = rss();
    const peak = (xs: number[]): number | null => (xs.length === 0 ? null : Math.max(...xs));
    return {
      copySeconds, copyRowsPerSec: n / copySeconds, copyBytes: ds.copyBytes, buildSeconds, progress,
      rss: { beforeLoad, afterLoad, peakLoad: peak([...loadSamples, afterLoad ?? 0]), afterBuild, peakBuild: peak([...buildSamples, afterBuild ?? 0]), afterSearch },
      dataDirBytes, annFiles: files, plan, planUsesIndex, efPoints, filterPoints, simpleProbe,
    };
  } finally {
    for (const c of clients) await c.end().catch(() => undefined);
    await admin.end().catch(() => undefined);
  }
}

function curve(r: QuiverResult, which: 'one' | 'many'): AtRecall {
  return qpsAtRecall(r.efPoints.map((p) => ({ recall: p.recall, qps: p[which].qps })), TARGET_RECALL);
}

function pairedText(ratios: readonly number[]): string {
  return ratios.map((r) => r.toFixed(2)).join('/');
}

function report(results: DatasetResult[]): void {
  for (const d of results) {
    log(`\n## ${d.name}: ${d.n} × ${d.dim}${d.name === 'cosine' ? ' (normalized)' : ''}, ${Q} queries, k=${K}`);
    const q = d.quiver;
    if (q === null) { log(`QuiverDB failed: ${d.quiverError ?? 'unknown'}`); }
    else {
      log('\nLoad and build');
      const perVec = (b: number | null): string => (b === null ? 'n/a' : `${(b / d.n).toFixed(0)} B`);
      const delta = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : b - a);
      log(table(['step', 'value'], [
        ['COPY (psql, text)', `${q.copySeconds.toFixed(2)} s, ${q.copyRowsPerSec.toFixed(0)} rows/s, ${mib(q.copyBytes)} MiB text`],
        [`CREATE INDEX hnsw (m=${M}, ef_construction=${EF_CONSTRUCTION})`, `${q.buildSeconds.toFixed(2)} s`],
        ['usearch in-process build (same params)', `${d.ceiling.buildSeconds.toFixed(2)} s on ${d.ceiling.threads} threads`],
        ['EXPLAIN', q.planUsesIndex ? 'Index Scan using items_embedding_idx' : `no index scan: ${q.plan.join(' / ')}`],
      ]));
      log('\nMemory and disk');
      log(table(['measure', 'MiB', 'per vector'], [
        ['server RSS before load', mib(q.rss.beforeLoad), ''],
        ['server RSS after load (peak during COPY)', `${mib(q.rss.afterLoad)} (${mib(q.rss.peakLoad)})`, perVec(delta(q.rss.beforeLoad, q.rss.afterLoad))],
        ['server RSS after index build (peak during)', `${mib(q.rss.afterBuild)} (${mib(q.rss.peakBuild)})`, perVec(delta(q.rss.afterLoad, q.rss.afterBuild))],
        ['server RSS after searches', mib(q.rss.afterSearch), ''],
        ['data directory (du)', mib(q.dataDirBytes), perVec(q.dataDirBytes)],
        ...q.annFiles.map((f) => [`  ann/${f.name}`, mib(f.bytes), perVec(f.bytes)]),
        ['raw float32 vectors', mib(d.n * d.dim * 4), `${d.dim * 4} B`],
      ]));
      log(`\nSearch: recall@10 and QPS per hnsw.ef_search (prepared statement; best of ${ROUNDS} × ${SECONDS} s windows; ${CLIENTS} conns share this 2-core machine with the client)`);
      const ce = new Map(d.ceiling.points.map((p) => [p.ef, p]));
      log(table(['ef', 'recall@10', 'QPS 1 conn', 'p50 ms', `QPS ${CLIENTS} conns`, 'p99 ms', 'server cores', 'client cores', 'usearch QPS 1 thr', 'usearch recall',
        '1 conn / usearch', `${CLIENTS} conns / usearch`],
        q.efPoints.map((p) => [String(p.ef), p.recall.toFixed(4), p.one.qps.toFixed(0), p.one.p50ms.toFixed(2), p.many.qps.toFixed(0), p.many.p99ms.toFixed(2),
          fmt(p.many.serverCores, 2), p.many.clientCores.toFixed(2), fmt(ce.get(p.ef)?.qps ?? null, 0), ce.get(p.ef)?.recall.toFixed(4) ?? 'n/a',
          pairedText(p.onePaired), pairedText(p.manyPaired)])));
      log('(the last two columns: each window\'s QPS over the usearch sample taken just before it, per round)');
      log(`\nFiltered (WHERE category < x; 1 connection, ${SECONDS} s per point; recall vs exact filtered top-10)`);
      log(table(['selectivity', 'settings', 'recall@10', 'rows/query', 'QPS', 'p50 ms', 'plan'],
        q.filterPoints.map((p) => [`${p.percent}%`, p.mode, `${p.recall.toFixed(4)} (${p.recallQueries} q)`, p.meanRows.toFixed(2), p.load.qps.toFixed(1), p.load.p50ms.toFixed(2), p.plan])));
      log(`\nProbe: ${q.simpleProbe}`);
    }
    log('\nCeiling: bare usearch in-process (f32, same graph parameters), sampled before each QuiverDB window; the fastest sample counts');
    log(table(['ef', 'recall@10', 'QPS 1 thread', 'samples', `QPS batch ${d.ceiling.threads} threads`],
      d.ceiling.points.map((p) => [String(p.ef), p.recall.toFixed(4), p.qps.toFixed(0), p.samples.map((x) => x.toFixed(0)).join('/'), p.batchQps.toFixed(0)])));
  }

  log('\n## Headline: QPS at recall@10 = 0.95 (interpolated between ef points)');
  const rows: string[][] = [];
  for (const d of results) {
    const ceil = qpsAtRecall(d.ceiling.points.map((p) => ({ recall: p.recall, qps: p.qps })), TARGET_RECALL);
    const q = d.quiver;
    const one = q === null ? null : curve(q, 'one');
    const many = q === null ? null : curve(q, 'many');
    rows.push([`${d.name} ${d.n}×${d.dim}`, one === null ? 'n/a' : formatAt(one), many === null ? 'n/a' : formatAt(many), formatAt(ceil),
      ratio(one?.qps ?? null, ceil.qps), ratio(many?.qps ?? null, ceil.qps)]);
  }
  log(table(['dataset', 'QuiverDB 1 conn', `QuiverDB ${CLIENTS} conns`, 'usearch 1 thread', '1 conn / ceiling', `${CLIENTS} conns / ceiling`], rows));

  log('\n## Through the wire with no engine: a raw pgwire responder (same client, same statement) returning ten fixed rows, and the same responder running the bare usearch search per query');
  const floorRows: string[][] = [];
  for (const d of results) {
    const ceil = qpsAtRecall(d.ceiling.points.map((p) => ({ recall: p.recall, qps: p.qps })), TARGET_RECALL).qps;
    if (d.floor === null || ceil === null) continue;
    const bound = oneConnectionBound(d.floor.one, ceil);
    const s = d.served;
    const atEf = s === null ? undefined : d.ceiling.points.find((p) => p.ef === s.ef);
    const q = d.quiver?.efPoints.find((p) => p.ef === s?.ef);
    floorRows.push([`${d.name} ${d.n}×${d.dim}`, d.floor.one.toFixed(0), d.floor.many.toFixed(0), `${bound.toFixed(0)} (${ratio(bound, ceil)})`,
      s === null ? 'n/a' : `ef ${s.ef}: ${s.one.toFixed(0)} / ${s.many.toFixed(0)}`,
      s === null || atEf === undefined ? 'n/a' : `${ratio(s.one, atEf.qps)} / ${ratio(s.many, atEf.qps)}`,
      s === null || q === undefined ? 'n/a' : `${ratio(q.one.qps, s.one)} / ${ratio(q.many.qps, s.many)}`]);
  }
  log(table(['dataset', 'floor 1 conn', `floor ${CLIENTS} conns`, '1 conn bound: floor + bare search (/ ceiling)',
    `served search QPS 1 / ${CLIENTS} conns`, 'served / ceiling at that ef', 'QuiverDB / served'], floorRows));

  const l2 = results.find((r) => r.name === 'l2' && r.quiver !== null);
  if (l2 !== undefined && l2.quiver !== null) {
    const q = l2.quiver;
    const same = l2.n === 100000 && l2.dim === 128;
    log(`\n## Against pgvector 0.8.6 (reference figures for 100k × 128 on this kind of machine, not measured here${same ? '' : `; THIS RUN IS ${l2.n} × ${l2.dim}, so ratios are indicative only`})`);
    const one = curve(q, 'one').qps, many = curve(q, 'many').qps;
    log(table(['measure', 'QuiverDB', 'pgvector', 'QuiverDB/pgvector', 'target'], [
      [`QPS @0.95, ${CLIENTS} conns`, fmt(many, 0), String(PGVECTOR.qps8), ratio(many, PGVECTOR.qps8), '≥ 2.00x'],
      ['QPS @0.95, 1 conn', fmt(one, 0), String(PGVECTOR.qps1), ratio(one, PGVECTOR.qps1), '≥ 2.00x'],
      ['HNSW build s', q.buildSeconds.toFixed(2), String(PGVECTOR.buildSeconds), ratio(q.buildSeconds, PGVECTOR.buildSeconds), '≤ 0.50x'],
      ['COPY rows/s', q.copyRowsPerSec.toFixed(0), String(PGVECTOR.copyRowsPerSec), ratio(q.copyRowsPerSec, PGVECTOR.copyRowsPerSec), ''],
    ]));
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  log(`# Vector bench: N=${N}, queries=${Q}, datasets=${DATASETS.join(',')}, ef_search=${EFS.join(',')}, ${ROUNDS} × ${SECONDS} s per point, ${CLIENTS} connections`);
  log(`machine: ${describeMachine()}; load average at start ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const head = (await run('git', ['-C', REPO_ROOT, 'rev-parse', '--short', 'HEAD'])).stdout.trim() || 'unknown';
  const dirty = (await run('git', ['-C', REPO_ROOT, 'status', '--porcelain', '--', 'src'])).stdout.trim() !== '';
  log(`QuiverDB: ${BUILT ? 'dist/src/main.js (built)' : 'src/main.ts via tsx'} at ${head}${dirty ? ' (src/ has uncommitted changes)' : ''}; cache ${CACHE}`);
  const results: DatasetResult[] = [];
  for (const name of DATASETS) {
    const spec = specFor(name, N, Q);
    log(`\n# dataset ${name}: ${spec.n} × ${spec.dim}${spec.normalize ? ' normalized' : ''}, ${spec.decimals} decimals`);
    const ds = loadDataset(spec, CACHE, log);
    let quiver: QuiverResult | null = null;
    let quiverError: string | null = null;
    const probe = new CeilingProbe(ds, M, EF_CONSTRUCTION, log);
    const server = await startQuiver({ built: BUILT, readyTimeoutMs: 120_000 });
    try {
      quiver = await benchQuiver(ds, server, probe);
    } catch (e) {
      quiverError = (e as Error).message;
      log(`  QuiverDB run failed: ${quiverError}\n  server output (tail): ${lastLines(server.output(), 6)}`);
    } finally {
      await server.stop();
      server.cleanup();
    }
    // The floor any server stands on here: the same client and statement against a responder that does nothing.
    let floor: WireFloor | null = null;
    let served: DatasetResult['served'] = null;
    try {
      const stmt = { name: 'knn', text: `SELECT id FROM items ORDER BY embedding ${name === 'l2' ? '<->' : '<=>'} $1 LIMIT ${K}` };
      floor = await measureWireFloor(BUILT, stmt, ds.queryText, CLIENTS, SECONDS);
      log(`  wire floor (raw responder, no engine): 1 conn ${floor.one.toFixed(0)} QPS, ${CLIENTS} conns ${floor.many.toFixed(0)} QPS`);
      // The bare search served over the wire, at the first ef where the bare library reaches the target recall.
      const ef = probe.result().points.find((p) => p.recall >= TARGET_RECALL)?.ef;
      if (ef !== undefined) {
        const search = { file: probe.file, dimensions: ds.dim, metric: name === 'l2' ? 'l2' as const : 'cos' as const, ef };
        served = { ...await measureWireFloor(BUILT, stmt, ds.queryText, CLIENTS, SECONDS, search), ef };
        log(`  bare search served over the wire (ef ${ef}): 1 conn ${served.one.toFixed(0)} QPS, ${CLIENTS} conns ${served.many.toFixed(0)} QPS`);
      }
    } catch (e) {
      log(`  wire floor not measured: ${(e as Error).message}`);
    }
    // Without QuiverDB's windows (it failed) the ceiling is still sampled at every ef.
    for (const ef of EFS) if (!probe.result().points.some((p) => p.ef === ef)) probe.sample(ef);
    const ceiling = probe.result();
    probe.close();
    for (const p of ceiling.points) {
      log(`  usearch ef=${p.ef}: ${p.qps.toFixed(0)} QPS single-thread (samples ${p.samples.map((x) => x.toFixed(0)).join('/')}), ` +
        `${p.batchQps.toFixed(0)} QPS batch on ${ceiling.threads} threads, recall@10 ${p.recall.toFixed(4)}`);
    }
    results.push({ name, n: spec.n, dim: spec.dim, quiver, quiverError, ceiling, floor, served });
  }
  report(results);
  log(`\ntotal bench time ${((performance.now() - started) / 60000).toFixed(1)} min; load average at end ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  mkdirSync(join(REPO_ROOT, '.tmp'), { recursive: true });
  writeFileSync(join(REPO_ROOT, '.tmp', 'bench-vector.json'), JSON.stringify({ n: N, q: Q, efs: EFS, seconds: SECONDS, clients: CLIENTS, machine: describeMachine(), results }, null, 2));
}

await main();
