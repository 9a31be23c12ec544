// pgvector's error surface through the wire: for every error class (dimension mismatch in operators,
// functions and aggregates; typmod checks; NaN / infinity; too many dimensions; malformed literals;
// bad sparsevec indices; halfvec overflow; bit length mismatch; bad binary parameters) the exact
// message, SQLSTATE, detail and position pgvector 0.8 reports (its regression outputs and src/*.c),
// and that the failing connection keeps working while a second connection is unaffected.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQuiver, connect, type QuiverServer } from '../helpers/quiver-server.js';

let server: QuiverServer;
let c: pg.Client;
/** A second session that must never notice the errors of the first. */
let other: pg.Client;

interface Expected {
  code: string;
  message: string;
  detail?: string;
  position?: number;
}

interface Case extends Expected {
  sql: string;
  params?: unknown[];
}

/** Runs `sql`, expects the error, then checks this connection and the other one still work. */
async function expectError(sql: string, params: unknown[] | undefined, want: Expected): Promise<void> {
  let caught: (Error & { code?: string; detail?: string; position?: string }) | null = null;
  try {
    await c.query(sql, params);
  } catch (e) {
    caught = e as Error & { code?: string; detail?: string; position?: string };
  }
  expect(caught, `${sql} should fail`).not.toBeNull();
  expect({ code: caught?.code, message: caught?.message }).toEqual({ code: want.code, message: want.message });
  if (want.detail !== undefined) expect(caught?.detail).toBe(want.detail);
  else expect(caught?.detail).toBeUndefined();
  if (want.position !== undefined) expect(caught?.position).toBe(String(want.position));
  const after = await c.query("SELECT '[1,2,3]'::vector <-> '[1,2,5]' AS d");
  expect(after.rows).toEqual([{ d: '2' }]);
  const seen = await other.query('SELECT count(*) AS n, sum(vector_dims(v)) AS d FROM keep');
  expect(seen.rows).toEqual([{ n: '2', d: '6' }]);
}

function runCases(cases: Case[]): void {
  for (const k of cases) {
    it(`${k.sql}${k.params !== undefined ? ' (with parameters)' : ''} → ${k.code} ${k.message}`, async () => {
      const want: Expected = { code: k.code, message: k.message };
      if (k.detail !== undefined) want.detail = k.detail;
      if (k.position !== undefined) want.position = k.position;
      await expectError(k.sql, k.params, want);
    });
  }
}

/** pgvector's binary vector: int16 dim, int16 unused, float4 big-endian. */
function vectorSend(values: number[], dim = values.length, unused = 0): Buffer {
  const b = Buffer.alloc(4 + 4 * values.length);
  b.writeInt16BE(dim, 0);
  b.writeInt16BE(unused, 2);
  values.forEach((v, i) => b.writeFloatBE(v, 4 + 4 * i));
  return b;
}

/** pgvector's binary halfvec: int16 dim, int16 unused, float16 bit patterns big-endian. */
function halfvecSend(bits: number[]): Buffer {
  const b = Buffer.alloc(4 + 2 * bits.length);
  b.writeInt16BE(bits.length, 0);
  b.writeInt16BE(0, 2);
  bits.forEach((h, i) => b.writeUInt16BE(h, 4 + 2 * i));
  return b;
}

/** pgvector's binary sparsevec: int32 dim, nnz, unused, then 0-based int32 indices and float4 values. */
function sparsevecSend(dim: number, indices: number[], values: number[], unused = 0): Buffer {
  const b = Buffer.alloc(12 + 4 * indices.length + 4 * values.length);
  b.writeInt32BE(dim, 0);
  b.writeInt32BE(indices.length, 4);
  b.writeInt32BE(unused, 8);
  indices.forEach((x, i) => b.writeInt32BE(x, 12 + 4 * i));
  values.forEach((v, i) => b.writeFloatBE(v, 12 + 4 * indices.length + 4 * i));
  return b;
}

const ones = (n: number): string => `[${Array.from({ length: n }, () => '1').join(',')}]`;

