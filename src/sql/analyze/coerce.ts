// Type coercion of bound expressions: unknown literals and parameters take the type their
// context asks for, other values are cast when pg_cast allows it in that context (implicit,
// assignment or explicit), and CASE/UNION/COALESCE branches meet at a common type.
import { SqlError, SQLSTATE, toSqlError } from '../../base/index.js';
import {
  OID, castContext, castDatum, textIn, typeInfo, formatType, type SqlType, type Datum,
} from '../types/index.js';
import type { BoundExpr } from './bound.js';

export type CoercionContext = 'i' | 'a' | 'e';

const CONTEXT_RANK: Record<CoercionContext, number> = { i: 0, a: 1, e: 2 };

/** Pseudo-types a function may declare that accept any input unchanged. */
const ACCEPTS_ANY = new Set<number>([OID.any, OID.anyelement, OID.anyarray, OID.anynonarray,
  OID.anycompatible, OID.anycompatiblearray, OID.record]);

export interface CoercionHost {
  /** Parameter types, updated when an unknown parameter's type is inferred. */
  paramTypes: SqlType[];
  /** Session settings for literal input (TimeZone, DateStyle). */
  setting(name: string): string;
  /** regclass input: a relation name (possibly qualified, possibly quoted) → its OID (42P01 if none). */
  regclassIn?(text: string): number;
  /** regproc input: a procedure name → its OID (42883 if none, 42725 if overloaded). */
  regprocIn?(text: string): number;
}

export function typeNameOf(t: SqlType): string {
  // format_type_be: bit without a typmod is plain "bit" in messages (format_type quotes it).
  return t.oid === OID.bit ? 'bit' : formatType(t.oid, -1);
}

/** Converts a literal string into a constant of the target type (22P02 etc. on bad input). */
export function literalOf(text: string | null, target: SqlType, host: CoercionHost, position?: number): BoundExpr {
  if (text === null) return { kind: 'const', type: target, value: null };
  const byName = target.oid === OID.regclass ? host.regclassIn : target.oid === OID.regproc ? host.regprocIn : undefined;
  if (byName !== undefined && !/^\s*\d+\s*$/.test(text)) {
    try {
      return { kind: 'const', type: target, value: byName.call(host, text) };
    } catch (e) {
      if (e instanceof SqlError) throw e.withPosition(position);
      throw e;
    }
  }
  try {
    const value = textIn(target, text, { timeZone: host.setting('TimeZone') });
    if (target.oid === OID.regclass && host.regclassIn !== undefined) host.regclassIn(String(value));
    return { kind: 'const', type: target, value };
  } catch (e) {
    throw toSqlError(e).withPosition(position);
  }
}

/**
 * Coerces an expression to a type, or throws. For 'a' (assignment) the caller usually catches and
 * rethrows with the column name; for 'i' the message is PostgreSQL's generic one.
 */
export function coerce(
  e: BoundExpr, target: SqlType, context: CoercionContext, host: CoercionHost, position?: number,
): BoundExpr {
  const r = tryCoerce(e, target, context, host, position);
  if (r !== undefined) return r;
  if (context === 'e') {
    throw new SqlError(SQLSTATE.CANNOT_COERCE, `cannot cast type ${typeNameOf(e.type)} to ${typeNameOf(target)}`, { position });
  }
  throw new SqlError(SQLSTATE.DATATYPE_MISMATCH,
    `cannot cast type ${typeNameOf(e.type)} to ${typeNameOf(target)}`, { position });
}

