// pgvector's types through the real interfaces: CREATE EXTENSION / \dx; text and binary round trips
// of vector, halfvec, sparsevec, bit, varbit (and vector[]) with text and binary parameters; the
// `pgvector` npm helpers at 1, 3, 384 and 16,000 dimensions; 778 real MiniLM embeddings with exact
// and HNSW nearest-neighbour queries checked against JS; COPY and \d through psql; type names and
// typmods; and a property test of round trips and distances against float32 JS references.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import pg from 'pg';
import { serialize } from 'pg-protocol';
import pgvector from 'pgvector/pg';
import { SparseVector } from 'pgvector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQuiver, connect, type QuiverServer } from '../helpers/quiver-server.js';

const PG_PSQL = '/usr/lib/postgresql/15/bin/psql';
const PSQL = existsSync(PG_PSQL) ? PG_PSQL : 'psql';
const OID = { vector: 16385, _vector: 16386, halfvec: 16387, sparsevec: 16389, bit: 1560, varbit: 1562 } as const;

let server: QuiverServer;
/** Raw text values (no type parsing). */
let c: pg.Client;

const f32 = Math.fround;

// ---------------------------------------------------------------------------------------------
// A minimal extended-protocol client for binary results: node-postgres accepts `binary: true`, but
// its protocol parser (pg-protocol 1.16) decodes every DataRow field as UTF-8 text, which mangles
// binary values. Messages are built with pg-protocol's serializer; rows are kept as raw bytes.

interface BinaryResult { types: number[]; formats: number[]; rows: (Buffer | null)[][] }

class BinaryClient {
  private buf = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  private closed = false;

  private constructor(private readonly sock: Socket) {
    sock.on('data', (d: Buffer) => { this.buf = Buffer.concat([this.buf, d]); this.wake(); });
    sock.on('close', () => { this.closed = true; this.wake(); });
    sock.on('error', () => { this.closed = true; this.wake(); });
  }

  static async open(port: number): Promise<BinaryClient> {
    const sock = await new Promise<Socket>((resolve, reject) => {
      const s = netConnect({ port, host: '127.0.0.1' }, () => resolve(s));
      s.once('error', reject);
    });
    const client = new BinaryClient(sock);
    sock.write(serialize.startup({ user: 'postgres', database: 'postgres' }));
    const msgs = await client.untilReady();
    const err = msgs.find((m) => m.type === 'E');
    if (err !== undefined) throw new Error(errorMessage(err.body));
    return client;
  }

  /** Parse/Bind (all results binary; Buffer parameters are sent in binary)/Describe/Execute/Sync. */
  async query(text: string, values: Array<string | Buffer | null> = []): Promise<BinaryResult> {
    this.sock.write(Buffer.concat([
      serialize.parse({ text, types: [] }), serialize.bind({ values, binary: true }),
      serialize.describe({ type: 'P' }), serialize.execute(), serialize.sync(),
    ]));
    const out: BinaryResult = { types: [], formats: [], rows: [] };
    let error: string | null = null;
    for (const m of await this.untilReady()) {
      if (m.type === 'E') error = errorMessage(m.body);
      else if (m.type === 'T') {
        const n = m.body.readInt16BE(0);
        let p = 2;
        for (let i = 0; i < n; i++) {
          p = m.body.indexOf(0, p) + 1 + 6;
          out.types.push(m.body.readInt32BE(p));
          p += 4 + 2 + 4;
          out.formats.push(m.body.readInt16BE(p));
          p += 2;
        }
      } else if (m.type === 'D') {
        const n = m.body.readInt16BE(0);
        const row: (Buffer | null)[] = [];
        let p = 2;
        for (let i = 0; i < n; i++) {
          const len = m.body.readInt32BE(p);
          p += 4;
          if (len < 0) { row.push(null); continue; }
          row.push(Buffer.from(m.body.subarray(p, p + len)));
          p += len;
        }
        out.rows.push(row);
      }
    }
    if (error !== null) throw new Error(error);
    return out;
  }

  close(): void { this.sock.destroy(); }

  private wake(): void { const w = this.waiters; this.waiters = []; for (const f of w) f(); }

