// Text input/output for the simple scalar types: bool, int2/int4/int8, oid, float4/float8, the
// string family (text, varchar, bpchar, name, "char"), bytea and uuid. Messages and SQLSTATEs are
// PostgreSQL's. Date/time, interval, numeric, json and arrays have their own files.
import { SqlError, SQLSTATE } from '../../base/index.js';

function invalidSyntax(typeName: string, str: string): SqlError {
  return new SqlError(SQLSTATE.INVALID_TEXT_REPRESENTATION, `invalid input syntax for type ${typeName}: "${str}"`);
}

function outOfRange(typeName: string, str: string): SqlError {
  return new SqlError(SQLSTATE.NUMERIC_VALUE_OUT_OF_RANGE, `value "${str}" is out of range for type ${typeName}`);
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

// ---------------------------------------------------------------- bool

export function boolIn(str: string): boolean {
  let s = 0;
  let e = str.length;
  while (s < e && isSpace(str.charCodeAt(s))) s++;
  while (e > s && isSpace(str.charCodeAt(e - 1))) e--;
  const len = e - s;
  if (len > 0) {
    const v = str.slice(s, e).toLowerCase();
    switch (v.charCodeAt(0)) {
      case 116: if ('true'.startsWith(v)) return true; break; // t
      case 102: if ('false'.startsWith(v)) return false; break; // f
      case 121: if ('yes'.startsWith(v)) return true; break; // y
      case 110: if ('no'.startsWith(v)) return false; break; // n
      case 111: // o
        if (len >= 2 && 'on'.startsWith(v)) return true;
        if (len >= 2 && 'off'.startsWith(v)) return false;
        break;
      case 49: if (len === 1) return true; break;
      case 48: if (len === 1) return false; break;
    }
  }
  throw invalidSyntax('boolean', str);
}

export function boolOut(b: boolean): string {
  return b ? 't' : 'f';
}

// ---------------------------------------------------------------- integers

/** Parses a PostgreSQL 15 integer literal into a number; NaN marks bad syntax. */
function parseIntText(str: string, min: number, max: number, typeName: string): number {
  const n = str.length;
  let i = 0;
  while (i < n && isSpace(str.charCodeAt(i))) i++;
  let neg = false;
  if (i < n) {
    const c = str.charCodeAt(i);
    if (c === 45) { neg = true; i++; } else if (c === 43) i++;
  }
  const start = i;
  let v = 0;
  let big = false;
  while (i < n) {
    const c = str.charCodeAt(i);
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
    if (v > 1e15) big = true;
    i++;
  }
  if (i === start) throw invalidSyntax(typeName, str);
  const digitsEnd = i;
  while (i < n && isSpace(str.charCodeAt(i))) i++;
  if (i !== n) throw invalidSyntax(typeName, str);
  if (big) throw outOfRange(typeName, str);
  void digitsEnd;
  const r = neg ? -v : v;
  if (r < min || r > max) throw outOfRange(typeName, str);
  return r === 0 ? 0 : r;
}

export function int2In(str: string): number {
  return parseIntText(str, -32768, 32767, 'smallint');
}

export function int4In(str: string): number {
  return parseIntText(str, -2147483648, 2147483647, 'integer');
}

const INT8_MIN = -9223372036854775808n;
const INT8_MAX = 9223372036854775807n;

export function int8In(str: string): bigint {
  const n = str.length;
  let i = 0;
  while (i < n && isSpace(str.charCodeAt(i))) i++;
  let neg = false;
  if (i < n) {
    const c = str.charCodeAt(i);
    if (c === 45) { neg = true; i++; } else if (c === 43) i++;
  }
  const start = i;
  while (i < n) {
    const c = str.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  if (i === start) throw invalidSyntax('bigint', str);
  const end = i;
  while (i < n && isSpace(str.charCodeAt(i))) i++;
  if (i !== n) throw invalidSyntax('bigint', str);
  let v: bigint;
  if (end - start <= 15) {
    const num = Number(str.slice(start, end));
    v = BigInt(neg ? -num : num);
  } else {
    v = BigInt(str.slice(start, end));
    if (neg) v = -v;
  }
  if (v < INT8_MIN || v > INT8_MAX) throw outOfRange('bigint', str);
  return v;
}

export function oidIn(str: string): number {
  const n = str.length;
  let i = 0;
  while (i < n && isSpace(str.charCodeAt(i))) i++;
  const m = /^([+-]?\d+)\s*$/.exec(str.slice(i));
  if (m === null) throw invalidSyntax('oid', str);
  const v = Number(m[1]);
  if (v > 4294967295 || v < -2147483648 || m[1]!.replace(/^[+-]?0*/, '').length > 10) throw outOfRange('oid', str);
  return v < 0 ? v + 4294967296 : v;
}

// ---------------------------------------------------------------- floats

const EXACT_POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/**
 * The value of [-]digits[.digits] (at most 300 characters: never out of range), else undefined.
 * With at most 15 digits in all it is computed exactly: the digits form an integer below 2^53
 * and 10^frac is exact, so their quotient is the correctly rounded double, as Number() would
 * give (Clinger's fast path); longer ones go to Number().
 */
function simpleDecimal(s: string): number | undefined {
  const n = s.length;
  if (n === 0 || n > 300) return undefined;
  let i = 0;
  const neg = s.charCodeAt(0) === 45;
  if (neg) i++;
  let m = 0, digits = 0, frac = -1;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) { m = m * 10 + (c - 48); digits++; if (frac >= 0) frac++; } else if (c === 46 && frac < 0) frac = 0;
    else return undefined;
  }
  if (digits === 0) return undefined;
  if (digits > 15) return Number(s);
  const v = frac > 0 ? m / EXACT_POW10[frac]! : m;
  return neg ? -v : v;
}

