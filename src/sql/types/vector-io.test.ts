// Text and binary I/O of pgvector's vector, halfvec and sparsevec: the input/output pairs and the
// errors (message, SQLSTATE, DETAIL) of pgvector 0.8's test/expected/*.out, type names and typmods.
import { describe, expect, it } from 'vitest';
import { SqlError } from '../../base/index.js';
import {
  OID, textIn, textOut, binaryIn, binaryOut, formatType, resolveTypeName, typeInfo, typeInfoByName,
  type Datum, type SqlType, type SparseVec,
} from './index.js';

const T = (oid: number, typmod = -1): SqlType => ({ oid, typmod });

function roundTrip(oid: number, text: string, typmod = -1): string {
  return textOut(T(oid, typmod), textIn(T(oid, typmod), text));
}

function errorOf(f: () => unknown): { code: string; message: string; detail?: string | undefined } {
  try {
    f();
  } catch (e) {
    if (!(e instanceof SqlError)) throw e;
    return e.detail !== undefined ? { code: e.code, message: e.message, detail: e.detail } : { code: e.code, message: e.message };
  }
  throw new Error('expected an error');
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));

describe('vector text I/O (pgvector vector_type.out)', () => {
  const ok: [string, string][] = [
    ['[1,2,3]', '[1,2,3]'],
    ['[-1,-2,-3]', '[-1,-2,-3]'],
    ['[1.,2.,3.]', '[1,2,3]'],
    [' [ 1,  2 ,    3  ] ', '[1,2,3]'],
    ['[1.23456]', '[1.23456]'],
    ['[1.5e38,-1.5e38]', '[1.5e+38,-1.5e+38]'],
    ['[1.5e+38,-1.5e+38]', '[1.5e+38,-1.5e+38]'],
    ['[1.5e-38,-1.5e-38]', '[1.5e-38,-1.5e-38]'],
    ['[1e-46,1]', '[0,1]'],
    ['[-1e-46,1]', '[-0,1]'],
    ['[1.5,-0.25]', '[1.5,-0.25]'],
    ['[0.1,0.2,0.3]', '[0.1,0.2,0.3]'],
    ['[3.4028235e38]', '[3.4028235e+38]'],
    ['[0x10,.5,5.,1e1]', '[16,0.5,5,10]'],
  ];
  for (const [input, output] of ok) it(`'${input}'`, () => expect(roundTrip(OID.vector, input)).toBe(output));

  const errors: [string, string, string, string?][] = [
    ['[hello,1]', '22P02', 'invalid input syntax for type vector: "[hello,1]"'],
    ['[NaN,1]', '22000', 'NaN not allowed in vector'],
    ['[Infinity,1]', '22000', 'infinite value not allowed in vector'],
    ['[-Infinity,1]', '22000', 'infinite value not allowed in vector'],
    ['[4e38,1]', '22003', '"4e38" is out of range for type vector'],
    ['[-4e38,1]', '22003', '"-4e38" is out of range for type vector'],
    ['[1,2,3', '22P02', 'invalid input syntax for type vector: "[1,2,3"'],
    ['[1,2,3]9', '22P02', 'invalid input syntax for type vector: "[1,2,3]9"', 'Junk after closing right brace.'],
    ['1,2,3', '22P02', 'invalid input syntax for type vector: "1,2,3"', 'Vector contents must start with "[".'],
    ['', '22P02', 'invalid input syntax for type vector: ""', 'Vector contents must start with "[".'],
    ['[', '22P02', 'invalid input syntax for type vector: "["'],
    ['[ ', '22P02', 'invalid input syntax for type vector: "[ "'],
    ['[,', '22P02', 'invalid input syntax for type vector: "[,"'],
    ['[]', '22000', 'vector must have at least 1 dimension'],
    ['[ ]', '22000', 'vector must have at least 1 dimension'],
    ['[,]', '22P02', 'invalid input syntax for type vector: "[,]"'],
    ['[1,]', '22P02', 'invalid input syntax for type vector: "[1,]"'],
    ['[1a]', '22P02', 'invalid input syntax for type vector: "[1a]"'],
    ['[1,,3]', '22P02', 'invalid input syntax for type vector: "[1,,3]"'],
    ['[1, ,3]', '22P02', 'invalid input syntax for type vector: "[1, ,3]"'],
  ];
  for (const [input, code, message, detail] of errors) {
    it(`'${input}' fails`, () => {
      expect(errorOf(() => textIn(T(OID.vector), input))).toEqual(detail !== undefined ? { code, message, detail } : { code, message });
    });
  }

  it('checks the typmod and the dimension limit', () => {
    expect(roundTrip(OID.vector, '[1,2,3]', 3)).toBe('[1,2,3]');
    expect(errorOf(() => textIn(T(OID.vector, 2), '[1,2,3]'))).toEqual({ code: '22000', message: 'expected 2 dimensions, not 3' });
    const big = `[${new Array(16001).fill('0').join(',')}]`;
    expect(errorOf(() => textIn(T(OID.vector), big))).toEqual({ code: '54000', message: 'vector cannot have more than 16000 dimensions' });
    expect((textIn(T(OID.vector), `[${new Array(16000).fill('1').join(',')}]`) as Float32Array).length).toBe(16000);
  });

  it('reads and prints vector arrays', () => {
    expect(roundTrip(OID._vector, '{"[1,2,3]", "[4,5,6]"}')).toBe('{"[1,2,3]","[4,5,6]"}');
    expect(errorOf(() => textIn(T(OID._vector, 2), '{"[1,2,3]"}'))).toEqual({ code: '22000', message: 'expected 2 dimensions, not 3' });
  });

  it('rounds decimal input to the nearest float4 once (no double rounding)', () => {
    // 1 + 2^-24 + 2^-60: the nearest double is the float4 midpoint 1 + 2^-24, the value is above it
    const v = textIn(T(OID.vector), '[1.00000005960464477550710902230045571923255920410156250000000000000000001]') as Float32Array;
    expect(v[0]).toBe(1 + 2 ** -23);
    const w = textIn(T(OID.vector), '[1.0000000596046447753906249999999999]') as Float32Array;
    expect(w[0]).toBe(1);
    const tie = textIn(T(OID.vector), '[1.000000059604644775390625]') as Float32Array;
    expect(tie[0]).toBe(1);
  });
});

