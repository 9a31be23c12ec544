// SessionCatalogView: the catalog as one statement of one session sees it — the transaction's
// own uncommitted DDL if any, else the committed version — with search_path resolution, and the
// adapters the binder, planner and executor read it through.
import { SqlError, SQLSTATE } from '../../base/index.js';
import {
  effectiveSearchPath, type Catalog, type ConstraintDesc, type IndexDesc, type SequenceDesc, type TableDesc,
} from '../../catalog/index.js';
import {
  parseExpr, QueryBinder, Scope, assign, type BoundExpr, type CatalogAccess, type ResolvedRelation, type TargetAccess,
  type TargetTable,
} from '../analyze/index.js';
import type { PlannerStats } from '../plan/index.js';
import type { WriterCatalog } from '../exec/index.js';
import type { SqlType } from '../types/index.js';
import { quoteIdent as quoteIdentifier } from '../parse/index.js';
import type { Database } from './database.js';
import { virtualRelation } from './pg-catalog.js';
import type { Session } from './session.js';

/** Bound CHECK constraints per table descriptor version (a DDL change makes a new descriptor). */
const annKeyCache = new WeakMap<IndexDesc, { table: TableDesc; expr: BoundExpr }>();
const checkCache = new WeakMap<TableDesc, { signature: string; checks: Array<{ name: string; expr: BoundExpr }> }>();

export class SessionCatalogView implements CatalogAccess, TargetAccess, PlannerStats, WriterCatalog {

  constructor(
    readonly db: Database,
    readonly catalog: Catalog,
    readonly session: Session,
  ) {}

  setting(name: string): string {
    return this.session.settings.get(name);
  }

  searchPathSchemas() {
    const path = effectiveSearchPath(this.catalog, this.session.settings.searchPath(), this.session.user);
    const temp = this.catalog.schema(this.session.tempSchemaName);
    return temp === undefined ? path : [temp, ...path];
  }

  resolveRelation(schema: string | null, name: string, position?: number): ResolvedRelation {
    const schemas = schema === null ? this.searchPathSchemas() : [this.catalog.schema(schema === 'pg_temp' ? this.session.tempSchemaName : schema)].filter((s) => s !== undefined);
    if (schema !== null && schemas.length === 0) {
      throw new SqlError(SQLSTATE.UNDEFINED_TABLE, `relation "${schema}.${name}" does not exist`, { position });
    }
    for (const s of schemas) {
      if (s!.name === 'pg_catalog' || s!.name === 'information_schema') {
        const v = virtualRelation(s!.name, name, this);
        if (v !== undefined) return v;
      }
      const t = this.catalog.tableIn(s!.oid, name);
      if (t !== undefined) return { kind: t.kind === 'v' ? 'view' : 'table', table: t, schemaName: s!.name };
    }
    const full = schema === null ? name : `${schema}.${name}`;
    throw new SqlError(SQLSTATE.UNDEFINED_TABLE, `relation "${full}" does not exist`, { position });
  }

  /** Finds a table, view, index or sequence by possibly-qualified name (for DROP, ALTER, regclass). */
  findRelationOid(schema: string | null, name: string): { kind: 'table' | 'view' | 'index' | 'sequence'; oid: number } | undefined {
    const schemas = schema === null ? this.searchPathSchemas() : [this.catalog.schema(schema)].filter((s) => s !== undefined);
    for (const s of schemas) {
      const t = this.catalog.tableIn(s!.oid, name);
      if (t !== undefined) return { kind: t.kind === 'v' ? 'view' : 'table', oid: t.oid };
      const i = this.catalog.indexIn(s!.oid, name);
      if (i !== undefined) return { kind: 'index', oid: i.oid };
      const q = this.catalog.sequenceIn(s!.oid, name);
      if (q !== undefined) return { kind: 'sequence', oid: q.oid };
    }
    return undefined;
  }

