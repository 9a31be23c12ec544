// UTF-8 validation with PostgreSQL's error: 22021 naming the first invalid byte sequence
// ("invalid byte sequence for encoding "UTF8": 0xc3 0x28"), used for query text, protocol
// strings and text parameters. NUL bytes are invalid in PostgreSQL text as well.
import { isUtf8 } from 'node:buffer';
import { SqlError } from './sql-error.js';
import { SQLSTATE } from './sqlstate.js';

/** Length of the UTF-8 sequence a lead byte announces, as PostgreSQL's pg_utf_mblen. */
function utf8SeqLen(lead: number): number {
  if (lead < 0x80) return 1;
  if ((lead & 0xe0) === 0xc0) return 2;
  if ((lead & 0xf0) === 0xe0) return 3;
  if ((lead & 0xf8) === 0xf0) return 4;
  return 1;
}

/** 22021 naming the first invalid sequence in bytes [start, end), as PostgreSQL reports it. */
export function invalidUtf8(buf: Uint8Array, start = 0, end = buf.length): SqlError {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.length);
  let i = start;
  while (i < end) {
    const len = utf8SeqLen(b[i] ?? 0);
    const seqEnd = Math.min(i + len, end);
    if (len === 1 && (b[i] ?? 0) < 0x80 && b[i] !== 0) { i++; continue; }
    if (len > 1 && seqEnd - i === len && isUtf8(b.subarray(i, seqEnd))) { i = seqEnd; continue; }
    const shown = [...b.subarray(i, seqEnd)].map((x) => '0x' + x.toString(16).padStart(2, '0'));
    return new SqlError(SQLSTATE.CHARACTER_NOT_IN_REPERTOIRE, `invalid byte sequence for encoding "UTF8": ${shown.join(' ')}`);
  }
  return new SqlError(SQLSTATE.CHARACTER_NOT_IN_REPERTOIRE, 'invalid byte sequence for encoding "UTF8"');
}

/** Longest text decoded by the plain-ASCII fast path (a JS loop beats the native calls there). */
const SHORT_ASCII_MAX = 32;

/** buf[start, end) as a string when it is short plain ASCII without NUL; else undefined. */
export function shortAscii(buf: Uint8Array, start: number, end: number): string | undefined {
  if (end - start > SHORT_ASCII_MAX) return undefined;
  let s = '';
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c === 0 || c >= 0x80) return undefined;
    s += String.fromCharCode(c);
  }
  return s;
}

/** Decodes PostgreSQL text: valid UTF-8 without NUL bytes, else 22021. */
export function decodeUtf8Text(buf: Uint8Array): string {
  const ascii = shortAscii(buf, 0, buf.length);
  if (ascii !== undefined) return ascii;
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.length);
  if (!isUtf8(b) || b.includes(0)) throw invalidUtf8(b);
  return b.toString('utf8');
}
