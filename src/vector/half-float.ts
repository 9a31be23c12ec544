// IEEE 754 binary16 ("half") helpers: rounding a JS number to the nearest half (ties to even, as
// F16C's _cvtss_sh and C's (_Float16) conversion do), and the 16-bit encoding both ways. Halves
// are carried as ordinary JS numbers whose values are exactly representable in binary16.

/** Largest finite half. */
export const HALF_MAX = 65504;
/** Smallest positive normal half (2^-14). */
const HALF_MIN_NORMAL = 2 ** -14;
/** Spacing of subnormal halves (2^-24). */
const HALF_SUBNORMAL_STEP = 2 ** -24;

/** Round-half-to-even of a non-negative number below 2^52. */
function roundEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** floor(log2(a)) for a finite a > 0, exactly. */
function exponentOf(a: number): number {
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  return e;
}

/**
 * The half nearest to x (ties to even), as a number; ±Infinity past the largest half (anything
 * at or beyond 65520 rounds away), NaN for NaN; the sign of zero is kept.
 */
export function toHalf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const neg = x < 0 || Object.is(x, -0);
  const a = neg ? -x : x;
  let r: number;
  if (a >= 65520) r = Infinity;
  else if (a < HALF_MIN_NORMAL) r = roundEven(a / HALF_SUBNORMAL_STEP) * HALF_SUBNORMAL_STEP;
  else {
    const q = 2 ** (exponentOf(a) - 10);
    r = roundEven(a / q) * q;
  }
  return neg ? -r : r;
}

/** The binary16 bit pattern of toHalf(x) (NaN becomes the quiet NaN 0x7e00). */
export function halfToBits(x: number): number {
  if (Number.isNaN(x)) return 0x7e00;
  const h = toHalf(x);
  const sign = h < 0 || Object.is(h, -0) ? 0x8000 : 0;
  const a = Math.abs(h);
  if (a === Infinity) return sign | 0x7c00;
  if (a < HALF_MIN_NORMAL) return sign | (a / HALF_SUBNORMAL_STEP);
  const e = exponentOf(a);
  return sign | ((e + 15) << 10) | (a / 2 ** (e - 10) - 1024);
}

/** The value of a binary16 bit pattern (only the low 16 bits are read). */
export function halfFromBits(bits: number): number {
  const sign = (bits & 0x8000) !== 0 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0x1f) return mant === 0 ? sign * Infinity : NaN;
  if (exp === 0) return sign * mant * HALF_SUBNORMAL_STEP;
  return sign * (1024 + mant) * 2 ** (exp - 25);
}
