// json and jsonb operators and functions: field and element access (-> ->> #> #>>), containment
// and existence (@> <@ ? ?| ?&), concatenation and deletion (|| - #-), jsonb ordering, and the
// common functions (typeof, array_length, object_keys, array_elements, extract_path, build_object,
// build_array, to_json(b), jsonb_set, strip_nulls, pretty) and aggregates (json(b)_agg,
// json(b)_object_agg), with PostgreSQL's results and errors. jsonb values are their normalized
// text; json values keep their text, and json operators return members as written.
import { SqlError, SQLSTATE } from '../../base/index.js';
import {
  Numeric, compareDatums, jsonRawMembers, jsonbOut, parseJson, quoteJsonString, elementTypeOf, isRecord,
  type Datum, type JsonObject, type JsonValue, type SqlArray,
} from '../types/index.js';
import type { EvalContext } from './function-def.js';
import { agg, fn, op, srf, typedFn } from './registry.js';
import { T } from './oids.js';
import { toText } from './text-out.js';
import { invalidParam } from './errors.js';

const J = T.jsonb;
const JS = T.json;
const S = T.text;
const I = T.int4;
const B = T.bool;
const TA = T._text;

const jb = (d: Datum | undefined): JsonValue => parseJson(d as string, 'jsonb');
const isObject = (v: JsonValue): v is JsonObject => v instanceof Map;

/** The text ->> gives for a member: strings unquoted, JSON null as SQL NULL, the rest as jsonb text. */
function asText(v: JsonValue | undefined): Datum {
  if (v === undefined || v === null) return null;
  return typeof v === 'string' ? v : jsonbOut(v);
}

function member(v: JsonValue, step: string | number): JsonValue | undefined {
  if (typeof step === 'number') {
    // jsonb keeps a scalar as a one-element array: '5'::jsonb -> 0 is 5
    if (!Array.isArray(v)) return isObject(v) ? undefined : step === 0 || step === -1 ? v : undefined;
    const i = step < 0 ? v.length + step : step;
    return v[i];
  }
  return isObject(v) ? v.get(step) : undefined;
}

/** Path elements of a text[] (#>, #>>, jsonb_extract_path): a NULL element ends the walk with NULL. */
function pathOf(d: Datum): Array<string | null> {
  return ((d as SqlArray).items as Array<string | null>);
}

/** The path of a VARIADIC text function (jsonb_extract_path(j, 'a', 'b')): its arguments after the first. */
const variadicPath = (a: Datum[]): Array<string | null> => a.slice(1) as Array<string | null>;

function walk(v: JsonValue, path: Array<string | null>): JsonValue | undefined {
  let cur: JsonValue | undefined = v;
  for (const p of path) {
    if (cur === undefined || p === null) return undefined;
    if (Array.isArray(cur)) {
      if (!/^\s*-?\d+\s*$/.test(p)) return undefined;
      cur = member(cur, Number(p));
    } else cur = member(cur, p);
  }
  return cur;
}

// ---- json (text kept as written) -----------------------------------------------------------

function rawMember(text: string, step: string | number): string | undefined {
  const m = jsonRawMembers(text);
  if (typeof step === 'number') {
    if (m.kind !== 'array') return undefined;
    const i = step < 0 ? m.members.length + step : step;
    return m.members[i]?.raw;
  }
  if (m.kind !== 'object') return undefined;
  // json keeps duplicate keys; the operators find the last one, as PostgreSQL's do
  let found: string | undefined;
  for (const x of m.members) if (x.key === step) found = x.raw;
  return found;
}

function rawWalk(text: string, path: Array<string | null>): string | undefined {
  let cur: string | undefined = text;
  for (const p of path) {
    if (cur === undefined || p === null) return undefined;
    const kind = jsonRawMembers(cur).kind;
    if (kind === 'array') {
      if (!/^\s*-?\d+\s*$/.test(p)) return undefined;
      cur = rawMember(cur, Number(p));
    } else cur = rawMember(cur, p);
  }
  return cur;
}

