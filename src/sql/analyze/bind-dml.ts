// Binding of INSERT, UPDATE and DELETE: target table, column lists, VALUES/SELECT sources with
// assignment coercion, defaults, identity columns, ON CONFLICT, FROM/USING, RETURNING.
import { SqlError, SQLSTATE, notSupported } from '../../base/index.js';
import { nodeTag, nodeBody, parseSql, strVal, nameList, type PgNode } from '../parse/index.js';
import { OID, type SqlType } from '../types/index.js';
import type { ColumnDesc, TableDesc } from '../../catalog/index.js';
import type {
  BoundExpr, BoundQuery, DeleteStatement, FromItem, InsertStatement, OutputColumn, TargetTable,
  UpdateStatement, ValuesQuery,
} from './bound.js';
import { coerce, tryCoerce, typeNameOf } from './coerce.js';
import { pos, type ExprContext } from './bind-expr.js';
import { QueryBinder, figureColname } from './bind-select.js';
import { Scope, type ScopeColumn } from './scope.js';

/** What the DML binder needs beyond CatalogAccess: the target table's dependent objects. */
export interface TargetAccess {
  targetTable(schema: string | null, name: string, position?: number): { table: TableDesc; schemaName: string };
  describeTarget(table: TableDesc): Omit<TargetTable, 'checks' | 'defaults'>;
}

export class DmlBinder {
  constructor(private readonly q: QueryBinder, private readonly access: TargetAccess) {}

  private target(rel: PgNode): { target: TargetTable; schemaName: string; alias: string } {
    const { table, schemaName } = this.access.targetTable((rel.schemaname as string | undefined) ?? null, rel.relname as string, pos(rel.location));
    const base = this.access.describeTarget(table);
    const rowScope = tableScope(table, null, rel.relname as string, 0);
    const ctx: ExprContext = { scope: rowScope, aggregates: null, clause: 'check constraints', allowSrf: false };
    const checks = base.constraints.filter((c) => c.type === 'c').map((c) => ({
      name: c.name,
      expr: this.q.exprs.bindCondition(parseExpr(c.checkSql!), ctx, 'CHECK'),
    }));
    const defaults = table.columns.map((c) => this.defaultExpr(c));
    const alias = rel.alias === undefined ? (rel.relname as string) : (rel.alias.aliasname as string);
    return { target: { ...base, checks, defaults }, schemaName, alias };
  }

  private defaultExpr(c: ColumnDesc): BoundExpr | null {
    if (c.dropped) return null;
    if (c.defaultSql === null) return null;
    const e = this.q.exprs.bind(parseExpr(c.defaultSql), { scope: new Scope(null), aggregates: null, clause: 'DEFAULT expressions', allowSrf: false });
    return coerce(e, c.type, 'a', this.q);
  }

  /** Runs a binder with the statement's WITH clause (non-recursive, read-only CTEs) in scope. */
  private withCtes<T>(n: PgNode, f: () => T): T {
    if (n.withClause === undefined) return f();
    this.q.pushCtes(n.withClause);
    try {
      return f();
    } finally {
      this.q.popCtes();
    }
  }

  bindInsert(n: PgNode): InsertStatement {
    return this.withCtes(n, () => this.bindInsertInner(n));
  }

  bindUpdate(n: PgNode): UpdateStatement {
    return this.withCtes(n, () => this.bindUpdateInner(n));
  }

  bindDelete(n: PgNode): DeleteStatement {
    return this.withCtes(n, () => this.bindDeleteInner(n));
  }

