// Session: one client connection's state — settings, transaction block (implicit or explicit,
// failed state, savepoints, uncommitted DDL), prepared statements and portals — and the life of
// each statement: parse → bind → plan → execute → encode, under cancellation and
// statement_timeout. It implements the EngineSession contract the wire layer drives.
import { SqlError, SQLSTATE, LIMITS, toSqlError, notSupported, decodeUtf8Text } from '../../base/index.js';
import { persistCatalogChanges, type Catalog, type DatabaseDesc, type RoleDesc } from '../../catalog/index.js';
import type { IsolationLevel, Txn } from '../../txn/index.js';
import { parseSql, nodeBody, nodeTag, normalizeLiterals, byteToCharOffset, type RawStatement, type PgNode, type NormalizedQuery } from '../parse/index.js';
import {
  OID, textOut, binaryOut, textIn, binaryIn, typeInfo, type Datum, type SqlType,
} from '../types/index.js';
import { regprocIn, regprocOut, type EvalContext, type SessionServices } from '../functions/index.js';
import {
  QueryBinder, DmlBinder, type BoundQuery, type BoundDml, type OutputColumn,
} from '../analyze/index.js';
import { planQuery, type PlannedQuery } from '../plan/index.js';
import {
  runPlan, runPlanPausable, PAUSE, runInsert, runUpdate, runDelete, lockSelectedRows, checkInterrupts, type ExecContext, type Row,
} from '../exec/index.js';
import type {
  EngineSession, FieldDescription, ResultSink, StatementDescription, TransactionStatus, WireValue,
} from './session-api.js';
import type { Database } from './database.js';
import { SessionCatalogView } from './catalog-view.js';
import { SessionSettings, isReported } from './settings.js';
import { executeUtility, utilityColumns, isTransactionControl } from './utility.js';
import { Cursors } from './cursors.js';
import { Listener, type Notification } from './notifications.js';
import { PortalSink } from './portal-sink.js';
import { catalogFunction } from './catalog-functions.js';
import { dropTempSchema } from './ddl.js';

/** A statement prepared by Parse or PREPARE. */
export interface PreparedStatement {
  name: string;
  sql: string;
  raw: RawStatement | null;
  /** Parameter types as resolved by binding (starting from declaredParamTypes). */
  paramTypes: SqlType[];
  /** Parameter types as given by Parse / PREPARE (unknown where unspecified); rebinding starts here. */
  declaredParamTypes?: SqlType[];
  /** Parameters from this index on are literals lifted by the simple-query cache. */
  liftedFrom?: number;
  /** Bound form for SELECT/INSERT/UPDATE/DELETE, valid for one catalog version. */
  bound: BoundForm | null;
  fromSql: boolean;
}

interface BoundForm {
  catalog: Catalog;
  searchPath: string;
  statement: BoundQuery | BoundDml;
  planned: PlannedQuery | null;
  /** The planner settings the plan was made under (SessionSettings.plannerKey). */
  plannedUnder?: string;
}

interface Portal {
  name: string;
  statement: PreparedStatement;
  params: Datum[];
  resultFormats: readonly number[];
  /** Rows still to send when an Execute stopped at its row limit. */
  pending: Iterator<Row> | null;
  pendingColumns: OutputColumn[] | null;
  sent: number;
  done: boolean;
  tag: string | null;
  ctx: ExecContext | null;
}

interface SavepointEntry {
  name: string;
  mark: number;
  catalog: Catalog | null;
  shared: Catalog | null;
  rowDeltas: Map<number, number>;
}

interface Block {
  explicit: boolean;
  failed: boolean;
  txn: Txn | null;
  isolation: IsolationLevel;
  readOnly: boolean;
  /** This transaction's DDL: a mutable catalog copy for the session's database, and for the shared catalog. */
  catalog: Catalog | null;
  shared: Catalog | null;
  savepoints: SavepointEntry[];
  rowDeltas: Map<number, number>;
  timestamp: bigint;
  /** Any statement other than transaction control has run (for SET TRANSACTION). */
  used: boolean;
}

/** How long a statement runs before it lets the event loop serve other work (cancel requests). */
const PAUSE_EVERY_MS = 20;

/** Microseconds since 2000-01-01 UTC. */
const PG_EPOCH_MS = 946_684_800_000;
function nowMicros(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now() - PG_EPOCH_MS) * 1000));
}

export class Session implements EngineSession {
  readonly settings: SessionSettings;
  readonly prepared = new Map<string, PreparedStatement>();
  private readonly portals = new Map<string, Portal>();
  /** SQL cursors (DECLARE / FETCH / CLOSE). */
  readonly cursors: Cursors = new Cursors({
    openQuery: (query, params, paramTypes) => this.openCursorQuery(query, params, paramTypes),
    sendRows: (columns, rows, formats, sink) => {
      sink.rowDescription(fieldDescriptions(columns, formats));
      const encode = this.encodersFor(columns, formats, this.catalogView());
      for (const r of rows) sink.dataRow(encodeRow(r, encode, columns.length));
    },
    inTransactionBlock: () => this.block?.explicit === true,
  });
  block: Block | null = null;
  /** LISTEN / NOTIFY for this session. */
  readonly listener: Listener;
  private running: ExecContext | null = null;
  private canceled = false;
  private closed = false;
  /** Extended protocol: an error happened; messages are skipped until Sync (the wire does this). */
  private extendedError = false;
  readonly user: string;
  dbDesc: DatabaseDesc;

  constructor(
    readonly db: Database, readonly processId: number, readonly secretKey: number,
    readonly role: RoleDesc, dbDesc: DatabaseDesc, startupParams: Record<string, string>,
  ) {
    this.user = role.name;
    this.dbDesc = dbDesc;
    this.listener = new Listener(db.notificationHub(dbDesc.oid), processId);
    const params: Record<string, string> = { ...startupParams };
    if (params['options'] !== undefined) {
      // -c name=value options
      for (const m of params['options'].matchAll(/-c\s*([A-Za-z_.]+)=(\S+)/g)) params[m[1]!] = m[2]!;
      delete params['options'];
    }
    this.settings = new SessionSettings(params);
  }

