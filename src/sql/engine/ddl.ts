// DDL: CREATE/ALTER/DROP of tables, indexes, views, sequences, schemas, databases and roles,
// TRUNCATE, COMMENT and RENAME. Each statement changes the transaction's copy of the catalog (so
// it commits or rolls back with the transaction) and rewrites data where PostgreSQL would
// (index builds, ADD COLUMN defaults, TRUNCATE, DROP).
import { SqlError, SQLSTATE, LIMITS, notSupported, scramSecret, md5Secret, isMd5Secret, parseScramSecret } from '../../base/index.js';
import {
  creationSchema, isAnnMethod, type Catalog, type ColumnDesc, type ConstraintDesc, type IndexDesc, type SchemaDesc,
  type SequenceDesc, type TableDesc,
} from '../../catalog/index.js';
import { tableKeyPrefix, tablePrefix, prefixEnd, compareKeys } from '../../keys/index.js';
import {
  nodeTag, nodeBody, nameList, strVal, deparseRawExpr, quoteIdent, type RawStatement, type PgNode,
} from '../parse/index.js';
import { OID, formatType, textOut, type SqlType, type Datum } from '../types/index.js';
import {
  QueryBinder, Scope, coerce, parseExpr, assign, visitExpr, type BoundExpr, type BoundQuery, type FromItem,
} from '../analyze/index.js';
import {
  compileExpr, layoutOf, decodeStoredRow, decodeStoredColumns, encodeStoredRow, indexLayoutOf, indexEntryKey, storageKeyOf, RowWriter,
} from '../exec/index.js';
import type { ResultSink } from './session-api.js';
import type { Session } from './session.js';
import { SessionCatalogView, splitQualified } from './catalog-view.js';
import { createAnnIndex, dropVectorExtension } from './ann-ddl.js';

const DDL_TAGS = new Set([
  'CreateStmt', 'DropStmt', 'AlterTableStmt', 'IndexStmt', 'CreateSchemaStmt', 'CreatedbStmt', 'DropdbStmt', 'ViewStmt',
  'CreateSeqStmt', 'AlterSeqStmt', 'CreateRoleStmt', 'AlterRoleStmt', 'DropRoleStmt', 'TruncateStmt', 'CommentStmt',
  'RenameStmt', 'CreateTableAsStmt',
]);

export function isDdl(tag: string): boolean {
  return DDL_TAGS.has(tag);
}

export async function executeDdl(session: Session, raw: RawStatement, sink: ResultSink): Promise<string> {
  const n = nodeBody(raw.node);
  switch (raw.tag) {
    case 'CreateStmt': return createTable(session, n, sink);
    case 'IndexStmt': return createIndex(session, n, sink);
    case 'DropStmt': return drop(session, n, sink);
    case 'AlterTableStmt': return alterTable(session, n, sink);
    case 'RenameStmt': return rename(session, n);
    case 'ViewStmt': return createView(session, n, raw);
    case 'CreateSchemaStmt': return createSchema(session, n, sink);
    case 'CreatedbStmt': return createDatabase(session, n);
    case 'DropdbStmt': return dropDatabase(session, n, sink);
    case 'CreateSeqStmt': return createSequence(session, n, sink);
    case 'AlterSeqStmt': return alterSequence(session, n);
    case 'CreateRoleStmt': return createRole(session, n);
    case 'AlterRoleStmt': return alterRole(session, n);
    case 'DropRoleStmt': return dropRole(session, n, sink);
    case 'TruncateStmt': return truncate(session, n);
    case 'CommentStmt': return comment(session, n);
    case 'CreateTableAsStmt': return createTableAs(session, n, sink);
    default: throw notSupported(raw.tag);
  }
}

// ---- helpers -------------------------------------------------------------------------------------------

function viewOf(session: Session, catalog: Catalog): SessionCatalogView {
  return new SessionCatalogView(session.db, catalog, session);
}

function checkIdentifier(name: string): string {
  if (Buffer.byteLength(name) > LIMITS.identifierBytesMax) {
    // PostgreSQL truncates (with a NOTICE); so do we.
    let s = name;
    while (Buffer.byteLength(s) > LIMITS.identifierBytesMax) s = s.slice(0, -1);
    return s;
  }
  return name;
}

/** The session's temporary schema (pg_temp_N), created on first use. */
function tempSchema(session: Session, catalog: Catalog): SchemaDesc {
  const name = session.tempSchemaName;
  let s = catalog.schema(name);
  if (s === undefined) {
    s = { oid: catalog.allocateOid(), dbOid: catalog.dbOid, name, owner: session.user };
    catalog.put('schema', s);
  }
  return s;
}

function schemaFor(session: Session, catalog: Catalog, rv: PgNode): SchemaDesc {
  const schemaName = rv.schemaname as string | undefined;
  if (rv.relpersistence === 't' || schemaName === 'pg_temp') return tempSchema(session, catalog);
  if (schemaName !== undefined) {
    const s = catalog.schema(schemaName);
    if (s === undefined) throw new SqlError(SQLSTATE.INVALID_SCHEMA_NAME, `schema "${schemaName}" does not exist`);
    if (schemaName === 'pg_catalog' || schemaName === 'information_schema') {
      throw new SqlError(SQLSTATE.INSUFFICIENT_PRIVILEGE, `permission denied to create "${schemaName}.${rv.relname as string}"`);
    }
    return s;
  }
  return creationSchema(catalog, session.settings.searchPath(), session.user);
}

/** A relation or constraint name not yet used in the schema: base, base1, base2, ... */
function uniqueName(catalog: Catalog, schemaOid: number, base: string, constraint = false): string {
  const trimmed = checkIdentifier(base);
  for (let i = 0; ; i++) {
    const name = i === 0 ? trimmed : `${trimmed}${i}`;
    if (!catalog.relationNameTaken(schemaOid, name) && !(constraint && catalog.constraintIn(schemaOid, name) !== undefined)) return name;
  }
}

function lookupTable(session: Session, catalog: Catalog, rv: PgNode, missingOk = false): TableDesc | undefined {
  const view = viewOf(session, catalog);
  const found = view.findRelationOid((rv.schemaname as string | undefined) ?? null, rv.relname as string);
  if (found === undefined || (found.kind !== 'table' && found.kind !== 'view')) {
    if (missingOk) return undefined;
    throw new SqlError(SQLSTATE.UNDEFINED_TABLE, `relation "${rv.relname as string}" does not exist`);
  }
  return catalog.get('table', found.oid);
}

function columnPos(table: TableDesc, name: string): number {
  const i = table.columns.findIndex((c) => !c.dropped && c.name === name);
  if (i < 0) throw new SqlError(SQLSTATE.UNDEFINED_COLUMN, `column "${name}" of relation "${table.name}" does not exist`);
  return i;
}

function typeOf(session: Session, catalog: Catalog, typeName: PgNode): SqlType {
  const binder = new QueryBinder(viewOf(session, catalog), []);
  return binder.exprs.typeFromTypeName(typeName);
}

/** Binds an expression over a table's physical row (for DEFAULT validation and CHECK). */
function bindOverTable(session: Session, catalog: Catalog, table: TableDesc, node: PgNode, clause: string): { binder: QueryBinder; expr: BoundExpr } {
  const binder = new QueryBinder(viewOf(session, catalog), []);
  const scope = new Scope(null);
  scope.add({
    alias: table.name, qualifiedName: null,
    columns: table.columns.flatMap((c, i) => (c.dropped ? [] : [{ name: c.name, type: c.type, offset: i, tableOid: table.oid, attnum: c.attnum, hidden: false, system: false }])),
  });
  scope.width = table.columns.length;
  const expr = clause === 'CHECK'
    ? binder.exprs.bindCondition(node, { scope, aggregates: null, clause: 'check constraints', allowSrf: false }, 'CHECK')
    : binder.exprs.bind(node, { scope: new Scope(null), aggregates: null, clause: 'DEFAULT expressions', allowSrf: false });
  return { binder, expr };
}

async function lockTable(session: Session, tableOid: number): Promise<void> {
  const txn = session.ensureTxn();
  const { systemKey } = await import('../../keys/index.js');
  const wait = txn.lockRow(systemKey(`tbl/${tableOid}`), 'exclusive');
  if (wait !== undefined) await wait;
}

function serialType(names: string[]): { oid: number; max: bigint } | undefined {
  if (names.length !== 1) return undefined;
  switch (names[0]) {
    case 'serial': case 'serial4': return { oid: OID.int4, max: 2147483647n };
    case 'bigserial': case 'serial8': return { oid: OID.int8, max: 9223372036854775807n };
    case 'smallserial': case 'serial2': return { oid: OID.int2, max: 32767n };
    default: return undefined;
  }
}

function maxFor(oid: number): bigint {
  return oid === OID.int2 ? 32767n : oid === OID.int4 ? 2147483647n : 9223372036854775807n;
}

function newSequence(catalog: Catalog, schemaOid: number, name: string, owner: string, typeOid: number, options: PgNode[] = []): SequenceDesc {
  const seq: SequenceDesc = {
    oid: catalog.allocateOid(), name, schemaOid, owner, typeOid, start: '1', increment: '1', min: '1',
    max: String(maxFor(typeOid)), cycle: false, cache: 1, ownedBy: null,
  };
  applySequenceOptions(seq, options, true);
  return seq;
}

function defInt(d: PgNode): bigint {
  const arg = d.arg as PgNode | undefined;
  if (arg === undefined) return 0n;
  const tag = nodeTag(arg);
  const b = nodeBody(arg);
  if (tag === 'Integer') return BigInt((b.ival as number | undefined) ?? 0);
  if (tag === 'Float') return BigInt(b.fval as string);
  if (tag === 'String') return BigInt(b.sval as string);
  return 0n;
}

