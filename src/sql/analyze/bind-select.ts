// Binding of queries: SELECT (FROM, joins, WHERE, GROUP BY/HAVING, target list, DISTINCT [ON],
// ORDER BY, LIMIT/OFFSET, FOR UPDATE), VALUES, UNION/INTERSECT/EXCEPT and WITH → BoundQuery.
import { SqlError, SQLSTATE, LIMITS, notSupported } from '../../base/index.js';
import { nodeTag, nodeBody, strVal, nameList, parseSql, type PgNode } from '../parse/index.js';
import { OID, type SqlType } from '../types/index.js';
import type { TableDesc } from '../../catalog/index.js';
import type {
  AggCall, BoundExpr, BoundQuery, FromItem, OutputColumn, SelectQuery, SetOpQuery, ValuesQuery, WinCall,
} from './bound.js';
import { regprocIn } from '../functions/index.js';
import { coerce, selectCommonType, typeNameOf } from './coerce.js';
import { ExprBinder, pos, type BinderHost, type ExprContext } from './bind-expr.js';
import { QueryWindows } from './bind-window.js';
import { GROUPING_FN, expandGroupingSets, groupingValue } from './grouping-sets.js';
import { Scope, type ScopeColumn } from './scope.js';
import { exprKey, mapExpr, mapChildren, visitQueryExprs } from './expr-utils.js';

/** A relation a name in FROM can resolve to. */
export type ResolvedRelation =
  | { kind: 'table'; table: TableDesc; schemaName: string }
  | { kind: 'view'; table: TableDesc; schemaName: string }
  | { kind: 'virtual'; name: string; schemaName: string; oid: number;
      columns: Array<{ name: string; type: SqlType }>; rows: () => Iterable<unknown[]> };

/** What binding needs from the session: catalog look-ups and settings. */
export interface CatalogAccess {
  resolveRelation(schema: string | null, name: string, position?: number): ResolvedRelation;
  setting(name: string): string;
  /** regclass input: relation name or OID text → OID (42P01 when there is none). */
  regclassIn(text: string): number;
}

const TEXT: SqlType = { oid: OID.text, typmod: -1 };

interface CteEntry {
  name: string;
  node: PgNode;
  columnNames: string[];
  bound?: BoundQuery;
  recursive: boolean;
  /** Set while the recursive term is bound: references become the working table. */
  working?: { cteId: number; columns: OutputColumn[] };
  /** Set while the non-recursive term is bound: a reference is an error (42P19). */
  inNonRecursiveTerm?: boolean;
  /** The scope outside the query that has the WITH clause (what the WITH query may refer to), and that query's depth. */
  outer: Scope | null;
  depth: number;
}

let nextCteId = 1;

/** How a subquery being bound refers outside itself: at all, and how many levels up at most. */
interface Correlation { correlated: boolean; reach: number }

export class QueryBinder implements BinderHost {
  readonly exprs: ExprBinder;
  paramTypes: SqlType[];
  /**
   * Stack of correlation trackers, one per subquery being bound; reach: how many levels above
   * its own the subquery's outermost reference goes (0 when uncorrelated).
   */
  private readonly correlation: Correlation[] = [];
  private readonly ctes: Array<Map<string, CteEntry>> = [];
  private queryDepth = 0;

  constructor(readonly catalog: CatalogAccess, paramTypes: SqlType[]) {
    this.paramTypes = paramTypes;
    this.exprs = new ExprBinder(this);
  }

  setting(name: string): string {
    return this.catalog.setting(name);
  }

  regclassIn(text: string): number {
    return this.catalog.regclassIn(text);
  }

  regprocIn(text: string): number {
    return regprocIn(text);
  }

  noteOuterReference(levelsUp: number): void {
    // A reference levelsUp above the innermost query makes every subquery in between correlated.
    const n = this.correlation.length;
    for (let i = n - 1; i >= 0 && i >= n - levelsUp; i--) {
      const t = this.correlation[i]!;
      t.correlated = true;
      t.reach = Math.max(t.reach, levelsUp - (n - 1 - i));
    }
  }

  /** Runs bind with a correlation tracker of its own on the stack: what it bound, and how it reached out. */
  private tracked<T>(bind: () => T): { result: T } & Correlation {
    const tracker: Correlation = { correlated: false, reach: 0 };
    this.correlation.push(tracker);
    try {
      return { result: bind(), ...tracker };
    } finally {
      this.correlation.pop();
    }
  }

  bindSubquery(node: PgNode, parent: Scope): { query: BoundQuery } & Correlation {
    const { result, correlated, reach } = this.tracked(() => this.bindQuery(node, parent));
    return { query: result, correlated, reach };
  }

  /**
   * A subquery bound against the enclosing query's parent scope (a FROM subquery or a WITH query:
   * it cannot see the FROM items beside it) skips a level of the tracker stack: its references
   * to the queries outside make the enclosing query correlated too, as far up as they reach.
   */
  private noteSkippedLevel(reach: number): void {
    if (reach > 0) this.noteOuterReference(reach);
  }

  /** Binds a SelectStmt node (the body of `{ SelectStmt: ... }`). */
  bindQuery(stmtOrWrapped: PgNode, parent: Scope | null, setOpBranch = false): BoundQuery {
    const stmt = stmtOrWrapped['SelectStmt'] !== undefined ? stmtOrWrapped['SelectStmt'] as PgNode : stmtOrWrapped;
    if (++this.queryDepth > LIMITS.expressionDepthMax / 10) {
      throw new SqlError(SQLSTATE.STATEMENT_TOO_COMPLEX, 'stack depth limit exceeded');
    }
    const withClause = stmt.withClause as PgNode | undefined;
    if (withClause !== undefined) this.pushCtes(withClause, parent);
    try {
      return this.bindQueryInner(stmt, parent, setOpBranch);
    } finally {
      if (withClause !== undefined) this.ctes.pop();
      this.queryDepth--;
    }
  }

  pushCtes(withClause: PgNode, outer: Scope | null = null): void {
    const map = new Map<string, CteEntry>();
    for (const c of withClause.ctes as PgNode[]) {
      const cte = nodeBody(c);
      const name = cte.ctename as string;
      if (map.has(name)) {
        throw new SqlError(SQLSTATE.DUPLICATE_ALIAS, `WITH query name "${name}" specified more than once`, { position: pos(cte.location) });
      }
      if (nodeTag(cte.ctequery) !== 'SelectStmt') throw notSupported('data-modifying statements in WITH');
      const node = nodeBody(cte.ctequery);
      map.set(name, {
        name, node, columnNames: nameList(cte.aliascolnames), recursive: withClause.recursive === true && referencesName(node, name),
        outer, depth: this.queryDepth,
      });
    }
    this.ctes.push(map);
  }

