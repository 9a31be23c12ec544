// HNSW and IVFFlat indexes through the wire: recall@10 on 20,000 clustered vectors for every
// distance (defaults for HNSW, probes = 10 for IVFFlat), filtered queries at 50 %, 5 % and 0.5 %
// selectivity that still return k rows, EXPLAIN's choice between the ANN scan and exact paths,
// MVCC visibility of inserts/updates/deletes (own and others'), and pgvector's DDL errors.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQuiver, connect, type QuiverServer } from '../helpers/quiver-server.js';
import { clusteredData, exactTopK, recallAtK, type ClusteredData } from '../../src/vector/index.js';

const N = 20_000;
const DIM = 32;
const QUERIES = 40;
const CATEGORIES = 200;

let server: QuiverServer;
let c: pg.Client;
let data: ClusteredData;
let normalized: ClusteredData;

const lit = (v: Float32Array): string => `[${Array.from(v).join(',')}]`;
const category = (i: number): number => (i * 7919) % CATEGORIES;

const l2 = (a: Float32Array, b: Float32Array): number => { let s = 0; for (let i = 0; i < a.length; i++) { const d = a[i]! - b[i]!; s += d * d; } return s; };
const negIp = (a: Float32Array, b: Float32Array): number => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!; return -s; };
const cosine = (a: Float32Array, b: Float32Array): number => {
  let s = 0; let na = 0; let nb = 0;
  for (let i = 0; i < a.length; i++) { s += a[i]! * b[i]!; na += a[i]! * a[i]!; nb += b[i]! * b[i]!; }
  return 1 - s / Math.sqrt(na * nb);
};
const l1 = (a: Float32Array, b: Float32Array): number => { let s = 0; for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!); return s; };

async function load(table: string, d: ClusteredData): Promise<void> {
  await c.query(`CREATE TABLE ${table} (id int PRIMARY KEY, category int NOT NULL, embedding vector(${DIM}))`);
  const batch = 500;
  for (let start = 0; start < N; start += batch) {
    const values: string[] = [];
    for (let i = start; i < Math.min(N, start + batch); i++) values.push(`(${i}, ${category(i)}, '${lit(d.vector(i))}')`);
    await c.query(`INSERT INTO ${table} VALUES ${values.join(',')}`);
  }
}

async function search(sql: string, d: ClusteredData): Promise<number[][]> {
  const out: number[][] = [];
  for (let q = 0; q < QUERIES; q++) {
    const r = await c.query(sql, [lit(d.query(q))]);
    out.push(r.rows.map((row: { id: string }) => Number(row.id)));
  }
  return out;
}

async function plan(sql: string, params: unknown[] = []): Promise<string> {
  const r = await c.query(`EXPLAIN ${sql}`, params);
  return r.rows.map((row: { 'QUERY PLAN': string }) => row['QUERY PLAN']).join('\n');
}

beforeAll(async () => {
  server = await startQuiver({ memory: true });
  c = await connect(server.port);
  data = clusteredData({ count: N, dim: DIM, seed: 7 }, QUERIES);
  normalized = clusteredData({ count: N, dim: DIM, seed: 8, normalize: true }, QUERIES);
  await c.query('CREATE EXTENSION IF NOT EXISTS vector');
  await load('items', data);
  await load('unit_items', normalized);
  await c.query('ANALYZE');
}, 240_000);

afterAll(async () => {
  await c?.end();
  await server?.stop();
  server?.cleanup();
});

describe('HNSW recall@10 at the default settings', () => {
  const cases: Array<[string, string, string, (a: Float32Array, b: Float32Array) => number, 'data' | 'normalized']> = [
    ['vector_l2_ops', '<->', 'items', l2, 'data'],
    ['vector_ip_ops', '<#>', 'unit_items', negIp, 'normalized'],
    ['vector_cosine_ops', '<=>', 'unit_items', cosine, 'normalized'],
    ['vector_l1_ops', '<+>', 'items', l1, 'data'],
  ];
  for (const [opclass, op, table, dist, which] of cases) {
    it(`${opclass}: uses the index and finds ≥ 95 % of the true top 10`, async () => {
      const d = which === 'data' ? data : normalized;
      await c.query(`CREATE INDEX ${table}_${opclass} ON ${table} USING hnsw (embedding ${opclass})`);
      const sql = `SELECT id FROM ${table} ORDER BY embedding ${op} $1 LIMIT 10`;
      expect(await plan(sql, [lit(d.query(0))])).toContain(`Index Scan using ${table}_${opclass} on ${table}`);
      const found = await search(sql, d);
      const recall = recallAtK(exactTopK(d, 10, dist), found);
      expect(found.every((f) => f.length === 10)).toBe(true);
      expect(recall).toBeGreaterThanOrEqual(0.95);
      await c.query(`DROP INDEX ${table}_${opclass}`);
    }, 120_000);
  }
});

