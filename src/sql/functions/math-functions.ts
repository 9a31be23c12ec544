// Mathematical functions (abs, round, trunc, ceil/floor, sqrt, power, exp/ln/log, trig, gcd/lcm,
// width_bucket, mod/div, random, ...) for the integer, float and numeric types, with PostgreSQL's
// result types, scales and errors.
import { SqlError, SQLSTATE } from '../../base/index.js';
import { Numeric } from '../types/index.js';
import type { Datum } from '../types/index.js';
import { fn } from './registry.js';
import { T } from './oids.js';
import { divZero, floatOverflow, floatUnderflow, int2Range, int4Range, int8Range } from './errors.js';
import { floatPow, floatSqrt } from './float-ops.js';
import { numericExp, numericLn, numericLogExact, numericPowFrac } from './numeric-ln.js';

/** C rint(): round half to even. */
export function rint(x: number): number {
  if (!Number.isFinite(x)) return x;
  const f = x - Math.trunc(x);
  if (f === 0.5 || f === -0.5) return 2 * Math.round(x / 2);
  return Math.round(x);
}

const logError = (msg: string) => new SqlError(SQLSTATE.INVALID_ARGUMENT_FOR_LOGARITHM, msg);
const outOfRange = () => new SqlError(SQLSTATE.NUMERIC_VALUE_OUT_OF_RANGE, 'input is out of range');

function floatLn(x: number, log: (v: number) => number): number {
  if (x === 0) throw logError('cannot take logarithm of zero');
  if (x < 0) throw logError('cannot take logarithm of a negative number');
  return log(x);
}

function floatExp(x: number): number {
  const r = Math.exp(x);
  if (r === Infinity && Number.isFinite(x)) throw floatOverflow();
  if (r === 0 && Number.isFinite(x)) throw floatUnderflow();
  return r;
}

/** log(base, x) on numerics with PostgreSQL's log_var result scale. */
export function numericLog(base: Numeric, x: Numeric): Numeric {
  for (const v of [base, x]) {
    if (v.isNaN()) return Numeric.NaN;
    if (v.isZero()) throw logError('cannot take logarithm of zero');
    if (v.sign() < 0) throw logError('cannot take logarithm of a negative number');
  }
  if (base.isInfinite() || x.isInfinite()) {
    if (base.isInfinite() && x.isInfinite()) return Numeric.NaN;
    if (x.isInfinite()) return Numeric.POS_INF;
    return Numeric.ZERO;
  }
  if (base.compare(Numeric.ONE) === 0) throw divZero();
  return numericLogExact(base, x);
}

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) { const t = a % b; a = b; b = t; }
  return a;
}

function intGcd(a: bigint, b: bigint, chk: (x: bigint) => void): bigint {
  const r = gcd(a, b);
  chk(r);
  return r;
}

function intLcm(a: bigint, b: bigint, chk: (x: bigint) => void): bigint {
  if (a === 0n || b === 0n) return 0n;
  let r = (a / gcd(a, b)) * b;
  if (r < 0n) r = -r;
  chk(r);
  return r;
}

const chk4 = (x: bigint) => { if (x > 2147483647n || x < -2147483648n) throw int4Range(); };
const chk8 = (x: bigint) => { if (x > 9223372036854775807n || x < -9223372036854775808n) throw int8Range(); };

function widthBucketFloat(op: number, b1: number, b2: number, count: number): number {
  if (count <= 0) throw new SqlError(SQLSTATE.INVALID_ARGUMENT_FOR_WIDTH_BUCKET_FUNCTION, 'count must be greater than zero');
  if (Number.isNaN(op) || Number.isNaN(b1) || Number.isNaN(b2)) {
    throw new SqlError(SQLSTATE.INVALID_ARGUMENT_FOR_WIDTH_BUCKET_FUNCTION, 'operand, lower bound, and upper bound cannot be NaN');
  }
  if (!Number.isFinite(b1) || !Number.isFinite(b2)) {
    throw new SqlError(SQLSTATE.INVALID_ARGUMENT_FOR_WIDTH_BUCKET_FUNCTION, 'lower and upper bounds must be finite');
  }
  let r: number;
  if (b1 < b2) {
    if (op < b1) r = 0;
    else if (op >= b2) r = count + 1;
    else r = Math.floor(count * ((op - b1) / (b2 - b1))) + 1;
  } else if (b1 > b2) {
    if (op > b1) r = 0;
    else if (op <= b2) r = count + 1;
    else r = Math.floor(count * ((b1 - op) / (b1 - b2))) + 1;
  } else {
    throw new SqlError(SQLSTATE.INVALID_ARGUMENT_FOR_WIDTH_BUCKET_FUNCTION, 'lower bound cannot equal upper bound');
  }
  if (r > 2147483647) throw int4Range();
  return r;
}

