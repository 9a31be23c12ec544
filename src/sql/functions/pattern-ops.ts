// Pattern matching: LIKE/ILIKE (~~ ~~* !~~ !~~*, like_escape) and POSIX regular expressions
// (~ ~* !~ !~*, regexp_replace/match/matches/split/like/count). PostgreSQL's ARE syntax is
// translated to JS RegExp: [[:class:]], \m \M \y \Y, \A \Z and embedded (?i) options are mapped;
// back-references inside lookahead, and collating elements ([.x.], [=x=]) are not supported.
import { SqlError, SQLSTATE } from '../../base/index.js';
import type { Datum, SqlArray } from '../types/index.js';
import { fn, op, srf } from './registry.js';
import { T } from './oids.js';
import { invalidParam } from './errors.js';

const CACHE_MAX = 256;
const likeCache = new Map<string, RegExp>();
const regexCache = new Map<string, RegExp>();

function cachePut<V>(m: Map<string, V>, k: string, v: V): V {
  if (m.size >= CACHE_MAX) m.delete(m.keys().next().value as string);
  m.set(k, v);
  return v;
}

const RE_SPECIAL = /[\\^$.*+?()[\]{}|/]/;

/** Translates a LIKE pattern (backslash escape) into an anchored RegExp. */
export function likeToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  const key = (caseInsensitive ? 'i' : 'c') + pattern;
  const hit = likeCache.get(key);
  if (hit !== undefined) return hit;
  let src = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      i++;
      if (i >= pattern.length) {
        throw new SqlError(SQLSTATE.INVALID_ESCAPE_SEQUENCE, 'LIKE pattern must not end with escape character');
      }
      const d = pattern[i]!;
      src += RE_SPECIAL.test(d) ? '\\' + d : d;
    } else if (c === '%') src += '[\\s\\S]*';
    else if (c === '_') src += '[\\s\\S]';
    else src += RE_SPECIAL.test(c) ? '\\' + c : c;
  }
  src += '$';
  return cachePut(likeCache, key, new RegExp(src, caseInsensitive ? 'iu' : 'u'));
}

export function likeMatch(s: string, pattern: string, caseInsensitive = false): boolean {
  // fast paths for the common shapes
  if (!caseInsensitive && pattern.indexOf('\\') < 0 && pattern.indexOf('_') < 0) {
    const first = pattern.indexOf('%');
    if (first < 0) return s === pattern;
    if (first === pattern.length - 1) return s.startsWith(pattern.slice(0, first));
    if (first === 0 && pattern.indexOf('%', 1) === pattern.length - 1 && pattern.length > 1) {
      return s.includes(pattern.slice(1, -1));
    }
  }
  return likeToRegExp(pattern, caseInsensitive).test(s);
}

/** like_escape(pattern, esc): rewrites a pattern with escape character esc to backslash form. */
export function likeEscape(pattern: string, esc: string): string {
  const e = Array.from(esc);
  if (e.length > 1) {
    throw new SqlError(SQLSTATE.INVALID_ESCAPE_SEQUENCE, 'invalid escape string', {
      hint: 'Escape string must be empty or one character.',
    });
  }
  if (e.length === 1 && e[0] === '\\') return pattern;
  let out = '';
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (e.length === 1 && c === e[0]) {
      i++;
      if (i >= chars.length) {
        throw new SqlError(SQLSTATE.INVALID_ESCAPE_SEQUENCE, 'LIKE pattern must not end with escape character');
      }
      out += '\\' + chars[i]!;
    } else if (c === '\\') out += '\\\\';
    else out += c;
  }
  return out;
}

const CLASSES: Record<string, string> = {
  alpha: '\\p{L}', digit: '0-9', alnum: '\\p{L}\\p{N}', upper: '\\p{Lu}', lower: '\\p{Ll}',
  space: '\\s', blank: ' \\t', punct: '!-\\/:-@\\[-`{-~', xdigit: '0-9A-Fa-f', word: '\\w',
  cntrl: '\\x00-\\x1f\\x7f', print: '\\x20-\\x7e\\u00a0-\\uffff', graph: '\\x21-\\x7e\\u00a1-\\uffff',
};

