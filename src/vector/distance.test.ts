// Distance kernels: pgvector's documented results, plus property tests against simple references
// (float32 rounding done by storing into a Float32Array; sparse kernels against their densified
// inputs; bit kernels bit by bit; fast kernels against float64 sums within a tolerance).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  exactCosineDistance, exactCosineSimilarity, exactInnerProduct, exactL1Distance, exactL2Distance, exactL2Squared,
  exactNorm, exactSparseCosineDistance, exactSparseInnerProduct, exactSparseL1Distance, exactSparseL2Squared,
  exactSparseNorm, exactSphericalDistance, fastCosineDistance, fastInnerProduct, fastL1Distance, fastL2Squared,
  fastNorm, fastSparseDenseInnerProduct, fastSparseInnerProduct, fastSparseL2Squared, hammingDistance,
  jaccardDistance, popcount, type SparseVectorLike,
} from './index.js';

const v = (...xs: number[]) => new Float32Array(xs);
const sp = (dim: number, entries: [number, number][]): SparseVectorLike => ({
  dim, indices: new Int32Array(entries.map((e) => e[0])), values: new Float32Array(entries.map((e) => e[1])),
});

describe('exact kernels reproduce pgvector results', () => {
  it('dense', () => {
    expect(exactL2Distance(v(0, 0), v(3, 4))).toBe(5);
    expect(exactL2Distance(v(1, 1, 1, 1, 1, 1, 1, 1, 1), v(1, 1, 1, 1, 1, 1, 1, 4, 5))).toBe(5);
    expect(exactL2Distance(v(3e38), v(-3e38))).toBe(Infinity);
    expect(exactL2Squared(v(0, 0), v(3, 4))).toBe(25);
    expect(exactInnerProduct(v(1, 2), v(3, 4))).toBe(11);
    expect(exactInnerProduct(v(3e38), v(3e38))).toBe(Infinity);
    expect(exactInnerProduct(v(65504), v(65504))).toBe(4290774016);
    expect(exactCosineDistance(v(1, 2), v(2, 4))).toBe(0);
    expect(exactCosineDistance(v(1, 2), v(0, 0))).toBeNaN();
    expect(exactCosineDistance(v(1, 0), v(0, 2))).toBe(1);
    expect(exactCosineDistance(v(1, 1), v(-1, -1))).toBe(2);
    expect(exactCosineDistance(v(1, 1), v(1.1, 1.1))).toBe(0);
    expect(exactCosineDistance(v(1, 1), v(-1.1, -1.1))).toBe(2);
    expect(exactCosineDistance(v(3e38), v(3e38))).toBeNaN();
    expect(exactCosineDistance(v(1, 2, 3, 4, 5, 6, 7, 8, 9), v(1, 2, 3, 4, 5, 6, 7, 8, 9))).toBe(0);
    expect(exactL1Distance(v(0, 0), v(3, 4))).toBe(7);
    expect(exactL1Distance(v(1, 2, 3, 4, 5, 6, 7, 8, 9), v(0, 3, 2, 5, 4, 7, 6, 9, 8))).toBe(9);
    expect(exactL1Distance(v(3e38), v(-3e38))).toBe(Infinity);
    expect(exactNorm(v(3, 4))).toBe(5);
    expect(exactNorm(v(0, 0))).toBe(0);
    expect(Math.fround(exactNorm(v(3e37, 4e37)))).toBe(Math.fround(5e37));
    expect(exactSphericalDistance(v(1, 0), v(0, 1))).toBe(0.5);
    expect(exactSphericalDistance(v(1, 0), v(1, 0))).toBe(0);
  });

  it('float32 accumulation differs from float64 where pgvector does', () => {
    // 0.1 + 0.2 in float32 products: the float32 result is not the float64 one
    const a = v(0.1, 0.2, 0.3), b = v(1, 1, 1);
    expect(exactInnerProduct(a, b)).toBe(Math.fround(Math.fround(Math.fround(0.1) + Math.fround(0.2)) + Math.fround(0.3)));
    expect(exactInnerProduct(a, b)).not.toBe(fastInnerProduct(a, b));
  });

  it('sparse', () => {
    expect(Math.sqrt(exactSparseL2Squared(sp(2, []), sp(2, [[0, 3], [1, 4]])))).toBe(5);
    expect(Math.sqrt(exactSparseL2Squared(sp(2, [[0, 3]]), sp(2, [[1, 4]])))).toBe(5);
    expect(Math.sqrt(exactSparseL2Squared(sp(2, [[1, 4]]), sp(2, [[0, 3]])))).toBe(5);
    expect(exactSparseInnerProduct(sp(5, [[0, 1], [2, 3], [4, 5]]), sp(5, [[1, 4], [2, 6], [3, 8]]))).toBe(18);
    expect(exactSparseInnerProduct(sp(1, [[0, 3e38]]), sp(1, [[0, 3e38]]))).toBe(Infinity);
    expect(exactSparseCosineDistance(sp(2, [[0, 1], [1, 2]]), sp(2, []))).toBeNaN();
    expect(exactSparseCosineDistance(sp(2, [[0, 1]]), sp(2, [[1, 2]]))).toBe(1);
    expect(exactSparseCosineDistance(sp(1, [[0, 3e38]]), sp(1, [[0, 3e38]]))).toBeNaN();
    expect(exactSparseL1Distance(sp(8, [[0, 1], [2, 3], [4, 5], [6, 7]]), sp(8, [[1, 2], [3, 4], [5, 6], [7, 8]]))).toBe(36);
    expect(exactSparseL1Distance(sp(1, [[0, 3e38]]), sp(1, [[0, -3e38]]))).toBe(Infinity);
    expect(exactSparseNorm(sp(2, [[0, 3], [1, 4]]))).toBe(5);
  });

  it('bits', () => {
    const b = (s: string) => {
      const out = new Uint8Array(Math.ceil(s.length / 8));
      for (let i = 0; i < s.length; i++) if (s[i] === '1') out[i >> 3]! |= 0x80 >> (i & 7);
      return out;
    };
    expect(hammingDistance(b('111'), b('100'))).toBe(2);
    expect(hammingDistance(b('10101010101010101010'), b('01010101010101010101'))).toBe(20);
    expect(jaccardDistance(b('1111'), b('1110'))).toBe(0.25);
    expect(jaccardDistance(b('1100'), b('1000'))).toBe(0.5);
    expect(jaccardDistance(b('1111'), b('0000'))).toBe(1);
    expect(jaccardDistance(b(''), b(''))).toBe(1);
    expect(popcount(b('1011'))).toBe(3);
  });
});