  private async untilReady(): Promise<Array<{ type: string; body: Buffer }>> {
    const out: Array<{ type: string; body: Buffer }> = [];
    for (;;) {
      if (this.buf.length >= 5) {
        const len = this.buf.readInt32BE(1);
        if (this.buf.length >= len + 1) {
          const m = { type: String.fromCharCode(this.buf[0]!), body: this.buf.subarray(5, len + 1) };
          this.buf = this.buf.subarray(len + 1);
          out.push(m);
          if (m.type === 'Z') return out;
          continue;
        }
      }
      if (this.closed) throw new Error('connection closed');
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }
}

function errorMessage(body: Buffer): string {
  const fields: Record<string, string> = {};
  for (let i = 0; i < body.length && body[i] !== 0;) {
    const end = body.indexOf(0, i + 1);
    fields[String.fromCharCode(body[i]!)] = body.toString('utf8', i + 1, end);
    i = end + 1;
  }
  return `${fields['C'] ?? ''}: ${fields['M'] ?? ''}`;
}

// ---------------------------------------------------------------------------------------------
// pgvector's binary formats

function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** vector: int16 dim, int16 unused, float4[] big-endian. */
function decodeVector(b: Buffer): number[] {
  const dim = b.readInt16BE(0);
  expect(b.readInt16BE(2)).toBe(0);
  expect(b.length).toBe(4 + 4 * dim);
  return Array.from({ length: dim }, (_, i) => b.readFloatBE(4 + 4 * i));
}

/** halfvec: int16 dim, int16 unused, float16[] big-endian. */
function decodeHalfvec(b: Buffer): number[] {
  const dim = b.readInt16BE(0);
  expect(b.readInt16BE(2)).toBe(0);
  expect(b.length).toBe(4 + 2 * dim);
  return Array.from({ length: dim }, (_, i) => halfToNumber(b.readUInt16BE(4 + 2 * i)));
}

/** sparsevec: int32 dim, int32 nnz, int32 unused, int32 indices (0-based), float4 values. */
function decodeSparsevec(b: Buffer): { dim: number; indices: number[]; values: number[] } {
  const dim = b.readInt32BE(0);
  const nnz = b.readInt32BE(4);
  expect(b.readInt32BE(8)).toBe(0);
  expect(b.length).toBe(12 + 8 * nnz);
  return {
    dim,
    indices: Array.from({ length: nnz }, (_, i) => b.readInt32BE(12 + 4 * i)),
    values: Array.from({ length: nnz }, (_, i) => b.readFloatBE(12 + 4 * nnz + 4 * i)),
  };
}

/** bit / varbit: int32 bit length, then the bits MSB-first. */
function decodeBits(b: Buffer): string {
  const len = b.readInt32BE(0);
  expect(b.length).toBe(4 + Math.ceil(len / 8));
  let s = '';
  for (let i = 0; i < len; i++) s += (b[4 + (i >> 3)]! >> (7 - (i & 7))) & 1 ? '1' : '0';
  return s;
}

/** A one-dimensional array in PostgreSQL's binary array format. */
function decodeArray(b: Buffer): { elemType: number; items: Array<Buffer | null> } {
  expect(b.readInt32BE(0)).toBe(1);
  const elemType = b.readInt32BE(8);
  const n = b.readInt32BE(12);
  const items: Array<Buffer | null> = [];
  let p = 20;
  for (let i = 0; i < n; i++) {
    const len = b.readInt32BE(p);
    p += 4;
    if (len < 0) { items.push(null); continue; }
    items.push(b.subarray(p, p + len));
    p += len;
  }
  return { elemType, items };
}

function encodeVector(v: readonly number[]): Buffer {
  const b = Buffer.alloc(4 + 4 * v.length);
  b.writeInt16BE(v.length, 0);
  v.forEach((x, i) => b.writeFloatBE(x, 4 + 4 * i));
  return b;
}

function encodeHalfvec(bits: readonly number[]): Buffer {
  const b = Buffer.alloc(4 + 2 * bits.length);
  b.writeInt16BE(bits.length, 0);
  bits.forEach((h, i) => b.writeUInt16BE(h, 4 + 2 * i));
  return b;
}

function encodeSparsevec(dim: number, indices: readonly number[], values: readonly number[]): Buffer {
  const b = Buffer.alloc(12 + 8 * indices.length);
  b.writeInt32BE(dim, 0);
  b.writeInt32BE(indices.length, 4);
  indices.forEach((x, i) => b.writeInt32BE(x, 12 + 4 * i));
  values.forEach((v, i) => b.writeFloatBE(v, 12 + 4 * indices.length + 4 * i));
  return b;
}

function encodeBits(bits: string): Buffer {
  const b = Buffer.alloc(4 + Math.ceil(bits.length / 8));
  b.writeInt32BE(bits.length, 0);
  for (let i = 0; i < bits.length; i++) if (bits[i] === '1') b[4 + (i >> 3)]! |= 0x80 >> (i & 7);
  return b;
}

// ---------------------------------------------------------------------------------------------
// Text helpers and float32 references

/** A text literal that reads back as exactly these float32 values (keeps -0). */
const lit = (v: readonly number[]): string => `[${v.map((x) => (Object.is(x, -0) ? '-0' : String(x))).join(',')}]`;
const parseDense = (s: string): number[] => s.slice(1, -1).split(',').map(Number);

function parseSparse(s: string): { dim: number; indices: number[]; values: number[] } {
  const m = /^\{(.*)\}\/(\d+)$/.exec(s);
  if (m === null) throw new Error(`not a sparsevec: ${s}`);
  const pairs = m[1] === '' ? [] : m[1]!.split(',').map((p) => p.split(':').map(Number) as [number, number]);
  return { dim: Number(m[2]), indices: pairs.map((p) => p[0] - 1), values: pairs.map((p) => p[1]) };
}

/** Float32 accumulation in index order, as pgvector's C loops do. */
function refDistances(a: readonly number[], b: readonly number[]): { l2: number; ip: number; cos: number; l1: number } {
  let l2 = 0, ip = 0, na = 0, nb = 0, l1 = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!, y = b[i]!;
    const d = f32(x - y);
    l2 = f32(l2 + f32(d * d));
    ip = f32(ip + f32(x * y));
    na = f32(na + f32(x * x));
    nb = f32(nb + f32(y * y));
    l1 = f32(l1 + Math.abs(d));
  }
  const sim = ip / Math.sqrt(na * nb);
  return { l2: Math.sqrt(l2), ip, cos: 1 - Math.min(1, Math.max(-1, sim)), l1 };
}

function close(actual: number, expected: number): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  return actual === expected || Math.abs(actual - expected) <= 1e-6 * Math.abs(expected);
}

function psql(args: string[], input?: string): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const p = spawn(PSQL, ['-X', '-h', '127.0.0.1', '-p', String(server.port), '-U', 'postgres', '-d', 'postgres', ...args],
      { env: { ...process.env, PGPASSWORD: '', PAGER: '', COLUMNS: '200' } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    p.on('error', reject);
    p.on('close', (code) => resolve({ stdout, stderr, code }));
    p.stdin.end(input ?? '');
  });
}

beforeAll(async () => {
  server = await startQuiver({ memory: true });
  c = await connect(server.port);
}, 60_000);

afterAll(async () => {
  await c?.end();
  await server?.stop();
  server?.cleanup();
});

// ---------------------------------------------------------------------------------------------

