// Property tests for vector, halfvec, sparsevec, bit and varbit: text, binary and row-codec round
// trips, index key byte order against compareDatums (ASC/DESC, concatenated), key decoding,
// sparsevec order against the dense order, and hashing against equality.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { toHalf } from '../../vector/index.js';
import {
  OID, textIn, textOut, binaryIn, binaryOut, encodeRow, decodeRow, decodeColumns, encodeKeyDatums, decodeKeyDatums,
  compareDatums, datumsEqual, hashDatum, compareBytes, type Datum, type SqlType, type SparseVec, type BitString, type SqlArray,
} from './index.js';

const T = (oid: number, typmod = -1): SqlType => ({ oid, typmod });

// small value pools make equal prefixes (the interesting comparisons) common
const f4 = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(-2, -1, -0, 0, 0.5, 1, 2) },
  { weight: 1, arbitrary: fc.float({ noNaN: true, noDefaultInfinity: true }).map((x) => Math.fround(x)) },
);
const vectorArb = fc.array(f4, { minLength: 1, maxLength: 8 }).map((xs) => Float32Array.from(xs));
const halfvecArb = fc.array(f4.map((x) => toHalf(x)).filter((x) => Number.isFinite(x)), { minLength: 1, maxLength: 8 }).map((xs) => Float32Array.from(xs));
const sparseArb: fc.Arbitrary<SparseVec> = fc.integer({ min: 1, max: 12 }).chain((dim) =>
  fc.array(fc.tuple(fc.integer({ min: 0, max: dim - 1 }), f4.filter((x) => x !== 0)), { maxLength: dim }).map((pairs) => {
    const m = new Map<number, number>();
    for (const [i, v] of pairs) m.set(i, v);
    const idx = [...m.keys()].sort((a, b) => a - b);
    return { kind: 'sparsevec' as const, dim, indices: Int32Array.from(idx), values: Float32Array.from(idx.map((i) => m.get(i)!)) };
  }));
const bitsArb: fc.Arbitrary<BitString> = fc.array(fc.boolean(), { maxLength: 24 }).map((bs) => {
  const bytes = new Uint8Array((bs.length + 7) >> 3);
  bs.forEach((b, i) => { if (b) bytes[i >> 3]! |= 0x80 >> (i & 7); });
  return { kind: 'bit' as const, length: bs.length, bytes };
});

const TYPES: [string, number, fc.Arbitrary<Datum>][] = [
  ['vector', OID.vector, vectorArb],
  ['halfvec', OID.halfvec, halfvecArb],
  ['sparsevec', OID.sparsevec, sparseArb],
  ['bit', OID.bit, bitsArb],
  ['varbit', OID.varbit, bitsArb],
];

/** Exact structural equality (including -0 in vectors). */
function sameDatum(a: Datum, b: Datum): boolean {
  if (a instanceof Float32Array && b instanceof Float32Array) return a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
  return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
}

function normalize(d: Datum): unknown {
  if (d === null || typeof d !== 'object') return d;
  if ((d as SparseVec).kind === 'sparsevec') {
    const v = d as SparseVec;
    return { dim: v.dim, indices: [...v.indices], values: [...v.values].map((x) => (Object.is(x, -0) ? '-0' : x)) };
  }
  if ((d as BitString).kind === 'bit') return { length: (d as BitString).length, bytes: [...(d as BitString).bytes] };
  if ((d as SqlArray).kind === 'array') return { ...(d as SqlArray), items: (d as SqlArray).items.map((x) => (x instanceof Float32Array ? [...x].map((y) => (Object.is(y, -0) ? '-0' : y)) : normalize(x))) };
  return d;
}

function dense(v: SparseVec): Float32Array {
  const out = new Float32Array(v.dim);
  v.indices.forEach((i, k) => { out[i] = v.values[k]!; });
  return out;
}

const sign = (x: number): number => (x < 0 ? -1 : x > 0 ? 1 : 0);