  initialParameterStatus(): Array<[string, string]> {
    const names = ['application_name', 'client_encoding', 'DateStyle', 'default_transaction_read_only', 'in_hot_standby',
      'integer_datetimes', 'IntervalStyle', 'is_superuser', 'server_encoding', 'server_version', 'session_authorization',
      'standard_conforming_strings', 'TimeZone'];
    return names.map((n) => {
      if (n === 'in_hot_standby') return [n, 'off'];
      if (n === 'session_authorization') return [n, this.user];
      if (n === 'is_superuser') return [n, this.role.superuser ? 'on' : 'off'];
      return [n, this.settings.get(n)];
    });
  }

  transactionStatus(): TransactionStatus {
    if (this.block === null || !this.block.explicit) return 'I';
    return this.block.failed ? 'E' : 'T';
  }

  // ---- catalog -------------------------------------------------------------------------------

  /** The catalog this session's next statement sees. */
  currentCatalog(): Catalog {
    return this.block?.catalog ?? this.db.catalogOf(this.dbDesc.oid);
  }

  currentSharedCatalog(): Catalog {
    return this.block?.shared ?? this.db.shared.catalog;
  }

  catalogView(): SessionCatalogView {
    return this.viewOf(this.currentCatalog());
  }

  /** The last view made, reused while statements run against the same catalog (views hold no state). */
  private lastView: SessionCatalogView | null = null;
  /** The services of lastView (closures over it), made once per view. */
  private lastServices: SessionServices | null = null;

  /** A catalog view of this session over catalog. */
  viewOf(catalog: Catalog): SessionCatalogView {
    const last = this.lastView;
    if (last !== null && last.catalog === catalog) return last;
    const view = new SessionCatalogView(this.db, catalog, this);
    this.lastView = view;
    this.lastServices = null;
    return view;
  }

  /** Starts DDL in this transaction: takes the catalog lock and a mutable copy. */
  async beginDdl(shared = false): Promise<Catalog> {
    const block = this.block!;
    const txn = this.ensureTxn();
    if (shared) {
      if (block.shared === null) {
        await this.db.lockCatalog(txn, 0);
        block.shared = this.db.shared.catalog.mutable();
      }
      return block.shared;
    }
    if (block.catalog === null) {
      await this.db.lockCatalog(txn, this.dbDesc.oid);
      block.catalog = this.db.catalogOf(this.dbDesc.oid).mutable();
    }
    return block.catalog;
  }

  pendingRowDelta(tableOid: number): number {
    return this.block?.rowDeltas.get(tableOid) ?? 0;
  }

  addRowDelta(tableOid: number, delta: number): void {
    if (this.block === null || delta === 0) return;
    this.block.rowDeltas.set(tableOid, (this.block.rowDeltas.get(tableOid) ?? 0) + delta);
  }

  // ---- transaction block -----------------------------------------------------------------------

  private newBlock(explicit: boolean): Block {
    const iso = this.settings.get('default_transaction_isolation');
    return {
      explicit, failed: false, txn: null,
      isolation: (iso === 'read uncommitted' ? 'read committed' : iso) as IsolationLevel,
      readOnly: this.settings.get('default_transaction_read_only') === 'on',
      catalog: null, shared: null, savepoints: [], rowDeltas: new Map(), timestamp: nowMicros(), used: false,
    };
  }

  ensureBlock(): Block {
    this.block ??= this.newBlock(false);
    return this.block;
  }

  ensureTxn(): Txn {
    const block = this.ensureBlock();
    if (block.txn === null) {
      block.txn = this.db.txns.begin({ isolation: block.isolation, readOnly: block.readOnly, pid: this.processId });
    }
    return block.txn;
  }

  /** BEGIN / START TRANSACTION. */
  beginExplicit(isolation: IsolationLevel | null, readOnly: boolean | null, sink: ResultSink): void {
    if (this.block?.explicit === true) {
      sink.notice({ severity: 'WARNING', code: SQLSTATE.ACTIVE_SQL_TRANSACTION, message: 'there is already a transaction in progress' });
      return;
    }
    const block = this.ensureBlock();
    block.explicit = true;
    if (isolation !== null) block.isolation = isolation;
    if (readOnly !== null) block.readOnly = readOnly;
  }

  setTransactionCharacteristics(isolation: IsolationLevel | null, readOnly: boolean | null): void {
    const block = this.ensureBlock();
    if (isolation !== null) {
      if (block.used || block.txn !== null) {
        throw new SqlError(SQLSTATE.ACTIVE_SQL_TRANSACTION, 'SET TRANSACTION ISOLATION LEVEL must be called before any query');
      }
      block.isolation = isolation;
    }
    if (readOnly !== null) {
      if (!readOnly && block.readOnly && block.used) {
        throw new SqlError(SQLSTATE.ACTIVE_SQL_TRANSACTION, 'transaction read-write mode must be set before any query');
      }
      block.readOnly = readOnly;
      if (block.txn !== null) throw notSupported('changing read-only mode after the first query of a transaction');
    }
  }

  /** Commits the current block (COMMIT, Sync of an implicit transaction, autocommit). */
  async commitBlock(): Promise<void> {
    const block = this.block;
    if (block === null) return;
    this.block = null;
    this.cursors.endTransaction();
    if (block.failed) {
      this.abortBlock(block);
      return;
    }
    const txn = block.txn;
    if (txn !== null) {
      try {
        if (block.catalog !== null) persistCatalogChanges(txn, block.catalog);
        if (block.shared !== null) persistCatalogChanges(txn, block.shared);
        await txn.commit();
      } catch (e) {
        txn.rollback();
        this.settings.endTransaction(false);
        this.listener.rollback();
        throw e;
      }
      if (block.catalog !== null) this.db.publishCatalog(block.catalog);
      if (block.shared !== null) this.db.publishCatalog(block.shared);
      this.db.stats.applyDeltas(block.rowDeltas);
    }
    this.settings.endTransaction(true);
    this.listener.commit();
  }

  /** Rolls the block back (ROLLBACK, error in an implicit transaction, disconnect). */
  abortBlock(block: Block | null = this.block): void {
    if (block === null) return;
    if (this.block === block) this.block = null;
    this.cursors.endTransaction();
    this.listener.rollback();
    block.txn?.rollback();
    this.settings.endTransaction(false);
  }