describe('halfvec text I/O (pgvector halfvec.out)', () => {
  const ok: [string, string][] = [
    ['[1,2,3]', '[1,2,3]'],
    ['[-1,-2,-3]', '[-1,-2,-3]'],
    [' [ 1,  2 ,    3  ] ', '[1,2,3]'],
    ['[1.23456]', '[1.234375]'],
    ['[65519,-65519]', '[65504,-65504]'],
    ['[1e-8,-1e-8]', '[0,-0]'],
    ['[1e-46,1]', '[0,1]'],
    ['[0.1]', '[0.099975586]'],
    ['[0.60009766,0.7998047]', '[0.60009766,0.7998047]'],
  ];
  for (const [input, output] of ok) it(`'${input}'`, () => expect(roundTrip(OID.halfvec, input)).toBe(output));

  const errors: [string, string, string, string?][] = [
    ['[hello,1]', '22P02', 'invalid input syntax for type halfvec: "[hello,1]"'],
    ['[NaN,1]', '22000', 'NaN not allowed in halfvec'],
    ['[Infinity,1]', '22000', 'infinite value not allowed in halfvec'],
    ['[-Infinity,1]', '22000', 'infinite value not allowed in halfvec'],
    ['[65520,-65520]', '22003', '"65520" is out of range for type halfvec'],
    ['[4e38,1]', '22003', '"4e38" is out of range for type halfvec'],
    ['[1,2,3]9', '22P02', 'invalid input syntax for type halfvec: "[1,2,3]9"', 'Junk after closing right brace.'],
    ['', '22P02', 'invalid input syntax for type halfvec: ""', 'Vector contents must start with "[".'],
    ['[]', '22000', 'halfvec must have at least 1 dimension'],
    ['[1, ,3]', '22P02', 'invalid input syntax for type halfvec: "[1, ,3]"'],
  ];
  for (const [input, code, message, detail] of errors) {
    it(`'${input}' fails`, () => {
      expect(errorOf(() => textIn(T(OID.halfvec), input))).toEqual(detail !== undefined ? { code, message, detail } : { code, message });
    });
  }

  it('checks the typmod', () => {
    expect(roundTrip(OID.halfvec, '[1,2,3]', 3)).toBe('[1,2,3]');
    expect(errorOf(() => textIn(T(OID.halfvec, 2), '[1,2,3]'))).toEqual({ code: '22000', message: 'expected 2 dimensions, not 3' });
    expect(errorOf(() => textIn(T(OID._halfvec, 2), '{"[1,2,3]"}'))).toEqual({ code: '22000', message: 'expected 2 dimensions, not 3' });
  });
});

