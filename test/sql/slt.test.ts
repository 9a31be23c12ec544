// Runs every test/sql/*.slt file against QuiverDB (fresh --memory server per file), or against
// real PostgreSQL 15 with SLT_TARGET=postgres (one oracle, fresh database per file), and fails with
// each mismatching record's line. Regenerate expectations with `npx tsx test/sql/slt-rewrite.ts`.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresOracle } from '../helpers/postgres-oracle.js';
import { connect, startQuiver } from '../helpers/quiver-server.js';
import { parseSlt, runSlt } from './slt-runner.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const files = readdirSync(HERE).filter((f) => f.endsWith('.slt')).sort();
const onPostgres = process.env['SLT_TARGET'] === 'postgres';

describe(`sqllogictest on ${onPostgres ? 'PostgreSQL 15' : 'QuiverDB'}`, () => {
  let oracle: PostgresOracle | null = null;
  beforeAll(async () => { if (onPostgres) oracle = await startPostgres(); });
  afterAll(async () => { await oracle?.stop(); });

  it('has at least 8 files', () => { expect(files.length).toBeGreaterThanOrEqual(8); });

  for (const file of files) {
    it(file, async () => {
      const chunks = parseSlt(readFileSync(join(HERE, file), 'utf8'));
      let client: pg.Client;
      let stopServer: () => Promise<void>;
      if (oracle !== null) {
        const db = 'slt_' + file.replace(/\W/g, '_').toLowerCase();
        const admin = await connect(oracle.port);
        await admin.query(`DROP DATABASE IF EXISTS ${db}`);
        await admin.query(`CREATE DATABASE ${db} TEMPLATE template0`);
        await admin.end();
        client = await connect(oracle.port, { database: db });
        stopServer = async () => { /* the oracle is shared */ };
      } else {
        const server = await startQuiver({ memory: true });
        client = await connect(server.port, { queryTimeoutMs: 30_000 });
        stopServer = async () => { await server.stop(); server.cleanup(); };
      }
      try {
        const failures = await runSlt(client, chunks);
        const report = failures.map((f) => `${file}:${f.line}: ${f.problem}\n    ${f.sql.replace(/\n/g, '\n    ')}`).join('\n');
        expect(failures.length, report).toBe(0);
      } finally {
        await client.end().catch(() => undefined);
        await stopServer();
      }
    }, 300_000);
  }
});