  popCtes(): void {
    this.ctes.pop();
  }

  private findCte(name: string): CteEntry | undefined {
    for (let i = this.ctes.length - 1; i >= 0; i--) {
      const e = this.ctes[i]!.get(name);
      if (e !== undefined) return e;
    }
    return undefined;
  }

  private bindQueryInner(stmt: PgNode, parent: Scope | null, setOpBranch: boolean): BoundQuery {
    const op = stmt.op as string | undefined;
    if (op !== undefined && op !== 'SETOP_NONE') return this.bindSetOp(stmt, parent);
    if (stmt.valuesLists !== undefined) return this.bindValues(stmt, parent);
    return this.bindSelect(stmt, parent, setOpBranch);
  }

  // ---- VALUES --------------------------------------------------------------------------------

  private bindValues(stmt: PgNode, parent: Scope | null): ValuesQuery {
    const scope = new Scope(parent);
    const ctx: ExprContext = { scope, aggregates: null, clause: 'VALUES', allowSrf: false };
    const raw = (stmt.valuesLists as PgNode[]).map((l) => (nodeBody(l).items as PgNode[]).map((e) => {
      if (nodeTag(e) === 'SetToDefault') return { kind: 'const', type: { oid: OID.unknown, typmod: -1 }, value: null, isDefault: true } as unknown as BoundExpr;
      return this.exprs.bind(e, ctx);
    }));
    const width = raw[0]?.length ?? 0;
    for (const row of raw) {
      if (row.length !== width) {
        throw new SqlError(SQLSTATE.SYNTAX_ERROR, 'VALUES lists must all be the same length', { position: pos(stmt.location) });
      }
    }
    const types: SqlType[] = [];
    for (let c = 0; c < width; c++) types.push(selectCommonType(raw.map((r) => r[c]!.type), 'VALUES'));
    const rows = raw.map((r) => r.map((e, c) => (isDefaultMarker(e) ? e : coerce(e, types[c]!, 'i', this))));
    const columns = types.map((type, i) => ({ name: `column${i + 1}`, type, tableOid: 0, attnum: 0 }));
    const q: ValuesQuery = { kind: 'values', rows, columns, orderBy: [], limit: null, offset: null };
    this.bindOutputOrderLimit(q, stmt, parent);
    return q;
  }

  /** VALUES rows with their raw DEFAULT markers kept (for INSERT). */
  bindInsertValues(stmt: PgNode, parent: Scope | null): ValuesQuery {
    return this.bindValues(stmt, parent);
  }

  // ---- set operations -------------------------------------------------------------------------

  private bindSetOp(stmt: PgNode, parent: Scope | null): SetOpQuery {
    const opName = stmt.op === 'SETOP_UNION' ? 'union' : stmt.op === 'SETOP_INTERSECT' ? 'intersect' : 'except';
    const left = this.bindQuery(stmt.larg, parent, true);
    const right = this.bindQuery(stmt.rarg, parent, true);
    if (left.columns.length !== right.columns.length) {
      throw new SqlError(SQLSTATE.SYNTAX_ERROR, `each ${opName.toUpperCase()} query must have the same number of columns`, { position: pos(nodeBody(stmt.rarg).location) });
    }
    const leftTypes = branchTypes(left);
    const rightTypes = branchTypes(right);
    const columns: OutputColumn[] = left.columns.map((lc, i) => {
      const type = selectCommonType([leftTypes[i]!, rightTypes[i]!], opName.toUpperCase());
      return { name: lc.name, type: type.oid === OID.unknown ? TEXT : type, tableOid: 0, attnum: 0 };
    });
    const q: SetOpQuery = {
      kind: 'setop', op: opName, all: stmt.all === true,
      left: castQueryOutputs(left, columns, this), right: castQueryOutputs(right, columns, this),
      columns, orderBy: [], limit: null, offset: null,
    };
    this.bindOutputOrderLimit(q, stmt, parent);
    return q;
  }

  /** ORDER BY / LIMIT / OFFSET over a query's output columns (VALUES and set operations). */
  private bindOutputOrderLimit(q: SetOpQuery | ValuesQuery, stmt: PgNode, parent: Scope | null): void {
    const scope = new Scope(parent);
    scope.add({ alias: '', qualifiedName: null, columns: q.columns.map((c, i) => col(c.name, c.type, i)) });
    for (const s of (stmt.sortClause as PgNode[] | undefined) ?? []) {
      const sb = nodeBody(s);
      const descending = sb.sortby_dir === 'SORTBY_DESC';
      const nullsFirst = sb.sortby_nulls === 'SORTBY_NULLS_FIRST' ? true : sb.sortby_nulls === 'SORTBY_NULLS_LAST' ? false : descending;
      const index = this.outputPosition(sb.node, q.columns, 'ORDER BY');
      if (index !== undefined) { q.orderBy.push({ index, descending, nullsFirst }); continue; }
      const e = this.exprs.bind(sb.node, { scope, aggregates: null, clause: 'ORDER BY', allowSrf: false });
      if (e.kind === 'column' && e.levelsUp === 0) { q.orderBy.push({ index: e.index, descending, nullsFirst }); continue; }
      throw new SqlError(SQLSTATE.FEATURE_NOT_SUPPORTED,
        'invalid UNION/INTERSECT/EXCEPT ORDER BY clause', { detail: 'Only result column names can be used, not expressions or functions.', hint: 'Add the expression/function to every SELECT, or move the UNION into a FROM clause.' });
    }
    q.limit = this.bindLimit(stmt.limitCount, scope, 'LIMIT');
    q.offset = this.bindLimit(stmt.limitOffset, scope, 'OFFSET');
    if (stmt.limitOption === 'LIMIT_OPTION_WITH_TIES') throw notSupported('FETCH ... WITH TIES');
  }

  private bindLimit(node: PgNode | undefined, scope: Scope, clause: string): BoundExpr | null {
    if (node === undefined) return null;
    if (nodeTag(node) === 'A_Const' && nodeBody(node).isnull) return null;
    const e = this.exprs.bind(node, { scope: new Scope(scope.parent), aggregates: null, clause, allowSrf: false });
    return coerce(e, { oid: OID.int8, typmod: -1 }, 'i', this);
  }

