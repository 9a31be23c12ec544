// System information functions that read the catalog (format_type, pg_get_indexdef,
// pg_get_constraintdef, pg_get_expr, pg_table_is_visible, pg_get_userbyid, obj_description,
// version, ...): the function library calls them through SessionServices.catalogFunction.
import { annIndexDefinition } from './ann-ddl.js';
import { SqlError, SQLSTATE } from '../../base/index.js';
import { OID, formatType, typeInfo, type Datum } from '../types/index.js';
import { QueryBinder, Scope, parseExpr } from '../analyze/index.js';
import { quoteIdent } from '../parse/index.js';
import type { ConstraintDesc, IndexDesc, TableDesc } from '../../catalog/index.js';
import type { SessionCatalogView } from './catalog-view.js';
import { SERVER_VERSION } from './settings.js';
import { deparseExpr } from './expr-deparse.js';

export function catalogFunction(name: string, args: readonly Datum[], view: SessionCatalogView): Datum | undefined {
  const c = view.catalog;
  switch (name) {
    case 'format_type': {
      const oid = args[0] as number | null;
      if (oid === null || oid === undefined) return null;
      const typmod = (args[1] as number | null | undefined) ?? -1;
      return formatType(oid, typmod ?? -1);
    }
    case 'pg_get_indexdef': {
      const i = c.get('index', args[0] as number);
      if (i === undefined) return null;
      const column = (args[1] as number | undefined) ?? 0;
      const pretty = args[2] === true;
      if (column === 0) return indexDefinition(view, i, pretty);
      const attnum = i.columns[column - 1];
      const t = c.get('table', i.tableOid);
      if (attnum === 0 && t !== undefined) {
        const key = view.annKeyOf(t, i);
        return key === null ? '' : deparseExpr(key, pretty) ?? i.exprs?.[column - 1] ?? '';
      }
      const col = t?.columns.find((x) => x.attnum === attnum);
      return col === undefined ? '' : quoteIdent(col.name);
    }
    case 'pg_get_constraintdef': {
      const k = c.get('constraint', args[0] as number);
      return k === undefined ? null : constraintDefinition(view, k, args[1] === true);
    }
    case 'pg_get_expr': return storedExpression(view, args[0] as string, args[1] as number, args[2] === true);
    case 'pg_table_is_visible': {
      const oid = args[0] as number;
      const rel = c.get('table', oid) ?? c.get('index', oid) ?? c.get('sequence', oid);
      if (rel === undefined) return null;
      const path = view.searchPathSchemas();
      const first = path.find((s) => c.tableIn(s.oid, rel.name) !== undefined || c.indexIn(s.oid, rel.name) !== undefined || c.sequenceIn(s.oid, rel.name) !== undefined);
      return first?.oid === rel.schemaOid;
    }
    case 'pg_type_is_visible': return true;
    case 'pg_get_userbyid': {
      const oid = args[0] as number;
      if (oid === PG_DATABASE_OWNER) return 'pg_database_owner';
      for (const r of view.session.currentSharedCatalog().all('role')) if (r.oid === oid) return r.name;
      return `unknown (OID=${oid})`;
    }
    case 'obj_description': {
      const classname = args.length > 1 ? args[1] : 'pg_class';
      if (classname === 'pg_namespace') return c.get('schema', args[0] as number)?.name === 'public' ? 'standard public schema' : null;
      if (classname === 'pg_extension') return args[0] === PLPGSQL_EXTENSION ? 'PL/pgSQL procedural language' : null;
      if (classname !== 'pg_class') return null;
      const t = c.get('table', args[0] as number);
      return t?.comment ?? null;
    }
    case 'col_description': {
      const t = c.get('table', args[0] as number);
      const col = t?.columns.find((x) => x.attnum === args[1]);
      return (col as { comment?: string | null } | undefined)?.comment ?? null;
    }
    case 'regclassin': return view.regclassIn(String(args[0]));
    case 'regclassout': return view.relationName(args[0] as number) ?? String(args[0]);
    case 'regnamespaceout': return view.namespaceName(args[0] as number) ?? String(args[0]);
    case 'pg_encoding_to_char': return args[0] === 6 ? 'UTF8' : '';
    case 'version': return `PostgreSQL ${SERVER_VERSION} (QuiverDB) on x86_64-pc-linux-gnu, compiled by TypeScript, 64-bit`;
    case 'pg_get_viewdef': {
      const t = c.get('table', args[0] as number);
      return t?.viewSql === null || t === undefined ? null : ` ${t.viewSql};`;
    }
    case 'pg_backend_pid': return view.session.processId;
    case 'has_table_privilege': case 'has_schema_privilege': case 'has_database_privilege': case 'pg_has_role':
    case 'has_sequence_privilege': case 'has_function_privilege': case 'has_column_privilege': return true;
    case 'pg_postmaster_start_time': return BigInt(view.db.startTime - 946_684_800_000) * 1000n;
    case 'pg_relation_is_publishable': {
      const t = c.get('table', args[0] as number);
      return t !== undefined && t.kind === 'r';
    }
    case 'pg_get_serial_sequence': return serialSequence(view, args[0] as string, args[1] as string);
    case 'lastval': {
      const oid = view.session.lastSequenceOid;
      const v = oid === null ? undefined : view.session.currvals.get(oid);
      if (v === undefined) throw new SqlError(SQLSTATE.OBJECT_NOT_IN_PREREQUISITE_STATE, 'lastval is not yet defined in this session');
      return v;
    }
    case 'txid_current': {
      const id = view.session.block?.txn?.id;
      return id === undefined ? null : BigInt(id);
    }
    case 'inet_server_port': case 'inet_client_port': return null;
    case 'current_setting': {
      const settingName = args[0] as string;
      try {
        return currentSetting(view, settingName);
      } catch (e) {
        if (args[1] === true && e instanceof SqlError && e.code === SQLSTATE.UNDEFINED_OBJECT) return null;
        throw e;
      }
    }
    case 'set_config': {
      const s = view.session;
      const local = args[2] === true;
      if (local && s.block === null) return currentSetting(view, args[0] as string);
      const r = s.settings.set(args[0] as string, args[1] as string | null, local, s.block !== null);
      return r.value;
    }
    case 'pg_relation_size': case 'pg_total_relation_size': case 'pg_table_size': case 'pg_indexes_size':
      return relationSize(view, name, args[0] as number, (args[1] as string | undefined) ?? 'main');
    default: return undefined;
  }
}

