// resolveTypeName (libpg-query TypeName parts → OID + typmod) and formatType against
// PostgreSQL 15's format_type output (recorded from a live server), and typeInfo descriptors.
import { describe, expect, it } from 'vitest';
import { OID, resolveTypeName, formatType, typeInfo, arrayTypeOf, elementTypeOf, numericTypmod } from './index.js';

describe('resolveTypeName', () => {
  const cases: [string[], number[], number, number, number][] = [
    [['pg_catalog', 'int4'], [], 0, OID.int4, -1],
    [['integer'], [], 0, OID.int4, -1],
    [['int'], [], 0, OID.int4, -1],
    [['smallint'], [], 0, OID.int2, -1],
    [['bigint'], [], 0, OID.int8, -1],
    [['real'], [], 0, OID.float4, -1],
    [['float'], [], 0, OID.float8, -1],
    [['float'], [10], 0, OID.float4, -1],
    [['float'], [30], 0, OID.float8, -1],
    [['double precision'], [], 0, OID.float8, -1],
    [['pg_catalog', 'numeric'], [10, 2], 0, OID.numeric, (10 << 16 | 2) + 4],
    [['decimal'], [5], 0, OID.numeric, (5 << 16) + 4],
    [['pg_catalog', 'varchar'], [10], 0, OID.varchar, 14],
    [['character varying'], [], 0, OID.varchar, -1],
    [['pg_catalog', 'bpchar'], [3], 0, OID.bpchar, 7],
    [['character'], [3], 0, OID.bpchar, 7],
    [['char'], [], 0, OID.char, -1],
    [['bool'], [], 0, OID.bool, -1],
    [['boolean'], [], 0, OID.bool, -1],
    [['pg_catalog', 'timestamptz'], [], 0, OID.timestamptz, -1],
    [['pg_catalog', 'timestamp'], [3], 0, OID.timestamp, 3],
    [['pg_catalog', 'timestamp'], [9], 0, OID.timestamp, 6],
    [['text'], [], 1, OID._text, -1],
    [['pg_catalog', 'varchar'], [5], 2, OID._varchar, 9],
    [['pg_catalog', 'int4'], [], 1, OID._int4, -1],
    [['jsonb'], [], 0, OID.jsonb, -1],
    [['uuid'], [], 1, OID._uuid, -1],
  ];
  for (const [names, mods, bounds, oid, typmod] of cases) {
    it(`${names.join('.')}(${mods.join(',')})${'[]'.repeat(bounds)}`, () => {
      expect(resolveTypeName(names, mods, bounds)).toEqual({ oid, typmod });
    });
  }
  it('unknown types are 42704', () => {
    expect(() => resolveTypeName(['foo'], [], 0)).toThrow(expect.objectContaining({ code: '42704', message: 'type "foo" does not exist' }));
    expect(() => resolveTypeName(['serial'], [], 0)).toThrow(expect.objectContaining({ code: '42704', message: 'type "serial" does not exist' }));
    expect(() => resolveTypeName(['myschema', 'int4'], [], 0)).toThrow(expect.objectContaining({ code: '42704', message: 'type "myschema.int4" does not exist' }));
  });
  it('typmod checks', () => {
    expect(() => resolveTypeName(['pg_catalog', 'varchar'], [0], 0)).toThrow(expect.objectContaining({ code: '22023', message: 'length for type varchar must be at least 1' }));
    expect(() => resolveTypeName(['pg_catalog', 'numeric'], [1001], 0)).toThrow(expect.objectContaining({ code: '22023', message: 'NUMERIC precision 1001 must be between 1 and 1000' }));
    expect(() => resolveTypeName(['float'], [54], 0)).toThrow(expect.objectContaining({ code: '22023', message: 'precision for type float must be less than 54 bits' }));
  });
});

describe('formatType matches format_type()', () => {
  const cases: [number, number | null, string][] = [
    [OID.int4, null, 'integer'], [OID.int8, -1, 'bigint'], [OID.float8, null, 'double precision'], [OID.bool, null, 'boolean'],
    [OID.bpchar, -1, 'bpchar'], [OID.bpchar, null, 'character'], [OID.bpchar, 5, 'character(1)'], [OID._bpchar, -1, 'bpchar[]'],
    [OID.varchar, 14, 'character varying(10)'], [OID._varchar, 14, 'character varying(10)[]'], [OID.varchar, 0, 'character varying'],
    [OID.numeric, numericTypmod(10, 2), 'numeric(10,2)'], [OID.numeric, -1, 'numeric'], [OID.numeric, numericTypmod(5, -2), 'numeric(5,-2)'], [OID.numeric, 3, 'numeric'],
    [OID.timestamp, 3, 'timestamp(3) without time zone'], [OID.timestamptz, 0, 'timestamp(0) with time zone'], [OID.time, 2, 'time(2) without time zone'],
    [OID.timestamp, null, 'timestamp without time zone'],
    [OID.interval, (2 << 16) | 65535, 'interval month'], [OID.interval, (4 << 16) | 65535, 'interval year'], [OID.interval, (32767 << 16) | 65535, 'interval'],
    [OID.interval, (32767 << 16) | 3, 'interval(3)'], [OID.interval, (4096 << 16) | 3, 'interval second(3)'],
    [99999, -1, '???'], [OID.char, -1, '"char"'], [OID.any, -1, '"any"'], [OID._bool, -1, 'boolean[]'], [OID._text, null, 'text[]'],
  ];
  for (const [oid, typmod, expected] of cases) it(`${oid}/${typmod}`, () => expect(formatType(oid, typmod)).toBe(expected));
});

describe('typeInfo', () => {
  it('describes types as pg_type does', () => {
    expect(typeInfo(OID.int4)).toMatchObject({ name: 'int4', sqlName: 'integer', len: 4, byval: true, category: 'N', preferred: false, elemOid: 0, arrayOid: 1007, namespace: 'pg_catalog', typdelim: ',' });
    expect(typeInfo(OID.text)).toMatchObject({ len: -1, category: 'S', preferred: true });
    expect(typeInfo(OID.float8)?.preferred).toBe(true);
    expect(typeInfo(OID._int4)).toMatchObject({ name: '_int4', category: 'A', elemOid: OID.int4, arrayOid: 0 });
    expect(typeInfo(OID.unknown)).toMatchObject({ len: -2, category: 'X' });
    expect(typeInfo(OID.name)).toMatchObject({ len: 64, elemOid: OID.char });
    expect(arrayTypeOf(OID.jsonb)).toBe(OID._jsonb);
    expect(elementTypeOf(OID._timestamptz)).toBe(OID.timestamptz);
    expect(elementTypeOf(OID.name)).toBe(0);
    expect(arrayTypeOf(OID.anyelement)).toBe(0);
  });
});
