// A raw PostgreSQL wire responder with no engine behind it, for measuring the floor a client and
// the loopback round trip put under any server: it accepts any startup without authentication and
// answers every Execute with ten one-column rows, Parse/Bind/Describe with their fixed replies, and
// a simple query with an empty command. The rows are ids 0..9, or, given a usearch index file, the
// ten nearest neighbours of the vector text bound as the first parameter (the bare search served
// over the wire, nothing else). Run: node raw-pg-responder.js PORT [INDEX DIMENSIONS l2|cos EF].
import { createServer, type Socket } from 'node:net';
import { Index, MetricKind, ScalarKind } from 'usearch';

function message(type: string, body: Buffer): Buffer {
  const out = Buffer.alloc(5 + body.length);
  out.write(type, 0, 'latin1');
  out.writeInt32BE(4 + body.length, 1);
  body.copy(out, 5);
  return out;
}

const cstr = (s: string): Buffer => Buffer.from(`${s}\0`);
const int32 = (n: number): Buffer => { const b = Buffer.alloc(4); b.writeInt32BE(n); return b; };
const int16 = (n: number): Buffer => { const b = Buffer.alloc(2); b.writeInt16BE(n); return b; };

const READY = message('Z', Buffer.from('I'));
const STARTUP_REPLY = Buffer.concat([
  message('R', int32(0)),
  ...[['server_version', '15.8'], ['client_encoding', 'UTF8'], ['server_encoding', 'UTF8'], ['standard_conforming_strings', 'on'],
    ['integer_datetimes', 'on'], ['DateStyle', 'ISO, MDY']].map(([k, v]) => message('S', Buffer.concat([cstr(k!), cstr(v!)]))),
  message('K', Buffer.concat([int32(process.pid), int32(1)])),
  READY,
]);
const PARSE_COMPLETE = message('1', Buffer.alloc(0));
const BIND_COMPLETE = message('2', Buffer.alloc(0));
const ROW_DESCRIPTION = message('T', Buffer.concat([int16(1), cstr('id'), int32(0), int16(0), int32(23), int16(4), int32(-1), int16(0)]));
const PARAMETER_DESCRIPTION = message('t', Buffer.concat([int16(1), int32(25)]));
const ROWS = Buffer.concat([
  ...Array.from({ length: 10 }, (_, i) => message('D', Buffer.concat([int16(1), int32(String(i).length), Buffer.from(String(i))]))),
  message('C', cstr('SELECT 10')),
]);
const SIMPLE_REPLY = Buffer.concat([message('I', Buffer.alloc(0)), READY]);

const [indexFile, dims, metric, ef] = process.argv.slice(3);
const index = indexFile === undefined ? null : new Index({
  dimensions: Number(dims), metric: metric === 'cos' ? MetricKind.Cos : MetricKind.L2sq, quantization: ScalarKind.F32,
  connectivity: 16, expansion_add: 64, expansion_search: Number(ef), multi: false,
});
index?.load(indexFile!);

/** The first parameter of a Bind message as text (portal, statement, format codes, then values). */
function firstParam(msg: Buffer): string {
  let at = msg.indexOf(0, 0) + 1;
  at = msg.indexOf(0, at) + 1;
  at += 2 + 2 * msg.readInt16BE(at);
  const len = msg.readInt32BE(at + 2);
  return msg.toString('utf8', at + 6, at + 6 + len);
}

/** DataRows and CommandComplete for the neighbours of a vector given as text. */
function searchRows(vectorText: string): Buffer {
  const parts = vectorText.slice(1, -1).split(',');
  const q = new Float32Array(parts.length);
  for (let i = 0; i < parts.length; i++) q[i] = Number(parts[i]);
  const keys = index!.search(q, 10, 1).keys;
  const rows: Buffer[] = [];
  for (const k of keys) {
    const id = String(k);
    rows.push(message('D', Buffer.concat([int16(1), int32(id.length), Buffer.from(id)])));
  }
  rows.push(message('C', cstr(`SELECT ${keys.length}`)));
  return Buffer.concat(rows);
}

function serve(socket: Socket): void {
  socket.setNoDelay(true);
  let buffered: Buffer = Buffer.alloc(0);
  let started = false;
  const out: Buffer[] = [];
  let bound = '';
  socket.on('data', (chunk: Buffer) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    let at = 0;
    for (;;) {
      if (!started) {
        if (buffered.length - at < 8) break;
        const len = buffered.readInt32BE(at);
        if (buffered.length - at < len) break;
        const code = buffered.readInt32BE(at + 4);
        at += len;
        if (code === 80877103 || code === 80877104) { out.push(Buffer.from('N')); continue; }
        started = true;
        out.push(STARTUP_REPLY);
        continue;
      }
      if (buffered.length - at < 5) break;
      const type = String.fromCharCode(buffered[at]!);
      const len = buffered.readInt32BE(at + 1);
      if (buffered.length - at < 1 + len) break;
      const describesStatement = type === 'D' && buffered[at + 5] === 0x53;
      at += 1 + len;
      switch (type) {
        case 'P': out.push(PARSE_COMPLETE); break;
        case 'B':
          if (index !== null) bound = firstParam(buffered.subarray(at - len + 4, at));
          out.push(BIND_COMPLETE);
          break;
        case 'D': out.push(describesStatement ? Buffer.concat([PARAMETER_DESCRIPTION, ROW_DESCRIPTION]) : ROW_DESCRIPTION); break;
        case 'E': out.push(index === null ? ROWS : searchRows(bound)); break;
        case 'S': out.push(READY); break;
        case 'Q': out.push(SIMPLE_REPLY); break;
        case 'X': socket.end(); return;
        default: break;
      }
    }
    buffered = at === buffered.length ? Buffer.alloc(0) : buffered.subarray(at);
    if (out.length > 0) {
      socket.write(out.length === 1 ? out[0]! : Buffer.concat(out));
      out.length = 0;
    }
  });
  socket.on('error', () => socket.destroy());
}

const server = createServer(serve);
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const addr = server.address();
  process.stdout.write(`raw responder on ${typeof addr === 'object' && addr !== null ? addr.port : '?'}\n`);
});