  private bindInsertInner(n: PgNode): InsertStatement {
    const { target, alias } = this.target(n.relation);
    const table = target.table;
    const override = n.override as string | undefined;
    if (override === 'OVERRIDING_USER_VALUE') throw notSupported('OVERRIDING USER VALUE');
    const overridingSystem = override === 'OVERRIDING_SYSTEM_VALUE';
    // Target columns.
    let targetColumns: number[];
    const cols = (n.cols as PgNode[] | undefined) ?? [];
    if (cols.length > 0) {
      targetColumns = [];
      for (const c of cols) {
        const rt = nodeBody(c);
        if (rt.indirection !== undefined) throw notSupported('INSERT into array elements or fields');
        const idx = columnIndex(table, rt.name as string);
        if (idx < 0) {
          throw new SqlError(SQLSTATE.UNDEFINED_COLUMN, `column "${rt.name}" of relation "${table.name}" does not exist`, { position: pos(rt.location) });
        }
        if (targetColumns.includes(idx)) {
          throw new SqlError(SQLSTATE.DUPLICATE_COLUMN, `column "${rt.name}" specified more than once`, { position: pos(rt.location) });
        }
        targetColumns.push(idx);
      }
    } else {
      targetColumns = table.columns.flatMap((c, i) => (c.dropped ? [] : [i]));
    }
    const targetTypes = targetColumns.map((i) => table.columns[i]!.type);
    const select = n.selectStmt === undefined ? undefined : nodeBody(n.selectStmt);
    let source: BoundQuery;
    const isValues = select !== undefined && select.valuesLists !== undefined && (select.op === undefined || select.op === 'SETOP_NONE')
      && select.sortClause === undefined && select.limitCount === undefined && select.withClause === undefined;
    if (select === undefined) {
      // DEFAULT VALUES
      targetColumns = [];
      source = { kind: 'values', rows: [[]], columns: [], orderBy: [], limit: null, offset: null };
    } else if (isValues) {
      source = this.bindInsertValues(select, table, targetColumns, overridingSystem, target, cols.length > 0);
    } else {
      const query = this.q.bindQuery(select, null);
      if (query.columns.length > targetColumns.length) {
        throw new SqlError(SQLSTATE.SYNTAX_ERROR, 'INSERT has more expressions than target columns');
      }
      if (cols.length > 0 && query.columns.length < targetColumns.length) {
        throw new SqlError(SQLSTATE.SYNTAX_ERROR, 'INSERT has more target columns than expressions');
      }
      targetColumns = targetColumns.slice(0, query.columns.length);
      for (const idx of targetColumns) this.checkIdentityAlways(table.columns[idx]!, overridingSystem);
      source = this.coerceQueryOutputs(query, targetColumns.map((i) => table.columns[i]!));
    }
    void targetTypes;

    // ON CONFLICT
    let onConflict: InsertStatement['onConflict'] = null;
    const oc = n.onConflictClause as PgNode | undefined;
    if (oc !== undefined) {
      let arbiterIndexOids: number[] | null = null;
      const infer = oc.infer as PgNode | undefined;
      if (infer !== undefined) {
        if (infer.conname !== undefined) {
          const con = target.constraints.find((c) => c.name === infer.conname);
          if (con === undefined || con.indexOid === null) {
            throw new SqlError(SQLSTATE.UNDEFINED_OBJECT, `constraint "${infer.conname}" for table "${table.name}" does not exist`);
          }
          arbiterIndexOids = [con.indexOid];
        } else {
          const names = ((infer.indexElems as PgNode[] | undefined) ?? []).map((e) => {
            const b = nodeBody(e);
            if (b.name === undefined) throw notSupported('expressions in ON CONFLICT targets');
            return b.name as string;
          });
          const attnums = names.map((nm) => {
            const idx = columnIndex(table, nm);
            if (idx < 0) throw new SqlError(SQLSTATE.UNDEFINED_COLUMN, `column "${nm}" does not exist`);
            return table.columns[idx]!.attnum;
          });
          const match = target.indexes.filter((ix) => ix.unique && ix.columns.length === attnums.length && attnums.every((a) => ix.columns.includes(a)));
          const storageMatch = table.storageKey.length === attnums.length && attnums.every((a) => table.storageKey.includes(a));
          if (match.length === 0 && !storageMatch) {
            throw new SqlError(SQLSTATE.INVALID_COLUMN_REFERENCE, 'there is no unique or exclusion constraint matching the ON CONFLICT specification');
          }
          arbiterIndexOids = match.map((m) => m.oid);
        }
      }
      const action = oc.action === 'ONCONFLICT_NOTHING' ? 'nothing' : 'update';
      if (action === 'update' && infer === undefined) {
        throw new SqlError(SQLSTATE.SYNTAX_ERROR, 'ON CONFLICT DO UPDATE requires inference specification or constraint name', {
          hint: 'For example, ON CONFLICT (column_name).',
        });
      }
      const width = table.columns.length;
      const scope = tableScope(table, null, alias, 0);
      const excluded = tableScope(table, null, 'excluded', width);
      for (const item of excluded.items) scope.add(item);
      scope.width = width * 2;
      const ctx: ExprContext = { scope, aggregates: null, clause: 'ON CONFLICT', allowSrf: false };
      const assignments = action === 'update' ? this.bindAssignments(oc.targetList as PgNode[], table, ctx) : [];
      const where = oc.whereClause === undefined ? null : this.q.exprs.bindCondition(oc.whereClause, ctx, 'WHERE');
      onConflict = { action, arbiterIndexOids, assignments, where };
    }
    const { returning, returningColumns } = this.bindReturning(n.returningList, tableScope(table, null, alias, 0));
    return { kind: 'insert', target, source, targetColumns, onConflict, returning, returningColumns };
  }

