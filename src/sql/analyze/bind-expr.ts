// Binding of expressions: raw parse-tree expression nodes → typed BoundExpr, resolving columns
// through scopes, operators and functions through the built-in registry (PostgreSQL's overload
// rules), literals and parameters to the types their context asks for.
import { SqlError, SQLSTATE, LIMITS, notSupported } from '../../base/index.js';
import { nodeTag, nodeBody, strVal, nameList, type PgNode } from '../parse/index.js';
import {
  OID, resolveTypeName, arrayTypeOf, elementTypeOf, type SqlType, type SqlArray, type Datum,
} from '../types/index.js';
import {
  resolveOperator, resolveFunctionAt, lookupFunction, type ScalarFunctionDef, type AggregateDef,
} from '../functions/index.js';
import type { AggCall, BoundExpr, BoundQuery, SortKey } from './bound.js';
import { coerce, literalOf, selectCommonType, tryCoerce, typeNameOf, type CoercionHost } from './coerce.js';
import { mapExpr as mapExprDeep, visitExpr } from './expr-utils.js';
import type { Scope } from './scope.js';
import { bindWindowCall, isWindowFunctionName, type WindowCollector } from './bind-window.js';
import { GROUPING_FN } from './grouping-sets.js';

const BOOL: SqlType = { oid: OID.bool, typmod: -1 };
const UNKNOWN: SqlType = { oid: OID.unknown, typmod: -1 };

/** Where an expression appears: decides whether aggregates and set-returning functions may. */
export interface ExprContext {
  scope: Scope;
  /** Collector for aggregate calls, or null when aggregates are not allowed here. */
  aggregates: AggCall[] | null;
  /** Clause name for "aggregate functions are not allowed in X". */
  clause: string;
  allowSrf: boolean;
  /** Collector for window function calls, or null/absent when they are not allowed here. */
  windows?: WindowCollector | null;
  /** Why window functions are not allowed, when not for the clause: inside another window function or an aggregate. */
  windowsRejected?: 'nested' | 'aggregate';
}

/** What the expression binder needs from the statement binder. */
export interface BinderHost extends CoercionHost {
  bindSubquery(node: PgNode, parent: Scope): { query: BoundQuery; correlated: boolean };
  /** Marks that a column of an outer scope was referenced (for correlation tracking). */
  noteOuterReference(levelsUp: number): void;
}

export class ExprBinder {
  private depth = 0;
  constructor(readonly host: BinderHost) {}

  bind(node: PgNode, ctx: ExprContext): BoundExpr {
    if (++this.depth > LIMITS.expressionDepthMax) {
      this.depth = 0;
      throw new SqlError(SQLSTATE.STATEMENT_TOO_COMPLEX, 'stack depth limit exceeded', {
        hint: 'Increase the configuration parameter "max_stack_depth" (currently 2048kB), after ensuring the platform\'s stack depth limit is adequate.',
      });
    }
    try {
      return this.bindInner(node, ctx);
    } finally {
      this.depth--;
    }
  }

  /** Binds and coerces to boolean (WHERE, HAVING, ON, CASE WHEN). */
  bindCondition(node: PgNode, ctx: ExprContext, what: string): BoundExpr {
    const e = this.bind(node, ctx);
    return this.toBool(e, what, location(node));
  }

  private toBool(e: BoundExpr, what: string, position?: number): BoundExpr {
    if (e.type.oid === OID.bool) return e;
    const r = tryCoerce(e, BOOL, 'i', this.host, position);
    if (r === undefined) {
      throw new SqlError(SQLSTATE.DATATYPE_MISMATCH, `argument of ${what} must be type boolean, not type ${typeNameOf(e.type)}`, { position });
    }
    return r;
  }

  private bindInner(node: PgNode, ctx: ExprContext): BoundExpr {
    const tag = nodeTag(node);
    const n = nodeBody(node);
    switch (tag) {
      case 'A_Const': return this.bindConst(n);
      case 'ColumnRef': return this.bindColumnRef(n, ctx);
      case 'ParamRef': return this.bindParam(n);
      case 'A_Expr': return this.bindAExpr(n, ctx);
      case 'BoolExpr': return this.bindBoolExpr(n, ctx);
      case 'TypeCast': return this.bindTypeCast(n, ctx);
      case 'FuncCall': return this.bindFuncCall(n, ctx);
      case 'GroupingFunc': {
        if (ctx.aggregates === null) {
          throw new SqlError(SQLSTATE.GROUPING_ERROR, `grouping operations are not allowed in ${ctx.clause}`, { position: pos(n.location) });
        }
        const args = ((n.args as PgNode[] | undefined) ?? []).map((a) => this.bind(a, { ...ctx, aggregates: null, clause: 'GROUPING' }));
        if (args.length > 31) throw new SqlError(SQLSTATE.TOO_MANY_ARGUMENTS, 'GROUPING must have fewer than 32 arguments', { position: pos(n.location) });
        return { kind: 'call', fn: GROUPING_FN, args, type: { oid: OID.int4, typmod: -1 } };
      }
      case 'NullTest': {
        const arg = this.bind(n.arg, ctx);
        return { kind: 'isnull', arg, negate: n.nulltesttype === 'IS_NOT_NULL', type: BOOL };
      }
      case 'BooleanTest': return this.bindBooleanTest(n, ctx);
      case 'CaseExpr': return this.bindCase(n, ctx);
      case 'CoalesceExpr': {
        const args = (n.args as PgNode[]).map((a) => this.bind(a, ctx));
        const type = selectCommonType(args.map((a) => a.type), 'COALESCE', n.location);
        return { kind: 'coalesce', args: args.map((a) => coerce(a, type, 'i', this.host)), type };
      }
      case 'MinMaxExpr': {
        const args = (n.args as PgNode[]).map((a) => this.bind(a, ctx));
        const op = n.op === 'IS_GREATEST' ? 'greatest' : 'least';
        const type = selectCommonType(args.map((a) => a.type), op.toUpperCase(), n.location);
        this.comparisonFn('<', type, n.location);
        return { kind: 'minmax', op, args: args.map((a) => coerce(a, type, 'i', this.host)), cmpOid: type.oid, type };
      }
      case 'SubLink': return this.bindSubLink(n, ctx);
      case 'A_ArrayExpr': return this.bindArrayExpr(n, ctx, null);
      case 'A_Indirection': return this.bindIndirection(n, ctx);
      case 'SQLValueFunction': return this.bindSqlValueFunction(n, ctx);
      case 'CollateClause': {
        const coll = nameList(n.collname).join('.');
        if (coll !== 'C' && coll !== 'POSIX' && coll !== 'default' && coll !== 'pg_catalog.default') {
          throw notSupported(`COLLATE "${coll}"`);
        }
        return this.bind(n.arg, ctx);
      }
      case 'RowExpr': {
        // ROW(a, b): an anonymous record, its fields named f1, f2, ... (as row_to_json shows them)
        const items = ((n.args as PgNode[] | undefined) ?? []).map((a) => this.bind(a, ctx));
        return { kind: 'row', items, names: items.map((_, i) => `f${i + 1}`), type: { oid: OID.record, typmod: -1 } };
      }
      case 'A_Star': throw new SqlError(SQLSTATE.SYNTAX_ERROR, 'row expansion via "*" is not supported here', { position: pos(n.location) });
      default:
        throw notSupported(`expression node ${tag}`);
    }
  }

