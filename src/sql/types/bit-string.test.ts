// bit(n) / bit varying(n) against PostgreSQL 15 (every expected value below was taken from a live
// server): input forms, errors, format_type, send format, length coercion, integer casts, order.
import { describe, expect, it } from 'vitest';
import { SqlError } from '../../base/index.js';
import {
  OID, textIn, textOut, binaryIn, binaryOut, castDatum, castContext, coerceTypmod, compareDatums, datumsEqual, hashDatum,
  formatType, resolveTypeName, typeInfo, type SqlType, type Datum,
} from './index.js';

const T = (oid: number, typmod = -1): SqlType => ({ oid, typmod });
const bit = (s: string): Datum => textIn(T(OID.varbit), s);

function errorOf(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (e) {
    if (!(e instanceof SqlError)) throw e;
    return { code: e.code, message: e.message };
  }
  throw new Error('expected an error');
}

describe('bit input and output', () => {
  const ok: [number, number, string, string][] = [
    [OID.bit, 8, 'x1F', '00011111'],
    [OID.varbit, -1, 'X1f', '00011111'],
    [OID.varbit, -1, 'b101', '101'],
    [OID.varbit, -1, 'B101', '101'],
    [OID.varbit, -1, '', ''],
    [OID.varbit, -1, 'x', ''],
    [OID.varbit, -1, 'b', ''],
    [OID.varbit, 3, '101', '101'],
    [OID.varbit, 5, '101', '101'],
    [OID.bit, -1, '0101', '0101'],
    [OID.varbit, -1, 'x1234567890abcdef', '0001001000110100010101100111100010010000101010111100110111101111'],
  ];
  for (const [oid, typmod, input, output] of ok) {
    it(`'${input}'::${formatType(oid, typmod)}`, () => expect(textOut(T(oid, typmod), textIn(T(oid, typmod), input))).toBe(output));
  }

  const errors: [number, number, string, string, string][] = [
    [OID.varbit, -1, '102', '22P02', '"2" is not a valid binary digit'],
    [OID.varbit, -1, 'x1G', '22P02', '"G" is not a valid hexadecimal digit'],
    [OID.varbit, -1, ' 101', '22P02', '" " is not a valid binary digit'],
    [OID.varbit, -1, '1 01', '22P02', '" " is not a valid binary digit'],
    [OID.varbit, -1, 'é', '22P02', '"é" is not a valid binary digit'],
    [OID.bit, 4, '101', '22026', 'bit string length 3 does not match type bit(4)'],
    [OID.bit, 1, 'é', '22026', 'bit string length 2 does not match type bit(1)'],
    [OID.bit, 4, 'x1F', '22026', 'bit string length 8 does not match type bit(4)'],
    [OID.varbit, 3, '10101', '22001', 'bit string too long for type bit varying(3)'],
  ];
  for (const [oid, typmod, input, code, message] of errors) {
    it(`'${input}'::${formatType(oid, typmod)} fails`, () => expect(errorOf(() => textIn(T(oid, typmod), input))).toEqual({ code, message }));
  }

  it('reads and prints arrays of bit strings', () => {
    expect(textOut(T(OID._varbit), textIn(T(OID._varbit), '{101,11}'))).toBe('{101,11}');
    expect(errorOf(() => textIn(T(OID._bit, 3), '{101,11}'))).toEqual({ code: '22026', message: 'bit string length 2 does not match type bit(3)' });
  });
});

