// Numeric: PostgreSQL's exact arbitrary-precision decimal on bigint (coefficient x 10^-scale, the
// scale being PostgreSQL's display scale), with NaN and +-Infinity. Result scales follow
// PostgreSQL's numeric.c (select_div_scale, sqrt, power). ln/exp and non-integer powers are
// computed in bigint fixed point with guard digits (last-digit ties may differ from PostgreSQL).
import { SqlError, SQLSTATE } from '../../base/index.js';

const enum Kind { Finite = 0, NaN = 1, PosInf = 2, NegInf = 3 }

const MIN_SIG_DIGITS = 16;
const MAX_DISPLAY_SCALE = 1000;
const DSCALE_MAX = 0x3fff;

const POW10: bigint[] = [1n];
export function pow10(n: number): bigint {
  if (n < 0) throw new RangeError('negative power of ten');
  let p = POW10[n];
  if (p !== undefined) return p;
  for (let i = POW10.length; i <= n; i++) POW10.push(POW10[i - 1]! * 10n);
  p = POW10[n]!;
  return p;
}

function absBig(x: bigint): bigint { return x < 0n ? -x : x; }

/** Number of decimal digits in |x| (1 for 0). */
export function digitCount(x: bigint): number {
  const a = absBig(x);
  if (a < 10000000000000000n) {
    // fast path: fits in a double exactly enough
    let n = 1;
    let v = a;
    while (v >= 10n) { v /= 10n; n++; }
    return n;
  }
  let n = a.toString().length;
  return n;
}

/** Divides n by d (d > 0) rounding half away from zero. */
function divRoundHalfAway(n: bigint, d: bigint): bigint {
  const neg = n < 0n;
  const a = neg ? -n : n;
  let q = a / d;
  const r = a - q * d;
  if (r * 2n >= d) q += 1n;
  return neg ? -q : q;
}

export class Numeric {
  /** 0 finite, 1 NaN, 2 +Infinity, 3 -Infinity */
  readonly kind: number;
  /** Signed coefficient (finite values only). */
  readonly coef: bigint;
  /** Display scale: digits after the decimal point (>= 0). */
  readonly scale: number;

  private constructor(kind: number, coef: bigint, scale: number) {
    this.kind = kind;
    this.coef = coef;
    this.scale = scale;
  }

  static readonly NaN = new Numeric(Kind.NaN, 0n, 0);
  static readonly POS_INF = new Numeric(Kind.PosInf, 0n, 0);
  static readonly NEG_INF = new Numeric(Kind.NegInf, 0n, 0);
  static readonly ZERO = new Numeric(Kind.Finite, 0n, 0);
  static readonly ONE = new Numeric(Kind.Finite, 1n, 0);

  /** coef x 10^-scale. */
  static of(coef: bigint, scale = 0): Numeric {
    if (scale < 0) return new Numeric(Kind.Finite, coef * pow10(-scale), 0);
    return new Numeric(Kind.Finite, coef, scale);
  }

  static fromBigInt(v: bigint): Numeric { return new Numeric(Kind.Finite, v, 0); }

  /** Converts a JS number as PostgreSQL's float8 → numeric cast does (15 significant digits). */
  static fromNumber(v: number): Numeric {
    if (Number.isNaN(v)) return Numeric.NaN;
    if (v === Infinity) return Numeric.POS_INF;
    if (v === -Infinity) return Numeric.NEG_INF;
    if (Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER) return Numeric.fromBigInt(BigInt(v));
    // PostgreSQL prints with %.15g (DBL_DIG) and parses that.
    return Numeric.parse(v.toPrecision(15)).stripTrailingZerosAfterG();
  }

  /** float4 → numeric: %.6g (FLT_DIG). */
  static fromFloat4(v: number): Numeric {
    if (!Number.isFinite(v) || (Number.isInteger(v) && Math.abs(v) < 1e6)) return Numeric.fromNumber(v);
    return Numeric.parse(v.toPrecision(6)).stripTrailingZerosAfterG();
  }

  /** %g drops trailing zeros of the fraction; mimic that after toPrecision. */
  private stripTrailingZerosAfterG(): Numeric {
    if (this.kind !== Kind.Finite) return this;
    let c = this.coef;
    let s = this.scale;
    while (s > 0 && c % 10n === 0n) { c /= 10n; s--; }
    return new Numeric(Kind.Finite, c, s);
  }