  private bindConst(n: PgNode): BoundExpr {
    if (n.isnull) return { kind: 'const', type: UNKNOWN, value: null };
    if (n.ival !== undefined) return { kind: 'const', type: { oid: OID.int4, typmod: -1 }, value: (n.ival.ival as number | undefined) ?? 0 };
    if (n.fval !== undefined) {
      const text = n.fval.fval as string;
      if (/^-?\d+$/.test(text)) {
        const big = BigInt(text);
        if (big >= -(2n ** 31n) && big < 2n ** 31n) return { kind: 'const', type: { oid: OID.int4, typmod: -1 }, value: Number(big) };
        if (big >= -(2n ** 63n) && big < 2n ** 63n) return { kind: 'const', type: { oid: OID.int8, typmod: -1 }, value: big };
      }
      return literalOf(text, { oid: OID.numeric, typmod: -1 }, this.host, pos(n.location));
    }
    if (n.sval !== undefined) return { kind: 'const', type: UNKNOWN, value: (n.sval.sval as string | undefined) ?? '', location: pos(n.location) };
    if (n.boolval !== undefined) return { kind: 'const', type: BOOL, value: n.boolval.boolval === true };
    if (n.bsval !== undefined) return literalOf((n.bsval.bsval as string | undefined) ?? '', { oid: OID.bit, typmod: -1 }, this.host, pos(n.location));
    throw notSupported('this constant');
  }

  private bindParam(n: PgNode): BoundExpr {
    const number = (n.number as number | undefined) ?? 0;
    if (number < 1 || number > LIMITS.statementParamsMax) {
      throw new SqlError(SQLSTATE.UNDEFINED_PARAMETER, `there is no parameter $${number}`, { position: pos(n.location) });
    }
    const index = number - 1;
    while (this.host.paramTypes.length <= index) this.host.paramTypes.push(UNKNOWN);
    return { kind: 'param', index, type: this.host.paramTypes[index]! };
  }

  private bindColumnRef(n: PgNode, ctx: ExprContext): BoundExpr {
    const fields = n.fields as PgNode[];
    const names = fields.map(strVal);
    if (names[names.length - 1] === '*') {
      throw new SqlError(SQLSTATE.SYNTAX_ERROR, 'row expansion via "*" is not supported here', { position: pos(n.location) });
    }
    let qualifier: string | null = null;
    let name: string;
    if (names.length === 1) name = names[0]!;
    else if (names.length === 2) { qualifier = names[0]!; name = names[1]!; }
    else if (names.length === 3) { qualifier = `${names[0]}.${names[1]}`; name = names[2]!; }
    else throw new SqlError(SQLSTATE.SYNTAX_ERROR, `improper qualified name (too many dotted names): ${names.join('.')}`, { position: pos(n.location) });
    let scope: Scope | null = ctx.scope;
    let levelsUp = 0;
    let qualifierSeen = false;
    while (scope !== null) {
      if (qualifier !== null && scope.hasItem(qualifier)) qualifierSeen = true;
      const col = scope.lookup(qualifier, name, pos(n.location));
      if (col !== undefined) {
        if (levelsUp > 0) this.host.noteOuterReference(levelsUp);
        if (col.expr !== undefined) {
          const up = levelsUp;
          return up === 0 ? col.expr : mapExprDeep(col.expr, (x) => (x.kind === 'column' && x.levelsUp === 0 ? { ...x, levelsUp: up } : x));
        }
        return { kind: 'column', levelsUp, index: col.offset, type: col.type, name, table: col.alias, location: pos(n.location) };
      }
      if (qualifierSeen) break;
      scope = scope.parent;
      levelsUp++;
    }
    if (qualifier !== null && !qualifierSeen) {
      throw new SqlError(SQLSTATE.UNDEFINED_TABLE, `missing FROM-clause entry for table "${qualifier}"`, { position: pos(n.location) });
    }
    // A bare name that is no column but a FROM item: the whole row (row_to_json(t), json_agg(t)).
    if (qualifier === null) {
      const whole = this.wholeRow(name, ctx.scope, pos(n.location));
      if (whole !== undefined) return whole;
    }
    const full = qualifier === null ? `"${name}"` : `${qualifier}.${name}`;
    throw new SqlError(SQLSTATE.UNDEFINED_COLUMN, `column ${full} does not exist`, { position: pos(n.location) });
  }

  /** The whole row of the FROM item called `name` in the nearest scope that has one. */
  private wholeRow(name: string, start: Scope, position: number | undefined): BoundExpr | undefined {
    let scope: Scope | null = start;
    let levelsUp = 0;
    while (scope !== null) {
      const item = scope.items.find((i) => i.alias === name);
      if (item !== undefined) {
        if (levelsUp > 0) this.host.noteOuterReference(levelsUp);
        const columns = item.columns.filter((c) => !c.hidden && !c.system);
        const items: BoundExpr[] = columns.map((c) => (c.expr !== undefined && levelsUp === 0 ? c.expr
          : { kind: 'column', levelsUp, index: c.offset, type: c.type, name: c.name, table: c.alias ?? name, location: position }));
        return { kind: 'row', items, names: columns.map((c) => c.name), type: { oid: OID.record, typmod: -1 } };
      }
      scope = scope.parent;
      levelsUp++;
    }
    return undefined;
  }

