// Array literals: PostgreSQL's array_in ('{1,2}', '{{1,2},{3,4}}', '[0:1]={a,b}', quoting,
// backslashes, NULL) with its "malformed array literal" errors, and array_out's quoting rules.
// Element conversion is passed in, so this file knows nothing about element types.
import { LIMITS, SqlError, SQLSTATE } from '../../base/index.js';
import type { Datum, SqlArray } from './datum.js';

function malformed(str: string, detail: string): SqlError {
  return new SqlError(SQLSTATE.INVALID_TEXT_REPRESENTATION, `malformed array literal: "${str}"`, { detail });
}

export function makeArray(elemOid: number, items: Datum[], dims?: number[], lbounds?: number[]): SqlArray {
  if (dims === undefined) {
    dims = items.length === 0 ? [] : [items.length];
  }
  return { kind: 'array', elemOid, dims, lbounds: lbounds ?? dims.map(() => 1), items };
}

function isWs(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';
}

/**
 * Parses an array literal. elemIn converts one element's text (never called for NULL).
 */
export function arrayIn(str: string, elemOid: number, elemIn: (s: string) => Datum, delim = ','): SqlArray {
  let p = 0;
  const s = str;
  while (isWs(s[p])) p++;
  let explicitDims: number[] | undefined;
  let explicitLb: number[] | undefined;
  if (s[p] === '[') {
    explicitDims = [];
    explicitLb = [];
    while (s[p] === '[') {
      p++;
      const m = /^\s*([+-]?\d+)\s*(?::\s*([+-]?\d+)\s*)?\]/.exec(s.slice(p));
      if (m === null) throw malformed(str, 'Missing array dimension value.');
      let lb = 1;
      let ub: number;
      if (m[2] !== undefined) { lb = Number(m[1]); ub = Number(m[2]); } else ub = Number(m[1]);
      if (ub < lb) throw new SqlError(SQLSTATE.INVALID_TEXT_REPRESENTATION, 'upper bound cannot be less than lower bound');
      explicitDims.push(ub - lb + 1);
      explicitLb.push(lb);
      p += m[0].length;
      if (explicitDims.length > LIMITS.arrayDimsMax) {
        throw new SqlError(SQLSTATE.PROGRAM_LIMIT_EXCEEDED, `number of array dimensions (${explicitDims.length}) exceeds the maximum allowed (${LIMITS.arrayDimsMax})`);
      }
    }
    while (isWs(s[p])) p++;
    if (s[p] !== '=') throw malformed(str, 'Missing "=" after array dimensions.');
    p++;
    while (isWs(s[p])) p++;
  }
  if (s[p] !== '{') throw malformed(str, 'Array value must start with "{" or dimension information.');

  const items: Datum[] = [];
  const dims: number[] = [];
  const counts: number[] = [];
  let depth = 0;
  let maxDepth = 0;
  // state: expecting element or '{' (after '{' or delim), or delim/'}' (after element or '}')
  let expectElem = true;
  let afterDelim = false;
  for (;;) {
    const c = s[p];
    if (c === undefined) throw malformed(str, 'Unexpected end of input.');
    if (c === '{') {
      if (!expectElem) throw malformed(str, 'Unexpected "{" character.');
      if (depth > 0) counts[depth - 1] = (counts[depth - 1] ?? 0) + 1;
      if (depth >= maxDepth && items.length > 0) throw malformed(str, 'Unexpected "{" character.');
      depth++;
      if (depth > LIMITS.arrayDimsMax) {
        throw new SqlError(SQLSTATE.PROGRAM_LIMIT_EXCEEDED, `number of array dimensions (${depth}) exceeds the maximum allowed (${LIMITS.arrayDimsMax})`);
      }
      if (depth > maxDepth) {
        if (items.length > 0) throw malformed(str, 'Multidimensional arrays must have sub-arrays with matching dimensions.');
        maxDepth = depth;
      }
      counts[depth - 1] = 0;
      p++;
      expectElem = true;
      afterDelim = false;
      while (isWs(s[p])) p++;
      continue;
    }
    if (c === '}') {
      if (afterDelim) throw malformed(str, 'Unexpected "}" character.');
      if (depth === 0) throw malformed(str, 'Unexpected "}" character.');
      const n = counts[depth - 1]!;
      if (n === 0 && maxDepth > 1) throw malformed(str, 'Unexpected "}" character.');
      if (depth < maxDepth && n === 0 && items.length > 0) throw malformed(str, 'Multidimensional arrays must have sub-arrays with matching dimensions.');
      const prev = dims[depth - 1];
      if (prev === undefined) dims[depth - 1] = n;
      else if (prev !== n) throw malformed(str, 'Multidimensional arrays must have sub-arrays with matching dimensions.');
      depth--;
      p++;
      expectElem = false;
      while (isWs(s[p])) p++;
      if (depth === 0) break;
      continue;
    }
    if (c === delim) {
      if (expectElem) throw malformed(str, `Unexpected "${delim}" character.`);
      p++;
      expectElem = true;
      afterDelim = true;
      while (isWs(s[p])) p++;
      continue;
    }
    // an element
    if (!expectElem) throw malformed(str, 'Unexpected array element.');
    if (depth !== maxDepth) throw malformed(str, 'Unexpected array element.');
    let text = '';
    let quotedAny = false;
    let trailingWsStart = -1;
    for (;;) {
      const ch = s[p];
      if (ch === undefined) throw malformed(str, 'Unexpected end of input.');
      if (ch === '"') {
        quotedAny = true;
        p++;
        for (;;) {
          const q = s[p];
          if (q === undefined) throw malformed(str, 'Unexpected end of input.');
          if (q === '\\') {
            const nx = s[p + 1];
            if (nx === undefined) throw malformed(str, 'Unexpected end of input.');
            text += nx;
            p += 2;
            continue;
          }
          if (q === '"') { p++; break; }
          text += q;
          p++;
        }
        trailingWsStart = -1;
        continue;
      }
      if (ch === '\\') {
        const nx = s[p + 1];
        if (nx === undefined) throw malformed(str, 'Unexpected end of input.');
        text += nx;
        p += 2;
        trailingWsStart = -1;
        continue;
      }
      if (ch === delim || ch === '}') break;
      if (ch === '{') throw malformed(str, 'Unexpected "{" character.');
      if (isWs(ch)) {
        if (trailingWsStart < 0) trailingWsStart = text.length;
        text += ch;
        p++;
        continue;
      }
      text += ch;
      trailingWsStart = -1;
      p++;
    }
    if (trailingWsStart >= 0) text = text.slice(0, trailingWsStart);
    if (!quotedAny && text.toUpperCase() === 'NULL') items.push(null);
    else items.push(elemIn(text));
    counts[depth - 1] = (counts[depth - 1] ?? 0) + 1;
    expectElem = false;
    afterDelim = false;
  }
  while (isWs(s[p])) p++;
  if (p < s.length) throw malformed(str, 'Junk after closing right brace.');

  let finalDims = items.length === 0 ? [] : dims;
  if (explicitDims !== undefined) {
    if (items.length === 0 && explicitDims.length > 0 && explicitDims.some((d) => d !== 0)) {
      throw malformed(str, 'Specified array dimensions do not match array contents.');
    }
    if (explicitDims.length !== finalDims.length || explicitDims.some((d, i) => d !== finalDims[i])) {
      throw malformed(str, 'Specified array dimensions do not match array contents.');
    }
    return { kind: 'array', elemOid, dims: finalDims, lbounds: explicitLb!, items };
  }
  finalDims = finalDims.slice();
  return { kind: 'array', elemOid, dims: finalDims, lbounds: finalDims.map(() => 1), items };
}