  async savepoint(name: string): Promise<void> {
    const block = this.block;
    if (block === null || !block.explicit) {
      throw new SqlError(SQLSTATE.NO_ACTIVE_SQL_TRANSACTION, 'SAVEPOINT can only be used in transaction blocks');
    }
    const txn = this.ensureTxn();
    block.savepoints.push({
      name, mark: txn.savepoint(), catalog: block.catalog?.fork() ?? null, shared: block.shared?.fork() ?? null,
      rowDeltas: new Map(block.rowDeltas),
    });
  }

  private findSavepoint(name: string, what: string): number {
    const block = this.block;
    if (block === null || !block.explicit) {
      throw new SqlError(SQLSTATE.NO_ACTIVE_SQL_TRANSACTION, `${what} can only be used in transaction blocks`);
    }
    for (let i = block.savepoints.length - 1; i >= 0; i--) if (block.savepoints[i]!.name === name) return i;
    throw new SqlError(SQLSTATE.INVALID_SAVEPOINT_SPECIFICATION, `savepoint "${name}" does not exist`);
  }

  rollbackToSavepoint(name: string): void {
    const i = this.findSavepoint(name, 'ROLLBACK TO SAVEPOINT');
    const block = this.block!;
    const sp = block.savepoints[i]!;
    block.savepoints.length = i + 1;
    if (!block.txn!.isActive) throw new SqlError(SQLSTATE.IN_FAILED_SQL_TRANSACTION, 'current transaction is aborted, commands ignored until end of transaction block');
    block.txn!.rollbackToSavepoint(sp.mark);
    block.catalog = sp.catalog?.fork() ?? (block.catalog === null ? null : null);
    block.shared = sp.shared?.fork() ?? null;
    block.rowDeltas = new Map(sp.rowDeltas);
    block.failed = false;
  }

  releaseSavepoint(name: string): void {
    const i = this.findSavepoint(name, 'RELEASE SAVEPOINT');
    const block = this.block!;
    if (block.failed) {
      throw new SqlError(SQLSTATE.IN_FAILED_SQL_TRANSACTION, 'current transaction is aborted, commands ignored until end of transaction block');
    }
    const sp = block.savepoints[i]!;
    block.savepoints.length = i;
    block.txn!.releaseSavepoint(sp.mark);
  }

  // ---- simple query ------------------------------------------------------------------------------

  async simpleQuery(sql: string, sink: ResultSink): Promise<void> {
    this.canceled = false;
    const lifted = this.block?.catalog == null ? this.liftedStatement(sql) : null;
    if (lifted !== null) {
      await this.runWithBlock(lifted.prepared, lifted.params, [], sink, 0, null, true);
      return;
    }
    const stmts = parseSql(sql);
    if (stmts.length === 0) {
      sink.emptyQuery();
      return;
    }
    // Several statements in one Query message run in one implicit transaction, as in PostgreSQL:
    // an error rolls back the statements before it (unless they were committed explicitly).
    const multi = stmts.length > 1 && this.block === null;
    if (multi) this.block = this.newBlock(false);
    for (const raw of stmts) {
      const prepared: PreparedStatement = { name: '', sql: raw.text, raw, paramTypes: [], bound: null, fromSql: false };
      try {
        await this.runWithBlock(prepared, [], [], sink, 0, null, !multi);
      } catch (e) {
        throw withCharPosition(toSqlError(e), sql);
      }
    }
    if (multi && this.block !== null && !this.block.explicit) await this.commitBlock();
  }

  /**
   * Runs one statement inside the transaction rules: 25P02 in a failed block, an implicit
   * transaction around statements outside BEGIN (committed at once when autocommit), errors
   * marking an explicit block failed.
   */
  private async runWithBlock(
    prepared: PreparedStatement, params: Datum[], formats: readonly number[], sink: ResultSink,
    maxRows: number, portal: Portal | null, autocommit: boolean,
  ): Promise<void> {
    const raw = prepared.raw!;
    const control = isTransactionControl(raw);
    if (this.block?.failed === true && !control) {
      throw new SqlError(SQLSTATE.IN_FAILED_SQL_TRANSACTION, 'current transaction is aborted, commands ignored until end of transaction block');
    }
    const block = this.ensureBlock();
    try {
      await this.runStatement(prepared, params, formats, sink, maxRows, portal);
      if (!control) block.used = true;
    } catch (e) {
      const err = toSqlError(e);
      if (this.block !== null) {
        if (this.block.explicit) this.failBlock();
        else this.abortBlock();
      }
      throw err;
    }
    if (autocommit && this.block !== null && !this.block.explicit && (portal === null || portal.done)) {
      await this.commitBlock();
    }
  }

  /**
   * The simple-query cache: a statement whose text differs from a cached one only in its
   * literals reuses that one's parse, bind and plan, with the literals as parameters. Returns
   * null when the text is not liftable; the caller then runs the exact text.
   */
  private liftedStatement(sql: string): { prepared: PreparedStatement; params: Datum[] } | null {
    const norm = normalizeLiterals(sql);
    if (norm === null || norm.firstParam !== 1) return null;
    // The literals' types are part of the key: `j - 0` and `j - 'a'` resolve different operators.
    let types = '';
    for (const lit of norm.literals) types += `${literalType(lit.kind, lit.text)},`;
    const key = `${this.dbDesc.oid}\u0000${this.settings.get('search_path')}\u0000${norm.text}\u0000${types}`;
    const cache = this.db.simpleCache;
    let entry = cache.get(key);
    if (entry === undefined) {
      entry = liftedEntry(norm);
      if (cache.size >= LIMITS.queryCacheEntriesMax) cache.clear();
      cache.set(key, entry);
    }
    const prepared = entry.prepared;
    if (prepared === null) return null;
    try {
      if (this.block?.failed !== true) this.bindPrepared(prepared);
      const settings = { timeZone: this.settings.get('TimeZone') };
      const params = norm.literals.map((lit, i): Datum => {
        const declared = prepared.declaredParamTypes![i]!;
        const type = declared.oid === OID.unknown ? prepared.paramTypes[i] ?? { oid: OID.text, typmod: -1 } : declared;
        if (type.oid === OID.regclass) return this.catalogView().regclassIn(lit.text);
        if (type.oid === OID.text || type.oid === OID.unknown) return lit.text;
        return textIn({ oid: type.oid, typmod: -1 }, lit.text, settings);
      });
      return { prepared, params };
    } catch {
      // Errors are reported by the exact text's own parse and bind, with PostgreSQL's positions.
      return null;
    }
  }

  // ---- extended protocol ---------------------------------------------------------------------------

