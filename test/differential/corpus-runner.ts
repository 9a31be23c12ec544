// Runs SQL corpus files statement by statement over one `pg` session (simple query protocol) and
// records each outcome (command tag, columns, type OIDs, text rows, or SQLSTATE); compares the
// outcomes of two servers. Used by differential.test.ts; server-agnostic.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { hasTopLevelOrderBy, splitSql, type ScriptStatement } from '../helpers/sql-script.js';

export interface CorpusFile { name: string; statements: ScriptStatement[] }

export type Outcome =
  | { ok: true; tag: string; fields: { name: string; oid: number }[]; rows: (string | null)[][] }
  | { ok: false; code: string; message: string };

export function loadCorpus(dir: string): CorpusFile[] {
  return readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()
    .map((name) => ({ name, statements: splitSql(readFileSync(join(dir, name), 'utf8')) }));
}

interface WithConnection { connection: { on(ev: 'commandComplete', cb: (m: { text: string }) => void): void } }

/** Runs one file's statements in order on `client`. After a connection-level failure the rest are ABORTED. */
export async function runStatements(client: pg.Client, statements: ScriptStatement[]): Promise<Outcome[]> {
  let tag = '';
  (client as unknown as WithConnection).connection.on('commandComplete', (m) => { tag = m.text; });
  const out: Outcome[] = [];
  let dead: string | null = null;
  for (const st of statements) {
    if (dead !== null) { out.push({ ok: false, code: 'ABORTED', message: `not run: ${dead}` }); continue; }
    tag = '';
    try {
      const r = await client.query({ text: st.sql, rowMode: 'array' });
      const res = Array.isArray(r) ? (r[r.length - 1] as pg.QueryArrayResult) : r;
      out.push({
        ok: true, tag,
        fields: (res.fields ?? []).map((f) => ({ name: f.name, oid: f.dataTypeID })),
        rows: (res.rows ?? []).map((row) => row.map((v) => (v === null ? null : String(v)))),
      });
    } catch (e) {
      const err = e as { code?: unknown; message?: unknown };
      if (typeof err.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code)) {
        out.push({ ok: false, code: err.code, message: String(err.message) });
      } else {
        dead = String(err.message ?? e);
        out.push({ ok: false, code: 'CONNECTION', message: dead });
      }
    }
  }
  return out;
}

function rowKey(row: (string | null)[]): string { return JSON.stringify(row); }

/** Null when equivalent; otherwise a one-line description of the first difference. */
export function compareOutcomes(sql: string, expected: Outcome, actual: Outcome): string | null {
  if (expected.ok !== actual.ok) {
    return expected.ok ? `PostgreSQL succeeded (${expected.tag}), QuiverDB failed: ${(actual as { code: string }).code} ${(actual as { message: string }).message}`
      : `PostgreSQL failed (${expected.code} ${expected.message}), QuiverDB succeeded (${(actual as { tag: string }).tag})`;
  }
  if (!expected.ok && !actual.ok) {
    return expected.code === actual.code ? null
      : `SQLSTATE: PostgreSQL ${expected.code} (${expected.message}), QuiverDB ${actual.code} (${actual.message})`;
  }
  if (!expected.ok || !actual.ok) return null;
  if (expected.tag !== actual.tag) return `command tag: PostgreSQL "${expected.tag}", QuiverDB "${actual.tag}"`;
  const en = expected.fields.map((f) => f.name).join(','), an = actual.fields.map((f) => f.name).join(',');
  if (en !== an) return `column names: PostgreSQL [${en}], QuiverDB [${an}]`;
  const eo = expected.fields.map((f) => f.oid).join(','), ao = actual.fields.map((f) => f.oid).join(',');
  if (eo !== ao) return `column type OIDs: PostgreSQL [${eo}], QuiverDB [${ao}]`;
  let er = expected.rows.map(rowKey), ar = actual.rows.map(rowKey);
  if (!hasTopLevelOrderBy(sql)) { er = [...er].sort(); ar = [...ar].sort(); }
  if (er.length !== ar.length) return `row count: PostgreSQL ${er.length}, QuiverDB ${ar.length}`;
  for (let i = 0; i < er.length; i++) {
    if (er[i] !== ar[i]) return `row ${i + 1}: PostgreSQL ${er[i] ?? ''}, QuiverDB ${ar[i] ?? ''}`;
  }
  return null;
}

/** Checks PostgreSQL's outcome against the corpus annotation (`-- error XXXXX` or success). */
export function checkAnnotation(st: ScriptStatement, o: Outcome): string | null {
  if (st.expectError === null) return o.ok ? null : `expected success, PostgreSQL failed: ${o.code} ${o.message}`;
  if (o.ok) return `expected error ${st.expectError}, PostgreSQL succeeded (${o.tag})`;
  return o.code === st.expectError ? null : `expected error ${st.expectError}, PostgreSQL failed with ${o.code} ${o.message}`;
}

/** Parses known-differences.txt: `file.sql:line reason` per line, `#` comments. */
export function loadKnownDifferences(path: string): Map<string, string> {
  const m = new Map<string, string>();
  let text = '';
  try { text = readFileSync(path, 'utf8'); } catch { return m; }
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const sp = line.search(/\s/);
    const key = sp < 0 ? line : line.slice(0, sp);
    m.set(key, sp < 0 ? '' : line.slice(sp).trim());
  }
  return m;
}
