// Bit-string built-ins: pgvector's hamming/jaccard (test/expected/bit.out) and PostgreSQL 15's bit
// functions, operators and aggregates; expectations are PostgreSQL 15 outputs of the SQL in comments.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import './index.js';
import { runAgg, runFn, runOp, u } from './test-support.js';
import { VT, bits, call, callOp, opReturnType, returnTypeOf, runAggregate, show } from './vector-test-support.js';

const BIT = VT.bit, VARBIT = VT.varbit, I4 = 23, F8 = 701;
const err = (code: string, message: string) => expect.objectContaining({ code, message });

describe('pgvector bit distances', () => {
  it('hamming_distance and <~>', () => {
    const h = (a: string, b: string) => call('hamming_distance', [BIT, BIT], [bits(a), bits(b)]);
    expect(h('111', '111')).toBe(0);
    expect(h('111', '110')).toBe(1);
    expect(h('111', '100')).toBe(2);
    expect(h('111', '000')).toBe(3);
    expect(h('10101010101010101010', '01010101010101010101')).toBe(20);
    const long = '10'.repeat(256) + '1';
    expect(h(long, long)).toBe(0);
    expect(h(long, '01'.repeat(256) + '0')).toBe(513);
    expect(h('11' + '0'.repeat(510) + '11', '1' + '0'.repeat(512) + '1')).toBe(2);
    expect(h('', '')).toBe(0);
    expect(() => h('111', '00')).toThrow(err('22000', 'different bit lengths 3 and 2'));
    expect(callOp('<~>', BIT, BIT, [bits('111'), bits('100')])).toBe(2);
    expect(opReturnType('<~>', BIT, BIT)).toBe(F8);
    expect(returnTypeOf('hamming_distance', [BIT, BIT])).toBe(F8);
  });

  it('jaccard_distance and <%>', () => {
    const j = (a: string, b: string) => call('jaccard_distance', [BIT, BIT], [bits(a), bits(b)]);
    expect(j('1111', '1111')).toBe(0);
    expect(j('1111', '1110')).toBe(0.25);
    expect(j('1111', '1100')).toBe(0.5);
    expect(j('1111', '1000')).toBe(0.75);
    expect(j('1111', '0000')).toBe(1);
    expect(j('1100', '1000')).toBe(0.5);
    expect(j('10101010101010101010', '01010101010101010101')).toBe(1);
    expect(j('11' + '0'.repeat(510) + '11', '1' + '0'.repeat(512) + '1')).toBe(0.5);
    expect(j('', '')).toBe(1);
    expect(() => j('1111', '000')).toThrow(err('22000', 'different bit lengths 4 and 3'));
    expect(callOp('<%>', BIT, BIT, [bits('1111'), bits('1100')])).toBe(0.5);
  });
});

