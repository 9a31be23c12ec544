// Order-preserving primitive encoders: the byte order of an encoding is the order of the values.
// Every encoding here is prefix-free (no encoding is a proper prefix of another), which is what
// lets keys be concatenated column by column and inverted byte-wise for DESC. SQL-type key
// encoding (src/sql/types) is built on these; this file knows no SQL types.

/** Markers written before a nullable column value in a key. */
export const KEY_NULL_FIRST = 0x00;
export const KEY_NOT_NULL = 0x01;
export const KEY_NULL_LAST = 0xff;

const ESCAPE = 0x00;
const ESCAPED_00 = 0xff;
const TERMINATOR = 0x01;

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const I64_SIGN = 1n << 63n;
const U64_MAX = (1n << 64n) - 1n;

/** Builds a key from order-preserving primitives. Reusable: call reset() between keys. */
export class KeyWriter {
  private buf: Buffer;
  private len = 0;

  constructor(initialCapacity = 64) {
    this.buf = Buffer.allocUnsafe(initialCapacity);
  }

  get length(): number { return this.len; }

  reset(): this { this.len = 0; return this; }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = Buffer.allocUnsafe(cap);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  /** Appends raw bytes unchanged (e.g. a prefix from tableKeyPrefix). */
  raw(bytes: Uint8Array): this {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
    return this;
  }

  byte(b: number): this {
    this.ensure(1);
    this.buf[this.len++] = b & 0xff;
    return this;
  }

  /** Unsigned integer 0..2^64-1, variable length (1 byte below 248). */
  uint(v: number | bigint): this {
    if (typeof v === 'number') {
      if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`uint out of range: ${v}`);
      if (v < 0xf8) return this.byte(v);
      v = BigInt(v);
    }
    if (v < 0n || v > U64_MAX) throw new RangeError(`uint out of range: ${v}`);
    if (v < 0xf8n) return this.byte(Number(v));
    let n = 0;
    for (let t = v; t > 0n; t >>= 8n) n++;
    this.ensure(1 + n);
    this.buf[this.len++] = 0xf8 + (n - 1);
    for (let i = n - 1; i >= 0; i--) this.buf[this.len++] = Number((v >> BigInt(i * 8)) & 0xffn);
    return this;
  }

  /** Signed 64-bit integer, fixed 8 bytes (big-endian, sign bit flipped). */
  int64(v: number | bigint): this {
    const b = typeof v === 'bigint' ? v : BigInt(v);
    if (b < -I64_SIGN || b >= I64_SIGN) throw new RangeError(`int64 out of range: ${v}`);
    this.ensure(8);
    this.buf.writeBigUInt64BE(BigInt.asUintN(64, b) ^ I64_SIGN, this.len);
    this.len += 8;
    return this;
  }

  /** IEEE double, fixed 8 bytes. -0 sorts equal to 0; NaN (any payload) sorts above +Infinity, as in PostgreSQL. */
  float64(x: number): this {
    if (Number.isNaN(x)) x = NaN;
    else if (x === 0) x = 0;
    f64[0] = x;
    this.ensure(8);
    // f64Bytes is little-endian on every platform Node supports.
    const neg = (f64Bytes[7]! & 0x80) !== 0;
    for (let i = 0; i < 8; i++) {
      const b = f64Bytes[7 - i]!;
      this.buf[this.len + i] = neg ? ~b & 0xff : i === 0 ? b ^ 0x80 : b;
    }
    this.len += 8;
    return this;
  }

  /** Byte string: 0x00 escaped as 0x00 0xFF, terminated by 0x00 0x01. */
  bytes(b: Uint8Array): this {
    this.ensure(b.length * 2 + 2);
    const buf = this.buf;
    let p = this.len;
    for (let i = 0; i < b.length; i++) {
      const c = b[i]!;
      if (c === ESCAPE) { buf[p++] = ESCAPE; buf[p++] = ESCAPED_00; } else buf[p++] = c;
    }
    buf[p++] = ESCAPE;
    buf[p++] = TERMINATOR;
    this.len = p;
    return this;
  }

  /** UTF-8 string, ordered by code point (C collation). */
  string(s: string): this {
    return this.bytes(Buffer.from(s, 'utf8'));
  }

  /** NULL marker: sorts before (first) or after (last) every KEY_NOT_NULL-prefixed value. */
  null(position: 'first' | 'last'): this {
    return this.byte(position === 'first' ? KEY_NULL_FIRST : KEY_NULL_LAST);
  }

  notNull(): this { return this.byte(KEY_NOT_NULL); }

  /** Runs write() and inverts the bytes it appended: the DESC variant of any prefix-free encoding. */
  descending(write: (w: this) => void): this {
    const start = this.len;
    write(this);
    for (let i = start; i < this.len; i++) this.buf[i] = ~this.buf[i]! & 0xff;
    return this;
  }

  uintDesc(v: number | bigint): this { return this.descending((w) => w.uint(v)); }
  int64Desc(v: number | bigint): this { return this.descending((w) => w.int64(v)); }
  float64Desc(x: number): this { return this.descending((w) => w.float64(x)); }
  bytesDesc(b: Uint8Array): this { return this.descending((w) => w.bytes(b)); }
  stringDesc(s: string): this { return this.descending((w) => w.string(s)); }

  /** A copy of the bytes written so far. */
  finish(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.len));
  }
}