/**
 * pg_get_expr over what QuiverDB stores as SQL text (pg_attrdef.adbin, pg_constraint.conbin): the
 * expression is bound against its table again and printed as PostgreSQL prints the analyzed tree;
 * the stored text is returned when the expression cannot be found or printed that way.
 */
function storedExpression(view: SessionCatalogView, text: string, relid: number, pretty: boolean): string {
  const t = view.catalog.get('table', relid);
  if (t === undefined) return text;
  try {
    const names = { relationName: (oid: number) => view.relationName(oid) };
    const col = t.columns.find((c) => c.defaultSql === text && !c.dropped);
    if (col !== undefined) {
      // PostgreSQL hides the coercion to the column type at the top, so print the expression as
      // bound before that coercion; a bare string literal takes the column's type ('x'::text).
      const binder = new QueryBinder(view, []);
      let bound = binder.exprs.bind(parseExpr(text), { scope: new Scope(null), aggregates: null, clause: 'DEFAULT', allowSrf: false });
      if (bound.kind === 'const' && bound.type.oid === OID.unknown) bound = { kind: 'cast', arg: bound, type: { oid: col.type.oid, typmod: -1 }, explicit: true };
      return deparseExpr(bound, pretty, names) ?? text;
    }
    const k = view.catalog.constraintsOf(t.oid).find((x) => x.type === 'c' && x.checkSql === text);
    const bound = k === undefined ? undefined : view.checksOf(t).find((x) => x.name === k.name);
    return (bound === undefined ? undefined : deparseExpr(bound.expr, pretty, names)) ?? text;
  } catch {
    return text;
  }
}