describe('IVFFlat recall@10 at probes = 10', () => {
  const cases: Array<[string, string, string, (a: Float32Array, b: Float32Array) => number, 'data' | 'normalized']> = [
    ['vector_l2_ops', '<->', 'items', l2, 'data'],
    ['vector_ip_ops', '<#>', 'unit_items', negIp, 'normalized'],
    ['vector_cosine_ops', '<=>', 'unit_items', cosine, 'normalized'],
  ];
  for (const [opclass, op, table, dist, which] of cases) {
    it(`${opclass}: finds ≥ 90 % of the true top 10`, async () => {
      const d = which === 'data' ? data : normalized;
      await c.query(`CREATE INDEX ${table}_ivf ON ${table} USING ivfflat (embedding ${opclass}) WITH (lists = 100)`);
      await c.query('SET ivfflat.probes = 10');
      const sql = `SELECT id FROM ${table} ORDER BY embedding ${op} $1 LIMIT 10`;
      expect(await plan(sql, [lit(d.query(0))])).toContain(`Index Scan using ${table}_ivf on ${table}`);
      const recall = recallAtK(exactTopK(d, 10, dist), await search(sql, d));
      expect(recall).toBeGreaterThanOrEqual(0.9);
      await c.query('RESET ivfflat.probes');
      await c.query(`DROP INDEX ${table}_ivf`);
    }, 120_000);
  }
});

describe('filtered queries', () => {
  beforeAll(async () => {
    await c.query('CREATE INDEX items_hnsw ON items USING hnsw (embedding vector_l2_ops)');
  }, 120_000);

  const filters: Array<[string, string, (i: number) => boolean]> = [
    ['50 %', 'category < 100', (i) => category(i) < 100],
    ['5 %', 'category < 10', (i) => category(i) < 10],
    ['0.5 %', 'category = 3', (i) => category(i) === 3],
  ];
  for (const [label, where, keep] of filters) {
    for (const forced of [false, true]) {
      it(`${label} selectivity returns 10 rows with recall ≥ 0.95${forced ? ' (ANN path forced)' : ' (planner\'s choice)'}`, async () => {
        const sql = `SELECT id FROM items WHERE ${where} ORDER BY embedding <-> $1 LIMIT 10`;
        if (forced) {
          await c.query('SET enable_seqscan = off');
          expect(await plan(sql, [lit(data.query(0))])).toContain('Index Scan using items_hnsw');
        }
        const found = await search(sql, data);
        await c.query('RESET enable_seqscan');
        expect(found.every((f) => f.length === 10)).toBe(true);
        for (const f of found) for (const id of f) expect(keep(id)).toBe(true);
        expect(recallAtK(exactTopK(data, 10, l2, keep), found)).toBeGreaterThanOrEqual(0.95);
      }, 120_000);
    }
  }

  it('with a selective B-tree filter the planner takes the exact path', async () => {
    await c.query('CREATE INDEX items_category ON items (category)');
    const p = await plan('SELECT id FROM items WHERE category = 3 ORDER BY embedding <-> $1 LIMIT 10', [lit(data.query(0))]);
    expect(p).toContain('Index Scan using items_category');
    expect(p).toContain('Sort');
    await c.query('DROP INDEX items_category');
  });

  it('iterative scan off on purpose stops at ef_search candidates, as pgvector does', async () => {
    await c.query('SET hnsw.iterative_scan = off');
    await c.query('SET hnsw.ef_search = 10');
    const sql = 'SELECT id FROM items WHERE category < 100 ORDER BY embedding <-> $1 LIMIT 10';
    expect(await plan(sql, [lit(data.query(0))])).toContain('Index Scan using items_hnsw');
    const r = await c.query(sql, [lit(data.query(0))]);
    expect(r.rows.length).toBeLessThan(10);
    // The same through the simple protocol (literal lifting must keep LIMIT for the plan).
    const simple = await c.query(sql.replace('$1', `'${lit(data.query(0))}'`));
    expect(simple.rows.length).toBe(r.rows.length);
    // Unfiltered too: at most ef_search rows, whatever the LIMIT (pgvector's behaviour when off).
    expect((await c.query('SELECT id FROM items ORDER BY embedding <-> $1 LIMIT 25', [lit(data.query(0))])).rows.length).toBe(10);
    await c.query('SET hnsw.iterative_scan = relaxed_order');
    expect((await c.query(sql, [lit(data.query(0))])).rows.length).toBe(10);
    expect((await c.query('SELECT id FROM items ORDER BY embedding <-> $1 LIMIT 25', [lit(data.query(0))])).rows.length).toBe(25);
    await c.query('RESET hnsw.iterative_scan');
    await c.query('RESET hnsw.ef_search');
  });
});

