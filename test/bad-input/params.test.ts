// Bad parameters and bad bytes through the server, compared with PostgreSQL 15: values of the wrong
// type or out of range bound to typed parameters (through `pg`), wrong parameter counts, NUL
// characters, invalid UTF-8 in Query, Parse and Bind messages and malformed binary parameters (raw
// protocol messages). After each one the same connection and a new one keep working.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RawClient, bind, cstr, dataRowValues, errorFields, execute, int16, int32, msg, parse, sync, type BackendMessage,
} from '../wire/raw-client.js';
import { Pair, type Target } from './harness.js';

let pair: Pair;

beforeAll(async () => {
  pair = await Pair.start();
  for (const t of ['postgres', 'quiver'] as const) {
    await pair.client(t).query('CREATE TABLE typed (i2 int2, i4 int PRIMARY KEY, i8 int8, n numeric(5,2), v varchar(3), d date, b bool, j jsonb)');
  }
}, 120_000);

afterAll(async () => {
  await pair?.stop();
});

describe('parameters of the wrong type or out of range', () => {
  const cases: Array<[string, unknown[]]> = [
    ['SELECT $1::int AS a', ['abc']],
    ['SELECT $1::int AS a', ['1.5']],
    ['SELECT $1::int AS a', ['']],
    ['SELECT $1::int AS a', [' 42 ']],
    ['SELECT $1::int AS a', ['99999999999']],
    ['SELECT $1::int2 AS a', [40000]],
    ['SELECT $1::int8 AS a', ['9223372036854775808']],
    ['SELECT $1::numeric(3,1) AS a', ['123.45']],
    ['SELECT $1::float8 AS a', ['1e999']],
    ['SELECT $1::float8 AS a, $2::float8 AS b, $3::numeric AS c', ['NaN', '-Infinity', 'Infinity']],
    ['SELECT $1::date AS a', ['2024-02-30']],
    ['SELECT $1::timestamptz AS a', ['not a time']],
    ['SELECT $1::bool AS a', ['maybe']],
    ['SELECT $1::jsonb AS a', ['{bad']],
    ['SELECT $1::uuid AS a', ['nope']],
    ['SELECT $1::int[] AS a', ['{1,x}']],
    ['SELECT $1::varchar(3) AS a', ['abcdef']],
    ['SELECT $1::text AS a', ['a\u0000b']],
    ['INSERT INTO typed (i4, i2) VALUES (1, $1)', [70000]],
    ['INSERT INTO typed (i4, i2) VALUES (1, $1)', ['x']],
    ['INSERT INTO typed (i4) VALUES ($1)', ['1e3']],
    ['INSERT INTO typed (i4, v) VALUES (1, $1)', ['abcdef']],
    ['INSERT INTO typed (i4, n) VALUES (1, $1)', ['1000']],
    ['INSERT INTO typed (i4, d) VALUES (1, $1)', ['2024-13-01']],
    ['INSERT INTO typed (i4, b) VALUES (1, $1)', ['yes please']],
    ['INSERT INTO typed (i4, j) VALUES (1, $1)', ['{"a":']],
    ['INSERT INTO typed (i4, i8) VALUES ($1, $2)', [1, 'NaN']],
    ['UPDATE typed SET i2 = $1 WHERE i4 = $2', ['1', 'two']],
    ['SELECT * FROM typed WHERE i4 = $1', ['1; DROP TABLE typed']],
    ['SELECT $1::int + $2::int AS a', [1]],
    ['SELECT $1::int AS a', [1, 2]],
  ];
  for (const [sql, params] of cases) {
    it(`${sql} with ${JSON.stringify(params)}`, async () => {
      const { postgres, quiver } = await pair.both(sql, params);
      expect(quiver).toEqual(postgres);
      await pair.expectHealthy(sql);
    });
  }

  it('left the typed table empty on both servers', async () => {
    const { postgres, quiver } = await pair.both('SELECT count(*) FROM typed');
    expect(postgres).toEqual({ command: 'SELECT', rows: [['0']] });
    expect(quiver).toEqual(postgres);
  });
});

/** What a raw exchange answered: message types, with error code + message and data rows spelled out. */
function summary(ms: BackendMessage[]): string[] {
  return ms.map((m) => {
    if (m.type === 'E') { const f = errorFields(m.body); return `E ${f['C'] ?? ''} ${f['M'] ?? ''}${f['P'] !== undefined ? ` @${f['P']}` : ''}`; }
    if (m.type === 'D') return `D ${JSON.stringify(dataRowValues(m.body))}`;
    if (m.type === 'Z') return `Z ${String.fromCharCode(m.body[0] ?? 0)}`;
    return m.type;
  });
}

