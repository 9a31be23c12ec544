// HNSW indexes hosted in the worker thread (QUIVER_ANN_WORKER=on, built server: the worker loads
// compiled JavaScript): searches through the index find the exact neighbours on small data, see
// new rows at once, follow deletes, survive a restart from their checkpoint and a kill -9.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, connect, startQuiver, type QuiverServer } from '../helpers/quiver-server.js';
import { clusteredData, exactTopK, recallAtK } from '../../src/vector/index.js';

const N = 3000;
const DIM = 16;
let dataDir: string;
let server: QuiverServer;
let c: pg.Client;
const data = clusteredData({ count: N, dim: DIM, seed: 11 }, 30);
const lit = (v: Float32Array | number[]): string => `[${Array.from(v).join(',')}]`;
const l2 = (a: Float32Array, b: Float32Array): number => { let s = 0; for (let i = 0; i < a.length; i++) { const d = a[i]! - b[i]!; s += d * d; } return s; };
/**
 * A new vector just beside data vector i, so the graph links it from i's neighbourhood (an outlier
 * far from every cluster may be left unreachable by HNSW's neighbour pruning, in pgvector too):
 * searching for it must find the new row first.
 */
const twin = (i: number): number[] => Array.from(data.vector(i), (x, d) => (d === 0 ? x + 1e-3 : x));

async function start(): Promise<void> {
  server = await startQuiver({ built: true, dataDir, env: { QUIVER_ANN_WORKER: 'on' } });
  c = await connect(server.port);
  await c.query('SET enable_seqscan = off');
}

async function search(): Promise<number[][]> {
  const out: number[][] = [];
  for (let q = 0; q < 30; q++) {
    const r = await c.query('SELECT id FROM items ORDER BY embedding <-> $1 LIMIT 10', [lit(data.query(q))]);
    out.push(r.rows.map((x: { id: string }) => Number(x.id)));
  }
  return out;
}

beforeAll(async () => {
  execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: REPO_ROOT });
  dataDir = mkdtempSync(join(tmpdir(), 'quiver-ann-worker-'));
  await start();
  await c.query(`CREATE TABLE items (id int PRIMARY KEY, embedding vector(${DIM}))`);
  for (let s = 0; s < N; s += 500) {
    const values: string[] = [];
    for (let i = s; i < Math.min(N, s + 500); i++) values.push(`(${i}, '${lit(data.vector(i))}')`);
    await c.query(`INSERT INTO items VALUES ${values.join(',')}`);
  }
  await c.query('CREATE INDEX items_hnsw ON items USING hnsw (embedding vector_l2_ops)');
}, 180_000);

