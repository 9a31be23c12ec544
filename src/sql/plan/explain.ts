// EXPLAIN: prints a physical plan in PostgreSQL's text format — one line per node with
// "(cost=startup..total rows=N width=W)", "->" for children, and detail lines (Filter, Index
// Cond, Hash Cond, Sort Key, Group Key, Join Filter) with expressions deparsed to SQL.
import { formatType, textOut, OID } from '../types/index.js';
import { mapExpr, type BoundExpr } from '../analyze/index.js';
import type { PlanNode } from './plan-nodes.js';

export function explainPlan(root: PlanNode, options: { costs: boolean } = { costs: true }): string[] {
  const lines: string[] = [];
  emit(root, 0, lines, options.costs);
  return lines;
}

function costText(n: PlanNode, costs: boolean): string {
  if (!costs) return '';
  return `  (cost=${n.startupCost.toFixed(2)}..${n.totalCost.toFixed(2)} rows=${n.rows} width=${n.width})`;
}

function emit(n: PlanNode, depth: number, lines: string[], costs: boolean): void {
  const head = depth === 0 ? '' : `${' '.repeat(6 * (depth - 1) + 2)}->  `;
  const detail = ' '.repeat(depth === 0 ? 2 : 6 * depth + 2);
  const d = (label: string, e: BoundExpr | null): void => {
    if (e !== null) lines.push(`${detail}${label}: ${deparseTop(e)}`);
  };
  switch (n.op) {
    case 'seqscan':
      lines.push(`${head}Seq Scan on ${relName(n.table.name, n.alias)}${costText(n, costs)}`);
      d('Filter', n.filter);
      return;
    case 'indexscan': {
      const idx = n.index.kind === 'primary' ? n.index.name : n.index.index.name;
      lines.push(`${head}Index Scan${n.reverse ? ' Backward' : ''} using ${idx} on ${relName(n.table.name, n.alias)}${costText(n, costs)}`);
      if (n.bounds.conds.length > 0) lines.push(`${detail}Index Cond: ${deparseTop(andOf(n.bounds.conds))}`);
      d('Filter', n.filter);
      return;
    }
    case 'annscan':
      lines.push(`${head}Index Scan using ${n.index.name} on ${relName(n.table.name, n.alias)}${costText(n, costs)}`);
      lines.push(`${detail}Order By: ${deparseTop(n.orderExpr)}`);
      d('Filter', n.filter);
      return;
    case 'virtualscan':
      lines.push(`${head}Function Scan on ${n.name}${n.alias !== n.name ? ` ${n.alias}` : ''}${costText(n, costs)}`);
      d('Filter', n.filter);
      return;
    case 'values':
      lines.push(`${head}Values Scan on "*VALUES*"${costText(n, costs)}`);
      d('Filter', n.filter);
      return;
    case 'function':
      lines.push(`${head}Function Scan on ${n.fn.name}${n.alias !== n.fn.name ? ` ${n.alias}` : ''}${costText(n, costs)}`);
      d('Filter', n.filter);
      return;
    case 'result':
      lines.push(`${head}Result${costText(n, costs)}`);
      d('One-Time Filter', n.filter);
      return;
    case 'subqueryscan':
      lines.push(`${head}Subquery Scan on ${n.alias || 'unnamed_subquery'}${costText(n, costs)}`);
      d('Filter', n.filter);
      emit(n.input, depth + 1, lines, costs);
      return;
    case 'filter':
      // PostgreSQL shows a filter as a detail line of the node it sits on.
      emit(n.input, depth, lines, costs);
      lines.push(`${' '.repeat(depth === 0 ? 2 : 6 * depth + 2)}Filter: ${deparseTop(n.pred)}`);
      return;
    case 'project':
      if (n.hasSrf) {
        lines.push(`${head}ProjectSet${costText(n, costs)}`);
        emit(n.input, depth + 1, lines, costs);
        return;
      }
      emit(n.input, depth, lines, costs);
      return;
    case 'nestloop':
      lines.push(`${head}Nested Loop${joinLabel(n.joinType)}${costText(n, costs)}`);
      d('Join Filter', n.cond);
      emit(n.left, depth + 1, lines, costs);
      emit({ ...n.right, op: n.right.op } as PlanNode, depth + 1, lines, costs);
      return;
    case 'hashjoin': {
      lines.push(`${head}Hash${joinLabel(n.joinType)} Join${costText(n, costs)}`);
      const conds = n.leftKeys.map((l, i) => `(${deparse(l)} = ${deparse(n.rightKeys[i]!)})`);
      lines.push(`${detail}Hash Cond: ${conds.length === 1 ? conds[0] : `(${conds.join(' AND ')})`}`);
      d('Join Filter', n.extra);
      emit(n.left, depth + 1, lines, costs);
      const hashHead = `${' '.repeat(6 * depth + 2)}->  `;
      lines.push(`${hashHead}Hash${costText({ ...n.right, startupCost: n.right.totalCost }, costs)}`);
      emit(n.right, depth + 2, lines, costs);
      return;
    }
    case 'indexnestloop':
      lines.push(`${head}Nested Loop${n.joinType === 'left' ? ' Left Join' : ''}${costText(n, costs)}`);
      d('Join Filter', n.extra);
      emit(n.left, depth + 1, lines, costs);
      emit(n.right, depth + 1, lines, costs);
      return;
    case 'aggregate':
      if (n.sets !== undefined) {
        // grouping sets: hashed sets, then the empty set (one group) as PostgreSQL's MixedAggregate shows them
        lines.push(`${head}MixedAggregate${costText(n, costs)}`);
        for (const set of n.sets) if (set.length > 0) lines.push(`${detail}Hash Key: ${set.map((k) => deparse(n.groupKeys[k]!)).join(', ')}`);
        if (n.sets.some((set) => set.length === 0)) lines.push(`${detail}Group Key: ()`);
        d('Filter', n.having === null ? null : overAggregate(n.having, n));
        emit(n.input, depth + 1, lines, costs);
        return;
      }
      lines.push(`${head}${n.groupKeys.length === 0 ? 'Aggregate' : 'HashAggregate'}${costText(n, costs)}`);
      if (n.groupKeys.length > 0) lines.push(`${detail}Group Key: ${n.groupKeys.map(deparse).join(', ')}`);
      d('Filter', n.having === null ? null : overAggregate(n.having, n));
      emit(n.input, depth + 1, lines, costs);
      return;
    case 'window': {
      lines.push(`${head}WindowAgg${costText(n, costs)}`);
      if (n.sort === null) {
        emit(n.input, depth + 1, lines, costs);
        return;
      }
      // The rows reach the window sorted by its PARTITION BY, then ORDER BY keys.
      const sortHead = `${' '.repeat(6 * depth + 2)}->  `;
      const sortDetail = ' '.repeat(6 * (depth + 1) + 2);
      lines.push(`${sortHead}Sort${costText({ ...n.input, ...n.sort }, costs)}`);
      const key = (e: BoundExpr): string => {
        const shown = n.input.op === 'aggregate' ? overAggregate(e, n.input) : e;
        return shown.kind === 'column' ? deparse(shown) : `(${deparse(shown)})`;
      };
      const keys = [
        ...n.spec.partition.map(key),
        ...n.spec.order.map((k) => `${key(k.expr)}${k.descending ? ' DESC' : ''}${k.nullsFirst !== k.descending ? (k.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST') : ''}`),
      ];
      lines.push(`${sortDetail}Sort Key: ${keys.join(', ')}`);
      emit(n.input, depth + 2, lines, costs);
      return;
    }
    case 'sort':
      lines.push(`${head}Sort${costText(n, costs)}`);
      lines.push(`${detail}Sort Key: ${n.keys.map((k) => `${sortKeyName(n.input, k.index)}${k.descending ? ' DESC' : ''}${k.nullsFirst !== k.descending ? (k.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST') : ''}`).join(', ')}`);
      emit(n.input, depth + 1, lines, costs);
      return;
    case 'limit':
      lines.push(`${head}Limit${costText(n, costs)}`);
      emit(n.input, depth + 1, lines, costs);
      return;
    case 'distinct':
      lines.push(`${head}${n.on === null ? 'HashAggregate' : 'Unique'}${costText(n, costs)}`);
      // a hashed DISTINCT groups by every output column, shown as its input computes them
      if (n.on === null && n.input.op === 'project') lines.push(`${detail}Group Key: ${n.input.exprs.slice(0, n.keyTypes.length).map(deparse).join(', ')}`);
      emit(n.input, depth + 1, lines, costs);
      return;
    case 'setop':
      if (n.setop === 'union') {
        lines.push(`${head}${n.all ? 'Append' : 'HashAggregate'}${costText(n, costs)}`);
        emit(n.left, depth + 1, lines, costs);
        emit(n.right, depth + 1, lines, costs);
      } else {
        lines.push(`${head}HashSetOp ${n.setop === 'intersect' ? 'Intersect' : 'Except'}${n.all ? ' All' : ''}${costText(n, costs)}`);
        emit(n.left, depth + 1, lines, costs);
        emit(n.right, depth + 1, lines, costs);
      }
      return;
    case 'recursiveunion':
      lines.push(`${head}Recursive Union${costText(n, costs)}`);
      emit(n.nonRecursive, depth + 1, lines, costs);
      emit(n.recursive, depth + 1, lines, costs);
      return;
    case 'worktablescan':
      lines.push(`${head}WorkTable Scan on ${n.alias}${costText(n, costs)}`);
      d('Filter', n.filter);
      return;
    case 'lockrows':
      lines.push(`${head}LockRows${costText(n, costs)}`);
      emit(n.input, depth + 1, lines, costs);
      return;
  }
}

/**
 * A Sort's key as PostgreSQL shows it: the sort reads its input's output column, and when that
 * column is computed (not a plain column of a table) EXPLAIN prints the expression in parentheses
 * of its own, as `((x + 1))` or `(lower(s))`.
 */
function sortKeyName(input: PlanNode, index: number): string {
  // a DISTINCT or LIMIT passes its input's columns through
  while (input.op === 'distinct' || input.op === 'limit') input = input.input;
  if (input.op === 'project') {
    let e = input.exprs[index];
    if (e !== undefined) {
      let below = input.input;
      while (below.op === 'window') below = below.input;
      if (below.op === 'aggregate') e = overAggregate(e, below);
      return e.kind === 'column' ? deparse(e) : `(${deparse(e)})`;
    }
  }
  return `column${index + 1}`;
}

/** An expression over an aggregate's output with its slots named: group keys, then aggregate calls. */
function overAggregate(e: BoundExpr, agg: Extract<PlanNode, { op: 'aggregate' }>): BoundExpr {
  return mapExpr(e, (x) => {
    if (x.kind !== 'grouped') return x;
    if (x.index < agg.groupKeys.length) return agg.groupKeys[x.index]!;
    const call = agg.aggs[x.index - agg.groupKeys.length];
    return call === undefined ? x : { kind: 'aggcall', agg: call, type: x.type };
  });
}

function relName(table: string, alias: string): string {
  return alias === table ? table : `${table} ${alias}`;
}

function joinLabel(t: string): string {
  if (t === 'left') return ' Left';
  if (t === 'right') return ' Right';
  if (t === 'full') return ' Full';
  return '';
}

function andOf(list: BoundExpr[]): BoundExpr {
  return list.length === 1 ? list[0]! : { kind: 'and', args: list, type: { oid: OID.bool, typmod: -1 } };
}

/** Top-level expressions are always parenthesized in EXPLAIN output. */
function deparseTop(e: BoundExpr): string {
  const s = deparse(e);
  return s.startsWith('(') ? s : `(${s})`;
}

/** Bound expression → SQL text in EXPLAIN's style. */
export function deparseExpr(e: BoundExpr): string {
  return deparse(e);
}

function deparse(e: BoundExpr): string {
  switch (e.kind) {
    case 'const': {
      if (e.value === null) return 'NULL';
      const text = textOut(e.type, e.value);
      if (e.type.oid === OID.int4) return text;
      if (e.type.oid === OID.int8 || e.type.oid === OID.numeric) return `'${text}'::${formatType(e.type.oid, e.type.typmod)}`;
      if (e.type.oid === OID.bool) return text === 't' ? 'true' : 'false';
      return `'${text.replace(/'/g, "''")}'::${formatType(e.type.oid, e.type.typmod)}`;
    }
    case 'param': return `$${e.index + 1}`;
    case 'column': return e.name;
    case 'grouped': return `grouped${e.index}`;
    case 'call':
      if (e.fn.kind === 'operator') {
        if (e.args.length === 1) return `(${e.fn.name} ${deparse(e.args[0]!)})`;
        return `(${deparse(e.args[0]!)} ${e.fn.name} ${deparse(e.args[1]!)})`;
      }
      return `${e.fn.name}(${e.args.map(deparse).join(', ')})`;
    case 'srf': return `${e.fn.name}(${e.args.map(deparse).join(', ')})`;
    case 'aggcall': return `${e.agg.fn.name}(${e.agg.args.length === 0 ? '*' : e.agg.args.map(deparse).join(', ')})`;
    case 'wincall': case 'winref': {
      const c = e.call;
      const name = c.fn.kind === 'window' ? c.fn.name : c.fn.def.name;
      const args = c.fn.kind === 'aggregate' && c.fn.star ? '*' : c.args.map(deparse).join(', ');
      return `${name}(${args}) OVER (?)`;
    }
    case 'and': return `(${e.args.map(deparse).join(' AND ')})`;
    case 'or': return `(${e.args.map(deparse).join(' OR ')})`;
    case 'not': return `(NOT ${deparse(e.arg)})`;
    case 'case': return `CASE ${e.whens.map((w) => `WHEN ${deparse(w.when)} THEN ${deparse(w.then)}`).join(' ')} ELSE ${deparse(e.otherwise)} END`;
    case 'coalesce': return `COALESCE(${e.args.map(deparse).join(', ')})`;
    case 'minmax': return `${e.op.toUpperCase()}(${e.args.map(deparse).join(', ')})`;
    case 'nullif': return `NULLIF(${deparse(e.left)}, ${deparse(e.right)})`;
    case 'cast': return `(${deparse(e.arg)})::${formatType(e.type.oid, e.type.typmod)}`;
    case 'isnull': return `(${deparse(e.arg)} IS ${e.negate ? 'NOT ' : ''}NULL)`;
    case 'booltest': return `(${deparse(e.arg)} IS ${e.negate ? 'NOT ' : ''}${e.test.toUpperCase()})`;
    case 'distinctfrom': return `(${deparse(e.left)} IS ${e.negate ? 'NOT ' : ''}DISTINCT FROM ${deparse(e.right)})`;
    case 'arrayop': return `(${deparse(e.left)} ${e.fn.name} ${e.all ? 'ALL' : 'ANY'} (${deparse(e.right)}))`;
    case 'inlist': return `(${deparse(e.left)} ${e.fns[0]?.name ?? '='} ${e.all ? 'ALL' : 'ANY'} ('{${e.items.map((i) => deparse(i).replace(/^'|'::.*$/g, '')).join(',')}}'))`;
    case 'subquery': return e.mode === 'exists' ? '(SubPlan)' : '(SubPlan)';
    case 'anysub': return '(SubPlan)';
    case 'array': return `ARRAY[${e.items.map(deparse).join(', ')}]`;
    case 'row': return `ROW(${e.items.map(deparse).join(', ')})`;
    case 'subscript': return `${deparse(e.arg)}${e.indexes.map((i) => `[${i.lower === null ? '' : deparse(i.lower)}${e.slice ? ':' : ''}${i.upper === null ? '' : deparse(i.upper)}]`).join('')}`;
  }
}
