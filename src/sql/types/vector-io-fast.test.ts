// The fast path of vector text input ('[1.5,-2,...]' as clients send it) against the general
// parser: the same float4 bits, the same errors, for random decimal spellings including
// float4 midpoints, long digit strings, extreme magnitudes and malformed literals.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { denseVectorIn } from './vector-io.js';

/** The general parser's answer: a leading space keeps the literal off the fast path. */
function general(lit: string, typmod: number): Float32Array | string {
  try { return denseVectorIn('vector', ' ' + lit, typmod); } catch (e) { return (e as Error).message.replace(`" ${lit}"`, `"${lit}"`); }
}
function fast(lit: string, typmod: number): Float32Array | string {
  try { return denseVectorIn('vector', lit, typmod); } catch (e) { return (e as Error).message; }
}
function bits(r: Float32Array | string): string {
  return typeof r === 'string' ? r : Array.from(new Uint32Array(r.buffer, r.byteOffset, r.length), (x) => x.toString(16)).join(',');
}

const digits = (min: number, max: number): fc.Arbitrary<string> =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(''));
/** Plain decimals of 14-18 digits at and around the midpoint of two adjacent float4s. */
const nearMidpoint: fc.Arbitrary<string> = fc.tuple(
  fc.float({ min: Math.fround(0.001), max: Math.fround(1e6), noNaN: true }), fc.integer({ min: 14, max: 18 }), fc.integer({ min: -2, max: 2 }),
).map(([f, precision, nudge]) => {
  const up = new Float32Array([f]);
  new Uint32Array(up.buffer)[0]! += 1;
  const mid = (f + up[0]!) / 2;
  return (mid + nudge * mid * 2 ** -60).toPrecision(precision);
});
const decimal: fc.Arbitrary<string> = fc.oneof(
  nearMidpoint, nearMidpoint,
  fc.tuple(fc.boolean(), digits(1, 10), fc.option(digits(0, 12))).map(([neg, a, b]) => `${neg ? '-' : ''}${a}${b === null ? '' : '.' + b}`),
  fc.tuple(fc.boolean(), digits(0, 3), digits(1, 30)).map(([neg, a, b]) => `${neg ? '-' : ''}${a}.${b}`),
  fc.float({ noNaN: true, noDefaultInfinity: true }).map((x) => String(x)),
  fc.float({ noNaN: true, noDefaultInfinity: true }).map((x) => x.toFixed(6)),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => String(x)),
  fc.constantFrom('0', '-0', '1.', '.5', '-.5', '.', '-', '', '00012.5000', '16777217', '16777219', '0.1', '3.4028235e38',
    '340282356779733661637539395458142568448', '1e-46', '0.00000000000000000000000000000000000001', 'nan', 'inf', ' 1', '1 ', '1e3'),
);

describe('vector text input fast path', () => {
  it('reads every literal as the general parser does (bits or error message)', () => {
    fc.assert(fc.property(fc.array(decimal, { minLength: 0, maxLength: 6 }), fc.constantFrom(-1, 2, 3), (xs, typmod) => {
      const lit = `[${xs.join(',')}]`;
      expect(bits(fast(lit, typmod))).toBe(bits(general(lit, typmod)));
    }), { numRuns: 3000 });
  });

  it('rounds float4 midpoints and long inputs once, to nearest even', () => {
    // 16777217 is halfway between the float4s 16777216 and 16777218: ties to even.
    expect(Array.from(denseVectorIn('vector', '[16777217,16777219,0.1,-0]', -1))).toEqual([16777216, 16777220, Math.fround(0.1), -0]);
    expect(Object.is(denseVectorIn('vector', '[-0]', -1)[0], -0)).toBe(true);
  });

  it('keeps the dimension checks', () => {
    expect(() => denseVectorIn('vector', '[1,2]', 3)).toThrow('expected 3 dimensions, not 2');
    const big = `[${new Array(16001).fill('1').join(',')}]`;
    expect(() => denseVectorIn('vector', big, -1)).toThrow('vector cannot have more than 16000 dimensions');
    expect(denseVectorIn('vector', `[${new Array(16000).fill('1.5').join(',')}]`, -1).length).toBe(16000);
  });

  it('returns a fresh array each time (no shared scratch)', () => {
    const a = denseVectorIn('vector', '[1,2,3]', -1);
    const b = denseVectorIn('vector', '[4,5,6]', -1);
    expect(Array.from(a)).toEqual([1, 2, 3]);
    expect(Array.from(b)).toEqual([4, 5, 6]);
    expect(a.buffer).not.toBe(b.buffer);
  });
});
