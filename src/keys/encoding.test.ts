// Property tests: for every primitive, byte order of encodings = value order, encodings are
// prefix-free, DESC reverses the order, and KeyReader decodes what KeyWriter wrote.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KeyReader, KeyWriter } from './encoding.js';
import { prefixEnd, tableKeyPrefix } from './keyspace.js';

const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);
const cmpBig = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);
const cmpNum = (a: number, b: number): number => {
  const an = Number.isNaN(a), bn = Number.isNaN(b);
  if (an || bn) return an && bn ? 0 : an ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
};
const cmpBytes = (a: Uint8Array, b: Uint8Array): number => Buffer.compare(a, b);
const isPrefix = (p: Buffer, k: Buffer): boolean => p.length < k.length && k.subarray(0, p.length).equals(p);

function checkOrder<T>(arb: fc.Arbitrary<T>, cmp: (a: T, b: T) => number, enc: (w: KeyWriter, v: T) => void,
  encDesc: (w: KeyWriter, v: T) => void, dec: (r: KeyReader, desc: boolean) => T, eq: (a: T, b: T) => boolean): void {
  fc.assert(fc.property(arb, arb, (a, b) => {
    const ea = new KeyWriter(1); enc(ea, a); const ka = ea.finish();
    const eb = new KeyWriter(1); enc(eb, b); const kb = eb.finish();
    expect(sign(Buffer.compare(ka, kb))).toBe(sign(cmp(a, b)));
    if (cmp(a, b) !== 0) expect(isPrefix(ka, kb) || isPrefix(kb, ka)).toBe(false);
    const da = new KeyWriter(1); encDesc(da, a); const kda = da.finish();
    const db = new KeyWriter(1); encDesc(db, b); const kdb = db.finish();
    expect(sign(Buffer.compare(kda, kdb))).toBe(sign(cmp(b, a)));
    // round trip, followed by a trailing byte to check the reader stops at the right place
    const r = new KeyReader(Buffer.concat([ka, Buffer.from([7])]));
    expect(eq(dec(r, false), a)).toBe(true);
    expect(r.byte()).toBe(7);
    const rd = new KeyReader(Buffer.concat([kda, Buffer.from([7])]));
    expect(eq(dec(rd, true), a)).toBe(true);
    expect(rd.byte()).toBe(7);
  }), { numRuns: 500 });
}

describe('order-preserving primitives', () => {
  it('uint (numbers and bigints)', () => {
    const arb = fc.oneof(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.bigInt({ min: 0n, max: 300n }));
    checkOrder(arb, cmpBig, (w, v) => w.uint(v), (w, v) => w.uintDesc(v), (r, d) => BigInt(r.uint(d)), (x, y) => x === y);
  });
  it('int64', () => {
    const arb = fc.oneof(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), fc.bigInt({ min: -300n, max: 300n }));
    checkOrder(arb, cmpBig, (w, v) => w.int64(v), (w, v) => w.int64Desc(v), (r, d) => r.int64(d), (x, y) => x === y);
  });
  it('float64 (incl. -0, infinities, NaN above +Infinity)', () => {
    const arb = fc.oneof(fc.double(), fc.constantFrom(0, -0, Infinity, -Infinity, NaN, 5e-324, -5e-324));
    checkOrder(arb, cmpNum, (w, v) => w.float64(v), (w, v) => w.float64Desc(v), (r, d) => r.float64(d),
      (x, y) => cmpNum(x, y) === 0);
  });
  it('bytes (incl. zero bytes and 0xFF)', () => {
    const arb = fc.uint8Array({ maxLength: 12 }).map((a): Uint8Array => a.map((x) => [0, 1, 0xff, 2][x % 4]!));
    checkOrder(arb, cmpBytes, (w, v) => w.bytes(v), (w, v) => w.bytesDesc(v), (r, d) => r.bytes(d),
      (x, y) => Buffer.compare(x, y) === 0);
  });
  it('strings order by code point', () => {
    const cp = (s: string): number[] => [...s].map((c) => c.codePointAt(0)!);
    const cmpStr = (a: string, b: string): number => {
      const x = cp(a), y = cp(b);
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
      return x.length - y.length;
    };
    checkOrder(fc.string({ unit: 'binary', maxLength: 8 }), cmpStr, (w, v) => w.string(v), (w, v) => w.stringDesc(v),
      (r, d) => r.string(d), (x, y) => x === y);
  });
  it('composite keys order lexicographically by (nullable int, string)', () => {
    const arb = fc.tuple(fc.option(fc.integer({ min: -1000, max: 1000 })), fc.string({ maxLength: 4 }));
    const enc = (v: [number | null, string]): Buffer => {
      const w = new KeyWriter();
      if (v[0] === null) w.null('last'); else w.notNull().int64(v[0]);
      return w.string(v[1]).finish();
    };
    const cmp = (a: [number | null, string], b: [number | null, string]): number => {
      if (a[0] !== b[0]) return a[0] === null ? 1 : b[0] === null ? -1 : a[0] - b[0];
      return Buffer.compare(Buffer.from(a[1]), Buffer.from(b[1]));
    };
    fc.assert(fc.property(arb, arb, (a, b) => {
      expect(sign(Buffer.compare(enc(a), enc(b)))).toBe(sign(cmp(a, b)));
    }), { numRuns: 500 });
  });
});

describe('keyspace', () => {
  it('index prefixes are contiguous, disjoint ranges ordered by (table, index)', () => {
    const id = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 2 ** 40 }));
    fc.assert(fc.property(id, id, id, id, fc.uint8Array({ maxLength: 6 }), (t1, i1, t2, i2, suffix) => {
      const p1 = tableKeyPrefix(t1, i1), p2 = tableKeyPrefix(t2, i2);
      const k1 = Buffer.concat([p1, suffix]);
      const end1 = prefixEnd(p1)!;
      expect(Buffer.compare(k1, p1) >= 0 && Buffer.compare(k1, end1) < 0).toBe(true);
      const same = t1 === t2 && i1 === i2;
      const inside = Buffer.compare(p2, p1) >= 0 && Buffer.compare(p2, end1) < 0;
      expect(inside).toBe(same);
      const order = t1 !== t2 ? t1 - t2 : i1 - i2;
      expect(sign(Buffer.compare(p1, p2))).toBe(sign(order));
    }), { numRuns: 500 });
  });
  it('prefixEnd', () => {
    expect(prefixEnd(Buffer.from([1, 2, 0xff]))).toEqual(Buffer.from([1, 3]));
    expect(prefixEnd(Buffer.from([0xff, 0xff]))).toBeUndefined();
    expect(prefixEnd(Buffer.from([]))).toBeUndefined();
  });
});
