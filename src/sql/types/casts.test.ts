// Casts and typmod coercion against PostgreSQL 15 behaviour (values and errors recorded from a
// live server), and castContext against pg_cast.
import { describe, expect, it } from 'vitest';
import { OID, Numeric, castDatum, castContext, coerceTypmod, textIn, textOut, type Datum, type SqlType } from './index.js';

const T = (oid: number, typmod = -1): SqlType => ({ oid, typmod });
const cast = (d: Datum, from: SqlType, to: SqlType, explicit = true): Datum => castDatum(d, from, to, explicit);
const castText = (input: string, from: SqlType, to: SqlType, explicit = true): string =>
  textOut(to, cast(textIn(from, input), from, to, explicit) as Datum);

describe('castContext mirrors pg_cast', () => {
  const cases: [number, number, string | undefined][] = [
    [OID.int4, OID.int8, 'i'], [OID.int8, OID.int4, 'a'], [OID.int4, OID.int2, 'a'], [OID.int2, OID.int4, 'i'],
    [OID.int4, OID.numeric, 'i'], [OID.numeric, OID.int4, 'a'], [OID.numeric, OID.float8, 'i'], [OID.float8, OID.numeric, 'a'],
    [OID.float4, OID.float8, 'i'], [OID.float8, OID.float4, 'a'], [OID.int8, OID.float4, 'i'], [OID.float8, OID.int8, 'a'],
    [OID.bool, OID.int4, 'e'], [OID.int4, OID.bool, 'e'], [OID.bool, OID.text, 'a'],
    [OID.varchar, OID.text, 'i'], [OID.text, OID.varchar, 'i'], [OID.bpchar, OID.text, 'i'], [OID.text, OID.bpchar, 'i'],
    [OID.date, OID.timestamp, 'i'], [OID.date, OID.timestamptz, 'i'], [OID.timestamp, OID.timestamptz, 'i'],
    [OID.timestamptz, OID.timestamp, 'a'], [OID.timestamptz, OID.date, 'a'], [OID.time, OID.interval, 'i'], [OID.interval, OID.time, 'a'],
    [OID.json, OID.jsonb, 'a'], [OID.jsonb, OID.json, 'a'], [OID.jsonb, OID.int4, 'e'],
    [OID.int4, OID.text, 'a'], [OID.date, OID.varchar, 'a'], [OID.uuid, OID.text, 'a'],
    [OID.text, OID.int4, 'e'], [OID.text, OID.date, 'e'], [OID.varchar, OID.uuid, 'e'],
    [OID._int4, OID._int8, 'i'], [OID._int8, OID._int4, 'a'], [OID._int4, OID._text, 'a'], [OID._text, OID._int4, 'e'],
    [OID.unknown, OID.int4, 'i'], [OID.int4, OID.int4, 'i'],
    [OID.int4, OID.date, undefined], [OID.date, OID.int4, undefined], [OID.bool, OID.numeric, undefined], [OID.uuid, OID.bytea, undefined],
  ];
  for (const [f, t, c] of cases) it(`${f} → ${t}`, () => expect(castContext(f, t)).toBe(c));
});

