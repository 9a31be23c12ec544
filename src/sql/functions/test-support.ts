// Test support for the built-ins: a fake evaluation context and helpers that resolve a call the
// way the analyzer will (types from text literals, implicit coercions via castDatum), run it and
// print the result with the type's output function, so tests compare with psql -At output.
import type { Datum } from '../types/index.js';
import { castDatum, textIn, textOut } from '../types/index.js';
import type { AggregateDef, EvalContext, ScalarFunctionDef, SessionServices } from './function-def.js';
import { resolveFunction, resolveOperator, type Resolved } from './resolve.js';

export const services: SessionServices = {
  currentUser: () => 'alice',
  sessionUser: () => 'alice',
  currentDatabase: () => 'db1',
  currentSchema: () => 'public',
  currentSchemas: (implicit) => (implicit ? ['pg_catalog', 'public'] : ['public']),
  nextval: () => 42n,
  currval: () => 41n,
  setval: (_s, v) => v,
  notify: () => undefined,
  catalogFunction: () => undefined,
};

/** 2024-03-05 12:34:56.789 UTC as micros since 2000-01-01. */
export const FIXED_NOW = 762957296789000n;

/** A context shared by all calls, as the executor's is: no per-call argTypes/resultType. */
export function makeCtx(_r?: Resolved, settings: Record<string, string> = {}): EvalContext {
  return {
    transactionTimestamp: FIXED_NOW,
    statementTimestamp: FIXED_NOW,
    setting: (n) => settings[n] ?? ({ TimeZone: 'UTC', extra_float_digits: '1' } as Record<string, string>)[n] ?? '',
    services,
  };
}

/** An argument: [text or null, type oid]; 705 = unknown literal. */
export type Arg = readonly [string | null, number];

function prepare(r: Resolved, args: readonly Arg[], settings: Record<string, string>): Datum[] {
  const ts = { timeZone: settings.TimeZone ?? 'UTC' };
  return args.map(([text, oid], i) => {
    const target = r.argTypes[i]!;
    if (text === null) return null;
    if (oid === 705) return textIn({ oid: target, typmod: -1 }, text, ts);
    const d = textIn({ oid, typmod: -1 }, text, ts);
    return oid === target ? d : castDatum(d, { oid, typmod: -1 }, { oid: target, typmod: -1 }, false, ts);
  });
}

function out(d: Datum, oid: number, settings: Record<string, string>): string | null {
  if (d === null) return null;
  return textOut({ oid, typmod: -1 }, d, { timeZone: settings.TimeZone ?? 'UTC', extraFloatDigits: 1 });
}

function invoke(r: Resolved, args: Datum[], settings: Record<string, string>): string | null | (string | null)[] {
  const def = r.def as ScalarFunctionDef;
  if (def.strict && args.some((a) => a === null)) return null;
  const res = def.impl(args, makeCtx(r, settings));
  if (def.returnsSet) return [...(res as Iterable<Datum>)].map((d) => out(d, r.returnType, settings));
  return out(res as Datum, r.returnType, settings);
}

/** Resolves and runs a binary (or, with one arg, prefix) operator; returns psql-style text. */
export function runOp(sym: string, args: readonly Arg[], settings: Record<string, string> = {}): string | null {
  const r = args.length === 1 ? resolveOperator(sym, null, args[0]![1]) : resolveOperator(sym, args[0]![1], args[1]![1]);
  return invoke(r, prepare(r, args, settings), settings) as string | null;
}

/** Resolves and runs a function; set-returning functions give an array of texts. */
export function runFn(name: string, args: readonly Arg[], settings: Record<string, string> = {}): string | null | (string | null)[] {
  const r = resolveFunction(name, args.map((a) => a[1]));
  return invoke(r, prepare(r, args, settings), settings);
}

/** Runs an aggregate over rows of arguments. */
export function runAgg(name: string, argTypes: readonly number[], rows: readonly (readonly (string | null)[])[], settings: Record<string, string> = {}): string | null {
  const r = resolveFunction(name, argTypes);
  const def = r.def as AggregateDef;
  const ctx = makeCtx(r, settings);
  let st = def.init();
  for (const row of rows) {
    const vals = prepare(r, row.map((t, i) => [t, argTypes[i]!] as const), settings);
    if (def.strict && vals.some((v) => v === null)) continue;
    st = def.step(st, vals, ctx);
  }
  return out(def.final(st, ctx), r.returnType, settings);
}

/** Shorthands for argument types. */
export const u = (s: string | null): Arg => [s, 705];
export const i4 = (s: string | null): Arg => [s, 23];
export const i2 = (s: string | null): Arg => [s, 21];
export const i8 = (s: string | null): Arg => [s, 20];
export const f4 = (s: string | null): Arg => [s, 700];
export const f8 = (s: string | null): Arg => [s, 701];
export const num = (s: string | null): Arg => [s, 1700];
export const txt = (s: string | null): Arg => [s, 25];