/** Translates a PostgreSQL ARE into JS RegExp source; returns [source, extra flags]. */
export function translateRegex(re: string): [string, string] {
  let flags = '';
  let src = '';
  let i = 0;
  // embedded options (?i) etc. at the start
  const emb = /^\(\?([bceimnpqstwx]+)\)/.exec(re);
  if (emb !== null) {
    for (const f of emb[1]!) if (f === 'i') flags += 'i';
    i = emb[0].length;
  }
  if (re.startsWith('***=')) return [re.slice(4).replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'), flags];
  let inBracket = false;
  for (; i < re.length; i++) {
    const c = re[i]!;
    if (inBracket) {
      if (c === '[' && re[i + 1] === ':') {
        const end = re.indexOf(':]', i + 2);
        const cls = end > 0 ? CLASSES[re.slice(i + 2, end)] : undefined;
        if (cls === undefined) throw badRegex('invalid character class');
        src += cls;
        i = end + 1;
        continue;
      }
      if (c === '\\') { src += c + (re[i + 1] ?? ''); i++; continue; }
      if (c === ']' ) { inBracket = false; src += c; continue; }
      if (c === '[') { src += '\\['; continue; }
      src += c;
      continue;
    }
    if (c === '[') {
      inBracket = true;
      src += c;
      if (re[i + 1] === '^') { src += '^'; i++; }
      if (re[i + 1] === ']') { src += '\\]'; i++; }
      continue;
    }
    if (c === '\\') {
      const d = re[i + 1];
      i++;
      switch (d) {
        case 'm': src += '\\b(?=\\w)'; break;
        case 'M': src += '\\b(?<=\\w)'; break;
        case 'y': src += '\\b'; break;
        case 'Y': src += '\\B'; break;
        case 'A': src += '^'; break;
        case 'Z': src += '$'; break;
        case undefined: throw badRegex('invalid escape \\ sequence');
        default:
          // u-mode RegExp rejects identity escapes of non-syntax characters
          src += /[A-Za-z0-9]/.test(d) || '^$\\.*+?()[]{}|/'.includes(d) ? '\\' + d : d === '-' ? '\\x2d' : d;
      }
      continue;
    }
    src += c;
  }
  return [src, flags];
}

/** Expanded syntax (flag x): whitespace and #-comments outside brackets are dropped. */
function stripExpanded(p: string): string {
  let out = '';
  let inBracket = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') { out += c + (p[i + 1] ?? ''); i++; continue; }
    if (inBracket) { if (c === ']') inBracket = false; out += c; continue; }
    if (c === '[') { inBracket = true; out += c; continue; }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
    if (c === '#') { while (i < p.length && p[i] !== '\n') i++; continue; }
    out += c;
  }
  return out;
}

function badRegex(msg: string): SqlError {
  return new SqlError(SQLSTATE.INVALID_REGULAR_EXPRESSION, `invalid regular expression: ${msg}`);
}

/** Compiles a PostgreSQL regex with PostgreSQL flag letters (i, c, n, g ignored here, x, ...). */
export function compileRegex(pattern: string, pgFlags = '', global = false): RegExp {
  const key = pgFlags + (global ? 'G' : '') + '\u0000' + pattern;
  const hit = regexCache.get(key);
  if (hit !== undefined) { hit.lastIndex = 0; return hit; }
  let ci = false, newline = false, expanded = false;
  for (const f of pgFlags) {
    switch (f) {
      case 'i': ci = true; break;
      case 'c': ci = false; break;
      case 'n': case 'm': newline = true; break;
      case 's': newline = false; break;
      case 'g': break;
      case 'x': expanded = true; break;
      case 't': expanded = false; break;
      case 'p': case 'w': case 'e': case 'q': case 'b': break;
      default: throw invalidParam(`invalid regular expression option: "${f}"`);
    }
  }
  const [src, extra] = translateRegex(expanded ? stripExpanded(pattern) : pattern);
  let jsFlags = 'u' + (global ? 'g' : '') + (ci || extra.includes('i') ? 'i' : '') + (newline ? 'm' : 's');
  jsFlags = [...new Set(jsFlags)].join('');
  let re: RegExp;
  try {
    re = new RegExp(src, jsFlags);
  } catch (e) {
    const m = String((e as Error).message);
    throw badRegex(/Unterminated group|Unmatched '\)'/.test(m) ? 'parentheses () not balanced'
      : /Unterminated character class/.test(m) ? 'brackets [] not balanced'
        : /Nothing to repeat/.test(m) ? 'quantifier operand invalid' : m);
  }
  return cachePut(regexCache, key, re);
}

