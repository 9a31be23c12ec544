// Numeric arithmetic against values recorded from PostgreSQL 15 (`SELECT a::numeric op b::numeric`,
// sqrt/ln/exp/power/round/trunc, float → numeric casts), and typmod coercion errors.
import { describe, expect, it } from 'vitest';
import { SqlError } from '../../base/index.js';
import { Numeric, applyNumericTypmod, numericTypmod, castDatum, OID } from './index.js';

const n = (s: string) => Numeric.parse(s);

const BINARY: [string, string, string, string][] = [
  ['1', '/', '3', '0.33333333333333333333'],
  ['2', '/', '3', '0.66666666666666666667'],
  ['3', '/', '3', '1.00000000000000000000'],
  ['10', '/', '3', '3.3333333333333333'],
  ['1', '/', '30000', '0.000033333333333333333333'],
  ['123456789', '/', '0.001', '123456789000.00000000'],
  ['1.000', '/', '3', '0.33333333333333333333'],
  ['-7', '/', '2', '-3.5000000000000000'],
  ['100', '/', '7.0000', '14.2857142857142857'],
  ['0.0001', '/', '3', '0.000033333333333333333333'],
  ['99999999999999999999', '/', '7', '14285714285714285714'],
  ['1', '/', '-3', '-0.33333333333333333333'],
  ['7.5', '/', '2.5', '3.0000000000000000'],
  ['0', '/', '5', '0.00000000000000000000'],
  ['1.23456789', '/', '1000', '0.00123456789000000000'],
  ['10.5', '%', '3', '1.5'],
  ['-7', '%', '2.5', '-2.0'],
  ['7', '%', '-3', '1'],
  ['0.5', '%', '0.3', '0.2'],
  ['1.5', '*', '2.25', '3.375'],
  ['-0.01', '*', '0.01', '-0.0001'],
  ['1.10', '+', '2.205', '3.305'],
  ['1', '-', '1.000', '0.000'],
  ['12345678901234567890', '*', '98765432109876543210', '1219326311370217952237463801111263526900'],
  ['2', '^', '10', '1024.0000000000000000'],
  ['1.5', '^', '2', '2.2500000000000000'],
  ['2', '^', '-2', '0.2500000000000000'],
  ['10', '^', '-3', '0.0010000000000000'],
  ['0.5', '^', '3', '0.1250000000000000'],
  ['10', '^', '-20', '0.0000000000000000'],
  ['0.001', '^', '3', '0.0000000010000000'],
  ['2', '^', '100', '1267650600228229401496703205376.0000000000000000'],
  ['3.00', '^', '-1', '0.3333333333333333'],
  ['0.5', '^', '-3', '8.0000000000000000'],
  ['7', '^', '-5', '0.0000594990182662'],
  ['1.000000000000000001', '^', '2', '1.000000000000000002'],
  ['-2', '^', '3', '-8.0000000000000000'],
  ['2', '^', '2.0', '4.0000000000000000'],
  ['4', '^', '0.5', '2.0000000000000000'],
  ['2', '^', '0.5', '1.4142135623730950'],
  ['1.5', '^', '2.5', '2.7556759606310754'],
  ['10', '^', '1.5', '31.622776601683793'],
  ['0.9', '^', '100.5', '0.00002519835549751174'],
];

const UNARY: [string, (x: Numeric) => Numeric, string, string][] = [
  ['sqrt', (x) => x.sqrt(), '2', '1.414213562373095'],
  ['sqrt', (x) => x.sqrt(), '0.0001', '0.01000000000000000'],
  ['sqrt', (x) => x.sqrt(), '123456789.123', '11111.11106609056'],
  ['sqrt', (x) => x.sqrt(), '0', '0.000000000000000'],
  ['sqrt', (x) => x.sqrt(), '100', '10.000000000000000'],
  ['sqrt', (x) => x.sqrt(), '1000000', '1000.0000000000000'],
  ['exp', (x) => x.exp(), '1', '2.7182818284590452'],
  ['exp', (x) => x.exp(), '2', '7.3890560989306502'],
  ['exp', (x) => x.exp(), '0.001', '1.0010005001667083'],
  ['exp', (x) => x.exp(), '-0.001', '0.9990004998333750'],
  ['exp', (x) => x.exp(), '50', '5184705528587072464087'],
  ['exp', (x) => x.exp(), '-50', '0.0000000000000000000001928749847963918'],
  ['exp', (x) => x.exp(), '300', '19424263952412559365842088360176992193662086219516046941429177180671345272879182619666436840448422418235826784451770832010132261535'],
  ['ln', (x) => x.ln(), '2', '0.6931471805599453'],
  ['ln', (x) => x.ln(), '10', '2.3025850929940457'],
  ['ln', (x) => x.ln(), '1.0001', '0.00009999500033330834'],
  ['ln', (x) => x.ln(), '1e100', '230.25850929940457'],
  ['ln', (x) => x.ln(), '0.001', '-6.9077552789821371'],
  ['ln', (x) => x.ln(), '0.95', '-0.051293294387550533'],
  ['round', (x) => x.round(0), '2.5', '3'],
  ['round', (x) => x.round(0), '-2.5', '-3'],
  ['round2', (x) => x.round(2), '1234.5678', '1234.57'],
  ['round-2', (x) => x.round(-2), '1234.5678', '1200'],
  ['trunc2', (x) => x.trunc(2), '1234.5678', '1234.56'],
  ['trunc-2', (x) => x.trunc(-2), '-1234.5678', '-1200'],
  ['ceil', (x) => x.ceil(), '-1.5', '-1'],
  ['floor', (x) => x.floor(), '-1.5', '-2'],
  ['ceil', (x) => x.ceil(), '1.0', '1'],
];