describe('bit type names', () => {
  it('describes bit and varbit as pg_type does', () => {
    expect(typeInfo(OID.bit)).toMatchObject({ name: 'bit', len: -1, byval: false, category: 'V', preferred: false, arrayOid: 1561, namespace: 'pg_catalog' });
    expect(typeInfo(OID.varbit)).toMatchObject({ name: 'varbit', len: -1, category: 'V', preferred: true, arrayOid: 1563 });
    expect(typeInfo(OID._bit)).toMatchObject({ name: '_bit', category: 'A', elemOid: 1560 });
    expect(typeInfo(OID._varbit)).toMatchObject({ name: '_varbit', category: 'A', elemOid: 1562 });
  });

  it('formats as format_type does', () => {
    expect(formatType(OID.bit, -1)).toBe('"bit"');
    expect(formatType(OID.bit, null)).toBe('bit');
    expect(formatType(OID.bit, 5)).toBe('bit(5)');
    expect(formatType(OID.varbit, -1)).toBe('bit varying');
    expect(formatType(OID.varbit, null)).toBe('bit varying');
    expect(formatType(OID.varbit, 5)).toBe('bit varying(5)');
    expect(formatType(OID._bit, 5)).toBe('bit(5)[]');
    expect(formatType(OID._varbit, 3)).toBe('bit varying(3)[]');
    // regtype output is format_type without a typmod
    expect(textOut(T(OID.regtype), OID.bit)).toBe('bit');
    expect(textOut(T(OID.regtype), OID.bpchar)).toBe('character');
    expect(textOut(T(OID.regtype), OID.varbit)).toBe('bit varying');
  });

  it('resolves names and typmods (the grammar gives bare BIT a typmod of 1)', () => {
    expect(resolveTypeName(['pg_catalog', 'bit'], [1], 0)).toEqual({ oid: OID.bit, typmod: 1 });
    expect(resolveTypeName(['bit'], [], 0)).toEqual({ oid: OID.bit, typmod: -1 });
    expect(resolveTypeName(['pg_catalog', 'varbit'], [4], 1)).toEqual({ oid: OID._varbit, typmod: 4 });
    expect(errorOf(() => resolveTypeName(['pg_catalog', 'bit'], [0], 0))).toEqual({ code: '22023', message: 'length for type bit must be at least 1' });
    expect(errorOf(() => resolveTypeName(['pg_catalog', 'bit'], [83886081], 0))).toEqual({ code: '22023', message: 'length for type bit cannot exceed 83886080' });
    expect(errorOf(() => resolveTypeName(['varbit'], [83886081], 0))).toEqual({ code: '22023', message: 'length for type varbit cannot exceed 83886080' });
    expect(errorOf(() => resolveTypeName(['varbit'], [1, 2], 0))).toEqual({ code: '22023', message: 'invalid type modifier' });
  });
});

describe('bit binary format', () => {
  const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
  it('sends int32 bit length then bytes (bit_send / varbit_send)', () => {
    expect(hex(binaryOut(T(OID.bit), bit('10110')))).toBe('00000005b0');
    expect(hex(binaryOut(T(OID.varbit), bit('101000001')))).toBe('00000009a080');
    expect(hex(binaryOut(T(OID.varbit), bit('')))).toBe('00000000');
  });

  it('receives, clearing padding bits and checking the typmod', () => {
    const b = binaryIn(T(OID.varbit), Uint8Array.from([0, 0, 0, 3, 0xff]));
    expect(textOut(T(OID.varbit), b)).toBe('111');
    expect(compareDatums(OID.varbit, b, bit('111'))).toBe(0);
    expect(hashDatum(OID.varbit, b)).toBe(hashDatum(OID.varbit, bit('111')));
    expect(errorOf(() => binaryIn(T(OID.bit, 4), Uint8Array.from([0, 0, 0, 3, 0xe0])))).toEqual({ code: '22026', message: 'bit string length 3 does not match type bit(4)' });
    expect(errorOf(() => binaryIn(T(OID.varbit, 2), Uint8Array.from([0, 0, 0, 3, 0xe0])))).toEqual({ code: '22001', message: 'bit string too long for type bit varying(2)' });
    expect(errorOf(() => binaryIn(T(OID.varbit), Uint8Array.from([0xff, 0, 0, 3])))).toEqual({ code: '22P03', message: 'invalid length in external bit string' });
  });
});

