// Binary send/recv formats: exact bytes recorded from PostgreSQL 15's *_send functions
// (SELECT numeric_send(...), array_send(...), ...), decoding back, and 22P03 errors.
import { describe, expect, it } from 'vitest';
import { OID, binaryIn, binaryOut, textIn, textOut, type SqlType } from './index.js';

const T = (oid: number, typmod = -1): SqlType => ({ oid, typmod });
const hex = (b: Uint8Array) => '\\x' + Buffer.from(b).toString('hex');
const unhex = (s: string) => new Uint8Array(Buffer.from(s.slice(2), 'hex'));

const CASES: [number, string, string][] = [
  [OID.numeric, '123.45', '\\x0002000000000002007b1194'],
  [OID.numeric, '-0.0001', '\\x0001ffff400000040001'],
  [OID.numeric, '0.000', '\\x0000000000000003'],
  [OID.numeric, 'NaN', '\\x00000000c0000000'],
  [OID.numeric, '-Infinity', '\\x00000000f0000020'],
  [OID.numeric, 'Infinity', '\\x00000000d0000020'],
  [OID.numeric, '10000', '\\x00010001000000000001'],
  [OID.numeric, '1e20', '\\x00010005000000000001'],
  [OID.numeric, '1.500', '\\x000200000000000300011388'],
  [OID.numeric, '-12345.678', '\\x0003000140000003000109291a7c'],
  [OID._int4, '{1,NULL,3}', '\\x00000001000000010000001700000003000000010000000400000001ffffffff0000000400000003'],
  [OID._text, '[0:1]={a,b}', '\\x000000010000000000000019000000020000000000000001610000000162'],
  [OID._int4, '{}', '\\x000000000000000000000017'],
  [OID._int2, '{{1,2},{3,4}}', '\\x00000002000000000000001500000002000000010000000200000001000000020001000000020002000000020003000000020004'],
  [OID.interval, '1 mon 2 days 00:00:03', '\\x00000000002dc6c00000000200000001'],
  [OID.jsonb, '{"a":1}', '\\x017b2261223a20317d'],
  [OID.date, '2000-01-02', '\\x00000001'],
  [OID.date, 'infinity', '\\x7fffffff'],
  [OID.timestamp, '2000-01-01 00:00:01', '\\x00000000000f4240'],
  [OID.float8, '1.5', '\\x3ff8000000000000'],
  [OID.uuid, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '\\xa0eebc999c0b4ef8bb6d6bb9bd380a11'],
  [OID.time, '00:00:01', '\\x00000000000f4240'],
];

describe('binary formats match PostgreSQL 15', () => {
  for (const [oid, text, bytes] of CASES) {
    it(`${oid} ${text}`, () => {
      const d = textIn(T(oid), text);
      expect(hex(binaryOut(T(oid), d))).toBe(bytes);
      expect(textOut(T(oid), binaryIn(T(oid), unhex(bytes)))).toBe(textOut(T(oid), d));
    });
  }
  it('rejects malformed input with 22P03', () => {
    expect(() => binaryIn(T(OID.int4), new Uint8Array(3))).toThrow(expect.objectContaining({ code: '22P03' }));
    expect(() => binaryIn(T(OID.int8), new Uint8Array(9))).toThrow(expect.objectContaining({ code: '22P03' }));
    expect(() => binaryIn(T(OID.numeric), unhex('\\x0001000000000000ffff'))).toThrow(expect.objectContaining({ code: '22P03', message: 'invalid digit in external "numeric" value' }));
    expect(() => binaryIn(T(OID.numeric), unhex('\\x0000000012340000'))).toThrow(expect.objectContaining({ code: '22P03', message: 'invalid sign in external "numeric" value' }));
    expect(() => binaryIn(T(OID.jsonb), unhex('\\x027b7d'))).toThrow(expect.objectContaining({ code: '22P03', message: 'unsupported jsonb version number 2' }));
    expect(() => binaryIn(T(OID._int4), unhex('\\x00000001000000000000001700000002000000010000000400000001'))).toThrow(expect.objectContaining({ code: '22P03' }));
  });
  it('applies typmods on receive', () => {
    expect(() => binaryIn(T(OID.varchar, 6), new TextEncoder().encode('abc'))).toThrow(expect.objectContaining({ code: '22001' }));
    expect(textOut(T(OID.numeric), binaryIn(T(OID.numeric, (5 << 16 | 1) + 4), unhex('\\x0002000000000002007b1194')))).toBe('123.5');
  });
});
