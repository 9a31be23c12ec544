// textIn / textOut: PostgreSQL's type input and output functions, dispatched by type OID to the
// per-family files (scalar-io, datetime-io, interval-io, json, array, numeric, bit-string,
// vector-io). Typmods are applied on input as PostgreSQL's input functions do (varchar(n),
// numeric(p,s), timestamp(p), bit(n), vector(n)).
import { SqlError, SQLSTATE, notSupported } from '../../base/index.js';
import type { Datum, SqlArray, SqlRecord, SqlType } from './datum.js';
import { OID } from './oids.js';
import { typeInfo, elementTypeOf } from './type-info.js';
import { formatType, regtypeIn } from './type-names.js';
import * as S from './scalar-io.js';
import { Numeric, applyNumericTypmod } from './numeric.js';
import { Interval } from './interval.js';
import { dateIn, dateOut, timeIn, timeOut, timestampIn, timestampOut, timestamptzIn, timestamptzOut } from './datetime-io.js';
import { intervalIn, intervalOut } from './interval-io.js';
import { jsonIn, jsonbIn } from './json.js';
import { arrayIn, arrayOut } from './array.js';
import { checkStyles, type TypeSettings } from './datetime.js';
import { bitIn, bitOut } from './bit-string.js';
import { denseVectorIn, denseVectorOut, sparsevecIn, sparsevecOut } from './vector-io.js';
import type { BitString, SparseVec } from './vector-datum.js';

/** Parses text as a value of `type` (PostgreSQL's typinput + typmod coercion). */
export function textIn(type: SqlType, text: string, settings?: TypeSettings): Datum {
  const typmod = type.typmod;
  switch (type.oid) {
    case OID.int4: return S.int4In(text);
    case OID.text: case OID.unknown: case OID.cstring: return text;
    case OID.int8: return S.int8In(text);
    case OID.varchar:
      return typmod >= 4 ? S.checkCharLength(text, typmod - 4, 'character varying', false) : text;
    case OID.bpchar:
      if (typmod >= 4) return S.padBpchar(S.checkCharLength(text, typmod - 4, 'character', false), typmod - 4);
      return text;
    case OID.float8: return S.float8In(text);
    case OID.bool: return S.boolIn(text);
    case OID.int2: return S.int2In(text);
    case OID.float4: return S.float4In(text);
    case OID.numeric: {
      const n = Numeric.parse(text);
      return typmod >= 4 ? applyNumericTypmod(n, typmod) : n;
    }
    case OID.name: return S.nameIn(text);
    case OID.char: return S.charIn(text);
    case OID.bytea: return S.byteaIn(text);
    case OID.regtype: return regtypeIn(text);
    case OID.oid: case OID.regclass: case OID.regproc: case OID.regnamespace: {
      if (type.oid !== OID.oid && !/^\s*\d+\s*$/.test(text)) {
        throw notSupported(`${typeInfo(type.oid)?.name ?? 'reg'} input by name outside the analyzer`);
      }
      return S.oidIn(text);
    }
    case OID.date: return dateIn(text, settings);
    case OID.time: return timeIn(text, typmod, settings);
    case OID.timestamp: return timestampIn(text, typmod, settings);
    case OID.timestamptz: return timestamptzIn(text, typmod, settings);
    case OID.interval: return intervalIn(text, typmod);
    case OID.uuid: return S.uuidIn(text);
    case OID.json: return jsonIn(text);
    case OID.jsonb: return jsonbIn(text);
    case OID.int2vector: case OID.oidvector: {
      const elem = type.oid === OID.int2vector ? OID.int2 : OID.oid;
      const parts = text.trim() === '' ? [] : text.trim().split(/\s+/);
      const items = parts.map((p) => (elem === OID.int2 ? S.int2In(p) : S.oidIn(p)));
      return { kind: 'array', elemOid: elem, dims: items.length ? [items.length] : [], lbounds: items.length ? [0] : [], items };
    }
    case OID.void: return null;
    case OID.bit: return bitIn(text, typmod, false);
    case OID.varbit: return bitIn(text, typmod, true);
    case OID.vector: return denseVectorIn('vector', text, typmod);
    case OID.halfvec: return denseVectorIn('halfvec', text, typmod);
    case OID.sparsevec: return sparsevecIn(text, typmod);
  }
  const elem = elementTypeOf(type.oid);
  if (elem !== 0) {
    const et: SqlType = { oid: elem, typmod };
    return arrayIn(text, elem, (s) => textIn(et, s, settings));
  }
  throw unknownType(type.oid, 'input');
}

