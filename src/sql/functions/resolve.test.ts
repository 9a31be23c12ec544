// Overload resolution against PostgreSQL 15 (expected result types from pg_typeof, errors as psql
// printed them on a real server).
import { describe, expect, it } from 'vitest';
import { SqlError } from '../../base/index.js';
import { textIn, textOut } from '../types/index.js';
import type { ScalarFunctionDef } from './function-def.js';
import { lookupFunction, lookupOperator, resolveFunction, resolveOperator, formatTypeName } from './index.js';
import { makeCtx } from './test-support.js';

/** Resolves name(..., VARIADIC last) and runs it (psql-style output). */
function runVariadic(name: string, args: [string | null, number][]): string | null {
  const r = resolveFunction(name, args.map((a) => a[1]), { variadicArray: true });
  const vals = args.map(([t, oid]) => (t === null ? null : textIn({ oid, typmod: -1 }, t)));
  const def = r.def as ScalarFunctionDef;
  if (def.strict && vals.some((v) => v === null)) return null;
  const out = def.impl(vals, makeCtx()) as ReturnType<typeof textIn>;
  return out === null ? null : textOut({ oid: r.returnType, typmod: -1 }, out);
}

const U = 705, INT2 = 21, INT4 = 23, INT8 = 20, F4 = 700, F8 = 701, NUM = 1700, TEXT = 25, VARCHAR = 1043;
const DATE = 1082, TS = 1114, TSTZ = 1184, IV = 1186, INT4A = 1007;

function err(f: () => unknown): SqlError {
  try { f(); } catch (e) { if (e instanceof SqlError) return e; throw e; }
  throw new Error('expected an error');
}

describe('operator resolution', () => {
  const cases: [string, number | null, number, number, number[]][] = [
    // [op, left, right, result type, coerced arg types]
    ['+', INT4, NUM, NUM, [NUM, NUM]], // 1 + 1.5 → numeric
    ['+', U, INT4, INT4, [INT4, INT4]], // '1' + 1 → integer
    ['+', INT4, INT8, INT8, [INT4, INT8]], // 1 + 1::bigint → bigint (int48pl)
    ['+', F8, NUM, F8, [F8, F8]], // float8 + numeric → double precision
    ['||', U, INT4, TEXT, [TEXT, INT4]], // 'a' || 1 → text (textanycat)
    ['||', INT4, U, TEXT, [INT4, TEXT]],
    ['||', U, U, TEXT, [TEXT, TEXT]], // unknown || unknown → text
    ['+', INT2, INT4, INT4, [INT2, INT4]],
    ['*', F4, INT4, F8, [F4, F8]], // float4 * 2 → double precision
    ['*', INT2, F4, F8, [F8, F4]], // float84mul
    ['-', DATE, INT4, DATE, [DATE, INT4]],
    ['-', DATE, DATE, INT4, [DATE, DATE]],
    ['||', INT4A, INT8, 1016, [1016, INT8]], // array[1] || 2::bigint → bigint[]
    ['||', INT4, INT4A, INT4A, [INT4, INT4A]],
    ['=', INT2, INT8, 16, [INT2, INT8]],
    ['=', VARCHAR, TEXT, 16, [TEXT, TEXT]],
    ['=', U, U, 16, [TEXT, TEXT]],
    ['-', TSTZ, IV, TSTZ, [TSTZ, IV]],
    ['+', TS, U, TS, [TS, IV]], // timestamp + '1 day'
    ['-', TSTZ, U, IV, [TSTZ, TSTZ]], // now() - '1 day' takes timestamptz - timestamptz, as PostgreSQL does
    ['-', null, INT4, INT4, [INT4]],
    ['~~', VARCHAR, U, 16, [TEXT, TEXT]],
  ];
  for (const [op, l, r, ret, args] of cases) {
    it(`${l === null ? '' : formatTypeName(l) + ' '}${op} ${formatTypeName(r)}`, () => {
      const res = resolveOperator(op, l, r);
      expect(res.returnType).toBe(ret);
      expect(res.argTypes).toEqual(args);
    });
  }

  it('reports a missing operator as PostgreSQL does', () => {
    const e = err(() => resolveOperator('+', INT4, TEXT));
    expect(e.code).toBe('42883');
    expect(e.message).toBe('operator does not exist: integer + text');
    expect(e.hint).toBe('No operator matches the given name and argument types. You might need to add explicit type casts.');
    expect(err(() => resolveOperator('+', INT2, TEXT)).message).toBe('operator does not exist: smallint + text');
    expect(err(() => resolveOperator('~~', TEXT, INT4)).message).toBe('operator does not exist: text ~~ integer');
    expect(err(() => resolveOperator('@@', INT4, INT4)).message).toBe('operator does not exist: integer @@ integer');
  });

  it('reports ambiguous operators with 42725', () => {
    const e = err(() => resolveOperator('-', null, U));
    expect(e.code).toBe('42725');
    expect(e.message).toBe('operator is not unique: - unknown');
    expect(e.hint).toBe('Could not choose a best candidate operator. You might need to add explicit type casts.');
    expect(err(() => resolveOperator('+', U, U)).message).toBe('operator is not unique: unknown + unknown');
    expect(err(() => resolveOperator('+', DATE, U)).message).toBe('operator is not unique: date + unknown');
  });

  it('has prefix operators with one argument and binary ones with two', () => {
    for (const d of lookupOperator('-')) expect([1, 2]).toContain(d.argTypes.length);
    expect(lookupOperator('@').every((d) => d.argTypes.length === 1)).toBe(true);
  });
});