/** ->> on json: a string member unescaped, null as SQL NULL, anything else as written. */
function rawAsText(raw: string | undefined): Datum {
  if (raw === undefined) return null;
  const v = parseJson(raw, 'json');
  if (v === null) return null;
  return typeof v === 'string' ? v : raw;
}

// ---- containment and existence ----------------------------------------------------------------

function equalScalars(a: JsonValue, b: JsonValue): boolean {
  if (a instanceof Numeric && b instanceof Numeric) return a.compare(b) === 0;
  return a === b;
}

/** PostgreSQL's JsonbDeepContains: does a contain b. */
function contains(a: JsonValue, b: JsonValue, top = true): boolean {
  if (isObject(b)) {
    if (!isObject(a)) return false;
    for (const [k, bv] of b) {
      const av = a.get(k);
      if (av === undefined || !contains(av, bv, false)) return false;
    }
    return true;
  }
  if (Array.isArray(b)) {
    if (!Array.isArray(a)) return false;
    return b.every((bv) => a.some((av) => (isObject(bv) || Array.isArray(bv) ? contains(av, bv, false) : !isObject(av) && !Array.isArray(av) && equalScalars(av, bv))));
  }
  // a scalar: contained by an equal scalar, or (at the top) by an array holding it
  if (Array.isArray(a)) return top && a.some((av) => !isObject(av) && !Array.isArray(av) && equalScalars(av, b));
  if (isObject(a)) return false;
  return equalScalars(a, b);
}

function exists(v: JsonValue, key: string): boolean {
  if (isObject(v)) return v.has(key);
  if (Array.isArray(v)) return v.some((x) => x === key);
  return v === key;
}

// ---- building values --------------------------------------------------------------------------

/** A datum of type `oid` as a JSON value, as to_jsonb converts it. */
export function toJsonValue(d: Datum, oid: number, ctx?: EvalContext): JsonValue {
  if (d === null) return null;
  if (isRecord(d)) {
    const o: JsonObject = new Map();
    d.names.forEach((name, i) => { o.delete(name); o.set(name, toJsonValue(d.values[i]!, d.types[i]!, ctx)); });
    return o;
  }
  switch (oid) {
    case T.bool: return d as boolean;
    case T.int2: case T.int4: case T.int8: case T.numeric: case T.float4: case T.float8: {
      const text = toText(d, oid, ctx);
      return /^-?\d/.test(text) ? Numeric.parse(text) : text; // NaN and infinities become strings
    }
    case T.json: return parseJson(d as string, 'json');
    case T.jsonb: return jb(d);
    case T.date: case T.timestamp: case T.timestamptz: return isoDatetime(toText(d, oid, ctx), oid);
    default: break;
  }
  const elem = elementTypeOf(oid);
  if (elem !== 0 && typeof d === 'object' && (d as SqlArray).kind === 'array') return arrayToJson(d as SqlArray, elem, ctx);
  return toText(d, oid, ctx);
}

/** to_json's ISO 8601 datetimes: a T between date and time, a full +hh:mm offset. */
function isoDatetime(text: string, oid: number): string {
  if (oid === T.date) return text;
  const s = text.replace(' ', 'T');
  return oid === T.timestamptz ? s.replace(/([+-]\d\d)$/, '$1:00') : s;
}

function arrayToJson(a: SqlArray, elem: number, ctx?: EvalContext): JsonValue {
  const items = a.items.map((x) => toJsonValue(x, elem, ctx));
  if (a.dims.length <= 1) return items;
  // rows of the innermost dimension, nested outward
  let level: JsonValue[] = items;
  for (let d = a.dims.length - 1; d > 0; d--) {
    const size = a.dims[d]!;
    const next: JsonValue[] = [];
    for (let i = 0; i < level.length; i += size) next.push(level.slice(i, i + size));
    level = next;
  }
  return level;
}

/**
 * json (not jsonb) text of a datum, as to_json and json_build_* write it: json values verbatim,
 * SQL arrays with "," between elements, scalars as to_jsonb converts them.
 */