  parse(name: string, sql: string, paramTypeOids: readonly number[]): void {
    this.canceled = false;
    if (name !== '' && this.prepared.has(name)) {
      throw new SqlError(SQLSTATE.DUPLICATE_PREPARED_STATEMENT, `prepared statement "${name}" already exists`);
    }
    if (this.prepared.size >= LIMITS.preparedStatementsPerSessionMax && !this.prepared.has(name)) {
      throw new SqlError(SQLSTATE.PROGRAM_LIMIT_EXCEEDED, 'too many prepared statements');
    }
    if (name === '') {
      // Drivers send parameterized queries as the unnamed statement, Parse after Parse: the same
      // text with the same declared types keeps its bound and planned form (revalidated at Bind).
      const prev = this.prepared.get('');
      const declared = prev?.declaredParamTypes ?? prev?.paramTypes;
      if (prev !== undefined && !prev.fromSql && prev.sql === sql && prev.raw !== null && declared !== undefined
        && declared.length === paramTypeOids.length
        && declared.every((t, i) => t.oid === (paramTypeOids[i] === 0 ? OID.unknown : paramTypeOids[i]))) {
        if (this.block?.failed !== true) this.bindPrepared(prev);
        return;
      }
    }
    const stmts = parseSql(sql);
    if (stmts.length > 1) throw new SqlError(SQLSTATE.SYNTAX_ERROR, 'cannot insert multiple commands into a prepared statement');
    const paramTypes: SqlType[] = paramTypeOids.map((oid) => ({ oid: oid === 0 ? OID.unknown : oid, typmod: -1 }));
    for (const t of paramTypes) {
      if (t.oid !== OID.unknown && typeInfo(t.oid) === undefined) {
        throw new SqlError(SQLSTATE.UNDEFINED_OBJECT, `type with OID ${t.oid} does not exist`);
      }
    }
    const prepared: PreparedStatement = { name, sql, raw: stmts[0] ?? null, paramTypes, bound: null, fromSql: false };
    try {
      if (prepared.raw !== null && this.block?.failed !== true) this.bindPrepared(prepared);
    } catch (e) {
      throw withCharPosition(toSqlError(e), sql);
    }
    this.prepared.set(name, prepared);
  }

  /** Binds SELECT/INSERT/UPDATE/DELETE of a prepared statement (resolving parameter types). */
  bindPrepared(p: PreparedStatement): BoundForm | null {
    const raw = p.raw;
    if (raw === null) return null;
    const catalog = this.currentCatalog();
    const searchPath = this.settings.get('search_path');
    if (p.bound !== null && p.bound.catalog === catalog && p.bound.searchPath === searchPath) return p.bound;
    const tag = raw.tag;
    if (tag === 'ExplainStmt') {
      // EXPLAIN runs as a utility statement, but its query's parameters are typed as the query types them.
      const inner = nodeBody(raw.node).query as PgNode;
      if (nodeTag(inner) === 'SelectStmt' && p.paramTypes.length === 0) {
        const binder = new QueryBinder(new SessionCatalogView(this.db, catalog, this), []);
        binder.bindQuery(nodeBody(inner), null);
        p.paramTypes = binder.paramTypes.map((t) => (t.oid === OID.unknown ? { oid: OID.text, typmod: -1 } : t));
      }
      return null;
    }
    if (tag !== 'SelectStmt' && tag !== 'InsertStmt' && tag !== 'UpdateStmt' && tag !== 'DeleteStmt') return null;
    const view = new SessionCatalogView(this.db, catalog, this);
    p.declaredParamTypes ??= p.paramTypes.slice();
    const declared = p.declaredParamTypes;
    const binder = new QueryBinder(view, declared.slice());
    const body = nodeBody(raw.node);
    let statement: BoundQuery | BoundDml;
    if (tag === 'SelectStmt') statement = binder.bindQuery(body, null);
    else {
      const dml = new DmlBinder(binder, view);
      statement = tag === 'InsertStmt' ? dml.bindInsert(body) : tag === 'UpdateStmt' ? dml.bindUpdate(body) : dml.bindDelete(body);
    }
    for (let i = 0; i < binder.paramTypes.length; i++) {
      if (binder.paramTypes[i]!.oid !== OID.unknown) continue;
      // A lifted string literal nobody typed is text, as an unknown literal resolves.
      if (p.liftedFrom !== undefined && i >= p.liftedFrom) { binder.paramTypes[i] = { oid: OID.text, typmod: -1 }; continue; }
      // PostgreSQL: a parameter whose type cannot be inferred is an error.
      throw new SqlError(SQLSTATE.INDETERMINATE_DATATYPE, `could not determine data type of parameter $${i + 1}`);
    }
    p.paramTypes = binder.paramTypes;
    p.bound = { catalog, searchPath, statement, planned: null };
    return p.bound;
  }

