// Authentication over the wire: pg_hba rules choosing trust/password/md5/SCRAM/reject, the
// exchanges through node-postgres (which implements md5 and SCRAM itself), wrong passwords,
// unknown roles, expired passwords, NOLOGIN roles, and malformed SCRAM messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { md5Secret, scramSecret } from '../../src/base/index.js';
import { parseHba, startServer, type RunningServer } from '../../src/wire/index.js';
import { FakeEngine } from './fake-engine.js';
import { RawClient, cstr, errorFields, int32, msg, startupPacket } from './raw-client.js';

let engine: FakeEngine;
let server: RunningServer;

const HBA = `
# TYPE  DATABASE  USER   ADDRESS        METHOD
host    trustdb   all    127.0.0.1/32   trust
host    pwdb      all    127.0.0.1/32   password
host    md5db     all    127.0.0.1/32   md5
host    nope      all    127.0.0.1/32   reject
host    all       all    127.0.0.1/32   scram-sha-256
`;

beforeAll(async () => {
  engine = new FakeEngine();
  engine.addRole('scram_user', scramSecret('s3cret'));
  engine.addRole('md5_user', md5Secret('m5pass', 'md5_user'));
  engine.addRole('nopass', null);
  engine.addRole('expired', scramSecret('old'), { validUntil: 1000 });
  engine.addRole('nologin', scramSecret('pw'), { canLogin: false });
  server = await startServer(engine, { host: '127.0.0.1', port: 0, hbaRules: parseHba(HBA) });
});

afterAll(async () => {
  await server.close();
});

async function tryConnect(user: string, password: string, database: string): Promise<unknown> {
  const c = new pg.Client({ host: '127.0.0.1', port: server.port, user, password, database });
  try {
    await c.connect();
    const r = await c.query('SELECT 1');
    return r.rows[0]?.['?column?'];
  } catch (e) {
    return e;
  } finally {
    await c.end().catch(() => undefined);
  }
}

function expectAuthFailure(e: unknown, user: string): void {
  const err = e as pg.DatabaseError;
  expect(err.code).toBe('28P01');
  expect(err.severity).toBe('FATAL');
  expect(err.message).toBe(`password authentication failed for user "${user}"`);
}

describe('SCRAM-SHA-256', () => {
  it('authenticates with the right password', async () => {
    expect(await tryConnect('scram_user', 's3cret', 'app')).toBe(1);
  });

  it('fails with 28P01 on a wrong password', async () => {
    expectAuthFailure(await tryConnect('scram_user', 'wrong', 'app'), 'scram_user');
  });

  it('fails alike for an unknown role, a role without password, an md5 secret', async () => {
    expectAuthFailure(await tryConnect('ghost', 'x', 'app'), 'ghost');
    expectAuthFailure(await tryConnect('nopass', 'x', 'app'), 'nopass');
    expectAuthFailure(await tryConnect('md5_user', 'm5pass', 'app'), 'md5_user');
  });

  it('rejects an expired password', async () => {
    expectAuthFailure(await tryConnect('expired', 'old', 'app'), 'expired');
  });

  it('refuses a role that cannot log in, after authenticating it', async () => {
    const e = (await tryConnect('nologin', 'pw', 'app')) as pg.DatabaseError;
    expect(e.code).toBe('28000');
    expect(e.message).toBe('role "nologin" is not permitted to log in');
  });

  it('advertises only SCRAM-SHA-256 and rejects another mechanism', async () => {
    const c = await RawClient.open(server.port);
    c.send(startupPacket({ user: 'scram_user', database: 'app' }));
    const r = await c.next();
    expect(r?.type).toBe('R');
    expect(r?.body.readInt32BE(0)).toBe(10);
    expect(r?.body.toString('utf8', 4)).toBe('SCRAM-SHA-256\0\0');
    c.send(msg('p', cstr('SCRAM-SHA-256-PLUS'), int32(-1)));
    const e = errorFields((await c.until('E')).at(-1)!.body);
    expect(e['C']).toBe('08P01');
    expect(e['M']).toBe('client selected an invalid SASL authentication mechanism');
  });

  it('rejects a malformed client-first message', async () => {
    const c = await RawClient.open(server.port);
    c.send(startupPacket({ user: 'scram_user', database: 'app' }));
    await c.next();
    const data = Buffer.from('x,,n=,r=abc');
    c.send(msg('p', cstr('SCRAM-SHA-256'), int32(data.length), data));
    const e = errorFields((await c.until('E')).at(-1)!.body);
    expect(e['C']).toBe('08P01');
    expect(e['M']).toBe('malformed SCRAM message');
  });

  it('rejects a non-password message during authentication', async () => {
    const c = await RawClient.open(server.port);
    c.send(startupPacket({ user: 'scram_user', database: 'app' }));
    await c.next();
    c.send(msg('Q', cstr('SELECT 1')));
    const e = errorFields((await c.until('E')).at(-1)!.body);
    expect(e['C']).toBe('08P01');
    expect(e['M']).toBe('expected SASL response, got message type 81');
  });
});

describe('md5 and cleartext password', () => {
  it('authenticates md5 with the right password and fails otherwise', async () => {
    expect(await tryConnect('md5_user', 'm5pass', 'md5db')).toBe(1);
    expectAuthFailure(await tryConnect('md5_user', 'nope', 'md5db'), 'md5_user');
    expectAuthFailure(await tryConnect('ghost', 'nope', 'md5db'), 'ghost');
  });

  it('uses SCRAM under md5 when the role has a SCRAM secret', async () => {
    const c = await RawClient.open(server.port);
    c.send(startupPacket({ user: 'scram_user', database: 'md5db' }));
    const r = await c.next();
    expect(r?.body.readInt32BE(0)).toBe(10);
    c.close();
    expect(await tryConnect('scram_user', 's3cret', 'md5db')).toBe(1);
  });

  it('asks for a cleartext password and checks it against either secret kind', async () => {
    expect(await tryConnect('scram_user', 's3cret', 'pwdb')).toBe(1);
    expect(await tryConnect('md5_user', 'm5pass', 'pwdb')).toBe(1);
    expectAuthFailure(await tryConnect('scram_user', 'bad', 'pwdb'), 'scram_user');
  });
});

describe('pg_hba rules', () => {
  it('trusts where the rule says trust', async () => {
    expect(await tryConnect('nopass', '', 'trustdb')).toBe(1);
  });

  it('rejects where the rule says reject', async () => {
    const e = (await tryConnect('scram_user', 's3cret', 'nope')) as pg.DatabaseError;
    expect(e.code).toBe('28000');
    expect(e.message).toBe('pg_hba.conf rejects connection for host "127.0.0.1", user ' +
      '"scram_user", database "nope", no encryption');
  });

  it('reports a connection no rule matches', async () => {
    const eng = new FakeEngine();
    eng.addRole('u', null);
    const srv = await startServer(eng, {
      host: '127.0.0.1', port: 0, hbaRules: parseHba('host all all 10.0.0.0/8 trust'),
    });
    try {
      const c = new pg.Client({ host: '127.0.0.1', port: srv.port, user: 'u', database: 'd' });
      const e = (await c.connect().catch((x: unknown) => x)) as pg.DatabaseError;
      expect(e.code).toBe('28000');
      expect(e.message).toBe('no pg_hba.conf entry for host "127.0.0.1", user "u", database "d", ' +
        'no encryption');
    } finally {
      await srv.close();
    }
  });
});
