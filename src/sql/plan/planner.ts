// The planner: bound query → physical plan, by cost. For each stored table it weighs a sequential
// scan against every usable index (equality prefix + range, or an order that makes a sort
// unnecessary under LIMIT); joins become hash joins, index nested loops or nested loops by their
// estimated cost; WHERE conjuncts are pushed to the scans they reference.
import { OID } from '../types/index.js';
import { SqlError, SQLSTATE, notSupported } from '../../base/index.js';
import {
  conjuncts, columnsUsed, shiftColumns, isRowIndependent, exprContainsSubquery, mapExpr, exprKey,
  type BoundExpr, type BoundQuery, type FromItem, type SelectQuery, type WinCall, type WindowFrame,
} from '../analyze/index.js';
import type { IndexDesc, TableDesc } from '../../catalog/index.js';
import type { IndexBounds, IndexRef, JoinType, PlanNode, PlannedQuery, SortSpec } from './plan-nodes.js';
import { distanceOrder, matchAnnIndex, annScanCost, exactTopKCost, pruneAnnColumns, type DistanceOrder } from './ann-path.js';

/** PostgreSQL's default cost constants. */
const SEQ_PAGE_COST = 1.0;
const RANDOM_PAGE_COST = 4.0;
const CPU_TUPLE_COST = 0.01;
const CPU_INDEX_TUPLE_COST = 0.005;
const CPU_OPERATOR_COST = 0.0025;
const PAGE_BYTES = 8192;
const DEFAULT_EQ_SEL = 0.005;
const DEFAULT_INEQ_SEL = 1 / 3;

/** Statistics the planner reads (row counts from ANALYZE or maintained counters). */
export interface PlannerStats {
  rowCount(table: TableDesc): number;
  indexesOf(table: TableDesc): IndexDesc[];
  /** The key of an ANN index bound over its table's row (column or expression); null if unusable. */
  annKeyOf?(table: TableDesc, index: IndexDesc): BoundExpr | null;
  /** A session setting (enable_seqscan, hnsw.ef_search, ...). */
  setting?(name: string): string;
}

export function planQuery(q: BoundQuery, stats: PlannerStats): PlannedQuery {
  const planner = new Planner(stats);
  const root = planner.plan(q);
  pruneAnnColumns(root, q.columns.length);
  return { root, columns: q.columns, outputWidth: q.columns.length, query: q };
}

/** Plans a FROM item alone (used by UPDATE/DELETE), with conjuncts of WHERE pushed into it. */
export function planFromItem(item: FromItem, where: BoundExpr | null, stats: PlannerStats): PlanNode {
  const planner = new Planner(stats);
  const conds = conjuncts(where);
  const pushable = conds.filter((c) => !exprContainsSubquery(c, true));
  const rest = conds.filter((c) => exprContainsSubquery(c, true));
  let node = planner.planFrom(item, pushable);
  if (rest.length > 0) node = planner.filter(node, andOf(rest));
  return node;
}

function andOf(list: BoundExpr[]): BoundExpr {
  return list.length === 1 ? list[0]! : { kind: 'and', args: list, type: { oid: OID.bool, typmod: -1 } };
}

class Planner {
  constructor(private readonly stats: PlannerStats) {}

  plan(q: BoundQuery): PlanNode {
    let node: PlanNode;
    let width: number;
    switch (q.kind) {
      case 'select': return this.planSelect(q);
      case 'recursive': {
        const nonRecursive = this.plan(q.nonRecursive);
        const recursive = this.plan(q.recursive);
        const rows = nonRecursive.rows * 10;
        return {
          op: 'recursiveunion', cteId: q.cteId, all: q.all, nonRecursive, recursive, keyTypes: q.columns.map((c) => c.type.oid),
          ...est(rows, nonRecursive.startupCost, nonRecursive.totalCost + recursive.totalCost * 10, nonRecursive.width),
        };
      }
      case 'values':
        node = { op: 'values', values: q.rows, filter: null, ...est(q.rows.length, 0, q.rows.length * CPU_OPERATOR_COST, q.columns.length * 8) };
        width = q.columns.length;
        break;
      case 'setop': {
        const left = this.plan(q.left);
        const right = this.plan(q.right);
        const rows = q.op === 'union' ? left.rows + right.rows : q.op === 'intersect' ? Math.min(left.rows, right.rows) : left.rows;
        node = {
          op: 'setop', setop: q.op, all: q.all, left, right, keyTypes: q.columns.map((c) => c.type.oid),
          ...est(rows, left.totalCost + right.totalCost, left.totalCost + right.totalCost + (left.rows + right.rows) * CPU_OPERATOR_COST, left.width),
        };
        width = q.columns.length;
        break;
      }
    }
    return this.finishOrderLimit(node, q.orderBy, q.limit, q.offset, q.columns.map((c) => c.type.oid), width);
  }