  bind(portalName: string, statementName: string, paramFormats: readonly number[], params: readonly (Uint8Array | null)[], resultFormats: readonly number[]): void {
    const stmt = this.prepared.get(statementName);
    if (stmt === undefined) {
      throw new SqlError(SQLSTATE.INVALID_SQL_STATEMENT_NAME, `prepared statement "${statementName}" does not exist`);
    }
    if (this.block?.failed === true && stmt.raw !== null && !isTransactionControl(stmt.raw)) {
      throw new SqlError(SQLSTATE.IN_FAILED_SQL_TRANSACTION, 'current transaction is aborted, commands ignored until end of transaction block');
    }
    if (portalName !== '' && this.portals.has(portalName)) {
      throw new SqlError(SQLSTATE.DUPLICATE_CURSOR, `portal "${portalName}" already exists`);
    }
    const needed = stmt.paramTypes.length;
    if (params.length !== needed) {
      throw new SqlError(SQLSTATE.PROTOCOL_VIOLATION, `bind message supplies ${params.length} parameters, but prepared statement "${statementName}" requires ${needed}`);
    }
    if (paramFormats.length > 1 && paramFormats.length !== params.length) {
      throw new SqlError(SQLSTATE.PROTOCOL_VIOLATION, `bind message has ${paramFormats.length} parameter formats but ${params.length} parameters`);
    }
    const values: Datum[] = params.map((p, i) => {
      if (p === null) return null;
      const format = paramFormats.length === 0 ? 0 : paramFormats.length === 1 ? paramFormats[0]! : paramFormats[i]!;
      const type = stmt.paramTypes[i]!;
      const t = type.oid === OID.unknown ? { oid: OID.text, typmod: -1 } : type;
      if (format === 1) return binaryParam(t, p, i + 1);
      if (format !== 0) throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, `unsupported format code: ${format}`);
      const text = decodeUtf8Text(p);
      if (t.oid === OID.regclass) return this.catalogView().regclassIn(text);
      if (t.oid === OID.regproc) return regprocIn(text);
      return textIn(t, text, { timeZone: this.settings.get('TimeZone') });
    });
    this.portals.set(portalName, {
      name: portalName, statement: stmt, params: values, resultFormats, pending: null, pendingColumns: null,
      sent: 0, done: false, tag: null, ctx: null,
    });
  }

  describeStatement(name: string): StatementDescription {
    const stmt = this.prepared.get(name);
    if (stmt === undefined) throw new SqlError(SQLSTATE.INVALID_SQL_STATEMENT_NAME, `prepared statement "${name}" does not exist`);
    const columns = this.columnsOf(stmt);
    return {
      paramTypeOids: stmt.paramTypes.map((t) => (t.oid === OID.unknown ? OID.text : t.oid)),
      fields: columns === null ? null : fieldDescriptions(columns, []),
    };
  }

  describePortal(name: string): FieldDescription[] | null {
    const portal = this.portals.get(name);
    if (portal === undefined) {
      // An SQL cursor is a portal too (psycopg describes its named cursors this way).
      const cursorColumns = this.cursors.columnsOf(name);
      if (cursorColumns !== null) return fieldDescriptions(cursorColumns, []);
      throw new SqlError(SQLSTATE.INVALID_CURSOR_NAME, `portal "${name}" does not exist`);
    }
    const columns = this.columnsOf(portal.statement);
    return columns === null ? null : fieldDescriptions(columns, portal.resultFormats);
  }

  /** Result columns of a statement, or null when it returns no rows. */
  private columnsOf(stmt: PreparedStatement): OutputColumn[] | null {
    if (stmt.raw === null) return null;
    const bound = this.bindPrepared(stmt);
    if (bound !== null) {
      const s = bound.statement;
      if (s.kind === 'insert' || s.kind === 'update' || s.kind === 'delete') return s.returning.length > 0 ? s.returningColumns : null;
      return s.columns;
    }
    return utilityColumns(this, stmt.raw);
  }

  async execute(portalName: string, maxRows: number, sink: ResultSink): Promise<void> {
    this.canceled = false;
    const portal = this.portals.get(portalName);
    if (portal === undefined) throw new SqlError(SQLSTATE.INVALID_CURSOR_NAME, `portal "${portalName}" does not exist`);
    if (portal.statement.raw === null) {
      sink.emptyQuery();
      return;
    }
    if (portal.pending !== null) {
      await this.sendRows(portal, portal.pending, portal.pendingColumns!, maxRows, sink, portal.ctx!, this.catalogView());
      return;
    }
    if (portal.done) {
      // Re-executing a completed portal returns no more rows (PostgreSQL: same).
      sink.commandComplete(portal.tag ?? 'SELECT 0');
      return;
    }
    await this.runWithBlock(portal.statement, portal.params, portal.resultFormats, sink, maxRows, portal, false);
  }

  closeStatement(name: string): void {
    this.prepared.delete(name);
  }

  closePortal(name: string): void {
    this.portals.delete(name);
  }

  async sync(): Promise<void> {
    this.extendedError = false;
    this.portals.delete('');
    if (this.portals.size > 0) for (const [name, p] of this.portals) if (p.done || this.block === null) this.portals.delete(name);
    if (this.block !== null && !this.block.explicit) {
      if (this.block.failed) this.abortBlock();
      else await this.commitBlock();
    }
  }

  abortOnError(): void {
    this.extendedError = true;
    if (this.block !== null) {
      if (this.block.explicit) this.failBlock();
      else this.block.failed = true;
    }
  }

  /**
   * An error inside an explicit transaction block: the block is failed until ROLLBACK (or ROLLBACK
   * TO a savepoint), and, as in PostgreSQL, the aborted (sub)transaction's work and row locks are
   * released at once — back to the innermost savepoint, or the whole transaction.
   */
  private failBlock(): void {
    const block = this.block!;
    if (block.failed) return;
    block.failed = true;
    const txn = block.txn;
    if (txn === null || !txn.isActive) return;
    const sp = block.savepoints.at(-1);
    if (sp !== undefined) txn.rollbackToSavepoint(sp.mark);
    else txn.rollback();
  }

  cancel(): void {
    this.canceled = true;
    const ctx = this.running;
    if (ctx !== null) {
      ctx.canceled = true;
      ctx.txn.abortWaits(new SqlError(SQLSTATE.QUERY_CANCELED, 'canceling statement due to user request'));
    }
  }

  /** Name of this session's temporary schema. */
  get tempSchemaName(): string {
    return `pg_temp_${this.processId}`;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cancel();
    this.abortBlock();
    this.listener.close();
    try {
      if (this.db.catalogOf(this.dbDesc.oid).schema(this.tempSchemaName) !== undefined) {
        this.ensureBlock();
        await dropTempSchema(this);
        await this.commitBlock();
      }
    } catch (e) {
      this.abortBlock();
      process.stderr.write(`could not drop temporary objects of session ${this.processId}: ${String(e)}\n`);
    }
    this.db.sessionClosed(this.processId);
  }

  // ---- statement execution ---------------------------------------------------------------------------

  /** Builds the execution context of one statement (snapshot refresh, deadline, evaluation context). */
  makeExecContext(txn: Txn, params: Datum[], view: SessionCatalogView): ExecContext {
    const timeoutMs = Number(this.settings.get('statement_timeout'));
    const block = this.block!;
    const statementTs = nowMicros();
    let services = this.lastServices;
    if (services === null || this.lastView !== view) {
      services = this.services(view);
      if (this.lastView === view) this.lastServices = services;
    }
    const settings = this.settings;
    const evalContext: EvalContext = {
      transactionTimestamp: block.timestamp,
      statementTimestamp: statementTs,
      setting: (n: string) => settings.get(n),
      services,
    };
    return {
      txn, params, outer: [], probeRow: null, evalContext, stats: view, subqueryCache: new Map(),
      canceled: this.canceled, deadline: timeoutMs > 0 ? performance.now() + timeoutMs : Infinity,
      sleepRequestMs: 0, ticks: 0, annIndexes: this.db.annIndexes, settingIsDefault: (n: string) => settings.isDefault(n),
    };
  }

  private services(view: SessionCatalogView): SessionServices {
    const session = this;
    return {
      currentUser: () => session.user,
      sessionUser: () => session.user,
      currentDatabase: () => session.dbDesc.name,
      currentSchema: () => view.searchPathSchemas().find((s) => s.name !== 'pg_catalog')?.name ?? null,
      currentSchemas: (implicit: boolean) => view.searchPathSchemas().map((s) => s.name).filter((n) => implicit || n !== 'pg_catalog'),
      nextval: (seq: string) => {
        const desc = view.findSequence(seq);
        const v = session.db.sequences.nextval(desc);
        session.currvals.set(desc.oid, v);
        session.lastSequenceOid = desc.oid;
        return v;
      },
      currval: (seq: string) => {
        const desc = view.findSequence(seq);
        const v = session.currvals.get(desc.oid);
        if (v === undefined) {
          throw new SqlError(SQLSTATE.OBJECT_NOT_IN_PREREQUISITE_STATE, `currval of sequence "${desc.name}" is not yet defined in this session`);
        }
        return v;
      },
      setval: (seq: string, value: bigint, isCalled: boolean) => {
        const desc = view.findSequence(seq);
        const r = session.db.sequences.setval(desc, value, isCalled);
        if (isCalled) session.currvals.set(desc.oid, value);
        return r;
      },
      notify: (channel: string, payload: string) => session.listener.notify(channel, payload),
      catalogFunction: (name: string, args: readonly Datum[]) => catalogFunction(name, args, view),
    };
  }

  readonly currvals = new Map<number, bigint>();
  /** The sequence nextval last advanced in this session (lastval()). */
  lastSequenceOid: number | null = null;

  private async runStatement(
    prepared: PreparedStatement, params: Datum[], formats: readonly number[], sink: ResultSink, maxRows: number, portal: Portal | null,
  ): Promise<void> {
    const raw = prepared.raw!;
    const bound = this.bindPrepared(prepared);
    if (bound === null) {
      await executeUtility(this, raw, params, formats, portal === null ? sink : new PortalSink(sink), prepared.paramTypes);
      if (portal !== null) portal.done = true;
      return;
    }
    const txn = this.ensureTxn();
    // READ COMMITTED: a new snapshot per statement; REPEATABLE READ/SERIALIZABLE: frozen at the first.
    txn.refreshSnapshot();
    const view = this.viewOf(bound.catalog);
    const ctx = this.makeExecContext(txn, params, view);
    const timer = this.armTimeout(ctx);
    this.running = ctx;
    try {
      const s = bound.statement;
      if (s.kind === 'insert' || s.kind === 'update' || s.kind === 'delete') {
        const result = s.kind === 'insert' ? await runInsert(s, ctx, view) : s.kind === 'update' ? await runUpdate(s, ctx, view) : await runDelete(s, ctx, view);
        if (s.kind === 'insert') this.addRowDelta(s.target.table.oid, result.count);
        if (s.kind === 'delete') this.addRowDelta(s.target.table.oid, -result.count);
        const tag = s.kind === 'insert' ? `INSERT 0 ${result.count}` : `${s.kind.toUpperCase()} ${result.count}`;
        if (s.returning.length > 0) {
          if (portal === null) sink.rowDescription(fieldDescriptions(s.returningColumns, formats));
          const encode = encoders(s.returningColumns, formats, this.settings, view);
          for (const r of result.returning) sink.dataRow(encodeRow(r, encode, s.returningColumns.length));
        }
        if (portal !== null) { portal.done = true; portal.tag = tag; }
        sink.commandComplete(tag);
        return;
      }
      // Queries.
      if (s.kind === 'select' && s.lockMode !== null) {
        if (s.from === null || s.from.kind !== 'table') throw notSupported('FOR UPDATE/SHARE over joins or subqueries');
        const fromWithKey = { ...s.from, withKey: true, width: s.from.width + 1 };
        const skipped = await lockSelectedRows(fromWithKey, s.where, s.from.table.columns.length, s.lockMode, ctx, s.lockNoWait === true, s.from.table.name, s.lockSkip === true);
        if (skipped.size > 0) ctx.skipRows = { tableOid: s.from.table.oid, keys: skipped };
        if (txn.isolation === 'read committed') txn.refreshSnapshot();
      }
      const plannerKey = this.settings.plannerKey();
      if (bound.planned === null || bound.plannedUnder !== plannerKey) {
        bound.planned = planQuery(s, view);
        bound.plannedUnder = plannerKey;
      }
      const planned = bound.planned;
      if (portal === null) sink.rowDescription(fieldDescriptions(planned.columns, formats));
      const iterator = runPlanPausable(planned.root, ctx)[Symbol.iterator]();
      if (portal !== null) { portal.ctx = ctx; portal.pendingColumns = planned.columns; }
      await this.sendRows(portal, iterator, planned.columns, maxRows, sink, ctx, view);
    } finally {
      clearTimeout(timer);
      this.running = null;
    }
  }

  /** Arms statement_timeout: aborts lock waits and sleeps when the deadline passes. */
  private armTimeout(ctx: ExecContext): NodeJS.Timeout | undefined {
    if (ctx.deadline === Infinity) return undefined;
    return setTimeout(() => {
      ctx.txn.abortWaits(new SqlError(SQLSTATE.QUERY_CANCELED, 'canceling statement due to statement timeout'));
      ctx.canceled = ctx.canceled || false;
      const wake = (ctx as { wake?: () => void }).wake;
      wake?.();
    }, Math.max(0, ctx.deadline - performance.now()));
  }

  /** Pulls rows from a plan and sends them, yielding to the event loop now and then. */
  private async sendRows(
    portal: Portal | null, iterator: Iterator<Row>, columns: OutputColumn[], maxRows: number, sink: ResultSink, ctx: ExecContext,
    view: SessionCatalogView,
  ): Promise<void> {
    const encode = this.encodersFor(columns, portal?.resultFormats ?? [], view);
    const width = columns.length;
    let count = portal?.sent ?? 0;
    let sentNow = 0;
    let lastYield = performance.now();
    this.running = ctx;
    ctx.pauseAt = performance.now() + PAUSE_EVERY_MS;
    ctx.asyncWaits = true;
    for (;;) {
      if (maxRows > 0 && sentNow >= maxRows) {
        portal!.pending = iterator;
        portal!.sent = count;
        sink.portalSuspended();
        return;
      }
      const next = iterator.next();
      if (next.done === true) break;
      if (next.value === PAUSE) {
        await this.servePause(ctx);
        lastYield = performance.now();
        continue;
      }
      if (ctx.sleepRequestMs > 0) await this.sleep(ctx);
      sink.dataRow(encodeRow(next.value, encode, width));
      count++;
      sentNow++;
      if ((count & 255) === 0 && performance.now() - lastYield > 20) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        lastYield = performance.now();
        if (this.canceled) ctx.canceled = true;
        checkInterrupts(ctx);
      }
    }
    if (ctx.sleepRequestMs > 0) await this.sleep(ctx);
    const tag = `SELECT ${count}`;
    if (portal !== null) { portal.done = true; portal.pending = null; portal.tag = tag; }
    sink.commandComplete(tag);
  }

  /** Result encoders of a plan's columns, made once per formats, time zone and catalog view. */
  private readonly encoderCache = new WeakMap<readonly OutputColumn[], {
    formats: readonly number[]; timeZone: string; view: SessionCatalogView; encode: Encoder[];
  }>();

  private encodersFor(columns: readonly OutputColumn[], formats: readonly number[], view: SessionCatalogView): Encoder[] {
    const timeZone = this.settings.get('TimeZone');
    const hit = this.encoderCache.get(columns);
    if (hit !== undefined && hit.view === view && hit.timeZone === timeZone && sameNumbers(hit.formats, formats)) return hit.encode;
    const encode = encoders(columns, formats, this.settings, view);
    this.encoderCache.set(columns, { formats: formats.slice(), timeZone, view, encode });
    return encode;
  }

  /** Serves pg_sleep: waits, waking early on cancel or statement_timeout. */
  private async sleep(ctx: ExecContext): Promise<void> {
    const ms = ctx.sleepRequestMs;
    ctx.sleepRequestMs = 0;
    const end = performance.now() + ms;
    while (performance.now() < end) {
      if (this.canceled) ctx.canceled = true;
      checkInterrupts(ctx);
      const wait = Math.min(50, end - performance.now(), ctx.deadline - performance.now());
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, wait));
        (ctx as { wake?: () => void }).wake = () => { clearTimeout(t); resolve(); };
      });
    }
    if (this.canceled) ctx.canceled = true;
    checkInterrupts(ctx);
  }

  /**
   * DECLARE's query: bound, planned and started in the current transaction (its snapshot is the
   * cursor's); `next` reads one more row, serving the event loop when an operator pauses.
   */
  private openCursorQuery(
    query: PgNode, params: readonly Datum[], paramTypes: readonly SqlType[],
  ): { columns: OutputColumn[]; next(): Promise<Row | undefined> } {
    const tag = nodeTag(query);
    const prepared: PreparedStatement = {
      name: '', sql: '', raw: { node: query, tag, text: '', location: 0 },
      paramTypes: paramTypes.slice(), declaredParamTypes: paramTypes.slice(), bound: null, fromSql: true,
    };
    const bound = this.bindPrepared(prepared);
    // Parameters DECLARE left untyped arrived as text: read them as the query's binding typed them.
    const settings = { timeZone: this.settings.get('TimeZone') };
    const values = params.map((v, i): Datum => {
      const declared = paramTypes[i]?.oid ?? OID.unknown;
      const t = prepared.paramTypes[i];
      if (v === null || declared !== OID.unknown || t === undefined || t.oid === OID.unknown || t.oid === OID.text) return v;
      return textIn({ oid: t.oid, typmod: -1 }, v as string, settings);
    });
    if (bound === null || bound.statement.kind === 'insert' || bound.statement.kind === 'update' || bound.statement.kind === 'delete') {
      throw notSupported('cursors over statements other than queries');
    }
    const txn = this.ensureTxn();
    txn.refreshSnapshot();
    const view = this.viewOf(bound.catalog);
    const ctx = this.makeExecContext(txn, values, view);
    const planned = planQuery(bound.statement, view);
    const iterator = runPlanPausable(planned.root, ctx)[Symbol.iterator]();
    ctx.asyncWaits = true;
    ctx.pauseAt = performance.now() + PAUSE_EVERY_MS;
    const next = async (): Promise<Row | undefined> => {
      for (;;) {
        const r = iterator.next();
        if (r.done === true) return undefined;
        if (r.value !== PAUSE) return r.value;
        await this.servePause(ctx);
      }
    };
    return { columns: planned.columns, next };
  }

  /**
   * A plan yielded PAUSE: a long-running operator let go, or a scan waits for a shared search.
   * Serves the event loop (cancel requests) or waits for the search, then lets the plan go on.
   */
  private async servePause(ctx: ExecContext): Promise<void> {
    const pending = ctx.pending;
    ctx.pending = undefined;
    if (pending !== undefined) await pending; else await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.canceled) ctx.canceled = true;
    checkInterrupts(ctx);
    ctx.pauseAt = performance.now() + PAUSE_EVERY_MS;
  }

  /** Notifications received, to send now: none while a transaction block is open (PostgreSQL waits). */
  takeNotifications(): Notification[] {
    return this.block?.explicit === true ? [] : this.listener.take();
  }

  /** The connection's callback for a notification arriving while it may be idle. */
  setNotificationListener(onArrival: (() => void) | null): void {
    this.listener.onArrival = onArrival;
  }

  /** Runs a statement given as SQL text inside the current transaction (EXECUTE, views, COPY). */
  async runPrepared(p: PreparedStatement, params: Datum[], formats: readonly number[], sink: ResultSink): Promise<void> {
    await this.runStatement(p, params, formats, sink, 0, null);
  }

  /** Runs a bound query to completion and returns its rows (for COPY (query) TO, EXPLAIN ANALYZE). */
  collectRows(query: BoundQuery, params: Datum[]): { columns: OutputColumn[]; rows: Row[] } {
    const txn = this.ensureTxn();
    const view = this.catalogView();
    const ctx = this.makeExecContext(txn, params, view);
    const planned = planQuery(query, view);
    const rows = [...runPlan(planned.root, ctx)].map((r) => r.slice(0, planned.outputWidth));
    return { columns: planned.columns, rows };
  }

  parameterChanged(name: string, sink: ResultSink): void {
    if (isReported(name)) sink.parameterStatus(name, this.settings.get(name));
  }

  get isExtendedError(): boolean {
    return this.extendedError;
  }
}

