// Text functions (length, substr, position, pad/trim, replace, split_part, concat, format,
// quote_*, translate, encode/decode, md5, ...) and the || operators, with PostgreSQL's results
// and errors. Positions and lengths count Unicode code points, as PostgreSQL does in UTF-8.
import { createHash } from 'node:crypto';
import { SqlError, SQLSTATE } from '../../base/index.js';
import type { Datum, SqlArray } from '../types/index.js';
import type { EvalContext } from './function-def.js';
import { fn, op, srf, typedFn, typedOp } from './registry.js';
import { T } from './oids.js';
import { toText } from './text-out.js';
import { rtrimBlanks } from './compare.js';
import { invalidParam } from './errors.js';

const SURROGATE = /[\uD800-\uDFFF]/;

export function cpLength(s: string): number {
  if (!SURROGATE.test(s)) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Code-point slice [start, end) (0-based, clamped). */
export function cpSlice(s: string, start: number, end = Infinity): string {
  if (!SURROGATE.test(s)) return s.slice(Math.max(0, start), end === Infinity ? undefined : Math.max(0, end));
  return Array.from(s).slice(Math.max(0, start), end === Infinity ? undefined : Math.max(0, end)).join('');
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) { n += 4; i++; }
    else n += 3;
  }
  return n;
}

/** PostgreSQL's substr semantics: 1-based start, optional length (negative → error). */
export function substrText(s: string, start: number, len?: number): string {
  if (len !== undefined && len < 0) {
    throw new SqlError(SQLSTATE.SUBSTRING_ERROR, 'negative substring length not allowed');
  }
  const s0 = start - 1;
  const e = len === undefined ? Infinity : s0 + len;
  if (e <= 0) return '';
  return cpSlice(s, Math.max(0, s0), e);
}

function isAlnum(ch: string): boolean {
  return /[\p{L}\p{N}]/u.test(ch);
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;

/** lower() per character, as towlower does (no multi-character expansions). */
export function lowerText(s: string): string {
  if (ASCII_ONLY.test(s)) return s.toLowerCase();
  let out = '';
  for (const ch of s) {
    const l = ch.toLowerCase();
    out += l.length === ch.length ? l : String.fromCodePoint(l.codePointAt(0)!);
  }
  return out;
}

/** upper() per character, as towupper does (ß stays ß). */
export function upperText(s: string): string {
  if (ASCII_ONLY.test(s)) return s.toUpperCase();
  let out = '';
  for (const ch of s) {
    const x = ch.toUpperCase();
    out += x.length === ch.length ? x : ch;
  }
  return out;
}

export function initcap(s: string): string {
  let out = '';
  let prevAlnum = false;
  for (const ch of s) {
    out += prevAlnum ? lowerText(ch) : upperText(ch);
    prevAlnum = isAlnum(ch);
  }
  return out;
}

function pad(s: string, len: number, fill: string, left: boolean): string {
  if (len <= 0) return '';
  const chars = Array.from(s);
  if (chars.length >= len || fill === '') return chars.slice(0, len).join('');
  const f = Array.from(fill);
  const need = len - chars.length;
  let p = '';
  for (let i = 0; i < need; i++) p += f[i % f.length]!;
  return left ? p + s : s + p;
}

function trimChars(s: string, chars: string, left: boolean, right: boolean): string {
  const set = new Set(Array.from(chars));
  const a = Array.from(s);
  let i = 0, j = a.length;
  if (left) while (i < j && set.has(a[i]!)) i++;
  if (right) while (j > i && set.has(a[j - 1]!)) j--;
  return a.slice(i, j).join('');
}

function trimSpaces(s: string, left: boolean, right: boolean): string {
  let i = 0, j = s.length;
  if (left) while (i < j && s.charCodeAt(i) === 32) i++;
  if (right) while (j > i && s.charCodeAt(j - 1) === 32) j--;
  return s.slice(i, j);
}

export function splitPart(s: string, delim: string, n: number): string {
  if (n === 0) throw invalidParam('field position must not be zero');
  if (s === '') return '';
  const parts = delim === '' ? [s] : s.split(delim);
  const idx = n > 0 ? n - 1 : parts.length + n;
  return parts[idx] ?? '';
}

function strpos(s: string, sub: string): number {
  const i = s.indexOf(sub);
  if (i < 0) return 0;
  return cpLength(s.slice(0, i)) + 1;
}

function leftN(s: string, n: number): string {
  const a = Array.from(s);
  return (n >= 0 ? a.slice(0, n) : a.slice(0, Math.max(0, a.length + n))).join('');
}

function rightN(s: string, n: number): string {
  const a = Array.from(s);
  return (n >= 0 ? a.slice(Math.max(0, a.length - n)) : a.slice(Math.min(a.length, -n))).join('');
}

function translate(s: string, from: string, to: string): string {
  const f = Array.from(from), t = Array.from(to);
  const map = new Map<string, string | null>();
  for (let i = 0; i < f.length; i++) if (!map.has(f[i]!)) map.set(f[i]!, i < t.length ? t[i]! : null);
  let out = '';
  for (const ch of s) {
    const m = map.get(ch);
    if (m === undefined) out += ch;
    else if (m !== null) out += m;
  }
  return out;
}

export function chr(code: number): string {
  if (code === 0) throw new SqlError(SQLSTATE.PROGRAM_LIMIT_EXCEEDED, 'null character not permitted');
  if (code < 0) throw invalidParam('character number must be positive');
  if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
    throw new SqlError(SQLSTATE.PROGRAM_LIMIT_EXCEEDED, `requested character too large for encoding: ${code}`);
  }
  return String.fromCodePoint(code);
}