function widthBucketNumeric(op: Numeric, b1: Numeric, b2: Numeric, count: number): number {
  if (count <= 0) throw new SqlError(SQLSTATE.INVALID_ARGUMENT_FOR_WIDTH_BUCKET_FUNCTION, 'count must be greater than zero');
  if (op.isNaN() || b1.isNaN() || b2.isNaN()) {
    throw new SqlError(SQLSTATE.INVALID_ARGUMENT_FOR_WIDTH_BUCKET_FUNCTION, 'operand, lower bound, and upper bound cannot be NaN');
  }
  if (b1.isInfinite() || b2.isInfinite()) {
    throw new SqlError(SQLSTATE.INVALID_ARGUMENT_FOR_WIDTH_BUCKET_FUNCTION, 'lower and upper bounds must be finite');
  }
  const c = b1.compare(b2);
  const cnt = Numeric.fromBigInt(BigInt(count));
  let r: number;
  if (c < 0) {
    if (op.compare(b1) < 0) r = 0;
    else if (op.compare(b2) >= 0) r = count + 1;
    else r = Number(op.sub(b1).mul(cnt).divTrunc(b2.sub(b1)).truncToBigInt()) + 1;
  } else if (c > 0) {
    if (op.compare(b1) > 0) r = 0;
    else if (op.compare(b2) <= 0) r = count + 1;
    else r = Number(b1.sub(op).mul(cnt).divTrunc(b1.sub(b2)).truncToBigInt()) + 1;
  } else {
    throw new SqlError(SQLSTATE.INVALID_ARGUMENT_FOR_WIDTH_BUCKET_FUNCTION, 'lower bound cannot equal upper bound');
  }
  if (r > 2147483647) throw int4Range();
  return r;
}