/** Column default as information_schema.columns shows it (pg_get_expr without pretty-printing). */
export function columnDefault(view: SessionCatalogView, t: TableDesc, attnum: number): string | null {
  const col = t.columns.find((c) => c.attnum === attnum);
  if (col === undefined || col.defaultSql === null) return null;
  return storedExpression(view, col.defaultSql, t.oid, false);
}

/** OID of the built-in role that owns the public schema in PostgreSQL 15. */
export const PG_DATABASE_OWNER = 6171;
/** pg_extension OID of the one extension listed (plpgsql, built in). */
export const PLPGSQL_EXTENSION = 13559;

/** Bytes per row the size functions assume (PostgreSQL's heap: 24-byte tuple header + data, 8 kB pages). */
const ROW_BYTES_ESTIMATE = 64;
const PAGE = 8192;

/**
 * pg_relation_size and friends: QuiverDB keeps rows in one LMDB key space, not in files per
 * relation, so these are estimates from the planner's row count (whole 8 kB pages, 0 for an empty
 * table), not measured sizes.
 */
function relationSize(view: SessionCatalogView, fnName: string, oid: number, fork: string): bigint | null {
  const c = view.catalog;
  const pages = (rows: number, width: number): bigint => BigInt(Math.ceil((rows * width) / PAGE)) * BigInt(PAGE);
  const t = c.get('table', oid);
  if (t !== undefined) {
    if (t.kind !== 'r') return 0n;
    const rows = view.db.rowCount(t);
    const heap = fork === 'main' ? pages(rows, ROW_BYTES_ESTIMATE) : 0n;
    // PostgreSQL gives a table with a varlena column a TOAST table whose index has one page.
    const toast = t.columns.some((col) => !col.dropped && isVarlena(col.type.oid)) ? BigInt(PAGE) : 0n;
    const indexes = c.indexesOf(t.oid).reduce((sum) => sum + pages(rows, 32) + BigInt(PAGE), 0n);
    if (fnName === 'pg_indexes_size') return indexes;
    if (fnName === 'pg_total_relation_size') return heap + toast + indexes;
    if (fnName === 'pg_table_size') return heap + toast;
    return heap;
  }
  const i = c.get('index', oid);
  if (i !== undefined) {
    const tbl = c.get('table', i.tableOid);
    if (fnName === 'pg_indexes_size') return 0n;
    return fork === 'main' ? pages(tbl === undefined ? 0 : view.db.rowCount(tbl), 32) + BigInt(PAGE) : 0n;
  }
  if (c.get('sequence', oid) !== undefined) return fork === 'main' && fnName !== 'pg_indexes_size' ? BigInt(PAGE) : 0n;
  return null;
}

function isVarlena(typeOid: number): boolean {
  return (typeInfo(typeOid)?.len ?? -1) === -1 && typeOid !== OID.int2vector && typeOid !== OID.oidvector;
}

function currentSetting(view: SessionCatalogView, settingName: string): string {
  const s = view.session;
  const lower = settingName.toLowerCase();
  if (lower === 'transaction_isolation') return s.block?.isolation ?? s.settings.get('default_transaction_isolation');
  if (lower === 'transaction_read_only') return (s.block?.readOnly ?? false) ? 'on' : 'off';
  return s.settings.show(lower === 'timezone' ? 'TimeZone' : settingName).value;
}

