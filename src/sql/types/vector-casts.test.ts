// Casts of pgvector's types: contexts as sql/vector.sql declares them, conversions and their
// errors as pgvector's cast.out shows, typmod (dimension) coercion.
import { describe, expect, it } from 'vitest';
import { SqlError } from '../../base/index.js';
import { OID, textIn, textOut, castDatum, castContext, coerceTypmod, Numeric, type Datum, type SqlType, type SqlArray } from './index.js';

const T = (oid: number, typmod = -1): SqlType => ({ oid, typmod });

function errorOf(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (e) {
    if (!(e instanceof SqlError)) throw e;
    return { code: e.code, message: e.message };
  }
  throw new Error('expected an error');
}

/** text '…'::from::to (explicit), printed. */
function cast(text: string, from: SqlType, to: SqlType, explicit = true): string {
  return textOut(to, castDatum(textIn(from, text), from, to, explicit));
}

const arr = (elemOid: number, items: Datum[], dims = [items.length]): SqlArray => ({ kind: 'array', elemOid, dims, lbounds: dims.map(() => 1), items });

describe('cast contexts (pgvector sql/vector.sql)', () => {
  const cases: [number, number, 'i' | 'a' | 'e' | undefined][] = [
    [OID.vector, OID.vector, 'i'],
    [OID.vector, OID._float4, 'i'],
    [OID._int4, OID.vector, 'a'],
    [OID._float4, OID.vector, 'a'],
    [OID._float8, OID.vector, 'a'],
    [OID._numeric, OID.vector, 'a'],
    [OID.halfvec, OID.vector, 'a'],
    [OID.vector, OID.halfvec, 'i'],
    [OID.halfvec, OID._float4, 'a'],
    [OID._int4, OID.halfvec, 'a'],
    [OID._float4, OID.halfvec, 'a'],
    [OID._float8, OID.halfvec, 'a'],
    [OID._numeric, OID.halfvec, 'a'],
    [OID.sparsevec, OID.vector, 'a'],
    [OID.vector, OID.sparsevec, 'i'],
    [OID.sparsevec, OID.halfvec, 'a'],
    [OID.halfvec, OID.sparsevec, 'i'],
    [OID._int2, OID.vector, undefined],
    [OID._float4, OID.sparsevec, undefined],
    [OID.sparsevec, OID._float4, undefined],
    [OID.vector, OID.text, 'a'],
    [OID.text, OID.vector, 'e'],
    [OID.unknown, OID.sparsevec, 'i'],
    [OID._vector, OID._halfvec, 'i'],
  ];
  for (const [f, t, c] of cases) it(`${f} → ${t}`, () => expect(castContext(f, t)).toBe(c));
});