  /** Binds `left op right` with PostgreSQL's operator resolution. */
  bindOperator(name: string, left: BoundExpr | null, right: BoundExpr, position?: number): BoundExpr {
    let resolved;
    try {
      resolved = resolveOperator(name, left === null ? null : left.type.oid, right.type.oid);
    } catch (e) {
      if (e instanceof SqlError) throw e.withPosition(position);
      throw e;
    }
    const fn = resolved.def as ScalarFunctionDef;
    const args: BoundExpr[] = [];
    const inputs = left === null ? [right] : [left, right];
    for (let i = 0; i < inputs.length; i++) {
      args.push(coerce(inputs[i]!, { oid: resolved.argTypes[i]!, typmod: -1 }, 'i', this.host, position));
    }
    return this.foldCall({ kind: 'call', fn, args, type: { oid: resolved.returnType, typmod: -1 } });
  }

  /** The comparison function `op` for two values of one type (for sorting, greatest, nullif). */
  comparisonFn(op: string, type: SqlType, position?: number): ScalarFunctionDef {
    try {
      return resolveOperator(op, type.oid, type.oid).def as ScalarFunctionDef;
    } catch (e) {
      if (e instanceof SqlError && e.code === SQLSTATE.UNDEFINED_FUNCTION) {
        throw new SqlError(SQLSTATE.UNDEFINED_FUNCTION, `could not identify a comparison function for type ${typeNameOf(type)}`, { position });
      }
      throw e;
    }
  }

  private bindAExpr(n: PgNode, ctx: ExprContext): BoundExpr {
    const kind = n.kind as string;
    const opName = nameList(n.name).filter((s) => s !== 'pg_catalog').join('.');
    const position = pos(n.location);
    switch (kind) {
      case 'AEXPR_OP': {
        if (n.lexpr !== undefined && nodeTag(n.lexpr) === 'RowExpr' && nodeTag(n.rexpr) === 'RowExpr') {
          return this.bindRowComparison(opName, n.lexpr, n.rexpr, ctx, position);
        }
        const left = n.lexpr === undefined ? null : this.bind(n.lexpr, ctx);
        const right = this.bind(n.rexpr, ctx);
        return this.bindOperator(opName, left, right, position);
      }
      case 'AEXPR_LIKE': case 'AEXPR_ILIKE': {
        const left = this.bind(n.lexpr, ctx);
        const right = this.bind(n.rexpr, ctx);
        return this.bindOperator(opName, left, right, position);
      }
      case 'AEXPR_SIMILAR': throw notSupported('SIMILAR TO');
      case 'AEXPR_DISTINCT': case 'AEXPR_NOT_DISTINCT': {
        let left = this.bind(n.lexpr, ctx);
        let right = this.bind(n.rexpr, ctx);
        const eq = this.bindOperator('=', left, right, position) as Extract<BoundExpr, { kind: 'call' }>;
        left = eq.args[0]!; right = eq.args[1]!;
        return { kind: 'distinctfrom', left, right, eq: eq.fn, negate: kind === 'AEXPR_NOT_DISTINCT', type: BOOL };
      }
      case 'AEXPR_NULLIF': {
        const left = this.bind(n.lexpr, ctx);
        const right = this.bind(n.rexpr, ctx);
        const eq = this.bindOperator('=', left, right, position) as Extract<BoundExpr, { kind: 'call' }>;
        return { kind: 'nullif', left: eq.args[0]!, right: eq.args[1]!, eq: eq.fn, type: left.type.oid === OID.unknown ? eq.args[0]!.type : left.type };
      }
      case 'AEXPR_IN': {
        const left = this.bind(n.lexpr, ctx);
        const negate = opName === '<>';
        if (nodeTag(n.lexpr) === 'RowExpr') {
          const parts = listItems(n.rexpr).map((r) => this.bindRowComparison(negate ? '<>' : '=', n.lexpr, r, ctx, position));
          return { kind: negate ? 'and' : 'or', args: parts, type: BOOL };
        }
        const items = listItems(n.rexpr).map((r) => this.bind(r, ctx));
        return this.bindInList(left, items, negate ? '<>' : '=', negate, position);
      }
      case 'AEXPR_OP_ANY': case 'AEXPR_OP_ALL': {
        const left = this.bind(n.lexpr, ctx);
        let right: BoundExpr;
        if (nodeTag(n.rexpr) === 'A_ArrayExpr') {
          right = this.bindArrayExpr(nodeBody(n.rexpr), ctx, left.type.oid === OID.unknown ? null : left.type);
        } else right = this.bind(n.rexpr, ctx);
        return this.bindArrayOp(left, right, opName, kind === 'AEXPR_OP_ALL', position);
      }
      case 'AEXPR_BETWEEN': case 'AEXPR_NOT_BETWEEN': case 'AEXPR_BETWEEN_SYM': case 'AEXPR_NOT_BETWEEN_SYM': {
        const x = this.bind(n.lexpr, ctx);
        const [lo, hi] = listItems(n.rexpr).map((r) => this.bind(r, ctx)) as [BoundExpr, BoundExpr];
        const ge = this.bindOperator('>=', x, lo, position);
        const le = this.bindOperator('<=', x, hi, position);
        let e: BoundExpr = { kind: 'and', args: [ge, le], type: BOOL };
        if (kind.endsWith('_SYM')) {
          const ge2 = this.bindOperator('>=', x, hi, position);
          const le2 = this.bindOperator('<=', x, lo, position);
          e = { kind: 'or', args: [e, { kind: 'and', args: [ge2, le2], type: BOOL }], type: BOOL };
        }
        return kind.includes('NOT') ? { kind: 'not', arg: e, type: BOOL } : e;
      }
      default:
        throw notSupported(`operator expression ${kind}`);
    }
  }

  /** (a, b) op (c, d): pairwise for = and <>, lexicographic for < <= > >=, as PostgreSQL does. */
  private bindRowComparison(op: string, leftNode: PgNode, rightNode: PgNode, ctx: ExprContext, position?: number): BoundExpr {
    if (nodeTag(rightNode) !== 'RowExpr' || nodeTag(leftNode) !== 'RowExpr') throw notSupported('row comparison with a non-row operand');
    const ls = (nodeBody(leftNode).args as PgNode[]).map((a) => this.bind(a, ctx));
    const rs = (nodeBody(rightNode).args as PgNode[]).map((a) => this.bind(a, ctx));
    if (ls.length !== rs.length) {
      throw new SqlError(SQLSTATE.SYNTAX_ERROR, 'unequal number of entries in row expressions', { position });
    }
    if (op === '=' || op === '<>') {
      const parts = ls.map((l, i) => this.bindOperator(op, l, rs[i]!, position));
      return parts.length === 1 ? parts[0]! : { kind: op === '=' ? 'and' : 'or', args: parts, type: BOOL };
    }
    if (!['<', '<=', '>', '>='].includes(op)) throw notSupported(`row comparison with operator ${op}`);
    // a < c OR (a = c AND (b < d ...)); the last column uses op itself.
    const strict = op === '<=' ? '<' : op === '>=' ? '>' : op;
    let acc: BoundExpr = this.bindOperator(op, ls[ls.length - 1]!, rs[rs.length - 1]!, position);
    for (let i = ls.length - 2; i >= 0; i--) {
      const lt = this.bindOperator(strict, ls[i]!, rs[i]!, position);
      const eq = this.bindOperator('=', ls[i]!, rs[i]!, position);
      acc = { kind: 'or', args: [lt, { kind: 'and', args: [eq, acc], type: BOOL }], type: BOOL };
    }
    return acc;
  }