/** Whether s is [+-]digits[.digits][(e|E)[+-]digits] with at least one mantissa digit. */
function isDecimalNumber(s: string): boolean {
  const n = s.length;
  let i = 0;
  let c = s.charCodeAt(0);
  if (c === 43 || c === 45) c = s.charCodeAt(++i);
  let digits = 0;
  while (c >= 48 && c <= 57) { digits++; c = s.charCodeAt(++i); }
  if (c === 46) {
    c = s.charCodeAt(++i);
    while (c >= 48 && c <= 57) { digits++; c = s.charCodeAt(++i); }
  }
  if (digits === 0) return false;
  if (i === n) return true;
  if (c !== 101 && c !== 69) return false;
  c = s.charCodeAt(++i);
  if (c === 43 || c === 45) c = s.charCodeAt(++i);
  const expStart = i;
  while (c >= 48 && c <= 57) c = s.charCodeAt(++i);
  return i > expStart && i === n;
}

function parseFloatText(str: string, typeName: string): number {
  let s = 0;
  let e = str.length;
  while (s < e && isSpace(str.charCodeAt(s))) s++;
  while (e > s && isSpace(str.charCodeAt(e - 1))) e--;
  const fast = s === 0 && e === str.length ? simpleDecimal(str) : undefined;
  if (fast !== undefined) return fast;
  const body = s === 0 && e === str.length ? str : str.slice(s, e);
  if (isDecimalNumber(body)) {
    const v = Number(body);
    if (v === Infinity || v === -Infinity) {
      throw new SqlError(SQLSTATE.NUMERIC_VALUE_OUT_OF_RANGE, `"${str}" is out of range for type ${typeName}`);
    }
    if (v === 0 && /[1-9]/.test(body.replace(/[eE].*$/, ''))) {
      throw new SqlError(SQLSTATE.NUMERIC_VALUE_OUT_OF_RANGE, `"${str}" is out of range for type ${typeName}`);
    }
    return v;
  }
  switch (body.toLowerCase()) {
    case 'nan': case '+nan': case '-nan': return NaN;
    case 'infinity': case '+infinity': case 'inf': case '+inf': return Infinity;
    case '-infinity': case '-inf': return -Infinity;
  }
  throw invalidSyntax(typeName, str);
}

export function float8In(str: string): number {
  return parseFloatText(str, 'double precision');
}