beforeAll(async () => {
  server = await startQuiver({ memory: true });
  c = await connect(server.port);
  other = await connect(server.port);
  await c.query('CREATE EXTENSION IF NOT EXISTS vector');
  await c.query(`CREATE TABLE keep (id int PRIMARY KEY, v vector(3))`);
  await c.query(`INSERT INTO keep VALUES (1, '[1,2,3]'), (2, '[4,5,6]')`);
  await c.query(`CREATE TABLE typed (id serial PRIMARY KEY, v vector(3), h halfvec(3), s sparsevec(5),
    b bit(4), vb varbit(3))`);
}, 60_000);

afterAll(async () => {
  await c?.end();
  await other?.end();
  await server?.stop();
  server?.cleanup();
});

describe('dimension mismatch in operators, functions and aggregates', () => {
  const cases: Case[] = [];
  for (const type of ['vector', 'halfvec']) {
    for (const op of ['<->', '<#>', '<=>', '<+>', '+', '-', '*']) {
      cases.push({ sql: `SELECT '[1,2]'::${type} ${op} '[3]'::${type}`, code: '22000', message: `different ${type} dimensions 2 and 1` });
    }
    for (const fn of ['l2_distance', 'inner_product', 'cosine_distance', 'l1_distance']) {
      cases.push({ sql: `SELECT ${fn}('[1,2]'::${type}, '[3]'::${type})`, code: '22000', message: `different ${type} dimensions 2 and 1` });
    }
    cases.push({ sql: `SELECT sum(v) FROM unnest(ARRAY['[1,2]'::${type}, '[3]']) v`, code: '22000', message: `different ${type} dimensions 2 and 1` });
    cases.push({ sql: `SELECT avg(v) FROM unnest(ARRAY['[1,2]'::${type}, '[3]']) v`, code: '22000', message: 'expected 2 dimensions, not 1' });
  }
  for (const op of ['<->', '<#>', '<=>', '<+>']) {
    cases.push({ sql: `SELECT '{1:1}/2'::sparsevec ${op} '{1:1}/3'::sparsevec`, code: '22000', message: 'different sparsevec dimensions 2 and 3' });
  }
  for (const fn of ['l2_distance', 'inner_product', 'cosine_distance', 'l1_distance']) {
    cases.push({ sql: `SELECT ${fn}('{1:1}/2'::sparsevec, '{}/3'::sparsevec)`, code: '22000', message: 'different sparsevec dimensions 2 and 3' });
  }
  cases.push({ sql: 'SELECT v <-> $1 FROM keep', params: ['[1,2]'], code: '22000', message: 'different vector dimensions 3 and 2' });
  cases.push({ sql: "SELECT id FROM keep ORDER BY v <=> '[1,2,3,4]' LIMIT 1", code: '22000', message: 'different vector dimensions 3 and 4' });
  runCases(cases);
});