  private finishOrderLimit(
    node: PlanNode, orderBy: ReadonlyArray<{ index: number; descending: boolean; nullsFirst: boolean }>,
    limit: BoundExpr | null, offset: BoundExpr | null, types: number[], _width: number, ties: TieKeys = null,
  ): PlanNode {
    if (orderBy.length > 0) node = this.sort(node, orderBy.map((o) => ({ ...o, typeOid: types[o.index]! })));
    if (limit !== null || offset !== null) node = this.limit(node, limit, offset, ties);
    return node;
  }

  private sort(input: PlanNode, keys: SortSpec[]): PlanNode {
    const n = Math.max(input.rows, 1);
    const sortCost = 2 * CPU_OPERATOR_COST * n * Math.log2(n + 1);
    return { op: 'sort', input, keys, ...est(input.rows, input.totalCost + sortCost, input.totalCost + sortCost + n * CPU_OPERATOR_COST, input.width) };
  }

  private limit(input: PlanNode, limit: BoundExpr | null, offset: BoundExpr | null, ties: TieKeys = null): PlanNode {
    let rows = input.rows;
    const lim = constNumber(limit);
    const off = constNumber(offset) ?? 0;
    if (lim !== undefined) rows = Math.max(0, Math.min(rows - off, lim));
    const fraction = input.rows > 0 ? Math.min(1, (rows + off) / input.rows) : 1;
    const total = input.startupCost + (input.totalCost - input.startupCost) * fraction;
    return { op: 'limit', input, limit, offset, ...(ties === null ? {} : { ties }), ...est(rows, input.startupCost, total, input.width) };
  }

  filter(input: PlanNode, pred: BoundExpr): PlanNode {
    const rows = Math.max(1, input.rows * selectivity(pred));
    return { op: 'filter', input, pred, ...est(rows, input.startupCost, input.totalCost + input.rows * CPU_OPERATOR_COST, input.width) };
  }

  private planSelect(q: SelectQuery): PlanNode {
    const conds = conjuncts(q.where);
    const pushable = q.from === null ? [] : conds.filter((c) => !exprContainsSubquery(c, true));
    const rest = q.from === null ? conds : conds.filter((c) => exprContainsSubquery(c, true));
    const orderForIndex = this.indexOrderRequest(q);
    let node: PlanNode = q.from === null
      ? { op: 'result', filter: null, ...est(1, 0, 0.01, 0) }
      : this.planFrom(q.from, pushable, orderForIndex);
    if (rest.length > 0) node = this.filter(node, andOf(rest));
    const sortSatisfied = orderForIndex !== null && providesOrder(node, orderForIndex);
    if (q.grouped) {
      const groups = q.groupKeys.length === 0 ? 1 : Math.max(1, Math.min(200, node.rows / 10));
      node = {
        op: 'aggregate', input: node, groupKeys: q.groupKeys, aggs: q.aggregates, having: q.having,
        ...(q.groupingSets === undefined ? {} : { sets: q.groupingSets }),
        ...est(groups, node.totalCost + node.rows * CPU_OPERATOR_COST * (q.aggregates.length + 1),
          node.totalCost + node.rows * CPU_OPERATOR_COST * (q.aggregates.length + 1) + groups * CPU_TUPLE_COST, (q.groupKeys.length + q.aggregates.length) * 8),
      };
    }
    let width = q.grouped ? q.groupKeys.length + q.aggregates.length + (q.groupingSets === undefined ? 0 : 1) : q.scopeWidth;
    for (const w of q.windows) {
      // A window over rows the scan already delivers in its order streams them (ORDER BY distance LIMIT k).
      const presorted = sortSatisfied;
      const keys = w.spec.partition.length + w.spec.order.length;
      const sort = keys === 0 || presorted ? null : this.sort(node, []);
      const below = sort ?? node;
      node = {
        op: 'window', input: node, spec: w.spec, calls: w.calls, inputWidth: width, presorted,
        sort: sort === null ? null : { rows: sort.rows, startupCost: sort.startupCost, totalCost: sort.totalCost, width: sort.width },
        ...est(below.rows, below.startupCost, below.totalCost + below.rows * CPU_OPERATOR_COST * w.calls.length, below.width + 8 * w.calls.length),
      };
      width += w.calls.length;
    }
    const exprs = [...q.targets, ...q.junk];
    const hasSrf = exprs.some((e) => e.kind === 'srf');
    node = { op: 'project', input: node, exprs, hasSrf, ...est(node.rows * (hasSrf ? 10 : 1), node.startupCost, node.totalCost + node.rows * CPU_OPERATOR_COST * exprs.length, exprs.length * 8) };
    const types = exprs.map((e) => e.type.oid);
    if (q.distinctOn !== null) {
      if (q.orderBy.length > 0) node = this.sort(node, q.orderBy.map((o) => ({ ...o, typeOid: types[o.index]! })));
      else node = this.sort(node, q.distinctOn.map((i) => ({ index: i, descending: false, nullsFirst: false, typeOid: types[i]! })));
      node = { op: 'distinct', input: node, on: q.distinctOn, keyTypes: types, ...est(Math.max(1, node.rows / 2), node.startupCost, node.totalCost + node.rows * CPU_OPERATOR_COST, node.width) };
      if (q.limit !== null || q.offset !== null) node = this.limit(node, q.limit, q.offset, tieKeys(q, types));
      return node;
    }
    if (q.distinct) {
      node = { op: 'distinct', input: node, on: null, keyTypes: types.slice(0, q.targets.length), ...est(Math.max(1, node.rows / 2), node.totalCost, node.totalCost + node.rows * CPU_OPERATOR_COST, node.width) };
    }
    const ordered = sortSatisfied || (!q.distinct && windowsSortAsQuery(q));
    return this.finishOrderLimit(node, ordered ? [] : q.orderBy, q.limit, q.offset, types, exprs.length, tieKeys(q, types));
  }