export function float4In(str: string): number {
  const d = parseFloatText(str, 'real');
  const f = Math.fround(d);
  if (Number.isFinite(d) && (!Number.isFinite(f) || (f === 0 && d !== 0))) {
    throw new SqlError(SQLSTATE.NUMERIC_VALUE_OUT_OF_RANGE, `"${str}" is out of range for type real`);
  }
  return f;
}

/** Formats digits/exponent PostgreSQL's way: exponential when exp < -4 or exp >= limit. */
function formatShortest(neg: boolean, digits: string, exp: number, limit: number): string {
  let out: string;
  if (exp < -4 || exp >= limit) {
    out = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    const ae = Math.abs(exp);
    out += (exp < 0 ? 'e-' : 'e+') + (ae < 10 ? '0' + ae : String(ae));
  } else if (exp < 0) {
    out = '0.' + '0'.repeat(-exp - 1) + digits;
  } else if (digits.length <= exp + 1) {
    out = digits + '0'.repeat(exp + 1 - digits.length);
  } else {
    out = digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
  }
  return neg ? '-' + out : out;
}

/** Splits toExponential()/toPrecision output "d.ddde+x" into digits and exponent. */
function splitExp(s: string): [string, number] {
  const e = s.indexOf('e');
  const mant = s.slice(0, e);
  const exp = Number(s.slice(e + 1));
  let digits = mant.length > 1 ? mant[0]! + mant.slice(2) : mant;
  // strip trailing zeros (%g does, shortest never has them except "0")
  let end = digits.length;
  while (end > 1 && digits.charCodeAt(end - 1) === 48) end--;
  digits = digits.slice(0, end);
  return [digits, exp];
}

function specialFloat(v: number): string | undefined {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  return undefined;
}

// PostgreSQL's Ryu never accepts a decimal lying exactly on the rounding boundary between two
// floats (STRICTLY_SHORTEST is off), while JS's shortest digits may. Boundary candidates can only
// occur for |v| >= 2^49 (doubles) since smaller midpoints need more than 17 digits.
const f64Scratch = new DataView(new ArrayBuffer(8));

/** True when the decimal digits x 10^(exp10 - len + 1) equal a midpoint next to a (a >= 2^49). */
function onDoubleBoundary(a: number, digits: string, exp10: number): boolean {
  f64Scratch.setFloat64(0, a);
  const hi = f64Scratch.getUint32(0);
  const lo = f64Scratch.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  const m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo) | (1n << 52n);
  const e = bexp - 1075;
  const k = exp10 - (digits.length - 1);
  if (k + 8 < 0 || e + 7 < 0) return false;
  const c = BigInt(digits) * 10n ** BigInt(k + 8) * 256n;
  const up = (2n * m + 1n) * (1n << BigInt(e + 7)) * 100000000n;
  const down = m === 1n << 52n
    ? (4n * m - 1n) * (1n << BigInt(e + 6)) * 100000000n
    : (2n * m - 1n) * (1n << BigInt(e + 7)) * 100000000n;
  return c === up || c === down;
}

/** True when a x 10^q lies exactly halfway between two integers. */
function isDecimalTie(a: number, q: number): boolean {
  f64Scratch.setFloat64(0, a);
  const hi = f64Scratch.getUint32(0);
  const lo = f64Scratch.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (bexp === 0) e = -1074; else { m |= 1n << 52n; e = bexp - 1075; }
  let num = 2n * m;
  let den = 1n;
  if (e >= 0) num <<= BigInt(e); else den <<= BigInt(-e);
  if (q >= 0) num *= 10n ** BigInt(q); else den *= 10n ** BigInt(-q);
  return num % den === 0n && ((num / den) & 1n) === 1n;
}

