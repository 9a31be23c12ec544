// Tests for the strtof/strtol emulation: correct float4 rounding of decimal text (checked with
// exact rational arithmetic, including decimals next to float4 midpoints where a double would
// round twice), glibc's accepted spellings, where scanning stops, and ERANGE conditions.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { scanFloat4, scanPlainFloat4, scanLong } from './c-number-parse.js';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const FLT_MAX = 3.4028234663852886e38;

function bitsOf(x: number): number { f32[0] = x; return u32[0]!; }
function fromBits(b: number): number { u32[0] = b; return f32[0]!; }

/** (num, den) of a finite double, exactly. */
function ratOfDouble(v: number): [bigint, bigint] {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, v);
  const hi = dv.getUint32(0);
  const lo = dv.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (bexp === 0) e = -1074; else { m |= 1n << 52n; e = bexp - 1075; }
  return e >= 0 ? [m << BigInt(e), 1n] : [m, 1n << BigInt(-e)];
}

/** (num, den) of an unsigned decimal string like "12.5e-3", exactly. */
function ratOfDecimal(s: string): [bigint, bigint] {
  const m = /^(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(s)!;
  const digits = (m[1] ?? '') + (m[2] ?? '');
  const exp = Number(m[3] ?? 0) - (m[2] ?? '').length;
  const n = BigInt(digits || '0');
  return exp >= 0 ? [n * 10n ** BigInt(exp), 1n] : [n, 10n ** BigInt(-exp)];
}

/** Reference: the float4 nearest to the decimal (ties to even), Infinity beyond the range. */
function refFloat4(s: string): number {
  const [n, d] = ratOfDecimal(s);
  const approx = Math.fround(Number(s));
  const cands = new Set<number>();
  const base = Number.isFinite(approx) ? approx : FLT_MAX;
  const b = bitsOf(base);
  for (const k of [-1, 0, 1]) {
    const bb = b + k;
    if (bb < 0 || bb > 0x7f7fffff) continue;
    cands.add(fromBits(bb));
  }
  cands.add(2 ** 128); // stands for Infinity: rounding to it means overflow
  let best = NaN;
  let bestN = 0n;
  let bestD = 1n;
  for (const c of [...cands].sort((x, y) => x - y)) {
    const [cn, cd] = ratOfDouble(c);
    // |n/d - cn/cd| = |n*cd - cn*d| / (d*cd)
    let dn = n * cd - cn * d;
    if (dn < 0n) dn = -dn;
    const dd = d * cd;
    if (Number.isNaN(best)) { best = c; bestN = dn; bestD = dd; continue; }
    const cmp = dn * bestD - bestN * dd;
    const even = c === 2 ** 128 ? true : (bitsOf(c) & 1) === 0;
    if (cmp < 0n || (cmp === 0n && even)) { best = c; bestN = dn; bestD = dd; }
  }
  return best === 2 ** 128 ? Infinity : best;
}

/** Exact decimal text of a finite non-negative double. */
function exactDecimal(v: number): string {
  const [n, d] = ratOfDouble(v);
  if (d === 1n) return n.toString();
  const k = d.toString(2).length - 1; // d = 2^k
  const digits = (n * 5n ** BigInt(k)).toString().padStart(k + 1, '0');
  return `${digits.slice(0, digits.length - k)}.${digits.slice(digits.length - k)}`;
}

describe('scanFloat4', () => {
  it('rounds arbitrary decimals to the nearest float4', () => {
    const dec = fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.integer({ min: -60, max: 40 })).map(([m, e]) => `${m}e${e}`);
    fc.assert(fc.property(dec, (s) => Object.is(scanFloat4(s, 0)!.value, refFloat4(s))), { numRuns: 2000 });
  });

  it('rounds decimals at and next to float4 midpoints correctly (no double rounding)', () => {
    const near = fc.tuple(fc.integer({ min: 1, max: 0x7f7ffffe }), fc.constantFrom('', '0000000000000000000000001', '-')).map(([b, tail]) => {
      const lo = fromBits(b);
      const hi = fromBits(b + 1);
      const mid = exactDecimal((lo + hi) / 2);
      if (tail === '-') {
        // just below the midpoint: decrement the last digit
        const last = mid.charCodeAt(mid.length - 1) - 48;
        return last > 0 ? mid.slice(0, -1) + String(last - 1) + '9999999999999999999999' : mid;
      }
      return mid + (mid.includes('.') ? '' : '.') + tail;
    });
    fc.assert(fc.property(near, (s) => Object.is(scanFloat4(s, 0)!.value, refFloat4(s))), { numRuns: 3000 });
  });

  it('reports ERANGE as glibc does', () => {
    expect(scanFloat4('4e38', 0)).toMatchObject({ value: Infinity, overflow: true, underflowToZero: false });
    expect(scanFloat4('-4e38', 0)).toMatchObject({ value: -Infinity, overflow: true });
    expect(scanFloat4('3.4028235e38', 0)).toMatchObject({ value: FLT_MAX, overflow: false });
    expect(scanFloat4('3.40282357e38', 0)).toMatchObject({ value: Infinity, overflow: true });
    expect(scanFloat4('1e-46', 0)).toMatchObject({ value: 0, underflowToZero: true });
    expect(Object.is(scanFloat4('-1e-46', 0)!.value, -0)).toBe(true);
    expect(scanFloat4('1e-45', 0)).toMatchObject({ value: 2 ** -149, underflowToZero: false });
    expect(scanFloat4('0e-999', 0)).toMatchObject({ value: 0, underflowToZero: false });
    expect(scanFloat4('1e999999999999', 0)).toMatchObject({ value: Infinity, overflow: true });
    expect(scanFloat4('inf', 0)).toMatchObject({ value: Infinity, overflow: false });
  });

  it('accepts the spellings strtof does and stops where it stops', () => {
    const cases: [string, number, number][] = [
      ['  12.5xyz', 12.5, 6],
      ['+.5', 0.5, 3],
      ['5.', 5, 2],
      ['1e', 1, 1],
      ['1e+', 1, 1],
      ['1e+2]', 100, 4],
      ['0x1p4', 16, 5],
      ['0x1.8', 1.5, 5],
      ['-0X.8p1', -1, 7],
      ['0x', 0, 1],
      ['0xg', 0, 1],
      ['Infinity,', Infinity, 8],
      ['-INF]', -Infinity, 4],
      ['infin', Infinity, 3],
      ['nan', NaN, 3],
      ['NaN(abc_1)x', NaN, 10],
      ['nan(a b)', NaN, 3],
      ['0x1p-150', 0, 8],
      ['0x1.000001p0', 1, 12],
      ['0x1.000003p0', 1 + 2 ** -23 * 2, 12],
    ];
    for (const [s, v, end] of cases) {
      const r = scanFloat4(s, 0)!;
      expect(Object.is(r.value, v), s).toBe(true);
      expect(r.end, s).toBe(end);
    }
    for (const s of ['', ' ', '.', '-', 'e5', 'x', '+-1', '.e1']) expect(scanFloat4(s, 0), s).toBeNull();
    expect(scanFloat4('[ 1.5', 1)).toMatchObject({ value: 1.5, start: 2, end: 5 });
  });
});

