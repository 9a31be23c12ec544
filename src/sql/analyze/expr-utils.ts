// Structural helpers over bound expressions: a canonical key (to match GROUP BY keys and ORDER BY
// expressions), a bottom-up mapper, and queries such as "does it contain a subquery".
import type { BoundExpr, BoundQuery, FromItem, WinCall } from './bound.js';

/** A string equal for structurally equal expressions (used to match expressions to group keys). */
export function exprKey(e: BoundExpr): string {
  switch (e.kind) {
    case 'const': return `c:${e.type.oid}:${e.value === null ? 'null' : typeof e.value === 'object' ? JSON.stringify(e.value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)) : String(e.value)}`;
    case 'param': return `p:${e.index}`;
    case 'column': return `col:${e.levelsUp}:${e.index}`;
    case 'call': case 'srf': return `${e.kind}:${e.fn.name}:${e.fn.argTypes.join(',')}(${e.args.map(exprKey).join(',')})`;
    case 'grouped': return `g:${e.index}`;
    case 'aggcall': return `agg:${e.agg.fn.name}:${e.agg.distinct}(${e.agg.args.map(exprKey).join(',')})${e.agg.filter === null ? '' : exprKey(e.agg.filter)}`;
    case 'and': case 'or': case 'coalesce': return `${e.kind}(${e.args.map(exprKey).join(',')})`;
    case 'not': return `not(${exprKey(e.arg)})`;
    case 'case': return `case(${e.whens.map((w) => exprKey(w.when) + '->' + exprKey(w.then)).join(',')};${exprKey(e.otherwise)})`;
    case 'minmax': return `${e.op}(${e.args.map(exprKey).join(',')})`;
    case 'nullif': return `nullif(${exprKey(e.left)},${exprKey(e.right)})`;
    case 'cast': return `cast:${e.type.oid}:${e.type.typmod}(${exprKey(e.arg)})`;
    case 'isnull': return `isnull:${e.negate}(${exprKey(e.arg)})`;
    case 'booltest': return `bt:${e.test}:${e.negate}(${exprKey(e.arg)})`;
    case 'distinctfrom': return `df:${e.negate}(${exprKey(e.left)},${exprKey(e.right)})`;
    case 'arrayop': return `ao:${e.fn.name}:${e.all}(${exprKey(e.left)},${exprKey(e.right)})`;
    case 'inlist': return `in:${e.all}(${exprKey(e.left)};${e.items.map(exprKey).join(',')})`;
    case 'array': return `arr(${e.items.map(exprKey).join(',')})`;
    case 'row': return `row(${e.items.map(exprKey).join(',')};${e.names.join(',')})`;
    case 'subscript': return `sub:${e.slice}(${exprKey(e.arg)};${e.indexes.map((i) => `${i.lower === null ? '' : exprKey(i.lower)}:${i.upper === null ? '' : exprKey(i.upper)}`).join(',')})`;
    case 'subquery': case 'anysub': return `subq:${Math.random()}`;
    case 'wincall': return `win:${winCallKey(e.call)}`;
    case 'winref': return `wr:${e.index}`;
  }
}

function winCallKey(c: WinCall): string {
  const name = c.fn.kind === 'window' ? c.fn.name : `${c.fn.def.name}${c.fn.star ? '*' : ''}`;
  return `${name}:${c.window}(${c.args.map(exprKey).join(',')})${c.filter === null ? '' : exprKey(c.filter)}`;
}

/** Rebuilds an expression bottom-up, applying f to every node after its children. Subqueries are not entered. */
export function mapExpr(e: BoundExpr, f: (e: BoundExpr) => BoundExpr): BoundExpr {
  return f(mapChildren(e, (c) => mapExpr(c, f)));
}

/** Rebuilds an expression with f applied to its immediate children only (f decides whether to recurse). */
export function mapChildren(e: BoundExpr, m: (e: BoundExpr) => BoundExpr): BoundExpr {
  let out: BoundExpr;
  switch (e.kind) {
    case 'const': case 'param': case 'column': case 'grouped': out = e; break;
    case 'call': case 'srf': out = { ...e, args: e.args.map(m) }; break;
    case 'aggcall': case 'wincall': case 'winref': out = e; break;
    case 'and': case 'or': case 'coalesce': out = { ...e, args: e.args.map(m) }; break;
    case 'minmax': out = { ...e, args: e.args.map(m) }; break;
    case 'not': case 'cast': case 'isnull': case 'booltest': out = { ...e, arg: m(e.arg) }; break;
    case 'case': out = { ...e, whens: e.whens.map((w) => ({ when: m(w.when), then: m(w.then) })), otherwise: m(e.otherwise) }; break;
    case 'nullif': case 'distinctfrom': out = { ...e, left: m(e.left), right: m(e.right) }; break;
    case 'arrayop': out = { ...e, left: m(e.left), right: m(e.right) }; break;
    case 'inlist': out = { ...e, left: m(e.left), items: e.items.map(m) }; break;
    case 'array': case 'row': out = { ...e, items: e.items.map(m) }; break;
    case 'subscript': out = { ...e, arg: m(e.arg), indexes: e.indexes.map((i) => ({ lower: i.lower === null ? null : m(i.lower), upper: i.upper === null ? null : m(i.upper) })) }; break;
    case 'subquery': out = e; break;
    case 'anysub': out = { ...e, left: e.left.map(m) }; break;
  }
  return out;
}