export function float8Out(v: number, extraFloatDigits = 1): string {
  const sp = specialFloat(v);
  if (sp !== undefined) return sp;
  if (extraFloatDigits > 0 && Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  const neg = v < 0;
  const a = neg ? -v : v;
  if (extraFloatDigits > 0) {
    let [digits, exp] = splitExp(a.toExponential());
    if (a >= 562949953421312 && onDoubleBoundary(a, digits, exp)) {
      for (let p = digits.length + 1; p <= 17; p++) {
        const s = a.toExponential(p - 1);
        if (Number(s) !== a) continue;
        const [d2, e2] = splitExp(s);
        if (!onDoubleBoundary(a, d2, e2)) { digits = d2; exp = e2; break; }
      }
    }
    return formatShortest(neg, digits, exp, 15);
  }
  const prec = Math.max(1, 15 + extraFloatDigits);
  const [digits, exp] = splitExp(a.toExponential(prec - 1));
  return formatShortest(neg, digits, exp, prec);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function float4Out(v: number, extraFloatDigits = 1): string {
  const sp = specialFloat(v);
  if (sp !== undefined) return sp;
  const neg = v < 0;
  const a = neg ? -v : v;
  if (extraFloatDigits > 0) {
    const fast = shortestFloat4Fast(a);
    if (fast !== undefined) return formatShortest(neg, fast[0], fast[1], 6);
    return shortestFloat4Slow(neg, a);
  }
  const prec = Math.max(1, 6 + extraFloatDigits);
  const [digits, exp] = splitExp(a.toExponential(prec - 1));
  return formatShortest(neg, digits, exp, prec);
}

/**
 * The shortest round-tripping digits of a float4 by double arithmetic, for magnitudes where the
 * powers of ten involved are exact doubles; undefined when a rounding could be close enough to a
 * boundary (a decimal tie or the edge of the float4's rounding interval) that the exact path must
 * decide. Returns [digits without trailing zeros, decimal exponent].
 */
export function shortestFloat4Fast(a: number): [string, number] | undefined {
  if (a === 0) return ['0', 0];
  if (!(a >= 1e-12 && a < 1e12)) return undefined;
  f32[0] = a;
  const bits = u32[0]!;
  u32[0] = bits + 1;
  const midUp = (a + f32[0]!) / 2;
  u32[0] = bits - 1;
  const midDown = (a + f32[0]!) / 2;
  let e10 = Math.floor(Math.log10(a));
  if (POW10[e10 + 12]! > a) e10--;
  else if (POW10[e10 + 13]! <= a) e10++;
  for (let p = 1; p <= 9; p++) {
    const k = p - 1 - e10;
    const scale = k >= 0 ? POW10[k + 12]! : POW10[12 - k]!;
    const t = k >= 0 ? a * scale : a / scale;
    const fl = Math.floor(t);
    const frac = t - fl;
    if (Math.abs(frac - 0.5) < t * 1e-12) return undefined;
    const r = frac < 0.5 ? fl : fl + 1;
    const lo = k >= 0 ? midDown * scale : midDown / scale;
    const hi = k >= 0 ? midUp * scale : midUp / scale;
    const margin = r * 1e-9;
    if (r > lo + margin && r < hi - margin) {
      let digits = String(r);
      let exp = e10;
      if (digits.length > p) { digits = digits.slice(0, p); exp++; }
      let end = digits.length;
      while (end > 1 && digits.charCodeAt(end - 1) === 48) end--;
      return [end === digits.length ? digits : digits.slice(0, end), exp];
    }
    if (!(r < lo - margin || r > hi + margin)) return undefined;
  }
  return undefined;
}

/** 10^-12 .. 10^24 (index + 12), all exact doubles for the non-negative exponents used. */
const POW10 = Array.from({ length: 37 }, (_x, i) => (i >= 12 ? 10 ** (i - 12) : 1 / 10 ** (12 - i)));

/** The exact search (toExponential at growing precision), for what the fast path declines. */
export function shortestFloat4Slow(neg: boolean, a: number): string {
  {
    // neighbours and the (exactly representable) midpoints to them
    f32[0] = a;
    const bits = u32[0]!;
    u32[0] = bits + 1;
    const up = f32[0]!;
    u32[0] = bits - 1;
    const down = f32[0]!;
    const midUp = (a + up) / 2;
    const midDown = (a + down) / 2;
    const roundTrips = (p: number): boolean => {
      const x = Number(a.toExponential(p - 1));
      return Math.fround(x) === a && x !== midUp && x !== midDown;
    };
    // The shortest round-tripping precision, by binary search (more digits never stop round-tripping).
    let lo = 1;
    let hi = 9;
    if (Number.isInteger(a) && a < 1e6) hi = Math.max(1, String(a).length);
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (roundTrips(mid)) hi = mid; else lo = mid + 1;
    }
    for (let p = lo; p <= 9; p++) {
      const s = a.toExponential(p - 1);
      const x = Number(s);
      if (Math.fround(x) === a && x !== midUp && x !== midDown) {
        let [digits, exp] = splitExp(s);
        // toExponential rounds ties up; Ryu rounds them to even
        const last = digits.charCodeAt(digits.length - 1) - 48;
        if (digits.length === p && (last & 1) === 1 && isDecimalTie(a, p - 1 - exp)) {
          const alt = digits.slice(0, -1) + String(last - 1);
          const y = Number(alt[0] + '.' + alt.slice(1) + 'e' + exp);
          if (Math.fround(y) === a && y !== midUp && y !== midDown) digits = alt;
        }
        return formatShortest(neg, digits, exp, 6);
      }
    }
    const [digits, exp] = splitExp(a.toExponential(8));
    return formatShortest(neg, digits, exp, 6);
  }
}

// ---------------------------------------------------------------- strings

/** Length in characters (code points), as PostgreSQL counts for UTF-8. */
export function charLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { n--; i++; }
    }
  }
  return n;
}