describe('array → vector / halfvec', () => {
  it('converts integer, real, double precision and numeric arrays', () => {
    expect(textOut(T(OID.vector), castDatum(arr(OID.int4, [1, 2, 3]), T(OID._int4), T(OID.vector), true))).toBe('[1,2,3]');
    expect(textOut(T(OID.vector), castDatum(arr(OID.numeric, [Numeric.parse('1.0'), Numeric.parse('2.0')]), T(OID._numeric), T(OID.vector), true))).toBe('[1,2]');
    expect(cast('{1,2,3}', T(OID._float4), T(OID.vector))).toBe('[1,2,3]');
    expect(cast('{1,2,3}', T(OID._float4), T(OID.vector, 3))).toBe('[1,2,3]');
    expect(cast('{1,2,3}', T(OID._float8), T(OID.vector))).toBe('[1,2,3]');
    expect(cast('{1e-46,-1e-46}', T(OID._float8), T(OID.vector))).toBe('[0,-0]');
    expect(cast('{1,2,3}', T(OID._float4), T(OID.halfvec))).toBe('[1,2,3]');
    expect(cast('{1e-8,-1e-8}', T(OID._float4), T(OID.halfvec))).toBe('[0,-0]');
    expect(textOut(T(OID.vector), castDatum(arr(OID.int4, [16777217]), T(OID._int4), T(OID.vector), true))).toBe('[1.6777216e+07]');
  });

  const errors: [string, number, SqlType, string, string][] = [
    ['{1,2,3}', OID._float4, T(OID.vector, 2), '22000', 'expected 2 dimensions, not 3'],
    ['{NULL}', OID._float4, T(OID.vector), '22004', 'array must not contain nulls'],
    ['{NaN}', OID._float4, T(OID.vector), '22000', 'NaN not allowed in vector'],
    ['{Infinity}', OID._float4, T(OID.vector), '22000', 'infinite value not allowed in vector'],
    ['{-Infinity}', OID._float4, T(OID.vector), '22000', 'infinite value not allowed in vector'],
    ['{}', OID._float4, T(OID.vector), '22000', 'vector must have at least 1 dimension'],
    ['{{1}}', OID._float4, T(OID.vector), '22000', 'array must be 1-D'],
    ['{1,2,3}', OID._float8, T(OID.vector, 2), '22000', 'expected 2 dimensions, not 3'],
    ['{4e38,-4e38}', OID._float8, T(OID.vector), '22000', 'infinite value not allowed in vector'],
    ['{1,2,3}', OID._float4, T(OID.halfvec, 2), '22000', 'expected 2 dimensions, not 3'],
    ['{65520,-65520}', OID._float4, T(OID.halfvec), '22003', '"65520" is out of range for type halfvec'],
    ['{NaN}', OID._float4, T(OID.halfvec), '22000', 'NaN not allowed in halfvec'],
    ['{NULL,1}', OID._int4, T(OID.halfvec), '22004', 'array must not contain nulls'],
    ['{NaN}', OID._numeric, T(OID.vector), '22000', 'NaN not allowed in vector'],
    ['{Infinity}', OID._numeric, T(OID.vector), '22000', 'infinite value not allowed in vector'],
    ['{1e39}', OID._numeric, T(OID.vector), '22003', '"1000000000000000000000000000000000000000" is out of range for type real'],
  ];
  for (const [text, from, to, code, message] of errors) {
    it(`'${text}'::${from}::${to.oid}(${to.typmod}) fails`, () => expect(errorOf(() => cast(text, T(from), to))).toEqual({ code, message }));
  }

  it('limits dimensions', () => {
    const a = arr(OID.int4, Array.from({ length: 16001 }, (_, i) => i));
    expect(errorOf(() => castDatum(a, T(OID._int4), T(OID.vector), true))).toEqual({ code: '54000', message: 'vector cannot have more than 16000 dimensions' });
  });
});

