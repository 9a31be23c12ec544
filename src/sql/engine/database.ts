// The server-wide engine: owns the transaction manager, the committed catalogs (one shared for
// databases and roles, one per database), sequences, table statistics and the live sessions. It
// implements the Engine contract the wire layer and the embedded API use.
import { SqlError, SQLSTATE, LIMITS } from '../../base/index.js';
import {
  Catalog, loadCatalog, loadOidCounter, persistCatalogChanges, type OidCounter, type TableDesc,
  type IndexDesc, type RoleDesc,
} from '../../catalog/index.js';
import { systemKey } from '../../keys/index.js';
import type { TxnManager, Txn } from '../../txn/index.js';
import { loadParser } from '../parse/index.js';
import type { Engine, EngineSession, RoleAuth, SessionStartup } from './session-api.js';
import { Session, type LiftedEntry } from './session.js';
import { SequenceStore } from './sequences.js';
import { TableStats } from './table-stats.js';
import { AnnIndexes } from '../exec/index.js';
import { SessionCatalogView } from './catalog-view.js';
import { openAnnIndexes } from './ann-ddl.js';
import { NotificationHub } from './notifications.js';

/** How often deleted vectors are purged from ANN indexes and the indexes checkpointed. */
const ANN_MAINTENANCE_MS = 10_000;

/** Fixed OIDs of bootstrap objects, as PostgreSQL numbers them. */
export const BOOTSTRAP_SUPERUSER_OID = 10;
export const TEMPLATE1_OID = 1;
export const POSTGRES_DB_OID = 5;
export const PG_CATALOG_OID = 11;
export const PUBLIC_SCHEMA_OID = 2200;
export const INFORMATION_SCHEMA_OID = 13_000;
export const PG_TOAST_OID = 99;

export class Database implements Engine {
  readonly shared: { catalog: Catalog };
  private readonly catalogs = new Map<number, Catalog>();
  readonly sessions = new Map<number, Session>();
  /** The simple-query cache (literal-lifted statements), shared by all sessions. */
  readonly simpleCache = new Map<string, LiftedEntry>();
  readonly sequences: SequenceStore;
  readonly stats: TableStats;
  readonly oids: OidCounter;
  private nextPid = 1000 + Math.floor(Math.random() * 1000);
  private closed = false;
  readonly startTime = Date.now();
  /** The live hnsw / ivfflat indexes of every database. */
  readonly annIndexes: AnnIndexes;
  /** LISTEN / NOTIFY channels, per database OID. */
  private readonly hubs = new Map<number, NotificationHub>();

  /** The notification channels of database `dbOid`. */
  notificationHub(dbOid: number): NotificationHub {
    let hub = this.hubs.get(dbOid);
    if (hub === undefined) { hub = new NotificationHub(); this.hubs.set(dbOid, hub); }
    return hub;
  }

  private constructor(readonly txns: TxnManager, oids: OidCounter, shared: Catalog) {
    this.oids = oids;
    this.shared = { catalog: shared };
    this.sequences = new SequenceStore(txns);
    this.stats = new TableStats(txns);
    this.annIndexes = new AnnIndexes(txns);
  }

  /** Opens the engine over a transaction manager, creating the bootstrap catalog on first use. */
  static async open(txns: TxnManager): Promise<Database> {
    await loadParser();
    const txn = txns.begin({ isolation: 'read committed' });
    const oids = loadOidCounter(txn, 16_384);
    const shared = loadCatalog(txn, 0, oids);
    txn.rollback();
    const db = new Database(txns, oids, shared);
    if (shared.database('postgres') === undefined && [...shared.all('database')].length === 0) {
      await db.bootstrap();
    }
    await db.openAnnIndexes();
    db.annIndexes.startBackground(ANN_MAINTENANCE_MS);
    return db;
  }

  private async bootstrap(): Promise<void> {
    const txn = this.txns.begin({ isolation: 'read committed' });
    const shared = this.shared.catalog.mutable();
    shared.put('role', superuser('postgres'));
    shared.put('database', { oid: TEMPLATE1_OID, name: 'template1', owner: 'postgres' });
    shared.put('database', { oid: POSTGRES_DB_OID, name: 'postgres', owner: 'postgres' });
    persistCatalogChanges(txn, shared);
    const catalogs: Catalog[] = [];
    for (const dbOid of [TEMPLATE1_OID, POSTGRES_DB_OID]) {
      const c = this.emptyDatabaseCatalog(dbOid);
      persistCatalogChanges(txn, c);
      catalogs.push(c);
    }
    await txn.commit();
    this.shared.catalog = shared;
    this.catalogs.set(TEMPLATE1_OID, catalogs[0]!);
    this.catalogs.set(POSTGRES_DB_OID, catalogs[1]!);
  }

