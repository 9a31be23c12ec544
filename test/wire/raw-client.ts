// A raw-socket protocol client for wire tests: builds frontend messages byte by byte (so tests
// can also send malformed ones) and parses whatever the server answers into typed messages.
import { connect, type Socket } from 'node:net';

export interface BackendMessage {
  type: string;
  body: Buffer;
}

export function startupPacket(params: Record<string, string>, version = 196608): Buffer {
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(params)) parts.push(cstr(k), cstr(v));
  parts.push(Buffer.from([0]));
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + body.length, 0);
  head.writeInt32BE(version, 4);
  return Buffer.concat([head, body]);
}

export function cstr(s: string): Buffer {
  return Buffer.concat([Buffer.from(s, 'utf8'), Buffer.from([0])]);
}

export function int16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
}

export function uint16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

export function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

export function msg(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from(type), int32(body.length + 4), body]);
}

export const query = (sql: string): Buffer => msg('Q', cstr(sql));
export const sync = (): Buffer => msg('S');
export const parse = (name: string, sql: string, oids: number[] = []): Buffer =>
  msg('P', cstr(name), cstr(sql), uint16(oids.length), ...oids.map(int32));
export const bind = (portal: string, stmt: string, params: (string | null)[] = [],
  resultFormats: number[] = []): Buffer =>
  msg('B', cstr(portal), cstr(stmt), int16(0), int16(params.length),
    ...params.map((p) => (p === null ? int32(-1) : Buffer.concat([int32(Buffer.byteLength(p)),
      Buffer.from(p)]))),
    int16(resultFormats.length), ...resultFormats.map(int16));
export const execute = (portal: string, maxRows = 0): Buffer =>
  msg('E', cstr(portal), int32(maxRows));
export const describe = (kind: 'S' | 'P', name: string): Buffer =>
  msg('D', Buffer.from(kind), cstr(name));

export class RawClient {
  private buf = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  ended = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (d: Buffer) => { this.buf = Buffer.concat([this.buf, d]); this.notify(); });
    socket.on('close', () => { this.ended = true; this.notify(); });
    socket.on('error', () => { this.ended = true; this.notify(); });
  }

  static open(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = connect({ port, host }, () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  private notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private wait(): Promise<void> {
    return new Promise((r) => this.waiters.push(r));
  }

  send(...bufs: Buffer[]): void {
    this.socket.write(Buffer.concat(bufs));
  }

  /** Reads exactly n raw bytes (for the one-byte SSLRequest answer). */
  async readBytes(n: number): Promise<Buffer> {
    while (this.buf.length < n) {
      if (this.ended) throw new Error(`connection closed; had ${this.buf.length} of ${n} bytes`);
      await this.wait();
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  /** The next backend message, or null when the server closed the connection. */
  async next(): Promise<BackendMessage | null> {
    for (;;) {
      if (this.buf.length >= 5) {
        const len = this.buf.readInt32BE(1);
        if (this.buf.length >= len + 1) {
          const type = String.fromCharCode(this.buf[0] ?? 0);
          const m = { type, body: this.buf.subarray(5, len + 1) };
          this.buf = this.buf.subarray(len + 1);
          return m;
        }
      }
      if (this.ended) return null;
      await this.wait();
    }
  }

  /** Messages up to and including the next one of `type` (or until close). */
  async until(type: string): Promise<BackendMessage[]> {
    const out: BackendMessage[] = [];
    for (;;) {
      const m = await this.next();
      if (m === null) return out;
      out.push(m);
      if (m.type === type) return out;
    }
  }

  /** Every message until the server closes the connection. */
  async drain(): Promise<BackendMessage[]> {
    const out: BackendMessage[] = [];
    for (;;) {
      const m = await this.next();
      if (m === null) return out;
      out.push(m);
    }
  }

  /** Startup as `user` with trust auth; returns the messages up to ReadyForQuery. */
  async startup(params: Record<string, string>): Promise<BackendMessage[]> {
    this.send(startupPacket(params));
    return this.until('Z');
  }

  close(): void { this.socket.destroy(); }
}

/** Fields of an ErrorResponse/NoticeResponse body. */
export function errorFields(body: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < body.length && body[i] !== 0) {
    const code = String.fromCharCode(body[i] ?? 0);
    const end = body.indexOf(0, i + 1);
    out[code] = body.toString('utf8', i + 1, end);
    i = end + 1;
  }
  return out;
}

/** Values of a DataRow body as strings (null for SQL NULL). */
export function dataRowValues(body: Buffer): (string | null)[] {
  const n = body.readInt16BE(0);
  const out: (string | null)[] = [];
  let p = 2;
  for (let i = 0; i < n; i++) {
    const len = body.readInt32BE(p);
    p += 4;
    if (len < 0) { out.push(null); continue; }
    out.push(body.toString('utf8', p, p + len));
    p += len;
  }
  return out;
}