  private bindInList(left: BoundExpr, items: BoundExpr[], op: string, all: boolean, position?: number): BoundExpr {
    // PostgreSQL: if all items share a common type with the left side, use x = ANY(array).
    const fns: ScalarFunctionDef[] = [];
    const coercedItems: BoundExpr[] = [];
    let coercedLeft = left;
    const common = tryCommonType([left.type, ...items.map((i) => i.type)]);
    if (common !== undefined) {
      coercedLeft = coerce(left, common, 'i', this.host, position);
      const call = this.bindOperator(op, coercedLeft, { kind: 'const', type: common, value: null }, position);
      const fn = call.kind === 'call' ? call.fn : undefined;
      for (const item of items) {
        coercedItems.push(coerce(item, common, 'i', this.host, position));
        if (fn !== undefined) fns.push(fn);
      }
      if (fn !== undefined) return { kind: 'inlist', left: coercedLeft, items: coercedItems, fns, all, type: BOOL };
    }
    // Otherwise each comparison is resolved on its own, OR-ed (AND-ed for NOT IN).
    const parts = items.map((item) => this.bindOperator(op, left, item, position));
    return { kind: all ? 'and' : 'or', args: parts, type: BOOL };
  }

  private bindArrayOp(left: BoundExpr, right: BoundExpr, op: string, all: boolean, position?: number): BoundExpr {
    let arrayExpr = right;
    if (right.type.oid === OID.unknown) {
      const arrType = left.type.oid === OID.unknown ? OID._text : arrayTypeOf(left.type.oid);
      arrayExpr = coerce(right, { oid: arrType, typmod: -1 }, 'i', this.host, position);
    }
    const elem = elementTypeOf(arrayExpr.type.oid);
    if (elem === 0) {
      throw new SqlError(SQLSTATE.WRONG_OBJECT_TYPE, `op ANY/ALL (array) requires array on right side`, { position });
    }
    const call = this.bindOperator(op, left, { kind: 'const', type: { oid: elem, typmod: -1 }, value: null }, position);
    if (call.kind !== 'call') throw notSupported('this ANY/ALL comparison');
    if (call.type.oid !== OID.bool) {
      throw new SqlError(SQLSTATE.WRONG_OBJECT_TYPE, `op ANY/ALL (array) requires operator to yield boolean`, { position });
    }
    const argElem = call.fn.argTypes[1]!;
    const coercedArray = argElem === elem ? arrayExpr
      : coerce(arrayExpr, { oid: arrayTypeOf(argElem), typmod: -1 }, 'i', this.host, position);
    return { kind: 'arrayop', left: call.args[0]!, right: coercedArray, fn: call.fn, all, type: BOOL };
  }

  private bindBoolExpr(n: PgNode, ctx: ExprContext): BoundExpr {
    const op = n.boolop as string;
    const what = op === 'AND_EXPR' ? 'AND' : op === 'OR_EXPR' ? 'OR' : 'NOT';
    const args = (n.args as PgNode[]).map((a) => this.toBool(this.bind(a, ctx), what, location(a)));
    if (op === 'NOT_EXPR') return { kind: 'not', arg: args[0]!, type: BOOL };
    // Flatten nested ANDs/ORs.
    const kind = op === 'AND_EXPR' ? 'and' : 'or';
    const flat: BoundExpr[] = [];
    for (const a of args) {
      if (a.kind === kind) flat.push(...a.args);
      else flat.push(a);
    }
    return { kind, args: flat, type: BOOL };
  }

  private bindBooleanTest(n: PgNode, ctx: ExprContext): BoundExpr {
    const arg = this.toBool(this.bind(n.arg, ctx), 'IS TRUE', pos(n.location));
    const t = n.booltesttype as string;
    const negate = t.startsWith('IS_NOT_');
    const test = t.endsWith('TRUE') ? 'true' : t.endsWith('FALSE') ? 'false' : 'unknown';
    return { kind: 'booltest', arg, test, negate, type: BOOL };
  }

  private bindCase(n: PgNode, ctx: ExprContext): BoundExpr {
    const operand = n.arg === undefined ? null : this.bind(n.arg, ctx);
    const whens: Array<{ when: BoundExpr; then: BoundExpr }> = [];
    for (const w of n.args as PgNode[]) {
      const wb = nodeBody(w);
      let when: BoundExpr;
      if (operand !== null) when = this.bindOperator('=', operand, this.bind(wb.expr, ctx), pos(wb.location));
      else when = this.bindCondition(wb.expr, ctx, 'CASE/WHEN');
      whens.push({ when: this.toBool(when, 'CASE/WHEN', pos(wb.location)), then: this.bind(wb.result, ctx) });
    }
    const otherwise0 = n.defresult === undefined ? null : this.bind(n.defresult, ctx);
    const results = whens.map((w) => w.then);
    if (otherwise0 !== null) results.push(otherwise0);
    const type = selectCommonType(results.map((r) => r.type), 'CASE', pos(n.location));
    return {
      kind: 'case',
      whens: whens.map((w) => ({ when: w.when, then: coerce(w.then, type, 'i', this.host) })),
      otherwise: otherwise0 === null ? { kind: 'const', type, value: null } : coerce(otherwise0, type, 'i', this.host),
      type,
    };
  }

