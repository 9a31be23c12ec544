// C library number scanning as pgvector's input functions use it: strtof (decimal, hex, inf/nan
// spellings, correctly rounded to float4 with glibc's ERANGE conditions) and strtol (base 10,
// saturating). Each scans a prefix and says where it stopped; callers decide what is an error.

/** C isspace in the C locale (what pgvector's *_isspace and strto* skip). */
export function isCSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

export interface StrtofResult {
  /** The float4 value (as a number). */
  readonly value: number;
  /** Index just past the scanned number. */
  readonly end: number;
  /** Index where the number itself starts (after leading white space). */
  readonly start: number;
  /** errno = ERANGE because the value overflowed to ±Infinity. */
  readonly overflow: boolean;
  /** errno = ERANGE because a nonzero value rounded to zero. */
  readonly underflowToZero: boolean;
}

const FLT_MAX = 3.4028234663852886e38;
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

function isDigit(c: number): boolean { return c >= 48 && c <= 57; }
function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function matchWord(s: string, i: number, word: string): boolean {
  return s.length - i >= word.length && s.slice(i, i + word.length).toLowerCase() === word;
}

/** Next float4 above a (a >= 0 finite float4); 2^128 after FLT_MAX. */
function nextUp(a: number): number {
  if (a === FLT_MAX) return 2 ** 128;
  f32[0] = a;
  u32[0] = u32[0]! + 1;
  return f32[0]!;
}

function nextDown(a: number): number {
  if (a === 2 ** 128) return FLT_MAX;
  f32[0] = a;
  u32[0] = u32[0]! - 1;
  return f32[0]!;
}

/** Exact sign of (digits x 10^exp10) - (m x 2^e2), m and digits non-negative integers. */
function compareDecimalToDyadic(digits: bigint, exp10: number, m: bigint, e2: number): number {
  let l = digits;
  let r = m;
  if (exp10 >= 0) l *= 10n ** BigInt(exp10); else r *= 10n ** BigInt(-exp10);
  if (e2 >= 0) r <<= BigInt(e2); else l <<= BigInt(-e2);
  return l < r ? -1 : l > r ? 1 : 0;
}

/** m x 2^e as a double-precision number, exactly (value is a float4 midpoint or float4). */
function dyadicParts(v: number): [bigint, number] {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, v);
  const hi = dv.getUint32(0);
  const lo = dv.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (bexp === 0) return [m, -1074];
  m |= 1n << 52n;
  return [m, bexp - 1075];
}

/**
 * The correctly rounded float4 magnitude of a decimal token whose correctly rounded double is a
 * (finite, not a float4) and f = fround(a): they differ only when a sits exactly on a float4
 * midpoint, where the exact decimal decides.
 */
function roundMidpoint(a: number, f: number, s: string, i: number, intDigits: number, fracStart: number, fracEnd: number, expStart: number, end: number): number {
  const up = f === Infinity ? 2 ** 128 : f;
  const other = up > a ? nextDown(up) : nextUp(up);
  const lo = Math.min(up, other);
  const hi = Math.max(up, other);
  const mid = (lo + hi) / 2;
  if (mid !== a) return f;
  const [m, e2] = dyadicParts(mid);
  const [digits, exp10] = exactDecimal(s, i, intDigits, fracStart, fracEnd, expStart, end);
  const c = compareDecimalToDyadic(BigInt(digits), exp10, m, e2);
  if (c === 0) return f;
  const r = c > 0 ? hi : lo;
  return r === 2 ** 128 ? Infinity : r;
}

/** Correctly rounded float4 of m x 2^e (m > 0). */
function roundDyadicToFloat4(m: bigint, e: number): number {
  const bitlen = m.toString(2).length;
  const exp = bitlen - 1 + e;
  const ulpExp = exp >= -126 ? exp - 23 : -149;
  const shift = ulpExp - e;
  let q: bigint;
  if (shift <= 0) q = m << BigInt(-shift);
  else {
    q = m >> BigInt(shift);
    const rem = m - (q << BigInt(shift));
    const half = 1n << BigInt(shift - 1);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
  }
  const v = Number(q) * 2 ** ulpExp;
  return v > FLT_MAX ? Infinity : v;
}