/** The first n characters (code points) of s. */
export function charPrefix(s: string, n: number): string {
  if (s.length <= n) return s;
  let count = 0;
  let i = 0;
  while (i < s.length && count < n) {
    const c = s.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? 2 : 1;
    count++;
  }
  return s.slice(0, i);
}

/** varchar(n)/bpchar(n) on input or assignment: too long is 22001 unless only spaces overflow. */
export function checkCharLength(s: string, maxLen: number, typeName: string, explicit: boolean): string {
  if (s.length <= maxLen) return s;
  const len = charLength(s);
  if (len <= maxLen) return s;
  const prefix = charPrefix(s, maxLen);
  if (!explicit) {
    for (let i = prefix.length; i < s.length; i++) {
      if (s.charCodeAt(i) !== 32) {
        throw new SqlError(SQLSTATE.STRING_DATA_RIGHT_TRUNCATION, `value too long for type ${typeName}(${maxLen})`);
      }
    }
  }
  return prefix;
}

/** bpchar(n): pads with spaces to n characters. */
export function padBpchar(s: string, n: number): string {
  const len = charLength(s);
  if (len >= n) return s;
  return len === 0 ? spaces(n) : s + spaces(n - len);
}

const spaceStrings: string[] = [];

/** n spaces (strings up to 256 long are made once). */
function spaces(n: number): string {
  if (n > 256) return ' '.repeat(n);
  return spaceStrings[n] ??= ' '.repeat(n);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

/** name: truncated to 63 bytes, at a character boundary. */
export function nameIn(s: string): string {
  if (s.length <= 21) return s;
  const bytes = encoder.encode(s);
  if (bytes.length <= 63) return s;
  let end = 63;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return decoder.decode(bytes.subarray(0, end));
}

/** "char": the first byte (here: first character, ASCII expected); '' stays ''. */
export function charIn(s: string): string {
  if (s.length === 0) return '';
  // PostgreSQL accepts \ooo octal escapes for non-printable bytes
  if (s.length === 4 && s[0] === '\\' && /^[0-3][0-7]{2}$/.test(s.slice(1))) {
    return String.fromCharCode(parseInt(s.slice(1), 8));
  }
  const c = s.codePointAt(0)!;
  return String.fromCodePoint(c);
}

export function charOut(s: string): string {
  if (s.length === 0) return '';
  const c = s.charCodeAt(0);
  if (c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0x100)) {
    return '\\' + c.toString(8).padStart(3, '0');
  }
  return s;
}

// ---------------------------------------------------------------- bytea

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