  /**
   * When a single-table query orders by plain columns of that table (and is not grouped or
   * distinct), the scan may deliver that order from an index; returns the wanted column offsets.
   */
  private indexOrderRequest(q: SelectQuery): OrderRequest | null {
    if (q.orderBy.length === 0 || q.grouped || q.distinct || q.distinctOn !== null) return null;
    if (q.windows.length > 0 && !windowKeepsQueryOrder(q)) return null;
    if (q.from === null || q.from.kind !== 'table') return null;
    const exprs = [...q.targets, ...q.junk];
    const cols: OrderRequest['columns'] = [];
    if (q.orderBy.length === 1) {
      const o = q.orderBy[0]!;
      const distance = distanceOrder(exprs[o.index]!, o.descending, o.nullsFirst);
      if (distance !== null) {
        // A LIMIT given as a parameter (prepared `LIMIT $2`) is taken as a typical top-k of 100.
        const lim = constNumber(q.limit) ?? (q.limit !== null ? 100 : undefined);
        return { columns: [], distance, limitRows: lim === undefined ? null : lim + (constNumber(q.offset) ?? 0) };
      }
    }
    for (const o of q.orderBy) {
      const e = exprs[o.index]!;
      if (e.kind !== 'column' || e.levelsUp !== 0) return null;
      cols.push({ offset: e.index, descending: o.descending, nullsFirst: o.nullsFirst });
    }
    const lim = constNumber(q.limit);
    return { columns: cols, limitRows: lim === undefined ? null : lim + (constNumber(q.offset) ?? 0) };
  }

  // ---- FROM ---------------------------------------------------------------------------------

  /** Plans a FROM item; conds are over the scope row and are applied within this item where possible. */
  planFrom(item: FromItem, conds: BoundExpr[], order: OrderRequest | null = null): PlanNode {
    const lo = item.offset;
    const hi = item.offset + item.width;
    const mine = conds.filter((c) => within(c, lo, hi));
    const node = this.planItem(item, mine, order);
    return node;
  }

  private planItem(item: FromItem, conds: BoundExpr[], order: OrderRequest | null): PlanNode {
    const local = (c: BoundExpr): BoundExpr => shiftColumns(c, -item.offset);
    switch (item.kind) {
      case 'table': return this.planTable(item.table, item.alias, item.withKey, conds.map(local), order === null ? null : {
        ...order, columns: order.columns.map((c) => ({ ...c, offset: c.offset - item.offset })),
        ...(order.distance !== undefined ? { distance: {
          ...order.distance, left: local(order.distance.left), query: order.distance.query, expr: local(order.distance.expr),
        } } : {}),
      });
      case 'virtual': {
        const filter = conds.length === 0 ? null : andOf(conds.map(local));
        return { op: 'virtualscan', name: item.name, alias: item.alias, rowsFn: item.rows, filter, ncols: item.width, ...est(100, 0, 1, item.width * 8) };
      }
      case 'values': {
        const filter = conds.length === 0 ? null : andOf(conds.map(local));
        return { op: 'values', values: item.rows, filter, ...est(item.rows.length, 0, item.rows.length * CPU_OPERATOR_COST, item.width * 8) };
      }
      case 'function': {
        const filter = conds.length === 0 ? null : andOf(conds.map(local));
        return { op: 'function', fn: item.fn, args: item.args, withOrdinality: item.withOrdinality, alias: item.alias, filter, ...est(1000, 0, 10, item.width * 8) };
      }
      case 'subquery': {
        const input = this.plan(item.query);
        const filter = conds.length === 0 ? null : andOf(conds.map(local));
        const rows = filter === null ? input.rows : Math.max(1, input.rows * selectivity(filter));
        return { op: 'subqueryscan', input, alias: item.alias, filter, ...est(rows, input.startupCost, input.totalCost, input.width) };
      }
      case 'join': return this.planJoin(item, conds);
      case 'worktable': {
        const filter = conds.length === 0 ? null : andOf(conds.map(local));
        return { op: 'worktablescan', cteId: item.cteId, alias: item.alias, filter, ...est(100, 0, 1, item.width * 8) };
      }
    }
  }

