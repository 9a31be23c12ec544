// SQL-level durability under kill -9: a QuiverDB server with a data directory takes concurrent writes
// from several `pg` clients (autocommit INSERT/UPDATE/DELETE, multi-statement and rolled-back
// transactions on a table with a primary key, a unique and a plain index) and is SIGKILLed at random
// moments. After each kill: the data directory passes the checker, every acknowledged commit is
// present, the one unacknowledged operation per client is wholly present or wholly absent, nothing
// rolled back is visible, and sequence values never repeat.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, connect, startQuiver, type QuiverServer } from '../helpers/quiver-server.js';
// mulberry32, seeded: a failure replays from the printed seed.
import { seededRandom } from '../../src/vector/index.js';

const ROUNDS = 12;
const CLIENTS = 4;
/** Ids of client c are c * ID_SPAN + k: clients never write each other's rows (only the shared counter). */
const ID_SPAN = 1_000_000;

interface Row { email: string; grp: number; val: number; seq: string | null }
type Model = Map<number, Row>;

/** One client operation: what it does to the client's rows when it commits. */
interface Op {
  name: string;
  /** The committed effect (identity for operations that roll back). */
  apply(m: Model): Model;
  /** Committed transactions that bump the shared counter. */
  bumpsCounter: boolean;
}

interface ClientState {
  index: number;
  /** The client's rows as of its last acknowledged operation. */
  model: Model;
  nextKey: number;
  /** Acknowledged commits that bumped the shared counter. */
  ackedBumps: number;
  /** The operation in flight when the server died, and whether its COMMIT had been sent. */
  inflight: { op: Op; commitSent: boolean } | null;
  acked: number;
  rolledBack: number;
}

function clone(m: Model): Model {
  return new Map([...m].map(([k, v]) => [k, { ...v }]));
}

/** Rows as comparable text; seq is compared only where `expected` knows it (not for unacknowledged inserts). */
function render(m: Model, expected: Model): string[] {
  return [...m].sort((a, b) => a[0] - b[0]).map(([id, r]) => {
    const knowsSeq = (expected.get(id)?.seq ?? null) !== null;
    return `${id} ${r.email} ${r.grp} ${r.val}${knowsSeq ? ` seq ${r.seq ?? '?'}` : ''}`;
  });
}

/** An error the server answered (as opposed to the connection dying). */
const isSqlError = (e: unknown): e is pg.DatabaseError & { code: string } => e instanceof pg.DatabaseError;