function applySequenceOptions(seq: SequenceDesc, options: PgNode[], creating: boolean): { restart?: bigint | true } {
  let startGiven = false, minGiven = false, maxGiven = false;
  let restart: bigint | true | undefined;
  for (const o of options) {
    const d = nodeBody(o);
    switch (d.defname as string) {
      case 'start': seq.start = String(defInt(d)); startGiven = true; break;
      case 'increment': {
        const inc = defInt(d);
        if (inc === 0n) throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, 'INCREMENT must not be zero');
        seq.increment = String(inc);
        break;
      }
      case 'minvalue': if (d.arg !== undefined) { seq.min = String(defInt(d)); minGiven = true; } break;
      case 'maxvalue': if (d.arg !== undefined) { seq.max = String(defInt(d)); maxGiven = true; } break;
      case 'cycle': seq.cycle = nodeBody(d.arg).boolval === true; break;
      case 'cache': seq.cache = Number(defInt(d)); break;
      case 'restart': restart = d.arg === undefined ? true : defInt(d); break;
      case 'as': {
        const t = nameList(nodeBody(d.arg).names).at(-1);
        seq.typeOid = t === 'int2' ? OID.int2 : t === 'int4' ? OID.int4 : t === 'int8' ? OID.int8 : OID.int8;
        if (!maxGiven) seq.max = String(maxFor(seq.typeOid));
        break;
      }
      case 'owned_by': break;
      case 'sequence_name': break;
      default: throw notSupported(`sequence option ${d.defname as string}`);
    }
  }
  const inc = BigInt(seq.increment);
  if (creating && inc < 0n) {
    if (!maxGiven) seq.max = '-1';
    if (!minGiven) seq.min = String(-maxFor(seq.typeOid) - (seq.typeOid === OID.int8 ? 1n : 1n));
    if (!startGiven) seq.start = seq.max;
  } else if (creating && !startGiven) {
    seq.start = seq.min;
  }
  if (BigInt(seq.start) < BigInt(seq.min)) {
    throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, `START value (${seq.start}) cannot be less than MINVALUE (${seq.min})`);
  }
  if (BigInt(seq.start) > BigInt(seq.max)) {
    throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, `START value (${seq.start}) cannot be greater than MAXVALUE (${seq.max})`);
  }
  return restart === undefined ? {} : { restart };
}

/**
 * Checks that a new relation name is free in the schema. With IF NOT EXISTS a taken name gives
 * PostgreSQL's NOTICE and false (skip the statement); without, 42P07.
 */
function relationNameFree(catalog: Catalog, schemaOid: number, name: string, ifNotExists: boolean, sink: ResultSink): boolean {
  if (!catalog.relationNameTaken(schemaOid, name)) return true;
  if (ifNotExists) {
    sink.notice({ severity: 'NOTICE', code: SQLSTATE.DUPLICATE_TABLE, message: `relation "${name}" already exists, skipping` });
    return false;
  }
  throw new SqlError(SQLSTATE.DUPLICATE_TABLE, `relation "${name}" already exists`);
}

// ---- CREATE TABLE ----------------------------------------------------------------------------------------

interface PendingConstraint {
  node: PgNode;
  /** Column-level constraints know their column. */
  column: string | null;
}

async function createTable(session: Session, n: PgNode, sink: ResultSink): Promise<string> {
  if (n.inhRelations !== undefined) throw notSupported('table inheritance (INHERITS)');
  if (n.partspec !== undefined || n.partbound !== undefined) throw notSupported('partitioned tables');
  if (n.ofTypename !== undefined) throw notSupported('typed tables (OF type)');
  const rv = n.relation as PgNode;
  if (n.oncommit !== undefined && n.oncommit !== 'ONCOMMIT_NOOP' && n.oncommit !== 'ONCOMMIT_PRESERVE_ROWS') throw notSupported('ON COMMIT DELETE ROWS / DROP');
  const catalog = await session.beginDdl();
  const schema = schemaFor(session, catalog, rv);
  const name = checkIdentifier(rv.relname as string);
  if (!relationNameFree(catalog, schema.oid, name, n.if_not_exists === true, sink)) return 'CREATE TABLE';
  const table: TableDesc = {
    oid: catalog.allocateOid(), name, schemaOid: schema.oid, kind: 'r', owner: session.user, columns: [],
    nextAttnum: 1, viewSql: null, rowCountEstimate: -1, storageKey: [], comment: null,
  };
  const pending: PendingConstraint[] = [];
  const sequences: SequenceDesc[] = [];
  const elts = (n.tableElts as PgNode[] | undefined) ?? [];
  if (elts.length > LIMITS.tableColumnsMax) throw new SqlError(SQLSTATE.TOO_MANY_COLUMNS, `tables can have at most ${LIMITS.tableColumnsMax} columns`);
  for (const e of elts) {
    const tag = nodeTag(e);
    const b = nodeBody(e);
    if (tag === 'Constraint') { pending.push({ node: b, column: null }); continue; }
    if (tag === 'TableLikeClause') throw notSupported('CREATE TABLE ... (LIKE ...)');
    if (tag !== 'ColumnDef') throw notSupported(`table element ${tag}`);
    const colName = checkIdentifier(b.colname as string);
    if (table.columns.some((c) => c.name === colName)) {
      throw new SqlError(SQLSTATE.DUPLICATE_COLUMN, `column "${colName}" specified more than once`);
    }
    const col = columnFromDef(session, catalog, table, b, schema, sequences, pending);
    table.columns.push(col);
  }
  table.nextAttnum = table.columns.length + 1;
  catalog.put('table', table);
  for (const s of sequences) {
    catalog.put('sequence', s);
  }
  await addConstraints(session, catalog, table, pending, true);
  validateDefaults(session, catalog, catalog.get('table', table.oid)!);
  return 'CREATE TABLE';
}

function columnFromDef(
  session: Session, catalog: Catalog, table: TableDesc, b: PgNode, schema: SchemaDesc, sequences: SequenceDesc[], pending: PendingConstraint[],
): ColumnDesc {
  const colName = checkIdentifier(b.colname as string);
  const names = nameList(b.typeName.names);
  const serial = serialType(names);
  let type: SqlType;
  let defaultSql: string | null = null;
  let notNull = b.is_not_null === true;
  let identity: ColumnDesc['identity'] = '';
  let sequenceOid: number | null = null;
  if (serial !== undefined) {
    type = { oid: serial.oid, typmod: -1 };
  } else {
    type = typeOf(session, catalog, b.typeName);
    if (type.oid === OID.unknown || type.oid === OID.void || type.oid === OID.record) {
      throw new SqlError(SQLSTATE.INVALID_TABLE_DEFINITION, `column "${colName}" has pseudo-type ${formatType(type.oid, -1)}`);
    }
  }
  const makeSequence = (options: PgNode[] = []): void => {
    const seqName = uniqueName(catalog, schema.oid, `${table.name}_${colName}_seq`);
    const seq = newSequence(catalog, schema.oid, seqName, session.user, type.oid, options);
    seq.ownedBy = { tableOid: table.oid, attnum: table.columns.length + 1 };
    if (serial !== undefined) seq.max = String(serial.max);
    sequences.push(seq);
    catalog.put('sequence', seq); // reserve the name for later unique names
    sequenceOid = seq.oid;
    const schemaPrefix = schema.name === 'public' ? '' : `${quoteIdent(schema.name)}.`;
    defaultSql = `nextval('${schemaPrefix}${quoteIdent(seqName)}'::regclass)`;
    notNull = true;
  };
  if (serial !== undefined) makeSequence();
  for (const c of (b.constraints as PgNode[] | undefined) ?? []) {
    const cb = nodeBody(c);
    switch (cb.contype as string) {
      case 'CONSTR_NOTNULL': notNull = true; break;
      case 'CONSTR_NULL': notNull = false; break;
      case 'CONSTR_DEFAULT':
        if (serial !== undefined || identity !== '') {
          throw new SqlError(SQLSTATE.SYNTAX_ERROR, `multiple default values specified for column "${colName}" of table "${table.name}"`);
        }
        defaultSql = deparseRawExpr(cb.raw_expr);
        break;
      case 'CONSTR_IDENTITY':
        if (type.oid !== OID.int2 && type.oid !== OID.int4 && type.oid !== OID.int8) {
          throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, 'identity column type must be smallint, integer, or bigint');
        }
        identity = cb.generated_when === 'a' ? 'a' : 'd';
        makeSequence((cb.options as PgNode[] | undefined) ?? []);
        break;
      case 'CONSTR_GENERATED': throw notSupported('generated columns');
      default: pending.push({ node: cb, column: colName });
    }
  }
  if (b.collClause !== undefined) {
    const coll = nameList(nodeBody({ CollateClause: b.collClause }).collname).join('.');
    if (coll !== 'C' && coll !== 'POSIX' && coll !== 'default') throw notSupported(`COLLATE "${coll}"`);
  }
  return {
    name: colName, attnum: table.columns.length + 1, type, notNull, defaultSql, identity, sequenceOid,
    dropped: false, missingText: null,
  };
}

/** DEFAULT expressions must bind and coerce to the column type (errors at CREATE, as in PostgreSQL). */
function validateDefaults(session: Session, catalog: Catalog, table: TableDesc): void {
  for (const c of table.columns) {
    if (c.dropped || c.defaultSql === null) continue;
    const { binder, expr } = bindOverTable(session, catalog, table, parseExpr(c.defaultSql), 'DEFAULT');
    assign(expr, c, binder);
  }
}