/** Binary-format sizes of fixed-length types (PostgreSQL's typlen), for Bind checks. */
const BINARY_SIZES = new Map<number, number>([
  [OID.bool, 1], [OID.int2, 2], [OID.int4, 4], [OID.int8, 8], [OID.float4, 4], [OID.float8, 8], [OID.oid, 4],
  [OID.date, 4], [OID.time, 8], [OID.timestamp, 8], [OID.timestamptz, 8], [OID.uuid, 16], [OID.interval, 16],
]);

/** A binary-format Bind parameter, with PostgreSQL's errors for wrong lengths and bad text. */
function binaryParam(t: SqlType, p: Uint8Array, n: number): Datum {
  const size = BINARY_SIZES.get(t.oid);
  if (size !== undefined) {
    if (p.length < size) throw new SqlError(SQLSTATE.PROTOCOL_VIOLATION, 'insufficient data left in message');
    if (p.length > size) throw new SqlError(SQLSTATE.INVALID_BINARY_REPRESENTATION, `incorrect binary data format in bind parameter ${n}`);
  }
  if (t.oid === OID.text || t.oid === OID.varchar || t.oid === OID.bpchar || t.oid === OID.name || t.oid === OID.json) decodeUtf8Text(p);
  return binaryIn(t, p);
}