describe('castDatum', () => {
  it('numeric conversions round like PostgreSQL', () => {
    expect(cast(2.5, T(OID.float8), T(OID.int4))).toBe(2);
    expect(cast(3.5, T(OID.float8), T(OID.int4))).toBe(4);
    expect(cast(-2.5, T(OID.float8), T(OID.int4))).toBe(-2);
    expect(cast(-32768.5, T(OID.float8), T(OID.int2))).toBe(-32768);
    expect(cast(Math.fround(1.5), T(OID.float4), T(OID.int2))).toBe(2);
    expect(cast(Numeric.parse('2.5'), T(OID.numeric), T(OID.int4))).toBe(3);
    expect(cast(Numeric.parse('-2.5'), T(OID.numeric), T(OID.int8))).toBe(-3n);
    expect(cast(5, T(OID.int4), T(OID.int8))).toBe(5n);
    expect(textOut(T(OID.float4), cast(Numeric.parse('1.5'), T(OID.numeric), T(OID.float4)))).toBe('1.5');
  });
  it('numeric range errors', () => {
    const e = (f: () => unknown, code: string, message: string) => expect(f).toThrow(expect.objectContaining({ code, message }));
    e(() => cast(Numeric.NaN, T(OID.numeric), T(OID.int4)), '0A000', 'cannot convert NaN to integer');
    e(() => cast(Numeric.POS_INF, T(OID.numeric), T(OID.int8)), '0A000', 'cannot convert infinity to bigint');
    e(() => cast(1e10, T(OID.float8), T(OID.int4)), '22003', 'integer out of range');
    e(() => cast(NaN, T(OID.float8), T(OID.int4)), '22003', 'integer out of range');
    e(() => cast(1e300, T(OID.float8), T(OID.float4)), '22003', 'value out of range: overflow');
    e(() => cast(1e-300, T(OID.float8), T(OID.float4)), '22003', 'value out of range: underflow');
    e(() => cast(3000000000n, T(OID.int8), T(OID.int4)), '22003', 'integer out of range');
    e(() => cast(70000, T(OID.int4), T(OID.int2)), '22003', 'smallint out of range');
    e(() => cast(4294967296n, T(OID.int8), T(OID.oid)), '22003', 'OID out of range');
    e(() => cast(300, T(OID.int4), T(OID.char)), '22003', '"char" out of range');
  });
  it('I/O conversion casts', () => {
    expect(cast(true, T(OID.bool), T(OID.text))).toBe('true');
    expect(cast(1.5, T(OID.float8), T(OID.text))).toBe('1.5');
    expect(cast(1e20, T(OID.float8), T(OID.varchar))).toBe('1e+20');
    expect(castText('{1,2}', T(OID._int4), T(OID.text))).toBe('{1,2}');
    expect(castText('x', T(OID.bytea), T(OID.text))).toBe('\\x78');
    expect(castText('1.5', T(OID.text), T(OID.numeric, (3 << 16) + 4))).toBe('2');
    expect(cast('true', T(OID.text), T(OID.bool))).toBe(true);
    expect(() => cast('a', T(OID.text), T(OID.int4))).toThrow(expect.objectContaining({ code: '22P02', message: 'invalid input syntax for type integer: "a"' }));
    expect(cast(1, T(OID.int4), T(OID.bool))).toBe(true);
    expect(cast(true, T(OID.bool), T(OID.int4))).toBe(1);
  });
  it('string types: bpchar → text strips trailing spaces, varchar(n) truncates on explicit cast', () => {
    expect(castText('abc', T(OID.bpchar, 9), T(OID.text))).toBe('abc');
    expect(castText('ab', T(OID.bpchar, 8), T(OID.varchar))).toBe('ab');
    expect(cast('abc', T(OID.text), T(OID.varchar, 6), true)).toBe('ab');
    expect(cast('abcd', T(OID.varchar, 7), T(OID.bpchar, 6), true)).toBe('ab');
    expect(() => cast('abc', T(OID.text), T(OID.varchar, 6), false)).toThrow(expect.objectContaining({ code: '22001', message: 'value too long for type character varying(2)' }));
    expect(() => cast('abc', T(OID.text), T(OID.bpchar, 6), false)).toThrow(expect.objectContaining({ code: '22001', message: 'value too long for type character(2)' }));
    expect(cast('ab   ', T(OID.text), T(OID.varchar, 7), false)).toBe('ab ');
    expect(cast('a', T(OID.text), T(OID.bpchar, 7), false)).toBe('a  ');
  });
  it('date/time casts', () => {
    expect(castText('2024-01-01 10:00', T(OID.timestamp), T(OID.time))).toBe('10:00:00');
    expect(castText('10:00', T(OID.time), T(OID.interval))).toBe('10:00:00');
    expect(castText('1 day 25:00', T(OID.interval), T(OID.time))).toBe('01:00:00');
    expect(castText('2024-01-01 10:00:00.123456', T(OID.timestamp), T(OID.timestamp, 2))).toBe('2024-01-01 10:00:00.12');
  });
  it('json ↔ jsonb, jsonb → scalar', () => {
    expect(cast('{"b":1,"a":2}', T(OID.json), T(OID.jsonb))).toBe('{"a": 2, "b": 1}');
    expect(cast('1.5', T(OID.jsonb), T(OID.int4))).toBe(2);
    expect(() => cast('"a"', T(OID.jsonb), T(OID.int4))).toThrow(expect.objectContaining({ code: '22023', message: 'cannot cast jsonb string to type integer' }));
  });
  it('arrays element-wise', () => {
    expect(castText('{1.5,2.5}', T(OID._float8), T(OID._int4))).toBe('{2,2}');
    expect(() => castText('{1,2,300000}', T(OID._int8), T(OID._int2))).toThrow(expect.objectContaining({ code: '22003', message: 'smallint out of range' }));
    expect(castText('{abc,de}', T(OID._text), T(OID._varchar, 6))).toBe('{ab,de}');
  });
  it('coerceTypmod on timestamps and intervals', () => {
    expect(textOut(T(OID.timestamp), coerceTypmod(textIn(T(OID.timestamp), '2024-01-02 03:04:05.55'), T(OID.timestamp, 1)))).toBe('2024-01-02 03:04:05.6');
    expect(textOut(T(OID.interval), coerceTypmod(textIn(T(OID.interval), '1 year 2 mons 3 days 04:05:06'), T(OID.interval, (6 << 16) | 0xffff)))).toBe('1 year 2 mons');
  });
});
