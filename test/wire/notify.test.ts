// LISTEN / NOTIFY through the wire, against PostgreSQL 15: notifications go out when the
// notifying transaction commits (never after a rollback), duplicates within a transaction once,
// pg_notify as NOTIFY, a session hears itself, a listener inside a transaction block gets them
// after it ends, UNLISTEN * stops them, and PostgreSQL's errors for bad channels and payloads.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { useServerPair } from '../helpers/server-pair.js';

const pair = useServerPair();

async function scenario(port: number): Promise<string[]> {
  const mk = async (): Promise<pg.Client> => {
    const c = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    await c.connect();
    return c;
  };
  const a = await mk();
  const b = await mk();
  const pids = new Map<number, string>([[(a as unknown as { processID: number }).processID, 'a'], [(b as unknown as { processID: number }).processID, 'b']]);
  const got: string[] = [];
  a.on('notification', (m) => got.push(`${m.channel}:${m.payload ?? ''}:${pids.get(m.processId) ?? '?'}`));
  const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 100));
  try {
    await a.query('LISTEN jobs');
    await b.query("NOTIFY jobs, 'one'");
    await b.query('BEGIN');
    await b.query("NOTIFY jobs, 'rolled back'");
    await b.query('ROLLBACK');
    await b.query('BEGIN');
    await b.query("NOTIFY jobs, 'two'");
    await b.query("NOTIFY jobs, 'two'");
    await b.query("SELECT pg_notify('jobs', 'three')");
    await b.query('COMMIT');
    await b.query("NOTIFY other, 'not listened'");
    await a.query("NOTIFY jobs, 'self'");
    await settle();
    await a.query('BEGIN');
    await b.query("NOTIFY jobs, 'while a is in a transaction'");
    await settle();
    got.push(`(${got.length} before a's COMMIT)`);
    await a.query('COMMIT');
    await settle();
    await a.query('UNLISTEN *');
    await b.query("NOTIFY jobs, 'after UNLISTEN'");
    await settle();
    for (const q of ["SELECT pg_notify('', 'x')", `NOTIFY jobs, '${'x'.repeat(8000)}'`]) {
      try {
        await b.query(q);
        got.push('no error');
      } catch (e) {
        got.push(`error ${(e as { code?: string }).code}`);
      }
    }
    return got;
  } finally {
    await a.end();
    await b.end();
  }
}

describe('LISTEN / NOTIFY', () => {
  it('delivers what PostgreSQL delivers, when it does', async () => {
    const expected = await scenario(pair.port('postgres'));
    expect(expected).toContain('jobs:one:b');
    expect(await scenario(pair.port('quiver'))).toEqual(expected);
  });
});
