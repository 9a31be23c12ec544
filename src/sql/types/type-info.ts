// Built-in type descriptors as PostgreSQL 15 pg_type holds them (generated from a live server and
// kept here as data): typname, typlen, typbyval, typcategory, typispreferred, typelem, typarray,
// typdelim. Everything else about a type (I/O, casts, comparison) lives in the other files.

/** One built-in type as pg_type describes it. */
export interface TypeInfo {
  readonly oid: number;
  /** pg_type.typname */
  readonly name: string;
  /** format_type(oid, NULL) */
  readonly sqlName: string;
  /** typlen: -1 varlena, -2 cstring */
  readonly len: number;
  readonly byval: boolean;
  /** typcategory letter */
  readonly category: string;
  readonly preferred: boolean;
  /** typelem (0 if none) */
  readonly elemOid: number;
  /** typarray (0 if none) */
  readonly arrayOid: number;
  /** Schema of the type: pg_catalog for built-ins, public for pgvector's types (as CREATE EXTENSION puts them). */
  readonly namespace: 'pg_catalog' | 'public';
  readonly typdelim: string;
}

// oid, typname, format_type, typlen, typbyval, typcategory, typispreferred, typelem, typarray
type Row = readonly [number, string, string, number, boolean, string, boolean, number, number];
const ROWS: readonly Row[] = [
  [16, 'bool', 'boolean', 1, true, 'B', true, 0, 1000],
  [17, 'bytea', 'bytea', -1, false, 'U', false, 0, 1001],
  [18, 'char', '"char"', 1, true, 'Z', false, 0, 1002],
  [19, 'name', 'name', 64, false, 'S', false, 18, 1003],
  [20, 'int8', 'bigint', 8, true, 'N', false, 0, 1016],
  [21, 'int2', 'smallint', 2, true, 'N', false, 0, 1005],
  [22, 'int2vector', 'int2vector', -1, false, 'A', false, 21, 1006],
  [23, 'int4', 'integer', 4, true, 'N', false, 0, 1007],
  [24, 'regproc', 'regproc', 4, true, 'N', false, 0, 1008],
  [25, 'text', 'text', -1, false, 'S', true, 0, 1009],
  [26, 'oid', 'oid', 4, true, 'N', true, 0, 1028],
  [30, 'oidvector', 'oidvector', -1, false, 'A', false, 26, 1013],
  [114, 'json', 'json', -1, false, 'U', false, 0, 199],
  [199, '_json', 'json[]', -1, false, 'A', false, 114, 0],
  [700, 'float4', 'real', 4, true, 'N', false, 0, 1021],
  [701, 'float8', 'double precision', 8, true, 'N', true, 0, 1022],
  [705, 'unknown', 'unknown', -2, false, 'X', false, 0, 0],
  [1000, '_bool', 'boolean[]', -1, false, 'A', false, 16, 0],
  [1001, '_bytea', 'bytea[]', -1, false, 'A', false, 17, 0],
  [1002, '_char', '"char"[]', -1, false, 'A', false, 18, 0],
  [1003, '_name', 'name[]', -1, false, 'A', false, 19, 0],
  [1005, '_int2', 'smallint[]', -1, false, 'A', false, 21, 0],
  [1006, '_int2vector', 'int2vector[]', -1, false, 'A', false, 22, 0],
  [1007, '_int4', 'integer[]', -1, false, 'A', false, 23, 0],
  [1008, '_regproc', 'regproc[]', -1, false, 'A', false, 24, 0],
  [1009, '_text', 'text[]', -1, false, 'A', false, 25, 0],
  [1013, '_oidvector', 'oidvector[]', -1, false, 'A', false, 30, 0],
  [1014, '_bpchar', 'character[]', -1, false, 'A', false, 1042, 0],
  [1015, '_varchar', 'character varying[]', -1, false, 'A', false, 1043, 0],
  [1016, '_int8', 'bigint[]', -1, false, 'A', false, 20, 0],
  [1021, '_float4', 'real[]', -1, false, 'A', false, 700, 0],
  [1022, '_float8', 'double precision[]', -1, false, 'A', false, 701, 0],
  [1028, '_oid', 'oid[]', -1, false, 'A', false, 26, 0],
  [1042, 'bpchar', 'character', -1, false, 'S', false, 0, 1014],
  [1043, 'varchar', 'character varying', -1, false, 'S', false, 0, 1015],
  [1082, 'date', 'date', 4, true, 'D', false, 0, 1182],
  [1083, 'time', 'time without time zone', 8, true, 'D', false, 0, 1183],
  [1114, 'timestamp', 'timestamp without time zone', 8, true, 'D', false, 0, 1115],
  [1115, '_timestamp', 'timestamp without time zone[]', -1, false, 'A', false, 1114, 0],
  [1182, '_date', 'date[]', -1, false, 'A', false, 1082, 0],
  [1183, '_time', 'time without time zone[]', -1, false, 'A', false, 1083, 0],
  [1184, 'timestamptz', 'timestamp with time zone', 8, true, 'D', true, 0, 1185],
  [1185, '_timestamptz', 'timestamp with time zone[]', -1, false, 'A', false, 1184, 0],
  [1186, 'interval', 'interval', 16, false, 'T', true, 0, 1187],
  [1187, '_interval', 'interval[]', -1, false, 'A', false, 1186, 0],
  [1231, '_numeric', 'numeric[]', -1, false, 'A', false, 1700, 0],
  [1263, '_cstring', 'cstring[]', -1, false, 'A', false, 2275, 0],
  [1560, 'bit', 'bit', -1, false, 'V', false, 0, 1561],
  [1561, '_bit', 'bit[]', -1, false, 'A', false, 1560, 0],
  [1562, 'varbit', 'bit varying', -1, false, 'V', true, 0, 1563],
  [1563, '_varbit', 'bit varying[]', -1, false, 'A', false, 1562, 0],
  [1700, 'numeric', 'numeric', -1, false, 'N', false, 0, 1231],
  [2205, 'regclass', 'regclass', 4, true, 'N', false, 0, 2210],
  [2206, 'regtype', 'regtype', 4, true, 'N', false, 0, 2211],
  [2210, '_regclass', 'regclass[]', -1, false, 'A', false, 2205, 0],
  [2211, '_regtype', 'regtype[]', -1, false, 'A', false, 2206, 0],
  [4089, 'regnamespace', 'regnamespace', 4, true, 'N', false, 0, 4090],
  [4090, '_regnamespace', 'regnamespace[]', -1, false, 'A', false, 4089, 0],
  [2249, 'record', 'record', -1, false, 'P', false, 0, 2287],
  [2275, 'cstring', 'cstring', -2, false, 'P', false, 0, 1263],
  [2276, 'any', '"any"', 4, true, 'P', false, 0, 0],
  [2277, 'anyarray', 'anyarray', -1, false, 'P', false, 0, 0],
  [2278, 'void', 'void', 4, true, 'P', false, 0, 0],
  [2283, 'anyelement', 'anyelement', 4, true, 'P', false, 0, 0],
  [2287, '_record', 'record[]', -1, false, 'P', false, 2249, 0],
  [2776, 'anynonarray', 'anynonarray', 4, true, 'P', false, 0, 0],
  [2950, 'uuid', 'uuid', 16, false, 'U', false, 0, 2951],
  [2951, '_uuid', 'uuid[]', -1, false, 'A', false, 2950, 0],
  [3802, 'jsonb', 'jsonb', -1, false, 'U', false, 0, 3807],
  [3807, '_jsonb', 'jsonb[]', -1, false, 'A', false, 3802, 0],
  [5077, 'anycompatible', 'anycompatible', 4, true, 'P', false, 0, 0],
  [5078, 'anycompatiblearray', 'anycompatiblearray', -1, false, 'P', false, 0, 0],
  // pgvector 0.8 (CREATE EXTENSION vector): base types of category U in schema public
  [16385, 'vector', 'vector', -1, false, 'U', false, 0, 16386],
  [16386, '_vector', 'vector[]', -1, false, 'A', false, 16385, 0],
  [16387, 'halfvec', 'halfvec', -1, false, 'U', false, 0, 16388],
  [16388, '_halfvec', 'halfvec[]', -1, false, 'A', false, 16387, 0],
  [16389, 'sparsevec', 'sparsevec', -1, false, 'U', false, 0, 16390],
  [16390, '_sparsevec', 'sparsevec[]', -1, false, 'A', false, 16389, 0],
];