  private bindTypeCast(n: PgNode, ctx: ExprContext): BoundExpr {
    const target = this.typeFromTypeName(n.typeName);
    const argNode = n.arg as PgNode;
    // 'literal'::type is input of the literal, as PostgreSQL does (no cast from unknown).
    if (nodeTag(argNode) === 'A_Const' && nodeBody(argNode).sval !== undefined) {
      const text = (nodeBody(argNode).sval.sval as string | undefined) ?? '';
      const c = literalOf(text, { oid: target.oid, typmod: -1 }, this.host, pos(nodeBody(argNode).location));
      return coerce(c, target, 'e', this.host, pos(n.location));
    }
    if (nodeTag(argNode) === 'A_ArrayExpr') {
      const arr = this.bindArrayExpr(nodeBody(argNode), ctx, elementTypeOf(target.oid) !== 0 ? { oid: elementTypeOf(target.oid), typmod: -1 } : null);
      return coerce(arr, target, 'e', this.host, pos(n.location));
    }
    const arg = this.bind(argNode, ctx);
    return coerce(arg, target, 'e', this.host, pos(n.location));
  }

  typeFromTypeName(typeName: PgNode): SqlType {
    const names = nameList(typeName.names);
    if (typeName.setof) throw notSupported('SETOF types');
    if (typeName.pct_type) throw notSupported('%TYPE');
    const typmods: number[] = [];
    for (const m of (typeName.typmods as PgNode[] | undefined) ?? []) {
      const b = nodeBody(m);
      if (nodeTag(m) === 'A_Const' && b.ival !== undefined) typmods.push((b.ival.ival as number | undefined) ?? 0);
      else if (nodeTag(m) === 'A_Const' && b.sval !== undefined) {
        const text = String(b.sval.sval);
        if (!/^\s*[+-]?\d+\s*$/.test(text)) {
          throw new SqlError(SQLSTATE.INVALID_TEXT_REPRESENTATION, `invalid input syntax for type integer: "${text}"`, { position: pos(typeName.location) });
        }
        typmods.push(Number(text));
      }
      else throw new SqlError(SQLSTATE.SYNTAX_ERROR, 'type modifiers must be simple constants or identifiers', { position: pos(typeName.location) });
    }
    const arrayBounds = ((typeName.arrayBounds as PgNode[] | undefined) ?? []).length;
    try {
      return resolveTypeName(names, typmods, arrayBounds);
    } catch (e) {
      if (e instanceof SqlError) throw e.withPosition(pos(typeName.location));
      throw e;
    }
  }

  private bindArrayExpr(n: PgNode, ctx: ExprContext, elemHint: SqlType | null): BoundExpr {
    const elements = ((n.elements as PgNode[] | undefined) ?? []).map((e) => {
      if (nodeTag(e) === 'A_ArrayExpr') return this.bindArrayExpr(nodeBody(e), ctx, elemHint);
      return this.bind(e, ctx);
    });
    if (elements.length === 0) {
      if (elemHint === null) {
        throw new SqlError(SQLSTATE.INDETERMINATE_DATATYPE, 'cannot determine type of empty array', {
          position: pos(n.location), hint: 'Explicitly cast to the desired type, for example ARRAY[]::integer[].',
        });
      }
      return { kind: 'array', items: [], type: { oid: arrayTypeOf(elemHint.oid), typmod: -1 } };
    }
    // Nested ARRAY[ARRAY[..]]: items are arrays themselves; type is the inner array type.
    const nested = elements.every((e) => e.kind === 'array' || elementTypeOf(e.type.oid) !== 0) && elements.some((e) => e.kind === 'array');
    let elemType = selectCommonType(elements.map((e) => e.type), 'ARRAY', pos(n.location));
    if (elemType.oid === OID.unknown || (elemHint !== null && elements.every((e) => e.type.oid === OID.unknown))) {
      elemType = elemHint ?? { oid: OID.text, typmod: -1 };
    }
    const items = elements.map((e) => coerce(e, elemType, 'i', this.host));
    const type = nested ? elemType : { oid: arrayTypeOf(elemType.oid), typmod: -1 };
    if (type.oid === 0) throw notSupported(`arrays of type ${typeNameOf(elemType)}`);
    return { kind: 'array', items, type };
  }

  private bindIndirection(n: PgNode, ctx: ExprContext): BoundExpr {
    const arg = this.bind(n.arg, ctx);
    if (arg.type.oid === OID.jsonb) return this.bindJsonbSubscripts(arg, n, ctx);
    const elem = elementTypeOf(arg.type.oid);
    const indexes: Array<{ lower: BoundExpr | null; upper: BoundExpr | null }> = [];
    let slice = false;
    const INT4: SqlType = { oid: OID.int4, typmod: -1 };
    for (const ind of n.indirection as PgNode[]) {
      if (nodeTag(ind) !== 'A_Indices') throw notSupported('field selection');
      if (elem === 0) {
        throw new SqlError(SQLSTATE.DATATYPE_MISMATCH, `cannot subscript type ${typeNameOf(arg.type)} because it does not support subscripting`, { position: pos(n.location) });
      }
      const b = nodeBody(ind);
      const bound = (x: PgNode | undefined): BoundExpr | null => (x === undefined ? null : coerce(this.bind(x, ctx), INT4, 'i', this.host));
      if (b.is_slice) slice = true;
      indexes.push({ lower: bound(b.lidx), upper: bound(b.uidx) });
    }
    if (indexes.length > 6) throw new SqlError(SQLSTATE.PROGRAM_LIMIT_EXCEEDED, 'number of array dimensions (7) exceeds the maximum allowed (6)');
    return { kind: 'subscript', arg, indexes, slice, type: slice ? arg.type : { oid: elem, typmod: -1 } };
  }

  /** jsonb['key'][0]: each subscript, text or integer, is the -> operator (PostgreSQL 14's jsonb subscripting). */
  private bindJsonbSubscripts(arg: BoundExpr, n: PgNode, ctx: ExprContext): BoundExpr {
    let out = arg;
    for (const ind of n.indirection as PgNode[]) {
      if (nodeTag(ind) !== 'A_Indices') throw notSupported('field selection');
      const b = nodeBody(ind);
      if (b.is_slice) throw new SqlError(SQLSTATE.DATATYPE_MISMATCH, 'jsonb subscript does not support slices', { position: pos(n.location) });
      let sub = this.bind(b.uidx as PgNode, ctx);
      const INT4: SqlType = { oid: OID.int4, typmod: -1 };
      const TEXT: SqlType = { oid: OID.text, typmod: -1 };
      if (sub.type.oid === OID.unknown) sub = coerce(sub, TEXT, 'i', this.host);
      else {
        const asInt = tryCoerce(sub, INT4, 'i', this.host);
        const asText = asInt === undefined ? tryCoerce(sub, TEXT, 'i', this.host) : undefined;
        if (asInt === undefined && asText === undefined) {
          throw new SqlError(SQLSTATE.DATATYPE_MISMATCH, `subscript type ${typeNameOf(sub.type)} is not supported`, {
            position: location(b.uidx as PgNode), hint: 'jsonb subscript must be coercible to only one type, integer or text.',
          });
        }
        sub = asInt ?? asText!;
      }
      const fn = resolveOperator('->', OID.jsonb, sub.type.oid).def as ScalarFunctionDef;
      out = { kind: 'call', fn, args: [out, sub], type: { oid: OID.jsonb, typmod: -1 } };
    }
    return out;
  }