describe('typmod checks', () => {
  runCases([
    { sql: "SELECT '[1,2,3]'::vector(2)", code: '22000', message: 'expected 2 dimensions, not 3' },
    { sql: "SELECT '[1,2,3]'::halfvec(2)", code: '22000', message: 'expected 2 dimensions, not 3' },
    { sql: "SELECT '{}/1'::sparsevec(2)", code: '22000', message: 'expected 2 dimensions, not 1' },
    { sql: `SELECT '{"[1,2,3]"}'::vector(2)[]`, code: '22000', message: 'expected 2 dimensions, not 3' },
    { sql: `SELECT '{"[1,2,3]"}'::halfvec(2)[]`, code: '22000', message: 'expected 2 dimensions, not 3' },
    { sql: "SELECT '[1,2]'::vector::halfvec(3)", code: '22000', message: 'expected 3 dimensions, not 2' },
    { sql: "SELECT '[1,2]'::vector(2)::sparsevec(3)", code: '22000', message: 'expected 3 dimensions, not 2' },
    { sql: "SELECT '{1:1}/3'::sparsevec::vector(2)", code: '22000', message: 'expected 2 dimensions, not 3' },
    { sql: "SELECT '{1,2}'::int[]::vector(3)", code: '22000', message: 'expected 3 dimensions, not 2' },
    { sql: "SELECT '{1,2}'::real[]::halfvec(3)", code: '22000', message: 'expected 3 dimensions, not 2' },
    { sql: "INSERT INTO typed (v) VALUES ('[1,2]')", code: '22000', message: 'expected 3 dimensions, not 2' },
    { sql: "INSERT INTO typed (h) VALUES ('[1,2,3,4]')", code: '22000', message: 'expected 3 dimensions, not 4' },
    { sql: "INSERT INTO typed (s) VALUES ('{1:1}/4')", code: '22000', message: 'expected 5 dimensions, not 4' },
    { sql: 'INSERT INTO typed (v) VALUES ($1)', params: ['[1,2,3,4]'], code: '22000', message: 'expected 3 dimensions, not 4' },
    { sql: "UPDATE keep SET v = '[1,2]' WHERE id = 1", code: '22000', message: 'expected 3 dimensions, not 2' },
    { sql: "SELECT '[1,2,3]'::vector(0)", code: '22023', message: 'dimensions for type vector must be at least 1', position: 19 },
    { sql: "SELECT '[1,2,3]'::halfvec(0)", code: '22023', message: 'dimensions for type halfvec must be at least 1', position: 19 },
    { sql: "SELECT '{}/3'::sparsevec(0)", code: '22023', message: 'dimensions for type sparsevec must be at least 1', position: 16 },
    { sql: "SELECT '[1,2,3]'::vector(16001)", code: '22023', message: 'dimensions for type vector cannot exceed 16000', position: 19 },
    { sql: "SELECT '[1,2,3]'::halfvec(16001)", code: '22023', message: 'dimensions for type halfvec cannot exceed 16000', position: 19 },
    { sql: "SELECT '{}/3'::sparsevec(1000000001)", code: '22023', message: 'dimensions for type sparsevec cannot exceed 1000000000', position: 16 },
    { sql: "SELECT '[1,2,3]'::vector(3, 2)", code: '22023', message: 'invalid type modifier', position: 19 },
    { sql: "SELECT '[1,2,3]'::halfvec(3, 2)", code: '22023', message: 'invalid type modifier', position: 19 },
    { sql: 'CREATE TABLE too_wide (v vector(16001))', code: '22023', message: 'dimensions for type vector cannot exceed 16000', position: 26 },
  ]);
});