  /** A new database's catalog with its built-in schemas. */
  emptyDatabaseCatalog(dbOid: number): Catalog {
    const c = Catalog.empty(dbOid, this.oids).mutable();
    c.put('schema', { oid: PG_CATALOG_OID, dbOid, name: 'pg_catalog', owner: 'postgres' });
    c.put('schema', { oid: PUBLIC_SCHEMA_OID, dbOid, name: 'public', owner: 'postgres' });
    c.put('schema', { oid: INFORMATION_SCHEMA_OID, dbOid, name: 'information_schema', owner: 'postgres' });
    c.put('schema', { oid: PG_TOAST_OID, dbOid, name: 'pg_toast', owner: 'postgres' });
    return c;
  }

  /** The committed catalog of a database. */
  catalogOf(dbOid: number): Catalog {
    let c = this.catalogs.get(dbOid);
    if (c === undefined) {
      const txn = this.txns.begin({ isolation: 'read committed' });
      c = loadCatalog(txn, dbOid, this.oids);
      txn.rollback();
      this.catalogs.set(dbOid, c);
    }
    return c;
  }

  /** Installs a catalog version committed by a DDL transaction. */
  publishCatalog(catalog: Catalog): void {
    if (catalog.dbOid === 0) this.shared.catalog = catalog;
    else {
      this.catalogs.set(catalog.dbOid, catalog);
      const ann = new Set<number>();
      for (const i of catalog.all('index')) if (i.method !== 'btree') ann.add(i.oid);
      this.annIndexes.syncCatalog(catalog.dbOid, ann, (oid) => catalog.get('table', oid));
    }
  }

  /** Reopens the ANN indexes of every database (start-up). */
  private async openAnnIndexes(): Promise<void> {
    const catalogs: Catalog[] = [];
    for (const d of this.shared.catalog.all('database')) catalogs.push(this.catalogOf(d.oid));
    const internal = (catalog: Catalog): SessionCatalogView => {
      const dbDesc = [...this.shared.catalog.all('database')].find((d) => d.oid === catalog.dbOid)!;
      const session = new Session(this, 0, 0, superuser('postgres'), dbDesc, {});
      return new SessionCatalogView(this, catalog, session);
    };
    await openAnnIndexes(this.annIndexes, catalogs, internal);
  }

  forgetDatabase(dbOid: number): void {
    this.catalogs.delete(dbOid);
  }

  /** Serializes DDL per database: the lock is held until the DDL transaction ends. */
  async lockCatalog(txn: Txn, dbOid: number): Promise<void> {
    const wait = txn.lockRow(systemKey(`ddl/${dbOid}`), 'exclusive');
    if (wait !== undefined) await wait;
  }

  async openSession(startup: SessionStartup): Promise<EngineSession> {
    if (this.closed) throw new SqlError(SQLSTATE.ADMIN_SHUTDOWN, 'the database system is shutting down');
    const role = this.shared.catalog.role(startup.user);
    if (role === undefined) {
      throw new SqlError(SQLSTATE.INVALID_AUTHORIZATION_SPECIFICATION, `role "${startup.user}" does not exist`, { severity: 'FATAL' });
    }
    if (!role.canLogin) {
      throw new SqlError(SQLSTATE.INVALID_AUTHORIZATION_SPECIFICATION, `role "${startup.user}" is not permitted to log in`, { severity: 'FATAL' });
    }
    const dbDesc = this.shared.catalog.database(startup.database);
    if (dbDesc === undefined) {
      throw new SqlError(SQLSTATE.UNDEFINED_DATABASE, `database "${startup.database}" does not exist`, { severity: 'FATAL' });
    }
    if (this.sessions.size >= LIMITS.connectionsMax) {
      throw new SqlError(SQLSTATE.TOO_MANY_CONNECTIONS, 'sorry, too many clients already', { severity: 'FATAL' });
    }
    const pid = this.nextPid++;
    const secret = Math.floor(Math.random() * 0x7fffffff);
    const session = new Session(this, pid, secret, role, dbDesc, startup.params);
    this.sessions.set(pid, session);
    return session;
  }

  sessionClosed(pid: number): void {
    this.sessions.delete(pid);
  }

  roleAuth(user: string): RoleAuth | undefined {
    const r = this.shared.catalog.role(user);
    if (r === undefined) return undefined;
    return { password: r.password, canLogin: r.canLogin, validUntil: r.validUntil };
  }

  cancel(processId: number, secretKey: number): void {
    const s = this.sessions.get(processId);
    if (s !== undefined && s.secretKey === secretKey) s.cancel();
  }

  /** Row count estimate for the planner. */
  rowCount(table: TableDesc): number {
    return this.stats.rowCount(table);
  }

  indexesOf(dbOid: number, tableOid: number): IndexDesc[] {
    return this.catalogOf(dbOid).indexesOf(tableOid);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const s of [...this.sessions.values()]) await s.close();
    await this.sequences.flush();
    this.annIndexes.close();
    try { this.stats.save(); } catch (e) { console.error('saving table statistics failed', e); }
  }
}

export function superuser(name: string): RoleDesc {
  return {
    oid: BOOTSTRAP_SUPERUSER_OID, name, superuser: true, canLogin: true, createDb: true, createRole: true,
    inherit: true, replication: true, bypassRls: true, connectionLimit: -1, password: null, validUntil: null,
  };
}