describe('window functions over the ANN order', () => {
  beforeAll(async () => {
    await c.query('CREATE INDEX IF NOT EXISTS items_hnsw ON items USING hnsw (embedding vector_l2_ops)');
  }, 120_000);

  it('rank() OVER (ORDER BY distance) with the same ORDER BY and LIMIT streams from the index scan, with the ranks of its rows', async () => {
    const sql = 'SELECT id, rank() OVER (ORDER BY embedding <-> $1) AS r, row_number() OVER (ORDER BY embedding <-> $1) AS n, ' +
      'sum(id) OVER (ORDER BY embedding <-> $1) AS s, lag(id) OVER (ORDER BY embedding <-> $1) AS prev ' +
      'FROM items ORDER BY embedding <-> $1 LIMIT 20';
    const p = await plan(sql, [lit(data.query(1))]);
    expect(p).toMatch(/Limit[\s\S]*WindowAgg[\s\S]*Index Scan using items_hnsw/);
    expect(p).not.toContain('Sort');
    // (the test client reads every value as text)
    const rows = (await c.query(sql, [lit(data.query(1))])).rows as Array<Record<'id' | 'r' | 'n' | 's' | 'prev', string | null>>;
    expect(rows.length).toBe(20);
    let sum = 0;
    rows.forEach((row, i) => {
      sum += Number(row.id);
      expect(Number(row.n)).toBe(i + 1);
      expect(Number(row.r)).toBe(i + 1); // distinct distances: no ties
      expect(Number(row.s)).toBe(sum);
      expect(row.prev).toBe(i === 0 ? null : rows[i - 1]!.id);
    });
    // The index's neighbours are (nearly) the exact ones (recall is tested above).
    const exact = exactTopK(data, 20, l2)[1]!;
    expect(recallAtK([exact], [rows.map((r) => Number(r.id))])).toBeGreaterThanOrEqual(0.9);
  });

  it('a window that needs the whole partition sorts all rows (no index order), and still answers', async () => {
    const sql = 'SELECT id, ntile(4) OVER (ORDER BY embedding <-> $1) AS t FROM items ORDER BY embedding <-> $1 LIMIT 3';
    const p = await plan(sql, [lit(data.query(1))]);
    expect(p).toContain('WindowAgg');
    expect(p).not.toContain('Index Scan using items_hnsw');
    const rows = (await c.query(sql, [lit(data.query(1))])).rows as Array<{ id: string; t: string }>;
    expect(rows.map((r) => r.t)).toEqual(['1', '1', '1']);
    expect(rows.map((r) => Number(r.id))).toEqual(exactTopK(data, 3, l2)[1]);
  });
});

