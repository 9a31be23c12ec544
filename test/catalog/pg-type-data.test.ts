// catalog/pg_type.json is PostgreSQL 15's pg_type for the built-in types QuiverDB has (with their
// I/O procedures, as regproc names them): checked against a live PostgreSQL 15, against the type
// descriptors of src/sql/types/type-info.ts, and against the pg_type QuiverDB serves to clients.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { typeInfo } from '../../src/sql/types/type-info.js';
import { REPO_ROOT } from '../helpers/quiver-server.js';
import { useServerPair } from '../helpers/server-pair.js';

interface PgTypeRow {
  oid: number; typname: string; format_type: string; typlen: number; typbyval: boolean; typcategory: string;
  typispreferred: boolean; typelem: number; typarray: number; typdelim: string; typnamespace: string;
  typinput: string; typoutput: string; typreceive: string; typsend: string; typmodin: string; typmodout: string; typanalyze: string;
}

const ROWS = JSON.parse(readFileSync(join(REPO_ROOT, 'catalog', 'pg_type.json'), 'utf8')) as PgTypeRow[];
const servers = useServerPair();

const QUERY = `SELECT oid::int AS oid, typname::text AS typname, format_type(oid, NULL) AS format_type, typlen::int AS typlen,
  typbyval, typcategory::text AS typcategory, typispreferred, typelem::int AS typelem, typarray::int AS typarray,
  typdelim::text AS typdelim, typnamespace::regnamespace::text AS typnamespace,
  typinput::text AS typinput, typoutput::text AS typoutput, typreceive::text AS typreceive, typsend::text AS typsend,
  typmodin::text AS typmodin, typmodout::text AS typmodout, typanalyze::text AS typanalyze
  FROM pg_type WHERE oid = ANY($1::oid[]) ORDER BY oid`;

async function served(port: number): Promise<PgTypeRow[]> {
  const c = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  await c.connect();
  try {
    return (await c.query<PgTypeRow>(QUERY, [ROWS.map((r) => r.oid)])).rows;
  } finally {
    await c.end();
  }
}

describe('catalog/pg_type.json', () => {
  it('holds a row per built-in type, in oid order', () => {
    expect(ROWS.length).toBeGreaterThan(50);
    expect(ROWS.map((r) => r.oid)).toEqual([...ROWS.map((r) => r.oid)].sort((a, b) => a - b));
  });

  it('is what PostgreSQL 15 has', async () => {
    expect(await served(servers.port('postgres'))).toEqual(ROWS);
  });

  it('is what the type descriptors say', () => {
    for (const r of ROWS) {
      const t = typeInfo(r.oid);
      expect(t, `type ${r.oid}`).toBeDefined();
      expect({
        oid: t!.oid, typname: t!.name, format_type: t!.sqlName, typlen: t!.len, typbyval: t!.byval, typcategory: t!.category,
        typispreferred: t!.preferred, typelem: t!.elemOid, typarray: t!.arrayOid, typdelim: t!.typdelim, typnamespace: t!.namespace,
      }).toEqual({
        oid: r.oid, typname: r.typname, format_type: r.format_type, typlen: r.typlen, typbyval: r.typbyval, typcategory: r.typcategory,
        typispreferred: r.typispreferred, typelem: r.typelem, typarray: r.typarray, typdelim: r.typdelim, typnamespace: r.typnamespace,
      });
    }
  });

  it('is what QuiverDB serves in pg_type', async () => {
    expect(await served(servers.port('quiver'))).toEqual(ROWS);
  });
});
