// CPU per point query on the server thread, without the network: one wire Connection over a
// mock socket, driven in-process with pgbench's select-only statement in the extended protocol
// (Bind/Execute/Sync of a prepared statement) and the simple protocol. Prints µs per query
// (median of rounds): what the engine and wire layers cost, with no syscalls in the figure.
// Usage: npm run bench:point-cpu  (BENCH_QUERIES per round, BENCH_ROUNDS)
import { EventEmitter } from 'node:events';
import { openEngine } from '../../src/index.js';
import { Connection } from '../../src/wire/connection.js';
import { defaultHbaRules } from '../../src/wire/hba.js';
import { fmt, median } from '../lib/stats.js';

const QUERIES = Number(process.env.BENCH_QUERIES ?? 50_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ROWS = 100_000;

/** The parts of net.Socket a Connection uses; write() hands the bytes to onWrite. */
class MockSocket extends EventEmitter {
  destroyed = false;
  writable = true;
  writableLength = 0;
  writableNeedDrain = false;
  remoteAddress = '127.0.0.1';
  remoteFamily = 'IPv4';
  onWrite: (b: Buffer) => void = () => undefined;
  setNoDelay(): void {}
  pause(): void {}
  resume(): void {}
  end(): void { this.destroyed = true; }
  destroy(): void { this.destroyed = true; }
  write(b: Buffer): boolean { this.onWrite(b); return true; }
}

const cstr = (s: string): Buffer => Buffer.from(`${s}\0`);
function message(type: string, body: Buffer): Buffer {
  const b = Buffer.alloc(5 + body.length);
  b[0] = type.charCodeAt(0);
  b.writeInt32BE(4 + body.length, 1);
  body.copy(b, 5);
  return b;
}
function startupPacket(): Buffer {
  const body = Buffer.concat([Buffer.from([0, 3, 0, 0]), cstr('user'), cstr('postgres'), cstr('database'), cstr('postgres'), Buffer.from([0])]);
  const b = Buffer.alloc(4 + body.length);
  b.writeInt32BE(4 + body.length, 0);
  body.copy(b, 4);
  return b;
}
function bindMessage(aid: number): Buffer {
  const v = Buffer.from(String(aid));
  const len = Buffer.alloc(4);
  len.writeInt32BE(v.length, 0);
  return message('B', Buffer.concat([cstr(''), cstr('s1'), Buffer.from([0, 0, 0, 1]), len, v, Buffer.from([0, 0])]));
}

async function main(): Promise<void> {
  const engine = await openEngine({ memory: true });
  const socket = new MockSocket();
  const conn = new Connection(socket as never, engine, {
    hbaRules: defaultHbaRules(), limits: { startupPacketBytesMax: 10_000, messageBytesMax: 1 << 30 },
    connType: 'host', admit: () => true,
  });
  conn.start();
  // A round trip ends with ReadyForQuery ('Z', length 5).
  const READY = Buffer.from([0x5a, 0, 0, 0, 5]);
  let done: (() => void) | null = null;
  socket.onWrite = (b) => {
    if (b.includes(READY)) { const d = done; done = null; d?.(); }
  };
  const send = (b: Buffer): Promise<void> => new Promise((resolve) => { done = resolve; socket.emit('data', b); });
  await send(startupPacket());
  const query = (sql: string): Promise<void> => send(message('Q', cstr(sql)));
  await query('CREATE TABLE pgbench_accounts (aid int PRIMARY KEY, bid int, abalance int, filler char(84))');
  await query(`INSERT INTO pgbench_accounts SELECT g, 1, 0, '' FROM generate_series(1, ${ROWS}) g`);
  await send(Buffer.concat([
    message('P', Buffer.concat([cstr('s1'), cstr('SELECT abalance FROM pgbench_accounts WHERE aid = $1'), Buffer.from([0, 0])])),
    message('S', Buffer.alloc(0)),
  ]));
  const aid = (i: number): number => 1 + ((i * 7919) % ROWS);
  const exec = message('E', Buffer.concat([cstr(''), Buffer.alloc(4)]));
  const sync = message('S', Buffer.alloc(0));
  const workloads: Array<[string, Buffer[]]> = [
    ['prepared (Bind/Execute/Sync)', Array.from({ length: 1000 }, (_, i) => Buffer.concat([bindMessage(aid(i)), exec, sync]))],
    ['simple (Query)', Array.from({ length: 1000 }, (_, i) => message('Q', cstr(`SELECT abalance FROM pgbench_accounts WHERE aid = ${aid(i)}`)))],
  ];
  const perQuery = new Map<string, number[]>(workloads.map(([name]) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, messages] of workloads) {
      const t0 = performance.now();
      for (let i = 0; i < QUERIES; i++) await send(messages[i % messages.length]!);
      perQuery.get(name)!.push(((performance.now() - t0) * 1000) / QUERIES);
    }
  }
  console.log(`point query CPU in-process: ${ROWS} rows, ${QUERIES} queries x ${ROUNDS} rounds`);
  for (const [name, us] of perQuery) {
    console.log(`${name.padEnd(30)} median ${fmt(median(us))} µs/query  (rounds: ${us.map((u) => fmt(u)).join(', ')})`);
  }
  await engine.close();
}

await main();
