// The wire server through raw sockets: startup variants, malformed and oversized input, unknown
// message types, true pipelining of extended-protocol messages, skip-till-Sync, portals with a
// row limit, Describe/Close, COPY in both directions, and that one bad client never stops others.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/wire/index.js';
import { FakeEngine } from './fake-engine.js';
import {
  RawClient, bind, cstr, dataRowValues, describe as describeMsg, errorFields, execute, int16,
  int32, msg, parse, query, startupPacket, sync, uint16,
} from './raw-client.js';

let engine: FakeEngine;
let server: RunningServer;

beforeAll(async () => {
  engine = new FakeEngine();
  engine.addRole('alice', null);
  server = await startServer(engine, { host: '127.0.0.1', port: 0, messageBytesMax: 1024 * 1024 });
});

afterAll(async () => {
  await server.close();
});

const types = (ms: Array<{ type: string }>): string => ms.map((m) => m.type).join('');

/** A fresh client can still connect and query: the server survived whatever came before. */
async function expectServerHealthy(): Promise<void> {
  const c = await RawClient.open(server.port);
  try {
    await c.startup({ user: 'alice' });
    c.send(query('SELECT 1'));
    const ms = await c.until('Z');
    expect(types(ms)).toBe('TDCZ');
    expect(dataRowValues(ms[1]!.body)).toEqual(['1']);
  } finally {
    c.close();
  }
}

async function fatalOf(c: RawClient): Promise<Record<string, string>> {
  const ms = await c.drain();
  const e = ms.find((m) => m.type === 'E');
  expect(e).toBeDefined();
  return errorFields(e!.body);
}