  private checkIdentityAlways(c: ColumnDesc, overridingSystem: boolean): void {
    if (c.identity === 'a' && !overridingSystem) {
      throw new SqlError(SQLSTATE.GENERATED_ALWAYS, `cannot insert a non-DEFAULT value into column "${c.name}"`, {
        detail: `Column "${c.name}" is an identity column defined as GENERATED ALWAYS.`,
        hint: 'Use OVERRIDING SYSTEM VALUE to override.',
      });
    }
  }

  private bindInsertValues(select: PgNode, table: TableDesc, targetColumns: number[], overridingSystem: boolean, target: TargetTable, explicitColumns: boolean): ValuesQuery {
    const scope = new Scope(null);
    const ctx: ExprContext = { scope, aggregates: null, clause: 'VALUES', allowSrf: false };
    const lists = (select.valuesLists as PgNode[]).map((l) => nodeBody(l).items as PgNode[]);
    const width = lists[0]!.length;
    if (width > targetColumns.length) {
      throw new SqlError(SQLSTATE.SYNTAX_ERROR, 'INSERT has more expressions than target columns', { position: pos(nodeBody(lists[0]![targetColumns.length]!).location) });
    }
    if (width < targetColumns.length && explicitColumns) {
      throw new SqlError(SQLSTATE.SYNTAX_ERROR, 'INSERT has more target columns than expressions', { position: pos(nodeBody(lists[0]![width - 1] ?? lists[0]![0]!).location) });
    }
    const usedColumns = targetColumns.slice(0, width);
    const rows = lists.map((items) => {
      if (items.length !== width) throw new SqlError(SQLSTATE.SYNTAX_ERROR, 'VALUES lists must all be the same length');
      return items.map((node, i) => {
        const c = table.columns[usedColumns[i]!]!;
        if (nodeTag(node) === 'SetToDefault') {
          return target.defaults[usedColumns[i]!] ?? identityDefault(c) ?? { kind: 'const', type: c.type, value: null } as BoundExpr;
        }
        this.checkIdentityAlways(c, overridingSystem);
        const e = this.q.exprs.bind(node, ctx);
        return assign(e, c, this.q, pos(nodeBody(node).location));
      });
    });
    targetColumns.length = width;
    const columns: OutputColumn[] = usedColumns.map((i) => ({ name: table.columns[i]!.name, type: table.columns[i]!.type, tableOid: 0, attnum: 0 }));
    return { kind: 'values', rows, columns, orderBy: [], limit: null, offset: null };
  }