/** Visits every node of an expression (not entering subqueries). */
export function visitExpr(e: BoundExpr, f: (e: BoundExpr) => void): void {
  mapExpr(e, (x) => { f(x); return x; });
}

export function exprContainsSubquery(e: BoundExpr, correlatedOnly: boolean): boolean {
  let found = false;
  visitExpr(e, (x) => {
    if ((x.kind === 'subquery' || x.kind === 'anysub') && (!correlatedOnly || x.correlated)) found = true;
  });
  return found;
}

/** Column offsets (levelsUp 0) an expression reads. */
export function columnsUsed(e: BoundExpr, out: Set<number> = new Set()): Set<number> {
  visitExpr(e, (x) => { if (x.kind === 'column' && x.levelsUp === 0) out.add(x.index); });
  return out;
}

/** Splits an AND into its conjuncts. */
export function conjuncts(e: BoundExpr | null): BoundExpr[] {
  if (e === null) return [];
  if (e.kind === 'and') return e.args.flatMap((a) => conjuncts(a));
  return [e];
}

/** Shifts level-0 column references by delta (to rebase an expression onto a sub-row). */
export function shiftColumns(e: BoundExpr, delta: number): BoundExpr {
  if (delta === 0) return e;
  return mapExpr(e, (x) => (x.kind === 'column' && x.levelsUp === 0 ? { ...x, index: x.index + delta } : x));
}

/** True when the expression reads nothing of the current row and has no volatile calls or subqueries. */
export function isRowIndependent(e: BoundExpr): boolean {
  let ok = true;
  visitExpr(e, (x) => {
    if (x.kind === 'column' && x.levelsUp === 0) ok = false;
    if (x.kind === 'subquery' || x.kind === 'anysub' || x.kind === 'aggcall' || x.kind === 'grouped' || x.kind === 'srf') ok = false;
    if (x.kind === 'wincall' || x.kind === 'winref') ok = false;
    if (x.kind === 'call' && x.fn.volatility === 'v') ok = false;
  });
  return ok;
}

/**
 * Visits every expression of a bound query, entering nested subqueries; `depth` is how many
 * query levels below the starting query the expression sits (0 = the query itself).
 */
export function visitQueryExprs(q: BoundQuery, f: (e: BoundExpr, depth: number) => void, depth = 0): void {
  const expr = (e: BoundExpr | null): void => {
    if (e === null) return;
    visitExpr(e, (x) => {
      f(x, depth);
      if (x.kind === 'subquery' || x.kind === 'anysub') visitQueryExprs(x.query, f, depth + 1);
      if (x.kind === 'aggcall') {
        for (const a of x.agg.args) expr(a);
        expr(x.agg.filter);
        for (const o of x.agg.orderBy) expr(o.expr);
      }
    });
  };
  const from = (item: FromItem | null): void => {
    if (item === null) return;
    switch (item.kind) {
      case 'join': from(item.left); from(item.right); expr(item.on); break;
      case 'subquery': visitQueryExprs(item.query, f, depth + 1); break;
      case 'function': item.args.forEach(expr); break;
      case 'values': item.rows.flat().forEach(expr); break;
      default: break;
    }
  };
  switch (q.kind) {
    case 'select':
      from(q.from);
      [q.where, q.having, q.limit, q.offset, ...q.targets, ...q.junk, ...q.groupKeys].forEach(expr);
      for (const a of q.aggregates) { a.args.forEach(expr); expr(a.filter); }
      for (const w of q.windows) {
        w.spec.partition.forEach(expr);
        for (const o of w.spec.order) expr(o.expr);
        for (const b of [w.spec.frame.start, w.spec.frame.end]) if (b.kind === 'preceding' || b.kind === 'following') expr(b.offset);
        for (const c of w.calls) { c.args.forEach(expr); expr(c.filter); }
      }
      break;
    case 'setop': visitQueryExprs(q.left, f, depth); visitQueryExprs(q.right, f, depth); break;
    case 'recursive': visitQueryExprs(q.nonRecursive, f, depth); visitQueryExprs(q.recursive, f, depth); break;
    case 'values': q.rows.flat().forEach(expr); break;
  }
}
