// sparsevec functions and operators against pgvector 0.8's regression output
// (test/expected/sparsevec.out): each expectation is the output of the SQL in its comment.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import './index.js';
import { VT, call, callOp, opReturnType, returnTypeOf, show, svec } from './vector-test-support.js';
import { compareDatums, type SparseVec } from '../types/index.js';

const S = VT.sparsevec, F8 = 701;
const err = (code: string, message: string) => expect.objectContaining({ code, message });

describe('sparsevec', () => {
  it('comparisons and sparsevec_cmp', () => {
    const a = '{1:1,2:2,3:3}/3', b = '{1:1,2:2}/2';
    const cases: [string, string, string, boolean][] = [
      ['<', a, a, false], ['<', a, b, false], ['<=', a, a, true], ['<=', a, b, false], ['=', a, a, true],
      ['=', a, b, false], ['<>', a, a, false], ['<>', a, b, true], ['>=', a, a, true], ['>=', a, b, true],
      ['>', a, a, false], ['>', a, b, true],
    ];
    for (const [sym, x, y, want] of cases) expect(callOp(sym, S, S, [svec(x), svec(y)])).toBe(want);
    const cmps: [string, string, number][] = [
      [a, a, 0], [a, '{}/3', 1], ['{}/3', a, -1], [b, a, -1], [a, b, 1], [b, '{1:2,2:3,3:4}/3', -1],
      ['{1:2,2:3}/2', a, 1],
    ];
    for (const [x, y, want] of cmps) expect(call('sparsevec_cmp', [S, S], [svec(x), svec(y)])).toBe(want);
    expect(call('sparsevec_ge', [S, S], [svec(a), svec(b)])).toBe(true);
  });

  it('l2_norm', () => {
    expect((call('l2_norm', [S], [svec('{1:1,2:1}/2')]) as number).toFixed(5)).toBe('1.41421');
    expect(call('l2_norm', [S], [svec('{1:3,2:4}/2')])).toBe(5);
    expect(call('l2_norm', [S], [svec('{2:1}/2')])).toBe(1);
    expect(Math.fround(call('l2_norm', [S], [svec('{1:3e37,2:4e37}/2')]) as number)).toBe(Math.fround(5e37));
    expect(call('l2_norm', [S], [svec('{}/2')])).toBe(0);
    expect(returnTypeOf('l2_norm', [S])).toBe(F8);
  });

  it('distances', () => {
    expect(call('l2_distance', [S, S], [svec('{}/2'), svec('{1:3,2:4}/2')])).toBe(5);
    expect(call('l2_distance', [S, S], [svec('{1:3}/2'), svec('{2:4}/2')])).toBe(5);
    expect(call('l2_distance', [S, S], [svec('{2:4}/2'), svec('{1:3}/2')])).toBe(5);
    expect(call('l2_distance', [S, S], [svec('{1:3,2:4}/2'), svec('{}/2')])).toBe(5);
    expect(call('l2_distance', [S, S], [svec('{}/2'), svec('{2:1}/2')])).toBe(1);
    expect(callOp('<->', S, S, [svec('{}/2'), svec('{1:3,2:4}/2')])).toBe(5);
    expect(call('inner_product', [S, S], [svec('{1:1,2:2}/2'), svec('{1:2,2:4}/2')])).toBe(10);
    expect(call('inner_product', [S, S], [svec('{1:1,3:3}/4'), svec('{2:2,4:4}/4')])).toBe(0);
    expect(call('inner_product', [S, S], [svec('{1:1,3:3,5:5}/5'), svec('{2:4,3:6,4:8}/5')])).toBe(18);
    expect(call('inner_product', [S, S], [svec('{1:1}/2'), svec('{}/2')])).toBe(0);
    expect(call('inner_product', [S, S], [svec('{1:3e38}/1'), svec('{1:3e38}/1')])).toBe(Infinity);
    expect(call('sparsevec_negative_inner_product', [S, S], [svec('{1:1,2:2}/2'), svec('{1:2,2:4}/2')])).toBe(-10);
    expect(callOp('<#>', S, S, [svec('{1:1,2:2}/2'), svec('{1:3,2:4}/2')])).toBe(-11);
    expect(call('cosine_distance', [S, S], [svec('{1:1,2:2}/2'), svec('{1:2,2:4}/2')])).toBe(0);
    expect(call('cosine_distance', [S, S], [svec('{1:1,2:2}/2'), svec('{}/2')])).toBeNaN();
    expect(call('cosine_distance', [S, S], [svec('{1:1}/2'), svec('{2:2}/2')])).toBe(1);
    expect(call('cosine_distance', [S, S], [svec('{1:1,2:1}/2'), svec('{1:-1,2:-1}/2')])).toBe(2);
    expect(call('cosine_distance', [S, S], [svec('{1:1,2:1}/2'), svec('{1:1.1,2:1.1}/2')])).toBe(0);
    expect(call('cosine_distance', [S, S], [svec('{1:3e38}/1'), svec('{1:3e38}/1')])).toBeNaN();
    expect(call('cosine_distance', [S, S], [svec('{}/1'), svec('{}/1')])).toBeNaN();
    expect(callOp('<=>', S, S, [svec('{1:1,2:2}/2'), svec('{1:2,2:4}/2')])).toBe(0);
    expect(call('l1_distance', [S, S], [svec('{}/2'), svec('{1:3,2:4}/2')])).toBe(7);
    expect(call('l1_distance', [S, S], [svec('{1:3e38}/1'), svec('{1:-3e38}/1')])).toBe(Infinity);
    expect(call('l1_distance', [S, S], [svec('{1:1,3:3,5:5,7:7}/8'), svec('{2:2,4:4,6:6,8:8}/8')])).toBe(36);
    expect(call('l1_distance', [S, S], [svec('{1:1,3:3,5:5,7:7,9:9}/9'), svec('{2:2,4:4,6:6,8:8}/9')])).toBe(45);
    expect(callOp('<+>', S, S, [svec('{}/2'), svec('{1:3,2:4}/2')])).toBe(7);
    expect(call('sparsevec_l2_squared_distance', [S, S], [svec('{}/2'), svec('{1:3,2:4}/2')])).toBe(25);
    for (const [name, sym] of [['l2_distance', '<->'], ['inner_product', '<#>'], ['cosine_distance', '<=>'], ['l1_distance', '<+>']]) {
      expect(opReturnType(sym!, S, S)).toBe(F8);
      expect(() => call(name!, [S, S], [svec('{1:1,2:2}/2'), svec('{1:3}/1')])).toThrow(err('22000', 'different sparsevec dimensions 2 and 1'));
      expect(() => callOp(sym!, S, S, [svec('{1:1,2:2}/2'), svec('{1:3}/1')])).toThrow(err('22000', 'different sparsevec dimensions 2 and 1'));
    }
  });

  it('l2_normalize', () => {
    expect(show(call('l2_normalize', [S], [svec('{1:3,2:4}/2')]))).toBe('{1:0.6,2:0.8}/2');
    expect(show(call('l2_normalize', [S], [svec('{1:3}/2')]))).toBe('{1:1}/2');
    expect(show(call('l2_normalize', [S], [svec('{2:0.1}/2')]))).toBe('{2:1}/2');
    expect(show(call('l2_normalize', [S], [svec('{}/2')]))).toBe('{}/2');
    expect(show(call('l2_normalize', [S], [svec('{1:3e38}/1')]))).toBe('{1:1}/1');
    expect(show(call('l2_normalize', [S], [svec('{1:3e38,2:1e-37}/2')]))).toBe('{1:1}/2');
    expect(show(call('l2_normalize', [S], [svec('{2:3e37,4:3e-37,6:4e37,8:4e-37}/9')]))).toBe('{2:0.6,6:0.8}/9');
    expect(returnTypeOf('l2_normalize', [S])).toBe(S);
  });

  it('sparsevec_cmp orders like vector_cmp on the densified vectors of equal dimension', () => {
    const dim = 4;
    const arb = fc.array(fc.integer({ min: -2, max: 2 }), { minLength: dim, maxLength: dim });
    const toSparse = (xs: number[]): SparseVec => {
      const idx: number[] = [], vals: number[] = [];
      xs.forEach((x, i) => { if (x !== 0) { idx.push(i); vals.push(x); } });
      return { kind: 'sparsevec', dim, indices: new Int32Array(idx), values: new Float32Array(vals) };
    };
    fc.assert(fc.property(arb, arb, (a, b) => {
      expect(compareDatums(S, toSparse(a), toSparse(b))).toBe(compareDatums(VT.vector, new Float32Array(a), new Float32Array(b)));
      expect(call('sparsevec_cmp', [S, S], [toSparse(a), toSparse(b)])).toBe(call('vector_cmp', [VT.vector, VT.vector], [new Float32Array(a), new Float32Array(b)]));
    }));
  });
});