// Keywords quote_ident quotes: every PostgreSQL keyword that is not UNRESERVED.
const QUOTE_KEYWORDS = new Set(('all analyse analyze and any array as asc asymmetric authorization between bigint ' +
  'binary bit boolean both case cast char character check coalesce collate collation column concurrently constraint ' +
  'create cross current_catalog current_date current_role current_schema current_time current_timestamp ' +
  'current_user dec decimal default deferrable desc distinct do else end except exists extract false fetch float ' +
  'for foreign freeze from full grant greatest group grouping having ilike in initially inner inout int integer ' +
  'intersect interval into is isnull join lateral leading least left like limit localtime localtimestamp national ' +
  'natural nchar none normalize not notnull null nullif numeric offset on only or order out outer overlaps overlay ' +
  'placing position precision primary real references returning right row select session_user setof similar ' +
  'smallint some substring symmetric system_user table tablesample then time timestamp to trailing treat trim true ' +
  'union unique user using values varchar variadic verbose when where window with xmlattributes xmlconcat ' +
  'xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable').split(' '));

export function quoteIdent(s: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(s) && !QUOTE_KEYWORDS.has(s)) return s;
  return '"' + s.replace(/"/g, '""') + '"';
}

export function quoteLiteral(s: string): string {
  const body = s.replace(/'/g, "''");
  if (s.includes('\\')) return "E'" + body.replace(/\\/g, '\\\\') + "'";
  return "'" + body + "'";
}

function toHex32(n: number): string { return (n >>> 0).toString(16); }
function toHex64(n: bigint): string { return BigInt.asUintN(64, n).toString(16); }

// ---- encode/decode ----
export function encodeBytes(b: Uint8Array, format: string): string {
  switch (format.toLowerCase()) {
    case 'hex': return Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');
    case 'base64': {
      const s = Buffer.from(b.buffer, b.byteOffset, b.length).toString('base64');
      return s.replace(/(.{76})(?=.)/g, '$1\n');
    }
    case 'escape': {
      let out = '';
      for (const c of b) {
        if (c === 0x5c) out += '\\\\';
        else if (c === 0 || c >= 0x80) out += '\\' + c.toString(8).padStart(3, '0');
        else out += String.fromCharCode(c);
      }
      return out;
    }
    default: throw invalidParam(`unrecognized encoding: "${format}"`);
  }
}

export function decodeText(s: string, format: string): Uint8Array {
  switch (format.toLowerCase()) {
    case 'hex': {
      const out: number[] = [];
      let i = 0;
      while (i < s.length) {
        const c = s[i]!;
        if (c === ' ' || c === '\n' || c === '\t' || c === '\r') { i++; continue; }
        const hi = parseInt(c, 16);
        if (Number.isNaN(hi)) throw invalidParam(`invalid hexadecimal digit: "${c}"`);
        const c2 = s[i + 1];
        if (c2 === undefined) throw invalidParam('invalid hexadecimal data: odd number of digits');
        const lo = parseInt(c2, 16);
        if (Number.isNaN(lo)) throw invalidParam(`invalid hexadecimal digit: "${c2}"`);
        out.push(hi * 16 + lo);
        i += 2;
      }
      return Uint8Array.from(out);
    }
    case 'base64': {
      const clean = s.replace(/[ \t\r\n]/g, '');
      if (/[^A-Za-z0-9+/=]/.test(clean)) {
        const bad = /[^A-Za-z0-9+/=]/.exec(clean)![0];
        throw invalidParam(`invalid symbol "${bad}" found while decoding base64 sequence`);
      }
      if (clean.length % 4 !== 0) {
        throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, 'invalid base64 end sequence', {
          hint: 'Input data is missing padding, is truncated, or is otherwise corrupted.',
        });
      }
      return new Uint8Array(Buffer.from(clean, 'base64'));
    }
    case 'escape': {
      const bytes = encoder.encode(s);
      const out: number[] = [];
      for (let i = 0; i < bytes.length; i++) {
        const c = bytes[i]!;
        if (c !== 0x5c) { out.push(c); continue; }
        if (bytes[i + 1] === 0x5c) { out.push(0x5c); i++; continue; }
        const d = [bytes[i + 1], bytes[i + 2], bytes[i + 3]];
        if (d.every((x) => x !== undefined && x >= 0x30 && x <= 0x37) && d[0]! <= 0x33) {
          out.push((d[0]! - 48) * 64 + (d[1]! - 48) * 8 + (d[2]! - 48));
          i += 3;
          continue;
        }
        throw new SqlError(SQLSTATE.INVALID_TEXT_REPRESENTATION, 'invalid input syntax for type bytea');
      }
      return Uint8Array.from(out);
    }
    default: throw invalidParam(`unrecognized encoding: "${format}"`);
  }
}

