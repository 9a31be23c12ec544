// Aggregates against PostgreSQL 15: expected texts were produced by the SQL in each comment.
import { describe, expect, it } from 'vitest';
import './index.js';
import { runAgg } from './test-support.js';

const col = (...xs: (string | null)[]) => xs.map((x) => [x]);

describe('aggregates match PostgreSQL 15', () => {
  it('int4 column (values 1,2,4,7,NULL)', () => {
    const rows = col('1', '2', '4', '7', null);
    expect(runAgg('count', [], rows.map(() => []))).toBe('5');
    expect(runAgg('count', [23], rows)).toBe('4');
    expect(runAgg('sum', [23], rows)).toBe('14');
    expect(runAgg('avg', [23], rows)).toBe('3.5000000000000000');
    expect(runAgg('min', [23], rows)).toBe('1');
    expect(runAgg('max', [23], rows)).toBe('7');
    expect(runAgg('stddev', [23], rows)).toBe('2.6457513110645906');
    expect(runAgg('variance', [23], rows)).toBe('7.0000000000000000');
    expect(runAgg('stddev_pop', [23], rows)).toBe('2.2912878474779200');
    expect(runAgg('var_pop', [23], rows)).toBe('5.2500000000000000');
    expect(runAgg('bit_and', [23], rows)).toBe('0');
    expect(runAgg('bit_or', [23], rows)).toBe('7');
    expect(runAgg('bit_xor', [23], rows)).toBe('0');
  });

  it('numeric column (1.5, 2.25, 3.125)', () => {
    const rows = col('1.5', '2.25', '3.125');
    expect(runAgg('sum', [1700], rows)).toBe('6.875');
    expect(runAgg('avg', [1700], rows)).toBe('2.2916666666666667');
    expect(runAgg('stddev', [1700], rows)).toBe('0.81330088733096395985');
    expect(runAgg('var_samp', [1700], rows)).toBe('0.66145833333333333333');
  });

  it('float8 column (1.5, 2.25, 3.125)', () => {
    const rows = col('1.5', '2.25', '3.125');
    expect(runAgg('sum', [701], rows)).toBe('6.875');
    expect(runAgg('avg', [701], rows)).toBe('2.2916666666666665');
    expect(runAgg('stddev', [701], rows)).toBe('0.813300887330964');
    expect(runAgg('var_pop', [701], rows)).toBe('0.44097222222222227');
    expect(runAgg('min', [701], rows)).toBe('1.5');
  });

  it('float4 sums round to single precision, avg is double', () => {
    expect(runAgg('sum', [700], col('0.1', '0.2'))).toBe('0.3');
    expect(runAgg('avg', [700], col('0.1', '0.2'))).toBe('0.15000000223517418');
  });

  it('bigint sum and avg are numeric and do not overflow', () => {
    const rows = col('9223372036854775807', '1');
    expect(runAgg('sum', [20], rows)).toBe('9223372036854775808');
    expect(runAgg('avg', [20], rows)).toBe('4611686018427387904');
  });

  it('avg of smallints', () => {
    expect(runAgg('avg', [21], col('1', '2', '2'))).toBe('1.6666666666666667');
  });

  it('interval sum and avg', () => {
    const rows = col('1 day', '2 hours');
    expect(runAgg('sum', [1186], rows)).toBe('1 day 02:00:00');
    expect(runAgg('avg', [1186], rows)).toBe('13:00:00');
  });

  it('empty input: NULL except count', () => {
    for (const [name, t] of [['sum', 23], ['avg', 23], ['stddev', 23], ['min', 23], ['array_agg', 23], ['bool_and', 16], ['every', 16]] as const) {
      expect(runAgg(name, [t], [])).toBeNull();
    }
    expect(runAgg('count', [23], [])).toBe('0');
    expect(runAgg('string_agg', [25, 25], [])).toBeNull();
  });

  it('text: string_agg, array_agg keep order; min/max', () => {
    const rows = [['b', '-'], [null, '-'], ['a', '-'], ['c', '-']];
    expect(runAgg('string_agg', [25, 25], rows)).toBe('b-a-c');
    expect(runAgg('array_agg', [25], col('b', null, 'a', 'c'))).toBe('{b,NULL,a,c}');
    expect(runAgg('min', [25], col('b', null, 'a', 'c'))).toBe('a');
    expect(runAgg('max', [25], col('b', null, 'a', 'c'))).toBe('c');
  });

  it('booleans', () => {
    const rows = col('true', 'false', null);
    expect(runAgg('bool_and', [16], rows)).toBe('f');
    expect(runAgg('bool_or', [16], rows)).toBe('t');
    expect(runAgg('every', [16], rows)).toBe('f');
  });

  it('array_agg of arrays builds a higher dimension', () => {
    expect(runAgg('array_agg', [1007], col('{1,2}', '{3,4}'))).toBe('{{1,2},{3,4}}');
  });

  it('single-row sample statistics are NULL', () => {
    expect(runAgg('stddev', [23], col('1'))).toBeNull();
    expect(runAgg('variance', [23], col('1'))).toBeNull();
  });

  it('float8 sum overflow raises 22003', () => {
    expect(() => runAgg('sum', [701], col('1e308', '1e308'))).toThrow(expect.objectContaining({ code: '22003', message: 'value out of range: overflow' }));
  });
});