  private planJoin(item: Extract<FromItem, { kind: 'join' }>, conds: BoundExpr[]): PlanNode {
    const { left, right, joinType } = item;
    const onConds = conjuncts(item.on);
    // WHERE conjuncts may move into the sides only for the sides that are not null-extended.
    const leftOnly = (c: BoundExpr): boolean => within(c, left.offset, left.offset + left.width);
    const rightOnly = (c: BoundExpr): boolean => within(c, right.offset, right.offset + right.width);
    const pushLeft: BoundExpr[] = [];
    const pushRight: BoundExpr[] = [];
    const joinConds: BoundExpr[] = [];
    const after: BoundExpr[] = [];
    for (const c of conds) {
      if (leftOnly(c) && (joinType === 'inner' || joinType === 'cross' || joinType === 'left')) pushLeft.push(c);
      else if (rightOnly(c) && (joinType === 'inner' || joinType === 'cross' || joinType === 'right')) pushRight.push(c);
      else if (joinType === 'inner' || joinType === 'cross') joinConds.push(c);
      else after.push(c);
    }
    for (const c of onConds) {
      if (exprContainsSubquery(c, true)) { joinConds.push(c); continue; }
      // ON conditions on the inner (nullable) side of an outer join may be pushed into that side.
      if (rightOnly(c) && (joinType === 'inner' || joinType === 'left')) pushRight.push(c);
      else if (leftOnly(c) && (joinType === 'inner' || joinType === 'right')) pushLeft.push(c);
      else joinConds.push(c);
    }
    const effectiveType: JoinType = joinType === 'cross' ? 'inner' : joinType;
    const lplan = this.planFrom(left, pushLeft);
    const lateral = (right.kind === 'subquery' || right.kind === 'function') && right.lateral === true;
    if (lateral) {
      if (left.offset !== 0) throw notSupported('LATERAL references from inside a parenthesized join');
      if (joinType === 'right' || joinType === 'full') {
        throw new SqlError(SQLSTATE.INVALID_COLUMN_REFERENCE, `invalid reference to FROM-clause entry for table "${left.kind === 'table' ? left.alias : ''}"`, {
          detail: 'The combining JOIN type must be INNER or LEFT for a LATERAL reference.',
        });
      }
      const rplan = this.planFrom(right, pushRight);
      const toRow = (c: BoundExpr): BoundExpr => shiftColumns(c, -item.offset);
      const cond = joinConds.length === 0 ? null : toRow(andOf(joinConds));
      let node: PlanNode = {
        op: 'nestloop', left: lplan, right: rplan, joinType: effectiveType, cond, leftWidth: left.width, rightWidth: right.width, lateral: true,
        ...est(lplan.rows * Math.max(1, rplan.rows), lplan.startupCost, lplan.totalCost + lplan.rows * rplan.totalCost, lplan.width + rplan.width),
      };
      if (after.length > 0) node = this.filter(node, toRow(andOf(after)));
      return node;
    }
    const base = item.offset;
    // Equi-join keys: l = r with l over the left side only and r over the right side only.
    const leftKeys: BoundExpr[] = [];
    const rightKeys: BoundExpr[] = [];
    const keyTypes: number[] = [];
    const extra: BoundExpr[] = [];
    for (const c of joinConds) {
      const k = equiJoinKey(c, leftOnly, rightOnly);
      if (k !== null) { leftKeys.push(k.left); rightKeys.push(k.right); keyTypes.push(k.left.type.oid); } else extra.push(c);
    }
    const leftWidth = left.width;
    const rightWidth = right.width;
    const toJoinRow = (c: BoundExpr): BoundExpr => shiftColumns(c, -base);
    const extraExpr = extra.length === 0 ? null : toJoinRow(andOf(extra));
    let best: PlanNode | null = null;

    // Index nested loop: the right side is a stored table with an index on the join key.
    if (right.kind === 'table' && leftKeys.length > 0 && (effectiveType === 'inner' || effectiveType === 'left')) {
      const rightLocal = rightKeys.map((k) => shiftColumns(k, -right.offset));
      const leftAsOuter = leftKeys.map((k) => shiftColumns(k, -base));
      const probe = this.indexProbe(right.table, right.alias, right.withKey, rightLocal, leftAsOuter, pushRight.map((c) => shiftColumns(c, -right.offset)));
      if (probe !== null) {
        const perProbe = probe.totalCost;
        const total = lplan.totalCost + lplan.rows * perProbe;
        const rows = Math.max(1, lplan.rows * Math.max(probe.rows, effectiveType === 'left' ? 1 : 0));
        best = {
          op: 'indexnestloop', left: lplan, right: probe, joinType: effectiveType as 'inner' | 'left',
          extra: extraExpr, leftWidth, rightWidth,
          ...est(rows, lplan.startupCost, total, lplan.width + probe.width),
        };
      }
    }
    const rplan = this.planFrom(right, pushRight);
    const outRows = joinRows(lplan.rows, rplan.rows, leftKeys.length > 0, extra.length > 0, effectiveType);
    if (leftKeys.length > 0) {
      const cost = lplan.totalCost + rplan.totalCost + (lplan.rows + rplan.rows) * (CPU_OPERATOR_COST * leftKeys.length + CPU_TUPLE_COST);
      const hj: PlanNode = {
        op: 'hashjoin', left: lplan, right: rplan, joinType: effectiveType,
        leftKeys: leftKeys.map(toJoinRow), rightKeys: rightKeys.map((k) => shiftColumns(k, -right.offset)), keyTypes,
        extra: extraExpr, leftWidth, rightWidth,
        ...est(outRows, rplan.totalCost, cost + outRows * CPU_TUPLE_COST, lplan.width + rplan.width),
      };
      if (best === null || hj.totalCost < best.totalCost) best = hj;
    }
    if (best === null) {
      const cond = joinConds.length === 0 ? null : toJoinRow(andOf(joinConds));
      const cost = lplan.totalCost + rplan.totalCost + lplan.rows * rplan.rows * CPU_OPERATOR_COST;
      best = {
        op: 'nestloop', left: lplan, right: rplan, joinType: effectiveType, cond, leftWidth, rightWidth,
        ...est(outRows, lplan.startupCost + rplan.startupCost, cost + outRows * CPU_TUPLE_COST, lplan.width + rplan.width),
      };
    }
    if (after.length > 0) best = this.filter(best, toJoinRow(andOf(after)));
    return best;
  }

