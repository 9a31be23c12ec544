// json and jsonb: a strict RFC 8259 parser with PostgreSQL's error (22P02 "invalid input syntax for
// type json"), the parsed value model (numbers as Numeric, objects as Maps with jsonb key order),
// and jsonb's normalized text output ('{"a": 1, "b": [1, 2]}', keys by length then bytes).
import { SqlError, SQLSTATE } from '../../base/index.js';
import { Numeric } from './numeric.js';

/** A parsed JSON value. Objects keep jsonb order (byte length, then bytes) after normalizeJson. */
export type JsonValue = null | boolean | string | Numeric | JsonValue[] | JsonObject;
export type JsonObject = Map<string, JsonValue>;

const MAX_DEPTH = 6000;

class Parser {
  pos = 0;
  depth = 0;
  /** When set, the top-level container's members with their source spans. */
  members: Array<{ key: string | null; start: number; end: number }> | null = null;
  constructor(readonly s: string, readonly typeName: string, readonly build: boolean, readonly jsonb: boolean) {}

  fail(detail: string): never {
    // PostgreSQL says "json" for jsonb input too
    throw new SqlError(SQLSTATE.INVALID_TEXT_REPRESENTATION, 'invalid input syntax for type json', { detail });
  }

  ws(): void {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
      else break;
    }
  }

  token(): string {
    const m = /^[^\s{}[\],:"]*/.exec(this.s.slice(this.pos, this.pos + 64));
    const t = m?.[0] ?? '';
    return t === '' ? this.s.charAt(this.pos) : t;
  }

  value(): JsonValue {
    this.ws();
    if (this.pos >= this.s.length) this.fail('The input string ended unexpectedly.');
    const c = this.s.charCodeAt(this.pos);
    switch (c) {
      case 123: return this.object();
      case 91: return this.array();
      case 34: return this.string();
      case 116: return this.word('true', true);
      case 102: return this.word('false', false);
      case 110: return this.word('null', null);
    }
    if (c === 45 || (c >= 48 && c <= 57)) return this.number();
    this.fail(`Token "${this.token()}" is invalid.`);
  }

  word(w: string, v: JsonValue): JsonValue {
    if (this.s.startsWith(w, this.pos)) {
      const next = this.s.charCodeAt(this.pos + w.length);
      if (!(next >= 97 && next <= 122) && !(next >= 65 && next <= 90) && !(next >= 48 && next <= 57) && next !== 95) {
        this.pos += w.length;
        return v;
      }
    }
    this.fail(`Token "${this.token()}" is invalid.`);
  }

  number(): JsonValue {
    const re = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    re.lastIndex = this.pos;
    const m = re.exec(this.s);
    if (m === null) this.fail(`Token "${this.token()}" is invalid.`);
    const end = this.pos + m[0].length;
    const next = this.s.charCodeAt(end);
    if ((next >= 48 && next <= 57) || next === 46 || (next >= 65 && next <= 90) || (next >= 97 && next <= 122) || next === 95) {
      this.fail(`Token "${this.token()}" is invalid.`);
    }
    this.pos = end;
    return this.build ? Numeric.parse(m[0]) : null;
  }

  string(): string {
    const s = this.s;
    let i = this.pos + 1;
    let out = '';
    let start = i;
    for (;;) {
      if (i >= s.length) this.fail('The input string ended unexpectedly.');
      const c = s.charCodeAt(i);
      if (c === 34) break;
      if (c < 0x20) {
        this.pos = i;
        this.fail(`Character with value 0x${c.toString(16).padStart(2, '0')} must be escaped.`);
      }
      if (c === 92) {
        out += s.slice(start, i);
        const e = s.charAt(i + 1);
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            const hex = s.slice(i + 2, i + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('"\\u" must be followed by four hexadecimal digits.');
            const cp = parseInt(hex, 16);
            if (!this.build) {
              // json validation does not check surrogate pairing (PostgreSQL only does when de-escaping)
            } else if (cp >= 0xd800 && cp <= 0xdbff) {
              const lo = /^\\u([dD][c-fC-F][0-9a-fA-F]{2})/.exec(s.slice(i + 6, i + 12));
              if (lo === null) this.fail('Unicode low surrogate must follow a high surrogate.');
              out += String.fromCharCode(cp, parseInt(lo[1]!, 16));
              i += 6;
            } else if (cp >= 0xdc00 && cp <= 0xdfff) {
              this.fail('Unicode low surrogate must follow a high surrogate.');
            } else if (cp === 0 && this.jsonb) {
              throw new SqlError(SQLSTATE.UNTRANSLATABLE_CHARACTER, 'unsupported Unicode escape sequence', {
                detail: '\\u0000 cannot be converted to text.',
              });
            } else {
              out += String.fromCharCode(cp);
            }
            i += 4;
            break;
          }
          default:
            this.pos = i;
            this.fail(`Escape sequence "\\${e}" is invalid.`);
        }
        i += 2;
        start = i;
        continue;
      }
      i++;
    }
    out += s.slice(start, i);
    this.pos = i + 1;
    return out;
  }

  array(): JsonValue {
    if (++this.depth > MAX_DEPTH) throw depthError();
    this.pos++;
    const items: JsonValue[] = [];
    this.ws();
    if (this.s.charCodeAt(this.pos) === 93) { this.pos++; this.depth--; return items; }
    for (;;) {
      this.ws();
      const start = this.pos;
      const v = this.value();
      if (this.build) items.push(v);
      if (this.members !== null && this.depth === 1) this.members.push({ key: null, start, end: this.pos });
      this.ws();
      const c = this.s.charCodeAt(this.pos);
      if (c === 44) { this.pos++; continue; }
      if (c === 93) { this.pos++; break; }
      if (this.pos >= this.s.length) this.fail('The input string ended unexpectedly.');
      this.fail(`Expected "," or "]", but found "${this.token()}".`);
    }
    this.depth--;
    return items;
  }

  object(): JsonValue {
    if (++this.depth > MAX_DEPTH) throw depthError();
    this.pos++;
    const obj: JsonObject = new Map();
    this.ws();
    if (this.s.charCodeAt(this.pos) === 125) { this.pos++; this.depth--; return obj; }
    for (;;) {
      this.ws();
      if (this.pos >= this.s.length) this.fail('The input string ended unexpectedly.');
      if (this.s.charCodeAt(this.pos) !== 34) this.fail(`Expected string, but found "${this.token()}".`);
      const k = this.string();
      this.ws();
      if (this.s.charCodeAt(this.pos) !== 58) {
        if (this.pos >= this.s.length) this.fail('The input string ended unexpectedly.');
        this.fail(`Expected ":", but found "${this.token()}".`);
      }
      this.pos++;
      this.ws();
      const start = this.pos;
      const v = this.value();
      if (this.build) { obj.delete(k); obj.set(k, v); }
      if (this.members !== null && this.depth === 1) this.members.push({ key: k, start, end: this.pos });
      this.ws();
      const c = this.s.charCodeAt(this.pos);
      if (c === 44) { this.pos++; continue; }
      if (c === 125) { this.pos++; break; }
      if (this.pos >= this.s.length) this.fail('The input string ended unexpectedly.');
      this.fail(`Expected "," or "}", but found "${this.token()}".`);
    }
    this.depth--;
    return obj;
  }

  document(): JsonValue {
    const v = this.value();
    this.ws();
    if (this.pos < this.s.length) this.fail(`Expected end of input, but found "${this.token()}".`);
    return v;
  }
}

