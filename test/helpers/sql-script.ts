// Splits SQL script text into statements (with the line each starts on and its `-- error XXXXX`
// annotation), and finds a top-level ORDER BY. Understands quotes, E'' strings, dollar quotes and
// nested comments well enough for test corpora; it is not a SQL parser.

export interface ScriptStatement {
  /** The statement text without the trailing semicolon and without leading comments. */
  sql: string;
  /** 1-based line of the statement's first token. */
  line: number;
  /** SQLSTATE from a `-- error XXXXX` comment just before the statement, if any. */
  expectError: string | null;
}

/** Splits a script at top-level semicolons. */
export function splitSql(text: string): ScriptStatement[] {
  const out: ScriptStatement[] = [];
  let i = 0;
  let line = 1;
  let start = -1; // index of first token of current statement
  let startLine = 0;
  let leadingComments = '';
  const n = text.length;
  const flush = (end: number): void => {
    if (start >= 0) {
      const sql = text.slice(start, end).trim();
      if (sql.length > 0) {
        const m = /--\s*error\s+([0-9A-Z]{5})\b/.exec(leadingComments);
        out.push({ sql, line: startLine, expectError: m ? (m[1] ?? null) : null });
      }
    }
    start = -1;
    leadingComments = '';
  };
  const begin = (): void => { if (start < 0) { start = i; startLine = line; } };
  while (i < n) {
    const c = text[i] as string;
    const next = text[i + 1];
    if (c === '\n') { line++; i++; continue; }
    if (c === ' ' || c === '\t' || c === '\r') { i++; continue; }
    if (c === '-' && next === '-') {
      const e = text.indexOf('\n', i);
      const end = e < 0 ? n : e;
      if (start < 0) leadingComments += text.slice(i, end) + '\n';
      i = end;
      continue;
    }
    if (c === '/' && next === '*') {
      let depth = 0;
      while (i < n) {
        if (text[i] === '/' && text[i + 1] === '*') { depth++; i += 2; continue; }
        if (text[i] === '*' && text[i + 1] === '/') { depth--; i += 2; if (depth === 0) break; continue; }
        if (text[i] === '\n') line++;
        i++;
      }
      continue;
    }
    if (c === ';') { flush(i); i++; continue; }
    begin();
    if (c === "'" ) {
      const escapes = i > 0 && /[eE]/.test(text[i - 1] ?? '') && !/[A-Za-z0-9_]/.test(text[i - 2] ?? '');
      i++;
      while (i < n) {
        const d = text[i];
        if (d === '\n') line++;
        if (escapes && d === '\\') { i += 2; continue; }
        if (d === "'") { if (text[i + 1] === "'") { i += 2; continue; } i++; break; }
        i++;
      }
      continue;
    }
    if (c === '"') {
      i++;
      while (i < n) {
        const d = text[i];
        if (d === '\n') line++;
        if (d === '"') { if (text[i + 1] === '"') { i += 2; continue; } i++; break; }
        i++;
      }
      continue;
    }
    if (c === '$') {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 64));
      if (m && !/[A-Za-z0-9_]/.test(text[i - 1] ?? '')) {
        const tag = m[0];
        const close = text.indexOf(tag, i + tag.length);
        const end = close < 0 ? n : close + tag.length;
        for (let k = i; k < end; k++) if (text[k] === '\n') line++;
        i = end;
        continue;
      }
    }
    i++;
  }
  flush(n);
  return out;
}

/** The statement with string literals, quoted identifiers and comments blanked out. */
export function stripLiterals(sql: string): string {
  return sql
    .replace(/\$([A-Za-z_][A-Za-z0-9_]*)?\$[\s\S]*?\$\1\$/g, ' ')
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/"(?:[^"]|"")*"/g, '""')
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ');
}

/** True when the statement has ORDER BY outside every parenthesis (its result order is defined). */
export function hasTopLevelOrderBy(sql: string): boolean {
  const s = stripLiterals(sql);
  let depth = 0;
  const re = /[()]|\border\s+by\b/gi;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    if (m[0] === '(') depth++;
    else if (m[0] === ')') depth--;
    else if (depth === 0) return true;
  }
  return false;
}
