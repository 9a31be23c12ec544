// vector and halfvec functions and operators against pgvector 0.8's regression outputs
// (test/expected/vector_type.out, halfvec.out): each expectation is the output of the SQL in its
// comment, errors with pgvector's SQLSTATE and message.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import './index.js';
import { VT, call, callOp, half, opReturnType, returnTypeOf, show, vec } from './vector-test-support.js';
import { roundHalf, toHalfChecked } from './vector-support.js';
import { runAgg, runFn, runOp, u } from './test-support.js';

const V = VT.vector, H = VT.halfvec, I4 = 23, F8 = 701;
const err = (code: string, message: string) => expect.objectContaining({ code, message });

describe('vector operators', () => {
  it('arithmetic and concatenation', () => {
    expect(show(callOp('+', V, V, [vec('[1,2,3]'), vec('[4,5,6]')]))).toBe('[5,7,9]');
    expect(show(callOp('-', V, V, [vec('[1,2,3]'), vec('[4,5,6]')]))).toBe('[-3,-3,-3]');
    expect(show(callOp('*', V, V, [vec('[1,2,3]'), vec('[4,5,6]')]))).toBe('[4,10,18]');
    expect(show(callOp('||', V, V, [vec('[1,2,3]'), vec('[4,5]')]))).toBe('[1,2,3,4,5]');
    expect(show(callOp('+', V, V, [vec('[0.1]'), vec('[0.2]')]))).toBe('[0.3]'); // float32 sum
    expect(opReturnType('+', V, V)).toBe(V);
    expect(opReturnType('||', V, V)).toBe(V);
  });

  it('arithmetic errors', () => {
    // SELECT '[3e38]'::vector + '[3e38]';  -- ERROR:  value out of range: overflow
    expect(() => callOp('+', V, V, [vec('[3e38]'), vec('[3e38]')])).toThrow(err('22003', 'value out of range: overflow'));
    expect(() => callOp('-', V, V, [vec('[-3e38]'), vec('[3e38]')])).toThrow(err('22003', 'value out of range: overflow'));
    expect(() => callOp('*', V, V, [vec('[1e37]'), vec('[1e37]')])).toThrow(err('22003', 'value out of range: overflow'));
    expect(() => callOp('*', V, V, [vec('[1e-37]'), vec('[1e-37]')])).toThrow(err('22003', 'value out of range: underflow'));
    for (const sym of ['+', '-', '*']) {
      expect(() => callOp(sym, V, V, [vec('[1,2]'), vec('[3]')])).toThrow(err('22000', 'different vector dimensions 2 and 1'));
    }
    // SELECT array_fill(0, ARRAY[16000])::vector || '[1]';
    expect(() => callOp('||', V, V, [new Float32Array(16000), vec('[1]')]))
      .toThrow(err('54000', 'vector cannot have more than 16000 dimensions'));
    expect(callOp('||', V, V, [new Float32Array(15999), vec('[1]')])).toHaveLength(16000);
  });

  it('comparisons and vector_cmp', () => {
    const cases: [string, string, string, boolean][] = [
      ['<', '[1,2,3]', '[1,2,3]', false], ['<', '[1,2,3]', '[1,2]', false],
      ['<=', '[1,2,3]', '[1,2,3]', true], ['<=', '[1,2,3]', '[1,2]', false],
      ['=', '[1,2,3]', '[1,2,3]', true], ['=', '[1,2,3]', '[1,2]', false],
      ['<>', '[1,2,3]', '[1,2,3]', false], ['<>', '[1,2,3]', '[1,2]', true],
      ['>=', '[1,2,3]', '[1,2,3]', true], ['>=', '[1,2,3]', '[1,2]', true],
      ['>', '[1,2,3]', '[1,2,3]', false], ['>', '[1,2,3]', '[1,2]', true],
    ];
    for (const [sym, a, b, want] of cases) {
      expect(callOp(sym, V, V, [vec(a), vec(b)])).toBe(want);
      expect(callOp(sym, H, H, [half(a), half(b)])).toBe(want);
    }
    const cmps: [string, string, number][] = [
      ['[1,2,3]', '[1,2,3]', 0], ['[1,2,3]', '[0,0,0]', 1], ['[0,0,0]', '[1,2,3]', -1], ['[1,2]', '[1,2,3]', -1],
      ['[1,2,3]', '[1,2]', 1], ['[1,2]', '[2,3,4]', -1], ['[2,3]', '[1,2,3]', 1],
    ];
    for (const [a, b, want] of cmps) {
      expect(call('vector_cmp', [V, V], [vec(a), vec(b)])).toBe(want);
      expect(call('halfvec_cmp', [H, H], [half(a), half(b)])).toBe(want);
    }
    expect(call('vector_lt', [V, V], [vec('[1]'), vec('[2]')])).toBe(true);
    expect(call('vector_eq', [V, V], [vec('[1]'), vec('[1]')])).toBe(true);
  });

  it('distances', () => {
    expect(call('l2_distance', [V, V], [vec('[0,0]'), vec('[3,4]')])).toBe(5);
    expect(call('l2_distance', [V, V], [vec('[0,0]'), vec('[0,1]')])).toBe(1);
    expect(call('l2_distance', [V, V], [vec('[3e38]'), vec('[-3e38]')])).toBe(Infinity);
    expect(call('l2_distance', [V, V], [vec('[1,1,1,1,1,1,1,1,1]'), vec('[1,1,1,1,1,1,1,4,5]')])).toBe(5);
    expect(callOp('<->', V, V, [vec('[0,0]'), vec('[3,4]')])).toBe(5);
    expect(call('inner_product', [V, V], [vec('[1,2]'), vec('[3,4]')])).toBe(11);
    expect(call('inner_product', [V, V], [vec('[3e38]'), vec('[3e38]')])).toBe(Infinity);
    expect(call('inner_product', [V, V], [vec('[1,1,1,1,1,1,1,1,1]'), vec('[1,2,3,4,5,6,7,8,9]')])).toBe(45);
    expect(callOp('<#>', V, V, [vec('[1,2]'), vec('[3,4]')])).toBe(-11);
    expect(call('cosine_distance', [V, V], [vec('[1,2]'), vec('[2,4]')])).toBe(0);
    expect(call('cosine_distance', [V, V], [vec('[1,2]'), vec('[0,0]')])).toBeNaN();
    expect(call('cosine_distance', [V, V], [vec('[1,1]'), vec('[1,1]')])).toBe(0);
    expect(call('cosine_distance', [V, V], [vec('[1,0]'), vec('[0,2]')])).toBe(1);
    expect(call('cosine_distance', [V, V], [vec('[1,1]'), vec('[-1,-1]')])).toBe(2);
    expect(call('cosine_distance', [V, V], [vec('[1,1]'), vec('[1.1,1.1]')])).toBe(0);
    expect(call('cosine_distance', [V, V], [vec('[1,1]'), vec('[-1.1,-1.1]')])).toBe(2);
    expect(call('cosine_distance', [V, V], [vec('[3e38]'), vec('[3e38]')])).toBeNaN();
    expect(call('cosine_distance', [V, V], [vec('[1,2,3,4,5,6,7,8,9]'), vec('[-1,-2,-3,-4,-5,-6,-7,-8,-9]')])).toBe(2);
    expect(callOp('<=>', V, V, [vec('[1,2]'), vec('[2,4]')])).toBe(0);
    expect(call('l1_distance', [V, V], [vec('[0,0]'), vec('[3,4]')])).toBe(7);
    expect(call('l1_distance', [V, V], [vec('[3e38]'), vec('[-3e38]')])).toBe(Infinity);
    expect(call('l1_distance', [V, V], [vec('[1,2,3,4,5,6,7,8,9]'), vec('[0,3,2,5,4,7,6,9,8]')])).toBe(9);
    expect(callOp('<+>', V, V, [vec('[0,0]'), vec('[3,4]')])).toBe(7);
    expect(call('vector_l2_squared_distance', [V, V], [vec('[0,0]'), vec('[3,4]')])).toBe(25);
    expect(call('vector_negative_inner_product', [V, V], [vec('[1,2]'), vec('[3,4]')])).toBe(-11);
    expect(call('vector_spherical_distance', [V, V], [vec('[1,0]'), vec('[0,1]')])).toBe(0.5);
    for (const [name, sym] of [['l2_distance', '<->'], ['inner_product', '<#>'], ['cosine_distance', '<=>'], ['l1_distance', '<+>']]) {
      expect(returnTypeOf(name!, [V, V])).toBe(F8);
      expect(opReturnType(sym!, V, V)).toBe(F8);
      expect(() => call(name!, [V, V], [vec('[1,2]'), vec('[3]')])).toThrow(err('22000', 'different vector dimensions 2 and 1'));
      expect(() => callOp(sym!, V, V, [vec('[1,2]'), vec('[3]')])).toThrow(err('22000', 'different vector dimensions 2 and 1'));
    }
    expect(() => call('vector_l2_squared_distance', [V, V], [vec('[1]'), vec('[3,4]')])).toThrow(err('22000', 'different vector dimensions 1 and 2'));
  });

  it('strict: NULL in, NULL out', () => {
    expect(callOp('<->', V, V, [null, vec('[1]')])).toBeNull();
    expect(call('vector_dims', [V], [null])).toBeNull();
  });
});