// random()/setseed(): Math.random until setseed() is called, then a seeded xorshift generator
let seeded: (() => number) | null = null;
function seedWith(seed: number): void {
  let s = (Math.floor(seed * 2147483647) ^ 0x5deece66) >>> 0 || 1;
  seeded = () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

const f0 = (a: Datum[]) => a[0] as number;
const n0 = (a: Datum[]) => a[0] as Numeric;

export function registerMathFunctions(): void {
  const F = T.float8, N = T.numeric;
  fn('abs', [T.int2], T.int2, (a) => { const r = Math.abs(f0(a)); if (r > 32767) throw int2Range(); return r; });
  fn('abs', [T.int4], T.int4, (a) => { const r = Math.abs(f0(a)); if (r > 2147483647) throw int4Range(); return r; });
  fn('abs', [T.int8], T.int8, (a) => { const x = a[0] as bigint; const r = x < 0n ? -x : x; chk8(r); return r; });
  fn('abs', [T.float4], T.float4, (a) => Math.abs(f0(a)));
  fn('abs', [F], F, (a) => Math.abs(f0(a)));
  fn('abs', [N], N, (a) => n0(a).abs());
  for (const name of ['ceil', 'ceiling']) {
    fn(name, [F], F, (a) => Math.ceil(f0(a)));
    fn(name, [N], N, (a) => n0(a).ceil());
  }
  fn('floor', [F], F, (a) => Math.floor(f0(a)));
  fn('floor', [N], N, (a) => n0(a).floor());
  fn('round', [F], F, (a) => rint(f0(a)));
  fn('round', [N], N, (a) => n0(a).round(0));
  fn('round', [N, T.int4], N, (a) => n0(a).round(a[1] as number));
  fn('trunc', [F], F, (a) => Math.trunc(f0(a)));
  fn('trunc', [N], N, (a) => n0(a).trunc(0));
  fn('trunc', [N, T.int4], N, (a) => n0(a).trunc(a[1] as number));
  fn('sign', [F], F, (a) => { const x = f0(a); return x > 0 ? 1 : x < 0 ? -1 : 0; });
  fn('sign', [N], N, (a) => {
    const x = n0(a);
    if (x.isNaN()) return Numeric.NaN;
    return Numeric.fromBigInt(BigInt(x.sign()));
  });
  fn('sqrt', [F], F, (a) => floatSqrt(f0(a)));
  fn('sqrt', [N], N, (a) => n0(a).sqrt());
  fn('cbrt', [F], F, (a) => Math.cbrt(f0(a)));
  for (const name of ['power', 'pow']) {
    fn(name, [F, F], F, (a) => floatPow(f0(a), a[1] as number));
    fn(name, [N, N], N, (a) => numericPower(n0(a), a[1] as Numeric));
  }
  fn('exp', [F], F, (a) => floatExp(f0(a)));
  fn('exp', [N], N, (a) => (n0(a).isFinite() ? numericExp(n0(a)) : n0(a).exp()));
  fn('ln', [F], F, (a) => floatLn(f0(a), Math.log));
  fn('ln', [N], N, (a) => {
    const x = n0(a);
    if (!x.isFinite() || x.sign() <= 0) return x.ln(); // NaN, infinities and the errors
    return numericLn(x);
  });
  fn('log', [F], F, (a) => floatLn(f0(a), Math.log10));
  fn('log10', [F], F, (a) => floatLn(f0(a), Math.log10));
  const ten = Numeric.fromBigInt(10n);
  fn('log', [N], N, (a) => numericLog(ten, n0(a)));
  fn('log10', [N], N, (a) => numericLog(ten, n0(a)));
  fn('log', [N, N], N, (a) => numericLog(n0(a), a[1] as Numeric));
  const imod = (a: Datum[]) => {
    const y = a[1] as number;
    if (y === 0) throw divZero();
    const r = f0(a) % y;
    return r === 0 ? 0 : r;
  };
  fn('mod', [T.int2, T.int2], T.int2, imod);
  fn('mod', [T.int4, T.int4], T.int4, imod);
  fn('mod', [T.int8, T.int8], T.int8, (a) => {
    const y = a[1] as bigint;
    if (y === 0n) throw divZero();
    return (a[0] as bigint) % y;
  });
  fn('mod', [N, N], N, (a) => {
    if ((a[1] as Numeric).isZero()) throw divZero();
    return n0(a).mod(a[1] as Numeric);
  });
  fn('div', [N, N], N, (a) => n0(a).divTrunc(a[1] as Numeric));
  fn('pi', [], F, () => Math.PI);
  fn('random', [], F, () => (seeded !== null ? seeded() : Math.random()));
  fn('setseed', [F], T.void, (a) => {
    const s = f0(a);
    if (s < -1 || s > 1 || Number.isNaN(s)) {
      throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, `setseed parameter ${s} is out of allowed range [-1,1]`);
    }
    seedWith(s);
    return null;
  });
  fn('degrees', [F], F, (a) => f0(a) * (180 / Math.PI));
  fn('radians', [F], F, (a) => f0(a) * (Math.PI / 180));
  const trig = (name: string, f: (x: number) => number, domain?: (x: number) => boolean) => {
    fn(name, [F], F, (a) => {
      const x = f0(a);
      if (Number.isNaN(x)) return NaN;
      if (domain !== undefined ? !domain(x) : !Number.isFinite(x)) throw outOfRange();
      return f(x);
    });
  };
  trig('sin', Math.sin);
  trig('cos', Math.cos);
  trig('tan', Math.tan);
  trig('cot', (x) => 1 / Math.tan(x));
  trig('asin', Math.asin, (x) => x >= -1 && x <= 1);
  trig('acos', Math.acos, (x) => x >= -1 && x <= 1);
  trig('atan', Math.atan, () => true);
  fn('atan2', [F, F], F, (a) => Math.atan2(f0(a), a[1] as number));
  const deg = (x: number) => (x * Math.PI) / 180;
  trig('sind', (x) => { const r = x % 360; if (r % 180 === 0) return 0 * Math.sign(r) || 0; if (r === 90 || r === -270) return 1; if (r === 270 || r === -90) return -1; if (r === 30 || r === 150 || r === -210 || r === -330) return 0.5; if (r === -30 || r === -150 || r === 210 || r === 330) return -0.5; return Math.sin(deg(x)); });
  trig('cosd', (x) => { const r = Math.abs(x % 360); if (r === 90 || r === 270) return 0; if (r === 0) return 1; if (r === 180) return -1; if (r === 60 || r === 300) return 0.5; if (r === 120 || r === 240) return -0.5; return Math.cos(deg(x)); });
  trig('tand', (x) => { const r = x % 180; if (r === 0) return 0; if (r === 45 || r === -135) return 1; if (r === -45 || r === 135) return -1; if (r === 90 || r === -90) return r > 0 ? Infinity : -Infinity; return Math.tan(deg(x)); });
  fn('gcd', [T.int4, T.int4], T.int4, (a) => Number(intGcd(BigInt(f0(a)), BigInt(a[1] as number), chk4)));
  fn('gcd', [T.int8, T.int8], T.int8, (a) => intGcd(a[0] as bigint, a[1] as bigint, chk8));
  fn('lcm', [T.int4, T.int4], T.int4, (a) => Number(intLcm(BigInt(f0(a)), BigInt(a[1] as number), chk4)));
  fn('lcm', [T.int8, T.int8], T.int8, (a) => intLcm(a[0] as bigint, a[1] as bigint, chk8));
  fn('gcd', [N, N], N, (a) => numericGcd(n0(a), a[1] as Numeric));
  fn('lcm', [N, N], N, (a) => {
    const x = n0(a), y = a[1] as Numeric;
    if (x.isNaN() || y.isNaN()) return Numeric.NaN;
    if (x.isZero() || y.isZero()) return Numeric.ZERO.round(Math.max(x.scale, y.scale));
    return x.div(numericGcd(x, y), 0).mul(y).abs().round(Math.max(x.scale, y.scale));
  });
  fn('width_bucket', [F, F, F, T.int4], T.int4, (a) => widthBucketFloat(f0(a), a[1] as number, a[2] as number, a[3] as number));
  fn('width_bucket', [N, N, N, T.int4], T.int4, (a) => widthBucketNumeric(n0(a), a[1] as Numeric, a[2] as Numeric, a[3] as number));
  fn('scale', [N], T.int4, (a) => (n0(a).isFinite() ? n0(a).scale : null));
  fn('min_scale', [N], T.int4, (a) => (n0(a).isFinite() ? n0(a).normalized().scale : null));
  fn('trim_scale', [N], N, (a) => n0(a).normalized());
  fn('factorial', [T.int8], N, (a) => {
    const n = a[0] as bigint;
    if (n < 0n) throw new SqlError(SQLSTATE.NUMERIC_VALUE_OUT_OF_RANGE, 'factorial of a negative number is undefined');
    if (n > 32177n) throw new SqlError(SQLSTATE.NUMERIC_VALUE_OUT_OF_RANGE, 'value overflows numeric format');
    let r = 1n;
    for (let i = 2n; i <= n; i++) r *= i;
    return Numeric.fromBigInt(r);
  });
}