function depthError(): SqlError {
  return new SqlError(SQLSTATE.STATEMENT_TOO_COMPLEX, 'stack depth limit exceeded');
}

/** json input: validates and returns the text verbatim. */
export function jsonIn(text: string): string {
  new Parser(text, 'json', false, false).document();
  return text;
}

/** Parses JSON text into a value (numbers as Numeric, duplicate keys: last wins). */
export function parseJson(text: string, typeName = 'json'): JsonValue {
  return new Parser(text, typeName, true, typeName === 'jsonb').document();
}

/**
 * A json text's top-level container and its members as written (json operators return members
 * verbatim, whitespace included): object members with their keys, array elements with key null.
 */
export function jsonRawMembers(text: string): { kind: 'object' | 'array' | 'scalar'; members: Array<{ key: string | null; raw: string }> } {
  const p = new Parser(text, 'json', false, false);
  p.members = [];
  p.ws();
  const c = text.charCodeAt(p.pos);
  p.document();
  const kind = c === 123 ? 'object' : c === 91 ? 'array' : 'scalar';
  return { kind, members: p.members.map((m) => ({ key: m.key, raw: text.slice(m.start, m.end) })) };
}

/** jsonb input: validates and returns PostgreSQL's normalized jsonb text. */
export function jsonbIn(text: string): string {
  return jsonbOut(parseJson(text, 'jsonb'));
}

const enc = new TextEncoder();

/** jsonb key order: shorter UTF-8 byte length first, then bytewise. */
export function compareJsonbKeys(a: string, b: string): number {
  if (a === b) return 0;
  const ba = enc.encode(a);
  const bb = enc.encode(b);
  if (ba.length !== bb.length) return ba.length - bb.length;
  for (let i = 0; i < ba.length; i++) {
    if (ba[i] !== bb[i]) return ba[i]! - bb[i]!;
  }
  return 0;
}

/** PostgreSQL's escape_json. */
export function quoteJsonString(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 34 && c !== 92) continue;
    out += s.slice(start, i);
    switch (c) {
      case 34: out += '\\"'; break;
      case 92: out += '\\\\'; break;
      case 8: out += '\\b'; break;
      case 12: out += '\\f'; break;
      case 10: out += '\\n'; break;
      case 13: out += '\\r'; break;
      case 9: out += '\\t'; break;
      default: out += '\\u' + c.toString(16).padStart(4, '0');
    }
    start = i + 1;
  }
  return out + s.slice(start) + '"';
}

/** jsonb text of a value: sorted keys, ", " and ": " separators. */
export function jsonbOut(v: JsonValue): string {
  if (v === null) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'string') return quoteJsonString(v);
  if (v instanceof Numeric) return v.toString();
  if (Array.isArray(v)) {
    let s = '[';
    for (let i = 0; i < v.length; i++) { if (i > 0) s += ', '; s += jsonbOut(v[i]!); }
    return s + ']';
  }
  const keys = [...v.keys()].sort(compareJsonbKeys);
  let s = '{';
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) s += ', ';
    s += quoteJsonString(keys[i]!) + ': ' + jsonbOut(v.get(keys[i]!)!);
  }
  return s + '}';
}