function unknownType(oid: number, what: string): SqlError {
  const info = typeInfo(oid);
  if (info !== undefined) return notSupported(`${what} of type ${info.sqlName}`);
  return new SqlError(SQLSTATE.UNDEFINED_OBJECT, `cache lookup failed for type ${oid}`);
}

/** Formats a non-null datum as PostgreSQL's typoutput does (DateStyle ISO, IntervalStyle postgres). */
export function textOut(type: SqlType, d: Datum, settings?: TypeSettings): string {
  switch (type.oid) {
    case OID.record: return recordOut(d as SqlRecord, settings);
    case OID.int4: case OID.int2: case OID.oid:
      return String(d as number);
    case OID.regproc: return settings?.procName?.(d as number) ?? String(d as number);
    // regtypeout is format_type_be: no typmod given (bpchar prints as character, bit as bit)
    case OID.regtype: return formatType(d as number, null);
    case OID.regclass: return settings?.relationName?.(d as number) ?? String(d as number);
    case OID.regnamespace: return settings?.namespaceName?.(d as number) ?? String(d as number);
    case OID.text: case OID.varchar: case OID.bpchar: case OID.name: case OID.unknown: case OID.cstring:
    case OID.json: case OID.jsonb: case OID.uuid:
      return d as string;
    case OID.int8: return (d as bigint).toString();
    case OID.float8: return S.float8Out(d as number, settings?.extraFloatDigits ?? 1);
    case OID.float4: return S.float4Out(d as number, settings?.extraFloatDigits ?? 1);
    case OID.bool: return (d as boolean) ? 't' : 'f';
    case OID.numeric: return (d as Numeric).toString();
    case OID.char: return S.charOut(d as string);
    case OID.bytea: return S.byteaOut(d as Uint8Array, settings?.byteaOutput ?? 'hex');
    case OID.date: if (settings !== undefined) checkStyles(settings); return dateOut(d as number);
    case OID.time: return timeOut(d as number);
    case OID.timestamp: if (settings !== undefined) checkStyles(settings); return timestampOut(d as bigint);
    case OID.timestamptz: if (settings !== undefined) checkStyles(settings); return timestamptzOut(d as bigint, settings);
    case OID.interval: if (settings !== undefined) checkStyles(settings); return intervalOut(d as Interval);
    case OID.int2vector: case OID.oidvector:
      return (d as SqlArray).items.map((x) => String(x)).join(' ');
    case OID.void: return '';
    case OID.bit: case OID.varbit: return bitOut(d as BitString);
    case OID.vector: case OID.halfvec: return denseVectorOut(d as Float32Array);
    case OID.sparsevec: return sparsevecOut(d as SparseVec);
  }
  const elem = elementTypeOf(type.oid);
  if (elem !== 0) {
    const et: SqlType = { oid: elem, typmod: type.typmod };
    return arrayOut(d as SqlArray, (x) => textOut(et, x, settings));
  }
  throw unknownType(type.oid, 'output');
}

/**
 * record_out: (f1,f2,...), a NULL field empty, a field quoted when it is empty or holds a quote,
 * backslash, parenthesis, comma or white space (quotes and backslashes inside doubled).
 */
function recordOut(r: SqlRecord, settings?: TypeSettings): string {
  const parts = r.values.map((v, i) => {
    if (v === null) return '';
    const s = textOut({ oid: r.types[i]!, typmod: -1 }, v, settings);
    if (s !== '' && !/["\\(),\s]/.test(s)) return s;
    return `"${s.replace(/(["\\])/g, '$1$1')}"`;
  });
  return `(${parts.join(',')})`;
}