describe('NaN and infinity', () => {
  const cases: Case[] = [];
  for (const type of ['vector', 'halfvec']) {
    cases.push(
      { sql: `SELECT '[NaN,1]'::${type}`, code: '22000', message: `NaN not allowed in ${type}`, position: 8 },
      { sql: `SELECT '[Infinity,1]'::${type}`, code: '22000', message: `infinite value not allowed in ${type}`, position: 8 },
      { sql: `SELECT '[-Infinity,1]'::${type}`, code: '22000', message: `infinite value not allowed in ${type}`, position: 8 },
      { sql: `SELECT '{1,NaN}'::real[]::${type}`, code: '22000', message: `NaN not allowed in ${type}` },
      { sql: `SELECT '{Infinity}'::float8[]::${type}`, code: '22000', message: `infinite value not allowed in ${type}` },
      { sql: `SELECT $1::${type}`, params: ['[1,NaN]'], code: '22000', message: `NaN not allowed in ${type}` },
    );
  }
  cases.push(
    { sql: "SELECT '{1:NaN}/1'::sparsevec", code: '22000', message: 'NaN not allowed in sparsevec', position: 8 },
    { sql: "SELECT '{1:Infinity}/1'::sparsevec", code: '22000', message: 'infinite value not allowed in sparsevec', position: 8 },
    { sql: "SELECT '{1:-Infinity}/2'::sparsevec", code: '22000', message: 'infinite value not allowed in sparsevec', position: 8 },
    { sql: "SELECT '[4e38,1]'::vector", code: '22003', message: '"4e38" is out of range for type vector', position: 8 },
    { sql: "SELECT '[-4e38,1]'::vector", code: '22003', message: '"-4e38" is out of range for type vector', position: 8 },
    { sql: "SELECT '{1:4e38}/1'::sparsevec", code: '22003', message: '"4e38" is out of range for type sparsevec', position: 8 },
    { sql: "SELECT '{1:1e-46}/1'::sparsevec", code: '22003', message: '"1e-46" is out of range for type sparsevec', position: 8 },
    { sql: 'SELECT $1::vector', params: [vectorSend([1, Number.NaN])], code: '22000', message: 'NaN not allowed in vector' },
    { sql: 'SELECT $1::vector', params: [vectorSend([Number.POSITIVE_INFINITY])], code: '22000', message: 'infinite value not allowed in vector' },
    { sql: 'SELECT $1::halfvec', params: [halfvecSend([0x3c00, 0x7c00])], code: '22000', message: 'infinite value not allowed in halfvec' },
    { sql: 'SELECT $1::halfvec', params: [halfvecSend([0x7e00])], code: '22000', message: 'NaN not allowed in halfvec' },
    { sql: 'SELECT $1::sparsevec', params: [sparsevecSend(3, [1], [Number.NaN])], code: '22000', message: 'NaN not allowed in sparsevec' },
    { sql: "SELECT '[3e38]'::vector + '[3e38]'", code: '22003', message: 'value out of range: overflow' },
    { sql: "SELECT '[-3e38]'::vector - '[3e38]'", code: '22003', message: 'value out of range: overflow' },
    { sql: "SELECT '[1e37]'::vector * '[1e37]'", code: '22003', message: 'value out of range: overflow' },
    { sql: "SELECT '[1e-37]'::vector * '[1e-37]'", code: '22003', message: 'value out of range: underflow' },
    { sql: "SELECT sum(v) FROM unnest(ARRAY['[3e38]'::vector, '[3e38]']) v", code: '22003', message: 'value out of range: overflow' },
  );
  runCases(cases);
});

describe('too many dimensions', () => {
  runCases([
    { sql: `SELECT '${ones(16001)}'::vector`, code: '54000', message: 'vector cannot have more than 16000 dimensions', position: 8 },
    { sql: `SELECT '${ones(16001)}'::halfvec`, code: '54000', message: 'halfvec cannot have more than 16000 dimensions', position: 8 },
    { sql: 'SELECT $1::vector', params: [ones(16001)], code: '54000', message: 'vector cannot have more than 16000 dimensions' },
    { sql: "SELECT (('[' || repeat('1,', 16000)) || '1]')::vector", code: '54000', message: 'vector cannot have more than 16000 dimensions' },
    { sql: 'SELECT array_agg(n)::vector FROM generate_series(1, 16001) n', code: '54000', message: 'vector cannot have more than 16000 dimensions' },
    { sql: 'SELECT array_agg(n::real)::halfvec FROM generate_series(1, 16001) n', code: '54000', message: 'halfvec cannot have more than 16000 dimensions' },
    { sql: `SELECT '[1,2]'::vector || '${ones(15999)}'::vector`, code: '54000', message: 'vector cannot have more than 16000 dimensions' },
    { sql: `SELECT '[1,2]'::halfvec || '${ones(15999)}'::halfvec`, code: '54000', message: 'halfvec cannot have more than 16000 dimensions' },
    { sql: 'SELECT $1::vector', params: [vectorSend([1], 16001)], code: '54000', message: 'vector cannot have more than 16000 dimensions' },
    { sql: "SELECT '{}/1000000001'::sparsevec", code: '54000', message: 'sparsevec cannot have more than 1000000000 dimensions', position: 8 },
    { sql: `SELECT ('{' || repeat('1:1,', 16001) || '1:1}/1')::sparsevec`, code: '54000', message: 'sparsevec cannot have more than 16000 non-zero elements' },
  ]);
});