  private coerceQueryOutputs(query: BoundQuery, columns: ColumnDesc[]): BoundQuery {
    const sub: FromItem = { kind: 'subquery', query, alias: '', offset: 0, width: query.columns.length };
    return {
      kind: 'select', from: sub, where: null, grouped: false, groupKeys: [], aggregates: [], having: null, windows: [],
      targets: query.columns.map((c, i) => assign({ kind: 'column', levelsUp: 0, index: i, type: c.type, name: c.name }, columns[i]!, this.q)),
      junk: [], columns: columns.map((c) => ({ name: c.name, type: c.type, tableOid: 0, attnum: 0 })),
      distinct: false, distinctOn: null, orderBy: [], limit: null, offset: null, lockMode: null, scopeWidth: query.columns.length,
    };
  }

  private bindAssignments(list: PgNode[], table: TableDesc, ctx: ExprContext): Array<{ column: number; expr: BoundExpr }> {
    const out: Array<{ column: number; expr: BoundExpr }> = [];
    for (const t of list) {
      const rt = nodeBody(t);
      let valNode = rt.val as PgNode;
      if (nodeTag(valNode) === 'MultiAssignRef') {
        const m = nodeBody(valNode);
        if (nodeTag(m.source) !== 'RowExpr') throw notSupported('multiple-column assignment from a subquery');
        const args = nodeBody(m.source).args as PgNode[];
        if (args.length !== m.ncolumns) {
          throw new SqlError(SQLSTATE.SYNTAX_ERROR, `number of columns does not match number of values`);
        }
        valNode = args[(m.colno as number) - 1]!;
      }
      if (rt.indirection !== undefined) throw notSupported('assignment to array elements or fields');
      const idx = columnIndex(table, rt.name as string);
      if (idx < 0) {
        throw new SqlError(SQLSTATE.UNDEFINED_COLUMN, `column "${rt.name}" of relation "${table.name}" does not exist`, { position: pos(rt.location) });
      }
      if (out.some((a) => a.column === idx)) {
        throw new SqlError(SQLSTATE.DUPLICATE_COLUMN, `multiple assignments to same column "${rt.name}"`);
      }
      const c = table.columns[idx]!;
      let expr: BoundExpr;
      if (nodeTag(valNode) === 'SetToDefault') {
        expr = this.defaultExpr(c) ?? identityDefault(c) ?? { kind: 'const', type: c.type, value: null };
      } else {
        if (c.identity === 'a') {
          throw new SqlError(SQLSTATE.GENERATED_ALWAYS, `column "${c.name}" can only be updated to DEFAULT`, {
            detail: `Column "${c.name}" is an identity column defined as GENERATED ALWAYS.`,
          });
        }
        expr = assign(this.q.exprs.bind(valNode, ctx), c, this.q, pos(nodeBody(valNode).location));
      }
      out.push({ column: idx, expr });
    }
    return out;
  }

  private bindReturning(list: PgNode[] | undefined, scope: Scope): { returning: BoundExpr[]; returningColumns: OutputColumn[] } {
    const returning: BoundExpr[] = [];
    const returningColumns: OutputColumn[] = [];
    const ctx: ExprContext = { scope, aggregates: null, clause: 'RETURNING', allowSrf: false };
    for (const t of list ?? []) {
      const rt = nodeBody(t);
      const val = rt.val as PgNode;
      if (nodeTag(val) === 'ColumnRef' && strVal((nodeBody(val).fields as PgNode[]).at(-1)!) === '*') {
        const fields = (nodeBody(val).fields as PgNode[]).map(strVal);
        const items = fields.length === 1 ? scope.items : scope.items.filter((i) => i.alias === fields[0]);
        for (const item of items) {
          for (const c of item.columns) {
            if (c.hidden || c.system) continue;
            returning.push({ kind: 'column', levelsUp: 0, index: c.offset, type: c.type, name: c.name });
            returningColumns.push({ name: c.name, type: c.type, tableOid: c.tableOid, attnum: c.attnum });
          }
        }
        continue;
      }
      const e = this.q.exprs.bind(val, ctx);
      returning.push(e);
      returningColumns.push({ name: (rt.name as string | undefined) ?? figureColname(val), type: e.type.oid === OID.unknown ? { oid: OID.text, typmod: -1 } : e.type, tableOid: 0, attnum: 0 });
    }
    return { returning, returningColumns };
  }