function regexReplace(s: string, pattern: string, repl: string, flags: string): string {
  const global = flags.includes('g');
  const re = compileRegex(pattern, flags.replace('g', ''), global);
  // PostgreSQL replacement: \1..\9, \& whole match, \\ backslash
  let jsRepl = '';
  for (let i = 0; i < repl.length; i++) {
    const c = repl[i]!;
    if (c === '$') { jsRepl += '$$'; continue; }
    if (c === '\\' && i + 1 < repl.length) {
      const d = repl[i + 1]!;
      if (d >= '1' && d <= '9') { jsRepl += '$' + d; i++; continue; }
      if (d === '&') { jsRepl += '$&'; i++; continue; }
      if (d === '\\') { jsRepl += '\\'; i++; continue; }
    }
    jsRepl += c;
  }
  re.lastIndex = 0;
  return s.replace(re, jsRepl);
}

function matchToArray(m: RegExpExecArray): SqlArray {
  const items: (string | null)[] = m.length > 1 ? m.slice(1).map((x) => x ?? null) : [m[0]];
  return { kind: 'array', elemOid: T.text, dims: [items.length], lbounds: [1], items };
}

function* regexMatches(s: string, pattern: string, flags: string): Generator<Datum> {
  const global = flags.includes('g');
  const re = compileRegex(pattern, flags.replace('g', ''), true);
  re.lastIndex = 0;
  for (;;) {
    const m = re.exec(s);
    if (m === null) return;
    yield matchToArray(m);
    if (!global) return;
    if (m[0] === '') re.lastIndex++;
  }
}

export function regexSplit(s: string, pattern: string, flags: string): string[] {
  if (flags.includes('g')) throw invalidParam('regexp_split_to_array() does not support the "global" option');
  const re = compileRegex(pattern, flags, true);
  const out: string[] = [];
  let prevEnd = 0, pieceStart = 0, from = 0;
  // PostgreSQL ignores degenerate matches: empty ones at the end or right after the last match
  while (from <= s.length) {
    re.lastIndex = from;
    const m = re.exec(s);
    if (m === null) break;
    const so = m.index, eo = so + m[0].length;
    if (so < s.length && eo > prevEnd) {
      out.push(s.slice(pieceStart, so));
      pieceStart = eo;
    }
    prevEnd = eo;
    from = so === eo ? eo + 1 : eo;
  }
  out.push(s.slice(pieceStart));
  return out;
}

function textArr(items: (string | null)[]): SqlArray {
  return { kind: 'array', elemOid: T.text, dims: items.length ? [items.length] : [], lbounds: items.length ? [1] : [], items };
}

/** similar_to_escape: translates a SIMILAR TO pattern into a POSIX regex (PostgreSQL's rules). */
export function similarToRegex(pat: string, esc: string | null): string {
  const e = esc === null ? null : Array.from(esc);
  if (e !== null && e.length > 1) {
    throw new SqlError(SQLSTATE.INVALID_ESCAPE_SEQUENCE, 'invalid escape string', {
      hint: 'Escape string must be empty or one character.',
    });
  }
  const escChar = e === null ? '\\' : e.length === 1 ? e[0]! : null;
  let out = '^(?:';
  let afterEscape = false;
  let classDepth = 0;
  let nquotes = 0;
  for (const c of pat) {
    if (afterEscape) {
      if (c === '"' && classDepth === 0) {
        if (nquotes === 0) out += '){1,1}?(';
        else if (nquotes === 1) out += '){1,1}(?:';
        else throw new SqlError(SQLSTATE.INVALID_ESCAPE_SEQUENCE, 'SQL regular expression may not contain more than two escape-double-quote separators');
        nquotes++;
      } else out += '\\' + c;
      afterEscape = false;
    } else if (escChar !== null && c === escChar) afterEscape = true;
    else if (classDepth > 0) {
      if (c === '\\') out += '\\';
      out += c;
      if (c === ']') classDepth--;
      else if (c === '[') classDepth++;
    } else if (c === '[') { classDepth++; out += c; }
    else if (c === '%') out += '.*';
    else if (c === '_') out += '.';
    else if (c === '(') out += '(?:';
    else if (c === '\\' || c === '.' || c === '^' || c === '$') out += '\\' + c;
    else out += c;
  }
  return out + ')$';
}

