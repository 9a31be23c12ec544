// Fills the expectations of .slt files from real PostgreSQL 15:
//   npx tsx test/sql/slt-rewrite.ts [file.slt ...]    (default: every test/sql/*.slt)
// Each file runs in a fresh database; the file is rewritten in place. Review the diff afterwards.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPostgres } from '../helpers/postgres-oracle.js';
import { connect } from '../helpers/quiver-server.js';
import { parseSlt, rewriteSlt } from './slt-runner.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const files = args.length > 0 ? args.map((a) => resolve(a))
  : readdirSync(HERE).filter((f) => f.endsWith('.slt')).sort().map((f) => join(HERE, f));

const oracle = await startPostgres();
try {
  for (const path of files) {
    const db = 'rw_' + basename(path).replace(/\W/g, '_').toLowerCase();
    const admin = await connect(oracle.port);
    await admin.query(`CREATE DATABASE ${db} TEMPLATE template0`);
    await admin.end();
    const client = await connect(oracle.port, { database: db });
    try {
      const before = readFileSync(path, 'utf8');
      const after = await rewriteSlt(client, parseSlt(before));
      writeFileSync(path, after);
      console.log(`${before === after ? 'unchanged' : 'rewrote  '} ${path}`);
    } finally {
      await client.end();
    }
  }
} finally {
  await oracle.stop();
}