/** Runs one client's random workload until the connection dies; records acknowledged commits. */
async function workload(c: pg.Client, st: ClientState, rnd: () => number, seqSeen: Map<string, string>,
  problems: string[]): Promise<void> {
  const ids = (): number[] => [...st.model.keys()];
  const pick = (): number | undefined => { const a = ids(); return a[Math.floor(rnd() * a.length)]; };
  const newId = (): number => st.index * ID_SPAN + st.nextKey++;
  const email = (id: number): string => `c${st.index}-${id}-${Math.floor(rnd() * 1e9)}@x`;
  const noteSeq = (v: unknown, what: string): void => {
    const s = String(v);
    const prev = seqSeen.get(s);
    if (prev !== undefined) problems.push(`sequence value ${s} returned twice: ${prev} and ${what}`);
    seqSeen.set(s, what);
  };
  const q = (sql: string, params: unknown[] = []): Promise<pg.QueryResult> => c.query(sql, params);
  for (;;) {
    const r = rnd();
    let opName = '?';
    const begin = (o: Op): Op => { opName = o.name; st.inflight = { op: o, commitSent: false }; return o; };
    const sent = (): void => { if (st.inflight) st.inflight.commitSent = true; };
    try {
      if (r < 0.3 || st.model.size < 3) {
        // autocommit INSERT with a sequence default
        const id = newId(); const row: Row = { email: email(id), grp: Math.floor(rnd() * 8), val: 0, seq: null };
        const op = begin({ name: `insert ${id}`, bumpsCounter: false, apply: (m) => { const n = clone(m); n.set(id, { ...row }); return n; } });
        sent();
        const res = await q('INSERT INTO items (id, email, grp, val) VALUES ($1, $2, $3, $4) RETURNING seq', [id, row.email, row.grp, row.val]);
        row.seq = String(res.rows[0]?.seq);
        noteSeq(row.seq, `insert ${id}`);
        st.model = op.apply(st.model);
      } else if (r < 0.45) {
        // autocommit UPDATE of one row, changing the unique and the plain indexed columns
        const id = pick()!; const e = email(id); const g = Math.floor(rnd() * 8);
        const op = begin({ name: `update ${id}`, bumpsCounter: false, apply: (m) => {
          const n = clone(m); const row = n.get(id)!; n.set(id, { ...row, email: e, grp: g, val: row.val + 1 }); return n;
        } });
        sent();
        const res = await q('UPDATE items SET email = $2, grp = $3, val = val + 1 WHERE id = $1', [id, e, g]);
        if (res.rowCount !== 1) problems.push(`update ${id}: rowCount ${String(res.rowCount)}`);
        st.model = op.apply(st.model);
      } else if (r < 0.55) {
        // autocommit DELETE
        const id = pick()!;
        const op = begin({ name: `delete ${id}`, bumpsCounter: false, apply: (m) => { const n = clone(m); n.delete(id); return n; } });
        sent();
        const res = await q('DELETE FROM items WHERE id = $1', [id]);
        if (res.rowCount !== 1) problems.push(`delete ${id}: rowCount ${String(res.rowCount)}`);
        st.model = op.apply(st.model);
      } else if (r < 0.65) {
        // one statement over many rows, found through the plain index: all or nothing
        const g = Math.floor(rnd() * 8);
        const lo = st.index * ID_SPAN; const hi = lo + ID_SPAN - 1;
        const op = begin({ name: `bump grp ${g}`, bumpsCounter: false, apply: (m) => {
          const n = clone(m);
          for (const [k, row] of n) if (row.grp === g) n.set(k, { ...row, val: row.val + 10 });
          return n;
        } });
        sent();
        await q('UPDATE items SET val = val + 10 WHERE grp = $1 AND id BETWEEN $2 AND $3', [g, lo, hi]);
        st.model = op.apply(st.model);
      } else if (r < 0.85) {
        // multi-statement transaction: two inserts, an update, a delete, the shared counter, COMMIT
        const a = newId(); const b = newId();
        const ra: Row = { email: email(a), grp: Math.floor(rnd() * 8), val: 1, seq: null };
        const rb: Row = { email: email(b), grp: Math.floor(rnd() * 8), val: 2, seq: null };
        const up = pick()!; let del = pick()!;
        if (del === up) del = -1;
        const e = email(up);
        const op = begin({ name: `txn +${a} +${b} ~${up} -${del}`, bumpsCounter: true, apply: (m) => {
          const n = clone(m);
          n.set(a, { ...ra }); n.set(b, { ...rb });
          const u = n.get(up)!; n.set(up, { ...u, email: e, val: u.val + 100 });
          n.delete(del);
          return n;
        } });
        await q('BEGIN');
        const s1 = await q('INSERT INTO items (id, email, grp, val) VALUES ($1, $2, $3, $4) RETURNING seq', [a, ra.email, ra.grp, ra.val]);
        ra.seq = String(s1.rows[0]?.seq);
        const s2 = await q('INSERT INTO items (id, email, grp, val) VALUES ($1, $2, $3, $4) RETURNING seq', [b, rb.email, rb.grp, rb.val]);
        rb.seq = String(s2.rows[0]?.seq);
        await q('UPDATE items SET email = $2, val = val + 100 WHERE id = $1', [up, e]);
        if (del !== -1) await q('DELETE FROM items WHERE id = $1', [del]);
        await q('UPDATE counter SET n = n + 1 WHERE id = 1');
        sent();
        await q('COMMIT');
        noteSeq(ra.seq, `txn insert ${a}`); noteSeq(rb.seq, `txn insert ${b}`);
        st.model = op.apply(st.model);
        st.ackedBumps++;
      } else if (r < 0.92) {
        // a transaction that is rolled back on purpose
        const a = newId(); const up = pick()!;
        begin({ name: `rollback +${a} ~${up}`, bumpsCounter: false, apply: (m) => m });
        await q('BEGIN');
        await q('INSERT INTO items (id, email, grp, val) VALUES ($1, $2, 0, 999)', [a, email(a)]);
        await q('UPDATE items SET val = val + 1000 WHERE id = $1', [up]);
        await q('DELETE FROM items WHERE id = $1', [up]);
        await q('UPDATE counter SET n = n + 1000 WHERE id = 1');
        await q('ROLLBACK');
        st.rolledBack++;
      } else if (r < 0.97) {
        // a transaction that fails on the unique index and is rolled back
        const a = newId(); const other = pick()!; const dup = st.model.get(other)!.email;
        begin({ name: `failed +${a} dup ${dup}`, bumpsCounter: false, apply: (m) => m });
        await q('BEGIN');
        await q('INSERT INTO items (id, email, grp, val) VALUES ($1, $2, 0, 555)', [a, email(a)]);
        await q('UPDATE counter SET n = n + 1000 WHERE id = 1');
        let code = '';
        try {
          await q('INSERT INTO items (id, email, grp, val) VALUES ($1, $2, 0, 556)', [newId(), dup]);
        } catch (e) {
          if (!isSqlError(e)) throw e;
          code = e.code;
        }
        if (code !== '23505') problems.push(`duplicate email ${dup}: expected 23505, got ${code || 'success'}`);
        const res = await q('COMMIT'); // in a failed transaction COMMIT rolls back
        if (res.command !== 'ROLLBACK') problems.push(`COMMIT of a failed transaction answered ${res.command}`);
        st.rolledBack++;
      } else {
        // a bare nextval in autocommit
        begin({ name: 'nextval', bumpsCounter: false, apply: (m) => m });
        const res = await q("SELECT nextval('item_seq') AS v");
        noteSeq(res.rows[0]?.v, 'select nextval');
      }
      st.acked++;
      st.inflight = null;
    } catch (e) {
      if (isSqlError(e)) {
        problems.push(`client ${st.index} ${opName}: unexpected ${e.code} ${e.message}`);
        throw e;
      }
      return; // the server died: the operation in flight is unacknowledged
    }
  }
}