describe('CREATE EXTENSION vector', () => {
  it('records the extension once; a second CREATE fails; IF NOT EXISTS gives a notice', async () => {
    expect((await c.query("SELECT count(*) AS n FROM pg_extension WHERE extname = 'vector'")).rows).toEqual([{ n: '0' }]);
    await c.query('CREATE EXTENSION vector');
    const ext = await c.query(`SELECT extname, extversion, extrelocatable, n.nspname FROM pg_extension e
      JOIN pg_namespace n ON n.oid = e.extnamespace WHERE extname = 'vector'`);
    expect(ext.rows).toHaveLength(1);
    expect(ext.rows[0]).toMatchObject({ extname: 'vector', nspname: 'public' });
    expect((ext.rows[0] as { extversion: string }).extversion).toMatch(/^0\.8\.\d+$/);
    await expect(c.query('CREATE EXTENSION vector')).rejects.toMatchObject({ code: '42710', message: 'extension "vector" already exists' });
    const notices: Array<{ severity?: string | undefined; message?: string | undefined }> = [];
    const onNotice = (n: { severity?: string | undefined; message?: string | undefined }): void => { notices.push(n); };
    c.on('notice', onNotice);
    await c.query('CREATE EXTENSION IF NOT EXISTS vector');
    c.off('notice', onNotice);
    expect(notices.map((n) => [n.severity, n.message])).toEqual([['NOTICE', 'extension "vector" already exists, skipping']]);
  });

  it('psql shows the notice and the \\dx row', async () => {
    const again = await psql(['-c', 'CREATE EXTENSION IF NOT EXISTS vector']);
    expect(again.stdout).toBe('CREATE EXTENSION\n');
    expect(again.stderr).toBe('NOTICE:  extension "vector" already exists, skipping\n');
    const dx = await psql(['-c', '\\dx']);
    expect(dx.stderr).toBe('');
    expect(dx.stdout).toMatch(/^ vector {2}\| 0\.8\.\d+ {3}\| public {5}\| vector data type and ivfflat and hnsw access methods$/m);
    expect(dx.stdout).toContain('List of installed extensions');
  });
});

describe('type names and typmods', () => {
  it('pg_typeof, format_type and atttypmod for every type', async () => {
    await c.query(`CREATE TABLE typed (v3 vector(3), v vector, h2 halfvec(2), s5 sparsevec(5), b4 bit(4), vb8 varbit(8),
      va vector(3)[])`);
    const cols = await c.query(`SELECT attname, atttypid::int AS oid, atttypmod, format_type(atttypid, atttypmod) AS t
      FROM pg_attribute WHERE attrelid = 'typed'::regclass AND attnum > 0 ORDER BY attnum`);
    expect(cols.rows).toEqual([
      { attname: 'v3', oid: String(OID.vector), atttypmod: '3', t: 'vector(3)' },
      { attname: 'v', oid: String(OID.vector), atttypmod: '-1', t: 'vector' },
      { attname: 'h2', oid: String(OID.halfvec), atttypmod: '2', t: 'halfvec(2)' },
      { attname: 's5', oid: String(OID.sparsevec), atttypmod: '5', t: 'sparsevec(5)' },
      { attname: 'b4', oid: String(OID.bit), atttypmod: '4', t: 'bit(4)' },
      { attname: 'vb8', oid: String(OID.varbit), atttypmod: '8', t: 'bit varying(8)' },
      { attname: 'va', oid: String(OID._vector), atttypmod: '3', t: 'vector(3)[]' },
    ]);
    const t = await c.query(`SELECT pg_typeof('[1]'::vector)::text AS a, pg_typeof('[1]'::halfvec(1))::text AS b,
      pg_typeof('{}/1'::sparsevec)::text AS c, pg_typeof(B'1')::text AS d, pg_typeof(B'1'::varbit)::text AS e,
      pg_typeof(ARRAY['[1]'::vector])::text AS f, pg_typeof('[1,2]'::vector <-> '[3,4]')::text AS g,
      format_type(${OID.vector}, -1) AS h, format_type(${OID.halfvec}, 16000) AS i, format_type(${OID.sparsevec}, 1000000000) AS j`);
    expect(t.rows).toEqual([{
      a: 'vector', b: 'halfvec', c: 'sparsevec', d: 'bit', e: 'bit varying', f: 'vector[]', g: 'double precision',
      h: 'vector', i: 'halfvec(16000)', j: 'sparsevec(1000000000)',
    }]);
    const types = await c.query(`SELECT typname, oid::int, typarray::int FROM pg_type
      WHERE typname IN ('vector', 'halfvec', 'sparsevec') ORDER BY oid`);
    expect(types.rows).toEqual([
      { typname: 'vector', oid: '16385', typarray: '16386' },
      { typname: 'halfvec', oid: '16387', typarray: '16388' },
      { typname: 'sparsevec', oid: '16389', typarray: '16390' },
    ]);
  });

  it('\\d shows the typmods', async () => {
    const out = await psql(['-c', '\\d typed']);
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe([
      '                   Table "public.typed"',
      ' Column |      Type      | Collation | Nullable | Default ',
      '--------+----------------+-----------+----------+---------',
      ' v3     | vector(3)      |           |          | ',
      ' v      | vector         |           |          | ',
      ' h2     | halfvec(2)     |           |          | ',
      ' s5     | sparsevec(5)   |           |          | ',
      ' b4     | bit(4)         |           |          | ',
      ' vb8    | bit varying(8) |           |          | ',
      ' va     | vector(3)[]    |           |          | ',
      '', ''].join('\n'));
  });
});

