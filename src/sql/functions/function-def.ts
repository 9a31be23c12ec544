// The shape of a built-in function, operator or aggregate as the analyzer resolves it and the
// executor calls it. Argument and result types are PostgreSQL type OIDs; polymorphic pseudo-types
// (anyelement 2283, anyarray 2277, anynonarray 2776, anycompatible 5077, anycompatiblearray 5078,
// "any" 2276) are resolved by the analyzer from the actual argument types.
import type { Datum } from '../types/index.js';

/** What an implementation may read besides its arguments. */
export interface EvalContext {
  /** Transaction start time (now(), current_timestamp): microseconds since 2000-01-01 UTC. */
  readonly transactionTimestamp: bigint;
  /** Statement start time (statement_timestamp()). */
  readonly statementTimestamp: bigint;
  /** Reads a session setting (TimeZone, DateStyle, IntervalStyle, extra_float_digits, ...). */
  setting(name: string): string;
  /** Result type of the call being evaluated (resolved, after polymorphism). */
  readonly resultType?: { oid: number; typmod: number };
  /** Argument types of the call being evaluated (resolved). */
  readonly argTypes?: readonly { oid: number; typmod: number }[];
  /** Session services some functions need (sequences, current user, catalog look-ups). */
  readonly services: SessionServices;
}

/** Services the engine provides to functions that touch session or catalog state. */
export interface SessionServices {
  currentUser(): string;
  sessionUser(): string;
  currentDatabase(): string;
  currentSchema(): string | null;
  currentSchemas(includeImplicit: boolean): string[];
  nextval(sequence: string): bigint;
  currval(sequence: string): bigint;
  setval(sequence: string, value: bigint, isCalled: boolean): bigint;
  /** pg_notify(channel, payload): sent when the transaction commits. */
  notify(channel: string, payload: string): void;
  /** Generic hook for catalog functions (format_type, pg_get_indexdef, ...); returns undefined if unknown. */
  catalogFunction(name: string, args: readonly Datum[]): Datum | undefined;
}

export type Volatility = 'i' | 's' | 'v';

interface CommonDef {
  /** Lowercase name ('abs', 'length') or the operator symbol ('+', '||', '~~'). */
  readonly name: string;
  /** pg_proc OID when PostgreSQL has one for this signature (0 if none). */
  readonly oid: number;
  readonly argTypes: readonly number[];
  /** Element type OID of a VARIADIC last parameter (argTypes' last entry is then its array type). */
  readonly variadic?: number;
  readonly returnType: number;
  readonly volatility: Volatility;
}

export interface ScalarFunctionDef extends CommonDef {
  readonly kind: 'function' | 'operator';
  /** Strict: any NULL argument gives NULL without calling impl. */
  readonly strict: boolean;
  /** Set-returning function (generate_series, unnest): impl returns an iterable of datums. */
  readonly returnsSet?: boolean;
  /**
   * A set-returning function whose rows have several columns (jsonb_each: key, value): impl then
   * yields one array per row. Such functions are read in FROM only.
   */
  readonly outColumns?: ReadonlyArray<{ readonly name: string; readonly type: number }>;
  /**
   * PostgreSQL's parameter names (for calls with named arguments, days => 10) and the defaults of
   * the trailing parameters (for calls that leave them out).
   */
  readonly params?: { readonly names: readonly string[]; readonly defaults: readonly Datum[] };
  /** The name of a one-column set-returning function's column in FROM, when PostgreSQL gives it one (value). */
  readonly columnName?: string;
  readonly impl: (args: Datum[], ctx: EvalContext) => Datum | Iterable<Datum>;
  /**
   * For implementations that depend on the resolved argument/result types (concat, format,
   * anynonarray || text, array_append on NULL, ...): builds the impl for those types.
   * resolveFunction/resolveOperator return defs already specialized, so callers just call impl.
   */
  readonly specialize?: (argTypes: readonly number[], returnType: number) => ScalarFunctionDef['impl'];
}

export interface AggregateDef extends CommonDef {
  readonly kind: 'aggregate';
  /** Strict transition: NULL inputs are skipped (as for count(x), sum, avg, ...). */
  readonly strict: boolean;
  init(): unknown;
  step(state: unknown, args: Datum[], ctx: EvalContext): unknown;
  final(state: unknown, ctx: EvalContext): Datum;
  /** As ScalarFunctionDef.specialize, for aggregates whose state depends on the resolved types. */
  readonly specialize?: (argTypes: readonly number[], returnType: number) => Pick<AggregateDef, 'init' | 'step' | 'final'>;
}

export type FunctionDef = ScalarFunctionDef | AggregateDef;