describe('function resolution', () => {
  const cases: [string, number[], number, number[]][] = [
    ['round', [INT4], F8, [F8]],
    ['round', [NUM, INT4], NUM, [NUM, INT4]],
    ['abs', [U], F8, [F8]],
    ['abs', [INT2], INT2, [INT2]],
    ['sum', [INT4], INT8, [INT4]],
    ['sum', [INT8], NUM, [INT8]],
    ['avg', [F4], F8, [F4]],
    ['count', [], INT8, []],
    ['concat', [INT4], TEXT, [INT4]],
    ['concat', [U, INT4, NUM], TEXT, [TEXT, INT4, NUM]],
    ['max', [VARCHAR], TEXT, [TEXT]],
    ['length', [VARCHAR], INT4, [TEXT]],
    ['array_append', [INT4A, INT4], INT4A, [INT4A, INT4]],
    ['array_append', [INT4A, INT8], 1016, [1016, INT8]],
    ['array_position', [U, U], INT4, [1009, TEXT]],
    ['unnest', [INT4A], INT4, [INT4A]],
    ['array_agg', [INT4], INT4A, [INT4]],
    ['generate_series', [INT4, NUM], NUM, [NUM, NUM]],
    ['date_trunc', [U, TSTZ], TSTZ, [TEXT, TSTZ]],
    ['format', [U, U, INT4], TEXT, [TEXT, TEXT, INT4]],
  ];
  for (const [name, args, ret, coerced] of cases) {
    it(`${name}(${args.map(formatTypeName).join(', ')})`, () => {
      const r = resolveFunction(name, args);
      expect(r.returnType).toBe(ret);
      expect(r.argTypes).toEqual(coerced);
    });
  }

  it('reports a missing function as PostgreSQL does', () => {
    const e = err(() => resolveFunction('foo', [INT4, U, NUM]));
    expect(e.code).toBe('42883');
    expect(e.message).toBe('function foo(integer, unknown, numeric) does not exist');
    expect(e.hint).toBe('No function matches the given name and argument types. You might need to add explicit type casts.');
    expect(err(() => resolveFunction('length', [INT4])).message).toBe('function length(integer) does not exist');
    expect(err(() => resolveFunction('array_append', [INT4A, TEXT])).message).toBe('function array_append(integer[], text) does not exist');
  });

  it('reports ambiguous functions with 42725', () => {
    const e = err(() => resolveFunction('sum', [U]));
    expect(e.code).toBe('42725');
    expect(e.message).toBe('function sum(unknown) is not unique');
    expect(e.hint).toBe('Could not choose a best candidate function. You might need to add explicit type casts.');
  });

  it('cannot infer a polymorphic type from unknown alone', () => {
    const e = err(() => resolveFunction('array_length', [U, INT4]));
    expect(e.code).toBe('42804');
    expect(e.message).toBe('could not determine polymorphic type because input has type unknown');
  });

  it('handles an explicit VARIADIC array argument', () => {
    expect(runVariadic('concat', [['{1,2}', INT4A]])).toBe('12');
    expect(runVariadic('format', [['%s-%s', TEXT], ['{a,b}', 1009]])).toBe('a-b');
    expect(runVariadic('concat_ws', [[',', TEXT], ['{1.5,2}', 1231]])).toBe('1.5,2');
    expect(runVariadic('concat', [[null, INT4A]])).toBeNull();
    expect(runVariadic('num_nulls', [['{1,NULL,NULL}', INT4A]])).toBe('2');
    expect(err(() => resolveFunction('concat', [INT4], { variadicArray: true }))).toMatchObject({ code: '42804', message: 'VARIADIC argument must be an array' });
    expect(err(() => resolveFunction('abs', [INT4A], { variadicArray: true }))).toMatchObject({ code: '42883', message: 'function abs(integer[]) does not exist' });
  });

  it('registers aggregates alongside functions, count(*) with zero arguments', () => {
    expect(lookupFunction('count').some((d) => d.kind === 'aggregate' && d.argTypes.length === 0)).toBe(true);
    expect(lookupFunction('abs').every((d) => d.kind === 'function')).toBe(true);
  });

  it('takes OIDs and volatility from PostgreSQL', () => {
    expect(resolveFunction('now', []).def.oid).toBe(1299);
    expect(resolveFunction('now', []).def.volatility).toBe('s');
    expect(resolveFunction('random', []).def.volatility).toBe('v');
    expect(resolveOperator('+', INT4, INT4).def.oid).toBe(551);
  });
});
