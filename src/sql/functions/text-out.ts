// The one place the built-ins turn an arbitrary datum into its text form (concat, format,
// array_to_string, anynonarray || text) and read the session's type settings (TimeZone,
// extra_float_digits, ...) from the evaluation context.
import type { Datum } from '../types/index.js';
import { UTC_ZONE, textOut, timeZoneOrThrow, type TimeZone, type TypeSettings } from '../types/index.js';
import type { EvalContext } from './function-def.js';

/** The TypeSettings the types module's I/O functions read, from the session settings. */
export function typeSettings(ctx: EvalContext | undefined): TypeSettings | undefined {
  if (ctx === undefined) return undefined;
  const efd = Number(safeSetting(ctx, 'extra_float_digits') ?? '1');
  return {
    timeZone: safeSetting(ctx, 'TimeZone') ?? 'UTC',
    extraFloatDigits: Number.isFinite(efd) ? efd : 1,
    byteaOutput: safeSetting(ctx, 'bytea_output') ?? 'hex',
  };
}

function safeSetting(ctx: EvalContext, name: string): string | undefined {
  try {
    const v = ctx.setting(name);
    return v === '' ? undefined : v;
  } catch {
    return undefined;
  }
}

/** The session time zone. */
export function ctxZone(ctx: EvalContext): TimeZone {
  const name = safeSetting(ctx, 'TimeZone');
  return name === undefined || name === 'UTC' ? UTC_ZONE : timeZoneOrThrow(name);
}

/** Text output of d (non-null) of type oid, as the type's output function prints it. */
export function toText(d: Datum, oid: number, ctx?: EvalContext): string {
  if (typeof d === 'string') return d;
  return textOut({ oid, typmod: -1 }, d, typeSettings(ctx));
}