// ---- format() ----
export function formatString(fmt: string, args: readonly Datum[], oids: readonly number[], ctx?: EvalContext): string {
  let out = '';
  let next = 0;
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i]!;
    if (c !== '%') { out += c; continue; }
    i++;
    if (i >= fmt.length) throw invalidParam('unterminated format() type specifier');
    if (fmt[i] === '%') { out += '%'; continue; }
    // [argpos$][flags][width]type
    let m = /^(\d+\$)?(-)?(\*(\d+\$)?|\d+)?([a-zA-Z])?/.exec(fmt.slice(i))!;
    let argIndex: number;
    if (m[1] !== undefined) {
      argIndex = parseInt(m[1], 10) - 1;
      if (argIndex < 0) throw invalidParam('format specifies argument 0, but arguments are numbered from 1');
    } else argIndex = -1;
    const minus = m[2] !== undefined;
    let width = 0;
    let leftAlign = minus;
    if (m[3] !== undefined) {
      if (m[3].startsWith('*')) {
        const wi = m[4] !== undefined ? parseInt(m[4], 10) - 1 : next++;
        if (wi >= args.length) throw invalidParam('too few arguments for format()');
        const wv = args[wi];
        width = wv === null || wv === undefined ? 0 : Number(wv);
        if (m[4] !== undefined) next = wi + 1;
        if (width < 0) { leftAlign = true; width = -width; }
      } else width = parseInt(m[3], 10);
    }
    const type = m[5];
    if (type === undefined) {
      throw invalidParam('unterminated format() type specifier');
    }
    if (type !== 's' && type !== 'I' && type !== 'L') {
      throw invalidParam(`unrecognized format() type specifier "${type}"`);
    }
    i += m[0].length - 1;
    m = m as RegExpExecArray;
    if (argIndex < 0) argIndex = next;
    next = argIndex + 1;
    if (argIndex >= args.length) throw invalidParam('too few arguments for format()');
    const v = args[argIndex]!;
    let s: string;
    if (type === 's') s = v === null ? '' : toText(v, oids[argIndex] ?? T.text, ctx);
    else if (type === 'I') {
      if (v === null) throw new SqlError(SQLSTATE.NULL_VALUE_NOT_ALLOWED, 'null values cannot be formatted as an SQL identifier');
      s = quoteIdent(toText(v, oids[argIndex] ?? T.text, ctx));
    } else s = v === null ? 'NULL' : quoteLiteral(toText(v, oids[argIndex] ?? T.text, ctx));
    if (width > 0) {
      const len = cpLength(s);
      if (len < width) s = leftAlign ? s + ' '.repeat(width - len) : ' '.repeat(width - len) + s;
    }
    out += s;
  }
  return out;
}