  /** Parses PostgreSQL numeric input; undefined when the syntax is invalid. */
  static tryParse(str: string): Numeric | undefined | 'overflow' {
    let i = 0;
    const n = str.length;
    while (i < n && isSpace(str.charCodeAt(i))) i++;
    let end = n;
    while (end > i && isSpace(str.charCodeAt(end - 1))) end--;
    if (i >= end) return undefined;
    const body = str.slice(i, end);
    const lower = body.toLowerCase();
    if (lower === 'nan') return Numeric.NaN;
    if (lower === 'infinity' || lower === '+infinity' || lower === 'inf' || lower === '+inf') return Numeric.POS_INF;
    if (lower === '-infinity' || lower === '-inf') return Numeric.NEG_INF;
    let p = 0;
    let neg = false;
    const c0 = body.charCodeAt(0);
    if (c0 === 43 /* + */) p++;
    else if (c0 === 45 /* - */) { neg = true; p++; }
    let digits = '';
    let sawDigit = false;
    let sawPoint = false;
    let fracDigits = 0;
    for (; p < body.length; p++) {
      const c = body.charCodeAt(p);
      if (c >= 48 && c <= 57) {
        sawDigit = true;
        digits += body[p];
        if (sawPoint) fracDigits++;
      } else if (c === 46 /* . */) {
        if (sawPoint) return undefined;
        sawPoint = true;
      } else break;
    }
    if (!sawDigit) return undefined;
    let exponent = 0;
    if (p < body.length) {
      const c = body.charCodeAt(p);
      if (c !== 101 && c !== 69) return undefined;
      p++;
      let eneg = false;
      if (body[p] === '+') p++;
      else if (body[p] === '-') { eneg = true; p++; }
      const start = p;
      while (p < body.length && body.charCodeAt(p) >= 48 && body.charCodeAt(p) <= 57) p++;
      if (p === start || p !== body.length) return undefined;
      const expStr = body.slice(start, p).replace(/^0+/, '');
      if (expStr.length > 10) return 'overflow';
      exponent = Number(expStr || '0');
      if (exponent > 1073741823) return 'overflow';
      if (eneg) exponent = -exponent;
    }
    let scale = fracDigits - exponent;
    if (scale < -140000 || scale > DSCALE_MAX + 140000) return 'overflow';
    let coef = BigInt(digits);
    if (scale < 0) { coef *= pow10(-scale); scale = 0; }
    if (scale > DSCALE_MAX) return 'overflow';
    if (neg) coef = -coef;
    const r = new Numeric(Kind.Finite, coef, scale);
    if (coef !== 0n && r.integerDigits() > 131072) return 'overflow';
    return r;
  }

  static parse(str: string): Numeric {
    const r = Numeric.tryParse(str);
    if (r === undefined) {
      throw new SqlError(SQLSTATE.INVALID_TEXT_REPRESENTATION, `invalid input syntax for type numeric: "${str}"`);
    }
    if (r === 'overflow') throw new SqlError(SQLSTATE.NUMERIC_VALUE_OUT_OF_RANGE, 'value overflows numeric format');
    return r;
  }

  isNaN(): boolean { return this.kind === Kind.NaN; }
  isFinite(): boolean { return this.kind === Kind.Finite; }
  isInfinite(): boolean { return this.kind === Kind.PosInf || this.kind === Kind.NegInf; }
  isZero(): boolean { return this.kind === Kind.Finite && this.coef === 0n; }
  /** -1, 0, 1 (NaN → 0). */
  sign(): number {
    if (this.kind === Kind.PosInf) return 1;
    if (this.kind === Kind.NegInf) return -1;
    if (this.kind === Kind.NaN) return 0;
    return this.coef > 0n ? 1 : this.coef < 0n ? -1 : 0;
  }

  /** Digits before the decimal point of |x| (0 for |x| < 1). */
  integerDigits(): number {
    const a = absBig(this.coef);
    if (a === 0n) return 0;
    const d = digitCount(a) - this.scale;
    return d > 0 ? d : 0;
  }