/**
 * Scans a float at s[from..] as glibc's strtof does. Returns null when no number could be
 * scanned (strtof's endptr == nptr).
 */
export function scanFloat4(s: string, from: number): StrtofResult | null {
  const n = s.length;
  let i = from;
  while (i < n && isCSpace(s.charCodeAt(i))) i++;
  const start = i;
  let neg = false;
  const c = s.charCodeAt(i);
  if (c === 43 || c === 45) { neg = c === 45; i++; }
  const z = neg ? -0 : 0;
  // inf / infinity / nan / nan(chars)
  const c0 = s.charCodeAt(i) | 0x20;
  if (c0 === 105 && matchWord(s, i, 'inf')) {
    const end = matchWord(s, i, 'infinity') ? i + 8 : i + 3;
    return { value: neg ? -Infinity : Infinity, end, start, overflow: false, underflowToZero: false };
  }
  if (c0 === 110 && matchWord(s, i, 'nan')) {
    let end = i + 3;
    if (s[end] === '(') {
      let j = end + 1;
      while (j < n && /[A-Za-z0-9_]/.test(s[j]!)) j++;
      if (s[j] === ')') end = j + 1;
    }
    return { value: NaN, end, start, overflow: false, underflowToZero: false };
  }
  // hexadecimal
  if (s.charCodeAt(i) === 48 && (s.charCodeAt(i + 1) | 0x20) === 120) {
    let j = i + 2;
    let m = 0n;
    let any = false;
    let fracDigits = 0;
    while (j < n && hexVal(s.charCodeAt(j)) >= 0) { m = m * 16n + BigInt(hexVal(s.charCodeAt(j))); j++; any = true; }
    if (s[j] === '.') {
      let k = j + 1;
      while (k < n && hexVal(s.charCodeAt(k)) >= 0) { m = m * 16n + BigInt(hexVal(s.charCodeAt(k))); k++; fracDigits++; any = true; }
      if (any) j = k;
    }
    if (any) {
      let e = -4 * fracDigits;
      if (s[j] === 'p' || s[j] === 'P') {
        let k = j + 1;
        let eneg = false;
        if (s[k] === '+' || s[k] === '-') { eneg = s[k] === '-'; k++; }
        if (k < n && isDigit(s.charCodeAt(k))) {
          let pe = 0;
          while (k < n && isDigit(s.charCodeAt(k))) { pe = Math.min(pe * 10 + (s.charCodeAt(k) - 48), 1e9); k++; }
          e += eneg ? -pe : pe;
          j = k;
        }
      }
      if (m === 0n) return { value: z, end: j, start, overflow: false, underflowToZero: false };
      const v = roundDyadicToFloat4(m, e);
      return { value: neg ? -v : v, end: j, start, overflow: v === Infinity, underflowToZero: v === 0 };
    }
    // "0x" without hex digits: strtof reads just the "0"
    return { value: z, end: i + 1, start, overflow: false, underflowToZero: false };
  }
  // decimal: digits [. digits] [e [+-] digits], at least one mantissa digit
  let j = i;
  let nonzero = false;
  while (j < n && isDigit(s.charCodeAt(j))) { if (s.charCodeAt(j) !== 48) nonzero = true; j++; }
  const intDigits = j - i;
  let fracStart = -1;
  let fracEnd = -1;
  if (s.charCodeAt(j) === 46) {
    let k = j + 1;
    while (k < n && isDigit(s.charCodeAt(k))) { if (s.charCodeAt(k) !== 48) nonzero = true; k++; }
    if (intDigits > 0 || k > j + 1) { fracStart = j + 1; fracEnd = k; j = k; }
  }
  if (intDigits === 0 && fracStart < 0) return null;
  let expStart = -1;
  const ec = s.charCodeAt(j);
  if (ec === 101 || ec === 69) {
    let k = j + 1;
    if (s[k] === '+' || s[k] === '-') k++;
    if (k < n && isDigit(s.charCodeAt(k))) {
      while (k < n && isDigit(s.charCodeAt(k))) k++;
      expStart = j + 1;
      j = k;
    }
  }
  if (!nonzero) return { value: z, end: j, start, overflow: false, underflowToZero: false };
  // JavaScript's Number reads the same token (without its sign) correctly rounded to a double
  const a = Number(s.slice(i, j));
  let v = Math.fround(a);
  if (v !== a && Number.isFinite(a)) v = roundMidpoint(a, v, s, i, intDigits, fracStart, fracEnd, expStart, j);
  return { value: neg ? -v : v, end: j, start, overflow: v === Infinity, underflowToZero: v === 0 };
}