  /** An index scan of `table` whose leading key columns equal `outerValues` (evaluated per left row). */
  private indexProbe(
    table: TableDesc, alias: string, withKey: boolean, keyExprs: BoundExpr[], outerValues: BoundExpr[], conds: BoundExpr[],
  ): (PlanNode & { op: 'indexscan' }) | null {
    const rows = this.stats.rowCount(table);
    for (const ref of this.indexRefs(table)) {
      const cols = ref.columns;
      const eq: BoundExpr[] = [];
      const used: BoundExpr[] = [];
      for (const attnum of cols) {
        const pos = table.columns.findIndex((c) => c.attnum === attnum);
        const k = keyExprs.findIndex((e) => e.kind === 'column' && e.index === pos && e.type.oid === table.columns[pos]!.type.oid);
        if (k < 0) break;
        // Outer values reference the left row: mark them as outer (levelsUp 1) for evaluation per probe.
        const outer = outerValues[k]!;
        if (outer.type.oid !== keyExprs[k]!.type.oid) break;
        eq.push(mapExpr(outer, (x) => (x.kind === 'column' && x.levelsUp === 0 ? { ...x, levelsUp: -1 } : x)));
        used.push(keyExprs[k]!);
      }
      if (eq.length === 0) continue;
      const unique = (ref.unique && eq.length === cols.length);
      const matched = unique ? 1 : Math.max(1, rows * Math.pow(DEFAULT_EQ_SEL, eq.length) * 2);
      const filter = conds.length === 0 ? null : andOf(conds);
      const cost = RANDOM_PAGE_COST + matched * (CPU_INDEX_TUPLE_COST + CPU_TUPLE_COST + (ref.ref.kind === 'secondary' ? RANDOM_PAGE_COST * 0.25 : 0));
      return {
        op: 'indexscan', table, alias, withKey, index: ref.ref, keyTypes: cols.map((a) => table.columns.find((c) => c.attnum === a)!.type),
        bounds: { eq, lower: null, upper: null, conds: used },
        reverse: false, filter, lock: null,
        ...est(filter === null ? matched : Math.max(1, matched * selectivity(filter)), 0, cost, table.columns.length * 8),
      };
    }
    return null;
  }

  private indexRefs(table: TableDesc): Array<{ ref: IndexRef; columns: number[]; unique: boolean; descending: boolean[]; nullsFirst: boolean[] }> {
    const out: Array<{ ref: IndexRef; columns: number[]; unique: boolean; descending: boolean[]; nullsFirst: boolean[] }> = [];
    if (table.storageKey.length > 0) {
      const pk = this.stats.indexesOf(table).find((i) => i.primary);
      out.push({ ref: { kind: 'primary', name: pk?.name ?? `${table.name}_pkey` }, columns: table.storageKey, unique: true,
        descending: table.storageKey.map(() => false), nullsFirst: table.storageKey.map(() => false) });
    }
    for (const index of this.stats.indexesOf(table)) {
      if (index.method !== 'btree') continue;
      if (index.primary && table.storageKey.length > 0 && sameList(index.columns, table.storageKey)) continue;
      out.push({ ref: { kind: 'secondary', index }, columns: index.columns, unique: index.unique, descending: index.descending, nullsFirst: index.nullsFirst });
    }
    return out;
  }