async function addConstraints(session: Session, catalog: Catalog, table0: TableDesc, pending: PendingConstraint[], creating: boolean): Promise<void> {
  let table = table0;
  const schemaOid = table.schemaOid;
  for (const p of pending) {
    const c = p.node;
    const contype = c.contype as string;
    const keys = p.column !== null && (contype === 'CONSTR_PRIMARY' || contype === 'CONSTR_UNIQUE')
      ? [p.column] : nameList(c.keys);
    if ((c.including as PgNode[] | undefined)?.length) throw notSupported('INCLUDE columns');
    if (c.deferrable) throw notSupported('DEFERRABLE constraints');
    switch (contype) {
      case 'CONSTR_PRIMARY': case 'CONSTR_UNIQUE': {
        const primary = contype === 'CONSTR_PRIMARY';
        if (primary && catalog.constraintsOf(table.oid).some((k) => k.type === 'p')) {
          throw new SqlError(SQLSTATE.INVALID_TABLE_DEFINITION, `multiple primary keys for table "${table.name}" are not allowed`);
        }
        const attnums = keys.map((k) => {
          const pos = table.columns.findIndex((col) => !col.dropped && col.name === k);
          if (pos < 0) throw new SqlError(SQLSTATE.UNDEFINED_COLUMN, `column "${k}" named in key does not exist`);
          return table.columns[pos]!.attnum;
        });
        // A table stored by hidden rowid with no other index or reference moves to storage keyed by
        // the new primary key; that move reads every row once and checks for NULLs on the way.
        const rekey = primary && !creating && table.storageKey.length === 0 && table.kind === 'r'
          && catalog.indexesOf(table.oid).length === 0 && catalog.referencingConstraints(table.oid).length === 0;
        if (primary) {
          table = { ...table, columns: table.columns.map((col) => (attnums.includes(col.attnum) ? { ...col, notNull: true } : col)) };
          if (creating) table.storageKey = attnums;
          catalog.put('table', table);
          if (!creating && !rekey) await checkNoNulls(session, catalog, table, attnums);
        }
        const base = primary ? `${table.name}_pkey` : `${table.name}_${keys.join('_')}_key`;
        const name = c.conname !== undefined ? checkIdentifier(c.conname as string) : uniqueName(catalog, schemaOid, base, true);
        if (c.conname !== undefined && (catalog.relationNameTaken(schemaOid, name) || catalog.constraintIn(schemaOid, name) !== undefined)) {
          throw new SqlError(SQLSTATE.DUPLICATE_TABLE, `relation "${name}" already exists`);
        }
        const conOid = catalog.allocateOid();
        const index: IndexDesc = {
          oid: catalog.allocateOid(), name, tableOid: table.oid, schemaOid, columns: attnums,
          descending: attnums.map(() => false), nullsFirst: attnums.map(() => false), unique: true, primary,
          method: 'btree', constraintOid: conOid,
        };
        catalog.put('index', index);
        catalog.put('constraint', {
          oid: conOid, name, tableOid: table.oid, schemaOid, type: primary ? 'p' : 'u', columns: attnums, checkSql: null,
          refTableOid: null, refColumns: [], onDelete: 'a', onUpdate: 'a', indexOid: index.oid,
        });
        if (rekey) {
          table = await rekeyByPrimaryKey(session, table, attnums, index);
          catalog.put('table', table);
        } else if (!creating || !(primary && creating)) await buildIndex(session, catalog, table, index);
        break;
      }
      case 'CONSTR_CHECK': {
        const sql = deparseRawExpr(c.raw_expr);
        const { expr } = bindOverTable(session, catalog, table, c.raw_expr, 'CHECK');
        const firstCol = p.column ?? firstColumnName(c.raw_expr);
        const base = firstCol === null ? `${table.name}_check` : `${table.name}_${firstCol}_check`;
        const name = c.conname !== undefined ? (c.conname as string) : uniqueName(catalog, schemaOid, base, true);
        if (catalog.constraintsOf(table.oid).some((k) => k.name === name)) {
          throw new SqlError(SQLSTATE.DUPLICATE_OBJECT, `constraint "${name}" for relation "${table.name}" already exists`);
        }
        if (!creating && c.skip_validation !== true) await validateCheck(session, catalog, table, name, expr);
        catalog.put('constraint', {
          oid: catalog.allocateOid(), name, tableOid: table.oid, schemaOid, type: 'c', columns: [], checkSql: sql,
          refTableOid: null, refColumns: [], onDelete: 'a', onUpdate: 'a', indexOid: null,
        });
        break;
      }
      case 'CONSTR_FOREIGN': {
        const fkCols = p.column !== null ? [p.column] : nameList(c.fk_attrs);
        const pkRv = c.pktable as PgNode;
        const ref = pkRv.relname === table.name && pkRv.schemaname === undefined ? catalog.get('table', table.oid)! : lookupTable(session, catalog, pkRv)!;
        if (ref.kind !== 'r') throw new SqlError(SQLSTATE.WRONG_OBJECT_TYPE, `referenced relation "${ref.name}" is not a table`);
        let refCols = nameList(c.pk_attrs);
        if (refCols.length === 0) {
          const pk = catalog.constraintsOf(ref.oid).find((k) => k.type === 'p');
          if (pk === undefined) {
            throw new SqlError(SQLSTATE.UNDEFINED_OBJECT, `there is no primary key for referenced table "${ref.name}"`);
          }
          refCols = pk.columns.map((a) => ref.columns.find((col) => col.attnum === a)!.name);
        }
        if (refCols.length !== fkCols.length) {
          throw new SqlError(SQLSTATE.INVALID_FOREIGN_KEY, 'number of referencing and referenced columns for foreign key disagree');
        }
        const fkAttnums = fkCols.map((k) => {
          const pos = table.columns.findIndex((col) => !col.dropped && col.name === k);
          if (pos < 0) throw new SqlError(SQLSTATE.UNDEFINED_COLUMN, `column "${k}" referenced in foreign key constraint does not exist`);
          return table.columns[pos]!.attnum;
        });
        const refAttnums = refCols.map((k) => {
          const col = ref.columns.find((x) => !x.dropped && x.name === k);
          if (col === undefined) throw new SqlError(SQLSTATE.UNDEFINED_COLUMN, `column "${k}" referenced in foreign key constraint does not exist`);
          return col.attnum;
        });
        const hasUnique = catalog.constraintsOf(ref.oid).some((k) => (k.type === 'p' || k.type === 'u') && sameSet(k.columns, refAttnums));
        if (!hasUnique) {
          throw new SqlError(SQLSTATE.INVALID_FOREIGN_KEY, `there is no unique constraint matching given keys for referenced table "${ref.name}"`);
        }
        for (let i = 0; i < fkAttnums.length; i++) {
          const a = table.columns.find((col) => col.attnum === fkAttnums[i])!;
          const b = ref.columns.find((col) => col.attnum === refAttnums[i])!;
          if (a.type.oid !== b.type.oid && !compatibleKeyTypes(a.type.oid, b.type.oid)) {
            throw new SqlError(SQLSTATE.DATATYPE_MISMATCH, `foreign key constraint "${c.conname ?? `${table.name}_${fkCols.join('_')}_fkey`}" cannot be implemented`, {
              detail: `Key columns "${a.name}" and "${b.name}" are of incompatible types: ${formatType(a.type.oid, -1)} and ${formatType(b.type.oid, -1)}.`,
            });
          }
          if (a.type.oid !== b.type.oid) throw notSupported('foreign keys between columns of different types');
        }
        const name = c.conname !== undefined ? (c.conname as string) : uniqueName(catalog, schemaOid, `${table.name}_${fkCols.join('_')}_fkey`, true);
        const onDelete = (c.fk_del_action as string | undefined) ?? 'a';
        const onUpdate = (c.fk_upd_action as string | undefined) ?? 'a';
        const con: ConstraintDesc = {
          oid: catalog.allocateOid(), name, tableOid: table.oid, schemaOid, type: 'f', columns: fkAttnums, checkSql: null,
          refTableOid: ref.oid, refColumns: refAttnums, onDelete, onUpdate, indexOid: null,
        };
        catalog.put('constraint', con);
        if (!creating) await validateForeignKey(session, catalog, table, con);
        break;
      }
      case 'CONSTR_EXCLUSION': throw notSupported('exclusion constraints');
      default: throw notSupported(`constraint ${contype}`);
    }
  }
}

function compatibleKeyTypes(a: number, b: number): boolean {
  const ints: number[] = [OID.int2, OID.int4, OID.int8];
  return ints.includes(a) && ints.includes(b);
}

function sameSet(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function firstColumnName(node: PgNode): string | null {
  let found: string | null = null;
  const walk = (x: unknown): void => {
    if (found !== null || x === null || typeof x !== 'object') return;
    if (Array.isArray(x)) { x.forEach(walk); return; }
    const o = x as PgNode;
    if (o['ColumnRef'] !== undefined) {
      const f = (o['ColumnRef'].fields as PgNode[]).map(strVal);
      found = f.at(-1) ?? null;
      return;
    }
    for (const v of Object.values(o)) walk(v);
  };
  walk(node);
  return found;
}

/** Scans a table's rows at the transaction's view (own writes included). */
function* tableRows(session: Session, table: TableDesc): Iterable<{ key: Buffer; row: Datum[] }> {
  const txn = session.ensureTxn();
  const layout = layoutOf(table);
  for (const [key, value] of txn.scan(layout.prefix, layout.prefixEnd)) yield { key: Buffer.from(key), row: decodeStoredRow(layout, value) };
}

async function checkNoNulls(session: Session, _catalog: Catalog, table: TableDesc, attnums: number[]): Promise<void> {
  await lockTable(session, table.oid);
  const positions = attnums.map((a) => table.columns.findIndex((c) => c.attnum === a));
  for (const { row } of tableRows(session, table)) {
    for (const p of positions) {
      if (row[p] === null) throw nullsInKey(table, p);
    }
  }
}

function nullsInKey(table: TableDesc, position: number): SqlError {
  return new SqlError(SQLSTATE.NOT_NULL_VIOLATION, `column "${table.columns[position]!.name}" of relation "${table.name}" contains null values`);
}

async function validateCheck(session: Session, catalog: Catalog, table: TableDesc, name: string, expr: BoundExpr): Promise<void> {
  await lockTable(session, table.oid);
  const view = viewOf(session, catalog);
  const ctx = session.makeExecContext(session.ensureTxn(), [], view);
  const f = compileExpr(expr);
  for (const { row } of tableRows(session, table)) {
    if (f(row, ctx) === false) {
      throw new SqlError(SQLSTATE.CHECK_VIOLATION, `check constraint "${name}" of relation "${table.name}" is violated by some row`);
    }
  }
}

async function validateForeignKey(session: Session, catalog: Catalog, table: TableDesc, con: ConstraintDesc): Promise<void> {
  await lockTable(session, table.oid);
  const view = viewOf(session, catalog);
  const ctx = session.makeExecContext(session.ensureTxn(), [], view);
  const positions = con.columns.map((a) => table.columns.findIndex((c) => c.attnum === a));
  const refTable = catalog.get('table', con.refTableOid!)!;
  const refLayout = layoutOf(refTable);
  const refPositions = con.refColumns.map((a) => refTable.columns.findIndex((c) => c.attnum === a));
  const existing = new Set<string>();
  for (const [, value] of ctx.txn.scan(refLayout.prefix, refLayout.prefixEnd)) {
    const r = decodeStoredRow(refLayout, value);
    existing.add(JSON.stringify(refPositions.map((p) => keyText(r[p] ?? null, refTable.columns[p]!.type))));
  }
  for (const { row } of tableRows(session, table)) {
    const values = positions.map((p) => row[p] ?? null);
    if (values.includes(null)) continue;
    const k = JSON.stringify(values.map((v, i) => keyText(v, table.columns[positions[i]!]!.type)));
    if (!existing.has(k)) {
      throw new SqlError(SQLSTATE.FOREIGN_KEY_VIOLATION, `insert or update on table "${table.name}" violates foreign key constraint "${con.name}"`, {
        detail: `Key (${con.columns.map((a) => table.columns.find((c) => c.attnum === a)!.name).join(', ')})=(${values.map((v, i) => keyText(v, table.columns[positions[i]!]!.type)).join(', ')}) is not present in table "${refTable.name}".`,
      });
    }
  }
}

function keyText(v: Datum, type: SqlType): string {
  return v === null ? 'null' : textOut(type, v);
}

/** Writes entries for every existing row into a new index (checking uniqueness). */
async function buildIndex(session: Session, catalog: Catalog, table: TableDesc, index: IndexDesc): Promise<void> {
  await lockTable(session, table.oid);
  const txn = session.ensureTxn();
  const layout = layoutOf(table);
  const il = indexLayoutOf(table, index);
  const seen = new Map<string, Datum[]>();
  const writes: Array<[Buffer, Buffer]> = [];
  for (const { key, row } of tableRows(session, table)) {
    const entry = indexEntryKey(layout, il, row, key);
    if (index.unique) {
      const values = il.positions.map((p) => row[p] ?? null);
      if (!values.includes(null)) {
        const k = entry.toString('latin1');
        if (seen.has(k)) {
          throw new SqlError(SQLSTATE.UNIQUE_VIOLATION, `could not create unique index "${index.name}"`, {
            detail: `Key (${il.positions.map((p) => table.columns[p]!.name).join(', ')})=(${values.map((v, i) => keyText(v, il.types[i]!)).join(', ')}) is duplicated.`,
          });
        }
        seen.set(k, values);
      }
    }
    writes.push([entry, key]);
  }
  // The index is new (OIDs are never reused): its entries have no older versions.
  for (const [k, v] of writes) txn.putOwned(k, v, true);
  void catalog;
}

// ---- CREATE TABLE AS ------------------------------------------------------------------------------------

async function createTableAs(session: Session, n: PgNode, sink: ResultSink): Promise<string> {
  if (n.objtype !== 'OBJECT_TABLE') throw notSupported('CREATE MATERIALIZED VIEW');
  const into = n.into as PgNode;
  const rv = into.rel as PgNode;
  const catalog = await session.beginDdl();
  const schema = schemaFor(session, catalog, rv);
  const name = checkIdentifier(rv.relname as string);
  if (!relationNameFree(catalog, schema.oid, name, n.if_not_exists === true, sink)) return 'CREATE TABLE AS';
  const query = new QueryBinder(viewOf(session, catalog), []).bindQuery(n.query, null);
  const aliases = nameList(into.colNames);
  if (aliases.length > query.columns.length) throw new SqlError(SQLSTATE.SYNTAX_ERROR, 'too many column names were specified');
  const columns: ColumnDesc[] = query.columns.map((c, i) => ({
    name: aliases[i] ?? c.name, attnum: i + 1, type: c.type.oid === OID.unknown ? { oid: OID.text, typmod: -1 } : c.type,
    notNull: false, defaultSql: null, identity: '', sequenceOid: null, dropped: false, missingText: null,
  }));
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c.name)) throw new SqlError(SQLSTATE.DUPLICATE_COLUMN, `column "${c.name}" specified more than once`);
    seen.add(c.name);
  }
  const table: TableDesc = {
    oid: catalog.allocateOid(), name, schemaOid: schema.oid, kind: 'r', owner: session.user, columns,
    nextAttnum: columns.length + 1, viewSql: null, rowCountEstimate: -1, storageKey: [], comment: null,
  };
  catalog.put('table', table);
  if (into.skipData === true) return 'CREATE TABLE AS';
  const { rows } = session.collectRows(query, []);
  const view = viewOf(session, catalog);
  const writer = new RowWriter(session.makeExecContext(session.ensureTxn(), [], view), view);
  for (const r of rows) await writer.insert(table, r.slice(0, columns.length));
  session.addRowDelta(table.oid, rows.length);
  return `SELECT ${rows.length}`;
}