/** pg_get_serial_sequence(table, column): the qualified name of the sequence the column owns. */
function serialSequence(view: SessionCatalogView, table: string, column: string): string | null {
  const oid = view.regclassIn(table);
  const t = view.catalog.get('table', oid);
  // The column name is taken literally (not parsed as an identifier), as PostgreSQL does.
  const colName = column;
  const col = t?.columns.find((x) => x.name === colName && !x.dropped);
  if (t === undefined || col === undefined) {
    throw new SqlError(SQLSTATE.UNDEFINED_COLUMN, `column "${colName}" of relation "${t?.name ?? table}" does not exist`);
  }
  for (const q of view.catalog.all('sequence')) {
    if (q.ownedBy?.tableOid === t.oid && q.ownedBy.attnum === col.attnum) {
      return `${quoteIdent(view.catalog.get('schema', q.schemaOid)?.name ?? '')}.${quoteIdent(q.name)}`;
    }
  }
  return null;
}

export function indexDefinition(view: SessionCatalogView, i: IndexDesc, pretty = false): string {
  const t = view.catalog.get('table', i.tableOid)!;
  const schema = view.catalog.get('schema', t.schemaOid)?.name ?? 'public';
  if (i.method !== 'btree') {
    const exprSql = i.exprs?.[0] ?? null;
    let keyText = quoteIdent(t.columns.find((x) => x.attnum === i.columns[0])?.name ?? '');
    if (exprSql !== null) {
      const key = view.annKeyOf(t, i);
      const printed = key === null ? undefined : deparseExpr(key, pretty);
      keyText = key !== null && key.kind === 'call' && key.fn.kind === 'function' && printed !== undefined ? printed : `(${printed ?? exprSql})`;
    }
    return `CREATE INDEX ${quoteIdent(i.name)} ON ${quoteIdent(schema)}.${quoteIdent(t.name)} ${annIndexDefinition(i, keyText)}`;
  }
  const cols = i.columns.map((a, k) => {
    const col = t.columns.find((x) => x.attnum === a)!;
    let s = quoteIdent(col.name);
    if (i.descending[k]) s += ' DESC';
    if (i.nullsFirst[k] !== (i.descending[k] ?? false)) s += i.nullsFirst[k] ? ' NULLS FIRST' : ' NULLS LAST';
    return s;
  });
  return `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(i.name)} ON ${quoteIdent(schema)}.${quoteIdent(t.name)} USING ${i.method} (${cols.join(', ')})`;
}

export function constraintDefinition(view: SessionCatalogView, k: ConstraintDesc, pretty = false): string {
  const t = view.catalog.get('table', k.tableOid)!;
  const names = (tableOid: number, attnums: number[]): string => {
    const tbl = view.catalog.get('table', tableOid)!;
    return attnums.map((a) => quoteIdent(tbl.columns.find((x) => x.attnum === a)!.name)).join(', ');
  };
  switch (k.type) {
    case 'p': return `PRIMARY KEY (${names(t.oid, k.columns)})`;
    case 'u': return `UNIQUE (${names(t.oid, k.columns)})`;
    case 'c': {
      const bound = view.checksOf(t).find((x) => x.name === k.name);
      const text = bound === undefined ? undefined : deparseExpr(bound.expr, pretty, { relationName: (oid: number) => view.relationName(oid) });
      return text !== undefined ? `CHECK (${text})` : pretty ? `CHECK (${k.checkSql})` : `CHECK ((${k.checkSql}))`;
    }
    case 'f': {
      const ref = view.catalog.get('table', k.refTableOid!)!;
      const action = (a: string): string => ({ a: '', r: ' RESTRICT', c: ' CASCADE', n: ' SET NULL', d: ' SET DEFAULT' } as Record<string, string>)[a] ?? '';
      const del = k.onDelete === 'a' ? '' : ` ON DELETE${action(k.onDelete)}`;
      const upd = k.onUpdate === 'a' ? '' : ` ON UPDATE${action(k.onUpdate)}`;
      return `FOREIGN KEY (${names(t.oid, k.columns)}) REFERENCES ${view.relationName(ref.oid) ?? quoteIdent(ref.name)}(${names(ref.oid, k.refColumns)})${upd}${del}`;
    }
    default: return '';
  }
}