function jsonFromDatum(d: Datum, oid: number, ctx?: EvalContext): string {
  if (d === null) return 'null';
  if (oid === JS || oid === J) return d as string;
  // a row: its fields by name, no spaces (row_to_json)
  if (isRecord(d)) return `{${d.names.map((name, i) => `${quoteJsonString(name)}:${jsonFromDatum(d.values[i]!, d.types[i]!, ctx)}`).join(',')}}`;
  const elem = elementTypeOf(oid);
  if (elem !== 0 && typeof d === 'object' && (d as SqlArray).kind === 'array') {
    const a = d as SqlArray;
    const items = a.items.map((x) => jsonFromDatum(x, elem, ctx));
    let level = items;
    for (let k = a.dims.length - 1; k > 0; k--) {
      const size = a.dims[k]!;
      const next: string[] = [];
      for (let i = 0; i < level.length; i += size) next.push(`[${level.slice(i, i + size).join(',')}]`);
      level = next;
    }
    return `[${level.join(',')}]`;
  }
  return jsonbOut(toJsonValue(d, oid, ctx));
}

/** Keys and values of json(b)_build_object's arguments (later duplicates replace earlier ones for jsonb). */
function objectPairs(args: Datum[], types: readonly number[], fnName: string, ctx: EvalContext): Array<[string, Datum, number]> {
  if (args.length % 2 !== 0) {
    throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, 'argument list must have even number of elements', {
      hint: `The arguments of ${fnName}() must consist of alternating keys and values.`,
    });
  }
  const out: Array<[string, Datum, number]> = [];
  for (let i = 0; i < args.length; i += 2) {
    const k = args[i]!;
    if (k === null) throw invalidParam(`argument ${i + 1}: key must not be null`);
    out.push([typeof k === 'string' ? k : toText(k, types[i] ?? S, ctx), args[i + 1]!, types[i + 1] ?? S]);
  }
  return out;
}

// ---- modification ---------------------------------------------------------------------------

function concat(a: JsonValue, b: JsonValue): JsonValue {
  if (isObject(a) && isObject(b)) {
    const out: JsonObject = new Map(a);
    for (const [k, v] of b) { out.delete(k); out.set(k, v); }
    return out;
  }
  const left = Array.isArray(a) ? a : [a];
  const right = Array.isArray(b) ? b : [b];
  return [...left, ...right];
}

function deleteKey(v: JsonValue, key: string): JsonValue {
  if (isObject(v)) { const out = new Map(v); out.delete(key); return out; }
  if (Array.isArray(v)) return v.filter((x) => x !== key);
  throw invalidParam('cannot delete from scalar');
}

function deleteIndex(v: JsonValue, index: number): JsonValue {
  if (isObject(v)) throw invalidParam('cannot delete from object using integer index');
  if (!Array.isArray(v)) throw invalidParam('cannot delete from scalar');
  const i = index < 0 ? v.length + index : index;
  return v.filter((_, k) => k !== i);
}

/** jsonb_set / #-: replaces (or, with `value` undefined, deletes) the member at `path`. */
function setPath(v: JsonValue, path: Array<string | null>, value: JsonValue | undefined, create: boolean, at = 0): JsonValue {
  if (at === path.length) return value ?? v;
  const step = path[at];
  if (step === null || step === undefined) {
    throw new SqlError(SQLSTATE.NULL_VALUE_NOT_ALLOWED, `path element at position ${at + 1} is null`);
  }
  const last = at === path.length - 1;
  if (isObject(v)) {
    const out = new Map(v);
    const cur = v.get(step);
    if (cur === undefined) {
      if (last && value !== undefined && create) out.set(step, value);
      return out;
    }
    if (last && value === undefined) { out.delete(step); return out; }
    out.set(step, setPath(cur, path, value, create, at + 1));
    return out;
  }
  if (Array.isArray(v)) {
    if (!/^\s*-?\d+\s*$/.test(step)) {
      throw new SqlError(SQLSTATE.INVALID_TEXT_REPRESENTATION, `path element at position ${at + 1} is not an integer: "${step}"`);
    }
    let i = Number(step);
    if (i < 0) i += v.length;
    const out = v.slice();
    if (i < 0 || i >= v.length) {
      if (last && value !== undefined && create) { if (i < 0) out.unshift(value); else out.push(value); }
      return out;
    }
    if (last && value === undefined) { out.splice(i, 1); return out; }
    out[i] = setPath(v[i]!, path, value, create, at + 1);
    return out;
  }
  // a scalar part-way along the path: nothing there to set or delete
  return v;
}