/** numeric ^ numeric: exact for integer exponents (Numeric.pow), fixed-point exp/ln otherwise. */
export function numericPower(x: Numeric, e: Numeric): Numeric {
  if (x.isFinite() && e.isFinite() && x.sign() !== 0) {
    // The result's decimal exponent is about e * log10|x|; numeric holds at most 131072 digits
    // before the point (PostgreSQL: "value overflows numeric format"). Checked before computing.
    const digits = x.abs().toString().replace(/^0\.0*/, '0.').split('.')[0]!.length;
    const lg = x.abs().toNumber() > 0 && Number.isFinite(x.abs().toNumber()) ? Math.log10(x.abs().toNumber()) : digits;
    const magnitude = lg * e.toNumber();
    if (magnitude > 131072) throw new SqlError(SQLSTATE.NUMERIC_VALUE_OUT_OF_RANGE, 'value overflows numeric format');
  }
  if (x.isFinite() && e.isFinite() && x.sign() > 0 && e.trunc(0).compare(e) !== 0) return numericPowFrac(x, e);
  return x.pow(e);
}

function numericGcd(x: Numeric, y: Numeric): Numeric {
  if (x.isNaN() || y.isNaN()) return Numeric.NaN;
  if (x.isInfinite() || y.isInfinite()) return Numeric.NaN;
  const s = Math.max(x.scale, y.scale);
  const cx = x.round(s).coef, cy = y.round(s).coef;
  return Numeric.of(gcd(cx, cy), s);
}
