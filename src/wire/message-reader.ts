// Framing of frontend (client → server) bytes into protocol messages, with size caps, plus a
// cursor for decoding one message's body. Chunks from the socket are kept as they arrive and
// joined only when a message spans them (each message is joined at most once).
// Violations of the framing are ProtocolViolations: the connection answers FATAL and closes.
import { isUtf8 } from 'node:buffer';
import { invalidUtf8, shortAscii } from '../base/index.js';

/** A framing error: the connection cannot continue (FATAL, then close). */
export class ProtocolViolation extends Error {
  constructor(readonly code: '08P01' | '0A000', message: string) {
    super(message);
    this.name = 'ProtocolViolation';
  }
}

export interface FrontendMessage {
  /** Message type byte; 0 for the startup packet (which has none). */
  type: number;
  body: Buffer;
}

/** Message types the server accepts after startup, as PostgreSQL's SocketBackend lists them. */
const SMALL_TYPES = new Set([0x58 /*X*/, 0x43 /*C*/, 0x44 /*D*/, 0x45 /*E*/, 0x48 /*H*/,
  0x53 /*S*/]);
const LARGE_TYPES = new Set([0x51 /*Q*/, 0x46 /*F*/, 0x42 /*B*/, 0x50 /*P*/, 0x64 /*d*/,
  0x63 /*c*/, 0x66 /*f*/, 0x70 /*p*/]);
/** PostgreSQL's PQ_SMALL_MESSAGE_LIMIT. */
const SMALL_MESSAGE_MAX = 10_000;

export interface ReaderLimits {
  startupPacketBytesMax: number;
  messageBytesMax: number;
}

export class MessageReader {
  private chunks: Buffer[] = [];
  private head = 0;
  /** Unread bytes across chunks. */
  private available = 0;
  /** While true, the next message is a startup packet (no type byte). */
  startupPhase = true;

  constructor(private readonly limits: ReaderLimits) {}

  get bufferedBytes(): number { return this.available; }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.available += chunk.length;
  }

  /**
   * The next complete message, or null when more bytes are needed. Throws ProtocolViolation
   * for a bad length or an unknown message type.
   */
  next(): FrontendMessage | null {
    return this.startupPhase ? this.nextStartup() : this.nextTyped();
  }

  /** Bytes needed before next() can return a message (a hint for backpressure). */
  neededBytes(): number {
    const headerLen = this.startupPhase ? 4 : 5;
    if (this.available < headerLen) return headerLen;
    const header = this.peek(headerLen);
    return this.startupPhase ? header.readInt32BE(0) : 1 + header.readInt32BE(1);
  }

  private nextStartup(): FrontendMessage | null {
    if (this.available < 4) return null;
    const len = this.peek(4).readInt32BE(0);
    if (len < 8 || len > this.limits.startupPacketBytesMax) {
      throw new ProtocolViolation('08P01', 'invalid length of startup packet');
    }
    if (this.available < len) return null;
    const msg = this.take(len);
    return { type: 0, body: msg.subarray(4) };
  }

  private nextTyped(): FrontendMessage | null {
    if (this.available < 1) return null;
    // The header read in place when the first chunk holds it (no view per peek).
    const first = this.chunks[0]!;
    const inFirst = first.length - this.head >= 5;
    const type = inFirst ? first[this.head]! : this.peek(1)[0] ?? 0;
    let max: number;
    if (SMALL_TYPES.has(type)) max = SMALL_MESSAGE_MAX;
    else if (LARGE_TYPES.has(type)) max = this.limits.messageBytesMax;
    else throw new ProtocolViolation('08P01', `invalid frontend message type ${type}`);
    if (this.available < 5) return null;
    const len = inFirst ? first.readInt32BE(this.head + 1) : this.peek(5).readInt32BE(1);
    if (len < 4 || len > max) throw new ProtocolViolation('08P01', 'invalid message length');
    if (this.available < len + 1) return null;
    if (inFirst && first.length - this.head >= len + 1) {
      // The whole message in the first chunk: one view of its body.
      const start = this.head;
      const body = first.subarray(start + 5, start + len + 1);
      this.skip(first, len + 1);
      return { type, body };
    }
    const msg = this.take(len + 1);
    return { type, body: msg.subarray(5) };
  }

  /** Consumes n bytes of the first chunk. */
  private skip(first: Buffer, n: number): void {
    this.head += n;
    this.available -= n;
    if (this.head === first.length) {
      this.chunks.shift();
      this.head = 0;
    }
  }

  /** The first n buffered bytes (n <= available), joining chunks when needed. */
  private peek(n: number): Buffer {
    const first = this.chunks[0];
    if (first !== undefined && first.length - this.head >= n) {
      return first.subarray(this.head, this.head + n);
    }
    this.coalesce();
    const joined = this.chunks[0];
    if (joined === undefined) throw new Error('internal: peek past the buffered bytes');
    return joined.subarray(this.head, this.head + n);
  }

  /** Removes and returns the first n buffered bytes (n <= available). */
  private take(n: number): Buffer {
    let first = this.chunks[0];
    if (first === undefined || first.length - this.head < n) {
      this.coalesce();
      first = this.chunks[0];
      if (first === undefined) throw new Error('internal: take past the buffered bytes');
    }
    const out = first.subarray(this.head, this.head + n);
    this.skip(first, n);
    return out;
  }

  private coalesce(): void {
    const first = this.chunks[0];
    if (first === undefined) return;
    const parts = [first.subarray(this.head), ...this.chunks.slice(1)];
    this.chunks = [Buffer.concat(parts, this.available)];
    this.head = 0;
  }
}

/** Decodes one message body: strings, integers, byte arrays. Errors are 08P01 SqlErrors. */
export class BodyCursor {
  pos = 0;
  constructor(readonly body: Buffer) {}

  cstring(): string {
    const end = this.body.indexOf(0, this.pos);
    if (end < 0) throw new MalformedMessage('invalid string in message');
    const ascii = shortAscii(this.body, this.pos, end);
    if (ascii !== undefined) {
      this.pos = end + 1;
      return ascii;
    }
    if (!isUtf8(this.body.subarray(this.pos, end))) throw invalidUtf8(this.body, this.pos, end);
    const s = this.body.toString('utf8', this.pos, end);
    this.pos = end + 1;
    return s;
  }

  int16(): number {
    if (this.pos + 2 > this.body.length) throw insufficientData();
    const v = this.body.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  /** An unsigned 16-bit count (parameter and format counts are unsigned in PostgreSQL). */
  uint16(): number {
    if (this.pos + 2 > this.body.length) throw insufficientData();
    const v = this.body.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  int32(): number {
    if (this.pos + 4 > this.body.length) throw insufficientData();
    const v = this.body.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  byte(): number {
    const v = this.body[this.pos];
    if (v === undefined) throw insufficientData();
    this.pos += 1;
    return v;
  }

  bytes(n: number): Buffer {
    if (n < 0 || this.pos + n > this.body.length) {
      throw insufficientData();
    }
    const b = this.body.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  rest(): Buffer {
    const b = this.body.subarray(this.pos);
    this.pos = this.body.length;
    return b;
  }

  /** PostgreSQL's pq_getmsgend: the message must be fully consumed. */
  end(): void {
    if (this.pos !== this.body.length) throw new MalformedMessage('invalid message format');
  }
}

/** A malformed message body: ERROR 08P01 (the connection continues, as in PostgreSQL). */
export class MalformedMessage extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedMessage';
  }
}

function insufficientData(): MalformedMessage {
  return new MalformedMessage('insufficient data left in message');
}