/** Like coerce, but returns undefined when no coercion path exists. */
export function tryCoerce(
  e: BoundExpr, target: SqlType, context: CoercionContext, host: CoercionHost, position?: number,
): BoundExpr | undefined {
  const from = e.type;
  if (ACCEPTS_ANY.has(target.oid)) return e;
  if (from.oid === OID.unknown) {
    if (e.kind === 'const') {
      if (e.location !== undefined) position = e.location;
      const text = e.value === null ? null : String(e.value);
      return applyTypmod(literalOf(text, { oid: target.oid, typmod: -1 }, host, position), target, context, host);
    }
    if (e.kind === 'param') {
      host.paramTypes[e.index] = { oid: target.oid, typmod: -1 };
      return applyTypmod({ kind: 'param', index: e.index, type: { oid: target.oid, typmod: -1 } }, target, context, host);
    }
    // An unknown-typed expression that is not a literal (e.g. CASE of literals): treat as text.
    return tryCoerce({ ...e, type: { oid: OID.text, typmod: -1 } } as BoundExpr, target, context, host, position);
  }
  if (from.oid === target.oid) return applyTypmod(e, target, context, host);
  const cc = castContext(from.oid, target.oid);
  if (cc === undefined || CONTEXT_RANK[cc] > CONTEXT_RANK[context]) return undefined;
  return foldCast({ kind: 'cast', arg: e, type: target, explicit: context === 'e' }, host);
}

/** Adds a typmod-only coercion (varchar(3), numeric(5,2)) when the target has a typmod. */
function applyTypmod(e: BoundExpr, target: SqlType, context: CoercionContext, host: CoercionHost): BoundExpr {
  if (target.typmod < 0 || e.type.typmod === target.typmod) {
    if (e.type.typmod === target.typmod) return e;
    // A value of a constrained type is a value of the unconstrained one. A cast node computes
    // its typmod (numeric(5,2) rounds, varchar(3) cuts): it stays as it is, or abs(x::numeric(5,2))
    // would see x unrounded.
    return e.kind === 'cast' ? e : { ...e, type: target } as BoundExpr;
  }
  return foldCast({ kind: 'cast', arg: e, type: target, explicit: context === 'e' }, host);
}

/** Casts of constants are computed once, at bind time, except those that depend on settings. */
function foldCast(e: Extract<BoundExpr, { kind: 'cast' }>, host: CoercionHost): BoundExpr {
  if (e.arg.kind !== 'const') return e;
  const from = e.arg.type.oid, to = e.type.oid;
  if (from === OID.timestamptz || to === OID.timestamptz || from === OID.unknown) return e;
  const value: Datum = e.arg.value === null ? null
    : castDatum(e.arg.value, e.arg.type, e.type, e.explicit, { timeZone: host.setting('TimeZone') });
  return { kind: 'const', type: e.type, value };
}

/**
 * PostgreSQL's select_common_type: the type CASE/COALESCE/UNION/VALUES branches are coerced to.
 * `what` names the construct for the error message ("CASE", "UNION", "COALESCE", "VALUES").
 */
export function selectCommonType(types: readonly SqlType[], what: string, position?: number): SqlType {
  let pick: SqlType | undefined;
  for (const t of types) if (t.oid !== OID.unknown) { pick = t; break; }
  if (pick === undefined) return { oid: OID.text, typmod: -1 };
  let allSameTypmod = true;
  for (const t of types) {
    if (t.oid === OID.unknown || t.oid === pick.oid) {
      if (t.oid === pick.oid && t.typmod !== pick.typmod) allSameTypmod = false;
      continue;
    }
    const pcat = typeInfo(pick.oid)?.category;
    const tcat = typeInfo(t.oid)?.category;
    if (pcat !== tcat) {
      throw new SqlError(SQLSTATE.DATATYPE_MISMATCH,
        `${what} types ${typeNameOf(pick)} and ${typeNameOf(t)} cannot be matched`, { position });
    }
    const pickPreferred = typeInfo(pick.oid)?.preferred ?? false;
    if (!pickPreferred && castContext(pick.oid, t.oid) === 'i' && castContext(t.oid, pick.oid) !== 'i') {
      pick = t;
    }
  }
  for (const t of types) {
    if (t.oid !== OID.unknown && t.oid !== pick.oid && castContext(t.oid, pick.oid) !== 'i') {
      throw new SqlError(SQLSTATE.DATATYPE_MISMATCH,
        `${what} types ${typeNameOf(pick)} and ${typeNameOf(t)} cannot be matched`, { position });
    }
  }
  return allSameTypmod ? pick : { oid: pick.oid, typmod: -1 };
}