  private bindSqlValueFunction(n: PgNode, ctx: ExprContext): BoundExpr {
    const op = n.op as string;
    const call = (name: string, args: BoundExpr[] = []): BoundExpr => this.bindNamedCall(name, args, ctx, pos(n.location));
    switch (op) {
      case 'SVFOP_CURRENT_TIMESTAMP': case 'SVFOP_CURRENT_TIMESTAMP_N': return call('now');
      case 'SVFOP_CURRENT_DATE': return coerce(call('now'), { oid: OID.date, typmod: -1 }, 'e', this.host);
      case 'SVFOP_LOCALTIMESTAMP': case 'SVFOP_LOCALTIMESTAMP_N':
        return coerce(call('now'), { oid: OID.timestamp, typmod: -1 }, 'e', this.host);
      case 'SVFOP_CURRENT_TIME': case 'SVFOP_CURRENT_TIME_N': case 'SVFOP_LOCALTIME': case 'SVFOP_LOCALTIME_N':
        return coerce(call('now'), { oid: OID.time, typmod: -1 }, 'e', this.host);
      case 'SVFOP_CURRENT_USER': case 'SVFOP_USER': case 'SVFOP_CURRENT_ROLE': return call('current_user');
      case 'SVFOP_SESSION_USER': return call('session_user');
      case 'SVFOP_CURRENT_CATALOG': return call('current_database');
      case 'SVFOP_CURRENT_SCHEMA': return call('current_schema');
      default: throw notSupported(op);
    }
  }

  private bindSubLink(n: PgNode, ctx: ExprContext): BoundExpr {
    const type = n.subLinkType as string;
    const { query, correlated } = this.host.bindSubquery(n.subselect, ctx.scope);
    const cols = query.columns;
    switch (type) {
      case 'EXISTS_SUBLINK':
        return { kind: 'subquery', mode: 'exists', query, correlated, type: BOOL };
      case 'EXPR_SUBLINK':
        if (cols.length !== 1) throw new SqlError(SQLSTATE.SYNTAX_ERROR, 'subquery must return only one column', { position: pos(n.location) });
        return { kind: 'subquery', mode: 'scalar', query, correlated, type: cols[0]!.type };
      case 'ARRAY_SUBLINK': {
        if (cols.length !== 1) throw new SqlError(SQLSTATE.SYNTAX_ERROR, 'subquery must return only one column', { position: pos(n.location) });
        const arr = arrayTypeOf(cols[0]!.type.oid);
        if (arr === 0) throw notSupported(`ARRAY() of type ${typeNameOf(cols[0]!.type)}`);
        return { kind: 'subquery', mode: 'array', query, correlated, type: { oid: arr, typmod: -1 } };
      }
      case 'ANY_SUBLINK': case 'ALL_SUBLINK': {
        const opName = n.operName === undefined ? '=' : nameList(n.operName).filter((s) => s !== 'pg_catalog').join('.');
        const testNode = n.testexpr as PgNode;
        const lefts = nodeTag(testNode) === 'RowExpr'
          ? (nodeBody(testNode).args as PgNode[]).map((a) => this.bind(a, ctx))
          : [this.bind(testNode, ctx)];
        if (lefts.length !== cols.length) {
          throw new SqlError(SQLSTATE.SYNTAX_ERROR, lefts.length < cols.length ? 'subquery has too many columns' : 'subquery has too few columns', { position: pos(n.location) });
        }
        const fns: ScalarFunctionDef[] = [];
        const coercedLefts: BoundExpr[] = [];
        for (let i = 0; i < lefts.length; i++) {
          const colType = cols[i]!.type;
          const call = this.bindOperator(opName, lefts[i]!, { kind: 'const', type: colType, value: null }, pos(n.location));
          if (call.kind !== 'call') throw notSupported('this subquery comparison');
          // reg* types are binary-coercible to oid (same datum), so oid = regclass compares as oid = oid.
          const oidAlias = call.fn.argTypes[1] === OID.oid && ([OID.regclass, OID.regtype, OID.regproc, OID.regnamespace] as number[]).includes(colType.oid);
          if (call.fn.argTypes[1] !== colType.oid && call.fn.argTypes[1] !== OID.anyelement && call.fn.argTypes[1] !== OID.anyarray && !oidAlias) {
            throw notSupported(`comparing ${typeNameOf(lefts[i]!.type)} with a subquery column of type ${typeNameOf(colType)}`);
          }
          fns.push(call.fn);
          coercedLefts.push(call.args[0]!);
        }
        return { kind: 'anysub', left: coercedLefts, query, fns, all: type === 'ALL_SUBLINK', correlated, type: BOOL };
      }
      default:
        throw notSupported(`subquery kind ${type}`);
    }
  }