  /** Chooses the cheapest access path for one stored table. */
  private planTable(table: TableDesc, alias: string, withKey: boolean, conds: BoundExpr[], order: OrderRequest | null): PlanNode {
    const rows = Math.max(this.stats.rowCount(table), 1);
    const width = table.columns.length * 8;
    // At least 10 pages, as PostgreSQL assumes for a table it knows nothing about: a multi-version
    // store also keeps old row versions that a sequential scan walks and a point lookup does not.
    const pages = Math.max(10, Math.ceil((rows * (width + 24)) / PAGE_BYTES));
    const filterAll = conds.length === 0 ? null : andOf(conds);
    const sel = filterAll === null ? 1 : selectivity(filterAll);
    const outRows = Math.max(1, Math.round(rows * sel));
    let best: PlanNode = {
      op: 'seqscan', table, alias, withKey, filter: filterAll, lock: null,
      ...est(outRows, 0, pages * SEQ_PAGE_COST + rows * (CPU_TUPLE_COST + CPU_OPERATOR_COST * conds.length), width),
    };
    if (this.stats.setting?.('enable_seqscan') === 'off') best = { ...best, startupCost: best.startupCost + DISABLE_COST, totalCost: best.totalCost + DISABLE_COST };
    const distance = order?.distance;
    const orderCost = (n: number): number => (order === null ? 0 : distance !== undefined ? exactTopKCost(distance.left, n) : sortCostFor(n));
    let bestCompare = best.totalCost + orderCost(outRows);
    if (distance !== undefined) {
      const ann = this.annPath(table, alias, withKey, conds, distance, order!.limitRows, rows, sel, outRows, width);
      if (ann !== null && ann.compare < bestCompare) { best = ann.node; bestCompare = ann.compare; }
    }
    for (const ref of this.indexRefs(table)) {
      const match = matchIndex(table, ref.columns, conds);
      const ordered = order !== null && distance === undefined ? orderMatches(table, ref, match.eq.length, order) : null;
      if (match.eq.length === 0 && match.lower === null && match.upper === null && ordered === null) continue;
      let idxSel = Math.pow(DEFAULT_EQ_SEL, match.eq.length);
      if (match.lower !== null && match.upper !== null) idxSel *= 0.005 / DEFAULT_EQ_SEL * DEFAULT_EQ_SEL * 2;
      else if (match.lower !== null || match.upper !== null) idxSel *= DEFAULT_INEQ_SEL;
      if (ref.unique && match.eq.length === ref.columns.length) idxSel = 1 / rows;
      const fetched = Math.max(1, rows * idxSel);
      const perRow = CPU_INDEX_TUPLE_COST + CPU_TUPLE_COST + (ref.ref.kind === 'secondary' ? RANDOM_PAGE_COST * 0.1 : 0);
      let total = (ref.ref.kind === 'secondary' ? RANDOM_PAGE_COST : SEQ_PAGE_COST) + fetched * perRow + fetched * CPU_OPERATOR_COST * conds.length;
      let compare = total + (order !== null && ordered === null ? orderCost(outRows) : 0);
      if (ordered !== null && order!.limitRows !== null) {
        // Under LIMIT an ordered scan stops early.
        const fraction = Math.min(1, order!.limitRows / Math.max(1, fetched * sel));
        compare = total * fraction;
      }
      if (compare < bestCompare) {
        const remaining = conds.filter((c) => !match.used.includes(c));
        const filter = remaining.length === 0 ? null : andOf(remaining);
        total = Math.max(total, 0.01);
        best = {
          op: 'indexscan', table, alias, withKey, index: ref.ref,
          keyTypes: ref.columns.map((a) => table.columns.find((c) => c.attnum === a)!.type),
          bounds: { eq: match.eq, lower: match.lower, upper: match.upper, conds: match.used },
          reverse: ordered === 'reverse', filter, lock: null,
          ...est(ref.unique && match.eq.length === ref.columns.length ? 1 : outRows, 0, total, width),
        };
        (best as { providesOrder?: boolean }).providesOrder = ordered !== null;
        bestCompare = compare;
      }
    }
    return best;
  }

  /** The cheapest ANN index scan that delivers the distance order, with its comparable cost. */
  private annPath(
    table: TableDesc, alias: string, withKey: boolean, conds: BoundExpr[], distance: DistanceOrder,
    limitRows: number | null, rows: number, sel: number, outRows: number, width: number,
  ): { node: PlanNode; compare: number } | null {
    if (this.stats.annKeyOf === undefined) return null;
    let found: { node: PlanNode; compare: number } | null = null;
    for (const index of this.stats.indexesOf(table)) {
      if (index.method !== 'hnsw' && index.method !== 'ivfflat') continue;
      const key = this.stats.annKeyOf(table, index);
      const opclass = matchAnnIndex(index, key, distance);
      if (opclass === null || key === null) continue;
      const setting = (n: string, d: number): number => Number(this.stats.setting?.(n) ?? d) || d;
      const wanted = limitRows ?? rows;
      const lists = Number(index.options?.lists ?? 100);
      const cost = annScanCost(index.method, key, rows, wanted, sel, setting('hnsw.ef_search', 40), setting('ivfflat.probes', 1), lists);
      const filter = conds.length === 0 ? null : andOf(conds);
      const startup = cost.startup + (this.stats.setting?.('enable_indexscan') === 'off' ? DISABLE_COST : 0);
      const total = cost.total + (startup - cost.startup);
      const node: PlanNode = {
        op: 'annscan', table, alias, withKey, index, opclass, query: distance.query, orderExpr: distance.expr,
        limitHint: limitRows, filter, ...est(limitRows === null ? outRows : Math.min(outRows, limitRows), startup, total, width),
      };
      if (found === null || total < found.compare) found = { node, compare: total };
    }
    return found;
  }
}

