// Window function calls (f(...) OVER ...): PostgreSQL's built-in window functions and aggregates
// used as window functions, where they may appear, and the windows they run over — OVER clauses
// and the query's WINDOW clause bound into PARTITION BY, ORDER BY and a frame.
import { SqlError, SQLSTATE, notSupported } from '../../base/index.js';
import type { PgNode } from '../parse/index.js';
import { nodeBody } from '../parse/index.js';
import { OID, type SqlType } from '../types/index.js';
import { formatTypeName, resolveFunctionAt } from '../functions/index.js';
import type { BoundExpr, FrameBound, SortKey, WinCall, WindowFnName, WindowFrame, WindowSpec } from './bound.js';
import { coerce, selectCommonType, tryCoerce } from './coerce.js';
import { exprKey, visitExpr } from './expr-utils.js';
import type { ExprBinder, ExprContext } from './bind-expr.js';

/** 1-based position for errors from a 0-based parse-tree location. */
const pos = (location: number | undefined): number | undefined => (location === undefined ? undefined : location + 1);

const INT8: SqlType = { oid: OID.int8, typmod: -1 };
const INT4: SqlType = { oid: OID.int4, typmod: -1 };
const FLOAT8: SqlType = { oid: OID.float8, typmod: -1 };

/** Argument counts each built-in window function accepts. */
const WINDOW_FUNCTIONS: Record<WindowFnName, readonly number[]> = {
  row_number: [0], rank: [0], dense_rank: [0], percent_rank: [0], cume_dist: [0], ntile: [1],
  lag: [1, 2, 3], lead: [1, 2, 3], first_value: [1], last_value: [1], nth_value: [2],
};

export function isWindowFunctionName(name: string): name is WindowFnName {
  return Object.hasOwn(WINDOW_FUNCTIONS, name);
}

/** What the statement binder provides while window functions may be written: the windows they name. */
export interface WindowCollector {
  /** The index of the window an OVER clause defines or names (equal windows share one). */
  windowFor(over: PgNode): number;
  readonly calls: WinCall[];
}

// PostgreSQL's FRAMEOPTION_* bits, as libpg-query's WindowDef.frameOptions carries them.
const F = {
  RANGE: 0x2, ROWS: 0x4, GROUPS: 0x8,
  START_UNBOUNDED_PRECEDING: 0x20, END_UNBOUNDED_PRECEDING: 0x40,
  START_UNBOUNDED_FOLLOWING: 0x80, END_UNBOUNDED_FOLLOWING: 0x100,
  START_CURRENT_ROW: 0x200, END_CURRENT_ROW: 0x400,
  START_OFFSET_PRECEDING: 0x800, END_OFFSET_PRECEDING: 0x1000,
  START_OFFSET_FOLLOWING: 0x2000, END_OFFSET_FOLLOWING: 0x4000,
  EXCLUDE_CURRENT_ROW: 0x8000, EXCLUDE_GROUP: 0x10000, EXCLUDE_TIES: 0x20000,
  NONDEFAULT: 0x1,
} as const;

const DEFAULT_FRAME: WindowFrame = { mode: 'range', start: { kind: 'unbounded' }, end: { kind: 'current' }, exclude: 'no others' };

/**
 * Binds `name(args) OVER ...`: a built-in window function or an aggregate, with its arguments
 * bound where neither window functions nor (for the built-ins' arguments) anything unusual may be.
 */