afterAll(async () => {
  await c?.end().catch(() => undefined);
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('HNSW in the worker thread', () => {
  it('answers through the index with the exact neighbours (recall ≥ 0.95)', async () => {
    const plan = (await c.query(`EXPLAIN SELECT id FROM items ORDER BY embedding <-> '${lit(data.query(0))}' LIMIT 10`)).rows;
    expect(plan.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n')).toContain('Index Scan using items_hnsw');
    const where = await c.query(`SELECT runs_in FROM quiver_ann_indexes WHERE indexname = 'items_hnsw'`);
    expect(where.rows).toEqual([{ runs_in: 'worker thread' }]);
    expect(recallAtK(exactTopK(data, 10, l2), await search())).toBeGreaterThanOrEqual(0.95);
  });

  it('sees inserts and deletes at once, also from concurrent sessions', async () => {
    const fresh = twin(5);
    await c.query(`INSERT INTO items VALUES (100000, '${lit(fresh)}')`);
    const others = await Promise.all([1, 2, 3].map(() => connect(server.port)));
    try {
      const hits = await Promise.all(others.map((o) => o.query(`SELECT id FROM items ORDER BY embedding <-> '${lit(fresh)}' LIMIT 1`)));
      expect(hits.map((h) => h.rows[0].id)).toEqual(['100000', '100000', '100000']);
    } finally {
      await Promise.all(others.map((o) => o.end()));
    }
    await c.query('DELETE FROM items WHERE id = 100000');
    const r = await c.query(`SELECT id FROM items ORDER BY embedding <-> '${lit(fresh)}' LIMIT 1`);
    expect(r.rows[0].id).not.toBe('100000');
  });

  it('comes back from its checkpoint after a clean restart and after kill -9', async () => {
    await c.query(`INSERT INTO items VALUES (200000, '${lit(Array.from({ length: DIM }, () => -500))}')`);
    await c.end();
    await server.stop();
    await start();
    let opened = await c.query(`SELECT opened_from, runs_in FROM quiver_ann_indexes WHERE indexname = 'items_hnsw'`);
    expect(opened.rows[0]).toEqual({ opened_from: 'checkpoint', runs_in: 'worker thread' });
    expect(recallAtK(exactTopK(data, 10, l2), await search())).toBeGreaterThanOrEqual(0.95);
    await c.query(`INSERT INTO items VALUES (300000, '${lit(twin(9))}')`);
    await c.end();
    await server.kill9();
    await start();
    opened = await c.query(`SELECT opened_from, replayed_versions FROM quiver_ann_indexes WHERE indexname = 'items_hnsw'`);
    expect(opened.rows[0].opened_from).toBe('checkpoint');
    const hit = await c.query(`SELECT id FROM items ORDER BY embedding <-> '${lit(twin(9))}' LIMIT 1`);
    expect(hit.rows[0].id).toBe('300000');
  });
});

// The hybrid index (the built server's default): a lone session searches in-line on the main
// thread, concurrent sessions through the worker's mirror. Both must return the same rows, and the
// mirror must follow inserts and deletes made after it was made. An index above the mirror size
// limit (QUIVER_ANN_MIRROR_MAX_MB) gets no mirror and answers concurrent searches in-line.
describe('HNSW hybrid (main thread + worker mirror)', () => {
  let hDir: string;
  let hServer: QuiverServer;
  const clients: pg.Client[] = [];
  const queryIds = async (cl: pg.Client, v: Float32Array | number[], limit = 10): Promise<number[]> =>
    (await cl.query({ name: `knn${limit}`, text: `SELECT id FROM items ORDER BY embedding <-> $1 LIMIT ${limit}`, values: [lit(v)] }))
      .rows.map((x: { id: string }) => Number(x.id));
  /** Every query from every client at once, so the server sees overlapping searches. */
  const concurrently = (v: Float32Array | number[], limit = 10): Promise<number[][]> => Promise.all(clients.map((cl) => queryIds(cl, v, limit)));
  const startHybrid = async (env: Record<string, string> = {}): Promise<void> => {
    hServer = await startQuiver({ built: true, dataDir: hDir, env });
    clients.length = 0;
    for (let i = 0; i < 8; i++) {
      const cl = await connect(hServer.port);
      await cl.query('SET enable_seqscan = off');
      clients.push(cl);
    }
  };
  const stopHybrid = async (): Promise<void> => {
    for (const cl of clients) await cl.end().catch(() => undefined);
    await hServer?.stop();
  };

  beforeAll(async () => {
    hDir = mkdtempSync(join(tmpdir(), 'quiver-ann-hybrid-'));
    await startHybrid();
    const c0 = clients[0]!;
    await c0.query(`CREATE TABLE items (id int PRIMARY KEY, embedding vector(${DIM}))`);
    for (let s = 0; s < N; s += 500) {
      const values: string[] = [];
      for (let i = s; i < Math.min(N, s + 500); i++) values.push(`(${i}, '${lit(data.vector(i))}')`);
      await c0.query(`INSERT INTO items VALUES ${values.join(',')}`);
    }
    await c0.query('CREATE INDEX items_hnsw ON items USING hnsw (embedding vector_l2_ops)');
  }, 180_000);

  afterAll(async () => {
    await stopHybrid();
    rmSync(hDir, { recursive: true, force: true });
  });

  const runsIn = async (): Promise<string> =>
    (await clients[0]!.query(`SELECT runs_in FROM quiver_ann_indexes WHERE indexname = 'items_hnsw'`)).rows[0].runs_in as string;

  it('returns the same rows in-line (one session) and through the mirror (concurrent sessions)', async () => {
    const alone: number[][] = [];
    for (let q = 0; q < 30; q++) alone.push(await queryIds(clients[0]!, data.query(q)));
    expect(recallAtK(exactTopK(data, 10, l2), alone)).toBeGreaterThanOrEqual(0.95);
    expect(await runsIn()).toBe('main thread');
    for (let q = 0; q < 30; q++) {
      const together = await concurrently(data.query(q));
      for (const ids of together) expect(ids).toEqual(alone[q]);
    }
    expect(await runsIn()).toBe('main thread + worker mirror');
    // After the concurrent burst, a lone session gets the same rows again.
    for (let q = 0; q < 5; q++) expect(await queryIds(clients[0]!, data.query(q))).toEqual(alone[q]);
  });

  it('the mirror sees inserts and deletes made after it was made; own writes stay private', async () => {
    const fresh = twin(5);
    await clients[0]!.query(`INSERT INTO items VALUES (100000, '${lit(fresh)}')`);
    expect(await concurrently(fresh, 1)).toEqual(clients.map(() => [100000]));
    await clients[0]!.query('DELETE FROM items WHERE id = 100000');
    for (const ids of await concurrently(fresh, 1)) expect(ids).not.toEqual([100000]);
    // An uncommitted insert is seen by its own transaction only, in-line or concurrently.
    const near = twin(8);
    await clients[1]!.query('BEGIN');
    await clients[1]!.query(`INSERT INTO items VALUES (100001, '${lit(near)}')`);
    const seen = await concurrently(near, 1);
    expect(seen[1]).toEqual([100001]);
    for (const [i, ids] of seen.entries()) if (i !== 1) expect(ids).not.toEqual([100001]);
    await clients[1]!.query('ROLLBACK');
    expect(await queryIds(clients[1]!, near, 1)).not.toEqual([100001]);
  });

  it('filtered and iterative scans give the same rows in-line and concurrently', async () => {
    const q = data.query(3);
    const text = 'SELECT id FROM items WHERE id % 7 = 0 ORDER BY embedding <-> $1 LIMIT 10';
    const one = (await clients[0]!.query({ name: 'f7', text, values: [lit(q)] })).rows.map((x: { id: string }) => Number(x.id));
    expect(one).toHaveLength(10);
    expect(one.every((id) => id % 7 === 0)).toBe(true);
    const all = await Promise.all(clients.map((cl) => cl.query({ name: 'f7', text, values: [lit(q)] })));
    for (const r of all) expect(r.rows.map((x: { id: string }) => Number(x.id))).toEqual(one);
  });

  it('comes back from its checkpoint and serves concurrent searches again', async () => {
    const before = await queryIds(clients[0]!, data.query(7));
    await stopHybrid();
    await startHybrid();
    const opened = await clients[0]!.query(`SELECT opened_from FROM quiver_ann_indexes WHERE indexname = 'items_hnsw'`);
    expect(opened.rows[0].opened_from).toBe('checkpoint');
    expect(await queryIds(clients[0]!, data.query(7))).toEqual(before);
    for (const ids of await concurrently(data.query(7))) expect(ids).toEqual(before);
  });

  it('an index above the mirror size limit answers concurrent searches in-line, with the same rows', async () => {
    const before = await queryIds(clients[0]!, data.query(2));
    await stopHybrid();
    await startHybrid({ QUIVER_ANN_MIRROR_MAX_MB: '0' });
    for (let q = 0; q < 3; q++) for (const ids of await concurrently(data.query(2))) expect(ids).toEqual(before);
    expect(await runsIn()).toBe('main thread');
  });

  it('QUIVER_ANN_WORKER=off keeps every search on the main thread', async () => {
    const before = await queryIds(clients[0]!, data.query(4));
    await stopHybrid();
    await startHybrid({ QUIVER_ANN_WORKER: 'off' });
    for (const ids of await concurrently(data.query(4))) expect(ids).toEqual(before);
    expect(await runsIn()).toBe('main thread');
  });
});