describe('between vector types', () => {
  it('converts vector ↔ halfvec', () => {
    expect(cast('[1,2,3]', T(OID.vector), T(OID.halfvec))).toBe('[1,2,3]');
    expect(cast('[1,2,3]', T(OID.vector), T(OID.halfvec, 3))).toBe('[1,2,3]');
    expect(cast('[1e-8]', T(OID.vector), T(OID.halfvec))).toBe('[0]');
    expect(cast('[1.23456]', T(OID.vector), T(OID.halfvec))).toBe('[1.234375]');
    expect(cast('[1,2,3]', T(OID.halfvec), T(OID.vector))).toBe('[1,2,3]');
    expect(cast('[1,2,3]', T(OID.halfvec), T(OID.vector, 3))).toBe('[1,2,3]');
    expect(errorOf(() => cast('[1,2,3]', T(OID.vector), T(OID.halfvec, 2)))).toEqual({ code: '22000', message: 'expected 2 dimensions, not 3' });
    expect(errorOf(() => cast('[65520]', T(OID.vector), T(OID.halfvec)))).toEqual({ code: '22003', message: '"65520" is out of range for type halfvec' });
    expect(errorOf(() => cast('[1,2,3]', T(OID.halfvec), T(OID.vector, 2)))).toEqual({ code: '22000', message: 'expected 2 dimensions, not 3' });
  });

  it('converts vector/halfvec ↔ sparsevec', () => {
    expect(cast('[0,1.5,0,3.5,0]', T(OID.vector), T(OID.sparsevec))).toBe('{2:1.5,4:3.5}/5');
    expect(cast('[0,1.5,0,3.5,0]', T(OID.vector), T(OID.sparsevec, 5))).toBe('{2:1.5,4:3.5}/5');
    expect(cast('[0,-0,1]', T(OID.vector), T(OID.sparsevec))).toBe('{3:1}/3');
    expect(cast('{2:1.5,4:3.5}/5', T(OID.sparsevec), T(OID.vector))).toBe('[0,1.5,0,3.5,0]');
    expect(cast('{2:1.5,4:3.5}/5', T(OID.sparsevec), T(OID.vector, 5))).toBe('[0,1.5,0,3.5,0]');
    expect(cast('[0,1.5,0,3.5,0]', T(OID.halfvec), T(OID.sparsevec))).toBe('{2:1.5,4:3.5}/5');
    expect(cast('{2:1.5,4:3.5}/5', T(OID.sparsevec), T(OID.halfvec))).toBe('[0,1.5,0,3.5,0]');
    expect(cast('{1:1e-8}/1', T(OID.sparsevec), T(OID.halfvec))).toBe('[0]');
    expect(errorOf(() => cast('[0,1.5,0,3.5,0]', T(OID.vector), T(OID.sparsevec, 4)))).toEqual({ code: '22000', message: 'expected 4 dimensions, not 5' });
    expect(errorOf(() => cast('{2:1.5,4:3.5}/5', T(OID.sparsevec), T(OID.vector, 4)))).toEqual({ code: '22000', message: 'expected 4 dimensions, not 5' });
    expect(errorOf(() => cast('{}/16001', T(OID.sparsevec), T(OID.vector)))).toEqual({ code: '54000', message: 'vector cannot have more than 16000 dimensions' });
    expect(errorOf(() => cast('{}/16001', T(OID.sparsevec), T(OID.halfvec)))).toEqual({ code: '54000', message: 'halfvec cannot have more than 16000 dimensions' });
    expect(errorOf(() => cast('{1:65520}/1', T(OID.sparsevec), T(OID.halfvec)))).toEqual({ code: '22003', message: '"65520" is out of range for type halfvec' });
    expect(errorOf(() => cast('[0,1.5,0,3.5,0]', T(OID.halfvec), T(OID.sparsevec, 4)))).toEqual({ code: '22000', message: 'expected 4 dimensions, not 5' });
  });

  it('converts vector / halfvec to real[]', () => {
    expect(cast('[1,2,3]', T(OID.vector), T(OID._float4))).toBe('{1,2,3}');
    expect(cast('[1.5,-0.25]', T(OID.halfvec), T(OID._float4))).toBe('{1.5,-0.25}');
    const a = castDatum(textIn(T(OID.vector), '[1,2]'), T(OID.vector), T(OID._float4), true) as SqlArray;
    expect(a).toMatchObject({ elemOid: OID.float4, dims: [2], lbounds: [1], items: [1, 2] });
  });

  it('casts element-wise between vector arrays', () => {
    expect(cast('{"[1,2]","[0,3]"}', T(OID._vector), T(OID._sparsevec))).toBe('{"{1:1,2:2}/2","{2:3}/2"}');
  });

  it('goes through text in both directions', () => {
    expect(castDatum(textIn(T(OID.vector), '[1,2]'), T(OID.vector), T(OID.text), false)).toBe('[1,2]');
    expect(cast('[1,2]', T(OID.text), T(OID.vector, 2))).toBe('[1,2]');
    expect(errorOf(() => cast('[1,2]', T(OID.text), T(OID.vector, 3)))).toEqual({ code: '22000', message: 'expected 3 dimensions, not 2' });
  });
});

describe('typmod coercion (vector(n), halfvec(n), sparsevec(n))', () => {
  it('checks dimensions in every context', () => {
    const v = textIn(T(OID.vector), '[1,2,3]');
    expect(coerceTypmod(v, T(OID.vector, 3))).toBe(v);
    for (const explicit of [false, true]) {
      expect(errorOf(() => coerceTypmod(v, T(OID.vector, 2), explicit))).toEqual({ code: '22000', message: 'expected 2 dimensions, not 3' });
      expect(errorOf(() => castDatum(v, T(OID.vector), T(OID.vector, 4), explicit))).toEqual({ code: '22000', message: 'expected 4 dimensions, not 3' });
    }
    expect(errorOf(() => coerceTypmod(textIn(T(OID.halfvec), '[1]'), T(OID.halfvec, 2)))).toEqual({ code: '22000', message: 'expected 2 dimensions, not 1' });
    expect(errorOf(() => coerceTypmod(textIn(T(OID.sparsevec), '{}/3'), T(OID.sparsevec, 2)))).toEqual({ code: '22000', message: 'expected 2 dimensions, not 3' });
    expect(errorOf(() => coerceTypmod(textIn(T(OID._vector), '{"[1,2,3]"}'), T(OID._vector, 2)))).toEqual({ code: '22000', message: 'expected 2 dimensions, not 3' });
  });
});
