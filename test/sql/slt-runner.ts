// sqllogictest support (the CockroachDB/DuckDB dialect): parses .slt files, runs their records
// over one `pg` session, checks outcomes, and can rewrite expectations from a reference server
// (PostgreSQL) the way data-driven tests do. Server-agnostic; used by slt.test.ts and slt-rewrite.ts.
//
// Records are separated by blank lines:
//   statement ok | statement error <SQLSTATE or regex> | query <types> [nosort|rowsort|valuesort]
// followed by SQL; a query then has `----` and one result row per line, columns separated by a tab,
// NULL as `NULL`, the empty string as `(empty)`. Types: I integer, R float/numeric, B bool, T other.
// `query error <pattern>` is accepted too. Lines starting with `#` are comments.
import type pg from 'pg';

export type SortMode = 'nosort' | 'rowsort' | 'valuesort';

export type SltRecord =
  | { kind: 'statement'; line: number; expect: 'ok' | { error: string }; sql: string }
  | { kind: 'query'; line: number; types: string; sort: SortMode; label: string; sql: string; expected: string[] | null; expectError: string | null };

export type SltChunk = { kind: 'text'; text: string } | SltRecord;

/** Parses an .slt file into records, keeping comments and blank lines for rewriting. */
export function parseSlt(text: string): SltChunk[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const chunks: SltChunk[] = [];
  let i = 0;
  while (i < lines.length) {
    const raw = lines[i] as string;
    const head = raw.trim();
    const words = head.split(/\s+/);
    if (words[0] === 'statement' || words[0] === 'query') {
      const startLine = i + 1;
      i++;
      const sqlLines: string[] = [];
      while (i < lines.length && (lines[i] as string).trim() !== '' && (lines[i] as string).trim() !== '----') sqlLines.push(lines[i++] as string);
      let expected: string[] | null = null;
      if (i < lines.length && (lines[i] as string).trim() === '----') {
        i++;
        expected = [];
        while (i < lines.length && (lines[i] as string) !== '') expected.push(lines[i++] as string);
      }
      const sql = sqlLines.join('\n');
      if (words[0] === 'statement') {
        if (words[1] === 'ok') chunks.push({ kind: 'statement', line: startLine, expect: 'ok', sql });
        else if (words[1] === 'error') chunks.push({ kind: 'statement', line: startLine, expect: { error: head.replace(/^statement\s+error\s*/, '') }, sql });
        else throw new Error(`line ${startLine}: bad statement header: ${head}`);
      } else if (words[1] === 'error') {
        chunks.push({ kind: 'query', line: startLine, types: '', sort: 'nosort', label: '', sql, expected: null, expectError: head.replace(/^query\s+error\s*/, '') });
      } else {
        const types = words[1] ?? '';
        if (!/^[IRBT]+$/.test(types)) throw new Error(`line ${startLine}: bad query column types "${types}" (use I, R, B, T)`);
        const sort = (words[2] ?? 'nosort') as SortMode;
        if (!['nosort', 'rowsort', 'valuesort'].includes(sort)) throw new Error(`line ${startLine}: bad sort mode ${sort}`);
        chunks.push({ kind: 'query', line: startLine, types, sort, label: words.slice(3).join(' '), sql, expected: expected ?? [], expectError: null });
      }
      continue;
    }
    chunks.push({ kind: 'text', text: raw });
    i++;
  }
  return chunks;
}

const INT_OIDS = new Set([20, 21, 23, 26]);
const REAL_OIDS = new Set([700, 701, 1700]);
export function typeLetter(oid: number): string {
  if (INT_OIDS.has(oid)) return 'I';
  if (REAL_OIDS.has(oid)) return 'R';
  if (oid === 16) return 'B';
  return 'T';
}

export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  const s = String(v);
  if (s === '') return '(empty)';
  return s.replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}

function formatRows(rows: unknown[][], sort: SortMode): string[] {
  if (sort === 'valuesort') return rows.flat().map(formatValue).sort();
  const lines = rows.map((r) => r.map(formatValue).join('\t'));
  return sort === 'rowsort' ? lines.sort() : lines;
}