/** The exact decimal of a scanned token as digits x 10^exp10. */
function exactDecimal(s: string, i: number, intDigits: number, fracStart: number, fracEnd: number, expStart: number, end: number): [string, number] {
  let digits = s.slice(i, i + intDigits) + (fracStart >= 0 ? s.slice(fracStart, fracEnd) : '');
  let t = 0;
  while (t < digits.length - 1 && digits.charCodeAt(t) === 48) t++;
  digits = digits.slice(t);
  let exp = 0;
  if (expStart >= 0) {
    let k = expStart;
    const eneg = s[k] === '-';
    if (s[k] === '+' || s[k] === '-') k++;
    for (; k < end; k++) exp = Math.min(exp * 10 + (s.charCodeAt(k) - 48), 1e9);
    if (eneg) exp = -exp;
  }
  return [digits, exp - (fracStart >= 0 ? fracEnd - fracStart : 0)];
}

export interface StrtolResult {
  readonly value: number;
  readonly end: number;
}

/**
 * Scans a base-10 integer at s[from..] as strtol does, saturating at ±2^63 (far outside any int
 * the callers accept). Returns null when no digits were found.
 */
export function scanLong(s: string, from: number): StrtolResult | null {
  const n = s.length;
  let i = from;
  while (i < n && isCSpace(s.charCodeAt(i))) i++;
  let neg = false;
  if (i < n && (s[i] === '+' || s[i] === '-')) { neg = s[i] === '-'; i++; }
  const d0 = i;
  let v = 0;
  while (i < n && isDigit(s.charCodeAt(i))) {
    v = v * 10 + (s.charCodeAt(i) - 48);
    if (v > 9.3e18) v = 9.3e18;
    i++;
  }
  if (i === d0) return null;
  return { value: neg ? -v : v, end: i };
}

const f64 = new Float64Array(1);
const u32x2 = new Uint32Array(f64.buffer);
const LOW_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;

/**
 * The common case of scanFloat4, fast: a plain decimal token `[-]digits[.digits][e[+-]digits]`
 * starting exactly at `from`, whose double value is not exactly halfway between two float4s
 * (where rounding twice could differ from strtof) and lies in float4's normal range. Returns the
 * float4 value and sets `fastScanEnd`, or returns undefined when scanFloat4 must decide.
 */
export function scanPlainFloat4(s: string, from: number): number | undefined {
  const n = s.length;
  let i = from;
  if (i < n && s.charCodeAt(i) === 45) i++;
  const digitsStart = i;
  while (i < n && isDigit(s.charCodeAt(i))) i++;
  let any = i > digitsStart;
  if (i < n && s.charCodeAt(i) === 46) {
    const f = ++i;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
    any ||= i > f;
  }
  if (!any) return undefined;
  const e = s.charCodeAt(i);
  if (e === 101 || e === 69) {
    let k = i + 1;
    const sign = s.charCodeAt(k);
    if (sign === 43 || sign === 45) k++;
    const ds = k;
    while (k < n && isDigit(s.charCodeAt(k))) k++;
    if (k === ds) return undefined;
    i = k;
  }
  const a = Number(s.slice(from, i));
  const abs = a < 0 ? -a : a;
  if (abs !== 0 && (abs < 1.1754943508222875e-38 || abs > FLT_MAX)) return undefined;
  f64[0] = a;
  // Bits below float4's 24-bit significand: exactly 1 followed by zeros means a midpoint.
  if ((u32x2[LOW_WORD]! & 0x1fffffff) === 0x10000000) return undefined;
  fastScanEnd = i;
  return Math.fround(a);
}

/** End of the token scanPlainFloat4 last accepted. */
export let fastScanEnd = 0;