describe('looking the types up by name, as client libraries do', () => {
  it('psycopg\'s TypeInfo.fetch query with the name as a regtype parameter (pgvector-python\'s register_vector)', async () => {
    const q = `SELECT typname AS name, oid::int AS oid, typarray::int AS array_oid, oid::regtype::text AS regtype, typdelim AS delimiter
      FROM pg_type t WHERE t.oid = $1::regtype ORDER BY t.oid`;
    for (const name of ['vector', 'halfvec', 'sparsevec', 'public.vector']) {
      const r = await c.query(q, [name]);
      expect(r.rows).toHaveLength(1);
      expect(r.rows[0].name).toBe(name.replace('public.', ''));
      expect(r.rows[0].regtype).toBe(name.replace('public.', ''));
      expect(Number(r.rows[0].array_oid)).toBeGreaterThan(0);
    }
    const arr = await c.query(`SELECT $1::regtype::oid::int AS oid, (SELECT typarray::int FROM pg_type WHERE typname = 'vector') AS expected`, ['vector[]']);
    expect(String(arr.rows[0].oid)).toBe(String(arr.rows[0].expected));
    await expect(c.query(q, ['vectorz'])).rejects.toMatchObject({ code: '42704', message: 'type "vectorz" does not exist' });
  });
});

describe('text round trips', () => {
  const cases: Array<[string, string, string]> = [
    ['vector', ' [ 1,  2 ,    3  ] ', '[1,2,3]'],
    ['vector', '[1.23456,-0,0.1,1e-45]', '[1.23456,-0,0.1,1e-45]'],
    ['vector', '[1.5e38,-1.5e-38,0.333333333333]', '[1.5e+38,-1.5e-38,0.33333334]'],
    ['vector', '[1e-46,16777217,123456]', '[0,1.6777216e+07,123456]'],
    ['halfvec', '[1.23456,-2,0.5]', '[1.234375,-2,0.5]'],
    ['halfvec', '[65519,-65519,1e-8,-1e-8]', '[65504,-65504,0,-0]'],
    ['halfvec', '[6e-8,0.1]', '[5.9604645e-08,0.099975586]'],
    ['sparsevec', ' { 1 : 1.5 ,  3  :  3.5  } / 5 ', '{1:1.5,3:3.5}/5'],
    ['sparsevec', '{1:0,2:1,3:0}/3', '{2:1}/3'],
    ['sparsevec', '{3:1,1:2}/5', '{1:2,3:1}/5'],
    ['sparsevec', '{}/1000000000', '{}/1000000000'],
    ['bit(5)', '10110', '10110'],
    ['varbit', '1011000011', '1011000011'],
    ['vector[]', '{"[1,2]","[3,4.5]",NULL}', '{"[1,2]","[3,4.5]",NULL}'],
    ['halfvec(2)[]', '{"[1,2]"}', '{"[1,2]"}'],
    ['sparsevec[]', '{"{1:1}/2"}', '{"{1:1}/2"}'],
  ];
  for (const [type, input, output] of cases) {
    it(`'${input}'::${type} reads back as ${output} (literal, text parameter, stored)`, async () => {
      expect((await c.query(`SELECT '${input}'::${type} AS x`)).rows).toEqual([{ x: output }]);
      expect((await c.query(`SELECT $1::${type} AS x`, [input])).rows).toEqual([{ x: output }]);
      await c.query(`CREATE TEMP TABLE rt (x ${type})`);
      await c.query('INSERT INTO rt VALUES ($1)', [input]);
      expect((await c.query('SELECT x FROM rt')).rows).toEqual([{ x: output }]);
      expect((await c.query('SELECT x::text AS x FROM rt')).rows).toEqual([{ x: output }]);
      await c.query('DROP TABLE rt');
    });
  }
});

describe('binary results and parameters', () => {
  let bc: BinaryClient;
  beforeAll(async () => {
    bc = await BinaryClient.open(server.port);
    await c.query(`CREATE TABLE bin (id int PRIMARY KEY, v vector(3), h halfvec(3), s sparsevec(6), b bit(5), vb varbit(12))`);
    await c.query(`INSERT INTO bin VALUES (1, '[1.5,-2,0.1]', '[1.5,-2,0.1]', '{1:1.5,4:-3.25}/6', B'10110', B'1011000011'),
      (2, '[-0,1e-45,3e38]', '[-0,6e-8,65504]', '{}/6', B'00000', B'')`);
  });
  afterAll(() => { bc?.close(); });

  it('sends every type in pgvector\'s binary format', async () => {
    const r = await bc.query('SELECT v, h, s, b, vb FROM bin ORDER BY id');
    expect(r.types).toEqual([OID.vector, OID.halfvec, OID.sparsevec, OID.bit, OID.varbit]);
    expect(r.formats).toEqual([1, 1, 1, 1, 1]);
    const [one, two] = r.rows as [Buffer[], Buffer[]];
    expect(decodeVector(one[0]!)).toEqual([1.5, -2, f32(0.1)]);
    expect(decodeHalfvec(one[1]!)).toEqual([1.5, -2, halfToNumber(0x2e66)]);
    expect(decodeSparsevec(one[2]!)).toEqual({ dim: 6, indices: [0, 3], values: [1.5, -3.25] });
    expect(decodeBits(one[3]!)).toBe('10110');
    expect(decodeBits(one[4]!)).toBe('1011000011');
    const v2 = decodeVector(two[0]!);
    expect(Object.is(v2[0], -0)).toBe(true);
    expect(v2.slice(1)).toEqual([f32(1e-45), f32(3e38)]);
    const h2 = decodeHalfvec(two[1]!);
    expect(Object.is(h2[0], -0)).toBe(true);
    expect(h2.slice(1)).toEqual([2 ** -24, 65504]);
    expect(decodeSparsevec(two[2]!)).toEqual({ dim: 6, indices: [], values: [] });
    expect(decodeBits(two[3]!)).toBe('00000');
    expect(decodeBits(two[4]!)).toBe('');
  });

  it('sends arrays of vectors and computed values in binary', async () => {
    const r = await bc.query(`SELECT ARRAY['[1,2]'::vector, NULL, '[3]'] AS a, '[1,2]'::vector + '[0.5,0.5]' AS s,
      binary_quantize('[1,-1,0,2]'::vector) AS q, '[1,2,3]'::vector::halfvec AS h, '[0,2,0]'::vector::sparsevec AS sp`);
    expect(r.formats).toEqual([1, 1, 1, 1, 1]);
    const row = r.rows[0]!;
    const arr = decodeArray(row[0]!);
    expect(arr.elemType).toBe(OID.vector);
    expect(arr.items.map((x) => (x === null ? null : decodeVector(x)))).toEqual([[1, 2], null, [3]]);
    expect(decodeVector(row[1]!)).toEqual([1.5, 2.5]);
    expect(decodeBits(row[2]!)).toBe('1001');
    expect(decodeHalfvec(row[3]!)).toEqual([1, 2, 3]);
    expect(decodeSparsevec(row[4]!)).toEqual({ dim: 3, indices: [1], values: [2] });
  });

  it('accepts binary parameters of every type (node-postgres sends Buffers in binary)', async () => {
    const params = [encodeVector([0.25, -1, 1e-45]), encodeHalfvec([0x3c00, 0xc000, 0x0001]),
      encodeSparsevec(6, [0, 5], [2.5, -1]), encodeBits('11001'), encodeBits('101')];
    await c.query('INSERT INTO bin VALUES (3, $1, $2, $3, $4, $5)', params);
    expect((await c.query('SELECT v, h, s, b, vb FROM bin WHERE id = 3')).rows).toEqual([
      { v: '[0.25,-1,1e-45]', h: '[1,-2,5.9604645e-08]', s: '{1:2.5,6:-1}/6', b: '11001', vb: '101' },
    ]);
    const typed = await c.query(`SELECT $1::vector <-> $2::vector AS d, vector_dims($1::vector) AS n,
      $3::sparsevec <#> $3::sparsevec AS ip`, [encodeVector([0, 0]), encodeVector([3, 4]), encodeSparsevec(4, [2], [3])]);
    expect(typed.rows).toEqual([{ d: '5', n: '2', ip: '-9' }]);
    // the raw client's binary parameters and binary results together
    const back = await bc.query('SELECT $1::vector AS v, $2::halfvec AS h', [encodeVector([7, -0.5]), encodeHalfvec([0x7bff])]);
    expect(decodeVector(back.rows[0]![0]!)).toEqual([7, -0.5]);
    expect(decodeHalfvec(back.rows[0]![1]!)).toEqual([65504]);
  });
});