  private bindFuncCall(n: PgNode, ctx: ExprContext): BoundExpr {
    const names = nameList(n.funcname);
    const name = (names[0] === 'pg_catalog' && names.length > 1 ? names.slice(1) : names).join('.').toLowerCase();
    const position = pos(n.location);
    if (n.over !== undefined) return bindWindowCall(this, name, n, ctx);
    if (isWindowFunctionName(name)) {
      throw new SqlError(SQLSTATE.WRONG_OBJECT_TYPE, `window function ${name} requires an OVER clause`, { position });
    }
    if (n.agg_within_group) throw notSupported('WITHIN GROUP');
    if (n.func_variadic) throw notSupported('VARIADIC arguments');
    const argNodes = (n.args as PgNode[] | undefined) ?? [];
    if (argNodes.length > LIMITS.functionArgsMax) {
      throw new SqlError(SQLSTATE.TOO_MANY_ARGUMENTS, `cannot pass more than ${LIMITS.functionArgsMax} arguments to a function`, { position });
    }
    // Named arguments (days => 10) and left-out trailing parameters with defaults.
    const hasNamed = argNodes.some((a) => nodeTag(a) === 'NamedArgExpr');
    const defs = lookupFunction(name);
    if (hasNamed || (defs.length > 0 && !defs.some((d) => d.argTypes.length === argNodes.length || d.variadic !== undefined))) {
      const withParams = defs.find((d): d is ScalarFunctionDef => d.kind !== 'aggregate' && d.params !== undefined && argNodes.length <= d.argTypes.length);
      if (withParams !== undefined) return this.bindNamedCall(name, this.bindParamArgs(name, withParams, argNodes, ctx, position), ctx, position);
      if (hasNamed) throw notSupported('named arguments for this function');
    }
    if (name === 'pg_typeof' && argNodes.length === 1) {
      const arg = this.bind(argNodes[0]!, ctx);
      return { kind: 'const', type: { oid: OID.regtype, typmod: -1 }, value: arg.type.oid };
    }
    const isAggCandidate = n.agg_star === true || n.agg_distinct === true || n.agg_filter !== undefined
      || (n.agg_order !== undefined && (n.agg_order as PgNode[]).length > 0);
    if (n.agg_star) {
      return this.bindAggregate(name, [], n, ctx, position);
    }
    // Aggregate arguments may not contain aggregates: bind them in a context that rejects them,
    // but only once we know the function is an aggregate. Bind args first in the given context.
    const maybeAgg = isAggregateName(name);
    if (maybeAgg || isAggCandidate) {
      if (maybeAgg) {
        const args = argNodes.map((a) => this.bind(a, { ...ctx, aggregates: null, clause: 'aggregate function calls cannot be nested', windows: null, windowsRejected: 'aggregate' }));
        return this.bindAggregate(name, args, n, ctx, position);
      }
      if (n.agg_distinct) throw new SqlError(SQLSTATE.WRONG_OBJECT_TYPE, `DISTINCT specified, but ${name} is not an aggregate function`, { position });
    }
    const args = argNodes.map((a) => this.bind(a, ctx));
    if (name === 'unnest' && args.length > 1 && ctx.clause === 'functions in FROM') return this.bindUnnestMany(args, position);
    return this.bindNamedCall(name, args, ctx, position);
  }

  /**
   * unnest(a, b, ...) in FROM: each argument an array as the one-array unnest takes it; the rows
   * hold the arrays' elements side by side, the shorter arrays padded with NULLs.
   */
  private bindUnnestMany(args: BoundExpr[], position: number | undefined): BoundExpr {
    const each = args.map((a) => {
      const r = resolveFunctionAt('unnest', [a.type.oid], position);
      return { arg: this.coerceArgs([a], r.argTypes, position)[0]!, elem: r.returnType };
    });
    const fn: ScalarFunctionDef = {
      kind: 'function', name: 'unnest', oid: 0, argTypes: each.map((e) => e.arg.type.oid), returnType: OID.record,
      volatility: 'i', strict: false, returnsSet: true,
      outColumns: each.map((e) => ({ name: 'unnest', type: e.elem })),
      impl: (values) => {
        const arrays = values.map((v) => (v === null ? [] : (v as SqlArray).items));
        const n = Math.max(0, ...arrays.map((x) => x.length));
        const rows: Datum[] = [];
        for (let i = 0; i < n; i++) rows.push(arrays.map((x) => x[i] ?? null) as unknown as Datum);
        return rows;
      },
    };
    return { kind: 'srf', fn, args: each.map((e) => e.arg), type: { oid: OID.record, typmod: -1 } };
  }

  /** A call's arguments in parameter order: positional, then named, then the defaults left out. */
  private bindParamArgs(name: string, def: ScalarFunctionDef, argNodes: PgNode[], ctx: ExprContext, position?: number): BoundExpr[] {
    const { names, defaults } = def.params!;
    const n = def.argTypes.length;
    const slots: Array<BoundExpr | undefined> = new Array(n);
    const shown: string[] = [];
    argNodes.forEach((a, i) => {
      if (nodeTag(a) !== 'NamedArgExpr') {
        slots[i] = this.bind(a, ctx);
        shown.push(typeNameOf(slots[i]!.type));
        return;
      }
      const b = nodeBody(a);
      const argName = b.name as string;
      const k = names.indexOf(argName);
      const e = this.bind(b.arg as PgNode, ctx);
      shown.push(`${argName} => ${typeNameOf(e.type)}`);
      if (k >= 0 && slots[k] !== undefined) {
        throw new SqlError(SQLSTATE.SYNTAX_ERROR, `argument name "${argName}" used more than once`, { position: pos(b.location as number | undefined) });
      }
      if (k < 0) slots.length = 0; // an unknown name: no such function (below)
      else slots[k] = e;
    });
    const firstDefault = n - defaults.length;
    for (let k = 0; k < n && slots.length === n; k++) {
      if (slots[k] !== undefined) continue;
      if (k < firstDefault) { slots.length = 0; break; }
      slots[k] = { kind: 'const', type: { oid: def.argTypes[k]!, typmod: -1 }, value: defaults[k - firstDefault]! };
    }
    if (slots.length !== n) {
      throw new SqlError(SQLSTATE.UNDEFINED_FUNCTION, `function ${name}(${shown.join(', ')}) does not exist`, {
        position, hint: 'No function matches the given name and argument types. You might need to add explicit type casts.',
      });
    }
    return slots as BoundExpr[];
  }

  /** Binds a call of a scalar or set-returning function by name. */
  bindNamedCall(name: string, args: BoundExpr[], ctx: ExprContext, position?: number): BoundExpr {
    const resolved = resolveFunctionAt(name, args.map((a) => a.type.oid), position);
    if (resolved.def.kind === 'aggregate') {
      return this.bindAggregateResolved(resolved.def, resolved.argTypes, resolved.returnType, args, false, null, [], ctx, position);
    }
    const fn = resolved.def;
    const coerced = this.coerceArgs(args, resolved.argTypes, position);
    if (fn.returnsSet === true) {
      if (!ctx.allowSrf) {
        throw new SqlError(SQLSTATE.FEATURE_NOT_SUPPORTED, `set-returning functions are not allowed in ${ctx.clause}`, { position });
      }
      if (fn.outColumns !== undefined && ctx.clause !== 'functions in FROM') {
        // In the select list each row of several columns is one record: SELECT jsonb_each(j) gives (a,1).
        const names = fn.outColumns.map((c) => c.name);
        const types = fn.outColumns.map((c) => c.type);
        const inner = fn.impl;
        const asRecords: ScalarFunctionDef = {
          ...fn, outColumns: undefined, returnType: OID.record,
          impl: (a, ectx) => Array.from(inner(a, ectx) as Iterable<Datum>, (row): Datum => ({ kind: 'record', names, types, values: row as unknown as Datum[] })),
        };
        return { kind: 'srf', fn: asRecords, args: coerced, type: { oid: OID.record, typmod: -1 } };
      }
      return { kind: 'srf', fn, args: coerced, type: { oid: resolved.returnType, typmod: -1 } };
    }
    return this.foldCall({ kind: 'call', fn, args: coerced, type: { oid: resolved.returnType, typmod: -1 } });
  }