  /** ORDER BY 2 or ORDER BY name (an output column): its index, else undefined. */
  private outputPosition(node: PgNode, columns: readonly OutputColumn[], clause: string): number | undefined {
    const tag = nodeTag(node);
    const b = nodeBody(node);
    if (tag === 'A_Const' && b.ival !== undefined) {
      const n = (b.ival.ival as number | undefined) ?? 0;
      if (n < 1 || n > columns.length) {
        throw new SqlError(SQLSTATE.INVALID_COLUMN_REFERENCE, `${clause} position ${n} is not in select list`, { position: pos(b.location) });
      }
      return n - 1;
    }
    if (tag === 'ColumnRef' && (b.fields as PgNode[]).length === 1) {
      const name = strVal((b.fields as PgNode[])[0]!);
      let found: number | undefined;
      columns.forEach((c, i) => {
        if (c.name === name) {
          if (found !== undefined && clause === 'ORDER BY') {
            throw new SqlError(SQLSTATE.AMBIGUOUS_COLUMN, `ORDER BY "${name}" is ambiguous`, { position: pos(b.location) });
          }
          found ??= i;
        }
      });
      return found;
    }
    return undefined;
  }

  // ---- SELECT ---------------------------------------------------------------------------------

  private bindSelect(stmt: PgNode, parent: Scope | null, setOpBranch = false): SelectQuery {
    if (stmt.intoClause !== undefined) throw notSupported('SELECT INTO');
    const scope = new Scope(parent);
    let from: FromItem | null = null;
    for (const f of (stmt.fromClause as PgNode[] | undefined) ?? []) {
      const item = this.bindFromItem(f, scope);
      from = from === null ? item : {
        kind: 'join', joinType: 'cross', left: from, right: item, on: null, offset: from.offset, width: from.width + item.width,
      };
    }
    const where = stmt.whereClause === undefined ? null
      : this.exprs.bindCondition(stmt.whereClause, { scope, aggregates: null, clause: 'WHERE', allowSrf: false }, 'WHERE');

    const aggregates: AggCall[] = [];
    const windows = new QueryWindows(stmt.windowClause as PgNode[] | undefined, (node, clause, aggregatesAllowed) =>
      this.exprs.bind(node, { scope, aggregates: aggregatesAllowed ? aggregates : null, clause, allowSrf: false, windows: null }), this.exprs);
    const targetCtx: ExprContext = { scope, aggregates, clause: 'SELECT', allowSrf: true, windows };
    const targets: BoundExpr[] = [];
    const columns: OutputColumn[] = [];
    for (const t of (stmt.targetList as PgNode[] | undefined) ?? []) {
      const rt = nodeBody(t);
      const val = rt.val as PgNode;
      if (nodeTag(val) === 'ColumnRef' && strVal((nodeBody(val).fields as PgNode[]).at(-1)!) === '*') {
        this.expandStar(nodeBody(val), scope, targets, columns);
        continue;
      }
      let e = this.exprs.bind(val, targetCtx);
      // Unknown-typed parameters in a SELECT list resolve to text (PostgreSQL's
      // resolveTargetListUnknowns); set-operation branches resolve them by the common type instead.
      if (e.kind === 'param' && e.type.oid === OID.unknown && !setOpBranch) e = coerce(e, TEXT, 'i', this);
      targets.push(e);
      columns.push(outputColumn(rt.name as string | undefined, val, e, scope));
    }
    if (columns.length > LIMITS.resultColumnsMax) {
      throw new SqlError(SQLSTATE.TOO_MANY_COLUMNS, `target lists can have at most ${LIMITS.resultColumnsMax} entries`);
    }

    // GROUP BY keys: output positions, output names (when no input column has that name), or expressions.
    const groupKeys: BoundExpr[] = [];
    const groupKey = (g: PgNode): BoundExpr => {
      const tag = nodeTag(g);
      const b = nodeBody(g);
      if (tag === 'A_Const' && b.ival !== undefined) return targets[this.outputPosition(g, columns, 'GROUP BY')!]!;
      if (tag === 'ColumnRef' && (b.fields as PgNode[]).length === 1) {
        const name = strVal((b.fields as PgNode[])[0]!);
        if (scope.lookup(null, name, undefined) === undefined) {
          const idx = columns.findIndex((c) => c.name === name);
          if (idx >= 0) return targets[idx]!;
        }
      }
      return this.exprs.bind(g, { scope, aggregates: null, clause: 'GROUP BY', allowSrf: false });
    };
    const groupItems = (stmt.groupClause as PgNode[] | undefined) ?? [];
    // ROLLUP, CUBE and GROUPING SETS: the distinct keys, and the sets of them each output row groups by.
    const groupingSets = expandGroupingSets(groupItems, (g) => {
      const e = groupKey(g);
      const key = exprKey(e);
      const at = groupKeys.findIndex((k) => exprKey(k) === key);
      if (at >= 0) return at;
      groupKeys.push(e);
      return groupKeys.length - 1;
    });
    if (groupingSets === null) for (const g of groupItems) groupKeys.push(groupKey(g));
    for (const k of groupKeys) {
      if (containsAggregate(k)) throw new SqlError(SQLSTATE.GROUPING_ERROR, 'aggregate functions are not allowed in GROUP BY');
    }
    let having = stmt.havingClause === undefined ? null
      : this.exprs.bindCondition(stmt.havingClause, { scope, aggregates, clause: 'HAVING', allowSrf: false }, 'HAVING');

    // ORDER BY: output positions/names first, else expressions over the input scope (as junk).
    const junk: BoundExpr[] = [];
    const orderBy: SelectQuery['orderBy'] = [];
    const distinct = stmt.distinctClause !== undefined;
    const distinctOnNodes = ((stmt.distinctClause as PgNode[] | undefined) ?? []).filter((d) => Object.keys(d).length > 0);
    const allExprs = (): BoundExpr[] => [...targets, ...junk];
    const findOrAddJunk = (e: BoundExpr, forDistinct: boolean): number => {
      const key = exprKey(e);
      const all = allExprs();
      for (let i = 0; i < all.length; i++) if (exprKey(all[i]!) === key) return i;
      if (forDistinct) {
        throw new SqlError(SQLSTATE.INVALID_COLUMN_REFERENCE, 'for SELECT DISTINCT, ORDER BY expressions must appear in select list');
      }
      junk.push(e);
      return targets.length + junk.length - 1;
    };
    for (const s of (stmt.sortClause as PgNode[] | undefined) ?? []) {
      const sb = nodeBody(s);
      const descending = sb.sortby_dir === 'SORTBY_DESC';
      if (sb.sortby_dir === 'SORTBY_USING') throw notSupported('ORDER BY ... USING');
      const nullsFirst = sb.sortby_nulls === 'SORTBY_NULLS_FIRST' ? true : sb.sortby_nulls === 'SORTBY_NULLS_LAST' ? false : descending;
      let index = this.outputPositionForSelect(sb.node, columns, scope);
      if (index === undefined) {
        const e = this.exprs.bind(sb.node, { scope, aggregates, clause: 'ORDER BY', allowSrf: false, windows });
        index = findOrAddJunk(e, distinct && distinctOnNodes.length === 0);
      }
      orderBy.push({ index, descending, nullsFirst });
    }
    let distinctOn: number[] | null = null;
    if (distinctOnNodes.length > 0) {
      distinctOn = [];
      for (const d of distinctOnNodes) {
        let index = this.outputPositionForSelect(d, columns, scope);
        if (index === undefined) {
          const e = this.exprs.bind(d, { scope, aggregates, clause: 'DISTINCT ON', allowSrf: false, windows });
          index = findOrAddJunk(e, false);
        }
        distinctOn.push(index);
      }
      // DISTINCT ON expressions must match the leftmost ORDER BY expressions.
      for (let i = 0; i < Math.min(distinctOn.length, orderBy.length); i++) {
        if (!distinctOn.includes(orderBy[i]!.index)) {
          throw new SqlError(SQLSTATE.INVALID_COLUMN_REFERENCE, 'SELECT DISTINCT ON expressions must match initial ORDER BY expressions');
        }
      }
    }

    const grouped = groupKeys.length > 0 || aggregates.length > 0 || having !== null || groupingSets !== null;
    let finalTargets = targets;
    let finalJunk = junk;
    const mapper = grouped ? groupingMapper(groupKeys, aggregates, scope.width, groupingSets) : null;
    if (mapper !== null) {
      finalTargets = targets.map(mapper);
      finalJunk = junk.map(mapper);
      if (having !== null) having = mapper(having);
    }
    // Window nodes run over the grouped row (or the scope row) and append their results to it.
    // (with grouping sets the aggregate appends the row's set number after the aggregates)
    const groupedWidth = groupKeys.length + aggregates.length + (groupingSets === null ? 0 : 1);
    const windowNodes = layOutWindows(windows, mapper ?? ((e) => e), grouped ? groupedWidth : scope.width);
    if (windowNodes.slots.size > 0) {
      const toSlot = (e: BoundExpr): BoundExpr => mapExpr(e, (x) => (x.kind === 'wincall' ? windowNodes.slots.get(x.call)! : x));
      finalTargets = finalTargets.map(toSlot);
      finalJunk = finalJunk.map(toSlot);
    }

    let lockMode: SelectQuery['lockMode'] = null;
    let lockNoWait = false;
    let lockSkip = false;
    for (const l of (stmt.lockingClause as PgNode[] | undefined) ?? []) {
      const lb = nodeBody(l);
      if (lb.waitPolicy === 'LockWaitSkip') lockSkip = true;
      if (lb.waitPolicy === 'LockWaitError') lockNoWait = true;
      for (const rel of (lb.lockedRels as PgNode[] | undefined) ?? []) {
        const rv = nodeBody({ RangeVar: rel });
        const relName = (rel.relname as string | undefined) ?? (rv.relname as string);
        if (!scope.hasItem(relName)) {
          throw new SqlError(SQLSTATE.UNDEFINED_TABLE, `relation "${relName}" in FOR ${lb.strength === 'LCS_FORUPDATE' ? 'UPDATE' : 'SHARE'} clause not found in FROM clause`, { position: pos(rel.location as number | undefined) });
        }
      }
      const strength = lb.strength as string;
      lockMode = strength === 'LCS_FORUPDATE' || strength === 'LCS_FORNOKEYUPDATE' ? 'exclusive' : 'share';
      if (grouped || distinct) {
        throw new SqlError(SQLSTATE.FEATURE_NOT_SUPPORTED, `FOR ${strength === 'LCS_FORUPDATE' ? 'UPDATE' : 'SHARE'} is not allowed with ${grouped ? 'aggregate functions' : 'DISTINCT clause'}`);
      }
    }

    const limitScope = new Scope(parent);
    const limit = this.bindLimit(stmt.limitCount, limitScope, 'LIMIT');
    const withTies = stmt.limitOption === 'LIMIT_OPTION_WITH_TIES';
    if (withTies) {
      if (orderBy.length === 0) throw new SqlError(SQLSTATE.SYNTAX_ERROR, 'WITH TIES cannot be specified without ORDER BY clause');
      if (limit === null) throw new SqlError(SQLSTATE.INVALID_ROW_COUNT_IN_LIMIT_CLAUSE, 'row count cannot be null in FETCH FIRST ... WITH TIES clause');
    }
    return {
      kind: 'select', from, where, grouped, groupKeys, ...(groupingSets === null ? {} : { groupingSets }), aggregates, having, windows: windowNodes.windows,
      targets: finalTargets, junk: finalJunk, columns, distinct: distinct && distinctOn === null, distinctOn, orderBy,
      limit, offset: this.bindLimit(stmt.limitOffset, limitScope, 'OFFSET'), ...(withTies ? { withTies } : {}),
      lockMode, lockNoWait, lockSkip, scopeWidth: scope.width,
    };
  }