describe('the pgvector npm package', () => {
  let client: pg.Client;
  let bc: BinaryClient;
  beforeAll(async () => {
    client = await connect(server.port, { rawText: false });
    await pgvector.registerTypes(client);
    bc = await BinaryClient.open(server.port);
    await client.query('CREATE TABLE npm_items (id int PRIMARY KEY, embedding vector, half halfvec, sparse sparsevec)');
  });
  afterAll(async () => { await client?.end(); bc?.close(); });

  for (const dim of [1, 3, 384, 16_000]) {
    it(`inserts and reads back ${dim}-dimensional vectors as arrays and SparseVectors`, async () => {
      const values = Array.from({ length: dim }, (_, i) => Math.sin(i * 7 + dim) * (i % 5 === 0 ? 1000 : 1));
      const halves = Array.from({ length: Math.min(dim, 100) }, (_, i) => Math.round(Math.sin(i + dim) * 64) / 8);
      const sparse = new SparseVector(new Map(values.flatMap((x, i) => (i % 3 === 0 ? [[i, x] as const] : []))), dim);
      await client.query('INSERT INTO npm_items VALUES ($1, $2, $3, $4)',
        [dim, pgvector.toSql(values), pgvector.toSql(halves), pgvector.toSql(sparse)]);
      const r = await client.query('SELECT embedding, half, sparse, vector_dims(embedding) AS n FROM npm_items WHERE id = $1', [dim]);
      const row = r.rows[0] as { embedding: number[]; half: number[]; sparse: SparseVector; n: number };
      expect(row.n).toBe(dim);
      expect(row.embedding.map(f32)).toEqual(values.map(f32));
      expect(row.half).toEqual(halves);
      expect(row.sparse).toBeInstanceOf(SparseVector);
      expect(row.sparse.dimensions).toBe(dim);
      expect(row.sparse.indices).toEqual(sparse.indices);
      expect(row.sparse.values.map(f32)).toEqual(sparse.values.map(f32));
      // the same row through the binary format agrees bit for bit
      const b = await bc.query('SELECT embedding FROM npm_items WHERE id = $1', [String(dim)]);
      expect(decodeVector(b.rows[0]![0]!)).toEqual(values.map(f32));
      // and a query by the vector finds it
      const nn = await client.query('SELECT id FROM npm_items WHERE vector_dims(embedding) = $2 ORDER BY embedding <-> $1 LIMIT 1',
        [pgvector.toSql(values), dim]);
      expect(nn.rows).toEqual([{ id: dim }]);
    });
  }
});