describe('malformed literals', () => {
  const cases: Case[] = [];
  for (const type of ['vector', 'halfvec']) {
    const syntax = (lit: string, detail?: string): Case => ({
      sql: `SELECT '${lit}'::${type}`, code: '22P02', message: `invalid input syntax for type ${type}: "${lit}"`, position: 8,
      ...(detail !== undefined ? { detail } : {}),
    });
    cases.push(
      syntax('[hello,1]'),
      syntax('[1,2,3'),
      syntax('[1,2,3]9', 'Junk after closing right brace.'),
      syntax('1,2,3', 'Vector contents must start with "[".'),
      syntax('', 'Vector contents must start with "[".'),
      syntax('['),
      syntax('[1,]'),
      syntax('[1a]'),
      syntax('[1,,3]'),
      syntax('[1, ,3]'),
      { sql: `SELECT '[]'::${type}`, code: '22000', message: `${type} must have at least 1 dimension`, position: 8 },
      { sql: `SELECT '[ ]'::${type}`, code: '22000', message: `${type} must have at least 1 dimension`, position: 8 },
    );
  }
  const sparse = (lit: string, detail?: string): Case => ({
    sql: `SELECT '${lit}'::sparsevec`, code: '22P02', message: `invalid input syntax for type sparsevec: "${lit}"`, position: 8,
    ...(detail !== undefined ? { detail } : {}),
  });
  cases.push(
    sparse('', 'Vector contents must start with "{".'),
    sparse('1:1}/1', 'Vector contents must start with "{".'),
    sparse('{'),
    sparse('{}', 'Unexpected end of input.'),
    sparse('{}/'),
    sparse('{}/1a', 'Junk after closing.'),
    sparse('{1,}/1'),
    sparse('{:1}/1'),
    sparse('{1:}/1'),
    sparse('{1a:1}/1'),
    sparse('{1:1a}/1'),
    sparse('{1:1,}/1'),
    { sql: "SELECT '{}/0'::sparsevec", code: '22000', message: 'sparsevec must have at least 1 dimension', position: 8 },
    { sql: "SELECT '{}/-1'::sparsevec", code: '22000', message: 'sparsevec must have at least 1 dimension', position: 8 },
    { sql: "INSERT INTO typed (v) VALUES ('[1,2,x]')", code: '22P02', message: 'invalid input syntax for type vector: "[1,2,x]"', position: 31 },
    { sql: 'SELECT $1::vector', params: ['(1,2,3)'], code: '22P02', message: 'invalid input syntax for type vector: "(1,2,3)"', detail: 'Vector contents must start with "[".' },
  );
  runCases(cases);
});

describe('sparsevec indices', () => {
  runCases([
    { sql: "SELECT '{0:1}/1'::sparsevec", code: '22000', message: 'sparsevec index out of bounds', position: 8 },
    { sql: "SELECT '{2:1}/1'::sparsevec", code: '22000', message: 'sparsevec index out of bounds', position: 8 },
    { sql: "SELECT '{-1:1}/3'::sparsevec", code: '22000', message: 'sparsevec index out of bounds', position: 8 },
    { sql: "SELECT '{2147483648:1}/1'::sparsevec", code: '22000', message: 'sparsevec index out of bounds', position: 8 },
    { sql: "SELECT '{1:1,1:1}/2'::sparsevec", code: '22000', message: 'sparsevec indices must not contain duplicates', position: 8 },
    { sql: "SELECT '{2:1,1:2,2:3}/2'::sparsevec", code: '22000', message: 'sparsevec indices must not contain duplicates', position: 8 },
    { sql: "INSERT INTO typed (s) VALUES ('{6:1}/5')", code: '22000', message: 'sparsevec index out of bounds', position: 31 },
    { sql: 'SELECT $1::sparsevec', params: [sparsevecSend(3, [2, 1], [1, 2])], code: '22000', message: 'sparsevec indices must be in ascending order' },
    { sql: 'SELECT $1::sparsevec', params: [sparsevecSend(3, [1, 1], [1, 2])], code: '22000', message: 'sparsevec indices must not contain duplicates' },
    { sql: 'SELECT $1::sparsevec', params: [sparsevecSend(3, [3], [1])], code: '22000', message: 'sparsevec index out of bounds' },
    { sql: 'SELECT $1::sparsevec', params: [sparsevecSend(3, [-1], [1])], code: '22000', message: 'sparsevec index out of bounds' },
    { sql: 'SELECT $1::sparsevec', params: [sparsevecSend(3, [0], [0])], code: '22000', message: 'binary representation of sparsevec cannot contain zero values' },
    { sql: 'SELECT $1::sparsevec', params: [sparsevecSend(2, [0, 1, 1], [1, 2, 3])], code: '54000', message: 'sparsevec cannot have more elements than dimensions' },
    { sql: 'SELECT $1::sparsevec', params: [sparsevecSend(0, [], [])], code: '22000', message: 'sparsevec must have at least 1 dimension' },
    { sql: 'SELECT $1::sparsevec', params: [sparsevecSend(3, [0], [1], 7)], code: '22000', message: 'expected unused to be 0, not 7' },
  ]);
});