// --- references -------------------------------------------------------------------------------

/** float32 arithmetic by storing through a Float32Array cell (independent of Math.fround). */
const cell = new Float32Array(1);
const r32 = (x: number): number => { cell[0] = x; return cell[0]!; };

function refL2Squared(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) { const d = r32(a[i]! - b[i]!); s = r32(s + r32(d * d)); }
  return s;
}
function refDot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s = r32(s + r32(a[i]! * b[i]!));
  return s;
}
function refL1(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s = r32(s + Math.abs(r32(a[i]! - b[i]!)));
  return s;
}
function densify(s: SparseVectorLike): Float32Array {
  const out = new Float32Array(s.dim);
  for (let k = 0; k < s.indices.length; k++) out[s.indices[k]!] = s.values[k]!;
  return out;
}

const float32 = fc.float({ min: -1000, max: 1000, noNaN: true, noDefaultInfinity: true });
const pair = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc.tuple(fc.float32Array({ minLength: n, maxLength: n, min: -1000, max: 1000, noNaN: true, noDefaultInfinity: true }),
    fc.float32Array({ minLength: n, maxLength: n, min: -1000, max: 1000, noNaN: true, noDefaultInfinity: true })));

const sparse = (dim: number) => fc.uniqueArray(fc.integer({ min: 0, max: dim - 1 }), { maxLength: dim })
  .chain((idx) => fc.array(float32.filter((x) => x !== 0), { minLength: idx.length, maxLength: idx.length })
    .map((vals) => {
      const order = idx.map((i, k) => [i, vals[k]!] as [number, number]).sort((p, q) => p[0] - q[0]);
      return sp(dim, order);
    }));
const sparsePair = fc.integer({ min: 1, max: 30 }).chain((d) => fc.tuple(sparse(d), sparse(d)));

function close(x: number, y: number, scale: number): boolean {
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y);
  return Math.abs(x - y) <= 1e-4 * Math.max(1, Math.abs(scale));
}

