// The table of built-in functions, operators and aggregates, keyed by lowercase name or operator
// symbol. Definition files add entries through the helpers here, which take OIDs, volatility and
// strictness from PostgreSQL's catalog data (pg-catalog-data.ts) so that they match PostgreSQL.
import type { Datum } from '../types/index.js';
import type { AggregateDef, EvalContext, FunctionDef, ScalarFunctionDef, Volatility } from './function-def.js';
import { PG_OPERATORS, PG_PROCS } from './pg-catalog-data.js';

const functions = new Map<string, FunctionDef[]>();
const operators = new Map<string, ScalarFunctionDef[]>();
const EMPTY: readonly never[] = [];

export function lookupFunction(name: string): readonly FunctionDef[] {
  return functions.get(name) ?? EMPTY;
}

export function lookupOperator(name: string): readonly ScalarFunctionDef[] {
  return operators.get(name) ?? EMPTY;
}

/** Every registered function name (for tests and catalog views). */
export function allFunctionNames(): string[] {
  return [...functions.keys()];
}

/** Every registered operator symbol. */
export function allOperatorNames(): string[] {
  return [...operators.keys()];
}

export type Impl = (args: Datum[], ctx: EvalContext) => Datum;
export type SetImpl = (args: Datum[], ctx: EvalContext) => Iterable<Datum>;

export interface FnOptions {
  strict?: boolean;
  volatility?: Volatility;
  variadic?: number;
  /** pg_proc OID when the signature differs from PostgreSQL's (a stand-in argument type). */
  oid?: number;
  /** Parameter names, and defaults of the trailing parameters. */
  params?: { names: string[]; defaults: Datum[] };
}

function addFunction(def: FunctionDef): void {
  let list = functions.get(def.name);
  if (list === undefined) { list = []; functions.set(def.name, list); }
  if (list.some((d) => sameArgs(d.argTypes, def.argTypes))) {
    throw new Error(`duplicate built-in ${def.name}(${def.argTypes.join(',')})`);
  }
  list.push(def);
}

function sameArgs(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function procFacts(name: string, args: readonly number[]) {
  return PG_PROCS[`${name}(${args.join(',')})`];
}

/** Registers a scalar function; oid/volatility/strictness default to PostgreSQL's. */
export function fn(name: string, args: readonly number[], ret: number, impl: Impl, opts: FnOptions = {}): void {
  const f = procFacts(name, args);
  const def: ScalarFunctionDef = {
    kind: 'function', name, oid: opts.oid ?? f?.[0] ?? 0, argTypes: args, returnType: ret,
    volatility: opts.volatility ?? (f?.[1] as Volatility | undefined) ?? 'i',
    strict: opts.strict ?? (f === undefined ? true : f[2] === 1),
    impl,
    ...(opts.variadic !== undefined ? { variadic: opts.variadic } : f !== undefined && f[4] !== 0 ? { variadic: f[4] } : {}),
    ...(opts.params !== undefined ? { params: opts.params } : {}),
  };
  addFunction(def);
}

/** Types of one resolved call, for implementations that depend on them. */
export interface CallTypes { readonly args: readonly number[]; readonly ret: number }

/** Registers a scalar function whose implementation is built per resolved call types. */
export function typedFn(name: string, args: readonly number[], ret: number, make: (t: CallTypes) => Impl, opts: FnOptions = {}): void {
  fn(name, args, ret, make({ args, ret }), opts);
  const list = functions.get(name)!;
  const def = list[list.length - 1] as ScalarFunctionDef;
  list[list.length - 1] = { ...def, specialize: (a, r) => make({ args: a, ret: r }) };
}

/** Registers an operator whose implementation is built per resolved call types. */
export function typedOp(symbol: string, left: number, right: number, ret: number, make: (t: CallTypes) => Impl, opts: { volatility?: Volatility; strict?: boolean } = {}): void {
  const declared = left === 0 ? [right] : [left, right];
  op(symbol, left, right, ret, make({ args: declared, ret }), opts);
  const list = operators.get(symbol)!;
  const def = list[list.length - 1]!;
  list[list.length - 1] = { ...def, specialize: (a, r) => make({ args: a, ret: r }) };
}

/** Registers a set-returning function; with `opts.columns` its rows are arrays of those columns. */
export function srf(name: string, args: readonly number[], ret: number, impl: SetImpl, opts: FnOptions & { columns?: Array<{ name: string; type: number }>; columnName?: string } = {}): void {
  const f = procFacts(name, args);
  const def: ScalarFunctionDef = {
    kind: 'function', name, oid: f?.[0] ?? 0, argTypes: args, returnType: ret,
    volatility: opts.volatility ?? (f?.[1] as Volatility | undefined) ?? 'i',
    strict: opts.strict ?? (f === undefined ? true : f[2] === 1),
    returnsSet: true,
    impl,
    ...(opts.variadic !== undefined ? { variadic: opts.variadic } : {}),
    ...(opts.columns !== undefined ? { outColumns: opts.columns } : {}),
    ...(opts.columnName !== undefined ? { columnName: opts.columnName } : {}),
  };
  addFunction(def);
}

/** Registers an operator: left 0 means a prefix operator (one argument). */
export function op(symbol: string, left: number, right: number, ret: number, impl: Impl, opts: { volatility?: Volatility; strict?: boolean } = {}): void {
  const f = PG_OPERATORS[`${symbol}(${left},${right})`];
  const def: ScalarFunctionDef = {
    kind: 'operator', name: symbol, oid: f?.[0] ?? 0,
    argTypes: left === 0 ? [right] : [left, right], returnType: ret,
    volatility: opts.volatility ?? (f?.[1] as Volatility | undefined) ?? 'i',
    strict: opts.strict ?? true, impl,
  };
  let list = operators.get(symbol);
  if (list === undefined) { list = []; operators.set(symbol, list); }
  if (list.some((d) => sameArgs(d.argTypes, def.argTypes))) {
    throw new Error(`duplicate built-in operator ${symbol}(${def.argTypes.join(',')})`);
  }
  list.push(def);
}

export interface AggSpec<S> {
  strict?: boolean;
  init(): S;
  step(state: S, args: Datum[], ctx: EvalContext): S;
  final(state: S, ctx: EvalContext): Datum;
}

/** Registers an aggregate. */
export function agg<S>(name: string, args: readonly number[], ret: number, spec: AggSpec<S>, make?: (t: CallTypes) => AggSpec<S>): void {
  const f = procFacts(name, args);
  const def: AggregateDef = {
    kind: 'aggregate', name, oid: f?.[0] ?? 0, argTypes: args, returnType: ret,
    volatility: (f?.[1] as Volatility | undefined) ?? 'i',
    strict: spec.strict ?? true,
    init: spec.init as () => unknown,
    step: spec.step as (s: unknown, a: Datum[], c: EvalContext) => unknown,
    final: spec.final as (s: unknown, c: EvalContext) => Datum,
    ...(make !== undefined ? {
      specialize: (a: readonly number[], r: number) => {
        const sp = make({ args: a, ret: r });
        return {
          init: sp.init as () => unknown,
          step: sp.step as (s: unknown, a: Datum[], c: EvalContext) => unknown,
          final: sp.final as (s: unknown, c: EvalContext) => Datum,
        };
      },
    } : {}),
  };
  addFunction(def);
}
