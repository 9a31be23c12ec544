// Type names: resolving libpg-query TypeName parts (names, typmods, array bounds) to a SqlType with
// PostgreSQL's typmod encoding and checks, and format_type's output for an OID and typmod.
// 'serial' and friends are not types here: the analyzer rewrites them before calling this.
import { SqlError, SQLSTATE } from '../../base/index.js';
import type { SqlType } from './datum.js';
import { OID } from './oids.js';
import { typeInfo, typeInfoByName, arrayTypeOf, elementTypeOf } from './type-info.js';
import { numericTypmodParts } from './numeric.js';
import { INTERVAL_FULL_PRECISION, INTERVAL_FULL_RANGE, INTERVAL_MASK } from './interval-io.js';
import { vectorTypmodIn } from './vector-io.js';
import { bitTypmodIn } from './bit-string.js';

/** Aliases accepted for unqualified names (SQL spellings that the grammar normally maps). */
const ALIASES: Record<string, string> = {
  integer: 'int4', int: 'int4', smallint: 'int2', bigint: 'int8', real: 'float4', float: 'float8',
  'double precision': 'float8', decimal: 'numeric', dec: 'numeric', boolean: 'bool',
  'character varying': 'varchar', character: 'bpchar', char: 'bpchar', 'char varying': 'varchar',
  'timestamp with time zone': 'timestamptz', 'timestamp without time zone': 'timestamp',
  'time without time zone': 'time', 'bit varying': 'varbit',
};

function invalidParam(msg: string): SqlError {
  return new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, msg);
}

function typeDoesNotExist(names: readonly string[]): SqlError {
  return new SqlError(SQLSTATE.UNDEFINED_OBJECT, `type "${names.join('.')}" does not exist`);
}

/** typmodin of each type that takes modifiers; -1 when none given. */
export function typmodIn(oid: number, mods: readonly number[], names: readonly string[]): number {
  if (mods.length === 0) return -1;
  const name = typeInfo(oid)?.name ?? names.join('.');
  switch (oid) {
    case OID.varchar: case OID.bpchar: {
      const label = oid === OID.varchar ? 'varchar' : 'char';
      if (mods.length !== 1) throw invalidParam('invalid type modifier');
      const n = mods[0]!;
      if (n < 1) throw invalidParam(`length for type ${label} must be at least 1`);
      if (n > 10485760) throw invalidParam(`length for type ${label} cannot exceed 10485760`);
      return n + 4;
    }
    case OID.numeric: {
      if (mods.length > 2) throw invalidParam('invalid NUMERIC type modifier');
      const p = mods[0]!;
      const s = mods[1] ?? 0;
      if (p < 1 || p > 1000) throw invalidParam(`NUMERIC precision ${p} must be between 1 and 1000`);
      if (s < -1000 || s > 1000) throw invalidParam(`NUMERIC scale ${s} must be between -1000 and 1000`);
      return ((p << 16) | (s & 0x7ff)) + 4;
    }
    case OID.timestamp: case OID.timestamptz: case OID.time: {
      if (mods.length !== 1) throw invalidParam('invalid type modifier');
      const p = mods[0]!;
      const label = oid === OID.time ? 'TIME' : 'TIMESTAMP';
      const tz = oid === OID.timestamptz ? ' WITH TIME ZONE' : '';
      if (p < 0) throw invalidParam(`${label}(${p})${tz} precision must not be negative`);
      return p > 6 ? 6 : p;
    }
    case OID.interval: {
      if (mods.length === 1) return ((mods[0]! & 0x7fff) << 16) | INTERVAL_FULL_PRECISION;
      if (mods.length === 2) {
        const p = mods[1]!;
        if (p < 0) throw invalidParam(`INTERVAL(${p}) precision must not be negative`);
        return ((mods[0]! & 0x7fff) << 16) | (p > 6 ? 6 : p);
      }
      throw invalidParam('invalid INTERVAL type modifier');
    }
    case OID.bit: return bitTypmodIn('bit', mods);
    case OID.varbit: return bitTypmodIn('varbit', mods);
    case OID.vector: return vectorTypmodIn('vector', mods);
    case OID.halfvec: return vectorTypmodIn('halfvec', mods);
    case OID.sparsevec: return vectorTypmodIn('sparsevec', mods);
  }
  throw new SqlError(SQLSTATE.SYNTAX_ERROR, `type modifier is not allowed for type "${name}"`);
}