describe('vector functions', () => {
  it('vector_dims and vector_norm', () => {
    expect(call('vector_dims', [V], [vec('[1,2,3]')])).toBe(3);
    expect(returnTypeOf('vector_dims', [V])).toBe(I4);
    expect((call('vector_norm', [V], [vec('[1,1]')]) as number).toFixed(5)).toBe('1.41421');
    expect(call('vector_norm', [V], [vec('[3,4]')])).toBe(5);
    expect(call('vector_norm', [V], [vec('[0,1]')])).toBe(1);
    expect(Math.fround(call('vector_norm', [V], [vec('[3e37,4e37]')]) as number)).toBe(Math.fround(5e37));
    expect(call('vector_norm', [V], [vec('[0,0]')])).toBe(0);
    expect(call('vector_norm', [V], [vec('[2]')])).toBe(2);
  });

  it('l2_normalize', () => {
    expect(show(call('l2_normalize', [V], [vec('[3,4]')]))).toBe('[0.6,0.8]');
    expect(show(call('l2_normalize', [V], [vec('[3,0]')]))).toBe('[1,0]');
    expect(show(call('l2_normalize', [V], [vec('[0,0.1]')]))).toBe('[0,1]');
    expect(show(call('l2_normalize', [V], [vec('[0,0]')]))).toBe('[0,0]');
    expect(show(call('l2_normalize', [V], [vec('[3e38]')]))).toBe('[1]');
    expect(returnTypeOf('l2_normalize', [V])).toBe(V);
  });

  it('binary_quantize', () => {
    expect(show(call('binary_quantize', [V], [vec('[1,0,-1]')]))).toBe('100');
    expect(show(call('binary_quantize', [V], [vec('[0,0.1,-0.2,-0.3,0.4,0.5,0.6,-0.7,0.8,-0.9,1]')]))).toBe('01001110101');
    expect(show(call('binary_quantize', [V], [vec('[1,2,3,-4,5,6,-7,8,1,-2,-3,4,5,-6,7,8,-1,2,3]')]))).toBe('1110110110011011011');
    expect(returnTypeOf('binary_quantize', [V])).toBe(VT.bit);
  });

  it('subvector', () => {
    const v5 = vec('[1,2,3,4,5]');
    const sub = (kind: number, s: number, c: number) => show(call('subvector', [kind, I4, I4], [kind === V ? v5 : half('[1,2,3,4,5]'), s, c]));
    for (const [kind, name] of [[V, 'vector'], [H, 'halfvec']] as const) {
      expect(sub(kind, 1, 3)).toBe('[1,2,3]');
      expect(sub(kind, 3, 2)).toBe('[3,4]');
      expect(sub(kind, -1, 3)).toBe('[1]');
      expect(sub(kind, 3, 9)).toBe('[3,4,5]');
      expect(sub(kind, 3, 2147483647)).toBe('[3,4,5]');
      expect(sub(kind, -2147483644, 2147483647)).toBe('[1,2]');
      for (const [s, c] of [[1, 0], [3, -1], [-1, 2], [2147483647, 10]]) {
        expect(() => sub(kind, s!, c!)).toThrow(err('22000', `${name} must have at least 1 dimension`));
      }
    }
  });
});

