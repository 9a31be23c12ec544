// Encoding of backend (server → client) protocol v3 messages into one growable output buffer.
// Messages accumulate until the connection flushes (ReadyForQuery, Flush, errors, or when the
// buffer grows large); `take()` hands the bytes over without copying large buffers.
// No socket here: the connection decides when to write.
import type { FieldDescription, NoticeFields, WireValue } from './engine-api.js';
import type { SqlError } from '../base/index.js';

const INITIAL_BYTES = 16 * 1024;
/** Below this size, take() copies out and keeps the buffer; above, it hands the buffer over. */
const COPY_OUT_BYTES = 8 * 1024;

export class MessageWriter {
  private buf: Buffer = Buffer.allocUnsafe(INITIAL_BYTES);
  private pos = 0;
  /** Start of the message being written (for its length field). */
  private msgStart = 0;

  get length(): number { return this.pos; }

  /** Removes and returns everything written so far. */
  take(): Buffer {
    const n = this.pos;
    this.pos = 0;
    if (n <= COPY_OUT_BYTES) {
      const out = Buffer.allocUnsafe(n);
      this.buf.copy(out, 0, 0, n);
      return out;
    }
    const out = this.buf.subarray(0, n);
    this.buf = Buffer.allocUnsafe(INITIAL_BYTES);
    return out;
  }