  /** For SELECT, an ORDER BY name prefers the output column; an input column is used otherwise. */
  private outputPositionForSelect(node: PgNode, columns: readonly OutputColumn[], _scope: Scope): number | undefined {
    return this.outputPosition(node, columns, 'ORDER BY');
  }

  private expandStar(ref: PgNode, scope: Scope, targets: BoundExpr[], columns: OutputColumn[]): void {
    const fields = (ref.fields as PgNode[]).map(strVal);
    const position = pos(ref.location);
    if (fields.length === 1) {
      if (scope.items.length === 0) {
        throw new SqlError(SQLSTATE.SYNTAX_ERROR, 'SELECT * with no tables specified is not valid', { position });
      }
      const seenMerged = new Set<ScopeColumn>();
      for (const [, c] of scope.merged) {
        seenMerged.add(c);
        targets.push(c.expr ?? { kind: 'column', levelsUp: 0, index: c.offset, type: c.type, name: c.name });
        columns.push({ name: c.name, type: c.type, tableOid: c.tableOid, attnum: c.attnum });
      }
      for (const item of scope.items) {
        for (const c of item.columns) {
          if (c.hidden || c.system || seenMerged.has(c)) continue;
          targets.push({ kind: 'column', levelsUp: 0, index: c.offset, type: c.type, name: c.name });
          columns.push({ name: c.name, type: c.type, tableOid: c.tableOid, attnum: c.attnum });
        }
      }
      return;
    }
    const qualifier = fields.slice(0, -1).join('.');
    const item = scope.findItem(qualifier);
    if (item === undefined) {
      throw new SqlError(SQLSTATE.UNDEFINED_TABLE, `missing FROM-clause entry for table "${qualifier}"`, { position });
    }
    for (const c of item.columns) {
      if (c.system) continue;
      targets.push({ kind: 'column', levelsUp: 0, index: c.offset, type: c.type, name: c.name });
      columns.push({ name: c.name, type: c.type, tableOid: c.tableOid, attnum: c.attnum });
    }
  }

