// jsonb operators, generated: fast-check builds JSON documents (nested objects and arrays, strings,
// numbers with fractions and exponents, booleans, nulls) and runs access (-> ->> #> #>>),
// containment and existence (@> <@ ? ?| ?&), concatenation and deletion (|| - #-), jsonb_set,
// ordering and equality on pairs of them, on PostgreSQL 15 and on QuiverDB: the answers (or the
// SQLSTATEs) must be the same.
import fc from 'fast-check';
import type pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { assertSameAnswers } from '../helpers/generated-differential.js';
import { useServerPair } from '../helpers/server-pair.js';
import { connect } from '../helpers/quiver-server.js';

const pair = useServerPair();
let pgClient: pg.Client;
let quiver: pg.Client;

beforeAll(async () => {
  pgClient = await connect(pair.port('postgres'));
  quiver = await connect(pair.port('quiver'));
}, 60_000);

afterAll(async () => {
  await pgClient?.end();
  await quiver?.end();
});

const key = fc.constantFrom('a', 'b', 'c', 'ab', 'é', '', 'a b');
const scalar = fc.oneof(
  fc.constantFrom('null', 'true', 'false', '0', '1', '-2.50', '1e2', '3.0', '"a"', '"b"', '""', '"x\\"y"'),
  fc.integer({ min: -100, max: 100 }).map(String),
);
const json: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(', ')}]`),
    fc.array(fc.tuple(key, tie('value')), { maxLength: 4 }).map((kv) => `{${kv.map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(', ')}}`),
  ),
})).value;

const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const pathLit = (p: string[]): string => lit(`{${p.map((x) => `"${x.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`);
const step = fc.oneof(key, fc.integer({ min: -3, max: 3 }).map(String));

const expression = fc.oneof(
  fc.tuple(json, key).map(([a, k]) => `${lit(a)}::jsonb -> ${lit(k)}, ${lit(a)}::jsonb ->> ${lit(k)}, ${lit(a)}::jsonb ? ${lit(k)}`),
  fc.tuple(json, fc.integer({ min: -3, max: 3 })).map(([a, i]) => `${lit(a)}::jsonb -> ${i}, ${lit(a)}::jsonb ->> ${i}`),
  fc.tuple(json, fc.array(step, { maxLength: 3 })).map(([a, p]) => `${lit(a)}::jsonb #> ${pathLit(p)}, ${lit(a)}::jsonb #>> ${pathLit(p)}`),
  fc.tuple(json, json).map(([a, b]) => `${lit(a)}::jsonb @> ${lit(b)}::jsonb, ${lit(a)}::jsonb <@ ${lit(b)}::jsonb, ${lit(a)}::jsonb = ${lit(b)}::jsonb`),
  fc.tuple(json, json).map(([a, b]) => `${lit(a)}::jsonb || ${lit(b)}::jsonb, ${lit(a)}::jsonb < ${lit(b)}::jsonb, ${lit(a)}::jsonb >= ${lit(b)}::jsonb`),
  fc.tuple(json, fc.array(key, { maxLength: 3 })).map(([a, ks]) => `${lit(a)}::jsonb ?| ${pathLit(ks)}, ${lit(a)}::jsonb ?& ${pathLit(ks)}, ${lit(a)}::jsonb - ${pathLit(ks)}`),
  fc.tuple(json, key).map(([a, k]) => `${lit(a)}::jsonb - ${lit(k)}`),
  fc.tuple(json, fc.integer({ min: -3, max: 3 })).map(([a, i]) => `${lit(a)}::jsonb - ${i}`),
  fc.tuple(json, fc.array(step, { minLength: 1, maxLength: 3 })).map(([a, p]) => `${lit(a)}::jsonb #- ${pathLit(p)}`),
  fc.tuple(json, fc.array(step, { minLength: 1, maxLength: 3 }), json, fc.boolean())
    .map(([a, p, v, create]) => `jsonb_set(${lit(a)}, ${pathLit(p)}, ${lit(v)}, ${create})`),
  json.map((a) => `jsonb_typeof(${lit(a)}), jsonb_strip_nulls(${lit(a)}), ${lit(a)}::jsonb::text, ${lit(a)}::json -> 0, ${lit(a)}::json ->> 'a'`),
);

describe('jsonb operators, generated, against PostgreSQL', () => {
  it('every generated jsonb expression answers as PostgreSQL does', async () => {
    await assertSameAnswers(expression.map((expr) => `SELECT ${expr}`), pgClient, quiver, 400);
  }, 300_000);
});