describe('startup', () => {
  it('completes a trust startup with parameter status, key data and ReadyForQuery', async () => {
    const c = await RawClient.open(server.port);
    try {
      const ms = await c.startup({ user: 'alice', database: 'db', application_name: 'raw' });
      expect(ms[0]?.type).toBe('R');
      expect(ms[0]?.body.readInt32BE(0)).toBe(0);
      const statuses = ms.filter((m) => m.type === 'S')
        .map((m) => m.body.toString().split('\0')[0]);
      expect(statuses).toContain('server_version');
      expect(statuses).toContain('application_name');
      expect(ms.filter((m) => m.type === 'K').length).toBe(1);
      expect(ms.at(-1)?.type).toBe('Z');
      const s = engine.sessions.at(-1);
      expect(s?.startup)
        .toEqual({ user: 'alice', database: 'db', params: { application_name: 'raw' } });
    } finally {
      c.close();
    }
  });

  it('defaults the database to the user name', async () => {
    const c = await RawClient.open(server.port);
    try {
      await c.startup({ user: 'alice' });
      expect(engine.sessions.at(-1)?.startup.database).toBe('alice');
    } finally {
      c.close();
    }
  });

  it('answers N to SSLRequest and GSSENCRequest, then accepts a startup', async () => {
    const c = await RawClient.open(server.port);
    try {
      c.send(int32(8), int32(80877104));
      expect((await c.readBytes(1)).toString()).toBe('N');
      c.send(int32(8), int32(80877103));
      expect((await c.readBytes(1)).toString()).toBe('N');
      const ms = await c.startup({ user: 'alice' });
      expect(ms.at(-1)?.type).toBe('Z');
    } finally {
      c.close();
    }
  });

  it('rejects protocol 2.0 with 0A000', async () => {
    const c = await RawClient.open(server.port);
    c.send(startupPacket({ user: 'alice' }, 2 << 16));
    const e = await fatalOf(c);
    expect(e['S']).toBe('FATAL');
    expect(e['C']).toBe('0A000');
    expect(e['M']).toBe('unsupported frontend protocol 2.0: server supports 3.0 to 3.0');
    await expectServerHealthy();
  });

  it('negotiates a newer minor version and unknown _pq_ options down', async () => {
    const c = await RawClient.open(server.port);
    try {
      c.send(startupPacket({ user: 'alice', '_pq_.something': 'x' }, (3 << 16) | 2));
      const ms = await c.until('Z');
      expect(ms[0]?.type).toBe('v');
      expect(ms[0]?.body.readInt32BE(0)).toBe(0);
      expect(ms[0]?.body.readInt32BE(4)).toBe(1);
      expect(ms[0]?.body.toString('utf8', 8)).toBe('_pq_.something\0');
    } finally {
      c.close();
    }
  });

  it('requires a user name', async () => {
    const c = await RawClient.open(server.port);
    c.send(startupPacket({ database: 'x' }));
    const e = await fatalOf(c);
    expect(e['C']).toBe('28000');
    expect(e['M']).toBe('no PostgreSQL user name specified in startup packet');
  });

  it('reports openSession errors as FATAL with their SQLSTATE', async () => {
    const c = await RawClient.open(server.port);
    c.send(startupPacket({ user: 'alice', database: 'nodb' }));
    const e = await fatalOf(c);
    expect(e['S']).toBe('FATAL');
    expect(e['C']).toBe('3D000');
    const d = await RawClient.open(server.port);
    d.send(startupPacket({ user: 'nobody' }));
    const e2 = await fatalOf(d);
    expect(e2['C']).toBe('28000');
    expect(e2['M']).toBe('role "nobody" does not exist');
  });

  it('rejects a startup packet without its terminator', async () => {
    const c = await RawClient.open(server.port);
    const body = Buffer.concat([int32(196608), cstr('user'), cstr('alice')]);
    c.send(int32(body.length + 4), body);
    const e = await fatalOf(c);
    expect(e['C']).toBe('08P01');
    expect(e['M']).toBe('invalid startup packet layout: expected terminator as last byte');
    await expectServerHealthy();
  });

  it('rejects garbage and an oversized startup packet, and keeps serving others', async () => {
    const c = await RawClient.open(server.port);
    c.send(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    const e = await fatalOf(c);
    expect(e['C']).toBe('08P01');
    expect(e['M']).toBe('invalid length of startup packet');
    const d = await RawClient.open(server.port);
    d.send(int32(20_000), int32(196608));
    expect((await fatalOf(d))['M']).toBe('invalid length of startup packet');
    const t = await RawClient.open(server.port);
    t.send(int32(2));
    expect((await fatalOf(t))['M']).toBe('invalid length of startup packet');
    await expectServerHealthy();
  });

  it('accepts a startup packet split into single bytes', async () => {
    const c = await RawClient.open(server.port);
    try {
      const p = startupPacket({ user: 'alice' });
      for (const byte of p) {
        c.send(Buffer.from([byte]));
        await new Promise((r) => setImmediate(r));
      }
      const ms = await c.until('Z');
      expect(ms.at(-1)?.type).toBe('Z');
    } finally {
      c.close();
    }
  });
});

describe('framing after startup', () => {
  it('closes on an unknown message type with FATAL 08P01, others unaffected', async () => {
    const other = await RawClient.open(server.port);
    await other.startup({ user: 'alice' });
    const c = await RawClient.open(server.port);
    await c.startup({ user: 'alice' });
    c.send(msg('?', Buffer.from('x')));
    const e = await fatalOf(c);
    expect(e['S']).toBe('FATAL');
    expect(e['C']).toBe('08P01');
    expect(e['M']).toBe('invalid frontend message type 63');
    expect(c.ended).toBe(true);
    other.send(query('SELECT 2'));
    expect(types(await other.until('Z'))).toBe('TDCZ');
    other.close();
  });

  it('closes on a malformed length', async () => {
    const c = await RawClient.open(server.port);
    await c.startup({ user: 'alice' });
    c.send(Buffer.from('Q'), int32(2));
    const e = await fatalOf(c);
    expect(e['C']).toBe('08P01');
    expect(e['M']).toBe('invalid message length');
    await expectServerHealthy();
  });

  it('closes on an oversized message without reading it all', async () => {
    const c = await RawClient.open(server.port);
    await c.startup({ user: 'alice' });
    c.send(Buffer.from('Q'), int32(1024 * 1024 + 100), Buffer.from('SELECT '));
    const e = await fatalOf(c);
    expect(e['M']).toBe('invalid message length');
    const d = await RawClient.open(server.port);
    await d.startup({ user: 'alice' });
    d.send(msg('S', Buffer.alloc(20_000)));
    expect((await fatalOf(d))['M']).toBe('invalid message length');
    await expectServerHealthy();
  });

  it('answers a malformed message body with ERROR 08P01 and continues', async () => {
    const c = await RawClient.open(server.port);
    try {
      await c.startup({ user: 'alice' });
      c.send(msg('Q', Buffer.from('SELECT 1')));
      const ms = await c.until('Z');
      expect(types(ms)).toBe('EZ');
      expect(errorFields(ms[0]!.body)['M']).toBe('invalid string in message');
      c.send(query('SELECT 3'));
      expect(types(await c.until('Z'))).toBe('TDCZ');
    } finally {
      c.close();
    }
  });

  it('handles a message split across many writes and many messages in one write', async () => {
    const c = await RawClient.open(server.port);
    try {
      await c.startup({ user: 'alice' });
      const q = query('SELECT 9');
      for (let i = 0; i < q.length; i += 3) {
        c.send(q.subarray(i, i + 3));
        await new Promise((r) => setImmediate(r));
      }
      expect(types(await c.until('Z'))).toBe('TDCZ');
      c.send(query('SELECT 1'), query('SELECT 2'), query('SELECT 3'));
      const all = [...await c.until('Z'), ...await c.until('Z'), ...await c.until('Z')];
      expect(all.filter((m) => m.type === 'D').map((m) => dataRowValues(m.body)[0]))
        .toEqual(['1', '2', '3']);
    } finally {
      c.close();
    }
  });

  it('answers an empty query with EmptyQueryResponse', async () => {
    const c = await RawClient.open(server.port);
    try {
      await c.startup({ user: 'alice' });
      c.send(query(''));
      expect(types(await c.until('Z'))).toBe('IZ');
    } finally {
      c.close();
    }
  });

  it('closes the connection after a FATAL error from the engine', async () => {
    const c = await RawClient.open(server.port);
    await c.startup({ user: 'alice' });
    c.send(query('SELECT fatal'));
    const e = await fatalOf(c);
    expect(e['S']).toBe('FATAL');
    expect(e['C']).toBe('57P01');
    expect(c.ended).toBe(true);
  });

  it('closes the session on Terminate', async () => {
    const c = await RawClient.open(server.port);
    await c.startup({ user: 'alice' });
    const s = engine.sessions.at(-1)!;
    c.send(msg('X'));
    expect(await c.drain()).toEqual([]);
    while (!s.closed) await new Promise((r) => setTimeout(r, 5));
    expect(s.calls.at(-1)).toBe('close');
  });
});

describe('extended protocol', () => {
  it('answers a pipeline of many messages before one Sync in order', async () => {
    const c = await RawClient.open(server.port);
    try {
      await c.startup({ user: 'alice' });
      const batch: Buffer[] = [parse('s1', 'SELECT $1::int4 AS n')];
      for (let i = 0; i < 20; i++) batch.push(bind('', 's1', [String(i)]), execute(''));
      batch.push(sync());
      c.send(...batch);
      const ms = await c.until('Z');
      expect(types(ms)).toBe('1' + '2DC'.repeat(20) + 'Z');
      const values = ms.filter((m) => m.type === 'D').map((m) => dataRowValues(m.body)[0]);
      expect(values).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
    } finally {
      c.close();
    }
  });

  it('describes statements and portals', async () => {
    const c = await RawClient.open(server.port);
    try {
      await c.startup({ user: 'alice' });
      c.send(parse('s', 'SELECT $1::text AS v'), describeMsg('S', 's'),
        parse('b', 'BEGIN'), describeMsg('S', 'b'),
        bind('p', 's', ['x']), describeMsg('P', 'p'), sync());
      const ms = await c.until('Z');
      expect(types(ms)).toBe('1tT1tn2TZ');
      const pd = ms[1]!.body;
      expect(pd.readInt16BE(0)).toBe(1);
      expect(pd.readInt32BE(2)).toBe(25);
      expect(ms[2]!.body.toString('utf8', 2, 3)).toBe('v');
    } finally {
      c.close();
    }
  });

  it('skips messages after an error until Sync, then recovers', async () => {
    const c = await RawClient.open(server.port);
    try {
      await c.startup({ user: 'alice' });
      const s = engine.sessions.at(-1)!;
      c.send(parse('', 'SELECT broken'), bind('', ''), execute(''),
        parse('', 'SELECT 4'), bind('', ''), execute(''), sync(),
        parse('', 'SELECT 5'), bind('', ''), execute(''), sync());
      const ms = await c.until('Z');
      expect(types(ms)).toBe('EZ');
      expect(errorFields(ms[0]!.body)['C']).toBe('42601');
      expect(s.calls).toContain('abortOnError');
      expect(s.calls).not.toContain('parse::SELECT 4');
      const ms2 = await c.until('Z');
      expect(types(ms2)).toBe('12DCZ');
      expect(dataRowValues(ms2[2]!.body)).toEqual(['5']);
    } finally {
      c.close();
    }
  });

  it('suspends a portal at its row limit and resumes it', async () => {
    const c = await RawClient.open(server.port);
    try {
      await c.startup({ user: 'alice' });
      c.send(parse('', 'SELECT series 5'), bind('cur', ''), execute('cur', 2), execute('cur', 2),
        execute('cur', 2), sync());
      const ms = await c.until('Z');
      expect(types(ms)).toBe('12DDsDDsDCZ');
      const tag = ms.find((m) => m.type === 'C')!.body.toString('utf8').replace('\0', '');
      expect(tag).toBe('SELECT 1');
    } finally {
      c.close();
    }
  });

  it('closes statements and portals, and rejects a bad Close/Describe subtype', async () => {
    const c = await RawClient.open(server.port);
    try {
      await c.startup({ user: 'alice' });
      c.send(parse('s', 'SELECT 1'), bind('p', 's'), msg('C', Buffer.from('P'), cstr('p')),
        msg('C', Buffer.from('S'), cstr('s')), sync());
      expect(types(await c.until('Z'))).toBe('1233Z');
      const calls = engine.sessions.at(-1)!.calls;
      expect(calls).toContain('closePortal:p');
      expect(calls).toContain('closeStatement:s');
      c.send(msg('C', Buffer.from('X'), cstr('p')), sync());
      const ms = await c.until('Z');
      expect(types(ms)).toBe('EZ');
      expect(errorFields(ms[0]!.body)['M']).toBe('invalid CLOSE message subtype 88');
      c.send(msg('D', Buffer.from('Q'), cstr('p')), sync());
      const ms2 = await c.until('Z');
      expect(errorFields(ms2[0]!.body)['M']).toBe('invalid DESCRIBE message subtype 81');
    } finally {
      c.close();
    }
  });

  it('sends buffered results on Flush without waiting for Sync', async () => {
    const c = await RawClient.open(server.port);
    try {
      await c.startup({ user: 'alice' });
      c.send(parse('', 'SELECT 6'), bind('', ''), execute(''), msg('H'));
      const ms = await c.until('C');
      expect(types(ms)).toBe('12DC');
      c.send(sync());
      expect(types(await c.until('Z'))).toBe('Z');
    } finally {
      c.close();
    }
  });

  it('passes binary parameters and result formats to the session', async () => {
    const c = await RawClient.open(server.port);
    try {
      await c.startup({ user: 'alice' });
      const b = msg('B', cstr(''), cstr('s'), int16(1), int16(1), int16(1), int32(4), int32(77),
        int16(1), int16(1));
      c.send(parse('s', 'SELECT $1::int4 AS n', [23]), b, execute(''), sync());
      const ms = await c.until('Z');
      expect(types(ms)).toBe('12DCZ');
      const row = ms[2]!.body;
      expect(row.readInt32BE(2)).toBe(4);
      expect(row.readInt32BE(6)).toBe(77);
    } finally {
      c.close();
    }
  });
});

describe('extended protocol counts', () => {
  it('reads parameter counts above 32767 as unsigned and checks format counts', async () => {
    const c = await RawClient.open(server.port);
    try {
      await c.startup({ user: 'alice' });
      const n = 40000;
      const oids = Array.from({ length: n }, () => 25);
      const nulls = Array.from({ length: n }, () => int32(-1));
      const b = msg('B', cstr(''), cstr(''), int16(0), uint16(n), ...nulls, int16(0));
      c.send(parse('', 'SELECT 1', oids), b, sync());
      expect(types(await c.until('Z'))).toBe('12Z');
      expect(engine.sessions.at(-1)!.calls).toContain('bind:::40000:');
      const bad = msg('B', cstr(''), cstr(''), int16(2), int16(0), int16(0), int16(3),
        int32(-1), int32(-1), int32(-1), int16(0));
      c.send(parse('', 'SELECT 1'), bad, sync());
      const ms = await c.until('Z');
      expect(types(ms)).toBe('1EZ');
      expect(errorFields(ms[1]!.body)['M'])
        .toBe('bind message has 2 parameter formats but 3 parameters');
    } finally {
      c.close();
    }
  });
});

describe('COPY', () => {
  it('receives COPY FROM STDIN data until CopyDone', async () => {
    const c = await RawClient.open(server.port);
    try {
      await c.startup({ user: 'alice' });
      c.send(query('COPY t FROM STDIN'));
      const g = await c.next();
      expect(g?.type).toBe('G');
      c.send(msg('d', Buffer.from('1\tone\n')), msg('H'), msg('d', Buffer.from('2\ttwo\n')),
        msg('c'));
      const ms = await c.until('Z');
      expect(types(ms)).toBe('CZ');
      expect(ms[0]!.body.toString()).toBe('COPY 2\0');
      expect(engine.copiedIn.at(-1)).toBe('1\tone\n2\ttwo\n');
    } finally {
      c.close();
    }
  });

  it('fails COPY FROM STDIN with 57014 on CopyFail and drops stray copy messages', async () => {
    const c = await RawClient.open(server.port);
    try {
      await c.startup({ user: 'alice' });
      c.send(query('COPY t FROM STDIN'));
      expect((await c.next())?.type).toBe('G');
      c.send(msg('d', Buffer.from('1\n')), msg('f', cstr('client gave up')));
      const ms = await c.until('Z');
      expect(types(ms)).toBe('EZ');
      const e = errorFields(ms[0]!.body);
      expect(e['C']).toBe('57014');
      expect(e['M']).toBe('COPY from stdin failed: client gave up');
      c.send(msg('d', Buffer.from('late')), msg('c'), query('SELECT 1'));
      expect(types(await c.until('Z'))).toBe('TDCZ');
    } finally {
      c.close();
    }
  });

  it('rejects other messages during COPY FROM STDIN', async () => {
    const c = await RawClient.open(server.port);
    try {
      await c.startup({ user: 'alice' });
      c.send(query('COPY t FROM STDIN'));
      expect((await c.next())?.type).toBe('G');
      c.send(query('SELECT 1'));
      const ms = await c.until('Z');
      expect(types(ms)).toBe('EZ');
      expect(errorFields(ms[0]!.body)['M'])
        .toBe('unexpected message type 0x51 during COPY from stdin');
    } finally {
      c.close();
    }
  });

  it('sends COPY TO STDOUT data', async () => {
    const c = await RawClient.open(server.port);
    try {
      await c.startup({ user: 'alice' });
      c.send(query('COPY t TO STDOUT'));
      const ms = await c.until('Z');
      expect(types(ms)).toBe('HddcCZ');
      expect(ms[0]!.body.readInt8(0)).toBe(0);
      expect(ms[0]!.body.readInt16BE(1)).toBe(2);
      expect(ms[1]!.body.toString()).toBe('1\tone\n');
    } finally {
      c.close();
    }
  });

  it('streams a large COPY FROM STDIN payload', async () => {
    const c = await RawClient.open(server.port);
    try {
      await c.startup({ user: 'alice' });
      c.send(query('COPY t FROM STDIN'));
      expect((await c.next())?.type).toBe('G');
      const line = 'x'.repeat(1000) + '\n';
      const chunk = msg('d', Buffer.from(line.repeat(500)));
      for (let i = 0; i < 20; i++) c.send(chunk);
      c.send(msg('c'));
      const ms = await c.until('Z');
      expect(ms[0]!.body.toString()).toBe('COPY 10000\0');
    } finally {
      c.close();
    }
  });
});

describe('shutdown', () => {
  it('ends idle connections with 57P01 and waits for a running statement', async () => {
    const eng = new FakeEngine();
    eng.addRole('alice', null);
    const srv = await startServer(eng, { host: '127.0.0.1', port: 0 });
    const idle = await RawClient.open(srv.port);
    await idle.startup({ user: 'alice' });
    const busy = await RawClient.open(srv.port);
    await busy.startup({ user: 'alice' });
    busy.send(query('SELECT sleep'));
    const sleeper = eng.sessions.at(-1)!;
    while (eng.sleeping.indexOf(sleeper) < 0) await new Promise((r) => setTimeout(r, 5));
    const closing = srv.close();
    const e = await fatalOf(idle);
    expect(e['C']).toBe('57P01');
    expect(busy.ended).toBe(false);
    sleeper.cancel();
    const ms = await busy.drain();
    expect(types(ms)).toBe('EZE');
    expect(errorFields(ms[0]!.body)['C']).toBe('57014');
    expect(errorFields(ms[2]!.body)['C']).toBe('57P01');
    await closing;
    expect(eng.sessions.every((s) => s.closed)).toBe(true);
  });
});

describe('text encoding', () => {
  it('rejects invalid UTF-8 in a query with 22021, as PostgreSQL words it', async () => {
    const c = await RawClient.open(server.port);
    try {
      await c.startup({ user: 'alice' });
      c.send(msg('Q', Buffer.from("SELECT 'a"), Buffer.from([0xe2, 0x82]), Buffer.from("'\0")));
      const ms = await c.until('Z');
      expect(types(ms)).toBe('EZ');
      const e = errorFields(ms[0]!.body);
      expect(e['C']).toBe('22021');
      expect(e['M']).toBe('invalid byte sequence for encoding "UTF8": 0xe2 0x82 0x27');
      c.send(parse('', 'SELECT 1'), msg('B', cstr(''), Buffer.from([0xff, 0]), int16(0), int16(0),
        int16(0)), sync());
      const ms2 = await c.until('Z');
      expect(types(ms2)).toBe('1EZ');
      expect(errorFields(ms2[1]!.body)['M'])
        .toBe('invalid byte sequence for encoding "UTF8": 0xff');
    } finally {
      c.close();
    }
  });
});

describe('output flow control', () => {
  it('delivers a result larger than the socket buffers to a slow reader', async () => {
    const c = await RawClient.open(server.port);
    try {
      await c.startup({ user: 'alice' });
      c.socket.pause();
      c.send(query('SELECT series 200000'), query('SELECT 1'));
      await new Promise((r) => setTimeout(r, 50));
      c.socket.resume();
      const ms = await c.until('Z');
      expect(ms.filter((m) => m.type === 'D').length).toBe(200000);
      expect(ms.at(-2)?.body.toString()).toBe('SELECT 200000\0');
      const ms2 = await c.until('Z');
      expect(types(ms2)).toBe('TDCZ');
    } finally {
      c.close();
    }
  });
});

describe('connection limit', () => {
  it('refuses connections beyond the limit with 53300, admits again after one ends', async () => {
    const eng = new FakeEngine();
    eng.addRole('alice', null);
    const srv = await startServer(eng, { host: '127.0.0.1', port: 0, maxConnections: 1 });
    try {
      const first = await RawClient.open(srv.port);
      await first.startup({ user: 'alice' });
      const second = await RawClient.open(srv.port);
      second.send(startupPacket({ user: 'alice' }));
      const e = await fatalOf(second);
      expect(e['C']).toBe('53300');
      expect(e['M']).toBe('sorry, too many clients already');
      first.send(msg('X'));
      await first.drain();
      // The first connection's slot is released once the server has processed its close.
      let admittedAgain = false;
      for (let attempt = 0; attempt < 100 && !admittedAgain; attempt++) {
        const third = await RawClient.open(srv.port);
        third.send(startupPacket({ user: 'alice' }));
        const ms = await third.until('Z');
        admittedAgain = ms.at(-1)?.type === 'Z';
        third.close();
        if (!admittedAgain) await new Promise((r) => setTimeout(r, 10));
      }
      expect(admittedAgain).toBe(true);
    } finally {
      await srv.close();
    }
  });
});
