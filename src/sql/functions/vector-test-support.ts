// Test support for the vector and bit built-ins: literal parsers and printers for vector, halfvec,
// sparsevec and bit (so tests read like pgvector's regression files without depending on the
// types module's I/O), and helpers that resolve a call by argument types and run it.
import type { BitString, Datum, SparseVec } from '../types/index.js';
import { OID, float4Out } from '../types/index.js';
import type { AggregateDef, ScalarFunctionDef } from './function-def.js';
import { resolveFunction, resolveOperator } from './resolve.js';
import { makeCtx } from './test-support.js';
import { roundHalf } from './vector-support.js';

/** The type OIDs the tests use. */
export const VT = { vector: OID.vector, halfvec: OID.halfvec, sparsevec: OID.sparsevec, bit: OID.bit, varbit: OID.varbit } as const;

/** '[1,2,3]' → vector datum. */
export const vec = (s: string): Float32Array =>
  new Float32Array(s.trim().slice(1, -1).split(',').map((x) => Math.fround(Number(x))));

/** '[1,2,3]' → halfvec datum (values rounded to half). */
export const half = (s: string): Float32Array => vec(s).map((x) => roundHalf(x));

/** '{1:1,3:2}/5' → sparsevec datum (1-based indices in the text, 0-based in the datum). */
export function svec(s: string): SparseVec {
  const m = /^\{(.*)\}\/(\d+)$/.exec(s.trim());
  if (m === null) throw new Error(`bad sparsevec literal ${s}`);
  const entries = m[1]!.trim() === '' ? [] : m[1]!.split(',').map((e) => e.split(':').map(Number) as [number, number]);
  return {
    kind: 'sparsevec', dim: Number(m[2]),
    indices: new Int32Array(entries.map((e) => e[0] - 1)), values: new Float32Array(entries.map((e) => e[1])),
  };
}

/** '101' → bit datum. */
export function bits(s: string): BitString {
  const bytes = new Uint8Array((s.length + 7) >> 3);
  for (let i = 0; i < s.length; i++) if (s[i] === '1') bytes[i >> 3]! |= 0x80 >> (i & 7);
  return { kind: 'bit', length: s.length, bytes };
}

/** A datum printed as pgvector / PostgreSQL print it (vectors, sparsevecs, bits, numbers). */
export function show(d: Datum | Iterable<Datum>): string | null {
  if (d === null) return null;
  if (d instanceof Float32Array) return `[${Array.from(d, (x) => float4Out(x)).join(',')}]`;
  if (typeof d === 'object' && 'kind' in d && d.kind === 'sparsevec') {
    const parts = Array.from(d.indices, (ix, k) => `${ix + 1}:${float4Out(d.values[k]!)}`);
    return `{${parts.join(',')}}/${d.dim}`;
  }
  if (typeof d === 'object' && 'kind' in d && d.kind === 'bit') {
    let out = '';
    for (let i = 0; i < d.length; i++) out += (d.bytes[i >> 3]! >> (7 - (i & 7))) & 1 ? '1' : '0';
    return out;
  }
  if (typeof d === 'object' && 'kind' in d && d.kind === 'array') return `{${d.items.map((x) => String(x)).join(',')}}`;
  if (typeof d === 'number') {
    if (Number.isNaN(d)) return 'NaN';
    if (d === Infinity) return 'Infinity';
    if (d === -Infinity) return '-Infinity';
  }
  return String(d);
}

/** Resolves name(argTypes) and runs it on datums (strict: NULL in, NULL out). */
export function call(name: string, argTypes: readonly number[], args: Datum[]): Datum {
  const r = resolveFunction(name, argTypes);
  const def = r.def as ScalarFunctionDef;
  if (def.strict && args.some((a) => a === null)) return null;
  return def.impl(args, makeCtx()) as Datum;
}

/** Resolves and runs a binary operator (or a prefix one when left is null). */
export function callOp(sym: string, left: number | null, right: number, args: Datum[]): Datum {
  const r = resolveOperator(sym, left, right);
  const def = r.def as ScalarFunctionDef;
  if (def.strict && args.some((a) => a === null)) return null;
  return def.impl(args, makeCtx()) as Datum;
}

/** Runs an aggregate over one column of datums (NULLs skipped for strict aggregates). */
export function runAggregate(name: string, type: number, rows: Datum[]): Datum {
  const r = resolveFunction(name, [type]);
  const def = r.def as AggregateDef;
  const ctx = makeCtx();
  let st = def.init();
  for (const x of rows) {
    if (def.strict && x === null) continue;
    st = def.step(st, [x], ctx);
  }
  return def.final(st, ctx);
}

/** The resolved return type of name(argTypes). */
export const returnTypeOf = (name: string, argTypes: readonly number[]): number => resolveFunction(name, argTypes).returnType;
export const opReturnType = (sym: string, l: number, r: number): number => resolveOperator(sym, l, r).returnType;