  // ---- FROM -------------------------------------------------------------------------------------

  bindFromItem(node: PgNode, scope: Scope): FromItem {
    const tag = nodeTag(node);
    const n = nodeBody(node);
    switch (tag) {
      case 'RangeVar': return this.bindRangeVar(n, scope, false);
      case 'RangeSubselect': {
        const lateral = n.lateral === true && scope.items.length > 0;
        // A LATERAL subquery sees the FROM items to its left as its enclosing scope (levelsUp 1).
        const { query, correlated, reach } = this.bindSubquery(n.subquery, lateral ? scope : scope.parent ?? new Scope(null));
        if (!lateral) this.noteSkippedLevel(reach);
        const alias = n.alias === undefined ? '' : (nodeBody({ Alias: n.alias }).aliasname as string);
        if (n.alias === undefined) {
          // PostgreSQL 15 requires an alias for a subquery in FROM.
          throw new SqlError(SQLSTATE.SYNTAX_ERROR, 'subquery in FROM must have an alias', {
            hint: 'For example, FROM (SELECT ...) [AS] foo.',
          });
        }
        const colNames = aliasColumnNames(n.alias, query.columns.map((c) => c.name), alias);
        const item = this.addSubqueryItem(query, alias, colNames, scope);
        if (lateral && correlated) (item as { lateral?: boolean }).lateral = true;
        return item;
      }
      case 'RangeFunction': return this.bindRangeFunction(n, scope);
      case 'JoinExpr': return this.bindJoin(n, scope);
      default:
        throw notSupported(`FROM item ${tag}`);
    }
  }

  /**
   * A WITH query's body, bound where the WITH clause stands: it may refer to the queries outside
   * the one that has the clause (asyncpg's type introspection does), which then count as
   * correlated, as for a subquery in FROM.
   */
  private bindCte(cte: CteEntry): BoundQuery {
    const { result, reach } = this.tracked(() => (cte.recursive ? this.bindRecursive(cte) : this.bindQuery(cte.node, cte.outer)));
    if (reach > 0) {
      // evaluated where it is read, it would see the wrong outer rows from deeper down
      if (this.queryDepth !== cte.depth) throw notSupported(`WITH query "${cte.name}" referring to an outer query, read from a nested subquery`);
      this.noteSkippedLevel(reach);
    }
    return result;
  }

  /** WITH RECURSIVE name AS (non-recursive term UNION [ALL] recursive term). */
  private bindRecursive(cte: CteEntry): BoundQuery {
    const n = cte.node;
    if (n.op !== 'SETOP_UNION') {
      throw new SqlError(SQLSTATE.INVALID_RECURSION, `recursive query "${cte.name}" does not have the form non-recursive-term UNION [ALL] recursive-term`);
    }
    if (n.sortClause !== undefined || n.limitCount !== undefined || n.limitOffset !== undefined) {
      throw notSupported('ORDER BY/LIMIT/OFFSET in a recursive query');
    }
    cte.inNonRecursiveTerm = true;
    let nonRecursive: BoundQuery;
    try {
      nonRecursive = this.bindQuery(n.larg, cte.outer, true);
    } finally {
      cte.inNonRecursiveTerm = false;
    }
    const types = nonRecursive.kind === 'select' ? nonRecursive.targets.map((t) => (t.type.oid === OID.unknown ? TEXT : t.type)) : nonRecursive.columns.map((c) => c.type);
    const columns: OutputColumn[] = nonRecursive.columns.map((c, i) => ({ ...c, type: types[i]! }));
    if (cte.columnNames.length > columns.length) {
      throw new SqlError(SQLSTATE.INVALID_COLUMN_REFERENCE, `WITH query "${cte.name}" has ${columns.length} columns available but ${cte.columnNames.length} columns specified`);
    }
    const cteId = nextCteId++;
    cte.working = { cteId, columns };
    let recursive: BoundQuery;
    try {
      recursive = this.bindQuery(n.rarg, cte.outer, true);
    } finally {
      cte.working = undefined;
    }
    if (recursive.columns.length !== columns.length) {
      throw new SqlError(SQLSTATE.SYNTAX_ERROR, 'each UNION query must have the same number of columns');
    }
    const recTypes = branchTypes(recursive);
    recTypes.forEach((t, i) => {
      const want = columns[i]!.type;
      if (t.oid !== want.oid && t.oid !== OID.unknown) {
        throw new SqlError(SQLSTATE.DATATYPE_MISMATCH,
          `recursive query "${cte.name}" column ${i + 1} has type ${formatTypeName(want.oid)} in non-recursive term but type ${formatTypeName(t.oid)} overall`, {
            hint: 'Cast the output of the non-recursive term to the correct type.',
          });
      }
    });
    return {
      kind: 'recursive', cteId, all: n.all === true,
      nonRecursive: castQueryOutputs(nonRecursive, columns, this),
      recursive: castQueryOutputs(recursive, columns, this), columns,
    };
  }

  private addSubqueryItem(query: BoundQuery, alias: string, colNames: string[], scope: Scope): FromItem {
    const offset = scope.width;
    const columns = query.columns.map((c, i) => col(colNames[i] ?? c.name, c.type, offset + i));
    scope.add({ alias, qualifiedName: null, columns });
    scope.width += columns.length;
    return { kind: 'subquery', query, alias, offset, width: columns.length };
  }

