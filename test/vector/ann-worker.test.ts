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
    const far = Array.from({ length: DIM }, () => 1000);
    await c.query(`INSERT INTO items VALUES (100000, '${lit(far)}')`);
    const others = await Promise.all([1, 2, 3].map(() => connect(server.port)));
    try {
      const hits = await Promise.all(others.map((o) => o.query(`SELECT id FROM items ORDER BY embedding <-> '${lit(far)}' LIMIT 1`)));
      expect(hits.map((h) => h.rows[0].id)).toEqual(['100000', '100000', '100000']);
    } finally {
      await Promise.all(others.map((o) => o.end()));
    }
    await c.query('DELETE FROM items WHERE id = 100000');
    const r = await c.query(`SELECT id FROM items ORDER BY embedding <-> '${lit(far)}' LIMIT 1`);
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
    await c.query(`INSERT INTO items VALUES (300000, '${lit(Array.from({ length: DIM }, () => 700))}')`);
    await c.end();
    await server.kill9();
    await start();
    opened = await c.query(`SELECT opened_from, replayed_versions FROM quiver_ann_indexes WHERE indexname = 'items_hnsw'`);
    expect(opened.rows[0].opened_from).toBe('checkpoint');
    const hit = await c.query(`SELECT id FROM items ORDER BY embedding <-> '${lit(Array.from({ length: DIM }, () => 700))}' LIMIT 1`);
    expect(hit.rows[0].id).toBe('300000');
  });
});
