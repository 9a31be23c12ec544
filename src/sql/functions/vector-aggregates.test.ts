// avg/sum over vector and halfvec and the exposed state functions, against pgvector 0.8's
// regression output (vector_type.out, halfvec.out): the SQL is in each comment.
import { describe, expect, it } from 'vitest';
import './index.js';
import type { SqlArray } from '../types/index.js';
import { VT, call, half, returnTypeOf, runAggregate, show, vec } from './vector-test-support.js';

const V = VT.vector, H = VT.halfvec, F8ARR = 1022;
const err = (code: string, message: string) => expect.objectContaining({ code, message });
const f8arr = (...xs: number[]): SqlArray => ({ kind: 'array', elemOid: 701, dims: xs.length ? [xs.length] : [], lbounds: xs.length ? [1] : [], items: xs });

describe('avg and sum', () => {
  it('vector', () => {
    // SELECT avg(v) FROM unnest(ARRAY['[1,2,3]'::vector, '[3,5,7]', NULL]) v;
    expect(show(runAggregate('avg', V, [vec('[1,2,3]'), vec('[3,5,7]')]))).toBe('[2,3.5,5]');
    expect(show(runAggregate('avg', V, [vec('[1,2,3]'), vec('[3,5,7]'), null]))).toBe('[2,3.5,5]');
    expect(runAggregate('avg', V, [])).toBeNull();
    expect(runAggregate('avg', V, [null])).toBeNull();
    expect(() => runAggregate('avg', V, [vec('[1,2]'), vec('[3]')])).toThrow(err('22000', 'expected 2 dimensions, not 1'));
    expect(show(runAggregate('avg', V, [vec('[3e38]'), vec('[3e38]')]))).toBe('[3e+38]');
    expect(show(runAggregate('sum', V, [vec('[1,2,3]'), vec('[3,5,7]')]))).toBe('[4,7,10]');
    expect(show(runAggregate('sum', V, [vec('[1,2,3]'), null, vec('[3,5,7]')]))).toBe('[4,7,10]');
    expect(runAggregate('sum', V, [])).toBeNull();
    expect(() => runAggregate('sum', V, [vec('[1,2]'), vec('[3]')])).toThrow(err('22000', 'different vector dimensions 2 and 1'));
    expect(() => runAggregate('sum', V, [vec('[3e38]'), vec('[3e38]')])).toThrow(err('22003', 'value out of range: overflow'));
    expect(returnTypeOf('avg', [V])).toBe(V);
    expect(returnTypeOf('sum', [V])).toBe(V);
  });

  it('sum does not alias its first input', () => {
    const first = vec('[1]');
    runAggregate('sum', V, [first, vec('[2]'), vec('[3]')]);
    expect(show(first)).toBe('[1]');
  });

  it('halfvec', () => {
    expect(show(runAggregate('avg', H, [half('[1,2,3]'), half('[3,5,7]'), null]))).toBe('[2,3.5,5]');
    expect(runAggregate('avg', H, [])).toBeNull();
    expect(() => runAggregate('avg', H, [half('[1,2]'), half('[3]')])).toThrow(err('22000', 'expected 2 dimensions, not 1'));
    expect(show(runAggregate('avg', H, [half('[65504]'), half('[65504]')]))).toBe('[65504]');
    // the average is rounded to half: (1 + 1.0009765625) / 2 is not a half
    expect(show(runAggregate('avg', H, [half('[1]'), half('[1.0009765625]')]))).toBe('[1]');
    expect(show(runAggregate('sum', H, [half('[1,2,3]'), half('[3,5,7]'), null]))).toBe('[4,7,10]');
    expect(runAggregate('sum', H, [])).toBeNull();
    expect(() => runAggregate('sum', H, [half('[1,2]'), half('[3]')])).toThrow(err('22000', 'different halfvec dimensions 2 and 1'));
    expect(() => runAggregate('sum', H, [half('[65504]'), half('[65504]')])).toThrow(err('22003', 'value out of range: overflow'));
    expect(returnTypeOf('avg', [H])).toBe(H);
  });
});

describe('state functions', () => {
  it('vector_accum', () => {
    // SELECT vector_accum('{0}', '[1,2,3]');  -> {1,1,2,3}
    expect(show(call('vector_accum', [F8ARR, V], [f8arr(0), vec('[1,2,3]')]))).toBe('{1,1,2,3}');
    expect(show(call('vector_accum', [F8ARR, V], [f8arr(0, 0, 0, 0), vec('[1,2,3]')]))).toBe('{1,1,2,3}');
    expect(show(call('vector_accum', [F8ARR, V], [f8arr(1, 1, 2, 3), vec('[1,2,3]')]))).toBe('{2,2,4,6}');
    expect(() => call('vector_accum', [F8ARR, V], [f8arr(), vec('[1,2,3]')])).toThrow(err('XX000', 'vector_accum: expected state array'));
    expect(() => call('vector_accum', [F8ARR, V], [f8arr(0, 0), vec('[1,2,3]')])).toThrow(err('22000', 'expected 1 dimensions, not 3'));
    expect(returnTypeOf('vector_accum', [F8ARR, V])).toBe(F8ARR);
  });

  it('vector_combine and vector_avg', () => {
    expect(show(call('vector_combine', [F8ARR, F8ARR], [f8arr(1, 2), f8arr(3, 4)]))).toBe('{4,6}');
    const twoD: SqlArray = { kind: 'array', elemOid: 701, dims: [1, 2], lbounds: [1, 1], items: [1, 2] };
    expect(() => call('vector_combine', [F8ARR, F8ARR], [twoD, f8arr(3, 4)])).toThrow(err('XX000', 'vector_combine: expected state array'));
    expect(() => call('vector_combine', [F8ARR, F8ARR], [f8arr(0), f8arr()])).toThrow(err('XX000', 'vector_combine: expected state array'));
    expect(() => call('vector_combine', [F8ARR, F8ARR], [f8arr(1, 2), f8arr(1, 2, 3)])).toThrow(err('22000', 'expected 1 dimensions, not 2'));
    expect(show(call('vector_avg', [F8ARR], [f8arr(2, 2, 7)]))).toBe('[1,3.5]');
    expect(call('vector_avg', [F8ARR], [f8arr(0)])).toBeNull();
    const big = f8arr(1, ...new Array<number>(16001).fill(1));
    expect(() => call('vector_avg', [F8ARR], [big])).toThrow(err('54000', 'vector cannot have more than 16000 dimensions'));
    expect(() => call('halfvec_avg', [F8ARR], [big])).toThrow(err('54000', 'halfvec cannot have more than 16000 dimensions'));
    expect(show(call('halfvec_accum', [F8ARR, H], [f8arr(0), half('[1,2]')]))).toBe('{1,1,2}');
    expect(show(call('halfvec_avg', [F8ARR], [f8arr(2, 3)]))).toBe('[1.5]');
  });
});
