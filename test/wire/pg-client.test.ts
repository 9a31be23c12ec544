// The wire server through node-postgres: simple and extended protocol, binary results, errors
// with their fields, pipelining, notices, parameter status, cancel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startServer, type RunningServer } from '../../src/wire/index.js';
import { FakeEngine } from './fake-engine.js';
import { RawClient, int32 } from './raw-client.js';

let engine: FakeEngine;
let server: RunningServer;

beforeAll(async () => {
  engine = new FakeEngine();
  engine.addRole('alice', null);
  server = await startServer(engine, { host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await server.close();
});

async function client(extra: Partial<pg.ClientConfig> = {}): Promise<pg.Client> {
  const c = new pg.Client({
    host: '127.0.0.1', port: server.port, user: 'alice', database: 'db', ...extra,
  });
  await c.connect();
  return c;
}

describe('pg client', () => {
  it('runs a simple query', async () => {
    const c = await client();
    try {
      const r = await c.query('SELECT 42');
      expect(r.rows).toEqual([{ '?column?': 42 }]);
      expect(r.command).toBe('SELECT');
      expect(r.rowCount).toBe(1);
      expect(r.fields[0]?.dataTypeID).toBe(23);
    } finally {
      await c.end();
    }
  });

  it('runs several statements in one simple query', async () => {
    const c = await client();
    try {
      const r = (await c.query('SELECT 1; SELECT series 3')) as unknown as pg.QueryResult[];
      expect(r.map((x) => x.rows.length)).toEqual([1, 3]);
    } finally {
      await c.end();
    }
  });

  it('runs a parameterized query through the extended protocol', async () => {
    const c = await client();
    try {
      const r = await c.query('SELECT $1::text AS v', ['hello wörld']);
      expect(r.rows).toEqual([{ v: 'hello wörld' }]);
      const s = engine.sessions.at(-1);
      const calls = s?.calls ?? [];
      expect(calls).toContain('parse::SELECT $1::text AS v');
      expect(calls.some((x) => x.startsWith('bind::'))).toBe(true);
      expect(calls).toContain('describePortal:');
      expect(calls).toContain('execute::0');
      expect(calls).toContain('sync');
    } finally {
      await c.end();
    }
  });

  it('returns NULL parameters and values', async () => {
    const c = await client();
    try {
      const r = await c.query('SELECT $1::text AS v', [null]);
      expect(r.rows).toEqual([{ v: null }]);
    } finally {
      await c.end();
    }
  });

  it('supports named prepared statements reused across executions', async () => {
    const c = await client();
    try {
      const q = { name: 'echo', text: 'SELECT $1::int4 AS n' };
      const a = await c.query({ ...q, values: [1] });
      const b = await c.query({ ...q, values: [2] });
      expect([a.rows[0]?.n, b.rows[0]?.n]).toEqual([1, 2]);
      const calls = engine.sessions.at(-1)?.calls ?? [];
      expect(calls.filter((x) => x.startsWith('parse:echo:')).length).toBe(1);
    } finally {
      await c.end();
    }
  });

  it('returns binary results when asked', async () => {
    const c = await client();
    try {
      const config = { text: 'SELECT $1::int4 AS n', values: [7], binary: true };
      const r = await c.query(config as pg.QueryConfig);
      expect(r.rows).toEqual([{ n: 7 }]);
      const calls = engine.sessions.at(-1)?.calls ?? [];
      expect(calls.some((x) => /^bind::.*:1$/.test(x))).toBe(true);
    } finally {
      await c.end();
    }
  });

  it('reports errors with code and position, and keeps the connection usable', async () => {
    const c = await client();
    try {
      const err = await c.query('SELECT oops').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      const e = err as pg.DatabaseError;
      expect(e.code).toBe('42601');
      expect(e.message).toBe('syntax error at or near "oops"');
      expect(e.position).toBe('8');
      expect(e.severity).toBe('ERROR');
      const r = await c.query('SELECT 5');
      expect(r.rows[0]?.['?column?']).toBe(5);
    } finally {
      await c.end();
    }
  });

  it('sends detail, hint, schema, table and constraint fields', async () => {
    const c = await client();
    try {
      const e = (await c.query('SELECT detailed').catch((x: unknown) => x)) as pg.DatabaseError;
      expect(e.code).toBe('23505');
      expect(e.detail).toBe('Key (id)=(1) already exists.');
      expect(e.hint).toBe('a hint');
      expect(e.schema).toBe('public');
      expect(e.table).toBe('t');
      expect(e.constraint).toBe('t_pkey');
    } finally {
      await c.end();
    }
  });

  it('turns non-SqlError failures into XX000', async () => {
    const c = await client();
    try {
      const e = (await c.query('SELECT internal').catch((x: unknown) => x)) as pg.DatabaseError;
      expect(e.code).toBe('XX000');
      expect(e.message).toBe('boom');
    } finally {
      await c.end();
    }
  });

  it('reports extended-protocol errors and recovers after Sync', async () => {
    const c = await client();
    try {
      const e = (await c.query('SELECT nonsense $1', [1]).catch((x: unknown) => x)) as
        pg.DatabaseError;
      expect(e.code).toBe('42601');
      const calls = engine.sessions.at(-1)?.calls ?? [];
      expect(calls).toContain('abortOnError');
      const r = await c.query('SELECT $1::text AS v', ['after']);
      expect(r.rows).toEqual([{ v: 'after' }]);
    } finally {
      await c.end();
    }
  });

  it('handles many pipelined queries', async () => {
    const c = await client();
    try {
      const ps: Array<Promise<pg.QueryResult>> = [];
      for (let i = 0; i < 50; i++) {
        ps.push(i % 2 === 0 ? c.query(`SELECT ${i}`) : c.query('SELECT $1::int4 AS n', [i]));
      }
      const rs = await Promise.all(ps);
      const values = rs.map((r) => Object.values(r.rows[0] ?? {})[0]);
      expect(values).toEqual(Array.from({ length: 50 }, (_, i) => i));
    } finally {
      await c.end();
    }
  });

  it('pipelines an error in the middle without affecting the queries around it', async () => {
    const c = await client();
    try {
      const a = c.query('SELECT $1::int4 AS n', [1]);
      const b = c.query('SELECT bad $1', [2]).catch((e: unknown) => e);
      const d = c.query('SELECT $1::int4 AS n', [3]);
      expect((await a).rows[0]?.n).toBe(1);
      expect(((await b) as pg.DatabaseError).code).toBe('42601');
      expect((await d).rows[0]?.n).toBe(3);
    } finally {
      await c.end();
    }
  });

  it('delivers notices and parameter status changes', async () => {
    const c = await client({ application_name: 'first' });
    try {
      const notices: string[] = [];
      c.on('notice', (n) => notices.push(n.message ?? ''));
      await c.query('SELECT notice');
      expect(notices).toEqual(['hello from the engine']);
      type StatusMsg = { parameterName: string; parameterValue: string };
      const conn = (c as unknown as {
        connection: { on(e: string, f: (m: StatusMsg) => void): void };
      }).connection;
      const statuses: string[] = [];
      conn.on('parameterStatus', (m) => statuses.push(`${m.parameterName}=${m.parameterValue}`));
      await c.query("SET application_name = 'second'");
      expect(statuses).toEqual(['application_name=second']);
      expect(engine.sessions.at(-1)?.startup.params['application_name']).toBe('first');
    } finally {
      await c.end();
    }
  });

  it('reports the transaction status in ReadyForQuery', async () => {
    const raw = await RawClient.open(server.port);
    try {
      await raw.startup({ user: 'alice' });
      raw.send(Buffer.from('Q'), int32(10), Buffer.from('begin\0'));
      const ms = await raw.until('Z');
      expect(ms.at(-1)?.body.toString()).toBe('T');
      raw.send(Buffer.from('Q'), int32(11), Buffer.from('commit\0'));
      const ms2 = await raw.until('Z');
      expect(ms2.at(-1)?.body.toString()).toBe('I');
    } finally {
      raw.close();
    }
  });

  it('forwards a CancelRequest to the engine and the query fails with 57014', async () => {
    const c = await client();
    try {
      const pending = c.query('SELECT sleep').catch((e: unknown) => e);
      const session = engine.sessions.at(-1);
      expect(session).toBeDefined();
      while ((engine.sleeping.indexOf(session!) < 0)) await new Promise((r) => setTimeout(r, 5));
      const raw = await RawClient.open(server.port);
      const pid = (c as unknown as { processID: number }).processID;
      const key = (c as unknown as { secretKey: number }).secretKey;
      raw.send(int32(16), int32(80877102), int32(pid), int32(key));
      expect(await raw.drain()).toEqual([]);
      const e = (await pending) as pg.DatabaseError;
      expect(e.code).toBe('57014');
      expect(engine.cancels).toContainEqual([pid, key]);
      expect(pid).toBe(session?.processId);
    } finally {
      await c.end();
    }
  });

  it('closes the session when the client goes away', async () => {
    const c = await client();
    const session = engine.sessions.at(-1);
    await c.end();
    while (session?.closed !== true) await new Promise((r) => setTimeout(r, 5));
    expect(session.calls.at(-1)).toBe('close');
  });
});