describe('sparsevec text I/O (pgvector sparsevec.out)', () => {
  const ok: [string, string][] = [
    ['{1:1.5,3:3.5}/5', '{1:1.5,3:3.5}/5'],
    ['{1:-2,3:-4}/5', '{1:-2,3:-4}/5'],
    ['{1:2.,3:4.}/5', '{1:2,3:4}/5'],
    [' { 1 : 1.5 ,  3  :  3.5  } / 5 ', '{1:1.5,3:3.5}/5'],
    ['{1:1.23456}/1', '{1:1.23456}/1'],
    ['{1:1.5e38,2:-1.5e38}/2', '{1:1.5e+38,2:-1.5e+38}/2'],
    ['{1:1.5e-38,2:-1.5e-38}/2', '{1:1.5e-38,2:-1.5e-38}/2'],
    ['{}/1', '{}/1'],
    ['{ }/1', '{}/1'],
    [' { } / 5', '{}/5'],
    ['{1:0,2:1,3:0}/3', '{2:1}/3'],
    ['{2:1,1:1}/2', '{1:1,2:1}/2'],
    ['{0:0}/1', '{}/1'],
    ['{1:-0}/1', '{}/1'],
  ];
  for (const [input, output] of ok) it(`'${input}'`, () => expect(roundTrip(OID.sparsevec, input)).toBe(output));

  const errors: [string, string, string, string?][] = [
    ['{1:hello,2:1}/2', '22P02', 'invalid input syntax for type sparsevec: "{1:hello,2:1}/2"'],
    ['{1:NaN,2:1}/2', '22000', 'NaN not allowed in sparsevec'],
    ['{1:Infinity,2:1}/2', '22000', 'infinite value not allowed in sparsevec'],
    ['{1:-Infinity,2:1}/2', '22000', 'infinite value not allowed in sparsevec'],
    ['{1:4e38,2:1}/2', '22003', '"4e38" is out of range for type sparsevec'],
    ['{1:-4e38,2:1}/2', '22003', '"-4e38" is out of range for type sparsevec'],
    ['{1:1e-46,2:1}/2', '22003', '"1e-46" is out of range for type sparsevec'],
    ['{1:-1e-46,2:1}/2', '22003', '"-1e-46" is out of range for type sparsevec'],
    ['', '22P02', 'invalid input syntax for type sparsevec: ""', 'Vector contents must start with "{".'],
    ['{', '22P02', 'invalid input syntax for type sparsevec: "{"'],
    ['{ ', '22P02', 'invalid input syntax for type sparsevec: "{ "'],
    ['{:', '22P02', 'invalid input syntax for type sparsevec: "{:"'],
    ['{,', '22P02', 'invalid input syntax for type sparsevec: "{,"'],
    ['{}', '22P02', 'invalid input syntax for type sparsevec: "{}"', 'Unexpected end of input.'],
    ['{}/', '22P02', 'invalid input syntax for type sparsevec: "{}/"'],
    ['{}/1a', '22P02', 'invalid input syntax for type sparsevec: "{}/1a"', 'Junk after closing.'],
    ['{:}/1', '22P02', 'invalid input syntax for type sparsevec: "{:}/1"'],
    ['{,}/1', '22P02', 'invalid input syntax for type sparsevec: "{,}/1"'],
    ['{1,}/1', '22P02', 'invalid input syntax for type sparsevec: "{1,}/1"'],
    ['{:1}/1', '22P02', 'invalid input syntax for type sparsevec: "{:1}/1"'],
    ['{1:}/1', '22P02', 'invalid input syntax for type sparsevec: "{1:}/1"'],
    ['{1a:1}/1', '22P02', 'invalid input syntax for type sparsevec: "{1a:1}/1"'],
    ['{1:1a}/1', '22P02', 'invalid input syntax for type sparsevec: "{1:1a}/1"'],
    ['{1:1,}/1', '22P02', 'invalid input syntax for type sparsevec: "{1:1,}/1"'],
    ['{1:1,1:1}/2', '22000', 'sparsevec indices must not contain duplicates'],
    ['{1:1,2:1,1:1}/2', '22000', 'sparsevec indices must not contain duplicates'],
    ['{}/-1', '22000', 'sparsevec must have at least 1 dimension'],
    ['{}/1000000001', '54000', 'sparsevec cannot have more than 1000000000 dimensions'],
    ['{}/2147483648', '54000', 'sparsevec cannot have more than 1000000000 dimensions'],
    ['{}/-2147483649', '22000', 'sparsevec must have at least 1 dimension'],
    ['{}/9223372036854775808', '54000', 'sparsevec cannot have more than 1000000000 dimensions'],
    ['{}/-9223372036854775809', '22000', 'sparsevec must have at least 1 dimension'],
    ['{2147483647:1}/1', '22000', 'sparsevec index out of bounds'],
    ['{-2147483649:1}/1', '22000', 'sparsevec index out of bounds'],
    ['{0:1}/1', '22000', 'sparsevec index out of bounds'],
    ['{2:1}/1', '22000', 'sparsevec index out of bounds'],
  ];
  for (const [input, code, message, detail] of errors) {
    it(`'${input}' fails`, () => {
      expect(errorOf(() => textIn(T(OID.sparsevec), input))).toEqual(detail !== undefined ? { code, message, detail } : { code, message });
    });
  }

  it('checks the typmod and the non-zero element limit', () => {
    expect(roundTrip(OID.sparsevec, '{}/3', 3)).toBe('{}/3');
    expect(errorOf(() => textIn(T(OID.sparsevec, 2), '{}/3'))).toEqual({ code: '22000', message: 'expected 2 dimensions, not 3' });
    const many = `{${Array.from({ length: 16001 }, (_, i) => `${i + 1}:1`).join(',')}}/20000`;
    expect(errorOf(() => textIn(T(OID.sparsevec), many))).toEqual({ code: '54000', message: 'sparsevec cannot have more than 16000 non-zero elements' });
  });

  it('stores 0-based indices', () => {
    const v = textIn(T(OID.sparsevec), '{1:1.5,3:2}/5') as SparseVec;
    expect([...v.indices]).toEqual([0, 2]);
    expect([...v.values]).toEqual([1.5, 2]);
    expect(v.dim).toBe(5);
  });
});