describe('778 MiniLM embeddings of SAP Fiori docs', () => {
  const DIM = 384;
  interface Doc { id: number; key: string; title: string; content: string; vec: Float32Array }
  let docs: Doc[] = [];
  const queries: number[] = [0, 17, 101, 250, 333, 404, 512, 600, 777];

  function cosineRef(a: Float32Array, b: Float32Array): number {
    let dot = 0, na = 0, nb = 0;
    for (let i = 0; i < a.length; i++) {
      dot = f32(dot + f32(a[i]! * b[i]!));
      na = f32(na + f32(a[i]! * a[i]!));
      nb = f32(nb + f32(b[i]! * b[i]!));
    }
    return 1 - Math.min(1, Math.max(-1, dot / Math.sqrt(na * nb)));
  }

  function exactTop(q: Float32Array, k: number): Array<{ id: number; d: number }> {
    return docs.map((d) => ({ id: d.id, d: cosineRef(d.vec, q) })).sort((x, y) => x.d - y.d || x.id - y.id).slice(0, k);
  }

  /** A query vector that is not itself in the table: the mean of two documents. */
  const mixed = (i: number): Float32Array => docs[i]!.vec.map((x, j) => f32((x + docs[(i * 7 + 3) % docs.length]!.vec[j]!) / 2));

  beforeAll(async () => {
    const require = createRequire(import.meta.url);
    const dir = join(dirname(require.resolve('@sap-ux/fiori-docs-embeddings/package.json')), 'data', 'embeddings');
    const meta = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8')) as { dimensions: number; totalVectors: number };
    expect(meta.dimensions).toBe(DIM);
    const records = readFileSync(join(dir, 'records.jsonl'), 'utf8').split('\n').filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { id: string; title: string; content: string });
    const bin = readFileSync(join(dir, 'embeddings.bin'));
    expect(records.length).toBe(meta.totalVectors);
    expect(bin.length).toBe(records.length * DIM * 4);
    docs = records.map((r, i) => ({
      id: i, key: r.id, title: r.title, content: r.content,
      vec: Float32Array.from({ length: DIM }, (_, j) => bin.readFloatLE((i * DIM + j) * 4)),
    }));
    await c.query(`CREATE TABLE docs (id int PRIMARY KEY, key text NOT NULL, title text, content text, embedding vector(${DIM}))`);
    for (let start = 0; start < docs.length; start += 50) {
      const batch = docs.slice(start, start + 50);
      const params: unknown[] = [];
      const rows = batch.map((d) => {
        params.push(d.id, d.key, d.title, d.content, pgvector.toSql(Array.from(d.vec)));
        const p = params.length;
        return `($${p - 4}, $${p - 3}, $${p - 2}, $${p - 1}, $${p})`;
      });
      await c.query(`INSERT INTO docs VALUES ${rows.join(', ')}`, params);
    }
  }, 60_000);

  it('stores all 778 documents and their texts intact', async () => {
    expect(docs.length).toBe(778);
    expect((await c.query('SELECT count(*) AS n, sum(length(content)) AS chars FROM docs')).rows)
      .toEqual([{ n: '778', chars: String(docs.reduce((s, d) => s + [...d.content].length, 0)) }]);
    const some = await c.query('SELECT id, key, title, content FROM docs WHERE id = ANY($1) ORDER BY id', [[0, 389, 777]]);
    expect(some.rows).toEqual([0, 389, 777].map((i) => ({ id: String(i), key: docs[i]!.key, title: docs[i]!.title, content: docs[i]!.content })));
    const norms = await c.query('SELECT min(vector_norm(embedding)) AS lo, max(vector_norm(embedding)) AS hi FROM docs');
    const { lo, hi } = norms.rows[0] as { lo: string; hi: string };
    expect(Number(lo)).toBeGreaterThan(0.999);
    expect(Number(hi)).toBeLessThan(1.001);
  });

  async function sqlTop(q: Float32Array): Promise<Array<{ id: number; d: number }>> {
    const r = await c.query('SELECT id, embedding <=> $1 AS d FROM docs ORDER BY embedding <=> $1 LIMIT 10', [pgvector.toSql(Array.from(q))]);
    return (r.rows as Array<{ id: string; d: string }>).map((x) => ({ id: Number(x.id), d: Number(x.d) }));
  }

  it('exact cosine top 10 equals the JS computation (ids and distances)', async () => {
    const plan = await c.query('EXPLAIN SELECT id FROM docs ORDER BY embedding <=> $1 LIMIT 10', [pgvector.toSql(Array.from(docs[0]!.vec))]);
    expect(plan.rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n')).not.toContain('Index Scan');
    for (const qi of queries) {
      for (const q of [docs[qi]!.vec, mixed(qi)]) {
        const want = exactTop(q, 10);
        const got = await sqlTop(q);
        expect(got.map((g) => g.id)).toEqual(want.map((w) => w.id));
        for (let i = 0; i < 10; i++) expect(close(got[i]!.d, want[i]!.d), `${got[i]!.d} vs ${want[i]!.d}`).toBe(true);
      }
      expect((await sqlTop(docs[qi]!.vec))[0]).toMatchObject({ id: qi });
    }
  });

  // The index ranks by its own kernel (pgvector: inner product of normalized vectors), so exact
  // near-ties (the mixed query 0 has two documents 5e-7 apart) may come back in either order.
  it('with an HNSW index (vector_cosine_ops) the top 10 are the exact ones, in distance order', async () => {
    await c.query('CREATE INDEX docs_hnsw ON docs USING hnsw (embedding vector_cosine_ops)');
    await c.query('SET hnsw.ef_search = 200');
    await c.query('SET enable_seqscan = off');
    const plan = await c.query('EXPLAIN SELECT id FROM docs ORDER BY embedding <=> $1 LIMIT 10', [pgvector.toSql(Array.from(docs[0]!.vec))]);
    expect(plan.rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n')).toContain('Index Scan using docs_hnsw on docs');
    for (const qi of queries) {
      for (const q of [docs[qi]!.vec, mixed(qi)]) {
        const got = await sqlTop(q);
        const want = exactTop(q, 10);
        expect(got.map((g) => g.id).sort((x, y) => x - y)).toEqual(want.map((w) => w.id).sort((x, y) => x - y));
        for (const g of got) expect(close(g.d, cosineRef(docs[g.id]!.vec, q))).toBe(true);
        for (let i = 1; i < got.length; i++) expect(got[i]!.d).toBeGreaterThanOrEqual(got[i - 1]!.d - 1e-6);
      }
      expect((await sqlTop(docs[qi]!.vec))[0]).toMatchObject({ id: qi });
    }
    await c.query('RESET hnsw.ef_search');
    await c.query('RESET enable_seqscan');
  }, 60_000);

  it('COPY TO STDOUT and back through psql keeps 384-dim vectors bit for bit', async () => {
    const out = await psql(['-c', 'COPY (SELECT id, embedding FROM docs WHERE id < 100 ORDER BY id) TO STDOUT']);
    expect(out.stderr).toBe('');
    const lines = out.stdout.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(100);
    const first = lines[0]!.split('\t');
    expect(first[0]).toBe('0');
    expect(parseDense(first[1]!).map(f32)).toEqual(Array.from(docs[0]!.vec));
    await c.query(`CREATE TABLE docs_copy (id int PRIMARY KEY, embedding vector(${DIM}))`);
    const load = await psql(['-c', 'COPY docs_copy FROM STDIN'], out.stdout);
    expect(load.stderr).toBe('');
    expect(load.stdout).toBe('COPY 100\n');
    const same = await c.query('SELECT count(*) AS n FROM docs d JOIN docs_copy k USING (id) WHERE d.embedding = k.embedding');
    expect(same.rows).toEqual([{ n: '100' }]);
  });
});

describe('COPY through psql', () => {
  beforeAll(async () => {
    await c.query('CREATE TABLE copied (id int PRIMARY KEY, v vector(3), h halfvec(2), s sparsevec(5), b bit(4), vb varbit)');
  });

  it('\\copy FROM STDIN (text) and COPY TO STDOUT (text, csv)', async () => {
    const input = '1\t[1,2,3]\t[1.5,2]\t{1:1,5:2}/5\t1010\t1\n2\t[4,5.25,-6]\t\\N\t{}/5\t0001\t\n';
    const load = await psql(['-c', '\\copy copied FROM STDIN'], input);
    expect(load.stderr).toBe('');
    expect(load.stdout).toBe('COPY 2\n');
    const csvIn = await psql(['-c', 'COPY copied FROM STDIN WITH (FORMAT csv)'], '3,"[7,8,9.5]","[0.1,-0]","{2:3}/5",1111,\n');
    expect(csvIn.stderr).toBe('');
    expect(csvIn.stdout).toBe('COPY 1\n');
    const text = await psql(['-c', 'COPY copied TO STDOUT']);
    expect(text.stdout).toBe('1\t[1,2,3]\t[1.5,2]\t{1:1,5:2}/5\t1010\t1\n2\t[4,5.25,-6]\t\\N\t{}/5\t0001\t\n'
      + '3\t[7,8,9.5]\t[0.099975586,-0]\t{2:3}/5\t1111\t\\N\n');
    const csv = await psql(['-c', 'COPY copied TO STDOUT WITH (FORMAT csv, HEADER)']);
    expect(csv.stdout).toBe('id,v,h,s,b,vb\n1,"[1,2,3]","[1.5,2]","{1:1,5:2}/5",1010,1\n2,"[4,5.25,-6]",,{}/5,0001,""\n'
      + '3,"[7,8,9.5]","[0.099975586,-0]",{2:3}/5,1111,\n');
  });

  it('a bad row in COPY FROM reports pgvector\'s error with the COPY context and loads nothing', async () => {
    const bad = await psql(['-c', 'COPY copied FROM STDIN'], '10\t[1,2,3]\t\\N\t\\N\t\\N\t\\N\n11\t[1,2]\t\\N\t\\N\t\\N\t\\N\n');
    expect(bad.stderr).toContain('ERROR:  expected 3 dimensions, not 2');
    expect(bad.stderr).toContain('COPY copied, line 2, column v: "[1,2]"');
    expect((await c.query('SELECT count(*) AS n FROM copied')).rows).toEqual([{ n: '3' }]);
  });
});

describe('property: round trips and distances through the wire', () => {
  let bc: BinaryClient;
  beforeAll(async () => {
    bc = await BinaryClient.open(server.port);
    await c.query('CREATE TABLE prop (id int PRIMARY KEY, v vector, h halfvec, s sparsevec)');
  });
  afterAll(() => { bc?.close(); });
  let nextId = 0;

  const float32 = fc.float({ noNaN: true, noDefaultInfinity: true });
  const halfBits = fc.integer({ min: 0, max: 0xffff }).filter((h) => ((h >> 10) & 0x1f) !== 31);

  it('vector / halfvec / sparsevec: insert (text or binary parameter) → select (text and binary) → equal', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(float32, { minLength: 1, maxLength: 48 }),
      fc.array(halfBits, { minLength: 1, maxLength: 48 }),
      fc.integer({ min: 1, max: 2000 }).chain((dim) => fc.tuple(fc.constant(dim),
        fc.uniqueArray(fc.integer({ min: 0, max: dim - 1 }), { maxLength: Math.min(dim, 24) }),
        fc.array(float32.filter((x) => x !== 0), { minLength: 24, maxLength: 24 }))),
      fc.boolean(),
      async (v, hbits, [dim, idx, vals], binary) => {
        const id = nextId++;
        const indices = [...idx].sort((a, b) => a - b);
        const values = indices.map((_, i) => vals[i]!);
        const halves = hbits.map(halfToNumber);
        const sparseText = `{${indices.map((x, i) => `${x + 1}:${String(values[i])}`).join(',')}}/${dim}`;
        const params = binary
          ? [encodeVector(v), encodeHalfvec(hbits), encodeSparsevec(dim, indices, values)]
          : [lit(v), lit(halves), sparseText];
        await c.query('INSERT INTO prop VALUES ($1, $2, $3, $4)', [id, ...params]);
        const t = (await c.query('SELECT v, h, s FROM prop WHERE id = $1', [id])).rows[0] as { v: string; h: string; s: string };
        const tv = parseDense(t.v).map(f32);
        expect(tv.length).toBe(v.length);
        tv.forEach((x, i) => expect(Object.is(x, v[i])).toBe(true));
        const th = parseDense(t.h).map(f32);
        th.forEach((x, i) => expect(Object.is(x, halves[i])).toBe(true));
        const ts = parseSparse(t.s);
        expect({ dim: ts.dim, indices: ts.indices, values: ts.values.map(f32) }).toEqual({ dim, indices, values });
        const b = (await bc.query('SELECT v, h, s FROM prop WHERE id = $1', [String(id)])).rows[0]!;
        const bv = decodeVector(b[0]!);
        bv.forEach((x, i) => expect(Object.is(x, v[i])).toBe(true));
        const bh = decodeHalfvec(b[1]!);
        bh.forEach((x, i) => expect(Object.is(x, halves[i])).toBe(true));
        expect(decodeSparsevec(b[2]!)).toEqual({ dim, indices, values });
      }), { numRuns: 40 });
  });

  it('l2, inner product, cosine and l1 from SQL equal a float32-accumulated JS reference within 1e-6 relative', async () => {
    const moderate = fc.float({ min: -1000, max: 1000, noNaN: true });
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 1, max: 200 }).chain((n) => fc.tuple(
        fc.array(moderate, { minLength: n, maxLength: n }), fc.array(moderate, { minLength: n, maxLength: n }))),
      async ([a, b]) => {
        const r = await c.query(`SELECT $1::vector <-> $2::vector AS l2, $1::vector <#> $2::vector AS nip,
          $1::vector <=> $2::vector AS cos, $1::vector <+> $2::vector AS l1,
          l2_distance($1::vector, $2::vector) AS fl2, inner_product($1::vector, $2::vector) AS ip,
          cosine_distance($1::vector, $2::vector) AS fcos, l1_distance($1::vector, $2::vector) AS fl1`, [lit(a), lit(b)]);
        const got = r.rows[0] as Record<string, string>;
        const want = refDistances(a, b);
        const pairs: Array<[string, number]> = [['l2', want.l2], ['fl2', want.l2], ['nip', -want.ip], ['ip', want.ip],
          ['cos', want.cos], ['fcos', want.cos], ['l1', want.l1], ['fl1', want.l1]];
        for (const [k, w] of pairs) expect(close(Number(got[k]), w), `${k}: ${got[k]} vs ${w}`).toBe(true);
      }), { numRuns: 40 });
  });
});

