// Tests for half-float.ts: toHalf against a brute-force nearest-half reference over the table of
// all 65536 bit patterns, and the bit encoding both ways.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { toHalf, halfToBits, halfFromBits, HALF_MAX } from './half-float.js';

/** Straightforward decoding from the IEEE 754 definition. */
function refDecode(bits: number): number {
  const s = bits >> 15 ? -1 : 1;
  const e = (bits >> 10) & 31;
  const m = bits & 1023;
  if (e === 31) return m ? NaN : s * Infinity;
  if (e === 0) return s * Math.pow(2, -14) * (m / 1024);
  return s * Math.pow(2, e - 15) * (1 + m / 1024);
}

// non-negative finite halves in increasing order; index = bit pattern
const POS: number[] = [];
for (let b = 0; b < 0x7c00; b++) POS.push(refDecode(b));

/** Nearest half by search over the table; ties go to the even bit pattern. */
function refToHalf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  let r: number;
  if (a >= 65520) r = Infinity;
  else {
    let lo = 0;
    let hi = POS.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (POS[mid]! <= a) lo = mid; else hi = mid;
    }
    const dl = a - POS[lo]!;
    const dh = POS[hi]! - a;
    if (a >= POS[hi]!) r = POS[hi]!;
    else if (dl < dh) r = POS[lo]!;
    else if (dh < dl) r = POS[hi]!;
    else r = lo % 2 === 0 ? POS[lo]! : POS[hi]!;
  }
  return neg ? -r : r;
}

const same = (a: number, b: number): boolean => Object.is(a, b);

describe('toHalf', () => {
  it('matches known values', () => {
    expect(toHalf(1.23456)).toBe(1.234375);
    expect(toHalf(0.1)).toBe(0.0999755859375);
    expect(toHalf(65519)).toBe(HALF_MAX);
    expect(toHalf(65520)).toBe(Infinity);
    expect(toHalf(-65520)).toBe(-Infinity);
    expect(same(toHalf(-1e-8), -0)).toBe(true);
    expect(toHalf(2 ** -25)).toBe(0);
    expect(toHalf(3 * 2 ** -25)).toBe(2 ** -23);
    expect(toHalf(2 ** -24)).toBe(2 ** -24);
    expect(toHalf(2049)).toBe(2048);
    expect(toHalf(2051)).toBe(2052);
    expect(Number.isNaN(toHalf(NaN))).toBe(true);
  });

  it('agrees with the brute-force reference on arbitrary doubles', () => {
    fc.assert(fc.property(fc.double(), (x) => same(toHalf(x), refToHalf(x))), { numRuns: 3000 });
  });

  it('agrees with the reference near every kind of half boundary', () => {
    const bits = fc.integer({ min: 0, max: 0x7bff });
    const nearHalf = fc.tuple(bits, fc.integer({ min: -3, max: 3 }), fc.boolean(), fc.boolean()).map(([b, k, mid, neg]) => {
      const v = POS[b]!;
      const next = POS[b + 1] ?? 65536;
      let x = mid ? (v + next) / 2 : v;
      // step k doubles away
      const dv = new DataView(new ArrayBuffer(8));
      dv.setFloat64(0, x);
      if (x !== 0 || k > 0) dv.setBigUint64(0, dv.getBigUint64(0) + BigInt(k));
      x = dv.getFloat64(0);
      return neg ? -x : x;
    });
    fc.assert(fc.property(nearHalf, (x) => same(toHalf(x), refToHalf(x))), { numRuns: 5000 });
  });

  it('is idempotent and exact on halves', () => {
    const bad: number[] = [];
    for (let b = 0; b < 0x10000; b++) {
      const v = refDecode(b);
      if (!Number.isNaN(v) && !same(toHalf(v), v)) bad.push(b);
    }
    expect(bad).toEqual([]);
  });
});

describe('halfToBits / halfFromBits', () => {
  it('decode every pattern as the IEEE definition does', () => {
    const bad: number[] = [];
    for (let b = 0; b < 0x10000; b++) {
      const v = halfFromBits(b);
      const r = refDecode(b);
      if (Number.isNaN(r) ? !Number.isNaN(v) : !same(v, r)) bad.push(b);
    }
    expect(bad).toEqual([]);
  });

  it('round-trip every non-NaN pattern', () => {
    const bad: number[] = [];
    for (let b = 0; b < 0x10000; b++) {
      const v = halfFromBits(b);
      if (!Number.isNaN(v) && halfToBits(v) !== b) bad.push(b);
    }
    expect(bad).toEqual([]);
    // NaN patterns decode to NaN
    expect(Number.isNaN(halfFromBits(0x7c01))).toBe(true);
    expect(Number.isNaN(halfFromBits(0xfe00))).toBe(true);
  });

  it('encode the rounded value of arbitrary numbers', () => {
    fc.assert(fc.property(fc.double({ noNaN: true }), (x) => same(halfFromBits(halfToBits(x)), refToHalf(x))), { numRuns: 2000 });
    expect(halfToBits(NaN)).toBe(0x7e00);
    expect(halfToBits(1)).toBe(0x3c00);
    expect(halfToBits(-2)).toBe(0xc000);
    expect(halfToBits(1e6)).toBe(0x7c00);
  });
});