describe('scanLong', () => {
  it('reads base-10 integers like strtol', () => {
    expect(scanLong(' 42:', 0)).toEqual({ value: 42, end: 3 });
    expect(scanLong('-7', 0)).toEqual({ value: -7, end: 2 });
    expect(scanLong('+0x1', 0)).toEqual({ value: 0, end: 2 });
    expect(scanLong('99999999999999999999999', 0)!.value).toBeGreaterThan(2 ** 62);
    expect(scanLong('-99999999999999999999999', 0)!.value).toBeLessThan(-(2 ** 62));
    expect(scanLong('a1', 0)).toBeNull();
    expect(scanLong('-', 0)).toBeNull();
    expect(scanLong(' ', 0)).toBeNull();
  });
});

describe('scanPlainFloat4 (the fast path of vector input)', () => {
  it('agrees with scanFloat4 wherever it answers, and declines midpoints and out-of-range tokens', () => {
    fc.assert(fc.property(
      fc.oneof(
        fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
        fc.float().map(String),
        fc.stringMatching(/^-?\d{1,12}(\.\d{0,12})?(e-?\d{1,2})?$/),
      ),
      (t) => {
        const fast = scanPlainFloat4(t, 0);
        if (fast === undefined) return true;
        return Object.is(fast, scanFloat4(t, 0)!.value);
      },
    ), { numRuns: 20000 });
    // 1 + 2^-24 is exactly halfway between two float4s: left to the exact path
    expect(scanPlainFloat4('1.000000059604644775390625', 0)).toBeUndefined();
    expect(scanPlainFloat4('1e39', 0)).toBeUndefined();
    expect(scanPlainFloat4('+1', 0)).toBeUndefined();
    expect(scanPlainFloat4('0.1', 0)).toBe(Math.fround(0.1));
  });
});