/** PostgreSQL's disable_cost: added to paths the enable_* settings turn off. */
const DISABLE_COST = 1.0e10;

interface OrderRequest {
  columns: Array<{ offset: number; descending: boolean; nullsFirst: boolean }>;
  /** ORDER BY a distance to a query vector (columns is then empty). */
  distance?: DistanceOrder;
  limitRows: number | null;
}

/**
 * Whether the query's one window orders rows as its ORDER BY does, without PARTITION BY, and
 * computes only what a row's earlier rows and its peers decide (ranks, row numbers, lag, running
 * aggregates): then a scan that delivers that order feeds the window, which streams, and a LIMIT
 * stops both early.
 */
function windowKeepsQueryOrder(q: SelectQuery): boolean {
  if (q.windows.length !== 1) return false;
  const { spec, calls } = q.windows[0]!;
  if (spec.partition.length > 0 || spec.order.length !== q.orderBy.length) return false;
  const exprs = [...q.targets, ...q.junk];
  for (let i = 0; i < spec.order.length; i++) {
    const w = spec.order[i]!;
    const o = q.orderBy[i]!;
    if (w.descending !== o.descending || w.nullsFirst !== o.nullsFirst || exprKey(w.expr) !== exprKey(exprs[o.index]!)) return false;
  }
  return calls.every((c) => streamableWindowCall(c, spec.frame));
}

/**
 * Whether the last window node's sort (PARTITION BY keys ascending, then its ORDER BY) leaves the
 * rows in the query's ORDER BY order, so no sort is needed after it.
 */
function windowsSortAsQuery(q: SelectQuery): boolean {
  const last = q.windows.at(-1);
  if (last === undefined || q.orderBy.length === 0) return false;
  const keys = [
    ...last.spec.partition.map((expr) => ({ expr, descending: false, nullsFirst: false })),
    ...last.spec.order,
  ];
  if (q.orderBy.length > keys.length) return false;
  const exprs = [...q.targets, ...q.junk];
  return q.orderBy.every((o, i) => {
    const k = keys[i]!;
    return k.descending === o.descending && k.nullsFirst === o.nullsFirst && exprKey(k.expr) === exprKey(exprs[o.index]!);
  });
}

/** A call whose value for a row depends only on the rows up to the end of that row's peer group. */
export function streamableWindowCall(c: WinCall, frame: WindowFrame): boolean {
  if (c.fn.kind === 'aggregate') {
    return frame.start.kind === 'unbounded' && frame.end.kind === 'current' && frame.exclude === 'no others';
  }
  switch (c.fn.name) {
    case 'row_number': case 'rank': case 'dense_rank': return true;
    // lag reads earlier rows only while its offset is a constant of at least 0
    case 'lag': {
      const off = c.args[1];
      return off === undefined || (off.kind === 'const' && off.value !== null && (off.value as number) >= 0);
    }
    default: return false;
  }
}

function providesOrder(node: PlanNode, _order: OrderRequest): boolean {
  let n: PlanNode = node;
  while (n.op === 'filter') n = n.input;
  return n.op === 'annscan' || (n.op === 'indexscan' && (n as { providesOrder?: boolean }).providesOrder === true);
}

/** Whether an index (after `eqCount` equality columns) yields the requested order, forward or reversed. */
function orderMatches(
  table: TableDesc,
  ref: { columns: number[]; descending: boolean[]; nullsFirst: boolean[] },
  eqCount: number, order: OrderRequest,
): 'forward' | 'reverse' | null {
  let direction: 'forward' | 'reverse' | null = null;
  for (let i = 0; i < order.columns.length; i++) {
    const want = order.columns[i]!;
    const k = eqCount + i;
    if (k >= ref.columns.length) return null;
    const pos = table.columns.findIndex((c) => c.attnum === ref.columns[k]);
    if (pos !== want.offset) return null;
    const idxDesc = ref.descending[k] ?? false;
    const idxNullsFirst = ref.nullsFirst[k] ?? idxDesc;
    let d: 'forward' | 'reverse';
    if (want.descending === idxDesc && want.nullsFirst === idxNullsFirst) d = 'forward';
    else if (want.descending !== idxDesc && want.nullsFirst !== idxNullsFirst) d = 'reverse';
    else return null;
    if (direction !== null && direction !== d) return null;
    direction = d;
  }
  return direction;
}

/** Matches conjuncts (over the table's physical row) to an index's leading columns. */
function matchIndex(table: TableDesc, columns: number[], conds: BoundExpr[]): {
  eq: BoundExpr[]; lower: IndexBounds['lower']; upper: IndexBounds['upper']; used: BoundExpr[];
} {
  const eq: BoundExpr[] = [];
  const used: BoundExpr[] = [];
  let lower: IndexBounds['lower'] = null;
  let upper: IndexBounds['upper'] = null;
  for (const attnum of columns) {
    const pos = table.columns.findIndex((c) => c.attnum === attnum);
    const colType = table.columns[pos]!.type.oid;
    const found = conds.find((c) => comparison(c, pos, colType)?.op === '=');
    if (found !== undefined) {
      eq.push(comparison(found, pos, colType)!.value);
      used.push(found);
      continue;
    }
    for (const c of conds) {
      const cmp = comparison(c, pos, colType);
      if (cmp === null) continue;
      if ((cmp.op === '>' || cmp.op === '>=') && lower === null) { lower = { expr: cmp.value, inclusive: cmp.op === '>=' }; used.push(c); }
      else if ((cmp.op === '<' || cmp.op === '<=') && upper === null) { upper = { expr: cmp.value, inclusive: cmp.op === '<=' }; used.push(c); }
    }
    break;
  }
  return { eq, lower, upper, used };
}