function stripNulls(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(stripNulls);
  if (!isObject(v)) return v;
  const out: JsonObject = new Map();
  for (const [k, x] of v) if (x !== null) out.set(k, stripNulls(x));
  return out;
}

function pretty(v: JsonValue, indent = ''): string {
  const inner = indent + '    ';
  // (an empty container still opens a line of its own, as jsonb_pretty prints it)
  if (Array.isArray(v)) return v.length === 0 ? `[\n${indent}]` : `[\n${v.map((x) => inner + pretty(x, inner)).join(',\n')}\n${indent}]`;
  if (isObject(v)) {
    // parsed from normalized jsonb text: the keys are already in jsonb order
    if (v.size === 0) return `{\n${indent}}`;
    return `{\n${[...v].map(([k, x]) => `${inner}${quoteJsonString(k)}: ${pretty(x, inner)}`).join(',\n')}\n${indent}}`;
  }
  return jsonbOut(v);
}

function typeOf(v: JsonValue): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'string') return 'string';
  if (v instanceof Numeric) return 'number';
  return Array.isArray(v) ? 'array' : 'object';
}

function scalarOrObject(v: JsonValue): string {
  return isObject(v) ? 'an object' : 'a scalar';
}

export function registerJsonFunctions(): void {
  // access
  op('->', J, S, J, (a) => { const m = member(jb(a[0]), a[1] as string); return m === undefined ? null : jsonbOut(m); });
  op('->', J, I, J, (a) => { const m = member(jb(a[0]), a[1] as number); return m === undefined ? null : jsonbOut(m); });
  op('->>', J, S, S, (a) => asText(member(jb(a[0]), a[1] as string)));
  op('->>', J, I, S, (a) => asText(member(jb(a[0]), a[1] as number)));
  op('#>', J, TA, J, (a) => { const m = walk(jb(a[0]), pathOf(a[1]!)); return m === undefined ? null : jsonbOut(m); });
  op('#>>', J, TA, S, (a) => asText(walk(jb(a[0]), pathOf(a[1]!))));
  op('->', JS, S, JS, (a) => rawMember(a[0] as string, a[1] as string) ?? null);
  op('->', JS, I, JS, (a) => rawMember(a[0] as string, a[1] as number) ?? null);
  op('->>', JS, S, S, (a) => rawAsText(rawMember(a[0] as string, a[1] as string)));
  op('->>', JS, I, S, (a) => rawAsText(rawMember(a[0] as string, a[1] as number)));
  op('#>', JS, TA, JS, (a) => rawWalk(a[0] as string, pathOf(a[1]!)) ?? null);
  op('#>>', JS, TA, S, (a) => rawAsText(rawWalk(a[0] as string, pathOf(a[1]!))));
  fn('jsonb_extract_path', [J, TA], J, (a) => { const m = walk(jb(a[0]), variadicPath(a)); return m === undefined ? null : jsonbOut(m); }, { variadic: S });
  fn('jsonb_extract_path_text', [J, TA], S, (a) => asText(walk(jb(a[0]), variadicPath(a))), { variadic: S });
  fn('json_extract_path', [JS, TA], JS, (a) => rawWalk(a[0] as string, variadicPath(a)) ?? null, { variadic: S });
  fn('json_extract_path_text', [JS, TA], S, (a) => rawAsText(rawWalk(a[0] as string, variadicPath(a))), { variadic: S });

  // containment, existence
  op('@>', J, J, B, (a) => contains(jb(a[0]), jb(a[1])));
  op('<@', J, J, B, (a) => contains(jb(a[1]), jb(a[0])));
  op('?', J, S, B, (a) => exists(jb(a[0]), a[1] as string));
  op('?|', J, TA, B, (a) => { const v = jb(a[0]); return pathOf(a[1]!).some((k) => k !== null && exists(v, k)); });
  op('?&', J, TA, B, (a) => { const v = jb(a[0]); return pathOf(a[1]!).every((k) => k === null || exists(v, k)); });

  // ordering (= and <> are with the other comparisons)
  for (const [sym, test] of [['<', (c: number) => c < 0], ['<=', (c: number) => c <= 0], ['>', (c: number) => c > 0], ['>=', (c: number) => c >= 0]] as const) {
    op(sym, J, J, B, (a) => test(compareDatums(J, a[0]!, a[1]!)));
  }
  fn('jsonb_cmp', [J, J], I, (a) => Math.sign(compareDatums(J, a[0]!, a[1]!)));

  // modification
  op('||', J, J, J, (a) => jsonbOut(concat(jb(a[0]), jb(a[1]))));
  op('-', J, S, J, (a) => jsonbOut(deleteKey(jb(a[0]), a[1] as string)));
  op('-', J, I, J, (a) => jsonbOut(deleteIndex(jb(a[0]), a[1] as number)));
  op('-', J, TA, J, (a) => {
    let v = jb(a[0]);
    for (const k of pathOf(a[1]!)) if (k !== null) v = deleteKey(v, k);
    return jsonbOut(v);
  });
  op('#-', J, TA, J, (a) => {
    const v = jb(a[0]);
    const path = pathOf(a[1]!);
    if (path.length === 0 || (!isObject(v) && !Array.isArray(v) && path.length === 0)) return jsonbOut(v);
    if (!isObject(v) && !Array.isArray(v)) throw invalidParam('cannot delete path in scalar');
    // an empty container is returned as it is, whatever the path (PostgreSQL's jsonb_delete_path)
    if (isObject(v) ? v.size === 0 : v.length === 0) return jsonbOut(v);
    return jsonbOut(setPath(v, path, undefined, false));
  });
  fn('jsonb_set', [J, TA, J, B], J, (a) => {
    const v = jb(a[0]);
    if (!isObject(v) && !Array.isArray(v)) throw invalidParam('cannot set path in scalar');
    // an empty container with nothing to create is returned as it is, whatever the path
    if (a[3] === false && (isObject(v) ? v.size === 0 : v.length === 0)) return jsonbOut(v);
    return jsonbOut(setPath(v, pathOf(a[1]!), jb(a[2]), a[3] as boolean));
  });
  fn('jsonb_set', [J, TA, J], J, (a) => {
    const v = jb(a[0]);
    if (!isObject(v) && !Array.isArray(v)) throw invalidParam('cannot set path in scalar');
    return jsonbOut(setPath(v, pathOf(a[1]!), jb(a[2]), true));
  });
  fn('jsonb_strip_nulls', [J], J, (a) => jsonbOut(stripNulls(jb(a[0]))));
  fn('jsonb_pretty', [J], S, (a) => pretty(jb(a[0])));

  // inspection
  fn('jsonb_typeof', [J], S, (a) => typeOf(jb(a[0])));
  fn('json_typeof', [JS], S, (a) => typeOf(parseJson(a[0] as string, 'json')));
  fn('jsonb_array_length', [J], I, (a) => {
    const v = jb(a[0]);
    if (!Array.isArray(v)) throw invalidParam(isObject(v) ? 'cannot get array length of a non-array' : 'cannot get array length of a scalar');
    return v.length;
  });
  fn('json_array_length', [JS], I, (a) => {
    const m = jsonRawMembers(a[0] as string);
    if (m.kind !== 'array') throw invalidParam(m.kind === 'object' ? 'cannot get array length of a non-array' : 'cannot get array length of a scalar');
    return m.members.length;
  });
  srf('jsonb_object_keys', [J], S, (a) => {
    const v = jb(a[0]);
    if (!isObject(v)) throw invalidParam(`cannot call jsonb_object_keys on ${Array.isArray(v) ? 'an array' : 'a scalar'}`);
    return [...v.keys()];
  });
  srf('json_object_keys', [JS], S, (a) => {
    const m = jsonRawMembers(a[0] as string);
    if (m.kind !== 'object') throw invalidParam(`cannot call json_object_keys on ${m.kind === 'array' ? 'an array' : 'a scalar'}`);
    return m.members.map((x) => x.key!);
  });
  srf('jsonb_array_elements', [J], J, (a) => {
    const v = jb(a[0]);
    if (!Array.isArray(v)) throw invalidParam(`cannot extract elements from ${scalarOrObject(v)}`);
    return v.map(jsonbOut);
  }, { columnName: 'value' });
  srf('jsonb_array_elements_text', [J], S, (a) => {
    const v = jb(a[0]);
    if (!Array.isArray(v)) throw invalidParam(`cannot extract elements from ${scalarOrObject(v)}`);
    return v.map(asText);
  }, { columnName: 'value' });
  srf('json_array_elements', [JS], JS, (a) => {
    const m = jsonRawMembers(a[0] as string);
    if (m.kind !== 'array') throw invalidParam(`cannot call json_array_elements on ${m.kind === 'object' ? 'a non-array' : 'a scalar'}`);
    return m.members.map((x) => x.raw);
  }, { columnName: 'value' });
  srf('json_array_elements_text', [JS], S, (a) => {
    const m = jsonRawMembers(a[0] as string);
    if (m.kind !== 'array') throw invalidParam(`cannot call json_array_elements_text on ${m.kind === 'object' ? 'a non-array' : 'a scalar'}`);
    return m.members.map((x) => rawAsText(x.raw));
  }, { columnName: 'value' });

  // key/value rows (in FROM: SELECT key, value FROM jsonb_each(...))
  const eachColumns = (value: number): Array<{ name: string; type: number }> => [{ name: 'key', type: S }, { name: 'value', type: value }];
  const objectOf = (v: JsonValue, fnName: string): JsonObject => {
    if (!isObject(v)) throw invalidParam(`cannot call ${fnName} on ${Array.isArray(v) ? 'an array' : 'a scalar'}`);
    return v;
  };
  srf('jsonb_each', [J], T.record, (a) => [...objectOf(jb(a[0]), 'jsonb_each')].map(([k, v]) => [k, jsonbOut(v)] as unknown as Datum), { columns: eachColumns(J) });
  srf('jsonb_each_text', [J], T.record, (a) => [...objectOf(jb(a[0]), 'jsonb_each_text')].map(([k, v]) => [k, asText(v)] as unknown as Datum), { columns: eachColumns(S) });
  const rawObject = (text: string, fnName: string): Array<{ key: string | null; raw: string }> => {
    const m = jsonRawMembers(text);
    if (m.kind !== 'object') throw invalidParam(`cannot call ${fnName} on ${m.kind === 'array' ? 'an array' : 'a scalar'}`);
    return m.members;
  };
  srf('json_each', [JS], T.record, (a) => rawObject(a[0] as string, 'json_each').map((m) => [m.key, m.raw] as unknown as Datum), { columns: eachColumns(JS) });
  srf('json_each_text', [JS], T.record, (a) => rawObject(a[0] as string, 'json_each_text').map((m) => [m.key, rawAsText(m.raw)] as unknown as Datum), { columns: eachColumns(S) });

  // building
  typedFn('to_jsonb', [T.anyelement], J, (t) => (a, ctx) => jsonbOut(toJsonValue(a[0]!, t.args[0] ?? S, ctx)));
  typedFn('to_json', [T.anyelement], JS, (t) => (a, ctx) => jsonFromDatum(a[0]!, t.args[0] ?? S, ctx));
  fn('row_to_json', [T.record], JS, (a, ctx) => jsonFromDatum(a[0]!, T.record, ctx));
  typedFn('jsonb_build_object', [T.any], J, (t) => (a, ctx) => {
    const out: JsonObject = new Map();
    for (const [k, v, oid] of objectPairs(a, t.args, 'jsonb_build_object', ctx)) { out.delete(k); out.set(k, toJsonValue(v, oid, ctx)); }
    return jsonbOut(out);
  }, { strict: false, variadic: T.any });
  typedFn('json_build_object', [T.any], JS, (t) => (a, ctx) =>
    `{${objectPairs(a, t.args, 'json_build_object', ctx).map(([k, v, oid]) => `${quoteJsonString(k)} : ${jsonFromDatum(v, oid, ctx)}`).join(', ')}}`,
  { strict: false, variadic: T.any });
  fn('jsonb_build_object', [], J, () => '{}');
  fn('json_build_object', [], JS, () => '{}');
  typedFn('jsonb_build_array', [T.any], J, (t) => (a, ctx) => jsonbOut(a.map((x, i) => toJsonValue(x, t.args[i] ?? S, ctx))), { strict: false, variadic: T.any });
  typedFn('json_build_array', [T.any], JS, (t) => (a, ctx) => `[${a.map((x, i) => jsonFromDatum(x, t.args[i] ?? S, ctx)).join(', ')}]`, { strict: false, variadic: T.any });
  fn('jsonb_build_array', [], J, () => '[]');
  fn('json_build_array', [], JS, () => '[]');

  // aggregates
  const collect = <V>(convert: (d: Datum, oid: number, ctx: EvalContext) => V, wrap: (items: V[]) => string) => (elem: number) => ({
    strict: false,
    init: () => ({ items: [] as V[], any: false }),
    step: (s: { items: V[]; any: boolean }, a: Datum[], ctx: EvalContext) => { s.items.push(convert(a[0]!, elem, ctx)); s.any = true; return s; },
    final: (s: { items: V[]; any: boolean }): Datum => (s.any ? wrap(s.items) : null),
  });
  const jsonbAgg = collect(toJsonValue, (items) => jsonbOut(items));
  // json_agg: ", " between elements, and a line of its own for each row or array after the first
  const jsonAgg = (elem: number) => collect(jsonFromDatum,
    (items) => `[${items.join(elem === T.record || elementTypeOf(elem) !== 0 ? ', \n ' : ', ')}]`)(elem);
  agg('jsonb_agg', [T.anyelement], J, jsonbAgg(S), (t) => jsonbAgg(t.args[0]!));
  agg('json_agg', [T.anyelement], JS, jsonAgg(S), (t) => jsonAgg(t.args[0]!));
  agg('json_agg', [T.record], JS, jsonAgg(T.record));
  agg('jsonb_agg', [T.record], J, jsonbAgg(T.record));
  const objectAgg = <V>(convert: (d: Datum, oid: number, ctx: EvalContext) => V, wrap: (pairs: Array<[string, V]>) => string) => (keyType: number, valueType: number) => ({
    strict: false,
    init: () => ({ pairs: [] as Array<[string, V]>, any: false }),
    step: (s: { pairs: Array<[string, V]>; any: boolean }, a: Datum[], ctx: EvalContext) => {
      if (a[0] === null) throw invalidParam('field name must not be null');
      s.pairs.push([typeof a[0] === 'string' ? a[0] : toText(a[0]!, keyType, ctx), convert(a[1]!, valueType, ctx)]);
      s.any = true;
      return s;
    },
    final: (s: { pairs: Array<[string, V]>; any: boolean }): Datum => (s.any ? wrap(s.pairs) : null),
  });
  const jsonbObjectAgg = objectAgg(toJsonValue, (pairs) => jsonbOut(new Map(pairs)));
  const jsonObjectAgg = objectAgg(jsonFromDatum, (pairs) => `{ ${pairs.map(([k, v]) => `${quoteJsonString(k)} : ${v}`).join(', ')} }`);
  agg('jsonb_object_agg', [T.any, T.any], J, jsonbObjectAgg(S, S), (t) => jsonbObjectAgg(t.args[0]!, t.args[1]!));
  agg('json_object_agg', [T.any, T.any], JS, jsonObjectAgg(S, S), (t) => jsonObjectAgg(t.args[0]!, t.args[1]!));
}
