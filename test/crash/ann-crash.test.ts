// Durability of ANN indexes under kill -9: a server with an HNSW and an IVFFlat index takes
// inserts, vector updates and deletes from two clients and is SIGKILLed at random moments. After
// each restart both indexes come back from their checkpoints (not rebuilt), every acknowledged row
// is found through each index by its own vector, no deleted or superseded vector is returned, and
// the one operation per client that was in flight is wholly present or wholly absent.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { connect, startQuiver, type QuiverServer } from '../helpers/quiver-server.js';
import { seededRandom } from '../../src/vector/index.js';

const ROUNDS = 5;
const CLIENTS = 2;
const ID_SPAN = 1_000_000;
const DIM = 4;

type Vec = number[];
interface ClientState { model: Map<number, Vec>; nextId: number; inflight: { id: number; before: Vec | undefined; after: Vec | undefined } | null }

const lit = (v: Vec): string => `[${v.join(',')}]`;

/** A fresh vector whose coordinates are float32-exact and unlikely to collide. */
function randomVec(rand: () => number): Vec {
  return Array.from({ length: DIM }, () => Math.round(rand() * 80_000) / 8);
}

async function clientLoop(c: pg.Client, s: ClientState, rand: () => number, index: number, stop: () => boolean): Promise<void> {
  while (!stop()) {
    const ids = [...s.model.keys()];
    const r = rand();
    let id: number;
    let after: Vec | undefined;
    let sql: string;
    if (ids.length < 20 || r < 0.5) {
      id = index * ID_SPAN + s.nextId++;
      after = randomVec(rand);
      sql = `INSERT INTO items VALUES (${id}, '${lit(after)}')`;
    } else if (r < 0.8) {
      id = ids[Math.floor(rand() * ids.length)]!;
      after = randomVec(rand);
      sql = `UPDATE items SET v = '${lit(after)}' WHERE id = ${id}`;
    } else {
      id = ids[Math.floor(rand() * ids.length)]!;
      after = undefined;
      sql = `DELETE FROM items WHERE id = ${id}`;
    }
    s.inflight = { id, before: s.model.get(id), after };
    try {
      await c.query(sql);
    } catch {
      return; // the server died: the operation stays in flight
    }
    if (after === undefined) s.model.delete(id); else s.model.set(id, after);
    s.inflight = null;
  }
}

async function nearest(c: pg.Client, v: Vec): Promise<{ id: number; v: string } | undefined> {
  const r = await c.query(`SELECT id, v::text AS v FROM items ORDER BY v <-> '${lit(v)}' LIMIT 1`);
  return r.rows[0] === undefined ? undefined : { id: Number(r.rows[0].id), v: r.rows[0].v as string };
}

describe('ANN indexes survive kill -9', () => {
  it(`keeps every acknowledged change visible through HNSW and IVFFlat over ${ROUNDS} crashes`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'quiver-ann-crash-'));
    const seed = Date.now() % 100000;
    const rand = seededRandom(seed);
    const clients: ClientState[] = Array.from({ length: CLIENTS }, () => ({ model: new Map(), nextId: 1, inflight: null }));
    let server: QuiverServer | null = null;
    try {
      server = await startQuiver({ dataDir });
      const setup = await connect(server.port);
      await setup.query(`CREATE TABLE items (id int PRIMARY KEY, v vector(${DIM}))`);
      await setup.query('CREATE INDEX items_hnsw ON items USING hnsw (v vector_l2_ops)');
      await setup.query('CREATE INDEX items_ivf ON items USING ivfflat (v vector_l2_ops) WITH (lists = 4)');
      await setup.end();
      for (let round = 0; round < ROUNDS; round++) {
        const conns = await Promise.all(clients.map(() => connect(server!.port)));
        let stopped = false;
        const loops = clients.map((s, i) => clientLoop(conns[i]!, s, seededRandom(seed * 31 + round * 7 + i), i, () => stopped));
        await new Promise((r) => setTimeout(r, 300 + Math.floor(rand() * 900)));
        await server.kill9();
        stopped = true;
        await Promise.all(loops);
        await Promise.all(conns.map((c) => c.end().catch(() => undefined)));

        server = await startQuiver({ dataDir });
        const c = await connect(server.port);
        const opened = await c.query('SELECT indexname, opened_from FROM quiver_ann_indexes ORDER BY indexname');
        expect(opened.rows, `seed ${seed} round ${round}`).toEqual([
          { indexname: 'items_hnsw', opened_from: 'checkpoint' },
          { indexname: 'items_ivf', opened_from: 'checkpoint' },
        ]);
        // Settle each in-flight operation by what the table holds now.
        for (const s of clients) {
          if (s.inflight === null) continue;
          const r = await c.query(`SELECT v::text AS v FROM items WHERE id = ${s.inflight.id}`);
          const now = r.rows[0]?.v as string | undefined;
          const afterText = s.inflight.after === undefined ? undefined : lit(s.inflight.after);
          const beforeText = s.inflight.before === undefined ? undefined : lit(s.inflight.before);
          expect([afterText, beforeText], `seed ${seed}: in-flight op on ${s.inflight.id} half applied`).toContain(now);
          if (now === afterText) {
            if (s.inflight.after === undefined) s.model.delete(s.inflight.id); else s.model.set(s.inflight.id, s.inflight.after);
          }
          s.inflight = null;
        }
        const expected = new Map<number, Vec>();
        for (const s of clients) for (const [id, v] of s.model) expected.set(id, v);
        expect(Number((await c.query('SELECT count(*) FROM items')).rows[0].count)).toBe(expected.size);
        await c.query('SET enable_seqscan = off');
        for (const index of ['items_hnsw', 'items_ivf']) {
          await c.query(index === 'items_hnsw' ? 'DROP INDEX IF EXISTS none' : 'SET ivfflat.probes = 4');
          const plan = (await c.query(`EXPLAIN SELECT id FROM items ORDER BY v <-> '[0,0,0,0]' LIMIT 1`)).rows.map((r) => r['QUERY PLAN']).join('\n');
          expect(plan).toContain('Index Scan using items_');
          for (const [id, v] of expected) {
            const hit = await nearest(c, v);
            expect(hit?.id, `seed ${seed} round ${round}: row ${id} not found through ${index}`).toBe(id);
          }
        }
        await c.end();
      }
    } finally {
      if (server !== null) await server.stop().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 300_000);
});
