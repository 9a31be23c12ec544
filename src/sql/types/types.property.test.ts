// Property tests for sql/types: text and binary I/O round trips, row codec round trips, and
// index key byte order against compareDatums (with DESC, NULLS FIRST/LAST and concatenation).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  OID, Numeric, Interval, textIn, textOut, binaryIn, binaryOut, encodeRow, encodeRowTransient, decodeRow, decodeColumns,
  encodeKeyDatums, encodePrefixedKey, decodeKeyDatums, compareDatums, datumsEqual, hashDatum,
  MIN_TIMESTAMP, END_TIMESTAMP, MIN_DATE, END_DATE, DT_NOBEGIN, DT_NOEND,
  type Datum, type SqlType, type SqlArray,
} from './index.js';

const T = (oid: number, typmod = -1): SqlType => ({ oid, typmod });

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const text = fc.string({ unit: 'binary', maxLength: 30 }).filter((s) => !s.includes('\0') && !LONE_SURROGATE.test(s));
const numeric = fc.oneof(
  { weight: 10, arbitrary: fc.tuple(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), fc.integer({ min: 0, max: 30 })).map(([c, s]) => Numeric.of(c, s)) },
  { weight: 1, arbitrary: fc.constantFrom(Numeric.NaN, Numeric.POS_INF, Numeric.NEG_INF, Numeric.ZERO) },
);
const interval = fc.tuple(
  fc.integer({ min: -2147483648, max: 2147483647 }),
  fc.integer({ min: -2147483648, max: 2147483647 }),
  fc.bigInt({ min: -9223372036854775807n, max: 9223372036854775807n }),
).map(([m, d, us]) => new Interval(m, d, us));
const timestamp = fc.oneof(
  { weight: 20, arbitrary: fc.bigInt({ min: MIN_TIMESTAMP, max: END_TIMESTAMP - 1n }) },
  { weight: 1, arbitrary: fc.constantFrom(DT_NOBEGIN, DT_NOEND) },
);
const date = fc.oneof(
  { weight: 20, arbitrary: fc.integer({ min: MIN_DATE, max: END_DATE - 1 }) },
  { weight: 1, arbitrary: fc.constantFrom(Infinity, -Infinity) },
);
const float8 = fc.double();
const float4 = fc.float().map((x) => Math.fround(x));

function arrayOf(elemOid: number, elem: fc.Arbitrary<Datum>): fc.Arbitrary<SqlArray> {
  return fc.oneof(
    fc.array(fc.option(elem, { nil: null, freq: 5 }), { maxLength: 6 }).map((items): SqlArray => ({
      kind: 'array', elemOid, dims: items.length ? [items.length] : [], lbounds: items.length ? [1] : [], items,
    })),
    fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: -2, max: 3 })).chain(([a, b, lb]) =>
      fc.array(fc.option(elem, { nil: null, freq: 5 }), { minLength: a * b, maxLength: a * b }).map((items): SqlArray => ({
        kind: 'array', elemOid, dims: [a, b], lbounds: [lb, 1], items,
      }))),
  );
}

/** [type, arbitrary] for every type with full round trips. */
const TYPES: [SqlType, fc.Arbitrary<Datum>][] = [
  [T(OID.bool), fc.boolean()],
  [T(OID.int2), fc.integer({ min: -32768, max: 32767 })],
  [T(OID.int4), fc.integer()],
  [T(OID.int8), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })],
  [T(OID.oid), fc.nat({ max: 4294967295 })],
  [T(OID.float4), float4],
  [T(OID.float8), float8],
  [T(OID.numeric), numeric],
  [T(OID.text), text],
  [T(OID.varchar), text],
  [T(OID.bytea), fc.uint8Array({ maxLength: 20 })],
  [T(OID.date), date],
  [T(OID.time), fc.integer({ min: 0, max: 86_400_000_000 })],
  [T(OID.timestamp), timestamp],
  [T(OID.timestamptz), timestamp],
  [T(OID.interval), interval],
  [T(OID.uuid), fc.uuid()],
  [T(OID._int4), arrayOf(OID.int4, fc.integer())],
  [T(OID._text), arrayOf(OID.text, text)],
  [T(OID._float8), arrayOf(OID.float8, float8)],
  [T(OID._numeric), arrayOf(OID.numeric, numeric)],
];