  private bindUpdateInner(n: PgNode): UpdateStatement {
    const { target } = this.target(n.relation);
    const scope = new Scope(null);
    const targetItem = this.q.bindRangeVar(n.relation, scope, true);
    let from: FromItem = targetItem;
    for (const f of (n.fromClause as PgNode[] | undefined) ?? []) {
      const item = this.q.bindFromItem(f, scope);
      from = { kind: 'join', joinType: 'cross', left: from, right: item, on: null, offset: 0, width: from.width + item.width };
    }
    const ctx: ExprContext = { scope, aggregates: null, clause: 'UPDATE', allowSrf: false };
    const where = n.whereClause === undefined ? null : this.q.exprs.bindCondition(n.whereClause, { ...ctx, clause: 'WHERE' }, 'WHERE');
    const assignments = this.bindAssignments(n.targetList as PgNode[], target.table, ctx);
    const { returning, returningColumns } = this.bindReturning(n.returningList, scope);
    return { kind: 'update', target, from, where, assignments, returning, returningColumns, scopeWidth: scope.width };
  }

  private bindDeleteInner(n: PgNode): DeleteStatement {
    const { target } = this.target(n.relation);
    const scope = new Scope(null);
    const targetItem = this.q.bindRangeVar(n.relation, scope, true);
    let from: FromItem = targetItem;
    for (const f of (n.usingClause as PgNode[] | undefined) ?? []) {
      const item = this.q.bindFromItem(f, scope);
      from = { kind: 'join', joinType: 'cross', left: from, right: item, on: null, offset: 0, width: from.width + item.width };
    }
    const where = n.whereClause === undefined ? null
      : this.q.exprs.bindCondition(n.whereClause, { scope, aggregates: null, clause: 'WHERE', allowSrf: false }, 'WHERE');
    const { returning, returningColumns } = this.bindReturning(n.returningList, scope);
    return { kind: 'delete', target, from, where, returning, returningColumns, scopeWidth: scope.width };
  }
}

/** Coerces a value for storage in a column (assignment context), with PostgreSQL's message. */
export function assign(e: BoundExpr, c: ColumnDesc, host: QueryBinder, position?: number): BoundExpr {
  const r = tryCoerce(e, c.type, 'a', host, position);
  if (r === undefined) {
    throw new SqlError(SQLSTATE.DATATYPE_MISMATCH, `column "${c.name}" is of type ${typeNameOf(c.type)} but expression is of type ${typeNameOf(e.type)}`, {
      hint: 'You will need to rewrite or cast the expression.', position,
    });
  }
  return r;
}

function identityDefault(_c: ColumnDesc): BoundExpr | null {
  return null;
}

export function columnIndex(table: TableDesc, name: string): number {
  return table.columns.findIndex((c) => !c.dropped && c.name === name);
}

/** A scope holding one table's physical row at an offset. */
export function tableScope(table: TableDesc, parent: Scope | null, alias: string, offset: number): Scope {
  const scope = new Scope(parent);
  const columns: ScopeColumn[] = [];
  table.columns.forEach((c, i) => {
    if (c.dropped) return;
    columns.push({ name: c.name, type: c.type, offset: offset + i, tableOid: table.oid, attnum: c.attnum, hidden: false, system: false });
  });
  scope.add({ alias, qualifiedName: null, columns });
  scope.width = offset + table.columns.length;
  return scope;
}

/** Parses a stored expression (DEFAULT, CHECK) back into a parse-tree expression node. */
export function parseExpr(sql: string): PgNode {
  const stmts = parseSql(`SELECT ${sql}`);
  const sel = nodeBody(stmts[0]!.node);
  return nodeBody((sel.targetList as PgNode[])[0]!).val as PgNode;
}

export type { SqlType };
void nameList;