/**
 * Resolves libpg-query TypeName parts: names (possibly qualified by the type's schema:
 * 'pg_catalog', or 'public' for pgvector's types), typmods as given in the SQL (e.g. [10, 2]),
 * and the number of array bounds ([] or [3] each count as one).
 */
export function resolveTypeName(names: readonly string[], typmods: readonly number[], arrayBounds: number): SqlType {
  let base: string;
  if (names.length === 1) base = names[0]!;
  else if (names.length === 2 && (names[0] === 'pg_catalog' || names[0] === 'public')) base = names[1]!;
  else throw typeDoesNotExist(names);
  let info = typeInfoByName(base);
  if (info === undefined && names.length === 1) {
    const alias = ALIASES[base.toLowerCase()];
    if (alias !== undefined) info = typeInfoByName(alias);
  }
  if (info === undefined || (names.length === 2 && info.namespace !== names[0])) throw typeDoesNotExist(names);
  let oid = info.oid;
  // "float(p)" arriving unmapped
  if ((base === 'float' || base === 'float8') && names.length === 1 && typmods.length === 1) {
    const p = typmods[0]!;
    if (p < 1) throw invalidParam('precision for type float must be at least 1 bit');
    if (p > 53) throw invalidParam('precision for type float must be less than 54 bits');
    oid = p <= 24 ? OID.float4 : OID.float8;
    typmods = [];
  }
  if (info.category === 'P' && arrayBounds > 0) throw typeDoesNotExist([...names.slice(0, -1), names[names.length - 1]! + '[]']);
  const typmod = typmodIn(oid, typmods, names);
  if (arrayBounds > 0 && elementTypeOf(oid) === 0) {
    const arr = arrayTypeOf(oid);
    if (arr === 0) throw typeDoesNotExist([...names.slice(0, -1), names[names.length - 1]! + '[]']);
    oid = arr;
  }
  return { oid, typmod };
}

const INTERVAL_RANGE_NAMES = new Map<number, string>([
  [INTERVAL_MASK.YEAR, ' year'],
  [INTERVAL_MASK.MONTH, ' month'],
  [INTERVAL_MASK.DAY, ' day'],
  [INTERVAL_MASK.HOUR, ' hour'],
  [INTERVAL_MASK.MINUTE, ' minute'],
  [INTERVAL_MASK.SECOND, ' second'],
  [INTERVAL_MASK.YEAR | INTERVAL_MASK.MONTH, ' year to month'],
  [INTERVAL_MASK.DAY | INTERVAL_MASK.HOUR, ' day to hour'],
  [INTERVAL_MASK.DAY | INTERVAL_MASK.HOUR | INTERVAL_MASK.MINUTE, ' day to minute'],
  [INTERVAL_MASK.DAY | INTERVAL_MASK.HOUR | INTERVAL_MASK.MINUTE | INTERVAL_MASK.SECOND, ' day to second'],
  [INTERVAL_MASK.HOUR | INTERVAL_MASK.MINUTE, ' hour to minute'],
  [INTERVAL_MASK.HOUR | INTERVAL_MASK.MINUTE | INTERVAL_MASK.SECOND, ' hour to second'],
  [INTERVAL_MASK.MINUTE | INTERVAL_MASK.SECOND, ' minute to second'],
  [INTERVAL_FULL_RANGE, ''],
]);

function typmodOut(oid: number, typmod: number): string {
  switch (oid) {
    case OID.varchar: case OID.bpchar:
      return typmod > 4 ? `(${typmod - 4})` : '';
    case OID.numeric: {
      if (typmod < 4) return '';
      const [p, s] = numericTypmodParts(typmod);
      return `(${p},${s})`;
    }
    case OID.timestamp: case OID.timestamptz: case OID.time:
      return typmod >= 0 ? `(${typmod})` : '';
    case OID.bit: case OID.varbit: case OID.vector: case OID.halfvec: case OID.sparsevec:
      return typmod >= 0 ? `(${typmod})` : '';
    case OID.interval: {
      if (typmod < 0) return '';
      const range = (typmod >> 16) & 0x7fff;
      const precision = typmod & 0xffff;
      let s = INTERVAL_RANGE_NAMES.get(range) ?? '';
      if (precision !== INTERVAL_FULL_PRECISION) s += `(${precision})`;
      return s;
    }
  }
  return '';
}