// ---- CREATE INDEX -------------------------------------------------------------------------------------------

async function createIndex(session: Session, n: PgNode, sink: ResultSink): Promise<string> {
  const method = (n.accessMethod as string | undefined) ?? 'btree';
  if (method !== 'btree' && !isAnnMethod(method)) {
    throw new SqlError(SQLSTATE.UNDEFINED_OBJECT, `access method "${method}" does not exist`);
  }
  if (n.whereClause !== undefined) throw notSupported('partial indexes (CREATE INDEX ... WHERE)');
  if ((n.indexIncludingParams as PgNode[] | undefined)?.length) throw notSupported('INCLUDE columns');
  const catalog = await session.beginDdl();
  const table = lookupTable(session, catalog, n.relation)!;
  if (table.kind !== 'r') throw new SqlError(SQLSTATE.WRONG_OBJECT_TYPE, `"${table.name}" is not a table`);
  if (isAnnMethod(method)) {
    const params = n.indexParams as PgNode[];
    const base = params.length === 1 && nodeBody(params[0]!).name !== undefined ? `${nodeBody(params[0]!).name as string}` : 'expr';
    const name = n.idxname !== undefined ? checkIdentifier(n.idxname as string) : uniqueName(catalog, table.schemaOid, `${table.name}_${base}_idx`);
    if (!relationNameFree(catalog, table.schemaOid, name, n.if_not_exists === true, sink)) return 'CREATE INDEX';
    await lockTable(session, table.oid);
    await createAnnIndex({ session, catalog, view: viewOf(session, catalog), table, n, name, oid: catalog.allocateOid() });
    return 'CREATE INDEX';
  }
  const columns: number[] = [];
  const descending: boolean[] = [];
  const nullsFirst: boolean[] = [];
  const names: string[] = [];
  for (const p of n.indexParams as PgNode[]) {
    const e = nodeBody(p);
    if (e.name === undefined) throw notSupported('expression indexes');
    if (e.opclass !== undefined) throw notSupported('operator classes in CREATE INDEX');
    if (e.collation !== undefined) throw notSupported('COLLATE in CREATE INDEX');
    const pos = columnPos(table, e.name as string);
    columns.push(table.columns[pos]!.attnum);
    names.push(e.name as string);
    const desc = e.ordering === 'SORTBY_DESC';
    descending.push(desc);
    nullsFirst.push(e.nulls_ordering === 'SORTBY_NULLS_FIRST' ? true : e.nulls_ordering === 'SORTBY_NULLS_LAST' ? false : desc);
  }
  const name = n.idxname !== undefined ? checkIdentifier(n.idxname as string) : uniqueName(catalog, table.schemaOid, `${table.name}_${names.join('_')}_idx`);
  if (!relationNameFree(catalog, table.schemaOid, name, n.if_not_exists === true, sink)) return 'CREATE INDEX';
  const index: IndexDesc = {
    oid: catalog.allocateOid(), name, tableOid: table.oid, schemaOid: table.schemaOid, columns, descending, nullsFirst,
    unique: n.unique === true, primary: false, method: 'btree', constraintOid: null,
  };
  catalog.put('index', index);
  await buildIndex(session, catalog, table, index);
  return 'CREATE INDEX';
}

// ---- DROP ------------------------------------------------------------------------------------------------------

/** Deletes every key of [start, end) version by version (the range stays in use: TRUNCATE). */
function deleteRange(session: Session, start: Buffer, end: Buffer): void {
  const txn = session.ensureTxn();
  const keys: Buffer[] = [];
  for (const [k] of txn.scan(start, end)) keys.push(Buffer.from(k));
  for (const k of keys) txn.delete(k);
}

/**
 * Drops a key range that nothing reads after this transaction (a dropped table or index, whose
 * OIDs are never reused): one record instead of a tombstone per key; the store purges it once
 * no older snapshot remains.
 */
function dropRange(session: Session, start: Buffer, end: Buffer): void {
  session.ensureTxn().dropRange(start, end);
}

/** Rows and every index of the table share the table prefix. */
function tableRange(table: TableDesc): [Buffer, Buffer] {
  const p = tablePrefix(table.oid);
  return [p, prefixEnd(p)!];
}

function dropTableData(session: Session, table: TableDesc): void {
  dropRange(session, ...tableRange(table));
}

/**
 * ALTER TABLE ADD PRIMARY KEY on a table stored by hidden rowid and without other indexes:
 * the rows move to storage keyed by the new primary key (under the index's id, a key range of
 * its own), so that key lookups read one row instead of an index entry and then the row.
 * Duplicates fail as PostgreSQL's index build does (23505 "could not create unique index").
 */
async function rekeyByPrimaryKey(session: Session, table: TableDesc, attnums: number[], index: IndexDesc): Promise<TableDesc> {
  await lockTable(session, table.oid);
  const txn = session.ensureTxn();
  const oldLayout = layoutOf(table);
  const rekeyed: TableDesc = { ...table, storageKey: attnums, storageIndexId: index.oid };
  const newLayout = layoutOf(rekeyed);
  const positions = newLayout.keyPositions;
  const keyColumns = [...positions].sort((a, b) => a - b);
  const duplicate = (value: Buffer): SqlError => {
    const row = decodeStoredRow(oldLayout, value);
    return new SqlError(SQLSTATE.UNIQUE_VIOLATION, `could not create unique index "${index.name}"`, {
      detail: `Key (${positions.map((p) => table.columns[p]!.name).join(', ')})=(${positions.map((p) => keyText(row[p] ?? null, table.columns[p]!.type)).join(', ')}) is duplicated.`,
    });
  };
  // As PostgreSQL's ADD PRIMARY KEY: duplicates among the non-NULL keys are reported first (the
  // index build), then NULLs (the NOT NULL check), each the first met in key order.
  let nullColumn: number | undefined;
  const newKeyOf = (value: Buffer): Buffer | undefined => {
    const row = decodeStoredColumns(oldLayout, value, keyColumns);
    for (const p of positions) {
      if (row[p] === null) { nullColumn ??= p; return undefined; }
    }
    return storageKeyOf(newLayout, row);
  };
  // The old range is never read again (the table now lives under the index's id); the new
  // range is new (index OIDs are never reused): no older versions under it.
  txn.dropRange(oldLayout.prefix, oldLayout.prefixEnd);
  // Rows usually come in new-key order already (loaded in order): they are written as they are
  // read, holding nothing per row. Should a key come out of order, the rows written so far are
  // undone and the keys sorted, so that a duplicate is the first in key order.
  const mark = txn.savepoint();
  let prev: Buffer | undefined;
  let ordered = true;
  let duplicated: Buffer | undefined;
  for (const [, value] of txn.scan(oldLayout.prefix, oldLayout.prefixEnd)) {
    const key = newKeyOf(value);
    if (key === undefined) continue;
    const c = prev === undefined ? -1 : compareKeys(prev, key);
    if (c > 0) { ordered = false; break; }
    if (c === 0) duplicated ??= value;
    if (duplicated === undefined && nullColumn === undefined) txn.putOwned(key, value, true);
    prev = key;
  }
  if (!ordered) {
    txn.rollbackToSavepoint(mark);
    const moves: Array<[Buffer, Buffer]> = [];
    for (const [, value] of txn.scan(oldLayout.prefix, oldLayout.prefixEnd)) {
      const key = newKeyOf(value);
      if (key !== undefined) moves.push([key, value]);
    }
    moves.sort((a, b) => compareKeys(a[0], b[0]));
    for (let i = 1; i < moves.length && duplicated === undefined; i++) {
      if (compareKeys(moves[i - 1]![0], moves[i]![0]) === 0) duplicated = moves[i]![1];
    }
    if (duplicated === undefined && nullColumn === undefined) for (const [key, value] of moves) txn.putOwned(key, value, true);
  }
  txn.releaseSavepoint(mark);
  if (duplicated !== undefined) throw duplicate(duplicated);
  if (nullColumn !== undefined) throw nullsInKey(table, nullColumn);
  return rekeyed;
}