  regclassIn(text: string): number {
    const t = text.trim();
    if (/^\d+$/.test(t)) {
      const oid = Number(t);
      return oid;
    }
    const parts = splitQualified(t);
    const name = parts.at(-1)!;
    const schema = parts.length > 1 ? parts[parts.length - 2]! : null;
    if (schema !== null && (schema === 'pg_catalog' || schema === 'information_schema')) {
      const v = this.resolveRelation(schema, name);
      if (v.kind === 'virtual') return v.oid;
    }
    const found = this.findRelationOid(schema, name);
    if (found === undefined) {
      if (schema === null) {
        try {
          const v = this.resolveRelation(null, name);
          if (v.kind === 'virtual') return v.oid;
        } catch { /* fall through to the error below */ }
      }
      throw new SqlError(SQLSTATE.UNDEFINED_TABLE, `relation "${t}" does not exist`);
    }
    return found.oid;
  }

  /** regclass output: the name, schema-qualified when not visible on search_path. */
  relationName(oid: number): string | undefined {
    const rel = this.catalog.get('table', oid) ?? this.catalog.get('index', oid) ?? this.catalog.get('sequence', oid);
    if (rel === undefined) return undefined;
    const visible = this.findRelationOid(null, rel.name);
    if (visible?.oid === oid) return quoteIdentifier(rel.name);
    return `${quoteIdentifier(this.catalog.get('schema', rel.schemaOid)?.name ?? '')}.${quoteIdentifier(rel.name)}`;
  }

  /** regnamespace output: the schema name, quoted as an identifier when needed. */
  namespaceName(oid: number): string | undefined {
    const s = this.catalog.get('schema', oid);
    return s === undefined ? undefined : quoteIdentifier(s.name);
  }

  findSequence(qualified: string): SequenceDesc {
    if (/^\d+$/.test(qualified)) {
      const s = this.catalog.get('sequence', Number(qualified));
      if (s !== undefined) return s;
      const rel = this.relationName(Number(qualified));
      throw new SqlError(SQLSTATE.WRONG_OBJECT_TYPE, `"${rel ?? qualified}" is not a sequence`);
    }
    const parts = splitQualified(qualified);
    const name = parts.at(-1)!;
    const schema = parts.length > 1 ? parts[0]! : null;
    const found = this.findRelationOid(schema, name);
    if (found === undefined) throw new SqlError(SQLSTATE.UNDEFINED_TABLE, `relation "${qualified}" does not exist`);
    if (found.kind !== 'sequence') throw new SqlError(SQLSTATE.WRONG_OBJECT_TYPE, `"${name}" is not a sequence`);
    return this.catalog.get('sequence', found.oid)!;
  }

  targetTable(schema: string | null, name: string, position?: number): { table: TableDesc; schemaName: string } {
    const rel = this.resolveRelation(schema, name, position);
    if (rel.kind === 'virtual') {
      throw new SqlError(SQLSTATE.INSUFFICIENT_PRIVILEGE, `permission denied for table ${name}`);
    }
    if (rel.kind === 'view') {
      throw new SqlError(SQLSTATE.FEATURE_NOT_SUPPORTED, `cannot change view "${name}"`, {
        detail: 'Views that are updatable in PostgreSQL are not updatable in QuiverDB yet.',
      });
    }
    return { table: rel.table, schemaName: rel.schemaName };
  }

  describeTarget(table: TableDesc): Omit<TargetTable, 'checks' | 'defaults'> {
    return {
      table,
      indexes: this.catalog.indexesOf(table.oid),
      constraints: this.catalog.constraintsOf(table.oid),
      sequences: table.columns.map((c) => (c.sequenceOid === null ? null : this.catalog.get('sequence', c.sequenceOid) ?? null)),
    };
  }

  // PlannerStats
  rowCount(table: TableDesc): number {
    return this.db.rowCount(table) + this.session.pendingRowDelta(table.oid);
  }

  indexesOf(tableOrOid: TableDesc | number): IndexDesc[] {
    return this.catalog.indexesOf(typeof tableOrOid === 'number' ? tableOrOid : tableOrOid.oid);
  }

  // WriterCatalog
  table(oid: number): TableDesc | undefined {
    return this.catalog.get('table', oid);
  }

  constraintsOf(tableOid: number): ConstraintDesc[] {
    return this.catalog.constraintsOf(tableOid);
  }