function needsQuote(s: string, delim: string): boolean {
  if (s.length === 0) return true;
  if (s.length === 4 && s.toUpperCase() === 'NULL') return true;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"' || c === '\\' || c === '{' || c === '}' || c === delim || isWs(c)) return true;
  }
  return false;
}

function quoteElem(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"' || c === '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

/** array_out: elemOut formats one non-null element. */
export function arrayOut(a: SqlArray, elemOut: (d: Datum) => string, delim = ','): string {
  if (a.dims.length === 0 || a.items.length === 0) return '{}';
  let prefix = '';
  if (a.lbounds.some((lb) => lb !== 1)) {
    prefix = a.dims.map((d, i) => `[${a.lbounds[i]!}:${a.lbounds[i]! + d - 1}]`).join('') + '=';
  }
  const parts: string[] = [];
  const ndim = a.dims.length;
  const idx = new Array<number>(ndim).fill(0);
  let out = '';
  for (let k = 0; k < ndim; k++) out += '{';
  for (let n = 0; n < a.items.length; n++) {
    const d = a.items[n]!;
    out += d === null ? 'NULL' : (() => { const t = elemOut(d); return needsQuote(t, delim) ? quoteElem(t) : t; })();
    // advance index
    let k = ndim - 1;
    while (k >= 0) {
      idx[k]!++;
      if (idx[k]! < a.dims[k]!) break;
      idx[k] = 0;
      out += '}';
      k--;
    }
    if (k >= 0) {
      out += delim;
      for (let j = k + 1; j < ndim; j++) out += '{';
    }
  }
  parts.push(out);
  return prefix + parts.join('');
}