  bindRangeVar(n: PgNode, scope: Scope, withKey: boolean): FromItem {
    const schema = (n.schemaname as string | undefined) ?? null;
    const name = n.relname as string;
    const alias = n.alias === undefined ? name : (n.alias.aliasname as string);
    const position = pos(n.location);
    if (schema === null) {
      const cte = this.findCte(name);
      if (cte !== undefined) {
        if (cte.inNonRecursiveTerm === true) {
          throw new SqlError(SQLSTATE.INVALID_RECURSION, `recursive reference to query "${name}" must not appear within its non-recursive term`, { position });
        }
        if (cte.working !== undefined) {
          const offset = scope.width;
          const names = cte.working.columns.map((c, i) => cte.columnNames[i] ?? c.name);
          const colNames = n.alias === undefined ? names : aliasColumnNames(n.alias, names, alias);
          const columns = cte.working.columns.map((c, i) => col(colNames[i]!, c.type, offset + i));
          scope.add({ alias, qualifiedName: null, columns });
          scope.width += columns.length;
          return { kind: 'worktable', cteId: cte.working.cteId, alias, offset, width: columns.length };
        }
        cte.bound ??= this.bindCte(cte);
        const names = cte.bound.columns.map((c, i) => cte.columnNames[i] ?? c.name);
        const colNames = n.alias === undefined ? names : aliasColumnNames(n.alias, names, alias);
        return this.addSubqueryItem(cte.bound, alias, colNames, scope);
      }
    }
    const rel = this.catalog.resolveRelation(schema, name, position);
    if (rel.kind === 'view') {
      const stmts = parseSql(rel.table.viewSql!);
      const query = this.bindQuery(nodeBody(stmts[0]!.node), null);
      const names = rel.table.columns.map((c) => c.name);
      const colNames = n.alias === undefined ? names : aliasColumnNames(n.alias, names, alias);
      return this.addSubqueryItem(query, alias, colNames, scope);
    }
    if (rel.kind === 'virtual') {
      const offset = scope.width;
      const colNames = n.alias === undefined ? rel.columns.map((c) => c.name) : aliasColumnNames(n.alias, rel.columns.map((c) => c.name), alias);
      const columns = rel.columns.map((c, i) => ({ ...col(colNames[i]!, c.type, offset + i), tableOid: rel.oid, attnum: i + 1 }));
      // The system column tableoid (psql joins pg_description on it); not part of SELECT *.
      const width = columns.length;
      columns.push({ ...col('tableoid', { oid: OID.oid, typmod: -1 }, offset + width), tableOid: rel.oid, attnum: -6, system: true });
      const relOid = rel.oid;
      const rows = function* (): Iterable<unknown[]> { for (const r of rel.rows()) yield [...r, relOid]; };
      scope.add({ alias, qualifiedName: `${rel.schemaName}.${rel.name}`, columns });
      scope.width += columns.length;
      return { kind: 'virtual', name: rel.name, rows, alias, offset, width: columns.length } as unknown as FromItem;
    }
    const table = rel.table;
    const offset = scope.width;
    const visible = table.columns.filter((c) => !c.dropped).map((c) => c.name);
    const colNames = n.alias === undefined ? visible : aliasColumnNames(n.alias, visible, alias);
    const columns: ScopeColumn[] = [];
    let v = 0;
    table.columns.forEach((c, i) => {
      if (c.dropped) return;
      columns.push({ name: colNames[v++]!, type: c.type, offset: offset + i, tableOid: table.oid, attnum: c.attnum, hidden: false, system: false });
    });
    const width = table.columns.length + (withKey ? 1 : 0);
    scope.add({ alias, qualifiedName: `${rel.schemaName}.${table.name}`, columns });
    scope.width += width;
    return { kind: 'table', table, alias, offset, width, withKey } as FromItem;
  }

  private bindRangeFunction(n: PgNode, scope: Scope): FromItem {
    if (n.is_rowsfrom || (n.functions as PgNode[]).length !== 1) throw notSupported('ROWS FROM');
    if (n.coldeflist !== undefined) throw notSupported('column definition lists');
    const fnNode = (nodeBody((n.functions as PgNode[])[0]!).items as PgNode[])[0]!;
    if (nodeTag(fnNode) !== 'FuncCall') throw notSupported('this function in FROM');
    // Functions in FROM may read FROM items to their left (implicitly LATERAL): bind against a scope
    // whose parent is the current one, and keep that binding only when it does read them.
    let lateral = false;
    let call!: BoundExpr;
    if (scope.items.length > 0) {
      const bound = this.tracked(() => this.exprs.bind(fnNode, { scope: new Scope(scope), aggregates: null, clause: 'functions in FROM', allowSrf: true }));
      call = bound.result;
      lateral = bound.correlated && readsLevel(call, 1);
    }
    if (!lateral) call = this.exprs.bind(fnNode, { scope: new Scope(scope.parent), aggregates: null, clause: 'functions in FROM', allowSrf: true });
    // unnest(a, b, ...): PostgreSQL's special form in FROM, the arrays side by side (bound as the
    // single-array unnest's arguments would be).
    if (call.kind !== 'srf' && call.kind !== 'call' && call.kind !== 'const') throw notSupported('this expression in FROM');
    const fname = nameList(nodeBody(fnNode).funcname).at(-1)!;
    const alias = n.alias === undefined ? fname : (n.alias.aliasname as string);
    // A function returning several columns (jsonb_each) names them itself; others name their one column.
    const out = call.kind === 'srf' ? call.fn.outColumns : undefined;
    const outTypes = out === undefined ? [call.type] : out.map((c) => ({ oid: c.type, typmod: -1 }));
    const named = call.kind === 'srf' ? call.fn.columnName : undefined;
    const baseNames = out !== undefined ? out.map((c) => c.name) : [named ?? (n.alias === undefined ? fname : alias)];
    if (n.ordinality) baseNames.push('ordinality');
    const colNames = n.alias === undefined ? baseNames : aliasColumnNames(n.alias, baseNames, alias);
    const offset = scope.width;
    const columns = outTypes.map((t, i) => col(colNames[i]!, t, offset + i));
    if (n.ordinality) columns.push(col(colNames[outTypes.length]!, { oid: OID.int8, typmod: -1 }, offset + outTypes.length));
    scope.add({ alias, qualifiedName: null, columns });
    scope.width += columns.length;
    if (call.kind === 'const') {
      return { kind: 'values', rows: [[call]], alias, offset, width: 1 };
    }
    return { kind: 'function', fn: call.fn, args: call.args, alias, offset, width: columns.length, withOrdinality: n.ordinality === true, lateral };
  }