describe('type names, typmods and format_type', () => {
  it('resolves names (schema public for pgvector types) and checks typmods as pgvector does', () => {
    expect(resolveTypeName(['vector'], [3], 0)).toEqual({ oid: OID.vector, typmod: 3 });
    expect(resolveTypeName(['public', 'halfvec'], [], 1)).toEqual({ oid: OID._halfvec, typmod: -1 });
    expect(resolveTypeName(['sparsevec'], [1000000000], 0)).toEqual({ oid: OID.sparsevec, typmod: 1000000000 });
    expect(errorOf(() => resolveTypeName(['pg_catalog', 'vector'], [], 0))).toEqual({ code: '42704', message: 'type "pg_catalog.vector" does not exist' });
    expect(errorOf(() => resolveTypeName(['public', 'int4'], [], 0))).toEqual({ code: '42704', message: 'type "public.int4" does not exist' });
    expect(errorOf(() => resolveTypeName(['vector'], [3, 2], 0))).toEqual({ code: '22023', message: 'invalid type modifier' });
    expect(errorOf(() => resolveTypeName(['vector'], [0], 0))).toEqual({ code: '22023', message: 'dimensions for type vector must be at least 1' });
    expect(errorOf(() => resolveTypeName(['vector'], [16001], 0))).toEqual({ code: '22023', message: 'dimensions for type vector cannot exceed 16000' });
    expect(errorOf(() => resolveTypeName(['halfvec'], [0], 0))).toEqual({ code: '22023', message: 'dimensions for type halfvec must be at least 1' });
    expect(errorOf(() => resolveTypeName(['halfvec'], [16001], 0))).toEqual({ code: '22023', message: 'dimensions for type halfvec cannot exceed 16000' });
    expect(errorOf(() => resolveTypeName(['sparsevec'], [0], 0))).toEqual({ code: '22023', message: 'dimensions for type sparsevec must be at least 1' });
    expect(errorOf(() => resolveTypeName(['sparsevec'], [1000000001], 0))).toEqual({ code: '22023', message: 'dimensions for type sparsevec cannot exceed 1000000000' });
  });

  it('prints types as format_type does', () => {
    expect(formatType(OID.vector, 3)).toBe('vector(3)');
    expect(formatType(OID.vector, -1)).toBe('vector');
    expect(formatType(OID.halfvec, null)).toBe('halfvec');
    expect(formatType(OID.sparsevec, 5)).toBe('sparsevec(5)');
    expect(formatType(OID._vector, 3)).toBe('vector(3)[]');
    expect(formatType(OID._sparsevec, null)).toBe('sparsevec[]');
  });

  it('describes the types as pg_type does after CREATE EXTENSION vector', () => {
    for (const [name, oid, arr] of [['vector', 16385, 16386], ['halfvec', 16387, 16388], ['sparsevec', 16389, 16390]] as const) {
      const t = typeInfoByName(name)!;
      expect(t).toMatchObject({ oid, len: -1, byval: false, category: 'U', preferred: false, elemOid: 0, arrayOid: arr, namespace: 'public' });
      expect(typeInfo(arr)).toMatchObject({ name: `_${name}`, category: 'A', elemOid: oid, arrayOid: 0, namespace: 'public' });
    }
    expect(typeInfo(OID.int4)!.namespace).toBe('pg_catalog');
  });
});