describe('MVCC through the index', () => {
  beforeAll(async () => {
    await c.query(`CREATE TABLE mv (id int PRIMARY KEY, embedding vector(3))`);
    await c.query(`INSERT INTO mv SELECT g, ('[' || g || ',' || g || ',' || g || ']')::vector FROM generate_series(1, 200) g`);
    await c.query('CREATE INDEX mv_idx ON mv USING hnsw (embedding vector_l2_ops)');
    await c.query('SET enable_seqscan = off');
  });

  const nearest = async (client: pg.Client, q: string, k = 3): Promise<number[]> =>
    (await client.query(`SELECT id FROM mv ORDER BY embedding <-> '${q}' LIMIT ${k}`)).rows.map((r: { id: string }) => Number(r.id));

  it('sees committed inserts, updates and deletes at once', async () => {
    expect(await plan("SELECT id FROM mv ORDER BY embedding <-> '[0,0,0]' LIMIT 3")).toContain('Index Scan using mv_idx');
    expect(await nearest(c, '[0,0,0]')).toEqual([1, 2, 3]);
    await c.query(`INSERT INTO mv VALUES (1000, '[0,0,0]')`);
    expect(await nearest(c, '[0,0,0]')).toEqual([1000, 1, 2]);
    await c.query('DELETE FROM mv WHERE id = 1');
    expect(await nearest(c, '[0,0,0]')).toEqual([1000, 2, 3]);
    await c.query(`UPDATE mv SET embedding = '[500,500,500]' WHERE id = 1000`);
    expect(await nearest(c, '[0,0,0]')).toEqual([2, 3, 4]);
    expect(await nearest(c, '[501,501,501]', 1)).toEqual([1000]);
  });

  it("a transaction sees its own uncommitted rows, others don't; a snapshot keeps its versions", async () => {
    const other = await connect(server.port);
    try {
      await other.query('SET enable_seqscan = off');
      await c.query('BEGIN');
      await c.query(`INSERT INTO mv VALUES (2000, '[0.5,0.5,0.5]')`);
      expect(await nearest(c, '[0,0,0]', 2)).toEqual([2000, 2]);
      expect(await nearest(other, '[0,0,0]', 2)).toEqual([2, 3]);
      await c.query('ROLLBACK');
      expect(await nearest(c, '[0,0,0]', 2)).toEqual([2, 3]);

      await other.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      expect(await nearest(other, '[0,0,0]', 1)).toEqual([2]);
      await c.query(`UPDATE mv SET embedding = '[900,900,900]' WHERE id = 2`);
      expect(await nearest(c, '[0,0,0]', 1)).toEqual([3]);
      expect(await nearest(other, '[0,0,0]', 1)).toEqual([2]);
      await other.query('COMMIT');
      expect(await nearest(other, '[0,0,0]', 1)).toEqual([3]);
    } finally {
      await other.end();
    }
  });

  it('a REPEATABLE READ reader keeps its versions through updates, a delete and a re-insert; own updates replace the index\'s', async () => {
    const other = await connect(server.port);
    const near = async (client: pg.Client): Promise<string[]> =>
      (await client.query(`SELECT id, embedding::text AS v FROM mv ORDER BY embedding <-> '[-50,-50,-50]' LIMIT 2`)).rows
        .map((r: { id: string; v: string }) => `${r.id} ${r.v}`);
    try {
      await other.query('SET enable_seqscan = off');
      await c.query(`INSERT INTO mv VALUES (4000, '[-50,-50,-50]')`);
      await other.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      expect(await near(other)).toEqual(['4000 [-50,-50,-50]', '3 [3,3,3]']);
      await c.query(`UPDATE mv SET embedding = '[-60,-60,-60]' WHERE id = 4000`);
      await c.query('UPDATE mv SET embedding = embedding WHERE id = 4000');
      expect(await near(c)).toEqual(['4000 [-60,-60,-60]', '3 [3,3,3]']);
      expect(await near(other)).toEqual(['4000 [-50,-50,-50]', '3 [3,3,3]']);
      await c.query('DELETE FROM mv WHERE id = 4000');
      expect(await near(c)).toEqual(['3 [3,3,3]', '4 [4,4,4]']);
      await c.query(`INSERT INTO mv VALUES (4000, '[-50,-50,-50]')`);
      expect(await near(c)).toEqual(['4000 [-50,-50,-50]', '3 [3,3,3]']);
      expect(await near(other)).toEqual(['4000 [-50,-50,-50]', '3 [3,3,3]']);
      await c.query('BEGIN');
      await c.query(`UPDATE mv SET embedding = '[-70,-70,-70]' WHERE id = 4000`);
      expect(await near(c)).toEqual(['4000 [-70,-70,-70]', '3 [3,3,3]']);
      expect(await near(other)).toEqual(['4000 [-50,-50,-50]', '3 [3,3,3]']);
      await c.query('ROLLBACK');
      await other.query('COMMIT');
      await c.query('DELETE FROM mv WHERE id = 4000');
      expect(await near(other)).toEqual(['3 [3,3,3]', '4 [4,4,4]']);
    } finally {
      await other.end();
    }
  });

  it('rejects a query vector of the wrong size with pgvector\'s error, through the index too', async () => {
    expect(await plan("SELECT id FROM mv ORDER BY embedding <-> '[1,2]' LIMIT 3")).toContain('Index Scan using mv_idx');
    const e = await c.query("SELECT id FROM mv ORDER BY embedding <-> '[1,2]' LIMIT 3").then(() => null, (x: unknown) => x as { code: string; message: string });
    expect(e).toMatchObject({ code: '22000', message: 'different vector dimensions 3 and 2' });
  });

  it('keeps indexing after ALTER TABLE ADD COLUMN and follows TRUNCATE', async () => {
    await c.query('ALTER TABLE mv ADD COLUMN note text');
    await c.query(`INSERT INTO mv VALUES (3000, '[-1,-1,-1]', 'new')`);
    expect(await nearest(c, '[-1,-1,-1]', 1)).toEqual([3000]);
    await c.query(`CREATE TABLE mv2 (id int, v vector(2))`);
    await c.query(`INSERT INTO mv2 VALUES (1, '[1,1]'), (2, '[2,2]')`);
    await c.query('CREATE INDEX ON mv2 USING hnsw (v vector_l2_ops)');
    await c.query('TRUNCATE mv2');
    expect((await c.query(`SELECT id FROM mv2 ORDER BY v <-> '[1,1]' LIMIT 5`)).rows).toEqual([]);
    await c.query(`INSERT INTO mv2 VALUES (3, '[3,3]')`);
    expect((await c.query(`SELECT id FROM mv2 ORDER BY v <-> '[1,1]' LIMIT 5`)).rows).toEqual([{ id: '3' }]);
    await c.query('DROP TABLE mv2');
  });

  it('index scans return the columns the query reads, whatever subset (defaults of added columns too)', async () => {
    await c.query(`CREATE TABLE pc (id int PRIMARY KEY, a text, embedding vector(2), b int)`);
    await c.query(`INSERT INTO pc SELECT g, 'a' || g, ('[' || g || ',' || (g % 7) || ']')::vector, g * 10 FROM generate_series(1, 300) g`);
    await c.query('ALTER TABLE pc ADD COLUMN tag text DEFAULT \'dflt\'');
    await c.query(`INSERT INTO pc VALUES (301, 'a301', '[300.9,0.1]', 3010, 'own')`);
    await c.query('CREATE INDEX pc_idx ON pc USING hnsw (embedding vector_l2_ops)');
    const queries = [
      `SELECT id FROM pc ORDER BY embedding <-> '[150.3,3.1]' LIMIT 4`,
      `SELECT b, tag, a FROM pc ORDER BY embedding <-> '[150.3,3.1]' LIMIT 4`,
      `SELECT id, embedding, embedding <-> '[150.3,3.1]' AS d FROM pc ORDER BY embedding <-> '[150.3,3.1]' LIMIT 4`,
      `SELECT a || tag AS at FROM pc WHERE b > 1400 ORDER BY embedding <-> '[150.3,3.1]' LIMIT 4`,
      `SELECT id, (SELECT count(*) FROM pc p2 WHERE p2.b < pc.b) AS below FROM pc ORDER BY embedding <-> '[299.6,0.2]' LIMIT 3`,
      `SELECT * FROM pc ORDER BY embedding <-> '[300.9,0.1]' LIMIT 2`,
    ];
    for (const q of queries) {
      expect(await plan(q)).toContain('Index Scan using pc_idx');
      const viaIndex = (await c.query(q)).rows;
      await c.query('SET enable_indexscan = off; SET enable_seqscan = on');
      expect(await plan(q)).not.toContain('Index Scan using pc_idx');
      const exact = (await c.query(q)).rows;
      await c.query('RESET enable_indexscan; SET enable_seqscan = off');
      expect(exact.length).toBeGreaterThan(0);
      expect(viaIndex).toEqual(exact);
    }
  });

  it('VACUUM purges dead versions and the results stay right', async () => {
    const before = (await c.query(`SELECT labels FROM quiver_ann_indexes WHERE indexname = 'mv_idx'`)).rows[0].labels;
    await c.query('VACUUM mv');
    const live = (await c.query('SELECT count(*) FROM mv')).rows[0].count;
    const after = (await c.query(`SELECT labels, vectors FROM quiver_ann_indexes WHERE indexname = 'mv_idx'`)).rows[0];
    expect(Number(before)).toBeGreaterThan(Number(live));
    expect(after).toEqual({ labels: live, vectors: live });
    expect(await nearest(c, '[0,0,0]', 2)).toEqual([3000, 3]);
    expect(await nearest(c, '[900,900,900]', 1)).toEqual([2]);
  });

  it('key-only index scans (only PRIMARY KEY columns read) keep a snapshot\'s versions and own writes', async () => {
    await c.query('CREATE TABLE ko (id bigint, part int, embedding vector(2), PRIMARY KEY (part, id))');
    await c.query(`INSERT INTO ko SELECT g, g % 3, ('[' || g || ',0]')::vector FROM generate_series(1, 100) g`);
    await c.query('CREATE INDEX ko_idx ON ko USING hnsw (embedding vector_l2_ops)');
    const other = await connect(server.port);
    const ids = async (client: pg.Client, sql = `SELECT id, part FROM ko ORDER BY embedding <-> '[0,0]' LIMIT 3`): Promise<string[]> =>
      (await client.query(sql)).rows.map((r: Record<string, unknown>) => Object.values(r).join('/'));
    try {
      await other.query('SET enable_seqscan = off');
      expect(await plan(`SELECT id, part FROM ko ORDER BY embedding <-> '[0,0]' LIMIT 3`)).toContain('Index Scan using ko_idx');
      expect(await ids(c)).toEqual(['1/1', '2/2', '3/0']);
      await other.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      expect(await ids(other)).toEqual(['1/1', '2/2', '3/0']);
      await c.query(`UPDATE ko SET embedding = '[500,0]' WHERE id = 1`);
      await c.query('DELETE FROM ko WHERE id = 2');
      await c.query(`INSERT INTO ko VALUES (0, 0, '[0,0]')`);
      expect(await ids(c)).toEqual(['0/0', '3/0', '4/1']);
      expect(await ids(other)).toEqual(['1/1', '2/2', '3/0']);
      await c.query('BEGIN');
      await c.query(`UPDATE ko SET embedding = '[0.5,0]' WHERE id = 4`);
      await c.query(`INSERT INTO ko VALUES (-1, 2, '[0.1,0]')`);
      await c.query('DELETE FROM ko WHERE id = 3');
      expect(await ids(c)).toEqual(['0/0', '-1/2', '4/1']);
      expect(await ids(c, `SELECT id FROM ko WHERE part = 1 ORDER BY embedding <-> '[0,0]' LIMIT 2`)).toEqual(['4', '7']);
      await c.query('ROLLBACK');
      expect(await ids(c)).toEqual(['0/0', '3/0', '4/1']);
      await other.query('COMMIT');
      expect(await ids(other)).toEqual(['0/0', '3/0', '4/1']);
      // A text key is not decoded from the label: the row is read (same answers).
      await c.query('CREATE TABLE kt (name text PRIMARY KEY, embedding vector(2))');
      await c.query(`INSERT INTO kt SELECT 'n' || g, ('[' || g || ',0]')::vector FROM generate_series(1, 50) g`);
      await c.query('CREATE INDEX ON kt USING hnsw (embedding vector_l2_ops)');
      expect((await c.query(`SELECT name FROM kt ORDER BY embedding <-> '[0,0]' LIMIT 2`)).rows).toEqual([{ name: 'n1' }, { name: 'n2' }]);
    } finally {
      await other.end();
      await c.query('DROP TABLE IF EXISTS ko, kt');
    }
  });
});