export function byteaIn(str: string): Uint8Array {
  if (str.length >= 2 && str.charCodeAt(0) === 92 && (str.charCodeAt(1) === 120 || str.charCodeAt(1) === 88)) {
    const out = new Uint8Array((str.length - 2) >> 1);
    let n = 0;
    let i = 2;
    while (i < str.length) {
      const c = str.charCodeAt(i);
      if (isSpace(c)) { i++; continue; }
      const hi = hexVal(c);
      if (hi < 0) throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, `invalid hexadecimal digit: "${str[i]}"`);
      i++;
      if (i >= str.length) throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, 'invalid hexadecimal data: odd number of digits');
      const lo = hexVal(str.charCodeAt(i));
      if (lo < 0) throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, `invalid hexadecimal digit: "${str[i]}"`);
      i++;
      out[n++] = (hi << 4) | lo;
    }
    return n === out.length ? out : out.slice(0, n);
  }
  // escape format
  const bytes = encoder.encode(str);
  const out = new Uint8Array(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    if (b !== 92) { out[n++] = b; i++; continue; }
    const b1 = bytes[i + 1];
    if (b1 === 92) { out[n++] = 92; i += 2; continue; }
    const b2 = bytes[i + 2];
    const b3 = bytes[i + 3];
    if (b1 !== undefined && b2 !== undefined && b3 !== undefined && b1 >= 48 && b1 <= 51 && b2 >= 48 && b2 <= 55 && b3 >= 48 && b3 <= 55) {
      out[n++] = ((b1 - 48) << 6) | ((b2 - 48) << 3) | (b3 - 48);
      i += 4;
      continue;
    }
    throw new SqlError(SQLSTATE.INVALID_TEXT_REPRESENTATION, 'invalid input syntax for type bytea');
  }
  return out.slice(0, n);
}

const HEX = '0123456789abcdef';
const HEX_PAIRS: string[] = [];
for (let i = 0; i < 256; i++) HEX_PAIRS.push(HEX[i >> 4]! + HEX[i & 15]!);

export function byteaOut(b: Uint8Array, format = 'hex'): string {
  if (format === 'escape') {
    let s = '';
    for (const x of b) {
      if (x === 92) s += '\\\\';
      else if (x < 0x20 || x > 0x7e) s += '\\' + x.toString(8).padStart(3, '0');
      else s += String.fromCharCode(x);
    }
    return s;
  }
  let s = '\\x';
  for (let i = 0; i < b.length; i++) s += HEX_PAIRS[b[i]!]!;
  return s;
}

// ---------------------------------------------------------------- uuid

export function uuidIn(str: string): string {
  let i = 0;
  const braces = str.charCodeAt(0) === 123;
  if (braces) i++;
  let hex = '';
  for (let byte = 0; byte < 16; byte++) {
    const a = hexVal(str.charCodeAt(i));
    const b = hexVal(str.charCodeAt(i + 1));
    if (a < 0 || b < 0) throw invalidSyntax('uuid', str);
    hex += HEX[a]! + HEX[b]!;
    i += 2;
    if (byte % 2 === 1 && byte < 15 && str.charCodeAt(i) === 45) i++;
  }
  if (braces) {
    if (str.charCodeAt(i) !== 125) throw invalidSyntax('uuid', str);
    i++;
  }
  if (i !== str.length) throw invalidSyntax('uuid', str);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function uuidToBytes(u: string): Uint8Array {
  const out = new Uint8Array(16);
  let j = 0;
  for (let i = 0; i < u.length && j < 16; i++) {
    if (u.charCodeAt(i) === 45) continue;
    out[j++] = (hexVal(u.charCodeAt(i)) << 4) | hexVal(u.charCodeAt(i + 1));
    i++;
  }
  return out;
}

export function uuidFromBytes(b: Uint8Array): string {
  let h = '';
  for (let i = 0; i < 16; i++) {
    h += HEX_PAIRS[b[i]!]!;
    if (i === 3 || i === 5 || i === 7 || i === 9) h += '-';
  }
  return h;
}