/** Error positions from parse-tree locations count bytes; PostgreSQL reports characters. */
function withCharPosition(e: SqlError, sql: string): SqlError {
  const p = e.position;
  if (p === undefined || !/[^\x00-\x7f]/.test(sql)) return e;
  return new SqlError(e.code, e.message, { ...e.fields, position: byteToCharOffset(sql, p - 1) + 1 });
}

/** A simple-query cache entry: the lifted statement, or null when its shape is not liftable. */
export interface LiftedEntry {
  prepared: PreparedStatement | null;
}

function liftedEntry(norm: NormalizedQuery): LiftedEntry {
  let stmts: RawStatement[];
  try {
    stmts = parseSql(norm.text);
  } catch {
    return { prepared: null };
  }
  const raw = stmts[0];
  if (stmts.length !== 1 || raw === undefined) return { prepared: null };
  if (!['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt'].includes(raw.tag)) return { prepared: null };
  if (!liftedParamsAreValues(raw.node, norm.firstParam)) return { prepared: null };
  const declared: SqlType[] = norm.literals.map((lit) => ({ oid: literalType(lit.kind, lit.text), typmod: -1 }));
  return {
    prepared: { name: '', sql: norm.text, raw, paramTypes: declared.slice(), declaredParamTypes: declared, liftedFrom: 0, bound: null, fromSql: false },
  };
}

