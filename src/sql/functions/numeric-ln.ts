// ln, exp and non-integer power of numerics to any number of digits, in bigint fixed point
// (atanh / Taylor series after range reduction), so ln(), log(), exp() and power() on numerics
// round like PostgreSQL's exact arbitrary-precision ln_var/exp_var instead of inheriting float8
// error in the last digits. Result scales follow numeric.c.
import { Numeric } from '../types/index.js';

const lnCache = new Map<string, bigint>();

/** 2 * atanh(p/q) * 10^prec for small p/q, as a fixed-point bigint. */
function atanh2(p: bigint, q: bigint, one: bigint): bigint {
  // sum over odd n of (p/q)^n / n, times 2
  let term = (one * p) / q; // z^1
  const z2n = p * p, z2d = q * q;
  let sum = 0n;
  for (let n = 1n; term !== 0n; n += 2n) {
    sum += term / n;
    term = (term * z2n) / z2d;
  }
  return 2n * sum;
}

function constLn2(prec: number, one: bigint): bigint {
  const k = `2:${prec}`;
  let v = lnCache.get(k);
  if (v === undefined) { v = atanh2(1n, 3n, one); lnCache.set(k, v); }
  return v;
}

function constLn10(prec: number, one: bigint): bigint {
  const k = `10:${prec}`;
  let v = lnCache.get(k);
  if (v === undefined) {
    // ln 10 = 3 ln 2 + ln 1.25 = 3 ln 2 + 2 atanh(1/9)
    v = 3n * constLn2(prec, one) + atanh2(1n, 9n, one);
    lnCache.set(k, v);
  }
  return v;
}

/** ln(x) for a finite x > 0, as ln(x) * 10^prec (truncated; error well below 10^-(prec-5)). */
export function lnFixed(x: Numeric, prec: number): bigint {
  const guard = prec + 12;
  const one = 10n ** BigInt(guard);
  // x = coef * 10^-scale; write coef = m * 10^(d-1) with 1 <= m < 10
  const coef = x.coef;
  const d = coef.toString().length;
  const e = d - 1 - x.scale; // x = (coef / 10^(d-1)) * 10^e
  let y = (coef * one) / 10n ** BigInt(d - 1); // y in [1, 10) * one
  let k = 0n;
  const hi = (one * 3n) / 2n, lo = (one * 3n) / 4n;
  while (y > hi) { y /= 2n; k++; }
  while (y < lo) { y *= 2n; k--; }
  const lny = atanh2(y - one, y + one, one);
  const total = lny + k * constLn2(guard, one) + BigInt(e) * constLn10(guard, one);
  return total / 10n ** 12n;
}

/** PostgreSQL's estimate_ln_dweight. */
export function estimateLnDweight(x: Numeric): number {
  const v = x.toNumber();
  if (v >= 0.9 && v <= 1.1) {
    const d = x.sub(Numeric.ONE).abs();
    if (d.isZero()) return 0;
    // weight of the first base-10000 digit, plus its decimal digits
    const [w, first] = d.nbaseWeightAndFirstDigit();
    return w * 4 + Math.trunc(Math.log10(first));
  }
  const lnv = Math.log(v);
  return Number.isFinite(lnv) ? Math.trunc(Math.log10(Math.abs(lnv))) : Math.trunc(x.log10Estimate() * 2.302585092994046);
}

/** ln(x) with PostgreSQL's result scale (finite x > 0). */
export function numericLn(x: Numeric): Numeric {
  let rscale = 16 - estimateLnDweight(x);
  rscale = Math.min(Math.max(rscale, x.scale, 0), 1000);
  return Numeric.of(lnFixed(x, rscale + 8), rscale + 8).round(rscale);
}

/** log(base, x) with PostgreSQL's log_var result scale (finite positive inputs, base != 1). */
export function numericLogExact(base: Numeric, x: Numeric): Numeric {
  let rscale = 16 - (estimateLnDweight(x) - estimateLnDweight(base));
  rscale = Math.min(Math.max(rscale, base.scale, x.scale, 0), 1000);
  const p = rscale + 20;
  const lx = Numeric.of(lnFixed(x, p), p);
  const lb = Numeric.of(lnFixed(base, p), p);
  return lx.div(lb, rscale);
}

/** e^x * 10^prec (x as a fixed-point bigint at scale xs), truncated. */
function expFixed(xCoef: bigint, xs: number, prec: number): bigint {
  // relative precision must cover the integer digits of the result too
  const approx = Number(xCoef) / 10 ** xs;
  const mag = Number.isFinite(approx) && approx > 0 ? Math.ceil(approx * 0.4343) : 0;
  const guard = prec + 25 + mag;
  const one = 10n ** BigInt(guard);
  // X = x * one
  const X = xs <= guard ? xCoef * 10n ** BigInt(guard - xs) : xCoef / 10n ** BigInt(xs - guard);
  const ln2 = constLn2(guard, one);
  // k = round(X / ln2)
  let k = X / ln2;
  const rem = X - k * ln2;
  if (rem * 2n > ln2) k += 1n;
  else if (rem * 2n < -ln2) k -= 1n;
  let r = X - k * ln2; // |r| <= ln2/2
  const m = 10n;
  r /= 1n << m;
  // Taylor series of e^r
  let sum = one, term = one;
  for (let n = 1n; term !== 0n; n++) {
    term = (term * r) / (one * n);
    sum += term;
  }
  for (let i = 0n; i < m; i++) sum = (sum * sum) / one;
  // multiply by 2^k
  sum = k >= 0n ? sum << k : sum >> -k;
  return sum / 10n ** BigInt(25 + mag);
}

const MAX_SCALE = 1000;

/** exp(x) with PostgreSQL's numeric_exp result scale (finite x). */
export function numericExp(x: Numeric): Numeric {
  let val = x.toNumber() * 0.434294481903252;
  val = Math.min(Math.max(val, -2000), 2000);
  if (val > 131072 / 1 || x.toNumber() * 0.434294481903252 > 131071) return x.exp(); // overflow error path
  let rscale = 16 - Math.trunc(val);
  rscale = Math.min(Math.max(rscale, x.scale, 0), MAX_SCALE);
  if (x.toNumber() > 7000) return x.exp();
  return Numeric.of(expFixed(x.coef, x.scale, rscale + 5), rscale + 5).round(rscale);
}

/** base^e for finite base > 0 and finite non-integer e, with PostgreSQL's power_var scale. */
export function numericPowFrac(base: Numeric, e: Numeric): Numeric {
  const lnApprox = Math.log(base.toNumber()) * e.toNumber();
  let val = lnApprox * 0.434294481903252;
  if (!Number.isFinite(val)) return base.pow(e);
  let rscale = 16 - Math.trunc(val);
  rscale = Math.min(Math.max(rscale, base.scale, e.scale, 0), MAX_SCALE);
  if (Math.abs(lnApprox) > 7000) return base.pow(e);
  const mag = Math.max(0, Math.ceil(val));
  const eDigits = Math.max(0, Math.ceil(Math.log10(Math.abs(e.toNumber()) + 1)));
  const p = rscale + mag + eDigits + 20;
  const lnb = lnFixed(base, p); // ln(base) * 10^p
  // t = e * ln(base), fixed point at scale p + e.scale
  const t = lnb * e.coef;
  return Numeric.of(expFixed(t, p + e.scale, rscale + 5), rscale + 5).round(rscale);
}