describe('halfvec overflow', () => {
  runCases([
    { sql: "SELECT '[65520,-65520]'::halfvec", code: '22003', message: '"65520" is out of range for type halfvec', position: 8 },
    { sql: "SELECT '[1,-65520]'::halfvec", code: '22003', message: '"-65520" is out of range for type halfvec', position: 8 },
    { sql: "SELECT '[4e38,1]'::halfvec", code: '22003', message: '"4e38" is out of range for type halfvec', position: 8 },
    { sql: "SELECT '{65520}'::real[]::halfvec", code: '22003', message: '"65520" is out of range for type halfvec' },
    { sql: "SELECT '[65520]'::vector::halfvec", code: '22003', message: '"65520" is out of range for type halfvec' },
    { sql: "SELECT '{1:65520}/1'::sparsevec::halfvec", code: '22003', message: '"65520" is out of range for type halfvec' },
    { sql: "SELECT '[65504]'::halfvec + '[65504]'", code: '22003', message: 'value out of range: overflow' },
    { sql: "SELECT '[-65504]'::halfvec - '[65504]'", code: '22003', message: 'value out of range: overflow' },
    { sql: "SELECT '[300]'::halfvec * '[300]'", code: '22003', message: 'value out of range: overflow' },
    { sql: "INSERT INTO typed (h) VALUES ('[1,2,70000]')", code: '22003', message: '"70000" is out of range for type halfvec', position: 31 },
  ]);
});

describe('bit length mismatch', () => {
  runCases([
    { sql: "SELECT hamming_distance(B'111', B'00')", code: '22000', message: 'different bit lengths 3 and 2' },
    { sql: "SELECT jaccard_distance(B'1111', B'000')", code: '22000', message: 'different bit lengths 4 and 3' },
    { sql: "SELECT B'101' <~> B'11'", code: '22000', message: 'different bit lengths 3 and 2' },
    { sql: "SELECT B'101' <%> B'11'", code: '22000', message: 'different bit lengths 3 and 2' },
    { sql: "SELECT hamming_distance(B'1'::varbit, B'11')", code: '22000', message: 'different bit lengths 1 and 2' },
    { sql: "SELECT binary_quantize('[1,-1,2]'::vector) <~> B'10'", code: '22000', message: 'different bit lengths 3 and 2' },
    { sql: "INSERT INTO typed (b) VALUES (B'101')", code: '22026', message: 'bit string length 3 does not match type bit(4)' },
    { sql: "INSERT INTO typed (vb) VALUES (B'1010')", code: '22001', message: 'bit string too long for type bit varying(3)' },
    { sql: "SELECT B'101' & B'11'", code: '22026', message: 'cannot AND bit strings of different sizes' },
    { sql: "SELECT '102'::bit(3)", code: '22P02', message: '"2" is not a valid binary digit', position: 8 },
  ]);
});