function textArray(items: (string | null)[]): SqlArray {
  return { kind: 'array', elemOid: T.text, dims: items.length ? [items.length] : [], lbounds: items.length ? [1] : [], items };
}

export function stringToArray(s: string, delim: string | null, nullStr: string | null): SqlArray {
  if (s === '') return textArray([]);
  let parts: string[];
  if (delim === null) parts = Array.from(s);
  else if (delim === '') parts = [s];
  else parts = s.split(delim);
  return textArray(parts.map((p) => (nullStr !== null && p === nullStr ? null : p)));
}

export function arrayToString(a: SqlArray, delim: string, nullStr: string | null, ctx?: EvalContext): string {
  const parts: string[] = [];
  for (const it of a.items) {
    if (it === null) { if (nullStr !== null) parts.push(nullStr); continue; }
    parts.push(toText(it, a.elemOid, ctx));
  }
  return parts.join(delim);
}

export function registerStringFunctions(): void {
  const S = T.text, I = T.int4;
  const s0 = (a: Datum[]) => a[0] as string;
  for (const name of ['length', 'char_length', 'character_length']) {
    fn(name, [S], I, (a) => cpLength(s0(a)));
    fn(name, [T.bpchar], I, (a) => cpLength(rtrimBlanks(s0(a))));
  }
  fn('octet_length', [S], I, (a) => utf8Length(s0(a)));
  fn('octet_length', [T.bpchar], I, (a) => utf8Length(s0(a)));
  fn('octet_length', [T.bytea], I, (a) => (a[0] as Uint8Array).length);
  fn('length', [T.bytea], I, (a) => (a[0] as Uint8Array).length);
  fn('bit_length', [S], I, (a) => utf8Length(s0(a)) * 8);
  fn('bit_length', [T.bytea], I, (a) => (a[0] as Uint8Array).length * 8);
  fn('lower', [S], S, (a) => lowerText(s0(a)));
  fn('upper', [S], S, (a) => upperText(s0(a)));
  fn('initcap', [S], S, (a) => initcap(s0(a)));
  for (const name of ['substr', 'substring']) {
    fn(name, [S, I], S, (a) => substrText(s0(a), a[1] as number));
    fn(name, [S, I, I], S, (a) => substrText(s0(a), a[1] as number, a[2] as number));
    fn(name, [T.bytea, I], T.bytea, (a) => substrBytes(a[0] as Uint8Array, a[1] as number));
    fn(name, [T.bytea, I, I], T.bytea, (a) => substrBytes(a[0] as Uint8Array, a[1] as number, a[2] as number));
  }
  fn('overlay', [S, S, I, I], S, (a) => overlay(s0(a), a[1] as string, a[2] as number, a[3] as number));
  fn('overlay', [S, S, I], S, (a) => overlay(s0(a), a[1] as string, a[2] as number, cpLength(a[1] as string)));
  fn('strpos', [S, S], I, (a) => strpos(s0(a), a[1] as string));
  // the grammar turns position(sub IN str) into position(str, sub)
  fn('position', [S, S], I, (a) => strpos(s0(a), a[1] as string));
  fn('left', [S, I], S, (a) => leftN(s0(a), a[1] as number));
  fn('right', [S, I], S, (a) => rightN(s0(a), a[1] as number));
  fn('lpad', [S, I], S, (a) => pad(s0(a), a[1] as number, ' ', true));
  fn('lpad', [S, I, S], S, (a) => pad(s0(a), a[1] as number, a[2] as string, true));
  fn('rpad', [S, I], S, (a) => pad(s0(a), a[1] as number, ' ', false));
  fn('rpad', [S, I, S], S, (a) => pad(s0(a), a[1] as number, a[2] as string, false));
  fn('ltrim', [S], S, (a) => trimSpaces(s0(a), true, false));
  fn('rtrim', [S], S, (a) => trimSpaces(s0(a), false, true));
  fn('btrim', [S], S, (a) => trimSpaces(s0(a), true, true));
  fn('ltrim', [S, S], S, (a) => trimChars(s0(a), a[1] as string, true, false));
  fn('rtrim', [S, S], S, (a) => trimChars(s0(a), a[1] as string, false, true));
  fn('btrim', [S, S], S, (a) => trimChars(s0(a), a[1] as string, true, true));
  fn('replace', [S, S, S], S, (a) => (a[1] === '' ? s0(a) : s0(a).split(a[1] as string).join(a[2] as string)));
  fn('repeat', [S, I], S, (a) => {
    const n = a[1] as number;
    if (n <= 0) return '';
    if (s0(a).length * n > 1073741823) {
      throw new SqlError(SQLSTATE.PROGRAM_LIMIT_EXCEEDED, 'requested length too large');
    }
    return s0(a).repeat(n);
  });
  fn('reverse', [S], S, (a) => Array.from(s0(a)).reverse().join(''));
  fn('split_part', [S, S, I], S, (a) => splitPart(s0(a), a[1] as string, a[2] as number));
  typedFn('concat', [T.any], S, (t) => (a, ctx) => {
    let out = '';
    for (let i = 0; i < a.length; i++) { const v = a[i]!; if (v !== null) out += toText(v, t.args[i] ?? S, ctx); }
    return out;
  }, { strict: false, variadic: T.any });
  typedFn('concat_ws', [S, T.any], S, (t) => (a, ctx) => {
    if (a[0] === null) return null;
    const parts: string[] = [];
    for (let i = 1; i < a.length; i++) { const v = a[i]!; if (v !== null) parts.push(toText(v, t.args[i] ?? S, ctx)); }
    return parts.join(a[0] as string);
  }, { strict: false, variadic: T.any });
  fn('format', [S], S, (a) => (a[0] === null ? null : formatString(s0(a), [], [])), { strict: false });
  typedFn('format', [S, T.any], S, (t) => (a, ctx) => {
    if (a[0] === null) return null;
    return formatString(s0(a), a.slice(1), t.args.slice(1), ctx);
  }, { strict: false, variadic: T.any });
  fn('chr', [I], S, (a) => chr(a[0] as number));
  fn('ascii', [S], I, (a) => s0(a).codePointAt(0) ?? 0);
  fn('md5', [S], S, (a) => createHash('md5').update(s0(a), 'utf8').digest('hex'));
  fn('md5', [T.bytea], S, (a) => createHash('md5').update(a[0] as Uint8Array).digest('hex'));
  fn('sha256', [T.bytea], T.bytea, (a) => new Uint8Array(createHash('sha256').update(a[0] as Uint8Array).digest()));
  fn('to_hex', [I], S, (a) => toHex32(a[0] as number));
  fn('to_hex', [T.int8], S, (a) => toHex64(a[0] as bigint));
  fn('starts_with', [S, S], T.bool, (a) => s0(a).startsWith(a[1] as string));
  fn('string_to_array', [S, S], T._text, (a) => (a[0] === null ? null : stringToArray(s0(a), a[1] as string | null, null)), { strict: false });
  fn('string_to_array', [S, S, S], T._text, (a) => (a[0] === null ? null : stringToArray(s0(a), a[1] as string | null, a[2] as string | null)), { strict: false });
  srf('string_to_table', [S, S], S, (a) => (a[0] === null ? [] : stringToArray(s0(a), a[1] as string | null, null).items), { strict: false });
  srf('string_to_table', [S, S, S], S, (a) => (a[0] === null ? [] : stringToArray(s0(a), a[1] as string | null, a[2] as string | null).items), { strict: false });
  fn('array_to_string', [T.anyarray, S], S, (a, ctx) => arrayToString(a[0] as SqlArray, a[1] as string, null, ctx));
  fn('array_to_string', [T.anyarray, S, S], S, (a, ctx) => (a[0] === null || a[1] === null ? null : arrayToString(a[0] as SqlArray, a[1] as string, a[2] as string | null, ctx)), { strict: false });
  fn('quote_ident', [S], S, (a) => quoteIdent(s0(a)));
  fn('quote_literal', [S], S, (a) => quoteLiteral(s0(a)));
  typedFn('quote_literal', [T.anyelement], S, (t) => (a, ctx) => quoteLiteral(toText(a[0]!, t.args[0]!, ctx)));
  fn('quote_nullable', [S], S, (a) => (a[0] === null ? 'NULL' : quoteLiteral(s0(a))), { strict: false });
  typedFn('quote_nullable', [T.anyelement], S, (t) => (a, ctx) => (a[0] === null ? 'NULL' : quoteLiteral(toText(a[0]!, t.args[0]!, ctx))), { strict: false });
  fn('translate', [S, S, S], S, (a) => translate(s0(a), a[1] as string, a[2] as string));
  fn('encode', [T.bytea, S], S, (a) => encodeBytes(a[0] as Uint8Array, a[1] as string));
  fn('decode', [S, S], T.bytea, (a) => decodeText(s0(a), a[1] as string));
  fn('convert_from', [T.bytea, T.name], S, (a) => decoder.decode(a[0] as Uint8Array));
  fn('convert_to', [S, T.name], T.bytea, (a) => encoder.encode(s0(a)));

  // || on text
  op('||', S, S, S, (a) => (a[0] as string) + (a[1] as string));
  typedOp('||', T.anynonarray, S, S, (t) => (a, ctx) => toText(a[0]!, t.args[0]!, ctx) + (a[1] as string));
  typedOp('||', S, T.anynonarray, S, (t) => (a, ctx) => (a[0] as string) + toText(a[1]!, t.args[1]!, ctx));
  op('||', T.bytea, T.bytea, T.bytea, (a) => {
    const x = a[0] as Uint8Array, y = a[1] as Uint8Array;
    const r = new Uint8Array(x.length + y.length);
    r.set(x, 0); r.set(y, x.length);
    return r;
  });
}

function overlay(s: string, repl: string, start: number, len: number): string {
  if (start < 1) throw new SqlError(SQLSTATE.SUBSTRING_ERROR, 'negative substring length not allowed');
  return substrText(s, 1, start - 1) + repl + substrText(s, start + len);
}

function substrBytes(b: Uint8Array, start: number, len?: number): Uint8Array {
  if (len !== undefined && len < 0) throw new SqlError(SQLSTATE.SUBSTRING_ERROR, 'negative substring length not allowed');
  const s0 = start - 1;
  const e = len === undefined ? b.length : Math.min(b.length, s0 + len);
  if (e <= 0) return new Uint8Array(0);
  return b.slice(Math.max(0, s0), e);
}
