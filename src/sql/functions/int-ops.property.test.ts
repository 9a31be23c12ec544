// Property tests: integer operators agree with exact BigInt arithmetic, raising 22003 exactly when
// the exact result leaves the type's range and 22012 for a zero divisor (truncating division).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SqlError } from '../../base/index.js';
import type { Datum } from '../types/index.js';
import { resolveOperator } from './index.js';
import { makeCtx } from './test-support.js';

const RANGES = {
  21: [-32768n, 32767n, 'smallint'],
  23: [-2147483648n, 2147483647n, 'integer'],
  20: [-9223372036854775808n, 9223372036854775807n, 'bigint'],
} as const;

function exact(op: string, a: bigint, b: bigint): bigint | 'div0' {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return b === 0n ? 'div0' : a / b;
    default: return b === 0n ? 'div0' : a % b;
  }
}

function arb(t: 21 | 23 | 20) {
  const [lo, hi] = RANGES[t];
  return fc.oneof(fc.bigInt({ min: lo, max: hi }), fc.constantFrom(lo, hi, -1n, 0n, 1n));
}

const toDatum = (t: number, v: bigint): Datum => (t === 20 ? v : Number(v));

describe('integer operators match exact arithmetic', () => {
  const pairs: [21 | 23 | 20, 21 | 23 | 20][] = [[23, 23], [21, 21], [20, 20], [21, 23], [23, 20], [20, 21]];
  for (const op of ['+', '-', '*', '/', '%']) {
    for (const [l, r] of pairs) {
      if (op === '%' && l !== r) continue;
      it(`${op} (${l}, ${r})`, () => {
        const res = resolveOperator(op, l, r);
        const out = res.returnType as 21 | 23 | 20;
        const [lo, hi, name] = RANGES[out];
        const impl = (res.def as { impl: (a: Datum[], c: unknown) => Datum }).impl;
        const ctx = makeCtx(res);
        fc.assert(fc.property(arb(l), arb(r), (a, b) => {
          const want = exact(op, a, b);
          let got: Datum | SqlError;
          try { got = impl([toDatum(l, a), toDatum(r, b)], ctx); } catch (e) { got = e as SqlError; }
          if (want === 'div0') {
            expect(got).toMatchObject({ code: '22012', message: 'division by zero' });
          } else if (want < lo || want > hi) {
            expect(got).toMatchObject({ code: '22003', message: `${name} out of range` });
          } else {
            expect(got).toBe(toDatum(out, want));
          }
        }), { numRuns: 300 });
      });
    }
  }
});