describe('DDL as pgvector defines it', () => {
  const failure = async (sql: string): Promise<{ code?: string; message: string }> => {
    try {
      await c.query(sql);
    } catch (e) {
      return e as { code?: string; message: string };
    }
    throw new Error(`expected failure: ${sql}`);
  };

  beforeAll(async () => {
    await c.query('CREATE TABLE ddl_t (id int, v vector(3), h halfvec(3), nodim vector, b bit(8))');
  });

  it('rejects a missing operator class for hnsw, mismatched or unknown classes, and bad options', async () => {
    let e = await failure('CREATE INDEX ON ddl_t USING hnsw (v)');
    expect(e.code).toBe('42704');
    expect(e.message).toBe('data type vector has no default operator class for access method "hnsw"');
    e = await failure('CREATE INDEX ON ddl_t USING hnsw (h vector_l2_ops)');
    expect(e.code).toBe('42804');
    expect(e.message).toBe('operator class "vector_l2_ops" does not accept data type halfvec');
    e = await failure('CREATE INDEX ON ddl_t USING hnsw (v vector_foo_ops)');
    expect(e.code).toBe('42704');
    e = await failure('CREATE INDEX ON ddl_t USING hnsw (v vector_l2_ops) WITH (m = 1)');
    expect(e.code).toBe('22023');
    expect(e.message).toBe('value 1 out of bounds for option "m"');
    e = await failure('CREATE INDEX ON ddl_t USING hnsw (v vector_l2_ops) WITH (m = 40, ef_construction = 50)');
    expect(e.message).toBe('ef_construction must be greater than or equal to 2 * m');
    e = await failure('CREATE INDEX ON ddl_t USING hnsw (nodim vector_l2_ops)');
    expect(e.message).toBe('column does not have dimensions');
    await c.query('CREATE TABLE ddl_sparse (s sparsevec)');
    e = await failure('CREATE INDEX ON ddl_sparse USING hnsw (s sparsevec_l2_ops)');
    expect(e.message).toBe('column does not have dimensions');
    e = await failure('CREATE INDEX ON ddl_t USING ivfflat (v) WITH (lists = 0)');
    expect(e.code).toBe('22023');
    e = await failure('CREATE INDEX ON ddl_t USING nosuch (v)');
    expect(e.code).toBe('42704');
  });

  it('builds ivfflat with the default class, expression indexes, and prints their definitions', async () => {
    await c.query(`INSERT INTO ddl_t VALUES (1, '[1,2,3]', '[1,2,3]', '[1,2,3]', B'10101010')`);
    await c.query('CREATE INDEX ddl_ivf ON ddl_t USING ivfflat (v) WITH (lists = 1)');
    await c.query('CREATE INDEX ddl_half ON ddl_t USING hnsw ((v::halfvec(3)) halfvec_l2_ops) WITH (m = 8, ef_construction = 32)');
    await c.query('CREATE INDEX CONCURRENTLY ddl_bits ON ddl_t USING hnsw ((binary_quantize(v)::bit(3)) bit_hamming_ops)');
    const defs = await c.query(`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'ddl_t' ORDER BY 1`);
    expect(defs.rows).toEqual([
      { indexname: 'ddl_bits', indexdef: 'CREATE INDEX ddl_bits ON public.ddl_t USING hnsw (((binary_quantize(v))::bit(3)) bit_hamming_ops)' },
      { indexname: 'ddl_half', indexdef: "CREATE INDEX ddl_half ON public.ddl_t USING hnsw (((v)::halfvec(3)) halfvec_l2_ops) WITH (m='8', ef_construction='32')" },
      { indexname: 'ddl_ivf', indexdef: "CREATE INDEX ddl_ivf ON public.ddl_t USING ivfflat (v vector_l2_ops) WITH (lists='1')" },
    ]);
    await c.query('SET enable_seqscan = off');
    expect(await plan(`SELECT id FROM ddl_t ORDER BY v::halfvec(3) <-> '[1,1,1]' LIMIT 1`)).toContain('Index Scan using ddl_half');
    expect(await plan(`SELECT id FROM ddl_t ORDER BY binary_quantize(v)::bit(3) <~> B'111' LIMIT 1`)).toContain('Index Scan using ddl_bits');
    const r = await c.query(`SELECT id FROM ddl_t ORDER BY binary_quantize(v)::bit(3) <~> B'111' LIMIT 1`);
    expect(r.rows).toEqual([{ id: '1' }]);
    await c.query('RESET enable_seqscan');
  });
});

