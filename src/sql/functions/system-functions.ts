// Session and system functions (version, current_user, current_database, current_schema(s),
// nextval/currval/setval, pg_notify, gen_random_uuid, num_nulls) and generate_series over integers and
// numerics. Session state is reached only through ctx.services.
import { randomUUID } from 'node:crypto';
import { SqlError, SQLSTATE } from '../../base/index.js';
import { Numeric, formatType } from '../types/index.js';
import type { Datum } from '../types/index.js';
import type { EvalContext } from './function-def.js';
import { fn, srf } from './registry.js';
import { T } from './oids.js';
import { invalidParam } from './errors.js';

export const VERSION_STRING = 'PostgreSQL 15.8 (QuiverDB 0.1.0) on x86_64-pc-linux-gnu, compiled by TypeScript, 64-bit';

/** The sequence name of a regclass argument (the analyzer may pass a name or an OID). */
function sequenceName(d: Datum, ctx: EvalContext): string {
  if (typeof d === 'string') return d;
  const r = ctx.services.catalogFunction('regclassout', [d]);
  return typeof r === 'string' ? r : String(d);
}

function* seriesInt(start: number, stop: number, step: number): Generator<Datum> {
  if (step === 0) throw invalidParam('step size cannot equal zero');
  for (let i = start; step > 0 ? i <= stop : i >= stop; i += step) yield i;
}

function* seriesBig(start: bigint, stop: bigint, step: bigint): Generator<Datum> {
  if (step === 0n) throw invalidParam('step size cannot equal zero');
  for (let i = start; step > 0n ? i <= stop : i >= stop; i += step) yield i;
}

function* seriesNumeric(start: Numeric, stop: Numeric, step: Numeric): Generator<Datum> {
  for (const [v, what] of [[start, 'start value'], [stop, 'stop value'], [step, 'step size']] as const) {
    if (v.isNaN()) throw invalidParam(`${what} cannot be NaN`);
    if (v.isInfinite()) throw invalidParam(`${what} cannot be infinity`);
  }
  const sign = step.sign();
  if (sign === 0) throw invalidParam('step size cannot equal zero');
  for (let i = start; sign > 0 ? i.compare(stop) <= 0 : i.compare(stop) >= 0; i = i.add(step)) yield i;
}

export function registerSystemFunctions(): void {
  const S = T.text, NAME = T.name;
  fn('version', [], S, () => VERSION_STRING);
  fn('current_user', [], NAME, (_a, ctx) => ctx.services.currentUser());
  fn('session_user', [], NAME, (_a, ctx) => ctx.services.sessionUser());
  fn('current_database', [], NAME, (_a, ctx) => ctx.services.currentDatabase());
  fn('current_schema', [], NAME, (_a, ctx) => ctx.services.currentSchema());
  fn('current_schemas', [T.bool], T._name, (a, ctx) => {
    const items = ctx.services.currentSchemas(a[0] as boolean);
    return { kind: 'array', elemOid: NAME, dims: items.length ? [items.length] : [], lbounds: items.length ? [1] : [], items };
  });
  fn('nextval', [T.regclass], T.int8, (a, ctx) => ctx.services.nextval(sequenceName(a[0]!, ctx)));
  // pg_notify(channel, payload): NOTIFY as a function (a NULL payload is empty; a NULL channel is an error)
  fn('pg_notify', [T.text, T.text], T.void, (a, ctx) => {
    if (a[0] === null) throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, 'channel name cannot be empty');
    ctx.services.notify(a[0] as string, (a[1] as string | null) ?? '');
    return null;
  }, { strict: false, volatility: 'v' });
  fn('currval', [T.regclass], T.int8, (a, ctx) => ctx.services.currval(sequenceName(a[0]!, ctx)));
  fn('setval', [T.regclass, T.int8], T.int8, (a, ctx) => ctx.services.setval(sequenceName(a[0]!, ctx), a[1] as bigint, true));
  fn('setval', [T.regclass, T.int8, T.bool], T.int8, (a, ctx) => ctx.services.setval(sequenceName(a[0]!, ctx), a[1] as bigint, a[2] as boolean));
  fn('gen_random_uuid', [], T.uuid, () => randomUUID());
  fn('format_type', [T.oid, T.int4], S, (a) => (a[0] === null ? null : formatType(a[0] as number, a[1] as number | null)), { strict: false });
  fn('num_nulls', [T.any], T.int4, (a) => a.filter((x) => x === null).length, { strict: false, variadic: T.any });
  fn('num_nonnulls', [T.any], T.int4, (a) => a.filter((x) => x !== null).length, { strict: false, variadic: T.any });
  fn('pg_sleep', [T.float8], T.void, () => {
    throw new SqlError(SQLSTATE.FEATURE_NOT_SUPPORTED, 'pg_sleep is not supported');
  });

  srf('generate_series', [T.int4, T.int4], T.int4, (a) => seriesInt(a[0] as number, a[1] as number, 1));
  srf('generate_series', [T.int4, T.int4, T.int4], T.int4, (a) => seriesInt(a[0] as number, a[1] as number, a[2] as number));
  srf('generate_series', [T.int8, T.int8], T.int8, (a) => seriesBig(a[0] as bigint, a[1] as bigint, 1n));
  srf('generate_series', [T.int8, T.int8, T.int8], T.int8, (a) => seriesBig(a[0] as bigint, a[1] as bigint, a[2] as bigint));
  srf('generate_series', [T.numeric, T.numeric], T.numeric, (a) => seriesNumeric(a[0] as Numeric, a[1] as Numeric, Numeric.ONE));
  srf('generate_series', [T.numeric, T.numeric, T.numeric], T.numeric, (a) => seriesNumeric(a[0] as Numeric, a[1] as Numeric, a[2] as Numeric));
}