const PUBLIC_TYPES = new Set([16385, 16386, 16387, 16388, 16389, 16390]);

const BY_OID = new Map<number, TypeInfo>();
const BY_NAME = new Map<string, TypeInfo>();
for (const [oid, name, sqlName, len, byval, category, preferred, elemOid, arrayOid] of ROWS) {
  const info: TypeInfo = { oid, name, sqlName, len, byval, category, preferred, elemOid, arrayOid, namespace: PUBLIC_TYPES.has(oid) ? 'public' : 'pg_catalog', typdelim: ',' };
  BY_OID.set(oid, info);
  BY_NAME.set(name, info);
}

/** The descriptor of a built-in type, or undefined for an OID QuiverDB does not know. */
export function typeInfo(oid: number): TypeInfo | undefined {
  return BY_OID.get(oid);
}

/** Looks a built-in type up by pg_type.typname (e.g. 'int4', '_text'). */
export function typeInfoByName(typname: string): TypeInfo | undefined {
  return BY_NAME.get(typname);
}

/** Every built-in type descriptor, in OID order. */
export function allTypeInfos(): readonly TypeInfo[] {
  return [...BY_OID.values()];
}

/** The array type whose elements are oid (0 if none). */
export function arrayTypeOf(oid: number): number {
  return BY_OID.get(oid)?.arrayOid ?? 0;
}

/** The element type of an array type (0 if oid is not a true array type). */
export function elementTypeOf(oid: number): number {
  const t = BY_OID.get(oid);
  return t !== undefined && t.category === 'A' ? t.elemOid : 0;
}

/** True for true array types (typcategory A with an element, excluding int2vector/oidvector). */
export function isArrayType(oid: number): boolean {
  const t = BY_OID.get(oid);
  return t !== undefined && t.category === 'A' && t.len === -1 && t.name.startsWith('_');
}