export function bindWindowCall(b: ExprBinder, name: string, n: PgNode, ctx: ExprContext): BoundExpr {
  const position = pos(n.location as number | undefined);
  const collector = ctx.windows;
  if (collector === undefined || collector === null) {
    if (ctx.windowsRejected === 'nested') throw new SqlError(SQLSTATE.WINDOWING_ERROR, 'window function calls cannot be nested', { position });
    if (ctx.windowsRejected === 'aggregate') {
      throw new SqlError(SQLSTATE.GROUPING_ERROR, 'aggregate function calls cannot contain window function calls', { position });
    }
    throw new SqlError(SQLSTATE.WINDOWING_ERROR, `window functions are not allowed in ${ctx.clause}`, { position });
  }
  if (n.agg_within_group) throw notSupported('WITHIN GROUP');
  if (n.func_variadic) throw notSupported('VARIADIC arguments');
  const argCtx: ExprContext = { ...ctx, windows: null, windowsRejected: 'nested', allowSrf: false };
  const argNodes = (n.args as PgNode[] | undefined) ?? [];
  const args = argNodes.map((a) => b.bind(a, argCtx));
  let call: Omit<WinCall, 'window'>;
  if (isWindowFunctionName(name)) {
    if (n.agg_distinct) throw new SqlError(SQLSTATE.WRONG_OBJECT_TYPE, `DISTINCT specified, but ${name} is not an aggregate function`, { position });
    if (n.agg_star) throw new SqlError(SQLSTATE.WRONG_OBJECT_TYPE, `${name}(*) specified, but ${name} is not an aggregate function`, { position });
    if (n.agg_filter !== undefined) throw new SqlError(SQLSTATE.FEATURE_NOT_SUPPORTED, 'FILTER is not implemented for non-aggregate window functions', { position });
    if (!WINDOW_FUNCTIONS[name].includes(args.length)) throw noSuchFunction(name, args, position);
    call = { fn: { kind: 'window', name }, ...typeBuiltin(b, name, args, position), filter: null };
  } else {
    const resolved = resolveFunctionAt(name, args.map((a) => a.type.oid), position);
    if (resolved.def.kind !== 'aggregate') {
      throw new SqlError(SQLSTATE.WRONG_OBJECT_TYPE, `OVER specified, but ${name} is not a window function nor an aggregate function`, { position });
    }
    if (n.agg_distinct) throw new SqlError(SQLSTATE.FEATURE_NOT_SUPPORTED, 'DISTINCT is not implemented for window functions', { position });
    if (n.agg_order !== undefined && (n.agg_order as PgNode[]).length > 0) {
      throw new SqlError(SQLSTATE.FEATURE_NOT_SUPPORTED, 'aggregate ORDER BY is not implemented for window functions', { position });
    }
    const filter = n.agg_filter === undefined ? null
      : b.bindCondition(n.agg_filter as PgNode, { ...argCtx, aggregates: null, clause: 'FILTER' }, 'FILTER');
    const coerced = args.map((a, i) => coerce(a, { oid: resolved.argTypes[i] ?? a.type.oid, typmod: -1 }, 'i', b.host, position));
    call = {
      fn: { kind: 'aggregate', def: resolved.def, star: n.agg_star === true }, args: coerced, filter,
      type: { oid: resolved.returnType, typmod: -1 },
    };
  }
  const winCall: WinCall = { ...call, window: collector.windowFor(n.over as PgNode) };
  collector.calls.push(winCall);
  return { kind: 'wincall', call: winCall, type: winCall.type };
}

function noSuchFunction(name: string, args: BoundExpr[], position: number | undefined): SqlError {
  return new SqlError(SQLSTATE.UNDEFINED_FUNCTION, `function ${name}(${args.map((a) => formatTypeName(a.type.oid)).join(', ')}) does not exist`, {
    position, hint: 'No function matches the given name and argument types. You might need to add explicit type casts.',
  });
}

/** Argument coercions and result type of a built-in window function. */
function typeBuiltin(b: ExprBinder, name: WindowFnName, args: BoundExpr[], position: number | undefined): { args: BoundExpr[]; type: SqlType } {
  // anyelement arguments: an untyped literal has no type to give the result.
  const anyElement = (e: BoundExpr): BoundExpr => {
    if (e.type.oid === OID.unknown) {
      throw new SqlError(SQLSTATE.DATATYPE_MISMATCH, 'could not determine polymorphic type because input has type unknown', { position });
    }
    return e;
  };
  const int4 = (e: BoundExpr): BoundExpr => coerce(e, INT4, 'i', b.host, position);
  switch (name) {
    case 'row_number': case 'rank': case 'dense_rank': return { args, type: INT8 };
    case 'percent_rank': case 'cume_dist': return { args, type: FLOAT8 };
    case 'ntile': return { args: [int4(args[0]!)], type: INT4 };
    case 'first_value': case 'last_value': {
      const v = anyElement(args[0]!);
      return { args: [v], type: v.type };
    }
    case 'nth_value': {
      const v = anyElement(args[0]!);
      return { args: [v, int4(args[1]!)], type: v.type };
    }
    case 'lag': case 'lead': {
      if (args.length < 3) {
        const v = anyElement(args[0]!);
        return { args: args.length === 1 ? [v] : [v, int4(args[1]!)], type: v.type };
      }
      // lag(anycompatible, integer, anycompatible): the value and the default share a common type.
      const common = selectCommonType([args[0]!.type, args[2]!.type], name);
      const t = common.oid === OID.unknown ? { oid: OID.text, typmod: -1 } : common;
      return { args: [coerce(args[0]!, t, 'i', b.host, position), int4(args[1]!), coerce(args[2]!, t, 'i', b.host, position)], type: t };
    }
  }
}