  toString(): string {
    switch (this.kind) {
      case Kind.NaN: return 'NaN';
      case Kind.PosInf: return 'Infinity';
      case Kind.NegInf: return '-Infinity';
    }
    const neg = this.coef < 0n;
    const s = (neg ? -this.coef : this.coef).toString();
    if (this.scale === 0) return neg ? '-' + s : s;
    let out: string;
    if (s.length > this.scale) {
      out = s.slice(0, s.length - this.scale) + '.' + s.slice(s.length - this.scale);
    } else {
      out = '0.' + '0'.repeat(this.scale - s.length) + s;
    }
    return neg ? '-' + out : out;
  }

  /** Scientific-free text without trailing zeros (used by hashing and jsonb). */
  normalized(): Numeric {
    if (this.kind !== Kind.Finite) return this;
    let c = this.coef;
    let s = this.scale;
    if (c === 0n) return Numeric.ZERO;
    while (s > 0 && c % 10n === 0n) { c /= 10n; s--; }
    return s === this.scale ? this : new Numeric(Kind.Finite, c, s);
  }

  /** Canonical key: equal values → equal strings (1.0 and 1.00 → "1"). */
  hashKey(): string {
    if (this.kind !== Kind.Finite) return this.toString();
    return this.normalized().toString();
  }

  toNumber(): number {
    switch (this.kind) {
      case Kind.NaN: return NaN;
      case Kind.PosInf: return Infinity;
      case Kind.NegInf: return -Infinity;
    }
    if (this.scale === 0) return Number(this.coef);
    return Number(this.toString());
  }

  /** Truncating conversion to bigint (finite only). */
  truncToBigInt(): bigint {
    if (this.scale === 0) return this.coef;
    return this.coef / pow10(this.scale);
  }

  /** Rounds half away from zero to an integer bigint (finite only), as numeric → int casts do. */
  roundToBigInt(): bigint {
    if (this.scale === 0) return this.coef;
    return divRoundHalfAway(this.coef, pow10(this.scale));
  }

  /** Coefficient rescaled to the given scale (>= this.scale). */
  private coefAt(scale: number): bigint {
    return scale === this.scale ? this.coef : this.coef * pow10(scale - this.scale);
  }

  neg(): Numeric {
    switch (this.kind) {
      case Kind.NaN: return this;
      case Kind.PosInf: return Numeric.NEG_INF;
      case Kind.NegInf: return Numeric.POS_INF;
    }
    return new Numeric(Kind.Finite, -this.coef, this.scale);
  }

  abs(): Numeric {
    if (this.kind === Kind.NegInf) return Numeric.POS_INF;
    if (this.kind !== Kind.Finite || this.coef >= 0n) return this;
    return new Numeric(Kind.Finite, -this.coef, this.scale);
  }

  add(o: Numeric): Numeric {
    if (this.kind !== Kind.Finite || o.kind !== Kind.Finite) {
      if (this.kind === Kind.NaN || o.kind === Kind.NaN) return Numeric.NaN;
      if (this.kind === Kind.Finite) return o;
      if (o.kind === Kind.Finite) return this;
      return this.kind === o.kind ? this : Numeric.NaN;
    }
    const s = this.scale > o.scale ? this.scale : o.scale;
    return new Numeric(Kind.Finite, this.coefAt(s) + o.coefAt(s), s);
  }

  sub(o: Numeric): Numeric {
    return this.add(o.neg());
  }

  mul(o: Numeric): Numeric {
    if (this.kind !== Kind.Finite || o.kind !== Kind.Finite) {
      if (this.kind === Kind.NaN || o.kind === Kind.NaN) return Numeric.NaN;
      const sa = this.sign();
      const sb = o.sign();
      if (sa === 0 || sb === 0) return Numeric.NaN;
      return sa * sb > 0 ? Numeric.POS_INF : Numeric.NEG_INF;
    }
    let s = this.scale + o.scale;
    let c = this.coef * o.coef;
    if (s > MAX_DISPLAY_SCALE) { c = divRoundHalfAway(c, pow10(s - MAX_DISPLAY_SCALE)); s = MAX_DISPLAY_SCALE; }
    return new Numeric(Kind.Finite, c, s);
  }

  /** PostgreSQL's select_div_scale. */
  static divScale(a: Numeric, b: Numeric): number {
    const [w1, f1] = a.nbaseWeightAndFirstDigit();
    const [w2, f2] = b.nbaseWeightAndFirstDigit();
    let qweight = w1 - w2;
    if (f1 <= f2) qweight--;
    let rscale = MIN_SIG_DIGITS - qweight * 4;
    rscale = Math.max(rscale, a.scale, b.scale, 0);
    return Math.min(rscale, MAX_DISPLAY_SCALE);
  }