describe('PostgreSQL bit functions', () => {
  it('sizes and bit counts', () => {
    // select length(B'10101'), bit_length(B'10101'), octet_length(B'101010101'), bit_count(B'1011');  5|5|2|3
    expect(call('length', [BIT], [bits('10101')])).toBe(5);
    expect(call('bit_length', [BIT], [bits('10101')])).toBe(5);
    expect(call('octet_length', [BIT], [bits('101010101')])).toBe(2);
    expect(call('octet_length', [BIT], [bits('')])).toBe(0);
    expect(call('bit_count', [BIT], [bits('1011')])).toBe(3n);
    expect(returnTypeOf('bit_count', [BIT])).toBe(20);
    expect(call('length', [BIT], [bits('')])).toBe(0);
  });

  it('get_bit and set_bit', () => {
    expect(call('get_bit', [BIT, I4], [bits('101'), 0])).toBe(1);
    expect(call('get_bit', [BIT, I4], [bits('101'), 1])).toBe(0);
    expect(call('get_bit', [BIT, I4], [bits('10000000111'), 8])).toBe(1);
    expect(() => call('get_bit', [BIT, I4], [bits('101'), 3])).toThrow(err('2202E', 'bit index 3 out of valid range (0..2)'));
    expect(() => call('get_bit', [BIT, I4], [bits('101'), -1])).toThrow(err('2202E', 'bit index -1 out of valid range (0..2)'));
    expect(show(call('set_bit', [BIT, I4, I4], [bits('101'), 1, 1]))).toBe('111');
    expect(show(call('set_bit', [BIT, I4, I4], [bits('101'), 0, 0]))).toBe('001');
    expect(show(call('set_bit', [BIT, I4, I4], [bits('10000000000'), 10, 1]))).toBe('10000000001');
    expect(() => call('set_bit', [BIT, I4, I4], [bits('101'), 1, 2])).toThrow(err('22023', 'new bit must be 0 or 1'));
    expect(() => call('set_bit', [BIT, I4, I4], [bits('101'), 5, 1])).toThrow(err('2202E', 'bit index 5 out of valid range (0..2)'));
    const input = bits('101');
    call('set_bit', [BIT, I4, I4], [input, 1, 1]);
    expect(show(input)).toBe('101');
  });

  it('substring, overlay, position', () => {
    const s = bits('110101');
    expect(show(call('substring', [BIT, I4, I4], [s, 2, 3]))).toBe('101');
    expect(show(call('substring', [BIT, I4], [s, 3]))).toBe('0101');
    expect(show(call('substring', [BIT, I4, I4], [s, 0, 2]))).toBe('1');
    expect(show(call('substring', [BIT, I4], [s, 7]))).toBe('');
    expect(show(call('substring', [BIT, I4, I4], [s, -1, 3]))).toBe('1');
    expect(show(call('substring', [BIT, I4, I4], [s, 2147483647, 2147483647]))).toBe('');
    expect(show(call('substring', [BIT, I4, I4], [s, -2147483647, 2147483647]))).toBe('');
    expect(() => call('substring', [BIT, I4, I4], [s, 2, -1])).toThrow(err('22011', 'negative substring length not allowed'));
    expect(show(call('overlay', [BIT, BIT, I4], [s, bits('00'), 2]))).toBe('100101');
    expect(show(call('overlay', [BIT, BIT, I4, I4], [s, bits('00'), 2, 3]))).toBe('10001');
    expect(show(call('overlay', [BIT, BIT, I4, I4], [s, bits('00'), 2, -1]))).toBe('100110101');
    expect(show(call('overlay', [BIT, BIT, I4, I4], [s, bits('00'), 6, 5]))).toBe('1101000');
    expect(show(call('overlay', [BIT, BIT, I4], [bits('11'), bits('0000'), 5]))).toBe('110000');
    expect(() => call('overlay', [BIT, BIT, I4], [s, bits('00'), 0])).toThrow(err('22011', 'negative substring length not allowed'));
    expect(() => call('overlay', [BIT, BIT, I4, I4], [s, bits('00'), 2147483647, 1])).toThrow(err('22003', 'integer out of range'));
    expect(call('position', [BIT, BIT], [s, bits('01')])).toBe(3);
    expect(call('position', [BIT, BIT], [bits('101'), bits('')])).toBe(1);
    expect(call('position', [BIT, BIT], [bits(''), bits('1')])).toBe(0);
    expect(call('position', [BIT, BIT], [bits('11'), bits('111')])).toBe(0);
    expect(call('position', [BIT, BIT], [bits('0001'), bits('1')])).toBe(4);
  });

  it('bitwise operators', () => {
    expect(show(callOp('&', BIT, BIT, [bits('1100'), bits('1010')]))).toBe('1000');
    expect(show(callOp('|', BIT, BIT, [bits('1100'), bits('1010')]))).toBe('1110');
    expect(show(callOp('#', BIT, BIT, [bits('1100'), bits('1010')]))).toBe('0110');
    expect(() => callOp('&', BIT, BIT, [bits('101'), bits('10')])).toThrow(err('22026', 'cannot AND bit strings of different sizes'));
    expect(() => callOp('|', BIT, BIT, [bits('101'), bits('10')])).toThrow(err('22026', 'cannot OR bit strings of different sizes'));
    expect(() => callOp('#', BIT, BIT, [bits('101'), bits('10')])).toThrow(err('22026', 'cannot XOR bit strings of different sizes'));
    expect(show(callOp('~', null, BIT, [bits('101')]))).toBe('010');
    expect(show(callOp('~', null, BIT, [bits('1010101010')]))).toBe('0101010101');
    expect(callOp('~', null, BIT, [bits('1')]) ).toEqual(bits('0')); // padding stays zero
    expect(show(callOp('~', null, BIT, [bits('')]))).toBe('');
    const shl = (s: string, n: number) => show(callOp('<<', BIT, I4, [bits(s), n]));
    const shr = (s: string, n: number) => show(callOp('>>', BIT, I4, [bits(s), n]));
    expect([shl('10110', 2), shr('10110', 2), shl('10110', -2), shr('10110', 7), shl('10110', 100)])
      .toEqual(['11000', '00101', '00101', '00000', '00000']);
    expect([shl('1010101010', 3), shr('1010101010', 3), shl('1010101010', 9)]).toEqual(['0101010000', '0001010101', '0000000000']);
    expect([shl('101', 2147483647), shr('101', -2147483648)]).toEqual(['000', '000']);
    expect(show(callOp('||', VARBIT, VARBIT, [bits('101'), bits('11')]))).toBe('10111');
    expect(show(callOp('||', VARBIT, VARBIT, [bits('10101'), bits('111')]))).toBe('10101111');
    expect(show(callOp('||', VARBIT, VARBIT, [bits(''), bits('1')]))).toBe('1');
    expect(opReturnType('||', VARBIT, VARBIT)).toBe(VARBIT);
  });

  it('comparisons', () => {
    // select B'101' = B'1010', B'101' < B'1010', B'101' > B'100', B'0' < B'00', B'1' < B'01';  f|t|t|t|f
    const c = (sym: string, a: string, b: string, t: number = BIT) => callOp(sym, t, t, [bits(a), bits(b)]);
    expect([c('=', '101', '1010'), c('<', '101', '1010'), c('>', '101', '100'), c('<', '0', '00'), c('<', '1', '01')])
      .toEqual([false, true, true, true, false]);
    expect([c('=', '101', '1010', VARBIT), c('<', '101', '1010', VARBIT)]).toEqual([false, true]);
    expect([c('<', '1010', '1011'), c('=', '1010', '1010'), c('<>', '10100', '1010'), c('<', '', '0')]).toEqual([true, true, true, true]);
    expect([c('<=', '1', '1'), c('>=', '0', '1')]).toEqual([true, false]);
  });

  it('bitwise aggregates', () => {
    const rows = [bits('1100'), bits('1010'), null];
    expect(show(runAggregate('bit_and', BIT, rows))).toBe('1000');
    expect(show(runAggregate('bit_or', BIT, rows))).toBe('1110');
    expect(show(runAggregate('bit_xor', BIT, rows))).toBe('0110');
    expect(runAggregate('bit_and', BIT, [null])).toBeNull();
    expect(() => runAggregate('bit_and', BIT, [bits('1100'), bits('101')])).toThrow(err('22026', 'cannot AND bit strings of different sizes'));
    expect(() => runAggregate('bit_xor', BIT, [bits('1100'), bits('101')])).toThrow(err('22026', 'cannot XOR bit strings of different sizes'));
    expect(returnTypeOf('bit_or', [BIT])).toBe(BIT);
  });

  it('shifts and concatenation agree with a string reference', () => {
    const str = fc.array(fc.constantFrom('0', '1'), { maxLength: 20 }).map((a) => a.join(''));
    fc.assert(fc.property(str, str, fc.integer({ min: -25, max: 25 }), (a, b, n) => {
      const ref = n >= 0 ? (a.slice(n) + '0'.repeat(a.length)).slice(0, a.length) : ('0'.repeat(-n) + a).slice(0, a.length);
      expect(show(callOp('<<', BIT, I4, [bits(a), n]))).toBe(ref);
      const cat = callOp('||', VARBIT, VARBIT, [bits(a), bits(b)]);
      expect(show(cat)).toBe(a + b);
      expect(cat).toEqual(bits(a + b)); // padding bits zero
    }));
  });
});

describe('through the types module text I/O', () => {
  it('bit and varbit literals', () => {
    expect(runFn('hamming_distance', [u('111'), ['000', VARBIT]])).toBe('3');
    expect(runOp('<<', [['10110', BIT], ['2', I4]])).toBe('11000');
    expect(runOp('||', [['101', BIT], ['11', BIT]])).toBe('10111');
    expect(runAgg('bit_and', [BIT], [['1100'], ['1010']])).toBe('1000');
  });
});
