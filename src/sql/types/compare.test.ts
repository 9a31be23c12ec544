// Comparison, equality and hashing: jsonb ordering recorded from PostgreSQL 15 (SELECT a < b),
// text in C collation, bpchar trailing spaces, floats (NaN greatest, -0 = 0), arrays, intervals.
import { describe, expect, it } from 'vitest';
import { OID, Numeric, textIn, compareDatums, datumsEqual, hashDatum, encodeKeyDatums, type SqlType } from './index.js';

const T = (oid: number, typmod = -1): SqlType => ({ oid, typmod });

describe('jsonb ordering matches PostgreSQL 15', () => {
  // SELECT a::jsonb < b::jsonb, recorded from a live server
  const LESS: [string, string, boolean][] = [
    ['[1,2,3]', '[2]', false], ['null', '[]', false], ['"a"', '[]', false], ['true', '[]', false],
    ['{"a":1}', '{"b":0}', true], ['{"aa":1}', '{"b":1}', true], ['{"a":1,"b":2}', '{"c":1}', false],
    ['[null]', '["a"]', true], ['1', '"a"', false], ['[1]', '1', false], ['[1,2]', '{}', true],
  ];
  for (const [a, b, less] of LESS) {
    it(`${a} < ${b}`, () => {
      const x = textIn(T(OID.jsonb), a);
      const y = textIn(T(OID.jsonb), b);
      expect(compareDatums(OID.jsonb, x, y) < 0).toBe(less);
      expect(Buffer.compare(encodeKeyDatums([T(OID.jsonb)], [x]), encodeKeyDatums([T(OID.jsonb)], [y])) < 0).toBe(less);
    });
  }
  it('1.0 = 1', () => {
    expect(datumsEqual(OID.jsonb, textIn(T(OID.jsonb), '[1.0]'), textIn(T(OID.jsonb), '[1]'))).toBe(true);
    expect(hashDatum(OID.jsonb, textIn(T(OID.jsonb), '{"a":1.0}'))).toBe(hashDatum(OID.jsonb, textIn(T(OID.jsonb), '{"a":1}')));
  });
});

describe('compareDatums', () => {
  it('text is C collation (code points = UTF-8 bytes)', () => {
    expect(compareDatums(OID.text, 'B', 'a')).toBeLessThan(0);
    expect(compareDatums(OID.text, '\uffff', '\u{1F600}')).toBeLessThan(0);
    expect(compareDatums(OID.text, 'ab', 'abc')).toBeLessThan(0);
  });
  it('bpchar ignores trailing spaces', () => {
    expect(compareDatums(OID.bpchar, 'ab  ', 'ab')).toBe(0);
    expect(hashDatum(OID.bpchar, 'ab  ')).toBe(hashDatum(OID.bpchar, 'ab'));
  });
  it('floats: NaN greatest and equal to itself, -0 = 0', () => {
    expect(compareDatums(OID.float8, NaN, Infinity)).toBeGreaterThan(0);
    expect(datumsEqual(OID.float8, NaN, NaN)).toBe(true);
    expect(compareDatums(OID.float8, -0, 0)).toBe(0);
    expect(hashDatum(OID.float8, -0)).toBe(hashDatum(OID.float8, 0));
  });
  it('numeric by value, intervals by 30-day months, arrays element-wise then by length', () => {
    expect(datumsEqual(OID.numeric, Numeric.parse('1.0'), Numeric.parse('1.00'))).toBe(true);
    expect(hashDatum(OID.numeric, Numeric.parse('1.0'))).toBe(hashDatum(OID.numeric, Numeric.parse('1.00')));
    expect(compareDatums(OID.interval, textIn(T(OID.interval), '1 mon'), textIn(T(OID.interval), '30 days'))).toBe(0);
    const a = (s: string) => textIn(T(OID._int4), s);
    expect(compareDatums(OID._int4, a('{1,2}'), a('{1,2,0}'))).toBeLessThan(0);
    expect(compareDatums(OID._int4, a('{1,NULL}'), a('{1,5}'))).toBeGreaterThan(0);
    expect(compareDatums(OID._int4, a('{2}'), a('{1,9}'))).toBeGreaterThan(0);
    expect(datumsEqual(OID._int4, a('{1,2}'), a('[0:1]={1,2}'))).toBe(false);
  });
});