function literalType(kind: string, text: string): number {
  if (kind === 'string') return OID.unknown;
  if (kind === 'numeric') return OID.numeric;
  if (text.length < 10) return OID.int4;
  const v = BigInt(text);
  if (v < 2n ** 31n) return OID.int4;
  if (v < 2n ** 63n) return OID.int8;
  return OID.numeric;
}

/**
 * Lifted literals must stand for values: a constant directly in ORDER BY, GROUP BY or DISTINCT ON
 * is a column position, so such texts are not lifted.
 */
function liftedParamsAreValues(node: PgNode, firstParam: number): boolean {
  let ok = true;
  const isLifted = (n: PgNode | undefined): boolean => n !== undefined && n['ParamRef'] !== undefined && ((n['ParamRef'].number as number) ?? 0) >= firstParam;
  const walk = (x: unknown): void => {
    if (!ok || x === null || typeof x !== 'object') return;
    if (Array.isArray(x)) { for (const v of x) walk(v); return; }
    const o = x as PgNode;
    if (o['SortBy'] !== undefined && isLifted(o['SortBy'].node)) { ok = false; return; }
    for (const clause of ['groupClause', 'distinctClause'] as const) {
      const list = o[clause] as PgNode[] | undefined;
      if (Array.isArray(list) && list.some((g) => isLifted(g))) { ok = false; return; }
    }
    for (const v of Object.values(o)) walk(v);
  };
  walk(node);
  return ok;
}

// ---- result encoding --------------------------------------------------------------------------------

type Encoder = (d: Datum) => WireValue;

export function encoders(columns: readonly OutputColumn[], formats: readonly number[], settings: SessionSettings, view?: SessionCatalogView): Encoder[] {
  const typeSettings = {
    timeZone: settings.get('TimeZone'), relationName: (oid: number) => view?.relationName(oid),
    namespaceName: (oid: number) => view?.namespaceName(oid), procName: regprocOut,
  };
  return columns.map((c, i) => {
    const format = formats.length === 0 ? 0 : formats.length === 1 ? formats[0]! : formats[i] ?? 0;
    const type: SqlType = c.type;
    if (format === 1) return (d) => (d === null ? null : binaryOut(type, d));
    if (type.oid === OID.text || type.oid === OID.varchar || type.oid === OID.name) return (d) => (d === null ? null : (d as string));
    if (type.oid === OID.int4 || type.oid === OID.int2) return (d) => (d === null ? null : String(d as number));
    return (d) => (d === null ? null : textOut(type, d, typeSettings));
  });
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function encodeRow(row: Row, encode: Encoder[], width: number): WireValue[] {
  const out = new Array<WireValue>(width);
  for (let i = 0; i < width; i++) out[i] = encode[i]!(row[i] ?? null);
  return out;
}

export function fieldDescriptions(columns: readonly OutputColumn[], formats: readonly number[]): FieldDescription[] {
  return columns.map((c, i) => {
    const format = formats.length === 0 ? 0 : formats.length === 1 ? formats[0]! : formats[i] ?? 0;
    return {
      name: c.name, tableOid: c.tableOid, columnAttr: c.attnum, typeOid: c.type.oid,
      typeSize: typeInfo(c.type.oid)?.len ?? -1, typmod: c.type.typmod, format: format === 1 ? 1 : 0,
    };
  });
}

export type { PgNode };
