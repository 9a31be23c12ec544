// Differential test: every corpus file runs as one session on real PostgreSQL 15 and on QuiverDB
// (memory mode, fresh server per file); outcomes must match except entries in
// known-differences.txt. DIFF_TARGET=postgres-only validates the corpus against PostgreSQL alone.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresOracle } from '../helpers/postgres-oracle.js';
import { connect, REPO_ROOT, startQuiver } from '../helpers/quiver-server.js';
import {
  checkAnnotation, compareOutcomes, loadCorpus, loadKnownDifferences, runStatements, type CorpusFile, type Outcome,
} from './corpus-runner.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const corpus: CorpusFile[] = loadCorpus(join(HERE, 'corpus'));
const known = loadKnownDifferences(join(HERE, 'known-differences.txt'));
const postgresOnly = process.env['DIFF_TARGET'] === 'postgres-only';
const REPORT = join(REPO_ROOT, '.tmp', postgresOnly ? 'differential-corpus-check.txt' : 'differential-report.txt');

async function runOnPostgres(oracle: PostgresOracle, file: CorpusFile): Promise<Outcome[]> {
  const db = 'diff_' + file.name.replace(/\W/g, '_').toLowerCase();
  const admin = await connect(oracle.port);
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${db}`);
    await admin.query(`CREATE DATABASE ${db} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
  } finally { await admin.end(); }
  const c = await connect(oracle.port, { database: db });
  try { return await runStatements(c, file.statements); } finally { await c.end().catch(() => undefined); }
}

async function runOnQuiver(file: CorpusFile): Promise<Outcome[]> {
  const server = await startQuiver({ memory: true });
  try {
    const c = await connect(server.port, { queryTimeoutMs: 30_000 });
    try { return await runStatements(c, file.statements); } finally { await c.end().catch(() => undefined); }
  } finally {
    await server.stop();
    server.cleanup();
  }
}

describe('differential: PostgreSQL 15 vs QuiverDB', () => {
  let oracle: PostgresOracle;
  beforeAll(async () => { oracle = await startPostgres(); });
  afterAll(async () => { await oracle?.stop(); });

  it('corpus has enough statements', () => {
    const total = corpus.reduce((s, f) => s + f.statements.length, 0);
    expect(corpus.length).toBeGreaterThanOrEqual(5);
    expect(total).toBeGreaterThanOrEqual(550);
  });

  it(postgresOnly ? 'corpus behaves on PostgreSQL as annotated' : 'every statement matches PostgreSQL', async () => {
    let total = 0, match = 0, differ = 0, excused = 0, corpusBugs = 0;
    const lines: string[] = [];
    const seenKnown = new Set<string>();
    for (const file of corpus) {
      const [pgOut, qOut] = await Promise.all([
        runOnPostgres(oracle, file),
        postgresOnly ? Promise.resolve(null) : runOnQuiver(file).catch((e: unknown): Outcome[] =>
          file.statements.map(() => ({ ok: false, code: 'NOSERVER', message: String((e as Error).message).split('\n')[0] ?? '' }))),
      ]);
      file.statements.forEach((st, i) => {
        total++;
        const key = `${file.name}:${st.line}`;
        const p = pgOut[i] as Outcome;
        const bad = checkAnnotation(st, p);
        if (bad !== null) { corpusBugs++; lines.push(`CORPUS ${key}: ${bad}\n    ${st.sql.replace(/\s+/g, ' ')}`); }
        if (qOut === null) return;
        const diff = compareOutcomes(st.sql, p, qOut[i] as Outcome);
        if (diff === null) { match++; if (known.has(key)) lines.push(`STALE ${key}: listed in known-differences but now matches`); return; }
        if (known.has(key)) { excused++; seenKnown.add(key); lines.push(`KNOWN ${key}: ${diff}`); return; }
        differ++;
        lines.push(`DIFF ${key}: ${diff}\n    ${st.sql.replace(/\s+/g, ' ')}`);
      });
    }
    const summary = postgresOnly
      ? `differential (postgres-only): ${total} statements, ${corpusBugs} do not behave as annotated`
      : `differential: ${total} statements, ${match} match, ${differ + excused} differ (${excused} known), ${corpusBugs} corpus problems`;
    console.log(summary);
    mkdirSync(dirname(REPORT), { recursive: true });
    writeFileSync(REPORT, [summary, ...lines].join('\n') + '\n');
    if (differ + corpusBugs > 0) console.log(`report: ${REPORT}`);
    expect(corpusBugs, `corpus statements not behaving as annotated on PostgreSQL; see ${REPORT}`).toBe(0);
    expect(differ, `statements differing from PostgreSQL; see ${REPORT}`).toBe(0);
  }, 1_800_000);
});