describe('bad binary parameters', () => {
  runCases([
    { sql: 'INSERT INTO typed (v) VALUES ($1)', params: [vectorSend([1, 2])], code: '22000', message: 'expected 3 dimensions, not 2' },
    { sql: 'SELECT $1::vector', params: [vectorSend([1, 2], 2, 1)], code: '22000', message: 'expected unused to be 0, not 1' },
    { sql: 'SELECT $1::vector', params: [vectorSend([], 0)], code: '22000', message: 'vector must have at least 1 dimension' },
    { sql: 'INSERT INTO typed (h) VALUES ($1)', params: [halfvecSend([0x3c00])], code: '22000', message: 'expected 3 dimensions, not 1' },
    { sql: 'INSERT INTO typed (s) VALUES ($1)', params: [sparsevecSend(4, [0], [1])], code: '22000', message: 'expected 5 dimensions, not 4' },
  ]);
});

describe('after errors', () => {
  it('a failed multi-row INSERT leaves no rows behind', async () => {
    await expectError("INSERT INTO keep VALUES (3, '[7,8,9]'), (4, '[1,2]')", undefined, { code: '22000', message: 'expected 3 dimensions, not 2' });
    expect((await c.query('SELECT count(*) AS n FROM keep')).rows).toEqual([{ n: '2' }]);
  });

  it('an error inside a transaction aborts it until ROLLBACK; the other session never sees its rows', async () => {
    await c.query('BEGIN');
    await c.query("INSERT INTO keep VALUES (5, '[0,0,1]')");
    await expect(c.query("SELECT '[1,2]'::vector <-> '[1]'")).rejects.toMatchObject({ code: '22000', message: 'different vector dimensions 2 and 1' });
    await expect(c.query('SELECT 1')).rejects.toMatchObject({
      code: '25P02', message: 'current transaction is aborted, commands ignored until end of transaction block',
    });
    expect((await other.query('SELECT count(*) AS n FROM keep')).rows).toEqual([{ n: '2' }]);
    await c.query('ROLLBACK');
    expect((await c.query('SELECT id, v FROM keep ORDER BY id')).rows).toEqual([{ id: '1', v: '[1,2,3]' }, { id: '2', v: '[4,5,6]' }]);
  });

  it('a savepoint recovers from a vector error inside a transaction', async () => {
    await c.query('BEGIN');
    await c.query('SAVEPOINT s');
    await expect(c.query("SELECT '[NaN]'::vector")).rejects.toMatchObject({ code: '22000', message: 'NaN not allowed in vector' });
    await c.query('ROLLBACK TO SAVEPOINT s');
    expect((await c.query("SELECT '[1,1]'::vector <#> '[2,3]' AS ip")).rows).toEqual([{ ip: '-5' }]);
    await c.query('COMMIT');
  });

  it('both sessions run vector queries after a burst of errors on both', async () => {
    const bad = ["SELECT '[1,2]'::vector <-> '[1]'", "SELECT '[NaN]'::halfvec", "SELECT '{0:1}/1'::sparsevec", "SELECT B'1' <~> B'11'"];
    const burst = async (client: pg.Client): Promise<string[]> => {
      const codes: string[] = [];
      for (const q of bad) await client.query(q).catch((e: { code: string }) => { codes.push(e.code); });
      return codes;
    };
    const codes = await Promise.all([burst(c), burst(other)]);
    expect(codes).toEqual([['22000', '22000', '22000', '22000'], ['22000', '22000', '22000', '22000']]);
    const [a, b] = await Promise.all([
      c.query("SELECT id FROM keep ORDER BY v <-> '[4,5,7]' LIMIT 1"),
      other.query("SELECT id FROM keep ORDER BY v <-> '[1,2,2]' LIMIT 1"),
    ]);
    expect(a.rows).toEqual([{ id: '2' }]);
    expect(b.rows).toEqual([{ id: '1' }]);
  });
});