const FLIP: Record<string, string> = { '=': '=', '<': '>', '>': '<', '<=': '>=', '>=': '<=' };

/** `col op value` (or `value op col`) with value row-independent and of the column's type. */
function comparison(c: BoundExpr, pos: number, colType: number): { op: string; value: BoundExpr } | null {
  if (c.kind !== 'call' || c.fn.kind !== 'operator' || c.args.length !== 2) return null;
  const op = c.fn.name;
  if (FLIP[op] === undefined) return null;
  const [a, b] = c.args as [BoundExpr, BoundExpr];
  if (c.fn.argTypes[0] !== colType || c.fn.argTypes[1] !== colType) return null;
  if (a.kind === 'column' && a.levelsUp === 0 && a.index === pos && isRowIndependent(b)) return { op, value: b };
  if (b.kind === 'column' && b.levelsUp === 0 && b.index === pos && isRowIndependent(a)) return { op: FLIP[op]!, value: a };
  return null;
}

function equiJoinKey(c: BoundExpr, leftOnly: (e: BoundExpr) => boolean, rightOnly: (e: BoundExpr) => boolean): { left: BoundExpr; right: BoundExpr } | null {
  if (c.kind !== 'call' || c.fn.kind !== 'operator' || c.fn.name !== '=' || c.args.length !== 2) return null;
  if (c.fn.argTypes[0] !== c.fn.argTypes[1]) return null;
  const [a, b] = c.args as [BoundExpr, BoundExpr];
  if (columnsUsed(a).size === 0 || columnsUsed(b).size === 0) return null;
  if (leftOnly(a) && rightOnly(b)) return { left: a, right: b };
  if (leftOnly(b) && rightOnly(a)) return { left: b, right: a };
  return null;
}

function within(e: BoundExpr, lo: number, hi: number): boolean {
  const used = columnsUsed(e);
  for (const i of used) if (i < lo || i >= hi) return false;
  // Correlated references from subqueries are not tracked by columnsUsed: keep those at the top.
  return !exprContainsSubquery(e, true);
}

function joinRows(l: number, r: number, equi: boolean, extra: boolean, type: JoinType): number {
  let rows = equi ? Math.max(l, r) : l * r;
  if (extra) rows = rows * DEFAULT_INEQ_SEL;
  if (type === 'left') rows = Math.max(rows, l);
  if (type === 'right') rows = Math.max(rows, r);
  if (type === 'full') rows = Math.max(rows, l + r);
  return Math.max(1, Math.round(rows));
}

export function selectivity(e: BoundExpr): number {
  switch (e.kind) {
    case 'and': return e.args.reduce((s, a) => s * selectivity(a), 1);
    case 'or': return Math.min(1, e.args.reduce((s, a) => s + selectivity(a), 0));
    case 'not': return 1 - selectivity(e.arg);
    case 'isnull': return e.negate ? 0.995 : 0.005;
    case 'inlist': return Math.min(1, DEFAULT_EQ_SEL * e.items.length);
    case 'call':
      if (e.fn.kind === 'operator') {
        if (e.fn.name === '=') return DEFAULT_EQ_SEL;
        if (e.fn.name === '<>') return 1 - DEFAULT_EQ_SEL;
        if (['<', '>', '<=', '>='].includes(e.fn.name)) return DEFAULT_INEQ_SEL;
        if (e.fn.name === '~~' || e.fn.name === '~~*') return DEFAULT_EQ_SEL;
      }
      return DEFAULT_INEQ_SEL;
    case 'const': return e.value === true ? 1 : 0;
    default: return 0.5;
  }
}

function sortCostFor(rows: number): number {
  const n = Math.max(rows, 1);
  return 2 * CPU_OPERATOR_COST * n * Math.log2(n + 1);
}

function constNumber(e: BoundExpr | null): number | undefined {
  if (e === null || e.kind !== 'const' || e.value === null) return undefined;
  return Number(e.value as bigint | number);
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function est(rows: number, startupCost: number, totalCost: number, width: number) {
  return { rows: Math.max(0, Math.round(rows)), startupCost, totalCost, width: Math.max(0, Math.round(width)) };
}

/** The sort keys that make rows peers for FETCH ... WITH TIES (null without it). */
type TieKeys = Array<{ index: number; typeOid: number }> | null;

function tieKeys(q: SelectQuery, types: readonly number[]): TieKeys {
  return q.withTies === true ? q.orderBy.map((o) => ({ index: o.index, typeOid: types[o.index]! })) : null;
}