describe('PostgreSQL details around the vector surface', () => {
  it('CREATE EXTENSION IF NOT EXISTS notices carry 42710, for vector and plpgsql', async () => {
    const notices: Array<{ code?: string; message: string }> = [];
    const listener = (n: { code?: string; message?: string }): void => { notices.push({ code: n.code, message: n.message ?? '' }); };
    await c.query('CREATE EXTENSION IF NOT EXISTS vector');
    c.on('notice', listener);
    await c.query('CREATE EXTENSION IF NOT EXISTS vector');
    await c.query('CREATE EXTENSION IF NOT EXISTS plpgsql');
    c.off('notice', listener);
    expect(notices).toEqual([
      { code: '42710', message: 'extension "vector" already exists, skipping' },
      { code: '42710', message: 'extension "plpgsql" already exists, skipping' },
    ]);
  });

  it('rejects a non-integer typmod as PostgreSQL does', async () => {
    const e = await c.query("SELECT '[1,2,3]'::vector('a')").then(() => null, (x: unknown) => x as { code: string; message: string; position: string });
    expect(e).toMatchObject({ code: '22P02', message: 'invalid input syntax for type integer: "a"', position: '19' });
  });

  it('COPY CSV stops at \\. and a bad value reports its line as CONTEXT, keeping the input error', async () => {
    await c.query('CREATE TABLE csv_end (id int, v vector(2))');
    const ok = await psql(['-c', 'COPY csv_end FROM STDIN WITH (FORMAT csv)'], '1,"[1,2]"\n2,"[3,4]"\n\\.\n');
    expect(ok.stdout.trim()).toBe('COPY 2');
    const bad = await psql(['-v', 'VERBOSITY=verbose', '-c', 'COPY csv_end FROM STDIN WITH (FORMAT csv)'], '3,"[1,2,3]"\n');
    expect(bad.stderr).toContain('ERROR:  22000: expected 2 dimensions, not 3');
    expect(bad.stderr).toContain('CONTEXT:  COPY csv_end, line 1, column v: "[1,2,3]"');
  });
});

