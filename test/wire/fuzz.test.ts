// Property tests of the framing: any split of a valid byte stream gives the same answers, and
// random bytes after a good startup never take the server down (a fresh client still works).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startServer, type RunningServer } from '../../src/wire/index.js';
import { FakeEngine } from './fake-engine.js';
import {
  RawClient, bind, dataRowValues, execute, parse, query, startupPacket, sync,
} from './raw-client.js';

let engine: FakeEngine;
let server: RunningServer;

beforeAll(async () => {
  engine = new FakeEngine();
  engine.addRole('alice', null);
  server = await startServer(engine, { host: '127.0.0.1', port: 0, messageBytesMax: 64 * 1024 });
});

afterAll(async () => {
  await server.close();
});

const stream = Buffer.concat([
  startupPacket({ user: 'alice' }),
  query('SELECT 1; SELECT series 3'),
  parse('', 'SELECT $1::text AS v'), bind('', '', ['hi']), execute(''), sync(),
  query('SELECT 2'),
]);

async function answers(chunks: Buffer[]): Promise<string[]> {
  const c = await RawClient.open(server.port);
  try {
    for (const chunk of chunks) {
      c.send(chunk);
      await new Promise((r) => setImmediate(r));
    }
    const out: string[] = [];
    for (let i = 0; i < 4; i++) {
      for (const m of await c.until('Z')) {
        if (m.type === 'D') out.push(`D${JSON.stringify(dataRowValues(m.body))}`);
        else if (m.type !== 'S' && m.type !== 'K') out.push(m.type);
      }
    }
    return out;
  } finally {
    c.close();
  }
}

describe('framing properties', () => {
  it('answers the same however the input is split', async () => {
    const expected = await answers([stream]);
    expect(expected.join(' ')).toBe(
      'R Z T D["1"] C T D["1"] D["2"] D["3"] C Z 1 2 D["hi"] C Z T D["2"] C Z');
    await fc.assert(fc.asyncProperty(
      fc.uniqueArray(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 12 }),
      async (cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), stream.length];
        const chunks = points.slice(1).map((end, i) => stream.subarray(points[i], end));
        expect(await answers(chunks)).toEqual(expected);
      }), { numRuns: 25 });
  });

  it('survives random bytes after startup', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 300 }),
      async (bytes) => {
        const c = await RawClient.open(server.port);
        await c.startup({ user: 'alice' });
        c.send(Buffer.from(bytes));
        await new Promise((r) => setTimeout(r, 5));
        c.close();
        const ok = await RawClient.open(server.port);
        try {
          await ok.startup({ user: 'alice' });
          ok.send(query('SELECT 11'));
          const ms = await ok.until('Z');
          expect(ms.map((m) => m.type).join('')).toBe('TDCZ');
        } finally {
          ok.close();
        }
      }), { numRuns: 40 });
  });
});