function dependentsOf(catalog: Catalog, table: TableDesc): ConstraintDesc[] {
  return catalog.referencingConstraints(table.oid).filter((c) => c.tableOid !== table.oid);
}

async function dropTable(session: Session, catalog: Catalog, table: TableDesc, cascade: boolean, sink: ResultSink): Promise<void> {
  await lockTable(session, table.oid);
  const views = [...catalog.all('table')].filter((v) => v.kind === 'v' && v.oid !== table.oid && (v.viewDeps ?? []).includes(table.oid));
  if (views.length > 0) {
    const what = table.kind === 'v' ? 'view' : 'table';
    if (!cascade) {
      throw new SqlError(SQLSTATE.DEPENDENT_OBJECTS_STILL_EXIST, `cannot drop ${what} ${table.name} because other objects depend on it`, {
        detail: views.map((v) => `view ${v.name} depends on ${what} ${table.name}`).join('\n'),
        hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
      });
    }
    for (const v of views) {
      if (catalog.get('table', v.oid) === undefined) continue;
      sink.notice({ severity: 'NOTICE', code: '00000', message: `drop cascades to view ${v.name}` });
      await dropTable(session, catalog, v, true, sink);
    }
  }
  const deps = dependentsOf(catalog, table);
  if (deps.length > 0) {
    if (!cascade) {
      throw new SqlError(SQLSTATE.DEPENDENT_OBJECTS_STILL_EXIST, `cannot drop table ${table.name} because other objects depend on it`, {
        detail: deps.map((x) => `constraint ${x.name} on table ${catalog.get('table', x.tableOid)!.name} depends on table ${table.name}`).join('\n'),
        hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
      });
    }
    for (const d of deps) {
      sink.notice({ severity: 'NOTICE', code: '00000', message: `drop cascades to constraint ${d.name} on table ${catalog.get('table', d.tableOid)!.name}` });
      catalog.remove('constraint', d.oid);
    }
  }
  for (const i of catalog.indexesOf(table.oid)) catalog.remove('index', i.oid);
  for (const c of catalog.constraintsOf(table.oid)) catalog.remove('constraint', c.oid);
  for (const s of [...catalog.all('sequence')]) {
    if (s.ownedBy?.tableOid === table.oid) {
      catalog.remove('sequence', s.oid);
      session.db.sequences.forget(s.oid);
    }
  }
  catalog.remove('table', table.oid);
  if (table.kind === 'r') dropTableData(session, table);
}

const DROP_KIND: Record<string, { word: string; tag: string }> = {
  OBJECT_TABLE: { word: 'table', tag: 'DROP TABLE' },
  OBJECT_VIEW: { word: 'view', tag: 'DROP VIEW' },
  OBJECT_INDEX: { word: 'index', tag: 'DROP INDEX' },
  OBJECT_SEQUENCE: { word: 'sequence', tag: 'DROP SEQUENCE' },
  OBJECT_SCHEMA: { word: 'schema', tag: 'DROP SCHEMA' },
};

async function drop(session: Session, n: PgNode, sink: ResultSink): Promise<string> {
  const removeType = n.removeType as string;
  if (removeType === 'OBJECT_EXTENSION') { await dropVectorExtension(session, n, sink); return 'DROP EXTENSION'; }
  const kind = DROP_KIND[removeType];
  if (kind === undefined) throw notSupported(`DROP ${removeType.replace('OBJECT_', '')}`);
  const cascade = n.behavior === 'DROP_CASCADE';
  const missingOk = n.missing_ok === true;
  const catalog = await session.beginDdl();
  const view = viewOf(session, catalog);
  for (const obj of n.objects as PgNode[]) {
    const names = nodeTag(obj) === 'List' ? nameList(nodeBody(obj).items) : [strVal(obj)];
    const name = names.at(-1)!;
    const schemaName = names.length > 1 ? names[0]! : null;
    if (removeType === 'OBJECT_SCHEMA') {
      const s = catalog.schema(name);
      if (s === undefined) {
        if (missingOk) { sink.notice({ severity: 'NOTICE', code: '00000', message: `schema "${name}" does not exist, skipping` }); continue; }
        throw new SqlError(SQLSTATE.INVALID_SCHEMA_NAME, `schema "${name}" does not exist`);
      }
      if (['pg_catalog', 'information_schema', 'pg_toast'].includes(name)) {
        throw new SqlError(SQLSTATE.DEPENDENT_OBJECTS_STILL_EXIST, `cannot drop schema ${name} because it is required by the database system`);
      }
      const tables = [...catalog.all('table')].filter((t) => t.schemaOid === s.oid);
      const seqs = [...catalog.all('sequence')].filter((q) => q.schemaOid === s.oid);
      if ((tables.length > 0 || seqs.length > 0) && !cascade) {
        throw new SqlError(SQLSTATE.DEPENDENT_OBJECTS_STILL_EXIST, `cannot drop schema ${name} because other objects depend on it`, {
          detail: [...tables.map((t) => `${t.kind === 'v' ? 'view' : 'table'} ${name}.${t.name} depends on schema ${name}`), ...seqs.filter((q) => q.ownedBy === null).map((q) => `sequence ${name}.${q.name} depends on schema ${name}`)].join('\n'),
          hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
        });
      }
      for (const t of tables) if (catalog.get('table', t.oid) !== undefined) await dropTable(session, catalog, t, true, sink);
      for (const q of seqs) if (catalog.get('sequence', q.oid) !== undefined) catalog.remove('sequence', q.oid);
      catalog.remove('schema', s.oid);
      continue;
    }
    if (schemaName !== null && catalog.schema(schemaName) === undefined) {
      if (missingOk) { sink.notice({ severity: 'NOTICE', code: '00000', message: `schema "${schemaName}" does not exist, skipping` }); continue; }
      throw new SqlError(SQLSTATE.INVALID_SCHEMA_NAME, `schema "${schemaName}" does not exist`);
    }
    const found = view.findRelationOid(schemaName, name);
    const wanted = kind.word;
    if (found === undefined || (found.kind !== wanted && !(wanted === 'table' && found.kind === 'table'))) {
      if (found !== undefined && found.kind !== wanted) {
        const hint = found.kind === 'view' ? 'Use DROP VIEW to remove a view.' : found.kind === 'index' ? 'Use DROP INDEX to remove an index.'
          : found.kind === 'sequence' ? 'Use DROP SEQUENCE to remove a sequence.' : 'Use DROP TABLE to remove a table.';
        throw new SqlError(SQLSTATE.WRONG_OBJECT_TYPE, `"${name}" is not a${wanted === 'index' ? 'n' : ''} ${wanted}`, { hint });
      }
      const shown = names.join('.');
      if (missingOk) {
        sink.notice({ severity: 'NOTICE', code: '00000', message: `${wanted} "${shown}" does not exist, skipping` });
        continue;
      }
      const code = wanted === 'index' || wanted === 'sequence' || wanted === 'view' || wanted === 'table' ? SQLSTATE.UNDEFINED_TABLE : SQLSTATE.UNDEFINED_OBJECT;
      throw new SqlError(code, `${wanted} "${shown}" does not exist`);
    }
    if (found.kind === 'table' || found.kind === 'view') {
      await dropTable(session, catalog, catalog.get('table', found.oid)!, cascade, sink);
    } else if (found.kind === 'index') {
      const index = catalog.get('index', found.oid)!;
      if (index.constraintOid !== null) {
        const con = catalog.get('constraint', index.constraintOid);
        throw new SqlError(SQLSTATE.DEPENDENT_OBJECTS_STILL_EXIST, `cannot drop index ${index.name} because constraint ${con?.name ?? index.name} on table ${catalog.get('table', index.tableOid)!.name} requires it`, {
          hint: `You can drop constraint ${con?.name ?? index.name} on table ${catalog.get('table', index.tableOid)!.name} instead.`,
        });
      }
      await lockTable(session, index.tableOid);
      catalog.remove('index', index.oid);
      const p = tableKeyPrefix(index.tableOid, index.oid);
      dropRange(session, p, prefixEnd(p)!);
    } else {
      const seq = catalog.get('sequence', found.oid)!;
      const users = [...catalog.all('table')].filter((t) => t.columns.some((c) => c.sequenceOid === seq.oid && !c.dropped));
      if (users.length > 0 && !cascade) {
        throw new SqlError(SQLSTATE.DEPENDENT_OBJECTS_STILL_EXIST, `cannot drop sequence ${seq.name} because other objects depend on it`, {
          detail: users.map((t) => `default value for column ${t.columns.find((c) => c.sequenceOid === seq.oid)!.name} of table ${t.name} depends on sequence ${seq.name}`).join('\n'),
          hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
        });
      }
      catalog.remove('sequence', seq.oid);
      session.db.sequences.forget(seq.oid);
    }
  }
  return kind.tag;
}

// ---- ALTER TABLE -----------------------------------------------------------------------------------------------