/** substring(text from pattern): the first parenthesized match, else the whole match. */
export function regexSubstring(s: string, pattern: string): string | null {
  const m = compileRegex(pattern).exec(s);
  if (m === null) return null;
  if (m.length > 1) return m[1] ?? null;
  return m[0];
}

export function registerPatternOps(): void {
  const S = T.text, B = T.bool;
  for (const l of [S, T.bpchar, T.name]) {
    op('~~', l, S, B, (a) => likeMatch(a[0] as string, a[1] as string));
    op('!~~', l, S, B, (a) => !likeMatch(a[0] as string, a[1] as string));
    op('~~*', l, S, B, (a) => likeMatch(a[0] as string, a[1] as string, true));
    op('!~~*', l, S, B, (a) => !likeMatch(a[0] as string, a[1] as string, true));
    op('~', l, S, B, (a) => compileRegex(a[1] as string).test(a[0] as string));
    op('!~', l, S, B, (a) => !compileRegex(a[1] as string).test(a[0] as string));
    op('~*', l, S, B, (a) => compileRegex(a[1] as string, 'i').test(a[0] as string));
    op('!~*', l, S, B, (a) => !compileRegex(a[1] as string, 'i').test(a[0] as string));
  }
  fn('similar_to_escape', [S], S, (a) => similarToRegex(a[0] as string, null));
  fn('similar_to_escape', [S, S], S, (a) => similarToRegex(a[0] as string, a[1] as string));
  fn('substring', [S, S], S, (a) => regexSubstring(a[0] as string, a[1] as string));
  fn('substring', [S, S, S], S, (a) => regexSubstring(a[0] as string, similarToRegex(a[1] as string, a[2] as string)));
  fn('like_escape', [S, S], S, (a) => likeEscape(a[0] as string, a[1] as string));
  fn('like', [S, S], B, (a) => likeMatch(a[0] as string, a[1] as string));
  fn('regexp_replace', [S, S, S], S, (a) => regexReplace(a[0] as string, a[1] as string, a[2] as string, ''));
  fn('regexp_replace', [S, S, S, S], S, (a) => regexReplace(a[0] as string, a[1] as string, a[2] as string, a[3] as string));
  const match = (a: Datum[], flags: string): Datum => {
    if (flags.includes('g')) throw invalidParam('regexp_match() does not support the "global" option');
    const re = compileRegex(a[1] as string, flags, false);
    const m = re.exec(a[0] as string);
    return m === null ? null : matchToArray(m);
  };
  fn('regexp_match', [S, S], T._text, (a) => match(a, ''));
  fn('regexp_match', [S, S, S], T._text, (a) => match(a, a[2] as string));
  srf('regexp_matches', [S, S], T._text, (a) => regexMatches(a[0] as string, a[1] as string, ''));
  srf('regexp_matches', [S, S, S], T._text, (a) => regexMatches(a[0] as string, a[1] as string, a[2] as string));
  fn('regexp_split_to_array', [S, S], T._text, (a) => textArr(regexSplit(a[0] as string, a[1] as string, '')));
  fn('regexp_split_to_array', [S, S, S], T._text, (a) => textArr(regexSplit(a[0] as string, a[1] as string, a[2] as string)));
  srf('regexp_split_to_table', [S, S], S, (a) => regexSplit(a[0] as string, a[1] as string, ''));
  srf('regexp_split_to_table', [S, S, S], S, (a) => regexSplit(a[0] as string, a[1] as string, a[2] as string));
  fn('regexp_like', [S, S], B, (a) => compileRegex(a[1] as string).test(a[0] as string));
  fn('regexp_like', [S, S, S], B, (a) => compileRegex(a[1] as string, a[2] as string).test(a[0] as string));
  fn('regexp_count', [S, S], T.int4, (a) => {
    const re = compileRegex(a[1] as string, '', true);
    re.lastIndex = 0;
    let n = 0;
    const s = a[0] as string;
    for (;;) {
      const m = re.exec(s);
      if (m === null) return n;
      n++;
      if (m[0] === '') re.lastIndex++;
    }
  });
}