describe('halfvec', () => {
  it('arithmetic rounds to half precision and checks overflow', () => {
    expect(show(callOp('+', H, H, [half('[1,2,3]'), half('[4,5,6]')]))).toBe('[5,7,9]');
    expect(show(callOp('-', H, H, [half('[1,2,3]'), half('[4,5,6]')]))).toBe('[-3,-3,-3]');
    expect(show(callOp('*', H, H, [half('[1,2,3]'), half('[4,5,6]')]))).toBe('[4,10,18]');
    expect(show(callOp('||', H, H, [half('[1,2,3]'), half('[4,5]')]))).toBe('[1,2,3,4,5]');
    // 1 + 2^-11 is not a half: rounds to even (1)
    expect(show(callOp('+', H, H, [half('[1]'), half('[0.00048828125]')]))).toBe('[1]');
    expect(() => callOp('+', H, H, [half('[65519]'), half('[65519]')])).toThrow(err('22003', 'value out of range: overflow'));
    expect(() => callOp('-', H, H, [half('[-65519]'), half('[65519]')])).toThrow(err('22003', 'value out of range: overflow'));
    expect(() => callOp('*', H, H, [half('[65519]'), half('[65519]')])).toThrow(err('22003', 'value out of range: overflow'));
    expect(() => callOp('*', H, H, [half('[1e-7]'), half('[1e-7]')])).toThrow(err('22003', 'value out of range: underflow'));
    for (const sym of ['+', '-', '*']) {
      expect(() => callOp(sym, H, H, [half('[1,2]'), half('[3]')])).toThrow(err('22000', 'different halfvec dimensions 2 and 1'));
    }
    expect(() => callOp('||', H, H, [new Float32Array(16000), half('[1]')]))
      .toThrow(err('54000', 'halfvec cannot have more than 16000 dimensions'));
    expect(opReturnType('*', H, H)).toBe(H);
  });

  it('distances and norms', () => {
    expect(call('l2_distance', [H, H], [half('[0,0]'), half('[3,4]')])).toBe(5);
    expect(call('l2_distance', [H, H], [half('[1,1,1,1,1,1,1,1,1]'), half('[1,1,1,1,1,1,1,4,5]')])).toBe(5);
    expect(callOp('<->', H, H, [half('[0,0]'), half('[3,4]')])).toBe(5);
    expect(call('inner_product', [H, H], [half('[1,2]'), half('[3,4]')])).toBe(11);
    expect(call('inner_product', [H, H], [half('[65504]'), half('[65504]')])).toBe(4290774016);
    expect(callOp('<#>', H, H, [half('[1,2]'), half('[3,4]')])).toBe(-11);
    expect(call('cosine_distance', [H, H], [half('[1,2]'), half('[0,0]')])).toBeNaN();
    expect(call('cosine_distance', [H, H], [half('[1,1]'), half('[-1.1,-1.1]')])).toBe(2);
    expect(callOp('<=>', H, H, [half('[1,2]'), half('[2,4]')])).toBe(0);
    expect(call('l1_distance', [H, H], [half('[1,2,3,4,5,6,7,8,9]'), half('[0,3,2,5,4,7,6,9,8]')])).toBe(9);
    expect(callOp('<+>', H, H, [half('[0,0]'), half('[3,4]')])).toBe(7);
    expect(call('halfvec_l2_squared_distance', [H, H], [half('[0,0]'), half('[3,4]')])).toBe(25);
    expect(call('halfvec_negative_inner_product', [H, H], [half('[1,2]'), half('[3,4]')])).toBe(-11);
    expect(call('halfvec_spherical_distance', [H, H], [half('[1,0]'), half('[1,0]')])).toBe(0);
    for (const name of ['l2_distance', 'inner_product', 'cosine_distance', 'l1_distance']) {
      expect(() => call(name, [H, H], [half('[1,2]'), half('[3]')])).toThrow(err('22000', 'different halfvec dimensions 2 and 1'));
    }
    expect(call('vector_dims', [H], [half('[1,2,3]')])).toBe(3);
    expect(call('l2_norm', [H], [half('[3,4]')])).toBe(5);
    expect(call('l2_norm', [H], [half('[0,0]')])).toBe(0);
    expect((call('l2_norm', [H], [half('[1,1]')]) as number).toFixed(5)).toBe('1.41421');
  });

  it('l2_normalize and binary_quantize', () => {
    // SELECT l2_normalize('[3,4]'::halfvec);  -> [0.60009766,0.7998047]
    expect(show(call('l2_normalize', [H], [half('[3,4]')]))).toBe('[0.60009766,0.7998047]');
    expect(show(call('l2_normalize', [H], [half('[3,0]')]))).toBe('[1,0]');
    expect(show(call('l2_normalize', [H], [half('[0,0.1]')]))).toBe('[0,1]');
    expect(show(call('l2_normalize', [H], [half('[0,0]')]))).toBe('[0,0]');
    expect(show(call('l2_normalize', [H], [half('[65504]')]))).toBe('[1]');
    expect(returnTypeOf('l2_normalize', [H])).toBe(H);
    expect(show(call('binary_quantize', [H], [half('[0,0.1,-0.2,-0.3,0.4,0.5,0.6,-0.7,0.8,-0.9,1]')]))).toBe('01001110101');
  });
});