function same(type: SqlType, a: Datum, b: Datum): boolean {
  if (a === null || b === null) return a === b;
  if (type.oid === OID.float4 || type.oid === OID.float8) return Object.is(a, b);
  if (type.oid === OID.numeric) return (a as Numeric).toString() === (b as Numeric).toString();
  if (type.oid === OID.interval) {
    const x = a as Interval; const y = b as Interval;
    return x.months === y.months && x.days === y.days && x.micros === y.micros;
  }
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((v, i) => v === b[i]);
  if (typeof a === 'object' && typeof b === 'object' && 'kind' in a && 'kind' in b && a.kind === 'array') {
    const x = a as SqlArray; const y = b as SqlArray;
    const et = T(x.elemOid);
    return JSON.stringify(x.dims) === JSON.stringify(y.dims) && JSON.stringify(x.lbounds) === JSON.stringify(y.lbounds) &&
      x.items.length === y.items.length && x.items.every((v, i) => same(et, v, y.items[i]!));
  }
  return a === b;
}

describe('text I/O round trip', () => {
  for (const [type, arb] of TYPES) {
    it(`oid ${type.oid}`, () => {
      fc.assert(fc.property(arb, (d) => {
        const s = textOut(type, d);
        const back = textIn(type, s);
        expect(same(type, d, back)).toBe(true);
        expect(textOut(type, back)).toBe(s);
      }), { numRuns: 150 });
    });
  }
  it('timestamptz in a named zone', () => {
    const settings = { timeZone: 'America/New_York' };
    fc.assert(fc.property(fc.bigInt({ min: -3_000_000_000_000_000n, max: 3_000_000_000_000_000n }), (d) => {
      const s = textOut(T(OID.timestamptz), d, settings);
      expect(textIn(T(OID.timestamptz), s, settings)).toBe(d);
    }), { numRuns: 150 });
  });
  it('jsonb normalization is idempotent and json is verbatim', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      const src = JSON.stringify(v);
      const j = textIn(T(OID.jsonb), src) as string;
      expect(textIn(T(OID.jsonb), j)).toBe(j);
      expect(textIn(T(OID.json), src)).toBe(src);
    }), { numRuns: 150 });
  });
});

describe('float8 input', () => {
  it('reads decimal text exactly as Number() does (short decimals take a fast path)', () => {
    const decimal = fc.tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 20 }))
      .map(([d, digits]) => (Math.abs(d) < 1e15 ? d.toFixed(digits) : String(d)));
    const digitsText = fc.tuple(fc.boolean(), fc.stringMatching(/^[0-9]{1,17}$/), fc.option(fc.stringMatching(/^[0-9]{0,17}$/)))
      .map(([neg, int, frac]) => `${neg ? '-' : ''}${int}${frac === null ? '' : `.${frac}`}`);
    fc.assert(fc.property(fc.oneof(decimal, digitsText), (t) => {
      expect(Object.is(textIn(T(OID.float8), t), Number(t))).toBe(true);
    }), { numRuns: 20000 });
    for (const bad of ['.', '-', '-.', '1.2.3', '1-2']) expect(() => textIn(T(OID.float8), bad)).toThrow('invalid input syntax for type double precision');
  });
});

describe('binary I/O round trip', () => {
  for (const [type, arb] of TYPES) {
    it(`oid ${type.oid}`, () => {
      fc.assert(fc.property(arb, (d) => {
        const back = binaryIn(type, binaryOut(type, d));
        if (type.oid === OID.numeric) {
          // binary numeric keeps the value and display scale
          expect((back as Numeric).toString()).toBe((d as Numeric).toString());
        } else {
          expect(same(type, d, back)).toBe(true);
        }
      }), { numRuns: 100 });
    });
  }
});

describe('row codec', () => {
  const rowArb = fc.array(fc.integer({ min: 0, max: TYPES.length - 1 }), { minLength: 0, maxLength: 12 }).chain((idx) =>
    fc.tuple(fc.constant(idx.map((i) => TYPES[i]![0])), fc.tuple(...idx.map((i) => fc.option(TYPES[i]![1], { nil: null, freq: 4 })))));
  it('round-trips every datum exactly', () => {
    fc.assert(fc.property(rowArb, ([types, values]) => {
      const bytes = encodeRow(types, values as Datum[]);
      const back = decodeRow(types, bytes);
      expect(back.length).toBe(types.length);
      back.forEach((v, i) => expect(same(types[i]!, values[i] as Datum, v)).toBe(true));
    }), { numRuns: 300 });
  });
  it('decodes a subset of columns, and missing trailing columns as NULL', () => {
    fc.assert(fc.property(rowArb, fc.array(fc.nat({ max: 14 }), { maxLength: 5 }), ([types, values], wantedRaw) => {
      const bytes = encodeRow(types, values as Datum[]);
      const wider = [...types, T(OID.int4), T(OID.text)];
      const wanted = wantedRaw.filter((w) => w < wider.length);
      const sub = decodeColumns(wider, bytes, wanted);
      wanted.forEach((w, j) => {
        if (w >= types.length) expect(sub[j]).toBe(null);
        else expect(same(types[w]!, values[w] as Datum, sub[j]!)).toBe(true);
      });
      const full = decodeRow(wider, bytes);
      expect(full[types.length]).toBe(null);
      expect(full[types.length + 1]).toBe(null);
    }), { numRuns: 200 });
  });
});

function cmpBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

const KEY_TYPES: [SqlType, fc.Arbitrary<Datum>][] = [
  ...TYPES.filter(([t]) => t.oid !== OID._float8 && t.oid !== OID._numeric),
  [T(OID.bpchar), fc.string({ maxLength: 6, unit: fc.constantFrom('a', 'b', ' ', 'é') })],
  [T(OID.float8), fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 1.5, -1.5)],
  [T(OID.numeric), fc.constantFrom('1', '1.0', '1.00', '-1.0', '0.001', '-0.001', '10', '9.99', '100', '-100', '0.1', '-0.10')
    .map((s) => Numeric.parse(s))],
  [T(OID.jsonb), fc.jsonValue().map((v) => textIn(T(OID.jsonb), JSON.stringify(v)))],
];

describe('transient row encoding', () => {
  it('encodeRowTransient gives encodeRow\'s bytes, also when a row outgrows the scratch buffer', () => {
    const types = [T(OID.int4), T(OID.text)];
    for (let size = 1024; size <= 8 << 20; size *= 4) {
      const row: Datum[] = [size, 'é'.repeat(size)];
      const view = encodeRowTransient(types, row);
      expect(Buffer.from(view).equals(Buffer.from(encodeRow(types, row)))).toBe(true);
      expect(decodeRow(types, encodeRowTransient(types, row))).toEqual(row);
    }
  });
});

describe('prefixed storage keys', () => {
  it('encodePrefixedKey is the prefix followed by encodeKeyDatums (integer fast path included)', () => {
    const keyCols = fc.constantFrom<SqlType[]>([T(OID.int4)], [T(OID.int8)], [T(OID.int4), T(OID.text)], [T(OID.text)]);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 12 }), keyCols, fc.integer({ min: -2147483648, max: 2147483647 }),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), text, (prefix, types, i4, i8, t) => {
        const values: Datum[] = types.map((ty) => (ty.oid === OID.int4 ? i4 : ty.oid === OID.int8 ? i8 : t));
        const row: Datum[] = ['pad', ...values];
        const positions = values.map((_, j) => j + 1);
        const expected = Buffer.concat([prefix, encodeKeyDatums(types, values)]);
        expect(encodePrefixedKey(prefix, types, row, positions).equals(expected)).toBe(true);
      }), { numRuns: 3000 });
  });
});