type Result =
  | { ok: true; fields: { oid: number }[]; rows: unknown[][] }
  | { ok: false; code: string; message: string };

async function exec(client: pg.Client, sql: string): Promise<Result> {
  try {
    const r = await client.query({ text: sql, rowMode: 'array' });
    const res = Array.isArray(r) ? (r[r.length - 1] as pg.QueryArrayResult) : r;
    return { ok: true, fields: (res.fields ?? []).map((f) => ({ oid: f.dataTypeID })), rows: res.rows ?? [] };
  } catch (e) {
    const err = e as { code?: unknown; message?: unknown };
    if (typeof err.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code)) return { ok: false, code: err.code, message: String(err.message) };
    throw e; // connection-level failure: the file cannot continue
  }
}

/** True when an error matches the expectation: a 5-character SQLSTATE, or a regex over the message. */
export function errorMatches(expect: string, code: string, message: string): boolean {
  if (expect === '') return true;
  if (/^[0-9A-Z]{5}$/.test(expect)) return expect === code;
  return new RegExp(expect).test(message);
}

export interface SltFailure { line: number; sql: string; problem: string }

/** Runs all records in order on `client`; returns the failures (empty = pass). */
export async function runSlt(client: pg.Client, chunks: SltChunk[]): Promise<SltFailure[]> {
  const failures: SltFailure[] = [];
  for (const c of chunks) {
    if (c.kind === 'text') continue;
    const fail = (problem: string): void => { failures.push({ line: c.line, sql: c.sql, problem }); };
    let r: Result;
    try { r = await exec(client, c.sql); } catch (e) {
      fail(`connection failed: ${String((e as Error).message)}`);
      return failures;
    }
    const expectErr = c.kind === 'statement' ? (c.expect === 'ok' ? null : c.expect.error) : c.expectError;
    if (expectErr !== null) {
      if (r.ok) fail(`expected error ${expectErr}, but it succeeded`);
      else if (!errorMatches(expectErr, r.code, r.message)) fail(`expected error ${expectErr}, got ${r.code}: ${r.message}`);
      continue;
    }
    if (!r.ok) { fail(`unexpected error ${r.code}: ${r.message}`); continue; }
    if (c.kind === 'statement') continue;
    const types = r.fields.map((f) => typeLetter(f.oid)).join('');
    if (types !== c.types) { fail(`column types: expected ${c.types}, got ${types}`); continue; }
    const got = formatRows(r.rows, c.sort);
    const want = c.expected ?? [];
    if (got.join('\n') !== want.join('\n')) {
      fail(`results differ:\n--- expected\n${want.join('\n')}\n--- got\n${got.join('\n')}`);
    }
  }
  return failures;
}

/** Runs the records on a reference server and returns the file text with expectations filled in. */
export async function rewriteSlt(client: pg.Client, chunks: SltChunk[]): Promise<string> {
  const out: string[] = [];
  for (const c of chunks) {
    if (c.kind === 'text') { out.push(c.text); continue; }
    const r = await exec(client, c.sql);
    if (!r.ok) {
      const keepPattern = c.kind === 'statement' ? (c.expect !== 'ok' ? c.expect.error : null) : c.expectError;
      const spec = keepPattern !== null && keepPattern !== '' && errorMatches(keepPattern, r.code, r.message) ? keepPattern : r.code;
      out.push(`statement error ${spec}`, c.sql);
      continue;
    }
    if (c.kind === 'statement' && (c.expect === 'ok' || r.fields.length === 0)) { out.push('statement ok', c.sql); continue; }
    const sort: SortMode = c.kind === 'query' ? c.sort : 'nosort';
    const label = c.kind === 'query' && c.label !== '' ? ` ${c.label}` : '';
    const types = r.fields.map((f) => typeLetter(f.oid)).join('');
    if (types === '') { out.push('statement ok', c.sql); continue; }
    out.push(`query ${types} ${sort}${label}`, c.sql, '----', ...formatRows(r.rows, sort));
  }
  return out.join('\n') + '\n';
}