describe('half rounding', () => {
  it('matches pgvector input examples', () => {
    expect(roundHalf(1.23456)).toBe(1.234375);
    expect(roundHalf(65519)).toBe(65504);
    expect(roundHalf(-65519)).toBe(-65504);
    expect(roundHalf(65520)).toBe(Infinity);
    expect(roundHalf(1e-8)).toBe(0);
    expect(Object.is(roundHalf(-1e-8), -0)).toBe(true);
    expect(roundHalf(2 ** -24)).toBe(2 ** -24);
    expect(roundHalf(2 ** -25)).toBe(0); // tie to even
    expect(roundHalf(3 * 2 ** -25)).toBe(2 ** -23); // tie to even (up)
    expect(() => toHalfChecked(70000)).toThrow(err('22003', '"70000" is out of range for type halfvec'));
  });

  it('agrees with a bit-level float32 → binary16 conversion', () => {
    // reference: round the float32 bit pattern's mantissa by integer arithmetic
    const ref = (x: number): number => {
      const buf = new DataView(new ArrayBuffer(4));
      buf.setFloat32(0, x);
      const bitsF = buf.getUint32(0);
      const sign = bitsF >>> 31 ? -1 : 1;
      const exp = ((bitsF >>> 23) & 0xff) - 127;
      let mant = bitsF & 0x7fffff;
      if (exp === -127 && mant === 0) return sign * 0;
      mant |= 0x800000; // 24-bit significand, value = mant * 2^(exp-23)
      const shift = exp >= -14 ? 13 : 13 + (-14 - exp); // bits to drop to reach a 2^-24-spaced grid
      if (shift > 24) return sign * 0;
      const kept = Math.floor(mant / 2 ** shift), rest = mant - kept * 2 ** shift, halfway = 2 ** (shift - 1);
      const q = rest > halfway || (rest === halfway && kept % 2 === 1) ? kept + 1 : kept;
      const v = q * 2 ** (exp - 23 + shift);
      return sign * (v > 65504 ? Infinity : v);
    };
    fc.assert(fc.property(fc.float({ noNaN: true, noDefaultInfinity: true, min: -70000, max: 70000 }), (x) => {
      expect(roundHalf(x)).toBe(ref(x));
    }));
  });
});