  /** Base-10000 weight and first NBASE digit of |x| (0, 0 for zero). */
  nbaseWeightAndFirstDigit(): [number, number] {
    const a = absBig(this.coef);
    if (a === 0n) return [0, 0];
    const e10 = digitCount(a) - 1 - this.scale;
    const w = Math.floor(e10 / 4);
    const shift = this.scale + 4 * w;
    const first = shift >= 0 ? a / pow10(shift) : a * pow10(-shift);
    return [w, Number(first)];
  }

  div(o: Numeric, rscale?: number): Numeric {
    if (this.kind !== Kind.Finite || o.kind !== Kind.Finite) {
      if (this.kind === Kind.NaN || o.kind === Kind.NaN) return Numeric.NaN;
      if (this.kind !== Kind.Finite) {
        if (o.kind !== Kind.Finite) return Numeric.NaN;
        if (o.coef === 0n) throw divisionByZero();
        return o.coef < 0n ? this.neg() : this;
      }
      if (this.coef === 0n && o.kind !== Kind.Finite) return Numeric.ZERO;
      return Numeric.ZERO;
    }
    if (o.coef === 0n) throw divisionByZero();
    const s = rscale ?? Numeric.divScale(this, o);
    // this/o = (ca/10^sa) / (cb/10^sb); result coef at scale s = ca * 10^(s + sb - sa) / cb
    const shift = s + o.scale - this.scale;
    let num = this.coef;
    let den = o.coef;
    if (shift >= 0) num *= pow10(shift);
    else den *= pow10(-shift);
    if (den < 0n) { num = -num; den = -den; }
    return new Numeric(Kind.Finite, divRoundHalfAway(num, den), s);
  }

  /** Truncating integer division (PostgreSQL's div()). */
  divTrunc(o: Numeric): Numeric {
    if (this.kind !== Kind.Finite || o.kind !== Kind.Finite) {
      if (this.kind === Kind.NaN || o.kind === Kind.NaN) return Numeric.NaN;
      if (this.kind !== Kind.Finite) {
        if (o.kind !== Kind.Finite) return Numeric.NaN;
        if (o.coef === 0n) throw divisionByZero();
        return o.coef < 0n ? this.neg() : this;
      }
      return Numeric.ZERO;
    }
    if (o.coef === 0n) throw divisionByZero();
    const s = Math.max(this.scale, o.scale);
    return new Numeric(Kind.Finite, this.coefAt(s) / o.coefAt(s), 0);
  }

  mod(o: Numeric): Numeric {
    if (this.kind !== Kind.Finite || o.kind !== Kind.Finite) {
      if (this.kind === Kind.NaN || o.kind === Kind.NaN) return Numeric.NaN;
      if (this.kind !== Kind.Finite) {
        if (o.kind === Kind.Finite && o.coef === 0n) throw divisionByZero();
        return Numeric.NaN;
      }
      return this;
    }
    if (o.coef === 0n) throw divisionByZero();
    const s = Math.max(this.scale, o.scale);
    return new Numeric(Kind.Finite, this.coefAt(s) % o.coefAt(s), s);
  }

  /** Rounds half away from zero to `scale` digits (negative: to tens, hundreds, ...). */
  round(scale: number): Numeric {
    if (this.kind !== Kind.Finite) return this;
    if (scale >= this.scale) {
      const s = Math.min(scale, MAX_DISPLAY_SCALE);
      return new Numeric(Kind.Finite, this.coefAt(s), s);
    }
    const drop = this.scale - scale;
    const q = divRoundHalfAway(this.coef, pow10(drop));
    if (scale >= 0) return new Numeric(Kind.Finite, q, scale);
    return new Numeric(Kind.Finite, q * pow10(-scale), 0);
  }

  trunc(scale: number): Numeric {
    if (this.kind !== Kind.Finite) return this;
    if (scale >= this.scale) {
      const s = Math.min(scale, MAX_DISPLAY_SCALE);
      return new Numeric(Kind.Finite, this.coefAt(s), s);
    }
    const q = this.coef / pow10(this.scale - scale);
    if (scale >= 0) return new Numeric(Kind.Finite, q, scale);
    return new Numeric(Kind.Finite, q * pow10(-scale), 0);
  }