describe('bit casts', () => {
  const cast = (d: Datum, from: SqlType, to: SqlType, explicit = true): string => textOut(to, castDatum(d, from, to, explicit));

  it('has pg_cast contexts', () => {
    expect(castContext(OID.bit, OID.varbit)).toBe('i');
    expect(castContext(OID.varbit, OID.bit)).toBe('i');
    expect(castContext(OID.int4, OID.bit)).toBe('e');
    expect(castContext(OID.int8, OID.bit)).toBe('e');
    expect(castContext(OID.bit, OID.int4)).toBe('e');
    expect(castContext(OID.bit, OID.int8)).toBe('e');
    expect(castContext(OID.int4, OID.varbit)).toBeUndefined();
    expect(castContext(OID.varbit, OID.int4)).toBeUndefined();
    expect(castContext(OID.bit, OID.text)).toBe('a');
    expect(castContext(OID.text, OID.varbit)).toBe('e');
  });

  it('coerces lengths: explicit pads/truncates bit(n), truncates varbit(n); assignment errors', () => {
    expect(cast(bit('101'), T(OID.bit), T(OID.bit, 4))).toBe('1010');
    expect(cast(bit('10101'), T(OID.bit), T(OID.bit, 3))).toBe('101');
    expect(cast(bit('101'), T(OID.bit), T(OID.varbit, 2))).toBe('10');
    expect(cast(bit('101'), T(OID.bit), T(OID.varbit, 5))).toBe('101');
    expect(cast(bit('00011111'), T(OID.bit), T(OID.bit, 4))).toBe('0001');
    expect(cast(bit('101'), T(OID.varbit), T(OID.bit, 2))).toBe('10');
    expect(cast(bit('101'), T(OID.varbit), T(OID.bit, 1))).toBe('1');
    expect(errorOf(() => castDatum(bit('101'), T(OID.bit), T(OID.bit, 4), false))).toEqual({ code: '22026', message: 'bit string length 3 does not match type bit(4)' });
    expect(errorOf(() => castDatum(bit('1011'), T(OID.varbit), T(OID.varbit, 3), false))).toEqual({ code: '22001', message: 'bit string too long for type bit varying(3)' });
    expect(errorOf(() => coerceTypmod(bit('10110'), T(OID.bit, 4)))).toEqual({ code: '22026', message: 'bit string length 5 does not match type bit(4)' });
    expect(textOut(T(OID.bit), coerceTypmod(bit('10110'), T(OID.bit, 4), true))).toBe('1011');
  });

  it('converts integers as bitfromint4/bitfromint8 (low bits of the two\'s complement)', () => {
    expect(cast(5, T(OID.int4), T(OID.bit, 8))).toBe('00000101');
    expect(cast(-1, T(OID.int4), T(OID.bit, 4))).toBe('1111');
    expect(cast(5, T(OID.int4), T(OID.bit, 40))).toBe('0000000000000000000000000000000000000101');
    expect(cast(300n, T(OID.int8), T(OID.bit, 70))).toBe('0000000000000000000000000000000000000000000000000000000000000100101100');
    expect(cast(-2n, T(OID.int8), T(OID.bit, 3))).toBe('110');
    expect(cast(5, T(OID.int4), T(OID.bit, -1))).toBe('1');
    expect(cast(-5, T(OID.int4), T(OID.bit, 12))).toBe('111111111011');
    expect(cast(2147483647, T(OID.int4), T(OID.bit, 31))).toBe('1111111111111111111111111111111');
    expect(cast(-2147483648, T(OID.int4), T(OID.bit, 32))).toBe('10000000000000000000000000000000');
    expect(cast(-1n, T(OID.int8), T(OID.bit, 70))).toBe('1'.repeat(70));
    expect(cast(12345678901n, T(OID.int8), T(OID.bit, 36))).toBe('001011011111110111000001110000110101');
  });

  it('converts to integers as bittoint4/bittoint8', () => {
    expect(castDatum(bit('1011'), T(OID.bit), T(OID.int4), true)).toBe(11);
    expect(castDatum(bit('1'), T(OID.bit), T(OID.int8), true)).toBe(1n);
    expect(castDatum(bit('1111'), T(OID.bit), T(OID.int8), true)).toBe(15n);
    expect(castDatum(bit('1'.repeat(32)), T(OID.bit), T(OID.int4), true)).toBe(-1);
    expect(castDatum(bit('1' + '0'.repeat(30)), T(OID.bit), T(OID.int4), true)).toBe(1073741824);
    expect(castDatum(bit('1' + '0'.repeat(31)), T(OID.bit), T(OID.int4), true)).toBe(-2147483648);
    expect(castDatum(bit('1' + '0'.repeat(62)), T(OID.bit), T(OID.int8), true)).toBe(4611686018427387904n);
    expect(castDatum(castDatum(bit('1'), T(OID.bit), T(OID.bit, 40), true), T(OID.bit, 40), T(OID.int8), true)).toBe(549755813888n);
    expect(errorOf(() => castDatum(bit('0'.repeat(33)), T(OID.bit), T(OID.int4), true))).toEqual({ code: '22003', message: 'integer out of range' });
    expect(errorOf(() => castDatum(bit('1'.repeat(65)), T(OID.bit), T(OID.int8), true))).toEqual({ code: '22003', message: 'bigint out of range' });
  });

  it('converts through text with the typmod applied afterwards (CoerceViaIO)', () => {
    expect(cast('101', T(OID.text), T(OID.bit, 3))).toBe('101');
    expect(cast('x1F', T(OID.text), T(OID.bit, 4))).toBe('0001');
    expect(castDatum(bit('101'), T(OID.bit), T(OID.text), false)).toBe('101');
  });
});

describe('bit ordering (bitcmp)', () => {
  const cmp = (a: string, b: string): number => Math.sign(compareDatums(OID.varbit, bit(a), bit(b)));
  it('matches PostgreSQL', () => {
    expect(cmp('10', '100')).toBe(-1);
    expect(cmp('1', '01')).toBe(1);
    expect(cmp('1', '10')).toBe(-1);
    expect(cmp('0111', '1')).toBe(-1);
    expect(cmp('1000', '100')).toBe(1);
    expect(cmp('11111111', '111111110')).toBe(-1);
    expect(cmp('10000000', '1000000000000000')).toBe(-1);
    expect(cmp('0000000010', '00000000')).toBe(1);
    expect(cmp('101', '101')).toBe(0);
    expect(datumsEqual(OID.bit, bit('10'), bit('100'))).toBe(false);
    expect(datumsEqual(OID.bit, bit('101'), bit('101'))).toBe(true);
  });
});