describe('Numeric matches PostgreSQL 15', () => {
  for (const [a, op, b, expected] of BINARY) {
    it(`${a} ${op} ${b}`, () => {
      const x = n(a); const y = n(b);
      const r = op === '/' ? x.div(y) : op === '%' ? x.mod(y) : op === '*' ? x.mul(y) : op === '+' ? x.add(y) : op === '-' ? x.sub(y) : x.pow(y);
      expect(r.toString()).toBe(expected);
    });
  }
  for (const [name, f, a, expected] of UNARY) {
    it(`${name}(${a})`, () => expect(f(n(a)).toString()).toBe(expected));
  }
  it('float → numeric casts use 15 (float8) / 6 (float4) significant digits', () => {
    const f8 = (v: number) => (castDatum(v, { oid: OID.float8, typmod: -1 }, { oid: OID.numeric, typmod: -1 }, true) as Numeric).toString();
    const f4 = (v: number) => (castDatum(Math.fround(v), { oid: OID.float4, typmod: -1 }, { oid: OID.numeric, typmod: -1 }, true) as Numeric).toString();
    expect(f8(1.5)).toBe('1.5');
    expect(f8(1e100)).toBe('1' + '0'.repeat(100));
    expect(f8(1 / 3)).toBe('0.333333333333333');
    expect(f4(0.1)).toBe('0.1');
    expect(f4(1.1)).toBe('1.1');
    expect(f4(123456789)).toBe('123457000');
  });
  it('compares by value and orders NaN last', () => {
    expect(n('1.0').compare(n('1.00'))).toBe(0);
    expect(n('1.0').hashKey()).toBe(n('1.00').hashKey());
    expect(n('-0.000').hashKey()).toBe(n('0').hashKey());
    expect(n('NaN').compare(n('Infinity'))).toBe(1);
    expect(n('-Infinity').compare(n('-1e100'))).toBe(-1);
    expect(n('2').compare(n('10'))).toBe(-1);
  });
  it('division by zero is 22012', () => {
    expect(() => n('1').div(n('0'))).toThrow(expect.objectContaining({ code: '22012', message: 'division by zero' }));
    expect(() => n('1').mod(n('0.0'))).toThrow(expect.objectContaining({ code: '22012' }));
  });
  it('ln/sqrt/power argument errors', () => {
    expect(() => n('0').ln()).toThrow(expect.objectContaining({ code: '2201E', message: 'cannot take logarithm of zero' }));
    expect(() => n('-1').ln()).toThrow(expect.objectContaining({ code: '2201E', message: 'cannot take logarithm of a negative number' }));
    expect(() => n('-1').sqrt()).toThrow(expect.objectContaining({ code: '2201F', message: 'cannot take square root of a negative number' }));
    expect(() => n('0').pow(n('-1'))).toThrow(expect.objectContaining({ code: '2201F', message: 'zero raised to a negative power is undefined' }));
    expect(() => n('-2').pow(n('0.5'))).toThrow(expect.objectContaining({ code: '2201F', message: 'a negative number raised to a non-integer power yields a complex result' }));
  });
});

describe('numeric typmod', () => {
  const overflow = (v: string, p: number, s: number): SqlError => {
    try { applyNumericTypmod(n(v), numericTypmod(p, s)); } catch (e) { return e as SqlError; }
    throw new Error('no error');
  };
  it('rounds half away from zero to the scale', () => {
    expect(applyNumericTypmod(n('3.14159'), numericTypmod(10, 2)).toString()).toBe('3.14');
    expect(applyNumericTypmod(n('12.5'), numericTypmod(2, 0)).toString()).toBe('13');
    expect(applyNumericTypmod(n('-0.005'), numericTypmod(3, 2)).toString()).toBe('-0.01');
    expect(applyNumericTypmod(n('12345'), numericTypmod(2, -3)).toString()).toBe('12000');
    expect(applyNumericTypmod(n('NaN'), numericTypmod(2, 1)).toString()).toBe('NaN');
  });
  it('reports 22003 numeric field overflow with PostgreSQL detail', () => {
    let e = overflow('123.456', 4, 2);
    expect([e.code, e.message, e.detail]).toEqual(['22003', 'numeric field overflow', 'A field with precision 4, scale 2 must round to an absolute value less than 10^2.']);
    e = overflow('1', 3, 3);
    expect(e.detail).toBe('A field with precision 3, scale 3 must round to an absolute value less than 1.');
    e = overflow('Infinity', 4, 2);
    expect(e.detail).toBe('A field with precision 4, scale 2 cannot hold an infinite value.');
    e = overflow('999.995', 5, 2);
    expect(e.detail).toBe('A field with precision 5, scale 2 must round to an absolute value less than 10^3.');
  });
});