describe('binary send/recv (pgvector vector_send etc.)', () => {
  it('sends vector as int16 dim, int16 unused, float4 values', () => {
    const v = textIn(T(OID.vector), '[1,-2.5]');
    expect(hex(binaryOut(T(OID.vector), v))).toBe('000200003f800000c0200000');
    expect(Array.from(binaryIn(T(OID.vector), unhex('000200003f800000c0200000')) as Float32Array)).toEqual([1, -2.5]);
  });

  it('sends halfvec as int16 dim, int16 unused, binary16 values', () => {
    const v = textIn(T(OID.halfvec), '[1,-2,65504]');
    expect(hex(binaryOut(T(OID.halfvec), v))).toBe('000300003c00c0007bff');
    expect(Array.from(binaryIn(T(OID.halfvec), unhex('000300003c00c0007bff')) as Float32Array)).toEqual([1, -2, 65504]);
  });

  it('sends sparsevec as int32 dim, nnz, unused, 0-based indices, float4 values', () => {
    const v = textIn(T(OID.sparsevec), '{1:1.5,3:2}/5');
    expect(hex(binaryOut(T(OID.sparsevec), v))).toBe('00000005' + '00000002' + '00000000' + '00000000' + '00000002' + '3fc00000' + '40000000');
    expect(textOut(T(OID.sparsevec), binaryIn(T(OID.sparsevec), binaryOut(T(OID.sparsevec), v)))).toBe('{1:1.5,3:2}/5');
  });

  const recvErrors: [number, string, string, string, number?][] = [
    [OID.vector, '00000000', '22000', 'vector must have at least 1 dimension'],
    [OID.vector, '3e810000', '54000', 'vector cannot have more than 16000 dimensions'],
    [OID.vector, '000100013f800000', '22000', 'expected unused to be 0, not 1'],
    [OID.vector, '000100007fc00000', '22000', 'NaN not allowed in vector'],
    [OID.vector, '000100007f800000', '22000', 'infinite value not allowed in vector'],
    [OID.vector, '000200003f800000', '22P03', 'insufficient data left in message'],
    [OID.vector, '000200003f8000003f800000', '22000', 'expected 3 dimensions, not 2', 3],
    [OID.halfvec, '000100007c00', '22000', 'infinite value not allowed in halfvec'],
    [OID.halfvec, '000100007e00', '22000', 'NaN not allowed in halfvec'],
    [OID.sparsevec, '00000000' + '00000000' + '00000000', '22000', 'sparsevec must have at least 1 dimension'],
    [OID.sparsevec, '00000002' + 'ffffffff' + '00000000', '22000', 'sparsevec cannot have negative number of elements'],
    [OID.sparsevec, '00000002' + '00000003' + '00000000', '54000', 'sparsevec cannot have more elements than dimensions'],
    [OID.sparsevec, '00000002' + '00000001' + '00000007' + '00000000' + '3f800000', '22000', 'expected unused to be 0, not 7'],
    [OID.sparsevec, '00000002' + '00000001' + '00000000' + '00000002' + '3f800000', '22000', 'sparsevec index out of bounds'],
    [OID.sparsevec, '00000003' + '00000002' + '00000000' + '00000001' + '00000000' + '3f800000' + '3f800000', '22000', 'sparsevec indices must be in ascending order'],
    [OID.sparsevec, '00000003' + '00000002' + '00000000' + '00000001' + '00000001' + '3f800000' + '3f800000', '22000', 'sparsevec indices must not contain duplicates'],
    [OID.sparsevec, '00000002' + '00000001' + '00000000' + '00000000' + '00000000', '22000', 'binary representation of sparsevec cannot contain zero values'],
    [OID.sparsevec, '00000002' + '00000001' + '00000000' + '00000000' + '7f800000', '22000', 'infinite value not allowed in sparsevec'],
  ];
  for (const [oid, bytes, code, message, typmod] of recvErrors) {
    it(`${formatType(oid)} recv ${bytes} fails with ${message}`, () => {
      expect(errorOf(() => binaryIn(T(oid, typmod ?? -1), unhex(bytes)))).toEqual({ code, message });
    });
  }

  it('round-trips arrays of vectors in binary', () => {
    const a = textIn(T(OID._sparsevec), '{"{1:1}/3",NULL,"{}/2"}');
    expect(textOut(T(OID._sparsevec), binaryIn(T(OID._sparsevec), binaryOut(T(OID._sparsevec), a)))).toBe('{"{1:1}/3",NULL,"{}/2"}');
    const d: Datum = textIn(T(OID._halfvec), '{"[1,2]"}');
    expect(textOut(T(OID._halfvec), binaryIn(T(OID._halfvec), binaryOut(T(OID._halfvec), d)))).toBe('{"[1,2]"}');
  });
});