describe('key encoding order', () => {
  for (const [type, arb] of KEY_TYPES) {
    it(`oid ${type.oid}: byte order = compareDatums, equal keys iff equal`, () => {
      fc.assert(fc.property(fc.option(arb, { nil: null, freq: 6 }), fc.option(arb, { nil: null, freq: 6 }), fc.boolean(), fc.boolean(), (a, b, desc, nf) => {
        const ka = encodeKeyDatums([type], [a], [desc], [nf]);
        const kb = encodeKeyDatums([type], [b], [desc], [nf]);
        let expected: number;
        if (a === null || b === null) {
          expected = a === b ? 0 : a === null ? (nf ? -1 : 1) : (nf ? 1 : -1);
        } else {
          expected = Math.sign(compareDatums(type.oid, a, b)) * (desc ? -1 : 1);
        }
        expect(Math.sign(cmpBytes(ka, kb))).toBe(expected === 0 ? 0 : expected);
        if (a !== null && b !== null) {
          expect(datumsEqual(type.oid, a, b)).toBe(expected === 0);
          expect(Object.is(hashDatum(type.oid, a), hashDatum(type.oid, b)) || hashDatum(type.oid, a) === hashDatum(type.oid, b)).toBe(expected === 0);
        }
      }), { numRuns: 200 });
    });
  }
  it('multi-column tuples and concatenated keys keep tuple order', () => {
    const types = [T(OID.text), T(OID.int4), T(OID.numeric)];
    const tuple = fc.tuple(fc.option(text, { nil: null }), fc.option(fc.integer({ min: -3, max: 3 }), { nil: null }), fc.option(numeric, { nil: null }));
    fc.assert(fc.property(tuple, tuple, fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), tuple, tuple, (a, b, desc, pa, pb) => {
      const cmpTuple = (x: Datum[], y: Datum[]): number => {
        for (let i = 0; i < 3; i++) {
          const u = x[i]!; const v = y[i]!;
          let c: number;
          if (u === null || v === null) c = u === v ? 0 : u === null ? (desc[i] ? -1 : 1) : (desc[i] ? 1 : -1);
          else c = Math.sign(compareDatums(types[i]!.oid, u, v)) * (desc[i] ? -1 : 1);
          if (c !== 0) return c;
        }
        return 0;
      };
      const ka = encodeKeyDatums(types, a, desc);
      const kb = encodeKeyDatums(types, b, desc);
      const c = cmpTuple(a, b);
      expect(Math.sign(cmpBytes(ka, kb))).toBe(c);
      // index key + pk: concatenation orders by (key, pk)
      const ca = new Uint8Array([...ka, ...encodeKeyDatums(types, pa)]);
      const cb = new Uint8Array([...kb, ...encodeKeyDatums(types, pb)]);
      const c2 = c !== 0 ? c : cmpTuple(pa, pb) * 1;
      const plain = (x: Datum[], y: Datum[]): number => {
        for (let i = 0; i < 3; i++) {
          const u = x[i]!; const v = y[i]!;
          let r: number;
          if (u === null || v === null) r = u === v ? 0 : u === null ? 1 : -1;
          else r = Math.sign(compareDatums(types[i]!.oid, u, v));
          if (r !== 0) return r;
        }
        return 0;
      };
      expect(Math.sign(cmpBytes(ca, cb))).toBe(c !== 0 ? c : plain(pa, pb));
      void c2;
    }), { numRuns: 300 });
  });
  it('decodes lossless key types exactly', () => {
    const lossless = KEY_TYPES.filter(([t]) => [OID.bool, OID.int2, OID.int4, OID.int8, OID.oid, OID.text, OID.varchar, OID.bytea, OID.date, OID.time, OID.timestamp, OID.timestamptz, OID.uuid, OID.float4].includes(t.oid as never));
    for (const [type, arb] of lossless) {
      fc.assert(fc.property(fc.option(arb, { nil: null }), fc.boolean(), (d, desc) => {
        const back = decodeKeyDatums([type, T(OID.int4)], encodeKeyDatums([type, T(OID.int4)], [d, 7], [desc, false]), [desc, false]);
        if (type.oid === OID.float4 && d === 0) expect(back[0]).toBe(0);
        else expect(same(type, d, back[0]!)).toBe(true);
        expect(back[1]).toBe(7);
      }), { numRuns: 60 });
    }
  });
  it('decodes numeric keys to an equal value', () => {
    fc.assert(fc.property(numeric, fc.boolean(), (n, desc) => {
      const back = decodeKeyDatums([T(OID.numeric)], encodeKeyDatums([T(OID.numeric)], [n], [desc]), [desc])[0] as Numeric;
      expect(back.compare(n)).toBe(0);
    }), { numRuns: 200 });
  });
});

describe('textIn on arbitrary text', () => {
  const specs = [OID.bool, OID.int2, OID.int4, OID.int8, OID.float4, OID.float8, OID.numeric, OID.bytea, OID.date, OID.time,
    OID.timestamp, OID.timestamptz, OID.interval, OID.uuid, OID.json, OID.jsonb, OID._int4, OID._text, OID.oid];
  const noise = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ maxLength: 40, unit: fc.constantFrom(...'0123456789-+:.eE {}[],"\\ tTzZ/PYMDHSa'.split('')) }),
  );
  it('returns a datum or throws SqlError, never anything else', () => {
    fc.assert(fc.property(fc.constantFrom(...specs), noise, (oid, s) => {
      try {
        const d = textIn(T(oid), s);
        // whatever parsed must print and re-parse to the same text
        const out = textOut(T(oid), d);
        expect(textOut(T(oid), textIn(T(oid), out))).toBe(out);
      } catch (e) {
        expect((e as { name?: string }).name).toBe('SqlError');
      }
    }), { numRuns: 3000 });
  });
});