function runChecker(dir: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src', 'check-main.ts'), dir],
    { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

async function readClientRows(c: pg.Client, index: number): Promise<Model> {
  const res = await c.query('SELECT id, email, grp, val, seq FROM items WHERE id BETWEEN $1 AND $2 ORDER BY id',
    [index * ID_SPAN, index * ID_SPAN + ID_SPAN - 1]);
  return new Map(res.rows.map((r: Record<string, string>) =>
    [Number(r['id']), { email: String(r['email']), grp: Number(r['grp']), val: Number(r['val']), seq: String(r['seq']) }]));
}

describe('SQL crash safety through the server', () => {
  it(`keeps acknowledged commits and loses nothing partially across ${ROUNDS} kill -9 rounds`, async () => {
    const seed = Number(process.env['QUIVER_CRASH_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
    const rnd = seededRandom(seed);
    const dir = mkdtempSync(join(tmpdir(), 'quiver-sqlcrash-'));
    const states: ClientState[] = Array.from({ length: CLIENTS }, (_, index) => ({
      index, model: new Map(), nextKey: 1, ackedBumps: 0, inflight: null, acked: 0, rolledBack: 0,
    }));
    const seqSeen = new Map<string, string>();
    let maxAckedSeq = 0n;
    let server: QuiverServer | null = null;
    const ctx = (round: number): string => `seed ${seed}, round ${round}`;
    try {
      server = await startQuiver({ dataDir: dir });
      {
        const c = await connect(server.port);
        await c.query('CREATE SEQUENCE item_seq');
        await c.query(`CREATE TABLE items (id bigint PRIMARY KEY, email text NOT NULL UNIQUE, grp int NOT NULL,
          val int NOT NULL, seq bigint NOT NULL DEFAULT nextval('item_seq'))`);
        await c.query('CREATE INDEX items_grp ON items (grp)');
        await c.query('CREATE TABLE counter (id int PRIMARY KEY, n bigint NOT NULL)');
        await c.query('INSERT INTO counter VALUES (1, 0)');
        await c.end();
      }
      for (let round = 0; round < ROUNDS; round++) {
        // load, then kill -9 at a random moment
        const problems: string[] = [];
        const clients = await Promise.all(states.map(() => connect(server!.port)));
        const loops = clients.map((c, i) => workload(c, states[i]!, seededRandom(seed + 1000 * round + i), seqSeen, problems));
        const killAfter = 150 + Math.floor(rnd() * 1200);
        let aliveAtKill = false;
        const killed = new Promise<void>((res) => setTimeout(res, killAfter)).then(() => {
          aliveAtKill = server!.process.exitCode === null && server!.process.signalCode === null;
          return server!.kill9();
        });
        const settled = await Promise.allSettled(loops);
        await killed;
        expect(aliveAtKill, `${ctx(round)}: the server died under load before the kill:\n${server.output().slice(-2000)}`).toBe(true);
        await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
        expect(problems, ctx(round)).toEqual([]);
        for (const s of settled) expect(s.status, ctx(round)).toBe('fulfilled');

        // the data directory is consistent while the server is down
        const check = runChecker(dir);
        expect(check.out, ctx(round)).toMatch(/^OK$/m);
        expect(check.status, `${ctx(round)}: ${check.out}`).toBe(0);

        // restart on the same directory and compare with what the clients were told
        server = await startQuiver({ dataDir: dir });
        const c = await connect(server.port);
        try {
          let inflightBumps = 0;
          for (const st of states) {
            const actual = await readClientRows(c, st.index);
            const what = `${ctx(round)}: client ${st.index}, in flight: ${st.inflight?.op.name ?? 'none'}` +
              ` (commit sent: ${String(st.inflight?.commitSent ?? false)})`;
            const inflight: { op: Op; commitSent: boolean } | null = st.inflight;
            const withOp = inflight?.op.apply(st.model) ?? st.model;
            const present = inflight !== null && inflight.commitSent &&
              JSON.stringify(render(actual, withOp)) === JSON.stringify(render(withOp, withOp));
            if (!present) {
              // every acknowledged commit is there and nothing else: no partial or rolled-back work
              expect(render(actual, st.model), what).toEqual(render(st.model, st.model));
            } else if (inflight?.op.bumpsCounter === true) {
              inflightBumps++;
            }
            // the unacknowledged operation, if it committed, is part of the state from now on
            st.model = actual;
            st.inflight = null;
          }
          // the shared counter counts exactly the committed transactions that bumped it
          const n = await c.query('SELECT n FROM counter WHERE id = 1');
          const acked = states.reduce((s, st) => s + st.ackedBumps, 0);
          expect(Number(n.rows[0]?.n), ctx(round)).toBe(acked + inflightBumps);
          // fold committed in-flight bumps into the first client's count so the next round's sum stays exact
          states[0]!.ackedBumps += inflightBumps;

          // sequence values: stored ones are distinct, and new ones are above every value handed out
          const seqs = await c.query('SELECT count(*) AS n, count(DISTINCT seq) AS d FROM items');
          expect(seqs.rows[0]?.d, ctx(round)).toBe(seqs.rows[0]?.n);
          for (const v of seqSeen.keys()) if (BigInt(v) > maxAckedSeq) maxAckedSeq = BigInt(v);
          const next = await c.query("SELECT nextval('item_seq') AS v");
          const v = String(next.rows[0]?.v);
          expect(seqSeen.has(v), `${ctx(round)}: nextval ${v} repeats a value handed out before`).toBe(false);
          expect(BigInt(v) > maxAckedSeq, `${ctx(round)}: nextval ${v} <= ${maxAckedSeq}`).toBe(true);
          seqSeen.set(v, `after restart ${round}`);

          // the indexes answer like the table: unique lookups and the plain index find every row
          const byEmail = await c.query('SELECT count(*) AS n FROM items i WHERE i.email IN (SELECT email FROM items)');
          const all = await c.query('SELECT count(*) AS n FROM items');
          expect(byEmail.rows[0]?.n, ctx(round)).toBe(all.rows[0]?.n);
          let perGroup = 0;
          for (let g = 0; g < 8; g++) perGroup += Number((await c.query('SELECT count(*) AS n FROM items WHERE grp = $1', [g])).rows[0]?.n);
          expect(perGroup, ctx(round)).toBe(Number(all.rows[0]?.n));
        } finally {
          await c.end();
        }
      }
      const acked = states.reduce((s, st) => s + st.acked, 0);
      const rolledBack = states.reduce((s, st) => s + st.rolledBack, 0);
      expect(acked, `seed ${seed}`).toBeGreaterThan(ROUNDS * CLIENTS);
      expect(rolledBack, `seed ${seed}`).toBeGreaterThan(0);
      await server.stop();
      const final = runChecker(dir);
      expect(final.status, final.out).toBe(0);
    } finally {
      await server?.kill9();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