/** The windows of one SELECT: its WINDOW clause, and every distinct window its OVER clauses use. */
export class QueryWindows implements WindowCollector {
  readonly calls: WinCall[] = [];
  readonly specs: WindowSpec[] = [];
  private readonly keys = new Map<string, number>();
  private readonly named = new Map<string, { spec: WindowSpec; def: PgNode }>();

  /**
   * `bindExpr` binds a PARTITION BY / ORDER BY expression (aggregates collected) or a frame offset
   * (no aggregates) in the query's scope; window functions are rejected in both.
   */
  constructor(
    windowClause: PgNode[] | undefined,
    private readonly bindExpr: (node: PgNode, clause: string, aggregatesAllowed: boolean) => BoundExpr,
    private readonly host: ExprBinder,
  ) {
    for (const w of windowClause ?? []) {
      const def = nodeBody(w);
      const name = def.name as string;
      if (this.named.has(name)) {
        throw new SqlError(SQLSTATE.WINDOWING_ERROR, `window "${name}" is already defined`, { position: pos(def.location as number | undefined) });
      }
      this.named.set(name, { spec: this.bindDefinition(def), def });
    }
  }

  windowFor(over: PgNode): number {
    const name = over.name as string | undefined;
    // OVER w: the named window as it is, frame included.
    const spec = name !== undefined && over.refname === undefined && over.partitionClause === undefined && over.orderClause === undefined
      ? { ...this.lookup(name, over).spec, name }
      : this.bindDefinition(over);
    const key = specKey(spec);
    let i = this.keys.get(key);
    if (i === undefined) {
      i = this.specs.length;
      this.specs.push(spec);
      this.keys.set(key, i);
    }
    return i;
  }

  private lookup(name: string, at: PgNode): { spec: WindowSpec; def: PgNode } {
    const w = this.named.get(name);
    if (w === undefined) throw new SqlError(SQLSTATE.UNDEFINED_OBJECT, `window "${name}" does not exist`, { position: pos(at.location as number | undefined) });
    return w;
  }

  /** PARTITION BY, ORDER BY and frame of a window definition, copying from the window it refers to. */
  private bindDefinition(def: PgNode): WindowSpec {
    const position = pos(def.location as number | undefined);
    const partitionNodes = (def.partitionClause as PgNode[] | undefined) ?? [];
    const orderNodes = (def.orderClause as PgNode[] | undefined) ?? [];
    let partition: BoundExpr[];
    let order: SortKey[];
    const refname = def.refname as string | undefined;
    if (refname !== undefined) {
      const base = this.lookup(refname, def);
      if (partitionNodes.length > 0) {
        throw new SqlError(SQLSTATE.WINDOWING_ERROR, `cannot override PARTITION BY clause of window "${refname}"`, { position });
      }
      if (orderNodes.length > 0 && base.spec.order.length > 0) {
        throw new SqlError(SQLSTATE.WINDOWING_ERROR, `cannot override ORDER BY clause of window "${refname}"`, { position });
      }
      if (((base.def.frameOptions as number) & F.NONDEFAULT) !== 0) {
        const bare = orderNodes.length === 0 && ((def.frameOptions as number) & F.NONDEFAULT) === 0;
        throw new SqlError(SQLSTATE.WINDOWING_ERROR, `cannot copy window "${refname}" because it has a frame clause`, {
          position, ...(bare ? { hint: 'Omit the parentheses in this OVER clause.' } : {}),
        });
      }
      partition = base.spec.partition;
      order = orderNodes.length > 0 ? orderNodes.map((o) => this.sortKey(o)) : base.spec.order;
    } else {
      partition = partitionNodes.map((p) => this.bindExpr(p, 'window definitions', true));
      order = orderNodes.map((o) => this.sortKey(o));
    }
    const frame = this.frame(def, order, position);
    return { partition, order, frame };
  }

  private sortKey(node: PgNode): SortKey {
    const sb = nodeBody(node);
    if (sb.sortby_dir === 'SORTBY_USING') throw notSupported('ORDER BY ... USING');
    const descending = sb.sortby_dir === 'SORTBY_DESC';
    const nullsFirst = sb.sortby_nulls === 'SORTBY_NULLS_FIRST' ? true : sb.sortby_nulls === 'SORTBY_NULLS_LAST' ? false : descending;
    return { expr: this.bindExpr(sb.node as PgNode, 'window definitions', true), descending, nullsFirst };
  }