describe('other operator classes through SQL', () => {
  it('sparsevec (TypeScript graph), halfvec expression and bit jaccard indexes return the exact neighbours on small data', async () => {
    await c.query('CREATE TABLE sp (id int PRIMARY KEY, s sparsevec(50), v vector(8))');
    const rows: string[] = [];
    for (let i = 1; i <= 300; i++) {
      const a = (i * 7) % 50 + 1;
      const b = (i * 13) % 50 + 1;
      const s = a === b ? `{${a}:${i % 9 + 1}}/50` : `{${Math.min(a, b)}:${i % 9 + 1},${Math.max(a, b)}:${i % 5 + 1}}/50`;
      const v = Array.from({ length: 8 }, (_x, d) => ((i * (d + 3)) % 17) - 8);
      rows.push(`(${i}, '${s}', '[${v.join(',')}]')`);
    }
    await c.query(`INSERT INTO sp VALUES ${rows.join(',')}`);
    const exact = async (sql: string): Promise<string[]> => {
      await c.query('SET enable_indexscan = off');
      await c.query('SET enable_seqscan = on');
      const r = (await c.query(sql)).rows.map((x: { id: string }) => x.id);
      await c.query('RESET enable_indexscan');
      await c.query('SET enable_seqscan = off');
      return r;
    };
    await c.query('SET enable_seqscan = off');
    await c.query('CREATE INDEX sp_s ON sp USING hnsw (s sparsevec_l2_ops)');
    await c.query('CREATE INDEX sp_h ON sp USING hnsw ((v::halfvec(8)) halfvec_cosine_ops)');
    await c.query('CREATE INDEX sp_b ON sp USING hnsw ((binary_quantize(v)::bit(8)) bit_jaccard_ops)');
    const queries = [
      [`SELECT id FROM sp ORDER BY s <-> '{3:2,20:1}/50', id LIMIT 5`, 'sp_s'],
      [`SELECT id FROM sp ORDER BY v::halfvec(8) <=> '[1,2,3,4,-1,-2,-3,-4]', id LIMIT 5`, 'sp_h'],
    ] as const;
    for (const [sql, index] of queries) {
      const p = await plan(sql.replace(', id LIMIT', ' LIMIT'));
      expect(p).toContain(`Index Scan using ${index}`);
      const viaIndex = (await c.query(sql.replace(', id LIMIT', ' LIMIT'))).rows.map((x: { id: string }) => x.id);
      const distances = async (ids: string[]): Promise<number[]> => {
        const expr = sql.slice(sql.indexOf('ORDER BY ') + 9, sql.indexOf(', id LIMIT'));
        const r = await c.query(`SELECT id, ${expr} AS d FROM sp WHERE id = ANY($1::int[])`, [ids]);
        return ids.map((id) => Number(r.rows.find((x: { id: string }) => x.id === id)!.d)).sort((a, b) => a - b);
      };
      // Ties may order differently; the distances of the k found must equal the exact k smallest.
      expect(await distances(viaIndex)).toEqual(await distances(await exact(sql)));
    }
    expect(await plan(`SELECT id FROM sp ORDER BY binary_quantize(v)::bit(8) <%> B'10101010' LIMIT 5`)).toContain('Index Scan using sp_b');
    const bits = (await c.query(`SELECT id FROM sp ORDER BY binary_quantize(v)::bit(8) <%> B'10101010' LIMIT 5`)).rows;
    expect(bits.length).toBe(5);
    await c.query('RESET enable_seqscan');
  });

  it('shows a running build in pg_stat_progress_create_index', async () => {
    const builder = await connect(server.port);
    try {
      const build = builder.query('CREATE INDEX items_progress ON items USING hnsw (embedding vector_cosine_ops)');
      let done = false;
      void build.then(() => { done = true; }, () => { done = true; });
      const samples: Array<{ phase: string; tuples_total: string; tuples_done: string }> = [];
      while (!done) {
        const r = await c.query(`SELECT phase, tuples_total, tuples_done FROM pg_stat_progress_create_index WHERE relid = 'items'::regclass`).catch(() => ({ rows: [] }));
        samples.push(...(r.rows as typeof samples));
      }
      await build;
      expect(samples.length).toBeGreaterThan(0);
      expect(samples[0]!.tuples_total).toBe(String(N));
      expect(samples[0]!.phase).toBe('building index: loading tuples');
    } finally {
      await builder.end();
    }
  }, 120_000);
});
