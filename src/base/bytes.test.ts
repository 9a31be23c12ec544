// copyOut and the text decoding fast path against their plain references (property tests).
import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyOut } from './bytes.js';
import { decodeUtf8Text, shortAscii } from './utf8.js';

describe('copyOut', () => {
  it('copies exactly src[start, end), independent of later changes to src', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), fc.nat(), fc.nat(), (bytes, a, b) => {
      const src = Buffer.from(bytes);
      const start = bytes.length === 0 ? 0 : a % (bytes.length + 1);
      const end = start + (bytes.length - start === 0 ? 0 : b % (bytes.length - start + 1));
      const copy = copyOut(src, start, end);
      expect([...copy]).toEqual([...bytes.subarray(start, end)]);
      src.fill(0xee);
      expect([...copy]).toEqual([...bytes.subarray(start, end)]);
    }));
  });
});

describe('decodeUtf8Text', () => {
  const reference = (b: Uint8Array): string | 'error' => {
    const buf = Buffer.from(b);
    return isUtf8(buf) && !buf.includes(0) ? buf.toString('utf8') : 'error';
  };
  const decoded = (b: Uint8Array): string | 'error' => {
    try { return decodeUtf8Text(b); } catch (e) { expect((e as { code?: string }).code).toBe('22021'); return 'error'; }
  };

  it('agrees with Node on any bytes, short or long, ASCII or not', () => {
    const byte = fc.oneof(fc.integer({ min: 0, max: 0x7f }), fc.integer({ min: 0, max: 0xff }));
    fc.assert(fc.property(fc.array(byte, { maxLength: 70 }), (arr) => {
      const b = Uint8Array.from(arr);
      expect(decoded(b)).toEqual(reference(b));
    }), { numRuns: 2000 });
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
      const b = new Uint8Array(Buffer.from(s, 'utf8'));
      expect(decoded(b)).toEqual(reference(b));
    }));
  });

  it('takes the ASCII fast path up to 32 bytes only, and never for NUL or non-ASCII', () => {
    const ascii = Buffer.from('a'.repeat(40));
    expect(shortAscii(ascii, 0, 32)).toBe('a'.repeat(32));
    expect(shortAscii(ascii, 0, 33)).toBeUndefined();
    expect(shortAscii(Buffer.from('ab\0c'), 0, 4)).toBeUndefined();
    expect(shortAscii(Buffer.from('aé'), 0, 3)).toBeUndefined();
    expect(shortAscii(Buffer.from('xyz'), 1, 3)).toBe('yz');
  });
});