async function alterTable(session: Session, n: PgNode, sink: ResultSink): Promise<string> {
  const objtype = n.objtype as string | undefined;
  if (objtype === 'OBJECT_INDEX' || objtype === 'OBJECT_SEQUENCE' || objtype === 'OBJECT_VIEW') throw notSupported(`ALTER ${objtype.replace('OBJECT_', '')}`);
  const catalog = await session.beginDdl();
  const table0 = lookupTable(session, catalog, n.relation, n.missing_ok === true);
  if (table0 === undefined) {
    sink.notice({ severity: 'NOTICE', code: '00000', message: `relation "${(n.relation as PgNode).relname as string}" does not exist, skipping` });
    return 'ALTER TABLE';
  }
  if (table0.kind !== 'r') throw new SqlError(SQLSTATE.WRONG_OBJECT_TYPE, `"${table0.name}" is not a table`);
  await lockTable(session, table0.oid);
  for (const cmdNode of n.cmds as PgNode[]) {
    const cmd = nodeBody(cmdNode);
    const table = catalog.get('table', table0.oid)!;
    switch (cmd.subtype as string) {
      case 'AT_AddColumn': await addColumn(session, catalog, table, nodeBody(cmd.def), cmd.missing_ok === true, sink); break;
      case 'AT_DropColumn': await dropColumn(session, catalog, table, cmd.name as string, cmd.missing_ok === true, cmd.behavior === 'DROP_CASCADE', sink); break;
      case 'AT_ColumnDefault': {
        const pos = columnPos(table, cmd.name as string);
        const col = table.columns[pos]!;
        const defaultSql = cmd.def === undefined ? null : deparseRawExpr(cmd.def);
        const updated = replaceColumn(table, pos, { ...col, defaultSql });
        catalog.put('table', updated);
        validateDefaults(session, catalog, updated);
        break;
      }
      case 'AT_SetNotNull': {
        const pos = columnPos(table, cmd.name as string);
        await checkNoNulls(session, catalog, table, [table.columns[pos]!.attnum]);
        catalog.put('table', replaceColumn(table, pos, { ...table.columns[pos]!, notNull: true }));
        break;
      }
      case 'AT_DropNotNull': {
        const pos = columnPos(table, cmd.name as string);
        const col = table.columns[pos]!;
        if (catalog.constraintsOf(table.oid).some((k) => k.type === 'p' && k.columns.includes(col.attnum))) {
          throw new SqlError(SQLSTATE.INVALID_TABLE_DEFINITION, `column "${col.name}" is in a primary key`);
        }
        catalog.put('table', replaceColumn(table, pos, { ...col, notNull: false }));
        break;
      }
      case 'AT_AlterColumnType': await alterColumnType(session, catalog, table, cmd); break;
      case 'AT_AddConstraint': await addConstraints(session, catalog, table, [{ node: nodeBody(cmd.def), column: null }], false); break;
      case 'AT_DropConstraint': {
        const con = catalog.constraintsOf(table.oid).find((k) => k.name === cmd.name);
        if (con === undefined) {
          if (cmd.missing_ok) { sink.notice({ severity: 'NOTICE', code: '00000', message: `constraint "${cmd.name as string}" of relation "${table.name}" does not exist, skipping` }); break; }
          throw new SqlError(SQLSTATE.UNDEFINED_OBJECT, `constraint "${cmd.name as string}" of relation "${table.name}" does not exist`);
        }
        if (con.type === 'p' && table.storageKey.length > 0) throw notSupported('dropping a primary key given at CREATE TABLE');
        if (con.type === 'p' || con.type === 'u') {
          const deps = catalog.referencingConstraints(table.oid).filter((f) => sameSet(f.refColumns, con.columns));
          if (deps.length > 0) {
            if (cmd.behavior !== 'DROP_CASCADE') {
              throw new SqlError(SQLSTATE.DEPENDENT_OBJECTS_STILL_EXIST, `cannot drop constraint ${con.name} on table ${table.name} because other objects depend on it`, {
                hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
              });
            }
            for (const d of deps) catalog.remove('constraint', d.oid);
          }
          if (con.indexOid !== null) {
            catalog.remove('index', con.indexOid);
            const p = tableKeyPrefix(table.oid, con.indexOid);
            dropRange(session, p, prefixEnd(p)!);
          }
        }
        catalog.remove('constraint', con.oid);
        break;
      }
      default:
        throw notSupported(`ALTER TABLE ${(cmd.subtype as string).replace('AT_', '')}`);
    }
  }
  return 'ALTER TABLE';
}

function replaceColumn(table: TableDesc, pos: number, col: ColumnDesc): TableDesc {
  const columns = table.columns.slice();
  columns[pos] = col;
  return { ...table, columns };
}

async function addColumn(session: Session, catalog: Catalog, table: TableDesc, def: PgNode, ifNotExists: boolean, sink: ResultSink): Promise<void> {
  const name = checkIdentifier(def.colname as string);
  if (table.columns.some((c) => !c.dropped && c.name === name)) {
    if (ifNotExists) {
      sink.notice({ severity: 'NOTICE', code: '00000', message: `column "${name}" of relation "${table.name}" already exists, skipping` });
      return;
    }
    throw new SqlError(SQLSTATE.DUPLICATE_COLUMN, `column "${name}" of relation "${table.name}" already exists`);
  }
  if (table.columns.length >= LIMITS.tableColumnsMax) throw new SqlError(SQLSTATE.TOO_MANY_COLUMNS, `tables can have at most ${LIMITS.tableColumnsMax} columns`);
  const schema = catalog.get('schema', table.schemaOid)!;
  const sequences: SequenceDesc[] = [];
  const pending: PendingConstraint[] = [];
  const shell: TableDesc = { ...table, columns: table.columns.slice() };
  const col = columnFromDef(session, catalog, shell, def, schema, sequences, pending);
  col.attnum = table.nextAttnum;
  for (const s of sequences) { s.ownedBy = { tableOid: table.oid, attnum: col.attnum }; catalog.put('sequence', s); }
  const updated: TableDesc = { ...table, columns: [...table.columns, col], nextAttnum: table.nextAttnum + 1 };
  catalog.put('table', updated);
  validateDefaults(session, catalog, updated);
  // Existing rows get the default (evaluated per row, as PostgreSQL does for volatile defaults).
  if (col.defaultSql !== null) {
    const view = viewOf(session, catalog);
    const { binder, expr } = bindOverTable(session, catalog, updated, parseExpr(col.defaultSql), 'DEFAULT');
    const f = compileExpr(assign(expr, col, binder));
    const ctx = session.makeExecContext(session.ensureTxn(), [], view);
    const layout = layoutOf(updated);
    const rows = [...tableRows(session, table)];
    const pos = updated.columns.length - 1;
    for (const { key, row } of rows) {
      row[pos] = f([], ctx);
      if (col.notNull && row[pos] === null) {
        throw new SqlError(SQLSTATE.NOT_NULL_VIOLATION, `column "${col.name}" of relation "${table.name}" contains null values`);
      }
      ctx.txn.put(key, encodeStoredRow(layout, row));
    }
  } else if (col.notNull) {
    const any = tableRows(session, table)[Symbol.iterator]().next();
    if (any.done !== true) throw new SqlError(SQLSTATE.NOT_NULL_VIOLATION, `column "${col.name}" of relation "${table.name}" contains null values`);
  }
  await addConstraints(session, catalog, updated, pending, false);
}

async function dropColumn(session: Session, catalog: Catalog, table: TableDesc, name: string, missingOk: boolean, cascade: boolean, sink: ResultSink): Promise<void> {
  const pos = table.columns.findIndex((c) => !c.dropped && c.name === name);
  if (pos < 0) {
    if (missingOk) { sink.notice({ severity: 'NOTICE', code: '00000', message: `column "${name}" of relation "${table.name}" does not exist, skipping` }); return; }
    throw new SqlError(SQLSTATE.UNDEFINED_COLUMN, `column "${name}" of relation "${table.name}" does not exist`);
  }
  const col = table.columns[pos]!;
  if (table.storageKey.includes(col.attnum)) throw notSupported('dropping a primary key column given at CREATE TABLE');
  for (const idx of catalog.indexesOf(table.oid)) {
    if (!idx.columns.includes(col.attnum) && !(idx.exprDeps ?? []).includes(col.attnum)) continue;
    const deps = catalog.referencingConstraints(table.oid).filter((f) => f.refColumns.includes(col.attnum));
    if (deps.length > 0 && !cascade) {
      throw new SqlError(SQLSTATE.DEPENDENT_OBJECTS_STILL_EXIST, `cannot drop column ${name} of table ${table.name} because other objects depend on it`, {
        hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
      });
    }
    for (const d of deps) catalog.remove('constraint', d.oid);
    if (idx.constraintOid !== null) catalog.remove('constraint', idx.constraintOid);
    catalog.remove('index', idx.oid);
    const p = tableKeyPrefix(table.oid, idx.oid);
    dropRange(session, p, prefixEnd(p)!);
  }
  for (const con of catalog.constraintsOf(table.oid)) {
    if (con.type === 'f' && con.columns.includes(col.attnum)) catalog.remove('constraint', con.oid);
    if (con.type === 'c' && con.checkSql !== null && firstColumnName(parseExpr(con.checkSql)) !== null && new RegExp(`\\b${name}\\b`).test(con.checkSql)) catalog.remove('constraint', con.oid);
  }
  for (const s of [...catalog.all('sequence')]) {
    if (s.ownedBy?.tableOid === table.oid && s.ownedBy.attnum === col.attnum) catalog.remove('sequence', s.oid);
  }
  catalog.put('table', replaceColumn(table, pos, { ...col, dropped: true, name: `........pg.dropped.${col.attnum}........`, notNull: false, defaultSql: null }));
  // Stored rows keep a NULL in the dropped slot.
  const layout = layoutOf(table);
  const txn = session.ensureTxn();
  for (const { key, row } of [...tableRows(session, table)]) {
    if (row[pos] === null) continue;
    row[pos] = null;
    txn.put(key, encodeStoredRow(layout, row));
  }
}

async function alterColumnType(session: Session, catalog: Catalog, table: TableDesc, cmd: PgNode): Promise<void> {
  const def = nodeBody(cmd.def);
  if (def.raw_default !== undefined) throw notSupported('ALTER COLUMN TYPE ... USING');
  const pos = columnPos(table, cmd.name as string);
  const col = table.columns[pos]!;
  const type = typeOf(session, catalog, def.typeName);
  if (table.storageKey.includes(col.attnum) || catalog.indexesOf(table.oid).some((i) => i.columns.includes(col.attnum) || (i.exprDeps ?? []).includes(col.attnum))) {
    throw notSupported('changing the type of an indexed column');
  }
  const updated = replaceColumn(table, pos, { ...col, type });
  const binder = new QueryBinder(viewOf(session, catalog), []);
  const ref: BoundExpr = { kind: 'column', levelsUp: 0, index: pos, type: col.type, name: col.name };
  let expr: BoundExpr;
  try {
    expr = assign(ref, { ...col, type }, binder);
  } catch (e) {
    if (e instanceof SqlError && e.code === SQLSTATE.DATATYPE_MISMATCH) {
      throw new SqlError(SQLSTATE.DATATYPE_MISMATCH, `column "${col.name}" cannot be cast automatically to type ${formatType(type.oid, type.typmod)}`, {
        hint: `You might need to specify "USING ${col.name}::${formatType(type.oid, type.typmod)}".`,
      });
    }
    throw e;
  }
  const f = compileExpr(expr);
  const ctx = session.makeExecContext(session.ensureTxn(), [], viewOf(session, catalog));
  const newLayout = layoutOf(updated);
  for (const { key, row } of [...tableRows(session, table)]) {
    row[pos] = f(row, ctx);
    ctx.txn.put(key, encodeStoredRow(newLayout, row));
  }
  catalog.put('table', updated);
  if (col.defaultSql !== null) validateDefaults(session, catalog, updated);
}

