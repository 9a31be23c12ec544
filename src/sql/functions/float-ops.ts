// Arithmetic operators on float4/float8 (and their float4/float8 mixes), with PostgreSQL's
// overflow/underflow (22003) and division-by-zero (22012) checks. float4 results are rounded
// to single precision with Math.fround.
import { SqlError, SQLSTATE } from '../../base/index.js';
import { op } from './registry.js';
import { T } from './oids.js';
import { divZero, floatOverflow, floatUnderflow } from './errors.js';

/** PostgreSQL's float_overflow/underflow checks for a result r of inputs x, y. */
function chk(r: number, x: number, y: number, zeroOk: boolean): number {
  if (r === Infinity || r === -Infinity) {
    if (x !== Infinity && x !== -Infinity && y !== Infinity && y !== -Infinity) throw floatOverflow();
  } else if (r === 0 && !zeroOk) throw floatUnderflow();
  return r;
}

function chk4(r8: number, x: number, y: number, zeroOk: boolean): number {
  const r = Math.fround(r8);
  return chk(r, x, y, zeroOk);
}

export function floatPow(x: number, y: number): number {
  if (x === 0 && y < 0) {
    throw new SqlError(SQLSTATE.INVALID_ARGUMENT_FOR_POWER_FUNCTION, 'zero raised to a negative power is undefined');
  }
  if (x < 0 && Number.isFinite(y) && Math.floor(y) !== y) {
    throw new SqlError(SQLSTATE.INVALID_ARGUMENT_FOR_POWER_FUNCTION, 'a negative number raised to a non-integer power yields a complex result');
  }
  if (Number.isNaN(x)) return y === 0 ? 1 : NaN;
  if (Number.isNaN(y)) return x === 1 ? 1 : NaN;
  // POSIX pow semantics for infinities, which JS mostly shares except 1^inf and -1^inf
  if ((x === 1 || x === -1) && !Number.isFinite(y)) return 1;
  const r = Math.pow(x, y);
  if (!Number.isFinite(r) && Number.isFinite(x) && Number.isFinite(y)) throw floatOverflow();
  if (r === 0 && x !== 0 && Number.isFinite(x) && Number.isFinite(y)) throw floatUnderflow();
  return r;
}

export function registerFloatOps(): void {
  // float8 op float8 (hot)
  op('+', T.float8, T.float8, T.float8, (a) => {
    const x = a[0] as number, y = a[1] as number, r = x + y;
    return r === Infinity || r === -Infinity ? chk(r, x, y, true) : r;
  });
  op('-', T.float8, T.float8, T.float8, (a) => {
    const x = a[0] as number, y = a[1] as number, r = x - y;
    return r === Infinity || r === -Infinity ? chk(r, x, y, true) : r;
  });
  op('*', T.float8, T.float8, T.float8, (a) => {
    const x = a[0] as number, y = a[1] as number;
    return chk(x * y, x, y, x === 0 || y === 0);
  });
  op('/', T.float8, T.float8, T.float8, (a) => {
    const x = a[0] as number, y = a[1] as number;
    if (y === 0 && !Number.isNaN(x)) throw divZero();
    return chk(x / y, x, y, x === 0 || !Number.isFinite(y));
  });
  // float4 variants and mixes
  const pairs: [number, number, number][] = [
    [T.float4, T.float4, T.float4], [T.float4, T.float8, T.float8], [T.float8, T.float4, T.float8],
  ];
  for (const [l, r, ret] of pairs) {
    const c = ret === T.float4 ? chk4 : chk;
    op('+', l, r, ret, (a) => { const x = a[0] as number, y = a[1] as number; return c(x + y, x, y, true); });
    op('-', l, r, ret, (a) => { const x = a[0] as number, y = a[1] as number; return c(x - y, x, y, true); });
    op('*', l, r, ret, (a) => { const x = a[0] as number, y = a[1] as number; return c(x * y, x, y, x === 0 || y === 0); });
    op('/', l, r, ret, (a) => {
      const x = a[0] as number, y = a[1] as number;
      if (y === 0 && !Number.isNaN(x)) throw divZero();
      return c(x / y, x, y, x === 0 || !Number.isFinite(y));
    });
  }
  op('^', T.float8, T.float8, T.float8, (a) => floatPow(a[0] as number, a[1] as number));
  for (const t of [T.float4, T.float8]) {
    op('-', 0, t, t, (a) => -(a[0] as number));
    op('+', 0, t, t, (a) => a[0]!);
    op('@', 0, t, t, (a) => Math.abs(a[0] as number));
  }
  op('|/', 0, T.float8, T.float8, (a) => floatSqrt(a[0] as number));
  op('||/', 0, T.float8, T.float8, (a) => Math.cbrt(a[0] as number));
}

export function floatSqrt(x: number): number {
  if (x < 0) throw new SqlError(SQLSTATE.INVALID_ARGUMENT_FOR_POWER_FUNCTION, 'cannot take square root of a negative number');
  return Math.sqrt(x);
}
