// The embedded API (composition root): open a data directory or a memory-only database and run
// SQL in-process, with parameters, results typed as node-postgres types them, and transactions.
// Several connections may be open at once. The server (src/main.ts) is a thin layer over openEngine.
import pgTypes from 'pg-types';
import { SqlError, toSqlError } from './base/index.js';
import { Store } from './storage/index.js';
import { TxnManager } from './txn/index.js';
import {
  Database, type Engine, type EngineSession, type FieldDescription, type NoticeFields, type ResultSink, type WireValue,
} from './sql/engine/index.js';

export interface OpenOptions {
  /** Data directory (created if missing). */
  dataDir?: string | undefined;
  /** Memory-only database (nothing survives close). */
  memory?: boolean | undefined;
}

/** Opens the engine the server and the embedded API run on. */
export async function openEngine(opts: OpenOptions): Promise<Engine> {
  const store = Store.open(opts.memory === true || opts.dataDir === undefined ? { memory: true } : { path: opts.dataDir });
  const txns = new TxnManager(store);
  const db = await Database.open(txns);
  const stopGc = txns.startGc(10_000);
  const close = db.close.bind(db);
  db.close = async (): Promise<void> => {
    stopGc();
    await close();
    await store.close();
  };
  return db;
}

export interface QueryResult<R = Record<string, unknown>> {
  command: string;
  rowCount: number | null;
  rows: R[];
  fields: Array<{ name: string; dataTypeID: number; tableID: number; columnID: number }>;
}

/** A database opened in-process. */
export class QuiverDB {
  private constructor(private readonly engine: Engine) {}

  static async open(opts: OpenOptions = { memory: true }): Promise<QuiverDB> {
    return new QuiverDB(await openEngine(opts));
  }

  /** Opens a connection (a session) as `user` on `database`. */
  async connect(opts: { user?: string; database?: string } = {}): Promise<Connection> {
    const session = await this.engine.openSession({ user: opts.user ?? 'postgres', database: opts.database ?? 'postgres', params: {} });
    return new Connection(session);
  }

  /** Runs one statement on a short-lived connection. */
  async query<R = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<QueryResult<R>> {
    const c = await this.connect();
    try {
      return await c.query<R>(sql, params);
    } finally {
      await c.close();
    }
  }

  async close(): Promise<void> {
    await this.engine.close();
  }
}

/** One in-process session: statements run in order, one at a time. */
export class Connection {
  private queue: Promise<unknown> = Promise.resolve();
  readonly notices: NoticeFields[] = [];

  constructor(private readonly session: EngineSession) {}

  /**
   * Runs SQL. Without parameters the text may hold several statements (the last result is
   * returned); with parameters it is one statement run through the extended protocol.
   */
  query<R = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<QueryResult<R>> {
    const run = this.queue.then(() => this.run<R>(sql, params));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Runs fn inside BEGIN/COMMIT, rolling back if it throws. */
  async transaction<T>(fn: (c: Connection) => Promise<T>): Promise<T> {
    await this.query('BEGIN');
    try {
      const r = await fn(this);
      await this.query('COMMIT');
      return r;
    } catch (e) {
      await this.query('ROLLBACK');
      throw e;
    }
  }

  private async run<R>(sql: string, params: unknown[]): Promise<QueryResult<R>> {
    const sink = new CollectingSink(this.notices);
    try {
      if (params.length === 0) {
        await this.session.simpleQuery(sql, sink);
      } else {
        this.session.parse('', sql, []);
        const encoded = params.map((p) => (p === null || p === undefined ? null : Buffer.from(paramText(p), 'utf8')));
        this.session.bind('', '', [], encoded, []);
        sink.fields = this.session.describePortal('') ?? [];
        await this.session.execute('', 0, sink);
        await this.session.sync();
      }
    } catch (e) {
      if (params.length > 0) {
        this.session.abortOnError();
        await this.session.sync();
      }
      throw toSqlError(e);
    }
    return sink.result<R>();
  }

  async close(): Promise<void> {
    await this.queue;
    await this.session.close();
  }
}

function paramText(p: unknown): string {
  if (p instanceof Date) return p.toISOString();
  if (Buffer.isBuffer(p)) return '\\x' + p.toString('hex');
  if (Array.isArray(p)) return `{${p.map((x) => (x === null ? 'NULL' : `"${String(x).replace(/["\\]/g, '\\$&')}"`)).join(',')}}`;
  if (typeof p === 'object') return JSON.stringify(p);
  return String(p);
}

/** Collects results the way node-postgres presents them (pg-types text parsers). */
class CollectingSink implements ResultSink {
  fields: readonly FieldDescription[] = [];
  private rows: Array<Record<string, unknown>> = [];
  private command = '';
  private rowCount: number | null = null;

  constructor(private readonly notices: NoticeFields[]) {}

  rowDescription(fields: readonly FieldDescription[]): void {
    this.fields = fields;
    this.rows = [];
  }

  dataRow(values: readonly WireValue[]): void {
    const row: Record<string, unknown> = {};
    this.fields.forEach((f, i) => {
      const v = values[i];
      row[f.name] = v === null || v === undefined ? null : pgTypes.getTypeParser(f.typeOid, 'text')(typeof v === 'string' ? v : Buffer.from(v).toString('utf8'));
    });
    this.rows.push(row);
  }

  commandComplete(tag: string): void {
    const parts = tag.split(' ');
    this.command = parts[0]!;
    const last = Number(parts.at(-1));
    this.rowCount = Number.isFinite(last) && parts.length > 1 ? last : null;
  }

  emptyQuery(): void { this.command = ''; }
  portalSuspended(): void { /* never: the embedded API executes without a row limit */ }
  notice(n: NoticeFields): void { this.notices.push(n); }
  parameterStatus(): void { /* settings are read with SHOW */ }
  // eslint-disable-next-line require-yield
  async *copyIn(): AsyncIterable<Uint8Array> {
    throw new SqlError('0A000', 'COPY FROM STDIN is not supported through the embedded API; use INSERT');
  }
  copyOutStart(): void { throw new SqlError('0A000', 'COPY TO STDOUT is not supported through the embedded API; use SELECT'); }
  copyData(): void { /* unreachable */ }
  copyDone(): void { /* unreachable */ }

  result<R>(): QueryResult<R> {
    return {
      command: this.command, rowCount: this.rowCount, rows: this.rows as R[],
      fields: this.fields.map((f) => ({ name: f.name, dataTypeID: f.typeOid, tableID: f.tableOid, columnID: f.columnAttr })),
    };
  }
}

export type { Engine };