/** Reads back what KeyWriter wrote, in the same order of calls. Throws RangeError on malformed input. */
export class KeyReader {
  pos: number;
  constructor(readonly buf: Uint8Array, offset = 0) { this.pos = offset; }

  get done(): boolean { return this.pos >= this.buf.length; }

  private at(i: number, mask: number): number {
    const b = this.buf[i];
    if (b === undefined) throw new RangeError('key truncated');
    return b ^ mask;
  }

  byte(desc = false): number { return this.at(this.pos++, desc ? 0xff : 0); }

  peekByte(desc = false): number { return this.at(this.pos, desc ? 0xff : 0); }

  /** Returns a number when it is a safe integer, else a bigint. */
  uint(desc = false): number | bigint {
    const m = desc ? 0xff : 0;
    const first = this.at(this.pos++, m);
    if (first < 0xf8) return first;
    const n = first - 0xf8 + 1;
    let v = 0n;
    for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(this.at(this.pos++, m));
    return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }

  int64(desc = false): bigint {
    const m = desc ? 0xff : 0;
    let v = 0n;
    for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(this.at(this.pos++, m));
    return BigInt.asIntN(64, v ^ I64_SIGN);
  }

  float64(desc = false): number {
    const m = desc ? 0xff : 0;
    const first = this.at(this.pos, m);
    const neg = (first & 0x80) === 0;
    for (let i = 0; i < 8; i++) {
      const b = this.at(this.pos + i, m);
      f64Bytes[7 - i] = neg ? ~b & 0xff : i === 0 ? b ^ 0x80 : b;
    }
    this.pos += 8;
    return f64[0]!;
  }

  bytes(desc = false): Buffer {
    const m = desc ? 0xff : 0;
    const out: number[] = [];
    for (;;) {
      const c = this.at(this.pos++, m);
      if (c !== ESCAPE) { out.push(c); continue; }
      const d = this.at(this.pos++, m);
      if (d === TERMINATOR) return Buffer.from(out);
      if (d !== ESCAPED_00) throw new RangeError('bad escape in key bytes');
      out.push(0);
    }
  }

  string(desc = false): string { return this.bytes(desc).toString('utf8'); }

  /** Skips one bytes/string value without decoding it. */
  skipBytes(desc = false): void {
    const m = desc ? 0xff : 0;
    for (;;) {
      const c = this.at(this.pos++, m);
      if (c !== ESCAPE) continue;
      const d = this.at(this.pos++, m);
      if (d === TERMINATOR) return;
    }
  }
}

/** Compares two byte strings (memcmp order, shorter first on a common prefix). */
export function compareKeys(a: Uint8Array, b: Uint8Array): number {
  const n = a.length < b.length ? a.length : b.length;
  // a byte loop beats the native call's fixed cost on short keys (most row keys)
  if (n > 32) return Buffer.compare(a, b);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}