  referencingConstraints(tableOid: number): ConstraintDesc[] {
    return this.catalog.referencingConstraints(tableOid);
  }

  /** The key of an ANN index bound over its table's physical row (planner: matches ORDER BY). */
  annKeyOf(table: TableDesc, index: IndexDesc): BoundExpr | null {
    try {
      return this.bindAnnKey(table, index);
    } catch {
      return null;
    }
  }

  /** Binds an index key (a column, or an expression kept as SQL text) over the table row. */
  bindAnnKey(table: TableDesc, index: IndexDesc): BoundExpr {
    const cached = annKeyCache.get(index);
    if (cached !== undefined && cached.table === table) return cached.expr;
    const exprSql = index.exprs?.[0] ?? null;
    let expr: BoundExpr;
    if (exprSql === null) {
      const pos = table.columns.findIndex((c) => c.attnum === index.columns[0]);
      const col = table.columns[pos]!;
      expr = { kind: 'column', levelsUp: 0, index: pos, type: col.type as SqlType, name: col.name };
    } else {
      const binder = new QueryBinder(this, []);
      const scope = new Scope(null);
      scope.add({
        alias: table.name, qualifiedName: null,
        columns: table.columns.flatMap((col, i) => (col.dropped ? [] : [{
          name: col.name, type: col.type as SqlType, offset: i, tableOid: table.oid, attnum: col.attnum, hidden: false, system: false,
        }])),
      });
      scope.width = table.columns.length;
      expr = binder.exprs.bind(parseExpr(exprSql), { scope, aggregates: null, clause: 'index expressions', allowSrf: false });
    }
    annKeyCache.set(index, { table, expr });
    return expr;
  }

  checksOf(table: TableDesc): Array<{ name: string; expr: BoundExpr }> {
    const constraints = this.catalog.constraintsOf(table.oid).filter((k) => k.type === 'c');
    const signature = constraints.map((k) => `${k.oid}:${k.checkSql}`).join('|');
    const cached = checkCache.get(table);
    let c = cached !== undefined && cached.signature === signature ? cached.checks : undefined;
    if (c === undefined) {
      const binder = new QueryBinder(this, []);
      const scope = new Scope(null);
      const columns = table.columns.flatMap((col, i) => (col.dropped ? [] : [{
        name: col.name, type: col.type as SqlType, offset: i, tableOid: table.oid, attnum: col.attnum, hidden: false, system: false,
      }]));
      scope.add({ alias: table.name, qualifiedName: null, columns });
      scope.width = table.columns.length;
      c = this.catalog.constraintsOf(table.oid).filter((k) => k.type === 'c').map((k) => ({
        name: k.name,
        expr: binder.exprs.bindCondition(parseExpr(k.checkSql!), { scope, aggregates: null, clause: 'check constraints', allowSrf: false }, 'CHECK'),
      }));
      checkCache.set(table, { signature, checks: c });
    }
    return c;
  }

  defaultOf(table: TableDesc, attnum: number): BoundExpr | null {
    const col = table.columns.find((c) => c.attnum === attnum);
    if (col === undefined || col.defaultSql === null) return null;
    const binder = new QueryBinder(this, []);
    const e = binder.exprs.bind(parseExpr(col.defaultSql), { scope: new Scope(null), aggregates: null, clause: 'DEFAULT', allowSrf: false });
    return assign(e, col, binder);
  }

  nextRowId(): bigint {
    return this.db.txns.hlc.now();
  }

  reserveRowIds(n: number): bigint {
    // rowids and commit timestamps come from one clock: moving it past the block keeps both unique
    const hlc = this.db.txns.hlc;
    const first = hlc.now();
    hlc.observe(first + BigInt(n - 1));
    return first;
  }
}

/** Splits 'a.b' / '"A".b' into unquoted parts. */
export function splitQualified(s: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '"') {
      if (quoted && s[i + 1] === '"') { cur += '"'; i++; continue; }
      quoted = !quoted;
      continue;
    }
    if (ch === '.' && !quoted) { parts.push(cur); cur = ''; continue; }
    cur += quoted ? ch : ch.toLowerCase();
  }
  parts.push(cur);
  return parts;
}
