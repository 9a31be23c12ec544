// Arithmetic operators on numeric, delegating to the types module's Numeric (exact decimal
// with NaN and infinities, PostgreSQL's result scales and division-by-zero errors).
import { Numeric } from '../types/index.js';
import { op } from './registry.js';
import { T } from './oids.js';
import { divZero } from './errors.js';
import { numericPower } from './math-functions.js';

export function registerNumericOps(): void {
  const N = T.numeric;
  op('+', N, N, N, (a) => (a[0] as Numeric).add(a[1] as Numeric));
  op('-', N, N, N, (a) => (a[0] as Numeric).sub(a[1] as Numeric));
  op('*', N, N, N, (a) => (a[0] as Numeric).mul(a[1] as Numeric));
  op('/', N, N, N, (a) => (a[0] as Numeric).div(a[1] as Numeric));
  op('%', N, N, N, (a) => {
    const y = a[1] as Numeric;
    if (y.isZero()) throw divZero();
    return (a[0] as Numeric).mod(y);
  });
  op('^', N, N, N, (a) => numericPower(a[0] as Numeric, a[1] as Numeric));
  op('-', 0, N, N, (a) => (a[0] as Numeric).neg());
  op('+', 0, N, N, (a) => a[0]!);
  op('@', 0, N, N, (a) => (a[0] as Numeric).abs());
}