// ---- RENAME ---------------------------------------------------------------------------------------------------------

async function rename(session: Session, n: PgNode): Promise<string> {
  const type = n.renameType as string;
  const newName = checkIdentifier(n.newname as string);
  const catalog = await session.beginDdl();
  switch (type) {
    case 'OBJECT_TABLE': case 'OBJECT_VIEW': case 'OBJECT_INDEX': case 'OBJECT_SEQUENCE': {
      const rv = n.relation as PgNode;
      const view = viewOf(session, catalog);
      const found = view.findRelationOid((rv.schemaname as string | undefined) ?? null, rv.relname as string);
      if (found === undefined) {
        if (n.missing_ok) return tagFor(type);
        throw new SqlError(SQLSTATE.UNDEFINED_TABLE, `relation "${rv.relname as string}" does not exist`);
      }
      const kind = found.kind === 'view' ? 'table' : found.kind;
      const desc = catalog.get(kind, found.oid)!;
      if (catalog.relationNameTaken(desc.schemaOid, newName)) throw new SqlError(SQLSTATE.DUPLICATE_TABLE, `relation "${newName}" already exists`);
      catalog.put(kind, { ...desc, name: newName } as never);
      if (kind === 'index' && (desc as IndexDesc).constraintOid !== null) {
        const con = catalog.get('constraint', (desc as IndexDesc).constraintOid!)!;
        catalog.put('constraint', { ...con, name: newName });
      }
      return tagFor(type);
    }
    case 'OBJECT_COLUMN': {
      const table = lookupTable(session, catalog, n.relation)!;
      const pos = columnPos(table, n.subname as string);
      if (table.columns.some((c) => !c.dropped && c.name === newName)) {
        throw new SqlError(SQLSTATE.DUPLICATE_COLUMN, `column "${newName}" of relation "${table.name}" already exists`);
      }
      const old = table.columns[pos]!.name;
      const updated = replaceColumn(table, pos, { ...table.columns[pos]!, name: newName });
      catalog.put('table', updated);
      // Stored CHECK expressions refer to columns by name.
      for (const con of catalog.constraintsOf(table.oid)) {
        if (con.type === 'c' && con.checkSql !== null) {
          catalog.put('constraint', { ...con, checkSql: con.checkSql.replace(new RegExp(`\\b${old}\\b`, 'g'), quoteIdent(newName)) });
        }
      }
      return 'ALTER TABLE';
    }
    case 'OBJECT_TABCONSTRAINT': {
      const table = lookupTable(session, catalog, n.relation)!;
      const con = catalog.constraintsOf(table.oid).find((k) => k.name === n.subname);
      if (con === undefined) throw new SqlError(SQLSTATE.UNDEFINED_OBJECT, `constraint "${n.subname as string}" for table "${table.name}" does not exist`);
      catalog.put('constraint', { ...con, name: newName });
      if (con.indexOid !== null) catalog.put('index', { ...catalog.get('index', con.indexOid)!, name: newName });
      return 'ALTER TABLE';
    }
    case 'OBJECT_SCHEMA': {
      const s = catalog.schema(n.subname as string);
      if (s === undefined) throw new SqlError(SQLSTATE.INVALID_SCHEMA_NAME, `schema "${n.subname as string}" does not exist`);
      if (catalog.schema(newName) !== undefined) throw new SqlError(SQLSTATE.DUPLICATE_SCHEMA, `schema "${newName}" already exists`);
      catalog.put('schema', { ...s, name: newName });
      return 'ALTER SCHEMA';
    }
    default: throw notSupported(`ALTER ${type.replace('OBJECT_', '')} ... RENAME`);
  }
}

function tagFor(type: string): string {
  return `ALTER ${type.replace('OBJECT_', '')}`;
}

// ---- views, schemas, databases, sequences, roles ------------------------------------------------------------

async function createView(session: Session, n: PgNode, raw: RawStatement): Promise<string> {
  if (n.withCheckOption !== undefined && n.withCheckOption !== 'NO_CHECK_OPTION') throw notSupported('WITH CHECK OPTION');
  const rv = n.view as PgNode;
  if (rv.relpersistence === 't') throw notSupported('temporary views');
  const catalog = await session.beginDdl();
  const schema = schemaFor(session, catalog, rv);
  const name = checkIdentifier(rv.relname as string);
  const query = new QueryBinder(viewOf(session, catalog), []).bindQuery(n.query, null);
  const aliases = nameList(n.aliases);
  if (aliases.length > query.columns.length) throw new SqlError(SQLSTATE.SYNTAX_ERROR, 'CREATE VIEW specifies more column names than columns');
  const existing = catalog.tableIn(schema.oid, name);
  if (existing !== undefined || catalog.relationNameTaken(schema.oid, name)) {
    if (!(n.replace === true && existing?.kind === 'v')) throw new SqlError(SQLSTATE.DUPLICATE_TABLE, `relation "${name}" already exists`);
  }
  const viewSql = viewQueryText(raw.text);
  const columns: ColumnDesc[] = query.columns.map((c, i) => ({
    name: aliases[i] ?? c.name, attnum: i + 1, type: c.type, notNull: false, defaultSql: null, identity: '', sequenceOid: null,
    dropped: false, missingText: null,
  }));
  const names = new Set<string>();
  for (const c of columns) {
    if (names.has(c.name)) throw new SqlError(SQLSTATE.DUPLICATE_COLUMN, `column "${c.name}" specified more than once`);
    names.add(c.name);
  }
  catalog.put('table', {
    oid: existing?.oid ?? catalog.allocateOid(), name, schemaOid: schema.oid, kind: 'v', owner: session.user, columns,
    nextAttnum: columns.length + 1, viewSql, rowCountEstimate: -1, storageKey: [], comment: existing?.comment ?? null,
    viewDeps: [...relationsOf(query)],
  });
  return 'CREATE VIEW';
}

/** OIDs of the stored tables and views a bound query reads. */
function relationsOf(q: BoundQuery, out = new Set<number>()): Set<number> {
  const fromItem = (f: FromItem | null): void => {
    if (f === null) return;
    if (f.kind === 'table') out.add(f.table.oid);
    else if (f.kind === 'join') { fromItem(f.left); fromItem(f.right); }
    else if (f.kind === 'subquery') relationsOf(f.query, out);
  };
  const exprs = (list: BoundExpr[]): void => {
    for (const e of list) visitExpr(e, (x) => { if (x.kind === 'subquery' || x.kind === 'anysub') relationsOf(x.query, out); });
  };
  if (q.kind === 'select') {
    fromItem(q.from);
    exprs([...q.targets, ...q.junk, ...(q.where === null ? [] : [q.where]), ...(q.having === null ? [] : [q.having])]);
  } else if (q.kind === 'setop') {
    relationsOf(q.left, out);
    relationsOf(q.right, out);
  } else if (q.kind === 'recursive') {
    relationsOf(q.nonRecursive, out);
    relationsOf(q.recursive, out);
  } else exprs(q.rows.flat());
  return out;
}

/** The SELECT of a CREATE VIEW statement's text: everything after the top-level AS. */
function viewQueryText(text: string): string {
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "'" || ch === '"') {
      const q = ch;
      i++;
      while (i < text.length && text[i] !== q) i++;
      i++;
      continue;
    }
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth === 0 && /^as\b/i.test(text.slice(i)) && /\s/.test(text[i - 1] ?? ' ')) {
      return text.slice(i + 2).trim().replace(/;\s*$/, '');
    }
    i++;
  }
  throw new SqlError(SQLSTATE.SYNTAX_ERROR, 'could not find the query of CREATE VIEW');
}

async function createSchema(session: Session, n: PgNode, sink: ResultSink): Promise<string> {
  if ((n.schemaElts as PgNode[] | undefined)?.length) throw notSupported('CREATE SCHEMA with schema elements');
  const catalog = await session.beginDdl();
  const name = checkIdentifier((n.schemaname as string | undefined) ?? strVal({ String: { sval: nodeBody({ RoleSpec: n.authrole }).rolename ?? session.user } }));
  if (catalog.schema(name) !== undefined) {
    if (n.if_not_exists) {
      sink.notice({ severity: 'NOTICE', code: SQLSTATE.DUPLICATE_SCHEMA, message: `schema "${name}" already exists, skipping` });
      return 'CREATE SCHEMA';
    }
    throw new SqlError(SQLSTATE.DUPLICATE_SCHEMA, `schema "${name}" already exists`);
  }
  if (name.startsWith('pg_')) {

    throw new SqlError(SQLSTATE.RESERVED_NAME, `unacceptable schema name "${name}"`, { detail: 'The prefix "pg_" is reserved for system schemas.' });
  }
  catalog.put('schema', { oid: catalog.allocateOid(), dbOid: catalog.dbOid, name, owner: session.user });
  return 'CREATE SCHEMA';
}

async function createDatabase(session: Session, n: PgNode): Promise<string> {
  const name = checkIdentifier(n.dbname as string);
  const shared = await session.beginDdl(true);
  if (shared.database(name) !== undefined) throw new SqlError(SQLSTATE.DUPLICATE_DATABASE, `database "${name}" already exists`);
  for (const o of (n.options as PgNode[] | undefined) ?? []) {
    const d = nodeBody(o);
    if (!['owner', 'template', 'encoding', 'lc_collate', 'lc_ctype', 'locale', 'connection_limit', 'is_template', 'allow_connections'].includes(d.defname as string)) {
      throw notSupported(`CREATE DATABASE option ${d.defname as string}`);
    }
  }
  const oid = shared.allocateOid();
  shared.put('database', { oid, name, owner: session.user });
  const c = session.db.emptyDatabaseCatalog(oid);
  const { persistCatalogChanges } = await import('../../catalog/index.js');
  persistCatalogChanges(session.ensureTxn(), c);
  return 'CREATE DATABASE';
}