describe('psql describes ANN indexes as PostgreSQL does', () => {
  it('\\d lists hnsw/ivfflat indexes with their operator classes and options; \\d index shows the expression', async () => {
    await c.query('CREATE TABLE described (id int PRIMARY KEY, embedding vector(3))');
    await c.query('CREATE INDEX ON described USING hnsw (embedding vector_l2_ops)');
    await c.query('CREATE INDEX ON described USING ivfflat ((embedding::halfvec(3)) halfvec_cosine_ops) WITH (lists = 5)');
    await c.query('CREATE INDEX ON described USING hnsw ((binary_quantize(embedding)::bit(3)) bit_hamming_ops)');
    const table = await psql(['-c', '\\d described']);
    expect(table.stdout).toContain([
      'Indexes:',
      '    "described_pkey" PRIMARY KEY, btree (id)',
      '    "described_embedding_idx" hnsw (embedding vector_l2_ops)',
      '    "described_expr_idx" ivfflat ((embedding::halfvec(3)) halfvec_cosine_ops) WITH (lists=\'5\')',
      '    "described_expr_idx1" hnsw ((binary_quantize(embedding)::bit(3)) bit_hamming_ops)',
    ].join('\n'));
    const index = await psql(['-c', '\\d described_expr_idx']);
    expect(index.stdout).toContain(' expr   | halfvec(3) | yes  | embedding::halfvec(3)');
    expect(index.stdout).toContain('ivfflat, for table "public.described"');
    const am = await c.query(`SELECT c.relname, a.amname FROM pg_class c JOIN pg_am a ON a.oid = c.relam WHERE c.relname LIKE 'described%' ORDER BY 1`);
    expect(am.rows.map((r: { amname: string }) => r.amname)).toEqual(['heap', 'hnsw', 'ivfflat', 'hnsw', 'btree']);
  });
});
