// Cancellation through the real engine: a CancelRequest (by BackendKeyData) stops a running
// CPU-bound query, a pg_sleep and a lock wait with 57014, statement_timeout does the same, and
// the session keeps working afterwards.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startQuiver, type QuiverServer } from '../helpers/quiver-server.js';

let server: QuiverServer;

beforeAll(async () => {
  server = await startQuiver({ memory: true });
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

async function client(): Promise<pg.Client> {
  const c = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'postgres', database: 'postgres' });
  await c.connect();
  return c;
}

/** Sends a CancelRequest for a connection, as libpq's PQcancel does. */
function sendCancel(c: pg.Client): Promise<void> {
  const { processID, secretKey } = c as unknown as { processID: number; secretKey: number };
  return new Promise((resolve, reject) => {
    const s = net.connect(server.port, '127.0.0.1', () => {
      const b = Buffer.alloc(16);
      b.writeInt32BE(16, 0);
      b.writeInt32BE(80877102, 4);
      b.writeInt32BE(processID, 8);
      b.writeInt32BE(secretKey, 12);
      s.end(b);
    });
    s.on('close', () => resolve());
    s.on('error', reject);
  });
}

/** Starts a query and cancels it once it is running (after the server has received it). */
async function cancelWhileRunning(c: pg.Client, sql: string): Promise<unknown> {
  const running = c.query(sql).then(() => 'completed', (e: unknown) => e);
  await new Promise((r) => setTimeout(r, 300));
  await sendCancel(c);
  return running;
}

describe('cancel and statement_timeout through the engine', () => {
  it('a CancelRequest stops a CPU-bound query with 57014 and the session goes on', async () => {
    const c = await client();
    try {
      const e = await cancelWhileRunning(c, 'SELECT count(*) FROM generate_series(1, 2000000000)');
      expect(e).toMatchObject({ code: '57014', message: 'canceling statement due to user request' });
      expect((await c.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await c.end();
    }
  });

  it('a CancelRequest stops pg_sleep', async () => {
    const c = await client();
    try {
      const e = await cancelWhileRunning(c, 'SELECT pg_sleep(60)');
      expect(e).toMatchObject({ code: '57014' });
      expect((await c.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
    } finally {
      await c.end();
    }
  });

  it('a CancelRequest stops a statement waiting for a row lock; the holder is unaffected', async () => {
    const a = await client();
    const b = await client();
    try {
      await a.query('CREATE TABLE locked (id int PRIMARY KEY, v int)');
      await a.query('INSERT INTO locked VALUES (1, 0)');
      await a.query('BEGIN');
      await a.query('UPDATE locked SET v = 1 WHERE id = 1');
      const e = await cancelWhileRunning(b, 'UPDATE locked SET v = 2 WHERE id = 1');
      expect(e).toMatchObject({ code: '57014' });
      await a.query('COMMIT');
      expect((await b.query('SELECT v FROM locked WHERE id = 1')).rows).toEqual([{ v: 1 }]);
    } finally {
      await a.end();
      await b.end();
    }
  });

  it('statement_timeout cancels long statements with 57014 and can be reset', async () => {
    const c = await client();
    try {
      await c.query('SET statement_timeout = 200');
      await expect(c.query('SELECT count(*) FROM generate_series(1, 2000000000)')).rejects.toMatchObject({
        code: '57014', message: 'canceling statement due to statement timeout',
      });
      await expect(c.query('SELECT pg_sleep(30)')).rejects.toMatchObject({ code: '57014' });
      await c.query('RESET statement_timeout');
      expect((await c.query('SHOW statement_timeout')).rows).toEqual([{ statement_timeout: '0' }]);
    } finally {
      await c.end();
    }
  });
});