  private coerceArgs(args: BoundExpr[], types: readonly number[], position?: number): BoundExpr[] {
    return args.map((a, i) => coerce(a, { oid: types[i] ?? a.type.oid, typmod: -1 }, 'i', this.host, position));
  }

  private bindAggregate(name: string, args: BoundExpr[], n: PgNode, ctx: ExprContext, position?: number): BoundExpr {
    const resolved = resolveFunctionAt(name, args.map((a) => a.type.oid), position);
    if (resolved.def.kind !== 'aggregate') {
      if (n.agg_star) throw new SqlError(SQLSTATE.WRONG_OBJECT_TYPE, `${name}(*) specified, but ${name} is not an aggregate function`, { position });
      const fn = resolved.def;
      if (fn.returnsSet === true && !ctx.allowSrf) {
        throw new SqlError(SQLSTATE.FEATURE_NOT_SUPPORTED, `set-returning functions are not allowed in ${ctx.clause}`, { position });
      }
      const call: BoundExpr = fn.returnsSet === true
        ? { kind: 'srf', fn, args: this.coerceArgs(args, resolved.argTypes, position), type: { oid: resolved.returnType, typmod: -1 } }
        : { kind: 'call', fn, args: this.coerceArgs(args, resolved.argTypes, position), type: { oid: resolved.returnType, typmod: -1 } };
      return call.kind === 'call' ? this.foldCall(call) : call;
    }
    const filter = n.agg_filter === undefined ? null
      : this.bindCondition(n.agg_filter, { ...ctx, aggregates: null, clause: 'FILTER', windows: null, windowsRejected: 'aggregate' }, 'FILTER');
    const orderBy: SortKey[] = [];
    for (const s of (n.agg_order as PgNode[] | undefined) ?? []) {
      const sb = nodeBody(s);
      const expr = this.bind(sb.node, { ...ctx, aggregates: null, windows: null, windowsRejected: 'aggregate' });
      const descending = sb.sortby_dir === 'SORTBY_DESC';
      const nullsFirst = sb.sortby_nulls === 'SORTBY_NULLS_FIRST' ? true : sb.sortby_nulls === 'SORTBY_NULLS_LAST' ? false : descending;
      orderBy.push({ expr, descending, nullsFirst });
    }
    return this.bindAggregateResolved(resolved.def, resolved.argTypes, resolved.returnType, args, n.agg_distinct === true, filter, orderBy, ctx, position);
  }

  private bindAggregateResolved(
    fn: AggregateDef, argTypes: readonly number[], returnType: number, args: BoundExpr[], distinct: boolean,
    filter: BoundExpr | null, orderBy: SortKey[], ctx: ExprContext, position?: number,
  ): BoundExpr {
    // PostgreSQL gives an aggregate to the query of its arguments' columns: one written in a
    // subquery over outer columns only aggregates the outer query (one row for all of it). That
    // is not built; computing it per subquery row would answer something else.
    let lowest = Infinity;
    for (const e of [...args, ...(filter === null ? [] : [filter])]) {
      visitExpr(e, (x) => { if (x.kind === 'column') lowest = Math.min(lowest, x.levelsUp); });
    }
    if (lowest !== Infinity && lowest > 0) {
      throw new SqlError(SQLSTATE.FEATURE_NOT_SUPPORTED, 'aggregate functions over columns of an outer query only are not supported', {
        position, hint: 'Compute the aggregate in the outer query, or in a subquery that reads the table itself.',
      });
    }
    if (ctx.aggregates === null) {
      if (ctx.clause.startsWith('aggregate function calls')) {
        throw new SqlError(SQLSTATE.GROUPING_ERROR, 'aggregate function calls cannot be nested', { position });
      }
      throw new SqlError(SQLSTATE.GROUPING_ERROR, `aggregate functions are not allowed in ${ctx.clause}`, { position });
    }
    const coerced = this.coerceArgs(args, argTypes, position);
    const agg: AggCall = {
      fn, args: coerced, distinct, filter, orderBy,
      argTypes: coerced.map((a) => a.type),
    };
    ctx.aggregates.push(agg);
    return { kind: 'aggcall', agg, type: { oid: returnType, typmod: -1 } };
  }

  /** Immutable functions of constants are computed at bind time. */
  private foldCall(e: Extract<BoundExpr, { kind: 'call' }>): BoundExpr {
    if (e.fn.volatility !== 'i') return e;
    for (const a of e.args) if (a.kind !== 'const') return e;
    return e;
  }
}

const AGGREGATE_NAMES = new Set([
  'count', 'sum', 'avg', 'min', 'max', 'string_agg', 'array_agg', 'bool_and', 'bool_or', 'every',
  'bit_and', 'bit_or', 'stddev', 'stddev_samp', 'stddev_pop', 'variance', 'var_samp', 'var_pop',
  'json_agg', 'jsonb_agg', 'json_object_agg', 'jsonb_object_agg',
]);

function isAggregateName(name: string): boolean {
  return AGGREGATE_NAMES.has(name);
}

/** Items of a list-valued parse-tree field (a JSON array or a `{ List: { items } }` node). */
function listItems(n: PgNode | PgNode[]): PgNode[] {
  if (Array.isArray(n)) return n;
  if (nodeTag(n) === 'List') return (nodeBody(n).items as PgNode[] | undefined) ?? [];
  return [n];
}

function tryCommonType(types: SqlType[]): SqlType | undefined {
  try {
    return selectCommonType(types, 'IN');
  } catch {
    return undefined;
  }
}

/** 1-based position for errors from a 0-based parse-tree location. */
export function pos(location: number | undefined): number | undefined {
  return location === undefined ? undefined : location + 1;
}

export function location(node: PgNode): number | undefined {
  const b = nodeBody(node);
  return pos(b.location as number | undefined);
}