  ceil(): Numeric {
    if (this.kind !== Kind.Finite) return this;
    const t = this.trunc(0);
    return this.coef > 0n && t.coefAt(this.scale) !== this.coef ? t.add(Numeric.ONE) : t;
  }

  floor(): Numeric {
    if (this.kind !== Kind.Finite) return this;
    const t = this.trunc(0);
    return this.coef < 0n && t.coefAt(this.scale) !== this.coef ? t.sub(Numeric.ONE) : t;
  }

  /** Total order as PostgreSQL sorts numerics: -Inf < finite < +Inf < NaN. */
  compare(o: Numeric): number {
    if (this.kind !== Kind.Finite || o.kind !== Kind.Finite) {
      return rank(this) - rank(o);
    }
    if (this.scale === o.scale) return this.coef < o.coef ? -1 : this.coef > o.coef ? 1 : 0;
    const s = this.scale > o.scale ? this.scale : o.scale;
    const a = this.coefAt(s);
    const b = o.coefAt(s);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  equals(o: Numeric): boolean { return this.compare(o) === 0; }

  /** sqrt with PostgreSQL's result scale; exact rounding of the true root. */
  sqrt(): Numeric {
    if (this.kind === Kind.NaN || this.kind === Kind.PosInf) return this;
    if (this.sign() < 0) {
      throw new SqlError(SQLSTATE.INVALID_ARGUMENT_FOR_POWER_FUNCTION, 'cannot take square root of a negative number');
    }
    const [w] = this.nbaseWeightAndFirstDigit();
    const sweight = Math.trunc(((w + 1) * 4) / 2) - 1;
    let rscale = MIN_SIG_DIGITS - sweight;
    rscale = Math.min(Math.max(rscale, this.scale, 0), MAX_DISPLAY_SCALE);
    // root at scale rscale+1, then round
    const s = rscale + 1;
    // value * 10^(2s) as integer = coef * 10^(2s - scale)
    const shift = 2 * s - this.scale;
    const n = shift >= 0 ? this.coef * pow10(shift) : this.coef / pow10(-shift);
    const r = isqrt(n);
    return new Numeric(Kind.Finite, divRoundHalfAway(r, 10n), rscale);
  }

  /** Power. Integer exponents are exact; others go through float8 (approximate). */
  pow(e: Numeric): Numeric {
    if (this.kind === Kind.NaN) return e.isZero() ? Numeric.ONE.round(0) : Numeric.NaN;
    if (e.kind === Kind.NaN) return this.compare(Numeric.ONE) === 0 ? Numeric.ONE : Numeric.NaN;
    if (this.isZero() && e.sign() < 0) {
      throw new SqlError(SQLSTATE.INVALID_ARGUMENT_FOR_POWER_FUNCTION, 'zero raised to a negative power is undefined');
    }
    const eIsInt = e.kind === Kind.Finite && e.trunc(0).compare(e) === 0;
    if (this.sign() < 0 && !eIsInt && e.kind === Kind.Finite) {
      throw new SqlError(SQLSTATE.INVALID_ARGUMENT_FOR_POWER_FUNCTION, 'a negative number raised to a non-integer power yields a complex result');
    }
    if (this.kind !== Kind.Finite || e.kind !== Kind.Finite) {
      const r = Math.pow(this.toNumber(), e.toNumber());
      if (Number.isNaN(r)) return Numeric.NaN;
      if (r === 0) return Numeric.ZERO;
      if (r === 1) return Numeric.ONE;
      return r > 0 ? Numeric.POS_INF : Numeric.NEG_INF;
    }
    if (eIsInt) {
      const n = e.truncToBigInt();
      const rscale = Math.min(Math.max(MIN_SIG_DIGITS, this.scale, 0), MAX_DISPLAY_SCALE);
      if (n === 0n) return new Numeric(Kind.Finite, pow10(rscale), rscale);
      const absN = n < 0n ? -n : n;
      if (absN <= 100000n) {
        const exact = new Numeric(Kind.Finite, this.coef ** absN, this.scale * Number(absN));
        if (n > 0n) return exact.round(rscale);
        return Numeric.ONE.div(exact, rscale);
      }
    }
    // general case: exp(ln(base) * e), PostgreSQL's power_var scale choice
    const approx = e.toNumber() * Math.log10(Math.abs(this.toNumber()));
    let val = Number.isFinite(approx) ? approx : 0;
    val = Math.min(Math.max(val, -2000), 2000);
    const rscale = Math.min(Math.max(MIN_SIG_DIGITS - Math.trunc(val), this.scale, e.scale, 0), MAX_DISPLAY_SCALE);
    if (val > 131072 * 0.999) throw new SqlError(SQLSTATE.NUMERIC_VALUE_OUT_OF_RANGE, 'value overflows numeric format');
    const guard = 12 + Math.max(0, Math.ceil(Math.log10(Math.abs(e.toNumber()) + 1))) + Math.max(0, Math.ceil(val));
    const lnb = lnFixed(this, rscale + guard);
    const t = lnb.mul(e);
    return expNumeric(t, rscale);
  }

  /** Natural log with PostgreSQL's result scale (computed exactly in fixed point). */
  ln(): Numeric {
    if (this.kind === Kind.NaN || this.kind === Kind.PosInf) return this;
    const s = this.sign();
    if (s === 0) throw new SqlError(SQLSTATE.INVALID_ARGUMENT_FOR_LOGARITHM, 'cannot take logarithm of zero');
    if (s < 0) throw new SqlError(SQLSTATE.INVALID_ARGUMENT_FOR_LOGARITHM, 'cannot take logarithm of a negative number');
    // PostgreSQL's estimate_ln_dweight
    let dweight: number;
    if (this.compare(POINT_NINE) >= 0 && this.compare(ONE_POINT_ONE) <= 0) {
      const x = this.sub(Numeric.ONE);
      dweight = x.isZero() ? 0 : x.log10Estimate();
    } else {
      const r = lnApproxOf(this);
      dweight = r === 0 ? 0 : Math.trunc(Math.log10(Math.abs(r)));
    }
    const rscale = Math.min(Math.max(MIN_SIG_DIGITS - dweight, this.scale, 0), MAX_DISPLAY_SCALE);
    return lnFixed(this, rscale + 8).round(rscale);
  }

  /** e^x with PostgreSQL's result scale (computed exactly in fixed point). */
  exp(): Numeric {
    if (this.kind === Kind.NaN || this.kind === Kind.PosInf) return this;
    if (this.kind === Kind.NegInf) return Numeric.ZERO;
    const x = this.toNumber();
    let val = x * 0.434294481903252;
    val = Math.min(Math.max(val, -2000), 2000);
    if (val > 131072 * 0.999) throw new SqlError(SQLSTATE.NUMERIC_VALUE_OUT_OF_RANGE, 'value overflows numeric format');
    const rscale = Math.min(Math.max(MIN_SIG_DIGITS - Math.trunc(val), this.scale, 0), MAX_DISPLAY_SCALE);
    return expNumeric(this, rscale);
  }

  /** floor(log10(|x|)) for finite nonzero values. */
  log10Estimate(): number {
    const a = absBig(this.coef);
    if (a === 0n) return 0;
    return digitCount(a) - 1 - this.scale;
  }
}

/** ln(|x|) as a float, also for values beyond float range. */
function lnApproxOf(x: Numeric): number {
  const a = x.coef < 0n ? -x.coef : x.coef;
  const digits = digitCount(a);
  const lead = Number(a.toString().slice(0, 17)) / 10 ** (Math.min(17, digits) - 1);
  const e10 = digits - 1 - x.scale;
  return Math.log(lead) + e10 * Math.LN10;
}

/** Fixed-point ln of a positive finite numeric, as a Numeric with `scale` fractional digits. */
function lnFixed(x: Numeric, scale: number): Numeric {
  // x = m * 10^e10 with m in [1, 10): ln x = ln m + e10 * ln 10
  const a = x.coef;
  const digits = digitCount(a);
  const e10 = digits - 1 - x.scale;
  const W = scale + 10;
  const one = pow10(W);
  // m in fixed point at W digits
  const mShift = W - (digits - 1);
  const m = mShift >= 0 ? a * pow10(mShift) : a / pow10(-mShift);
  let r = lnFixedCore(m, W);
  if (e10 !== 0) r += BigInt(e10) * lnFixedCore(10n * one, W);
  return Numeric.of(divRoundHalfAway(r, pow10(W - scale)), scale);
}

const LN_CACHE = new Map<string, bigint>();

/** ln(v / 10^W) in fixed point (result scaled by 10^W); v > 0. */
function lnFixedCore(v: bigint, W: number): bigint {
  const key = v.toString() + '@' + W;
  const hit = LN_CACHE.get(key);
  if (hit !== undefined) return hit;
  const G = W + 8;
  const one = pow10(G);
  let z = v * pow10(G - W);
  const hi = (one * 11n) / 10n;
  const lo = (one * 9n) / 10n;
  let k = 0;
  while (z > hi || z < lo) { z = isqrt(z * one); k++; }
  // ln z = 2 atanh((z-1)/(z+1))
  const t = ((z - one) * one) / (z + one);
  const t2 = (t * t) / one;
  let term = t;
  let sum = 0n;
  for (let n = 1n; term !== 0n; n += 2n) {
    sum += term / n;
    term = (term * t2) / one;
  }
  const r = divRoundHalfAway(sum * 2n * (1n << BigInt(k)), pow10(G - W));
  if (LN_CACHE.size > 64) LN_CACHE.clear();
  LN_CACHE.set(key, r);
  return r;
}

/** e^t rounded to rscale digits, computed in fixed point with guard digits. */
function expNumeric(t: Numeric, rscale: number): Numeric {
  if (t.isZero()) return Numeric.of(pow10(rscale), rscale);
  const tv = Math.abs(t.toNumber());
  const k = tv > 0.01 ? Math.ceil(Math.log2(tv / 0.01)) : 0;
  const mag = Math.ceil(tv * 0.4343) + 2;
  const W = rscale + 12 + k + mag;
  const one = pow10(W);
  // y = t / 2^k in fixed point
  const shift = W - t.scale;
  let y = shift >= 0 ? t.coef * pow10(shift) : t.coef / pow10(-shift);
  y = y / (1n << BigInt(k));
  let sum = one;
  let term = one;
  for (let n = 1n; ; n++) {
    term = (term * y) / (one * n);
    if (term === 0n) break;
    sum += term;
  }
  for (let i = 0; i < k; i++) sum = (sum * sum) / one;
  return Numeric.of(divRoundHalfAway(sum, pow10(W - rscale)), rscale);
}

const POINT_NINE = Numeric.of(9n, 1);
const ONE_POINT_ONE = Numeric.of(11n, 1);

function rank(n: Numeric): number {
  switch (n.kind) {
    case Kind.NegInf: return -2;
    case Kind.PosInf: return 2;
    case Kind.NaN: return 3;
  }
  return n.coef > 0n ? 1 : n.coef < 0n ? -1 : 0;
}


function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  // Newton from an overestimate: 2^ceil(bits/2) >= sqrt(n)
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

function divisionByZero(): SqlError {
  return new SqlError(SQLSTATE.DIVISION_BY_ZERO, 'division by zero');
}

/** Decodes a numeric typmod into [precision, scale] (PostgreSQL 15 allows negative scales). */
export function numericTypmodParts(typmod: number): [number, number] {
  const t = typmod - 4;
  const precision = (t >> 16) & 0xffff;
  const scale = ((t & 0x7ff) ^ 1024) - 1024;
  return [precision, scale];
}

export function numericTypmod(precision: number, scale: number): number {
  return ((precision << 16) | (scale & 0x7ff)) + 4;
}

/** apply_typmod: rounds to the typmod's scale and checks the precision (22003 on overflow). */
export function applyNumericTypmod(n: Numeric, typmod: number): Numeric {
  if (typmod < 4) return n;
  const [precision, scale] = numericTypmodParts(typmod);
  if (n.isNaN()) return n;
  if (n.isInfinite()) {
    throw new SqlError(SQLSTATE.NUMERIC_VALUE_OUT_OF_RANGE, 'numeric field overflow', {
      detail: `A field with precision ${precision}, scale ${scale} cannot hold an infinite value.`,
    });
  }
  const r = n.round(scale);
  const maxdigits = precision - scale;
  if (!r.isZero()) {
    // number of digits before the decimal point of |r| (as 10^k magnitude)
    const mag = r.log10Estimate() + 1; // digits left of the point (can be <= 0)
    if (mag > maxdigits) {
      throw new SqlError(SQLSTATE.NUMERIC_VALUE_OUT_OF_RANGE, 'numeric field overflow', {
        detail: `A field with precision ${precision}, scale ${scale} must round to an absolute value less than ${maxdigits ? '10^' : ''}${maxdigits ? maxdigits : 1}.`,
      });
    }
  }
  if (scale < 0) return r.round(0);
  return r;
}