describe('orderings', () => {
  it('the comparison operators agree with vector_cmp, a total order', () => {
    const arb = fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 4 }).map((xs) => new Float32Array(xs));
    const cmp = (a: Float32Array, b: Float32Array) => call('vector_cmp', [V, V], [a, b]) as number;
    fc.assert(fc.property(arb, arb, arb, (a, b, c) => {
      expect(cmp(a, b) + cmp(b, a)).toBe(0);
      expect(cmp(a, a)).toBe(0);
      if (cmp(a, b) <= 0 && cmp(b, c) <= 0) expect(cmp(a, c)).toBeLessThanOrEqual(0);
      expect(callOp('<', V, V, [a, b])).toBe(cmp(a, b) < 0);
      expect(callOp('=', V, V, [a, b])).toBe(cmp(a, b) === 0);
      expect(callOp('>=', H, H, [a, b])).toBe(cmp(a, b) >= 0);
    }));
  });
});

describe('through the types module text I/O (psql-style output)', () => {
  it('parses and prints as pgvector does', () => {
    expect(runOp('+', [['[1,2,3]', V], u('[4,5,6]')])).toBe('[5,7,9]');
    expect(runFn('l2_normalize', [['[3,4]', H]])).toBe('[0.60009766,0.7998047]');
    expect(runFn('l2_normalize', [['{2:3e37,4:3e-37,6:4e37,8:4e-37}/9', VT.sparsevec]])).toBe('{2:0.6,6:0.8}/9');
    expect(runFn('binary_quantize', [['[1,0,-1]', V]])).toBe('100');
    expect(runAgg('avg', [V], [['[1,2,3]'], ['[3,5,7]'], [null]])).toBe('[2,3.5,5]');
    expect(runAgg('avg', [V], [['[3e38]'], ['[3e38]']])).toBe('[3e+38]');
    expect(runFn('vector_accum', [u('{0}'), ['[1,2,3]', V]])).toBe('{1,1,2,3}');
    expect(runFn('l2_distance', [['[0,0]', V], ['[3,4]', H]])).toBe('5'); // vector → halfvec implicitly
    expect(runOp('<=>', [['[1,2]', V], u('[0,0]')])).toBe('NaN');
  });
});