  private bindJoin(n: PgNode, scope: Scope): FromItem {
    const left = this.bindFromItem(n.larg, scope);
    const leftItems = scope.items.length;
    const right = this.bindFromItem(n.rarg, scope);
    const jt = n.jointype as string;
    const joinType = jt === 'JOIN_INNER' ? (n.quals === undefined && n.usingClause === undefined && !n.isNatural ? 'cross' : 'inner')
      : jt === 'JOIN_LEFT' ? 'left' : jt === 'JOIN_RIGHT' ? 'right' : jt === 'JOIN_FULL' ? 'full' : undefined;
    if (joinType === undefined) throw notSupported(`join type ${jt}`);
    if (n.alias !== undefined) throw notSupported('aliases on JOIN expressions');
    let on: BoundExpr | null = null;
    let usingNames: string[] = nameList(n.usingClause);
    if (n.isNatural) {
      const lcols = scope.items.slice(0, leftItems).flatMap((i) => i.columns.filter((c) => !c.hidden).map((c) => c.name));
      const rcols = scope.items.slice(leftItems).flatMap((i) => i.columns.filter((c) => !c.hidden).map((c) => c.name));
      usingNames = lcols.filter((c) => rcols.includes(c));
    }
    if (usingNames.length > 0) {
      const conds: BoundExpr[] = [];
      for (const name of usingNames) {
        const lc = findIn(scope.items.slice(0, leftItems), name, 'left');
        const rc = findIn(scope.items.slice(leftItems), name, 'right');
        const lref: BoundExpr = { kind: 'column', levelsUp: 0, index: lc.offset, type: lc.type, name };
        const rref: BoundExpr = { kind: 'column', levelsUp: 0, index: rc.offset, type: rc.type, name };
        conds.push(this.exprs.bindOperator('=', lref, rref));
        // The merged column: the left one (the right one for RIGHT JOIN, COALESCE of both for FULL).
        rc.hidden = true;
        lc.hidden = true;
        if (joinType === 'full') {
          const type = selectCommonType([lc.type, rc.type], 'JOIN/USING');
          const expr: BoundExpr = { kind: 'coalesce', args: [coerce(lref, type, 'i', this), coerce(rref, type, 'i', this)], type };
          scope.merged.set(name, { ...lc, type, expr });
        } else scope.merged.set(name, joinType === 'right' ? rc : lc);
      }
      on = conds.length === 1 ? conds[0]! : { kind: 'and', args: conds, type: { oid: OID.bool, typmod: -1 } };
    } else if (n.quals !== undefined) {
      on = this.exprs.bindCondition(n.quals, { scope, aggregates: null, clause: 'JOIN conditions', allowSrf: false }, 'JOIN/ON');
    }
    return { kind: 'join', joinType, left, right, on, offset: left.offset, width: left.width + right.width };
  }
}

/** Whether an expression reads columns exactly `level` query levels up (not entering subqueries). */
function readsLevel(e: BoundExpr, level: number): boolean {
  let found = false;
  mapExpr(e, (x) => { if (x.kind === 'column' && x.levelsUp === level) found = true; return x; });
  return found;
}

function findIn(items: ReadonlyArray<{ columns: ScopeColumn[] }>, name: string, side: string): ScopeColumn {
  for (const item of items) for (const c of item.columns) if (c.name === name && !c.system) return c;
  throw new SqlError(SQLSTATE.UNDEFINED_COLUMN, `column "${name}" specified in USING clause does not exist in ${side} table`);
}

function col(name: string, type: SqlType, offset: number): ScopeColumn {
  return { name, type, offset, tableOid: 0, attnum: 0, hidden: false, system: false };
}

function isDefaultMarker(e: BoundExpr): boolean {
  return (e as unknown as { isDefault?: boolean }).isDefault === true;
}

function aliasColumnNames(aliasNode: PgNode, names: string[], alias: string): string[] {
  const given = nameList(aliasNode.colnames);
  if (given.length > names.length) {
    throw new SqlError(SQLSTATE.INVALID_COLUMN_REFERENCE, `table "${alias}" has ${names.length} columns available but ${given.length} columns specified`);
  }
  return names.map((n, i) => given[i] ?? n);
}

/** The output column name PostgreSQL gives an expression (FigureColname). */
function outputColumn(alias: string | undefined, node: PgNode, e: BoundExpr, scope: Scope): OutputColumn {
  let tableOid = 0;
  let attnum = 0;
  if (e.kind === 'column' && e.levelsUp === 0) {
    for (const item of scope.items) for (const c of item.columns) if (c.offset === e.index) { tableOid = c.tableOid; attnum = c.attnum; }
  }
  return { name: alias ?? figureColname(node), type: e.type.oid === OID.unknown ? TEXT : e.type, tableOid, attnum };
}

export function figureColname(node: PgNode): string {
  return figureColnameStrength(node)[0];
}

/** PostgreSQL's FigureColnameInternal: a name and its strength (2 = column/function, 1 = type cast). */
function figureColnameStrength(node: PgNode): [string, number] {
  const tag = nodeTag(node);
  const b = nodeBody(node);
  if (tag === 'TypeCast') {
    const inner = figureColnameStrength(b.arg);
    if (inner[1] > 1) return inner;
    return [nameList(b.typeName.names).at(-1)!, 1];
  }
  if (tag === 'A_Indirection') return figureColnameStrength(b.arg);
  const name = figureColnameSimple(node);
  return [name, name === '?column?' ? 0 : 2];
}

function figureColnameSimple(node: PgNode): string {
  const tag = nodeTag(node);
  const b = nodeBody(node);
  switch (tag) {
    case 'ColumnRef': {
      const last = strVal((b.fields as PgNode[]).at(-1)!);
      return last === '*' ? '?column?' : last;
    }
    case 'FuncCall': return nameList(b.funcname).at(-1)!;
    case 'GroupingFunc': return 'grouping';
    case 'RowExpr': return 'row';
    case 'TypeCast': {
      const inner = figureColname(b.arg);
      if (inner !== '?column?') return inner;
      return nameList(b.typeName.names).at(-1)!;
    }
    case 'A_Indirection': return figureColname(b.arg);
    case 'CaseExpr': return 'case';
    case 'CoalesceExpr': return 'coalesce';
    case 'MinMaxExpr': return b.op === 'IS_GREATEST' ? 'greatest' : 'least';
    case 'A_ArrayExpr': return 'array';
    case 'SubLink': {
      const t = b.subLinkType as string;
      if (t === 'EXISTS_SUBLINK') return 'exists';
      if (t === 'ARRAY_SUBLINK') return 'array';
      if (t === 'EXPR_SUBLINK') {
        const sel = nodeBody(b.subselect);
        const tl = sel.targetList as PgNode[] | undefined;
        if (tl !== undefined && tl.length === 1) {
          const rt = nodeBody(tl[0]!);
          return (rt.name as string | undefined) ?? figureColname(rt.val);
        }
      }
      return '?column?';
    }
    case 'SQLValueFunction': {
      const op = (b.op as string).replace('SVFOP_', '').toLowerCase().replace(/_n$/, '');
      return op === 'current_catalog' ? 'current_catalog' : op;
    }
    case 'A_Expr': return b.kind === 'AEXPR_NULLIF' ? 'nullif' : '?column?';
    default: return '?column?';
  }
}