  private ensure(extra: number): void {
    const need = this.pos + extra;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  private begin(type: number): void {
    this.ensure(5);
    this.msgStart = this.pos;
    this.buf[this.pos] = type;
    this.pos += 5;
  }

  private end(): void {
    this.buf.writeInt32BE(this.pos - this.msgStart - 1, this.msgStart + 1);
  }

  private int16(v: number): void {
    this.ensure(2);
    this.buf.writeInt16BE(v, this.pos);
    this.pos += 2;
  }

  private int32(v: number): void {
    this.ensure(4);
    this.buf.writeInt32BE(v | 0, this.pos);
    this.pos += 4;
  }

  private byte(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  private cstring(s: string): void {
    this.ensure((s.length > 4096 ? Buffer.byteLength(s, 'utf8') : s.length * 3) + 1);
    this.pos += this.buf.write(s, this.pos, 'utf8');
    this.buf[this.pos++] = 0;
  }

  private bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  // ---- authentication and startup ----

  /** AuthenticationOk (0), CleartextPassword (3). */
  authSimple(code: 0 | 3): void {
    this.begin(0x52); this.int32(code); this.end();
  }

  authMd5(salt: Buffer): void {
    this.begin(0x52); this.int32(5); this.bytes(salt); this.end();
  }

  authSasl(mechanisms: readonly string[]): void {
    this.begin(0x52); this.int32(10);
    for (const m of mechanisms) this.cstring(m);
    this.byte(0);
    this.end();
  }

  /** SASLContinue (11) or SASLFinal (12). */
  authSaslData(code: 11 | 12, data: string): void {
    this.begin(0x52); this.int32(code);
    this.ensure(data.length * 3);
    this.pos += this.buf.write(data, this.pos, 'utf8');
    this.end();
  }

  parameterStatus(name: string, value: string): void {
    this.begin(0x53); this.cstring(name); this.cstring(value); this.end();
  }

  backendKeyData(processId: number, secretKey: number): void {
    this.begin(0x4b); this.int32(processId); this.int32(secretKey); this.end();
  }

  negotiateProtocolVersion(minor: number, unrecognized: readonly string[]): void {
    this.begin(0x76); this.int32(minor); this.int32(unrecognized.length);
    for (const o of unrecognized) this.cstring(o);
    this.end();
  }

  readyForQuery(status: 'I' | 'T' | 'E'): void {
    this.begin(0x5a); this.byte(status.charCodeAt(0)); this.end();
  }

  /** NotificationResponse ('A'): LISTEN's asynchronous message. */
  notificationResponse(pid: number, channel: string, payload: string): void {
    this.begin(0x41); this.int32(pid); this.cstring(channel); this.cstring(payload); this.end();
  }

  // ---- results ----

  rowDescription(fields: readonly FieldDescription[]): void {
    this.begin(0x54);
    this.int16(fields.length);
    for (const f of fields) {
      this.cstring(f.name);
      this.ensure(18);
      const b = this.buf;
      let p = this.pos;
      b.writeInt32BE(f.tableOid | 0, p); p += 4;
      b.writeInt16BE(f.columnAttr, p); p += 2;
      b.writeInt32BE(f.typeOid | 0, p); p += 4;
      b.writeInt16BE(f.typeSize, p); p += 2;
      b.writeInt32BE(f.typmod | 0, p); p += 4;
      b.writeInt16BE(f.format, p); p += 2;
      this.pos = p;
    }
    this.end();
  }

  dataRow(values: readonly WireValue[]): void {
    this.begin(0x44);
    this.int16(values.length);
    for (const v of values) {
      if (v === null) {
        this.int32(-1);
      } else if (typeof v === 'string') {
        // Long strings: reserve their exact size rather than the worst case (3 bytes a unit).
        this.ensure(4 + (v.length > 4096 ? Buffer.byteLength(v, 'utf8') : v.length * 3));
        const lenAt = this.pos;
        this.pos += 4;
        const n = this.buf.write(v, this.pos, 'utf8');
        this.buf.writeInt32BE(n, lenAt);
        this.pos += n;
      } else {
        this.int32(v.length);
        this.bytes(v);
      }
    }
    this.end();
  }

  commandComplete(tag: string): void {
    this.begin(0x43); this.cstring(tag); this.end();
  }

  emptyQueryResponse(): void { this.begin(0x49); this.end(); }
  parseComplete(): void { this.begin(0x31); this.end(); }
  bindComplete(): void { this.begin(0x32); this.end(); }
  closeComplete(): void { this.begin(0x33); this.end(); }
  noData(): void { this.begin(0x6e); this.end(); }
  portalSuspended(): void { this.begin(0x73); this.end(); }

  parameterDescription(oids: readonly number[]): void {
    this.begin(0x74);
    this.int16(oids.length);
    for (const o of oids) this.int32(o);
    this.end();
  }

  // ---- COPY ----

  /** CopyInResponse ('G') or CopyOutResponse ('H'). */
  copyResponse(type: 'G' | 'H', format: 0 | 1, columnFormats: readonly (0 | 1)[]): void {
    this.begin(type.charCodeAt(0));
    this.byte(format);
    this.int16(columnFormats.length);
    for (const f of columnFormats) this.int16(f);
    this.end();
  }

  copyData(chunk: Uint8Array): void {
    this.begin(0x64); this.bytes(chunk); this.end();
  }

  copyDone(): void { this.begin(0x63); this.end(); }

  // ---- errors and notices ----

  errorResponse(err: SqlError, severity?: 'ERROR' | 'FATAL'): void {
    const sev = severity ?? (err.fields.severity === 'FATAL' ? 'FATAL' : 'ERROR');
    this.begin(0x45);
    this.field('S', sev);
    this.field('V', sev);
    this.field('C', err.code);
    this.field('M', err.message);
    const f = err.fields;
    if (f.detail !== undefined) this.field('D', f.detail);
    if (f.hint !== undefined) this.field('H', f.hint);
    if (f.position !== undefined) this.field('P', String(f.position));
    if (f.where !== undefined) this.field('W', f.where);
    if (f.schema !== undefined) this.field('s', f.schema);
    if (f.table !== undefined) this.field('t', f.table);
    if (f.column !== undefined) this.field('c', f.column);
    if (f.datatype !== undefined) this.field('d', f.datatype);
    if (f.constraint !== undefined) this.field('n', f.constraint);
    this.byte(0);
    this.end();
  }

  noticeResponse(n: NoticeFields): void {
    this.begin(0x4e);
    this.field('S', n.severity);
    this.field('V', n.severity);
    this.field('C', n.code);
    this.field('M', n.message);
    if (n.detail !== undefined) this.field('D', n.detail);
    if (n.hint !== undefined) this.field('H', n.hint);
    this.byte(0);
    this.end();
  }

  private field(code: string, value: string): void {
    this.byte(code.charCodeAt(0));
    this.cstring(value);
  }
}

/** A standalone message for the pre-startup single-byte answers ('N' to SSLRequest). */
export const SSL_NO = Buffer.from('N');