  private frame(def: PgNode, order: SortKey[], position: number | undefined): WindowFrame {
    const o = (def.frameOptions as number | undefined) ?? 0;
    if ((o & F.NONDEFAULT) === 0) return DEFAULT_FRAME;
    const mode: WindowFrame['mode'] = (o & F.ROWS) !== 0 ? 'rows' : (o & F.GROUPS) !== 0 ? 'groups' : 'range';
    const clause = mode.toUpperCase();
    if (mode === 'groups' && order.length === 0) {
      throw new SqlError(SQLSTATE.WINDOWING_ERROR, 'GROUPS mode requires an ORDER BY clause', { position });
    }
    const offset = (node: PgNode): BoundExpr => {
      const e = this.bindExpr(node, `window ${clause}`, false);
      let hasVars = false;
      visitExpr(e, (x) => { if (x.kind === 'column' && x.levelsUp === 0) hasVars = true; });
      if (hasVars) throw new SqlError(SQLSTATE.INVALID_COLUMN_REFERENCE, `argument of ${clause} must not contain variables`, { position: pos(nodeBody(node).location as number | undefined) });
      if (mode !== 'range') return coerce(e, INT8, 'i', this.host.host);
      if (order.length !== 1) {
        throw new SqlError(SQLSTATE.WINDOWING_ERROR, 'RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column', { position });
      }
      const orderOid = order[0]!.expr.type.oid;
      const offsetOid = rangeOffsetType(orderOid);
      const at = pos(nodeBody(node).location as number | undefined);
      if (offsetOid === undefined) {
        throw new SqlError(SQLSTATE.FEATURE_NOT_SUPPORTED, `RANGE with offset PRECEDING/FOLLOWING is not supported for column type ${formatTypeName(orderOid)}`, { position: at });
      }
      const coerced = tryCoerce(e, { oid: offsetOid, typmod: -1 }, 'i', this.host.host);
      if (coerced === undefined) {
        throw new SqlError(SQLSTATE.FEATURE_NOT_SUPPORTED,
          `RANGE with offset PRECEDING/FOLLOWING is not supported for column type ${formatTypeName(orderOid)} and offset type ${formatTypeName(e.type.oid)}`,
          { position: at, hint: 'Cast the offset value to an appropriate type.' });
      }
      return coerced;
    };
    const bound = (which: 'START' | 'END'): FrameBound => {
      const has = (flag: keyof typeof F): boolean => (o & F[flag]) !== 0;
      if (has(`${which}_UNBOUNDED_PRECEDING`) || has(`${which}_UNBOUNDED_FOLLOWING`)) return { kind: 'unbounded' };
      if (has(`${which}_CURRENT_ROW`)) return { kind: 'current' };
      const node = (which === 'START' ? def.startOffset : def.endOffset) as PgNode;
      if (has(`${which}_OFFSET_PRECEDING`)) return { kind: 'preceding', offset: offset(node) };
      if (has(`${which}_OFFSET_FOLLOWING`)) return { kind: 'following', offset: offset(node) };
      return { kind: 'current' };
    };
    // Without BETWEEN the frame ends at the current row (the grammar sets END_CURRENT_ROW).
    const start = bound('START');
    const end = bound('END');
    const exclude: WindowFrame['exclude'] = (o & F.EXCLUDE_CURRENT_ROW) !== 0 ? 'current row'
      : (o & F.EXCLUDE_GROUP) !== 0 ? 'group' : (o & F.EXCLUDE_TIES) !== 0 ? 'ties' : 'no others';
    // Which unbounded end: recorded by position (a start can only be UNBOUNDED PRECEDING, an end UNBOUNDED FOLLOWING).
    return { mode, start, end, exclude };
  }
}

/** The offset type a RANGE frame over an ORDER BY column of type `orderOid` takes (PostgreSQL's in_range functions). */
function rangeOffsetType(orderOid: number): number | undefined {
  switch (orderOid) {
    case OID.int2: case OID.int4: case OID.int8: return OID.int8;
    case OID.float4: case OID.float8: return OID.float8;
    case OID.numeric: return OID.numeric;
    case OID.date: case OID.timestamp: case OID.timestamptz: case OID.interval: return OID.interval;
    default: return undefined;
  }
}

/** Equal for windows that order and frame rows the same way (their calls share one window node). */
function specKey(s: WindowSpec): string {
  const b = (x: FrameBound): string => (x.kind === 'preceding' || x.kind === 'following' ? `${x.kind}(${exprKey(x.offset)})` : x.kind);
  return `${s.partition.map(exprKey).join(',')}|${s.order.map((k) => `${exprKey(k.expr)}:${k.descending}:${k.nullsFirst}`).join(',')}` +
    `|${s.frame.mode}:${b(s.frame.start)}:${b(s.frame.end)}:${s.frame.exclude}`;
}