describe.each(TYPES)('%s', (_name, oid, arb) => {
  const type = T(oid);

  it('round-trips through text', () => {
    fc.assert(fc.property(arb, (d) => sameDatum(textIn(type, textOut(type, d)), d)), { numRuns: 300 });
  });

  it('round-trips through binary send/recv', () => {
    fc.assert(fc.property(arb, (d) => sameDatum(binaryIn(type, binaryOut(type, d)), d)), { numRuns: 300 });
  });

  it('round-trips through the row codec (with NULLs, arrays and other columns)', () => {
    const arrType = T(oid === OID.vector ? OID._vector : oid === OID.halfvec ? OID._halfvec : oid === OID.sparsevec ? OID._sparsevec : oid === OID.bit ? OID._bit : OID._varbit);
    const types = [type, T(OID.int4), type, arrType];
    const row = fc.tuple(arb, fc.integer(), fc.option(arb, { nil: null }), fc.array(fc.option(arb, { nil: null }), { maxLength: 3 }));
    fc.assert(fc.property(row, ([a, n, b, items]) => {
      const arr: SqlArray = { kind: 'array', elemOid: oid, dims: items.length ? [items.length] : [], lbounds: items.length ? [1] : [], items };
      const values: Datum[] = [a, n, b, arr];
      const out = decodeRow(types, encodeRow(types, values));
      const cols = decodeColumns(types, encodeRow(types, values), [2, 0]);
      return sameDatum(out[0]!, a) && out[1] === n && (b === null ? out[2] === null : sameDatum(out[2]!, b)) && sameDatum(out[3]!, arr)
        && (b === null ? cols[0] === null : sameDatum(cols[0]!, b)) && sameDatum(cols[1]!, a);
    }), { numRuns: 300 });
  });

  it('orders index keys exactly as compareDatums (ASC, DESC, concatenated)', () => {
    fc.assert(fc.property(arb, arb, fc.integer({ min: -2, max: 2 }), fc.integer({ min: -2, max: 2 }), (a, b, x, y) => {
      const c = sign(compareDatums(oid, a, b));
      const types = [type, T(OID.int4)];
      const asc = sign(compareBytes(encodeKeyDatums(types, [a, x]), encodeKeyDatums(types, [b, y])));
      const desc = sign(compareBytes(encodeKeyDatums(types, [a, x], [true, false]), encodeKeyDatums(types, [b, y], [true, false])));
      const expected = c !== 0 ? c : sign(x - y);
      const expectedDesc = c !== 0 ? -c : sign(x - y);
      return asc === expected && desc === expectedDesc;
    }), { numRuns: 2000 });
  });

  it('decodes index keys to an equal value', () => {
    fc.assert(fc.property(arb, fc.boolean(), (a, desc) => {
      const types = [type, T(OID.int4)];
      const back = decodeKeyDatums(types, encodeKeyDatums(types, [a, 7], [desc, false]), [desc, false]);
      return compareDatums(oid, back[0]!, a) === 0 && back[1] === 7;
    }), { numRuns: 300 });
  });

  it('hashes equal values alike and unequal values apart', () => {
    fc.assert(fc.property(arb, arb, (a, b) => datumsEqual(oid, a, b) === (hashDatum(oid, a) === hashDatum(oid, b))), { numRuns: 1000 });
  });

  it('compares as a total order (antisymmetric, reflexive)', () => {
    fc.assert(fc.property(arb, arb, (a, b) => sign(compareDatums(oid, a, b)) === -sign(compareDatums(oid, b, a)) && compareDatums(oid, a, a) === 0), { numRuns: 500 });
  });
});

describe('sparsevec order', () => {
  it('matches vector_cmp on the dense equivalents', () => {
    fc.assert(fc.property(sparseArb, sparseArb, (a, b) =>
      sign(compareDatums(OID.sparsevec, a, b)) === sign(compareDatums(OID.vector, dense(a), dense(b)))), { numRuns: 3000 });
  });

  it('matches pgvector sparsevec_cmp examples', () => {
    const s = (t: string): Datum => textIn(T(OID.sparsevec), t);
    const cmp = (a: string, b: string): number => sign(compareDatums(OID.sparsevec, s(a), s(b)));
    expect(cmp('{1:1,2:2,3:3}/3', '{1:1,2:2,3:3}/3')).toBe(0);
    expect(cmp('{1:1,2:2,3:3}/3', '{}/3')).toBe(1);
    expect(cmp('{}/3', '{1:1,2:2,3:3}/3')).toBe(-1);
    expect(cmp('{1:1,2:2}/2', '{1:1,2:2,3:3}/3')).toBe(-1);
    expect(cmp('{1:1,2:2,3:3}/3', '{1:1,2:2}/2')).toBe(1);
    expect(cmp('{1:1,2:2}/2', '{1:2,2:3,3:4}/3')).toBe(-1);
    expect(cmp('{1:2,2:3}/2', '{1:1,2:2,3:3}/3')).toBe(1);
    expect(cmp('{1:1,2:2,3:3}/3', '{1:1,2:2}/2')).toBe(1);
  });
});

describe('vector order (pgvector vector_cmp / halfvec_cmp examples)', () => {
  for (const oid of [OID.vector, OID.halfvec]) {
    it(`${oid}`, () => {
      const v = (t: string): Datum => textIn(T(oid), t);
      const cmp = (a: string, b: string): number => sign(compareDatums(oid, v(a), v(b)));
      expect(cmp('[1,2,3]', '[1,2,3]')).toBe(0);
      expect(cmp('[1,2,3]', '[0,0,0]')).toBe(1);
      expect(cmp('[0,0,0]', '[1,2,3]')).toBe(-1);
      expect(cmp('[1,2]', '[1,2,3]')).toBe(-1);
      expect(cmp('[1,2,3]', '[1,2]')).toBe(1);
      expect(cmp('[1,2]', '[2,3,4]')).toBe(-1);
      expect(cmp('[2,3]', '[1,2,3]')).toBe(1);
      expect(cmp('[-0]', '[0]')).toBe(0);
      expect(datumsEqual(oid, v('[-0,1]'), v('[0,1]'))).toBe(true);
      expect(hashDatum(oid, v('[-0,1]'))).toBe(hashDatum(oid, v('[0,1]')));
    });
  }
});