/**
 * The query's window nodes, one per distinct window, each with its calls (arguments, filters,
 * PARTITION BY and ORDER BY rewritten by `mapper` onto the row the nodes read, `width` wide), and
 * for each call the slot its result takes after that row.
 */
function layOutWindows(windows: QueryWindows, mapper: (e: BoundExpr) => BoundExpr, width: number): {
  windows: SelectQuery['windows']; slots: Map<WinCall, BoundExpr>;
} {
  const slots = new Map<WinCall, BoundExpr>();
  if (windows.calls.length === 0) return { windows: [], slots };
  const nodes: SelectQuery['windows'] = windows.specs.map((spec) => ({
    spec: {
      ...spec,
      partition: spec.partition.map(mapper),
      order: spec.order.map((k) => ({ ...k, expr: mapper(k.expr) })),
    },
    calls: [],
  }));
  const originals: WinCall[][] = nodes.map(() => []);
  for (const c of windows.calls) {
    nodes[c.window]!.calls.push({ ...c, args: c.args.map(mapper), filter: c.filter === null ? null : mapper(c.filter) });
    originals[c.window]!.push(c);
  }
  let slot = width;
  nodes.forEach((n, w) => n.calls.forEach((m, i) => {
    slots.set(originals[w]![i]!, { kind: 'winref', index: slot++, call: m, type: m.type });
  }));
  return { windows: nodes.filter((n) => n.calls.length > 0), slots };
}

function containsAggregate(e: BoundExpr): boolean {
  let found = false;
  mapExpr(e, (x) => { if (x.kind === 'aggcall') found = true; return x; });
  return found;
}

/** Rewrites expressions over the scope row into expressions over the grouped row. */
function groupingMapper(groupKeys: BoundExpr[], aggregates: AggCall[], scopeWidth: number, sets: number[][] | null): (e: BoundExpr) => BoundExpr {
  const keyIndex = new Map<string, number>();
  groupKeys.forEach((k, i) => { const key = exprKey(k); if (!keyIndex.has(key)) keyIndex.set(key, i); });
  // Correlated subqueries see the outer row rebuilt from the group keys that are plain columns.
  const slots: Array<{ groupedIndex: number; scopeOffset: number }> = [];
  groupKeys.forEach((k, i) => { if (k.kind === 'column' && k.levelsUp === 0) slots.push({ groupedIndex: i, scopeOffset: k.index }); });
  const grouped = new Set(slots.map((sl) => sl.scopeOffset));
  const mapOne = (e: BoundExpr): BoundExpr => {
    if ((e.kind === 'subquery' || e.kind === 'anysub') && e.correlated) {
      visitQueryExprs(e.query, (x, depth) => {
        if (x.kind === 'column' && x.levelsUp === depth + 1 && !grouped.has(x.index)) {
          throw new SqlError(SQLSTATE.GROUPING_ERROR, `subquery uses ungrouped column "${x.name}" from outer query`);
        }
      });
      const mapped = mapChildren(e, mapOne) as typeof e;
      return { ...mapped, groupedOuter: { scopeWidth, slots } };
    }
    if (e.kind === 'call' && e.fn === GROUPING_FN) return groupingValue(e, keyIndex, sets, groupKeys.length + aggregates.length);
    const idx = keyIndex.get(exprKey(e));
    if (idx !== undefined) return { kind: 'grouped', index: idx, type: e.type };
    if (e.kind === 'aggcall') {
      return { kind: 'grouped', index: groupKeys.length + aggregates.indexOf(e.agg), type: e.type };
    }
    if (e.kind === 'column' && e.levelsUp === 0) {
      const shown = e.table === undefined || e.table === '' ? e.name : `${e.table}.${e.name}`;
      throw new SqlError(SQLSTATE.GROUPING_ERROR, `column "${shown}" must appear in the GROUP BY clause or be used in an aggregate function`, { position: e.location });
    }
    return mapChildren(e, mapOne);
  };
  return mapOne;
}

/** Whether a parse tree mentions a relation named `name` (a CTE's self-reference). */
function referencesName(node: unknown, name: string): boolean {
  let found = false;
  const walk = (x: unknown): void => {
    if (found || x === null || typeof x !== 'object') return;
    if (Array.isArray(x)) { x.forEach(walk); return; }
    const o = x as PgNode;
    if (o['RangeVar'] !== undefined && o['RangeVar'].relname === name && o['RangeVar'].schemaname === undefined) { found = true; return; }
    if (o['relname'] === name && o['schemaname'] === undefined && o['inh'] !== undefined) { found = true; return; }
    for (const v of Object.values(o)) walk(v);
  };
  walk(node);
  return found;
}

/** Column types of a set-operation branch before unknown literals are resolved to text. */
function branchTypes(q: BoundQuery): SqlType[] {
  if (q.kind === 'select') return q.targets.map((t) => t.type);
  return q.columns.map((c) => c.type);
}

function formatTypeName(oid: number): string {
  return typeNameOf({ oid, typmod: -1 });
}

/** Wraps a set-operation branch so its outputs have the common column types. */
function castQueryOutputs(q: BoundQuery, columns: OutputColumn[], host: QueryBinder): BoundQuery {
  const needs = branchTypes(q).some((t, i) => t.oid !== columns[i]!.type.oid);
  if (!needs) return q;
  if (q.kind === 'select' && q.orderBy.length === 0 && q.limit === null && q.offset === null && !q.distinct && q.distinctOn === null) {
    return {
      ...q,
      targets: q.targets.map((t, i) => coerce(t, columns[i]!.type, 'i', host)),
      columns: q.columns.map((c, i) => ({ ...c, type: columns[i]!.type })),
    };
  }
  if (q.kind === 'values') {
    return { ...q, rows: q.rows.map((r) => r.map((e, i) => coerce(e, columns[i]!.type, 'i', host))), columns: q.columns.map((c, i) => ({ ...c, type: columns[i]!.type })) };
  }
  // Wrap in SELECT cols FROM (q) with casts.
  const sub: FromItem = { kind: 'subquery', query: q, alias: '', offset: 0, width: q.columns.length };
  return {
    kind: 'select', from: sub, where: null, grouped: false, groupKeys: [], aggregates: [], having: null, windows: [],
    targets: q.columns.map((c, i) => coerce({ kind: 'column', levelsUp: 0, index: i, type: c.type, name: c.name }, columns[i]!.type, 'i', host)),
    junk: [], columns: q.columns.map((c, i) => ({ ...c, type: columns[i]!.type })), distinct: false, distinctOn: null,
    orderBy: [], limit: null, offset: null, lockMode: null, scopeWidth: q.columns.length,
  };
}