describe('kernel properties', () => {
  it('exact dense kernels equal the float32-cell reference bit for bit', () => {
    fc.assert(fc.property(pair, ([a, b]) => {
      expect(exactL2Squared(a, b)).toBe(refL2Squared(a, b));
      expect(exactL2Distance(a, b)).toBe(Math.sqrt(refL2Squared(a, b)));
      expect(exactInnerProduct(a, b)).toBe(refDot(a, b));
      expect(exactL1Distance(a, b)).toBe(refL1(a, b));
      const sim = refDot(a, b) / Math.sqrt(refDot(a, a) * refDot(b, b));
      expect(exactCosineSimilarity(a, b)).toBe(sim);
    }));
  });

  it('cosine distance is NaN for a zero vector, else in [0, 2] (clamped even for subnormal norms)', () => {
    fc.assert(fc.property(pair, ([a, b]) => {
      const d = exactCosineDistance(a, b);
      const zero = a.every((x) => x === 0) || b.every((x) => x === 0);
      if (zero) expect(d).toBeNaN();
      else if (refDot(a, a) !== 0 && refDot(b, b) !== 0) { expect(d).toBeGreaterThanOrEqual(0); expect(d).toBeLessThanOrEqual(2); }
      else expect(Number.isNaN(d) || d === 0 || d === 2).toBe(true);
    }));
  });

  it('fast kernels agree with float64 references', () => {
    fc.assert(fc.property(pair, ([a, b]) => {
      let l2 = 0, dot = 0, l1 = 0, na = 0, nb = 0;
      for (let i = 0; i < a.length; i++) {
        const x = a[i]!, y = b[i]!;
        l2 += (x - y) * (x - y); dot += x * y; l1 += Math.abs(x - y); na += x * x; nb += y * y;
      }
      expect(close(fastL2Squared(a, b), l2, l2)).toBe(true);
      expect(close(fastInnerProduct(a, b), dot, na + nb)).toBe(true);
      expect(close(fastL1Distance(a, b), l1, l1)).toBe(true);
      expect(close(fastNorm(a), Math.sqrt(na), Math.sqrt(na))).toBe(true);
      const cos = na === 0 || nb === 0 ? NaN : 1 - Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)));
      expect(close(fastCosineDistance(a, b), cos, 1)).toBe(true);
      // and with the exact kernels within float32 accumulation error
      expect(close(exactL2Squared(a, b), l2, l2 + 1)).toBe(true);
    }));
  });

  it('sparse exact kernels equal the dense exact kernels on densified inputs', () => {
    fc.assert(fc.property(sparsePair, ([a, b]) => {
      const da = densify(a), db = densify(b);
      expect(exactSparseL2Squared(a, b)).toBe(exactL2Squared(da, db));
      expect(exactSparseInnerProduct(a, b)).toBe(exactInnerProduct(da, db));
      expect(exactSparseL1Distance(a, b)).toBe(exactL1Distance(da, db));
      expect(Object.is(exactSparseCosineDistance(a, b), exactCosineDistance(da, db)) ||
        (Number.isNaN(exactSparseCosineDistance(a, b)) && Number.isNaN(exactCosineDistance(da, db)))).toBe(true);
      expect(exactSparseNorm(a)).toBe(exactNorm(da));
      expect(close(fastSparseL2Squared(a, b), fastL2Squared(da, db), fastL2Squared(da, db))).toBe(true);
      expect(close(fastSparseInnerProduct(a, b), fastInnerProduct(da, db), exactNorm(da) * exactNorm(db))).toBe(true);
      expect(fastSparseDenseInnerProduct(a, db)).toBe(fastSparseInnerProduct(a, b));
    }));
  });

  it('bit kernels agree with a bit-by-bit reference', () => {
    const bits = fc.integer({ min: 0, max: 70 }).chain((n) => fc.tuple(
      fc.array(fc.boolean(), { minLength: n, maxLength: n }), fc.array(fc.boolean(), { minLength: n, maxLength: n })));
    fc.assert(fc.property(bits, ([x, y]) => {
      const pack = (bs: boolean[]) => {
        const out = new Uint8Array(Math.ceil(bs.length / 8));
        bs.forEach((bit, i) => { if (bit) out[i >> 3]! |= 0x80 >> (i & 7); });
        return out;
      };
      let diff = 0, both = 0, either = 0, ones = 0;
      for (let i = 0; i < x.length; i++) {
        if (x[i] !== y[i]) diff++;
        if (x[i] && y[i]) both++;
        if (x[i] || y[i]) either++;
        if (x[i]) ones++;
      }
      expect(hammingDistance(pack(x), pack(y))).toBe(diff);
      expect(jaccardDistance(pack(x), pack(y))).toBe(both === 0 ? 1 : 1 - both / either);
      expect(popcount(pack(x))).toBe(ones);
    }));
  });
});
