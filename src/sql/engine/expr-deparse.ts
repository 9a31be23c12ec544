// Prints a bound expression the way PostgreSQL's ruleutils (pg_get_expr, pg_get_constraintdef)
// prints the analyzed tree: constants typed ('x'::text, 0::numeric), implicit casts shown except at
// the top level, pretty mode dropping the parentheses ruleutils' isSimpleNode allows. Expression
// kinds it does not know make it return undefined, and callers fall back to the stored text.
import { formatType, textOut, type Datum, type SqlType, type TypeSettings } from '../types/index.js';
import { OID } from '../types/index.js';
import { quoteIdent } from '../parse/index.js';
import type { BoundExpr } from '../analyze/index.js';

class Unsupported extends Error {}

const OPERATOR_CHARS = /^[+\-*/<>=~!@#%^&|`?]+$/;

/** How regclass constants are named (the relation's name as the session sees it). */
let settings: TypeSettings = {};

/** Deparses `e`; undefined when it holds something not handled here. */
export function deparseExpr(e: BoundExpr, pretty: boolean, typeSettings: TypeSettings = {}): string | undefined {
  settings = typeSettings;
  try {
    return expr(topLevel(e), pretty, null, true);
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
}

/** An implicit coercion at the top (a default coerced to its column type) is not shown. */
function topLevel(e: BoundExpr): BoundExpr {
  let x = e;
  while (x.kind === 'cast' && !x.explicit) x = x.arg;
  return x;
}

function typeName(t: SqlType): string {
  return formatType(t.oid, -1);
}

const NUMBER_TYPES: readonly number[] = [OID.int2, OID.int4, OID.int8, OID.numeric, OID.float4, OID.float8];
const INT4_MIN = -2147483648n, INT4_MAX = 2147483647n;

function quote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** A constant as ruleutils prints a Const of `oid` whose output text is `out`. */
function pgConst(oid: number, typmod: number, out: string): string {
  switch (oid) {
    case OID.int4: return out.startsWith('-') ? `'${out}'::integer` : out;
    case OID.numeric: {
      const floatLooking = /^\d/.test(out) && /[eE.]/.test(out);
      if (!floatLooking) return `${quote(out)}::numeric`;
      return typmod >= 0 ? `${out}::${formatType(oid, typmod)}` : out;
    }
    default: return `${quote(out)}::${formatType(oid, -1)}`;
  }
}

/**
 * QuiverDB folds the coercion of a numeric literal into the constant (0 for a numeric column is a
 * numeric 0), where PostgreSQL keeps the literal's own type (integer, bigint or numeric) under a
 * cast. The literal's type is recovered from its text: PostgreSQL hides that cast at the top of a
 * default expression and shows it elsewhere (0::numeric).
 */
function constText(type: SqlType, value: Datum, top: boolean, pretty = true): string {
  if (value === null) return `NULL::${typeName(type)}`;
  const out = textOut(type, value, settings);
  if (type.oid === OID.bool) return value === true ? 'true' : 'false';
  if (type.oid === OID.unknown) return quote(out);
  if (NUMBER_TYPES.includes(type.oid) && /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(out)) {
    let literalOid: number = OID.numeric;
    if (/^-?\d+$/.test(out)) {
      const v = BigInt(out);
      literalOid = v >= INT4_MIN && v <= INT4_MAX ? OID.int4 : OID.int8;
    }
    const literal = pgConst(literalOid, literalOid === type.oid && !top ? type.typmod : -1, out);
    if (top || literalOid === type.oid) return literal;
    return `${pretty ? literal : `(${literal})`}::${typeName(type)}`;
  }
  return pgConst(type.oid, type.typmod, out);
}

function isBinaryOperator(e: BoundExpr): e is Extract<BoundExpr, { kind: 'call' }> {
  return e.kind === 'call' && e.fn.kind === 'operator' && e.args.length === 2;
}

/** ruleutils' isSimpleNode for pretty printing: can `node` go under `parent` without parentheses? */
function isSimple(node: BoundExpr, parent: BoundExpr | null, isLeftArg: boolean): boolean {
  if (parent === null) return true;
  switch (node.kind) {
    case 'const': case 'column': case 'param': return true;
    case 'call':
      if (node.fn.kind === 'function') return true;
      if (isBinaryOperator(node) && isBinaryOperator(parent)) {
        const op = node.fn.name, pop = parent.fn.name;
        const lo = op === '+' || op === '-', hi = op === '*' || op === '/' || op === '%';
        const plo = pop === '+' || pop === '-', phi = pop === '*' || pop === '/' || pop === '%';
        if (!(lo || hi) || !(plo || phi)) return false;
        if (hi && plo) return true;
        if (lo && phi) return false;
        return isLeftArg;
      }
      return simpleUnder(parent);
    case 'isnull': case 'booltest': case 'distinctfrom': return simpleUnder(parent);
    case 'and': case 'or': case 'not':
      if (parent.kind === 'and' || parent.kind === 'or') {
        if (node.kind === 'not' || node.kind === 'and') return true;
        return parent.kind === 'or';
      }
      return parent.kind === 'call' && parent.fn.kind === 'function';
    default: return false;
  }
}

function simpleUnder(parent: BoundExpr): boolean {
  if (parent.kind === 'cast') return false;
  if (parent.kind === 'call') return parent.fn.kind === 'function';
  return parent.kind === 'and' || parent.kind === 'or' || parent.kind === 'not' || parent.kind === 'coalesce' || parent.kind === 'minmax';
}

function child(e: BoundExpr, pretty: boolean, parent: BoundExpr, isLeftArg = false): string {
  const s = expr(e, pretty, parent, false);
  if (!pretty) return s;
  return isSimple(e, parent, isLeftArg) ? s : `(${s})`;
}

function expr(e: BoundExpr, pretty: boolean, parent: BoundExpr | null, top: boolean): string {
  switch (e.kind) {
    case 'const': return constText(e.type, e.value, top, pretty);
    case 'column': return quoteIdent(e.name);
    case 'cast': {
      if (e.arg.kind === 'const' && e.arg.type.oid === OID.unknown) return `${constText(e.arg.type, e.arg.value, false)}::${typeName(e.type)}`;
      const inner = expr(e.arg, pretty, e, false);
      const simple = e.arg.kind === 'const' || e.arg.kind === 'column' || (e.arg.kind === 'call' && e.arg.fn.kind === 'function');
      const arg = pretty ? (simple ? inner : `(${inner})`) : `(${inner})`;
      return `${arg}::${formatType(e.type.oid, e.explicit ? e.type.typmod : -1)}`;
    }
    case 'call': {
      if (e.fn.kind === 'operator' && OPERATOR_CHARS.test(e.fn.name)) {
        const s = e.args.length === 2
          ? `${child(e.args[0]!, pretty, e, true)} ${e.fn.name} ${child(e.args[1]!, pretty, e)}`
          : `${e.fn.name} ${child(e.args[0]!, pretty, e)}`;
        return pretty ? s : `(${s})`;
      }
      if (e.fn.kind !== 'function') throw new Unsupported();
      return `${quoteFunctionName(e.fn.name)}(${e.args.map((a) => expr(a, pretty, e, false)).join(', ')})`;
    }
    case 'and': case 'or': {
      const s = e.args.map((a) => child(a, pretty, e)).join(e.kind === 'and' ? ' AND ' : ' OR ');
      return pretty ? s : `(${s})`;
    }
    case 'not': {
      const s = `NOT ${child(e.arg, pretty, e)}`;
      return pretty ? s : `(${s})`;
    }
    case 'isnull': {
      const s = `${child(e.arg, pretty, e)} IS ${e.negate ? 'NOT ' : ''}NULL`;
      return pretty ? s : `(${s})`;
    }
    case 'inlist': {
      // x IN (a, b) is x = ANY (ARRAY[a, b]) in PostgreSQL's tree.
      const fn = e.fns[0];
      if (fn === undefined || fn.kind !== 'operator' || e.fns.some((f) => f.name !== fn.name)) throw new Unsupported();
      const items = e.items.map((i) => expr(i, pretty, e, false)).join(', ');
      const s = `${child(e.left, pretty, e, true)} ${fn.name} ${e.all ? 'ALL' : 'ANY'} (ARRAY[${items}])`;
      return pretty ? s : `(${s})`;
    }
    default:
      void parent;
      throw new Unsupported();
  }
}

function quoteFunctionName(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : quoteIdent(name);
}
