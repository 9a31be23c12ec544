// float4 output: the double-arithmetic fast path for the shortest round-tripping digits must
// print exactly what the exact search prints, wherever it answers.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { float4Out } from './scalar-io.js';
import { shortestFloat4Fast, shortestFloat4Slow } from './scalar-io.js';

describe('float4Out fast path', () => {
  it('agrees with the exact search on random and embedding-like values', () => {
    let answered = 0;
    fc.assert(fc.property(
      fc.oneof(
        fc.float({ noNaN: true, noDefaultInfinity: true }),
        fc.double({ min: -10, max: 10, noNaN: true }).map(Math.fround),
        fc.integer({ min: -1_000_000, max: 1_000_000 }).map((i) => Math.fround(i / 1000)),
      ),
      (v) => {
        if (v === 0) return true;
        const a = Math.abs(v);
        if (shortestFloat4Fast(a) === undefined) return true;
        answered++;
        return float4Out(v, 1) === shortestFloat4Slow(v < 0, a);
      },
    ), { numRuns: 30_000 });
    expect(answered).toBeGreaterThan(5_000);
  });

  it('prints PostgreSQL float4 shortest forms', () => {
    expect([0.1, 1, 100, 1e-5, 123456.79, 3.4028235e38, 1.17549435e-38, -2.5].map((x) => float4Out(Math.fround(x), 1)))
      .toEqual(['0.1', '1', '100', '1e-05', '123456.79', '3.4028235e+38', '1.1754944e-38', '-2.5']);
  });
});