/**
 * PostgreSQL's format_type(oid, typmod). Pass typmod null for format_type(oid, NULL) (which
 * prints bpchar as 'character'); -1 means "given but none" (prints 'bpchar').
 */
export function formatType(oid: number, typmod: number | null = null): string {
  const info = typeInfo(oid);
  if (info === undefined) return '???';
  const elem = elementTypeOf(oid);
  if (elem !== 0 && info.name.startsWith('_')) {
    return formatType(elem, typmod) + '[]';
  }
  const withTypmod = typmod !== null && typmod >= 0;
  switch (oid) {
    case OID.bpchar:
      if (withTypmod) return 'character' + typmodOut(oid, typmod);
      return typmod !== null ? 'bpchar' : 'character';
    case OID.timestamp:
      return withTypmod ? `timestamp${typmodOut(oid, typmod)} without time zone` : 'timestamp without time zone';
    case OID.timestamptz:
      return withTypmod ? `timestamp${typmodOut(oid, typmod)} with time zone` : 'timestamp with time zone';
    case OID.time:
      return withTypmod ? `time${typmodOut(oid, typmod)} without time zone` : 'time without time zone';
    case OID.bit:
      // bit with typmod -1 is not BIT (= bit(1)): PostgreSQL quotes the name
      if (withTypmod) return 'bit' + typmodOut(oid, typmod);
      return typmod !== null ? '"bit"' : 'bit';
  }
  if (withTypmod) return info.sqlName + typmodOut(oid, typmod);
  return info.sqlName;
}

/**
 * regtype input: a type name as SQL writes it ('integer', 'double precision', 'character
 * varying(10)', 'timestamp(3) with time zone', 'public.vector', '"char"', 'int4[]') or an OID.
 * Unquoted names fold to lower case; type modifiers are read past (regtype names the type only).
 * Every type here is built in, so no catalog is needed. 42704 when there is no such type.
 */
export function regtypeIn(text: string): number {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t);
  let s = t;
  let arrayBounds = 0;
  for (let m = /\[\s*\d*\s*\]\s*$/.exec(s); m !== null; m = /\[\s*\d*\s*\]\s*$/.exec(s)) {
    arrayBounds++;
    s = s.slice(0, m.index).trimEnd();
  }
  // type modifiers, wherever SQL puts them (after the name, or inside "timestamp(3) with time zone")
  s = s.replace(/\s*\(\s*\d+(\s*,\s*\d+)*\s*\)/g, ' ').trim();
  const names: string[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] === '"') {
      const end = s.indexOf('"', i + 1);
      if (end < 0) throw new SqlError(SQLSTATE.INVALID_TEXT_REPRESENTATION, `invalid type name "${text}"`);
      names.push(s.slice(i + 1, end));
      i = end + 1;
    } else {
      let end = s.indexOf('.', i);
      if (end < 0) end = s.length;
      names.push(s.slice(i, end).trim().toLowerCase().replace(/\s+/g, ' '));
      i = end;
    }
    if (i < s.length) {
      if (s[i] !== '.') throw new SqlError(SQLSTATE.INVALID_TEXT_REPRESENTATION, `invalid type name "${text}"`);
      i++;
    }
  }
  if (names.length === 0 || names.some((n) => n === '')) throw new SqlError(SQLSTATE.INVALID_TEXT_REPRESENTATION, `invalid type name "${text}"`);
  if (names.length === 3) throw new SqlError(SQLSTATE.FEATURE_NOT_SUPPORTED, `cross-database references are not implemented: ${names.join('.')}`);
  if (names.length > 3) throw new SqlError(SQLSTATE.SYNTAX_ERROR, `improper qualified name (too many dotted names): ${names.join('.')}`);
  // an unquoted char is SQL's character (bpchar); the quoted "char" is the one-byte type
  const quotedChar = /"char"\s*$/.test(s);
  const last = names[names.length - 1]!;
  if (!quotedChar && (last === 'char' || last === 'character')) names[names.length - 1] = 'bpchar';
  return resolveTypeName(names, [], arrayBounds).oid;
}