const bytes = (...parts: Array<string | number[]>): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));
const rawQuery = (sql: Buffer): Buffer => msg('Q', sql, Buffer.from([0]));
const rawParse = (sql: Buffer): Buffer => msg('P', cstr(''), sql, Buffer.from([0]), int16(0));
/** Bind with explicit per-parameter format codes and raw parameter bytes. */
const rawBind = (values: Array<Buffer | null>, formats: number[]): Buffer =>
  msg('B', cstr(''), cstr(''), int16(formats.length), ...formats.map(int16), int16(values.length),
    ...values.map((v) => (v === null ? int32(-1) : Buffer.concat([int32(v.length), v]))), int16(0));

describe('bad bytes and malformed parameters in protocol messages', () => {
  const exchanges: Array<[string, Buffer[]]> = [
    ['invalid UTF-8 (0xff) in a simple query', [rawQuery(bytes("SELECT '", [0xff, 0xfe], "' AS x"))]],
    ['a broken two-byte sequence in a simple query', [rawQuery(bytes("SELECT '", [0xc3, 0x28], "' AS x"))]],
    ['an encoded surrogate inside a comment', [rawQuery(bytes('SELECT 1 AS x -- ', [0xed, 0xa0, 0x80]))]],
    ['a code point above U+10FFFF', [rawQuery(bytes("SELECT '", [0xf4, 0x90, 0x80, 0x80], "' AS x"))]],
    ['an overlong NUL', [rawQuery(bytes("SELECT '", [0xc0, 0x80], "' AS x"))]],
    ['a sequence truncated at the end of the query', [rawQuery(bytes("SELECT '", [0xe2, 0x82]))]],
    ['invalid UTF-8 in a Parse message', [rawParse(bytes("SELECT '", [0xff], "' AS x")), sync()]],
    ['invalid UTF-8 in a text parameter', [parse('', 'SELECT $1::text AS x'), rawBind([bytes('a', [0xff], 'b')], [0]), execute(''), sync()]],
    ['invalid UTF-8 in a binary text parameter', [parse('', 'SELECT $1::text AS x'), rawBind([bytes('a', [0xff])], [1]), execute(''), sync()]],
    ['a NUL in a text parameter', [parse('', 'SELECT $1::text AS x'), rawBind([bytes('a', [0], 'b')], [0]), execute(''), sync()]],
    ['a 3-byte binary int4 parameter', [parse('', 'SELECT $1::int4 AS x'), rawBind([bytes([0, 0, 1])], [1]), execute(''), sync()]],
    ['a 5-byte binary int4 parameter', [parse('', 'SELECT $1::int4 AS x'), rawBind([bytes([0, 0, 0, 0, 1])], [1]), execute(''), sync()]],
    ['a 4-byte binary int8 parameter', [parse('', 'SELECT $1::int8 AS x'), rawBind([bytes([0, 0, 0, 1])], [1]), execute(''), sync()]],
    ['parameter format code 2', [parse('', 'SELECT $1::int4 AS x'), rawBind([bytes([0, 0, 0, 1])], [2]), execute(''), sync()]],
    ['too few parameters', [parse('', 'SELECT $1::int AS x'), bind('', '', []), execute(''), sync()]],
    ['too many parameters', [parse('', 'SELECT 1 AS x'), bind('', '', ['1']), execute(''), sync()]],
    ['parameter $0', [parse('', 'SELECT $0 AS x'), sync()]],
  ];
  const connections = new Map<Target, RawClient>();

  beforeAll(async () => {
    for (const t of ['postgres', 'quiver'] as const) {
      const c = await RawClient.open(pair.port(t));
      await c.startup({ user: 'postgres', database: 'postgres' });
      connections.set(t, c);
    }
  });

  afterAll(() => {
    for (const c of connections.values()) c.close();
  });

  for (const [name, messages] of exchanges) {
    it(name, async () => {
      const answers = new Map<Target, string[]>();
      for (const t of ['postgres', 'quiver'] as const) {
        const c = connections.get(t)!;
        c.send(...messages);
        const got = summary(await c.until('Z'));
        // the same connection answers the next query
        c.send(rawQuery(Buffer.from("SELECT 'still here' AS x")));
        got.push(...summary(await c.until('Z')));
        answers.set(t, got);
      }
      expect(answers.get('postgres')!.some((m) => m.startsWith('E '))).toBe(true);
      expect(answers.get('quiver')).toEqual(answers.get('postgres'));
      await pair.expectHealthy(name);
    });
  }
});