async function dropDatabase(session: Session, n: PgNode, sink: ResultSink): Promise<string> {
  const name = n.dbname as string;
  const shared = await session.beginDdl(true);
  const desc = shared.database(name);
  if (desc === undefined) {
    if (n.missing_ok) { sink.notice({ severity: 'NOTICE', code: '00000', message: `database "${name}" does not exist, skipping` }); return 'DROP DATABASE'; }
    throw new SqlError(SQLSTATE.UNDEFINED_DATABASE, `database "${name}" does not exist`);
  }
  if (desc.oid === session.dbDesc.oid) throw new SqlError(SQLSTATE.OBJECT_IN_USE, 'cannot drop the currently open database');
  const others = [...session.db.sessions.values()].filter((s) => s.dbDesc.oid === desc.oid);
  if (others.length > 0) {
    throw new SqlError(SQLSTATE.OBJECT_IN_USE, `database "${name}" is being accessed by other users`, {
      detail: `There ${others.length === 1 ? 'is 1 other session' : `are ${others.length} other sessions`} using the database.`,
    });
  }
  const dbCatalog = session.db.catalogOf(desc.oid);
  for (const t of dbCatalog.all('table')) if (t.kind === 'r') dropTableData(session, t);
  const { deleteDatabaseCatalog } = await import('../../catalog/index.js');
  deleteDatabaseCatalog(session.ensureTxn(), desc.oid);
  shared.remove('database', desc.oid);
  session.ensureTxn().onCommit(() => session.db.forgetDatabase(desc.oid));
  return 'DROP DATABASE';
}

async function createSequence(session: Session, n: PgNode, sink: ResultSink): Promise<string> {
  const rv = n.sequence as PgNode;
  if (rv.relpersistence === 't') throw notSupported('temporary sequences');
  const catalog = await session.beginDdl();
  const schema = schemaFor(session, catalog, rv);
  const name = checkIdentifier(rv.relname as string);
  if (!relationNameFree(catalog, schema.oid, name, n.if_not_exists === true, sink)) return 'CREATE SEQUENCE';
  const seq = newSequence(catalog, schema.oid, name, session.user, OID.int8, (n.options as PgNode[] | undefined) ?? []);
  catalog.put('sequence', seq);
  return 'CREATE SEQUENCE';
}

async function alterSequence(session: Session, n: PgNode): Promise<string> {
  const catalog = await session.beginDdl();
  const rv = n.sequence as PgNode;
  const view = viewOf(session, catalog);
  const found = view.findRelationOid((rv.schemaname as string | undefined) ?? null, rv.relname as string);
  if (found === undefined || found.kind !== 'sequence') {
    if (n.missing_ok) return 'ALTER SEQUENCE';
    throw new SqlError(SQLSTATE.UNDEFINED_TABLE, `relation "${rv.relname as string}" does not exist`);
  }
  const seq = { ...catalog.get('sequence', found.oid)! };
  const { restart } = applySequenceOptions(seq, (n.options as PgNode[] | undefined) ?? [], false);
  catalog.put('sequence', seq);
  if (restart !== undefined) {
    const value = restart === true ? undefined : restart;
    session.ensureTxn().onCommit(() => session.db.sequences.restart(seq, value));
  }
  return 'ALTER SEQUENCE';
}

function roleOptions(role: import('../../catalog/index.js').RoleDesc, options: PgNode[], session: Session): void {
  for (const o of options) {
    const d = nodeBody(o);
    const arg = d.arg === undefined ? undefined : nodeBody(d.arg);
    const bool = arg?.boolval === true || arg?.ival === 1;
    switch (d.defname as string) {
      case 'canlogin': role.canLogin = bool; break;
      case 'superuser': role.superuser = bool; break;
      case 'createdb': role.createDb = bool; break;
      case 'createrole': role.createRole = bool; break;
      case 'inherit': role.inherit = bool; break;
      case 'isreplication': role.replication = bool; break;
      case 'bypassrls': role.bypassRls = bool; break;
      case 'connectionlimit': role.connectionLimit = Number(arg?.ival ?? -1); break;
      case 'validUntil': role.validUntil = Math.floor(Date.parse(String(arg?.sval ?? '')) / 1000); break;
      case 'password': {
        const pw = arg?.sval as string | undefined;
        if (pw === undefined) { role.password = null; break; }
        if (isMd5Secret(pw) || parseScramSecret(pw) !== undefined) { role.password = pw; break; }
        role.password = session.settings.get('password_encryption') === 'md5' ? md5Secret(pw, role.name) : scramSecret(pw);
        break;
      }
      case 'addroleto': case 'rolemembers': case 'adminmembers': throw notSupported('role membership');
      default: throw notSupported(`role option ${d.defname as string}`);
    }
  }
}

async function createRole(session: Session, n: PgNode): Promise<string> {
  const shared = await session.beginDdl(true);
  const name = checkIdentifier(n.role as string);
  if (shared.role(name) !== undefined) throw new SqlError(SQLSTATE.DUPLICATE_OBJECT, `role "${name}" already exists`);
  const isUser = n.stmt_type === 'ROLESTMT_USER';
  const role = {
    oid: shared.allocateOid(), name, superuser: false, canLogin: isUser, createDb: false, createRole: false, inherit: true,
    replication: false, bypassRls: false, connectionLimit: -1, password: null as string | null, validUntil: null as number | null,
  };
  roleOptions(role, (n.options as PgNode[] | undefined) ?? [], session);
  shared.put('role', role);
  return isUser ? 'CREATE ROLE' : 'CREATE ROLE';
}

async function alterRole(session: Session, n: PgNode): Promise<string> {
  const shared = await session.beginDdl(true);
  const roleSpec = nodeBody({ RoleSpec: n.role });
  const name = (roleSpec.rolename as string | undefined) ?? (roleSpec.roletype === 'ROLESPEC_CURRENT_USER' || roleSpec.roletype === 'ROLESPEC_SESSION_USER' ? session.user : '');
  const existing = shared.role(name);
  if (existing === undefined) throw new SqlError(SQLSTATE.UNDEFINED_OBJECT, `role "${name}" does not exist`);
  const role = { ...existing };
  roleOptions(role, (n.options as PgNode[] | undefined) ?? [], session);
  shared.put('role', role);
  return 'ALTER ROLE';
}

async function dropRole(session: Session, n: PgNode, sink: ResultSink): Promise<string> {
  const shared = await session.beginDdl(true);
  for (const r of n.roles as PgNode[]) {
    const name = nodeBody(r).rolename as string;
    const role = shared.role(name);
    if (role === undefined) {
      if (n.missing_ok) { sink.notice({ severity: 'NOTICE', code: '00000', message: `role "${name}" does not exist, skipping` }); continue; }
      throw new SqlError(SQLSTATE.UNDEFINED_OBJECT, `role "${name}" does not exist`);
    }
    if (name === session.user) throw new SqlError(SQLSTATE.OBJECT_IN_USE, 'current user cannot be dropped');
    if (role.oid === 10) throw new SqlError(SQLSTATE.OBJECT_IN_USE, `cannot drop role ${name} because it is required by the database system`);
    shared.remove('role', role.oid);
  }
  return 'DROP ROLE';
}

// ---- TRUNCATE, COMMENT ------------------------------------------------------------------------------------------

async function truncate(session: Session, n: PgNode): Promise<string> {
  const catalog = await session.beginDdl();
  const tables: TableDesc[] = [];
  for (const r of n.relations as PgNode[]) {
    const t = lookupTable(session, catalog, nodeBody(r))!;
    if (t.kind !== 'r') throw new SqlError(SQLSTATE.WRONG_OBJECT_TYPE, `"${t.name}" is not a table`);
    tables.push(t);
  }
  const cascade = n.behavior === 'DROP_CASCADE';
  for (let i = 0; i < tables.length; i++) {
    for (const fk of catalog.referencingConstraints(tables[i]!.oid)) {
      if (tables.some((t) => t.oid === fk.tableOid)) continue;
      const child = catalog.get('table', fk.tableOid)!;
      if (cascade) { tables.push(child); continue; }
      throw new SqlError(SQLSTATE.FEATURE_NOT_SUPPORTED, 'cannot truncate a table referenced in a foreign key constraint', {
        detail: `Table "${child.name}" references "${tables[i]!.name}".`,
        hint: `Truncate table "${child.name}" at the same time, or use TRUNCATE ... CASCADE.`,
      });
    }
  }
  for (const t of tables) {
    await lockTable(session, t.oid);
    // The table keeps its key range, so its rows are deleted one by one.
    deleteRange(session, ...tableRange(t));
    session.addRowDelta(t.oid, -session.catalogView().rowCount(t));
    if (n.restart_seqs) {
      for (const s of catalog.all('sequence')) {
        if (s.ownedBy?.tableOid === t.oid) session.ensureTxn().onCommit(() => session.db.sequences.restart(s));
      }
    }
  }
  return 'TRUNCATE TABLE';
}

async function comment(session: Session, n: PgNode): Promise<string> {
  const objtype = n.objtype as string;
  const text = (n.comment as string | undefined) ?? null;
  const catalog = await session.beginDdl();
  const names = nameList(nodeBody(n.object).items ?? []);
  if (objtype === 'OBJECT_TABLE' || objtype === 'OBJECT_VIEW') {
    const t = lookupTable(session, catalog, { relname: names.at(-1), schemaname: names.length > 1 ? names[0] : undefined })!;
    catalog.put('table', { ...t, comment: text });
    return 'COMMENT';
  }
  if (objtype === 'OBJECT_COLUMN') {
    const t = lookupTable(session, catalog, { relname: names.at(-2), schemaname: names.length > 2 ? names[0] : undefined })!;
    const pos = columnPos(t, names.at(-1)!);
    catalog.put('table', replaceColumn(t, pos, { ...t.columns[pos]!, comment: text } as ColumnDesc));
    return 'COMMENT';
  }
  throw notSupported(`COMMENT ON ${objtype.replace('OBJECT_', '')}`);
}

/** Drops the session's temporary objects (at disconnect). */
export async function dropTempSchema(session: Session): Promise<void> {
  const committed = session.db.catalogOf(session.dbDesc.oid);
  const s = committed.schema(session.tempSchemaName);
  if (s === undefined) return;
  const catalog = await session.beginDdl();
  const sink = { notice: () => undefined } as unknown as ResultSink;
  for (const t of [...catalog.all('table')].filter((x) => x.schemaOid === s.oid)) {
    if (catalog.get('table', t.oid) !== undefined) await dropTable(session, catalog, t, true, sink);
  }
  for (const q of [...catalog.all('sequence')].filter((x) => x.schemaOid === s.oid)) catalog.remove('sequence', q.oid);
  catalog.remove('schema', s.oid);
}

export { RowWriter, splitQualified, coerce };
