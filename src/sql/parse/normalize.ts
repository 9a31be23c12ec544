// Literal lifting for the simple-query cache, as pg_stat_statements normalizes: a cheap lexer
// replaces numeric and plain string literals with numbered parameters, so statements that differ
// only in their constants share one parse, bind and plan (LIMIT and OFFSET counts excepted). Only SELECT/INSERT/UPDATE/DELETE/VALUES
// texts are lifted; the caller checks the parse tree for positions where a constant means
// something else (ORDER BY 1, GROUP BY 1) and falls back to the exact text there.

export type LiftedKind = 'int' | 'numeric' | 'string';

export interface LiftedLiteral {
  kind: LiftedKind;
  /** The literal's value as text (strings unescaped). */
  text: string;
}

export interface NormalizedQuery {
  /** The text with literals replaced by $n placeholders. */
  text: string;
  literals: LiftedLiteral[];
  /** Number of the first placeholder ($firstParam); earlier numbers are the statement's own. */
  firstParam: number;
}

const LIFTABLE_START = /^(select|insert|update|delete|values|with)\b/i;

function isIdentChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36 || c >= 128;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Returns the lifted form of a single statement's text, or null when the text is not a
 * candidate (not a plain DML/SELECT, several statements, dollar quotes, prefixed strings, ...).
 */
export function normalizeLiterals(sql: string): NormalizedQuery | null {
  const start = sql.trimStart();
  if (!LIFTABLE_START.test(start)) return null;
  const n = sql.length;
  const literals: LiftedLiteral[] = [];
  const parts: string[] = [];
  let maxParam = 0;
  let last = 0;
  let i = 0;
  let prevSignificant = '';
  const pending: Array<{ from: number; to: number; lit: LiftedLiteral }> = [];
  while (i < n) {
    const c = sql.charCodeAt(i);
    // whitespace
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12) { i++; continue; }
    // comments
    if (c === 45 && sql.charCodeAt(i + 1) === 45) {
      while (i < n && sql.charCodeAt(i) !== 10) i++;
      continue;
    }
    if (c === 47 && sql.charCodeAt(i + 1) === 42) {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql.charCodeAt(i) === 47 && sql.charCodeAt(i + 1) === 42) { depth++; i += 2; continue; }
        if (sql.charCodeAt(i) === 42 && sql.charCodeAt(i + 1) === 47) { depth--; i += 2; continue; }
        i++;
      }
      if (depth > 0) return null;
      continue;
    }
    // a statement separator: only a trailing one is allowed
    if (c === 59) {
      const rest = sql.slice(i + 1).trim();
      if (rest.length > 0) return null;
      break;
    }
    // quoted identifier
    if (c === 34) {
      i++;
      while (i < n) {
        if (sql.charCodeAt(i) === 34) {
          if (sql.charCodeAt(i + 1) === 34) { i += 2; continue; }
          break;
        }
        i++;
      }
      if (i >= n) return null;
      i++;
      prevSignificant = 'ident';
      continue;
    }
    // plain string literal (standard_conforming_strings on: backslashes are literal)
    if (c === 39) {
      const from = i;
      let value = '';
      i++;
      let segStart = i;
      for (;;) {
        if (i >= n) return null;
        if (sql.charCodeAt(i) === 39) {
          if (sql.charCodeAt(i + 1) === 39) { value += sql.slice(segStart, i + 1); i += 2; segStart = i; continue; }
          value += sql.slice(segStart, i);
          i++;
          break;
        }
        i++;
      }
      // 'a' 'b' continuation across a newline, and typed literals such as DATE '...', are left alone.
      if (prevSignificant === 'typename') return null;
      pending.push({ from, to: i, lit: { kind: 'string', text: value } });
      prevSignificant = 'literal';
      continue;
    }
    // parameters $n and dollar-quoted strings
    if (c === 36) {
      let j = i + 1;
      while (j < n && isDigit(sql.charCodeAt(j))) j++;
      if (j > i + 1) {
        maxParam = Math.max(maxParam, Number(sql.slice(i + 1, j)));
        i = j;
        prevSignificant = 'param';
        continue;
      }
      return null; // dollar quoting: not lifted
    }
    // numbers
    if (isDigit(c) || (c === 46 && isDigit(sql.charCodeAt(i + 1)))) {
      if (prevSignificant === 'ident-adjacent') return null;
      const from = i;
      let isInt = true;
      while (i < n && isDigit(sql.charCodeAt(i))) i++;
      if (sql.charCodeAt(i) === 46 && sql.charCodeAt(i + 1) !== 46) {
        isInt = false;
        i++;
        while (i < n && isDigit(sql.charCodeAt(i))) i++;
      }
      if (sql.charCodeAt(i) === 101 || sql.charCodeAt(i) === 69) {
        const save = i;
        i++;
        if (sql.charCodeAt(i) === 43 || sql.charCodeAt(i) === 45) i++;
        if (isDigit(sql.charCodeAt(i))) {
          isInt = false;
          while (i < n && isDigit(sql.charCodeAt(i))) i++;
        } else i = save;
      }
      if (i < n && isIdentChar(sql.charCodeAt(i))) return null; // 123abc: leave to the parser
      // Keep the parser's own typing for edge literals: exponents, and integers outside int4
      // (-2147483648 is an int4 only as the parser folds the minus sign into the constant).
      const numText = sql.slice(from, i);
      // LIMIT/OFFSET counts stay in the text: they shape the plan (a top-k ANN scan, an ordered
      // index scan that stops early), so each count gets its own cached plan.
      if (prevSignificant === 'limit') { prevSignificant = 'literal'; continue; }
      if (/[eE]/.test(numText)) return null;
      if (isInt && (numText.length > 10 || Number(numText) > 2147483647)) return null;
      pending.push({ from, to: i, lit: { kind: isInt ? 'int' : 'numeric', text: sql.slice(from, i) } });
      prevSignificant = 'literal';
      continue;
    }
    // identifiers and keywords
    if (isIdentChar(c)) {
      const from = i;
      while (i < n && isIdentChar(sql.charCodeAt(i))) i++;
      const word = sql.slice(from, i).toLowerCase();
      // E'..', B'..', X'..', U&'..' and typed literals (DATE '...', INTERVAL '...') keep their text.
      if (sql.charCodeAt(i) === 39 || sql.charCodeAt(i) === 38) return null;
      prevSignificant = TYPE_WORDS.has(word) ? 'typename' : word === 'limit' || word === 'offset' ? 'limit' : 'ident';
      continue;
    }
    // operators and punctuation
    prevSignificant = 'op';
    i++;
  }
  if (pending.length === 0) return null;
  const firstParam = maxParam + 1;
  let k = firstParam;
  for (const p of pending) {
    parts.push(sql.slice(last, p.from), `$${k++}`);
    last = p.to;
    literals.push(p.lit);
  }
  parts.push(sql.slice(last));
  return { text: parts.join(''), literals, firstParam };
}

/** Words that, followed by a string, form a typed literal (DATE '2024-01-01'). */
const TYPE_WORDS = new Set([
  'date', 'time', 'timestamp', 'timestamptz', 'interval', 'numeric', 'decimal', 'int', 'integer', 'int2', 'int4', 'int8',
  'bigint', 'smallint', 'real', 'float', 'float4', 'float8', 'double', 'precision', 'text', 'varchar', 'char', 'character',
  'boolean', 'bool', 'bytea', 'json', 'jsonb', 'uuid', 'name', 'oid', 'regclass', 'regtype', 'zone', 'varying', 'bit',
]);
