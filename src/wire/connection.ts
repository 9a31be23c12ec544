// One client connection: the protocol v3 state machine from the startup packet to Terminate.
// Startup (SSL/GSS refusal, cancel, protocol version, parameters), pg_hba + authentication,
// then the simple and extended query protocols, COPY, and ErrorResponse/skip-till-Sync, mapped
// onto an EngineSession. Every failure stays inside this connection.
import type { Socket } from 'node:net';
import { SqlError, SQLSTATE, toSqlError } from '../base/index.js';
import { authenticate, type AuthIo } from './auth.js';
import type {
  Engine, EngineSession, FieldDescription, NoticeFields, ResultSink, RoleAuth, WireValue,
} from './engine-api.js';
import { matchHba, normalizeAddress, type HbaRule } from './hba.js';
import {
  BodyCursor, MalformedMessage, MessageReader, ProtocolViolation, type FrontendMessage,
  type ReaderLimits,
} from './message-reader.js';
import { MessageWriter, SSL_NO } from './message-writer.js';

const SSL_REQUEST_CODE = 80877103;
const GSSENC_REQUEST_CODE = 80877104;
const CANCEL_REQUEST_CODE = 80877102;
/** Output is written to the socket whenever this much has accumulated mid-statement. */
const OUTPUT_FLUSH_BYTES = 256 * 1024;
/** Reading from the socket pauses while this much input waits unprocessed. */
const INPUT_PAUSE_BYTES = 4 * 1024 * 1024;
/** COPY FROM STDIN hands the engine at most this much already-received data at a time. */
const COPY_CHUNK_BYTES = 256 * 1024;

const MSG = {
  Bind: 0x42, Close: 0x43, Describe: 0x44, Execute: 0x45, FunctionCall: 0x46, Flush: 0x48,
  Parse: 0x50, Query: 0x51, Sync: 0x53, Terminate: 0x58, CopyDone: 0x63, CopyData: 0x64,
  CopyFail: 0x66, Password: 0x70,
} as const;

export interface ConnectionOptions {
  hbaRules: readonly HbaRule[];
  limits: ReaderLimits;
  /** 'local' for Unix-domain sockets. */
  connType: 'host' | 'local';
  /** Called when the connection counts toward max_connections and the limit is reached. */
  admit(): boolean;
  log?: ((level: 'info' | 'warn' | 'error', msg: string) => void) | undefined;
}

type State = 'startup' | 'idle' | 'busy' | 'closed';

export class Connection implements ResultSink {
  private readonly reader: MessageReader;
  private readonly writer = new MessageWriter();
  private session: EngineSession | undefined;
  private state: State = 'startup';
  private ended = false;
  private paused = false;
  private wake: (() => void) | undefined;
  private skipTillSync = false;
  private shutdownRequested = false;
  private closedPromise: Promise<void>;
  private resolveClosed!: () => void;
  /** A framing error seen by the reader: the connection must end with it. */
  private violation: ProtocolViolation | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly engine: Engine,
    private readonly opts: ConnectionOptions,
  ) {
    this.reader = new MessageReader(opts.limits);
    this.closedPromise = new Promise<void>((r) => { this.resolveClosed = r; });
  }

  /** Resolves once the socket is closed and the session (if any) is closed. */
  get closed(): Promise<void> { return this.closedPromise; }

  start(): void {
    const s = this.socket;
    s.setNoDelay(true);
    s.on('data', (chunk: Buffer) => {
      try {
        this.reader.push(chunk);
        if (this.reader.bufferedBytes >= INPUT_PAUSE_BYTES &&
          this.reader.bufferedBytes >= this.reader.neededBytes()) {
          this.paused = true;
          s.pause();
        }
        this.signal();
      } catch (e) {
        this.log('error', `input handling failed: ${String(e)}`);
        s.destroy();
      }
    });
    s.on('end', () => { this.ended = true; this.signal(); });
    s.on('close', () => {
      this.ended = true;
      // A statement still running for a client that is gone: ask it to stop.
      if (this.state === 'busy') this.safeCancel();
      this.signal();
    });
    s.on('error', (e) => { this.log('info', `socket error: ${e.message}`); });
    this.run().catch((e: unknown) => {
      this.log('error', `connection failed: ${String(e)}`);
    }).finally(() => {
      this.finish().catch(() => undefined);
    });
  }

  /**
   * Server shutdown: an idle connection gets FATAL 57P01 now, a busy one after its current
   * message. Resolves when the connection is closed.
   */
  shutdown(): Promise<void> {
    this.shutdownRequested = true;
    if (this.state !== 'busy') this.signal();
    return this.closedPromise;
  }

  /** Shutdown took too long: cancel the statement and drop the socket. */
  forceClose(): void {
    this.safeCancel();
    this.socket.destroy();
  }

  private safeCancel(): void {
    try { this.session?.cancel(); } catch { /* the session is going away anyway */ }
  }

  private log(level: 'info' | 'warn' | 'error', msg: string): void {
    try { this.opts.log?.(level, msg); } catch { /* logging never breaks a connection */ }
  }

  private signal(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private async finish(): Promise<void> {
    this.state = 'closed';
    const session = this.session;
    this.session = undefined;
    try {
      if (session !== undefined) await session.close();
    } catch (e) {
      this.log('warn', `session close failed: ${String(e)}`);
    } finally {
      if (!this.socket.destroyed) this.socket.end();
      this.resolveClosed();
    }
  }

  // ---- input ----

  /** A message already buffered, or null (then nextMessage() waits for one). */
  private tryNextMessage(): FrontendMessage | null {
    if (this.shutdownRequested || this.paused) return null;
    return this.bufferedMessage();
  }

  /**
   * A message already received (whatever the backpressure pause), or null. Resumes a paused
   * socket once the backlog is below half the pause mark, or when a message is incomplete.
   */
  private bufferedMessage(): FrontendMessage | null {
    let m: FrontendMessage | null;
    try {
      m = this.reader.next();
    } catch (e) {
      if (e instanceof ProtocolViolation) this.violation = e;
      throw e;
    }
    if (this.paused && (m === null || this.reader.bufferedBytes < INPUT_PAUSE_BYTES / 2)) {
      this.paused = false;
      this.socket.resume();
    }
    return m;
  }

  /** The next message, or null when the client is gone (or the server shuts down). */
  private async nextMessage(): Promise<FrontendMessage | null> {
    for (;;) {
      if (this.shutdownRequested && this.state === 'idle') return null;
      const m = this.bufferedMessage();
      if (m !== null) return m;
      if (this.ended) return null;
      if (this.shutdownRequested && this.state !== 'busy') return null;
      await new Promise<void>((r) => { this.wake = r; });
    }
  }

  // ---- output ----

  private flush(): void {
    if (this.writer.length === 0) return;
    const out = this.writer.take();
    if (!this.socket.destroyed && this.socket.writable) this.socket.write(out);
  }

  /** Resolves when the socket's write buffer has drained (or the socket is gone). */
  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
      if (this.socket.destroyed || !this.socket.writableNeedDrain) done();
    });
  }

  private maybeFlush(): void {
    if (this.writer.length >= OUTPUT_FLUSH_BYTES) this.flush();
  }

  private sendFatal(err: SqlError): void {
    this.writer.errorResponse(err, 'FATAL');
    this.flush();
    this.socket.end();
  }

  // ---- main loop ----

  private async run(): Promise<void> {
    try {
      const ok = await this.startup();
      if (!ok) return;
      await this.serve();
    } catch (e) {
      if (e instanceof ProtocolViolation) {
        this.sendFatal(new SqlError(e.code, e.message));
        return;
      }
      const err = toSqlError(e);
      if (err.code === SQLSTATE.INTERNAL_ERROR) this.log('error', `internal: ${String(e)}`);
      this.sendFatal(err);
    }
  }

  /** During startup, the server began shutting down: refuse as PostgreSQL does. */
  private shuttingDownError(): SqlError {
    return new SqlError(SQLSTATE.CANNOT_CONNECT_NOW, 'the database system is shutting down');
  }

  /** Startup and authentication; false when the connection ends without a session. */
  private async startup(): Promise<boolean> {
    for (;;) {
      const m = await this.nextMessage();
      if (m === null) return false;
      const c = new BodyCursor(m.body);
      const code = c.int32();
      if (code === SSL_REQUEST_CODE || code === GSSENC_REQUEST_CODE) {
        if (m.body.length !== 4) {
          throw new ProtocolViolation('08P01', 'invalid length of startup packet');
        }
        if (!this.socket.destroyed) this.socket.write(SSL_NO);
        continue;
      }
      if (code === CANCEL_REQUEST_CODE) {
        if (m.body.length === 12) {
          const pid = c.int32();
          const key = c.int32();
          try { this.engine.cancel(pid, key); } catch (e) {
            this.log('warn', `cancel failed: ${String(e)}`);
          }
        }
        this.socket.end();
        return false;
      }
      this.reader.startupPhase = false;
      return this.startupMessage(code, c);
    }
  }

  private async startupMessage(version: number, c: BodyCursor): Promise<boolean> {
    const major = version >>> 16;
    const minor = version & 0xffff;
    if (major !== 3) {
      throw new SqlError(SQLSTATE.FEATURE_NOT_SUPPORTED,
        `unsupported frontend protocol ${major}.${minor}: server supports 3.0 to 3.0`);
    }
    const params: Record<string, string> = {};
    const unrecognized: string[] = [];
    try {
      for (;;) {
        const key = c.cstring();
        if (key === '') break;
        const value = c.cstring();
        if (key.startsWith('_pq_.')) unrecognized.push(key);
        else params[key] = value;
      }
      c.end();
    } catch (e) {
      if (!(e instanceof MalformedMessage)) throw e;
      throw new ProtocolViolation('08P01',
        'invalid startup packet layout: expected terminator as last byte');
    }
    if (minor > 0 || unrecognized.length > 0) {
      this.writer.negotiateProtocolVersion(0, unrecognized);
    }
    const user = params['user'] ?? '';
    if (user === '') {
      throw new SqlError(SQLSTATE.INVALID_AUTHORIZATION_SPECIFICATION,
        'no PostgreSQL user name specified in startup packet');
    }
    const database = params['database'] !== undefined && params['database'] !== ''
      ? params['database'] : user;
    delete params['user'];
    delete params['database'];

    const address = this.opts.connType === 'local'
      ? '[local]' : normalizeAddress(this.socket.remoteAddress ?? '');
    const conn = { type: this.opts.connType, database, user, address };
    const rule = matchHba(this.opts.hbaRules, conn);
    const where = `host "${address}", user "${user}", database "${database}", no encryption`;
    if (rule === undefined) {
      throw new SqlError(SQLSTATE.INVALID_AUTHORIZATION_SPECIFICATION,
        `no pg_hba.conf entry for ${where}`);
    }
    if (rule.method === 'reject') {
      throw new SqlError(SQLSTATE.INVALID_AUTHORIZATION_SPECIFICATION,
        `pg_hba.conf rejects connection for ${where}`);
    }
    const role: RoleAuth | undefined = this.engine.roleAuth(user);
    await authenticate(rule.method, user, role, this.authIo());
    if (role !== undefined && !role.canLogin) {
      throw new SqlError(SQLSTATE.INVALID_AUTHORIZATION_SPECIFICATION,
        `role "${user}" is not permitted to log in`);
    }
    if (!this.opts.admit()) {
      throw new SqlError(SQLSTATE.TOO_MANY_CONNECTIONS, 'sorry, too many clients already');
    }
    if (this.shutdownRequested) throw this.shuttingDownError();
    const session = await this.engine.openSession({ user, database, params });
    if (this.ended) {
      await session.close();
      return false;
    }
    this.session = session;
    const w = this.writer;
    w.authSimple(0);
    for (const [name, value] of session.initialParameterStatus()) w.parameterStatus(name, value);
    w.backendKeyData(session.processId, session.secretKey);
    w.readyForQuery(session.transactionStatus());
    this.flush();
    this.state = 'idle';
    // LISTEN: a notification for an idle connection goes out at once; otherwise before ReadyForQuery.
    session.setNotificationListener?.(() => {
      if (this.state !== 'idle' || this.ended) return;
      if (this.writeNotifications(session)) this.flush();
    });
    return true;
  }

  private authIo(): AuthIo {
    return {
      writer: this.writer,
      flush: () => this.flush(),
      readPasswordMessage: async (expected) => {
        const m = await this.nextMessage();
        if (m === null) {
          if (this.shutdownRequested && !this.ended) throw this.shuttingDownError();
          throw new ProtocolViolation('08P01', 'connection closed during authentication');
        }
        if (m.type !== MSG.Password) {
          throw new ProtocolViolation('08P01',
            `expected ${expected} response, got message type ${m.type}`);
        }
        return m.body;
      },
    };
  }

  private async serve(): Promise<void> {
    for (;;) {
      // A client not reading its results: wait before producing more for it.
      if (this.socket.writableNeedDrain) await this.drained();
      // Fast path: a message already buffered needs no promise.
      const m = this.tryNextMessage() ?? await this.nextMessage();
      if (m === null) break;
      if (m.type === MSG.Terminate) break;
      this.state = 'busy';
      let fatal = false;
      try {
        const pending = this.handle(m);
        if (pending !== undefined) await pending;
      } catch (e) {
        fatal = this.reportError(e, m.type);
      }
      if (this.state === 'busy') this.state = 'idle';
      if (fatal) return;
    }
    if (this.shutdownRequested && !this.ended) {
      this.sendFatal(new SqlError(SQLSTATE.ADMIN_SHUTDOWN,
        'terminating connection due to administrator command'));
    }
  }

  /** Writes ErrorResponse for a failed message; true when the connection must close. */
  private reportError(e: unknown, type: number): boolean {
    const violation = this.violation ?? (e instanceof ProtocolViolation ? e : undefined);
    if (violation !== undefined) {
      this.sendFatal(new SqlError(violation.code, violation.message));
      return true;
    }
    const err = e instanceof MalformedMessage
      ? new SqlError(SQLSTATE.PROTOCOL_VIOLATION, e.message) : toSqlError(e);
    if (err.code === SQLSTATE.INTERNAL_ERROR) this.log('error', `internal: ${String(e)}`);
    if (err.fields.severity === 'FATAL') {
      this.sendFatal(err);
      return true;
    }
    this.writer.errorResponse(err);
    if (type === MSG.Query) {
      this.readyForQuery(this.sessionOrThrow());
    } else {
      this.skipTillSync = true;
      try { this.session?.abortOnError(); } catch (e2) {
        this.log('error', `abortOnError failed: ${String(e2)}`);
      }
    }
    this.flush();
    return false;
  }

  /** Notifications that arrived (LISTEN), then ReadyForQuery. */
  private readyForQuery(session: EngineSession): void {
    this.writeNotifications(session);
    this.writer.readyForQuery(session.transactionStatus());
  }

  /** Writes the session's waiting notifications; true when there were some. */
  private writeNotifications(session: EngineSession): boolean {
    const list = session.takeNotifications?.() ?? [];
    for (const n of list) this.writer.notificationResponse(n.pid, n.channel, n.payload);
    return list.length > 0;
  }

  private sessionOrThrow(): EngineSession {
    const s = this.session;
    if (s === undefined) throw new Error('internal: no session');
    return s;
  }

  /** Handles one message; returns a promise only for the messages that wait on the engine. */
  private handle(m: FrontendMessage): Promise<void> | undefined {
    const session = this.sessionOrThrow();
    const type = m.type;
    if (this.skipTillSync && type !== MSG.Sync) return;
    const c = new BodyCursor(m.body);
    switch (type) {
      case MSG.Query: {
        const sql = c.cstring();
        c.end();
        return session.simpleQuery(sql, this).then(() => {
          this.readyForQuery(session);
          this.flush();
        });
      }
      case MSG.Parse: {
        const name = c.cstring();
        const sql = c.cstring();
        const n = c.uint16();
        const oids: number[] = [];
        for (let i = 0; i < n; i++) oids.push(c.int32() >>> 0);
        c.end();
        session.parse(name, sql, oids);
        this.writer.parseComplete();
        this.maybeFlush();
        return;
      }
      case MSG.Bind: {
        const portal = c.cstring();
        const stmt = c.cstring();
        const nf = c.uint16();
        const paramFormats: number[] = [];
        for (let i = 0; i < nf; i++) paramFormats.push(c.int16());
        const np = c.uint16();
        if (nf > 1 && nf !== np) {
          throw new SqlError(SQLSTATE.PROTOCOL_VIOLATION,
            `bind message has ${nf} parameter formats but ${np} parameters`);
        }
        const params: (Buffer | null)[] = [];
        for (let i = 0; i < np; i++) {
          const len = c.int32();
          params.push(len === -1 ? null : c.bytes(len));
        }
        const nr = c.uint16();
        const resultFormats: number[] = [];
        for (let i = 0; i < nr; i++) resultFormats.push(c.int16());
        c.end();
        session.bind(portal, stmt, paramFormats, params, resultFormats);
        this.writer.bindComplete();
        this.maybeFlush();
        return;
      }
      case MSG.Describe: {
        const kind = c.byte();
        const name = c.cstring();
        c.end();
        if (kind === 0x53 /*S*/) {
          const d = session.describeStatement(name);
          this.writer.parameterDescription(d.paramTypeOids);
          if (d.fields === null) this.writer.noData();
          else this.writer.rowDescription(d.fields);
        } else if (kind === 0x50 /*P*/) {
          const fields = session.describePortal(name);
          if (fields === null) this.writer.noData();
          else this.writer.rowDescription(fields);
        } else {
          throw new SqlError(SQLSTATE.PROTOCOL_VIOLATION,
            `invalid DESCRIBE message subtype ${kind}`);
        }
        this.maybeFlush();
        return;
      }
      case MSG.Execute: {
        const portal = c.cstring();
        const maxRows = c.int32();
        c.end();
        return session.execute(portal, maxRows < 0 ? 0 : maxRows, this).then(() => {
          this.maybeFlush();
        });
      }
      case MSG.Close: {
        const kind = c.byte();
        const name = c.cstring();
        c.end();
        if (kind === 0x53 /*S*/) session.closeStatement(name);
        else if (kind === 0x50 /*P*/) session.closePortal(name);
        else {
          throw new SqlError(SQLSTATE.PROTOCOL_VIOLATION, `invalid CLOSE message subtype ${kind}`);
        }
        this.writer.closeComplete();
        this.maybeFlush();
        return;
      }
      case MSG.Sync: {
        c.end();
        this.skipTillSync = false;
        return session.sync().then(() => {
          this.readyForQuery(session);
          this.flush();
        });
      }
      case MSG.Flush:
        this.flush();
        return;
      case MSG.CopyData:
      case MSG.CopyDone:
      case MSG.CopyFail:
        // Left over from a COPY that failed: dropped, as the protocol says.
        return;
      case MSG.FunctionCall:
        throw new SqlError(SQLSTATE.FEATURE_NOT_SUPPORTED,
          'fastpath function calls are not supported');
      default:
        throw new ProtocolViolation('08P01', `invalid frontend message type ${type}`);
    }
  }

  // ---- ResultSink ----

  rowDescription(fields: readonly FieldDescription[]): void {
    this.writer.rowDescription(fields);
  }

  dataRow(values: readonly WireValue[]): void {
    this.writer.dataRow(values);
    if (this.writer.length >= OUTPUT_FLUSH_BYTES) this.flush();
  }

  commandComplete(tag: string): void { this.writer.commandComplete(tag); }
  emptyQuery(): void { this.writer.emptyQueryResponse(); }
  portalSuspended(): void { this.writer.portalSuspended(); }
  notice(notice: NoticeFields): void { this.writer.noticeResponse(notice); }
  parameterStatus(name: string, value: string): void { this.writer.parameterStatus(name, value); }

  copyIn(format: 0 | 1, columnFormats: readonly (0 | 1)[]): AsyncIterable<Uint8Array> {
    this.writer.copyResponse('G', format, columnFormats);
    this.flush();
    let sawDone = false;
    // One chunk per wake-up: the CopyData messages already received, joined (psql sends one
    // message per line, so per-message iteration would cost an await per row).
    const next = async (): Promise<IteratorResult<Uint8Array>> => {
      if (sawDone) return { done: true, value: undefined };
      const parts: Uint8Array[] = [];
      let bytes = 0;
      let m: FrontendMessage | null = await this.nextMessage();
      for (;;) {
        if (m === null) {
          throw new SqlError(SQLSTATE.CONNECTION_FAILURE,
            'unexpected EOF on client connection with an open transaction');
        }
        switch (m.type) {
          case MSG.CopyData:
            parts.push(m.body);
            bytes += m.body.length;
            break;
          case MSG.CopyDone:
            sawDone = true;
            break;
          case MSG.CopyFail: {
            const c = new BodyCursor(m.body);
            throw new SqlError(SQLSTATE.QUERY_CANCELED, `COPY from stdin failed: ${c.cstring()}`);
          }
          case MSG.Flush:
          case MSG.Sync:
            break;
          default:
            throw new SqlError(SQLSTATE.PROTOCOL_VIOLATION,
              `unexpected message type 0x${m.type.toString(16).toUpperCase().padStart(2, '0')} ` +
              'during COPY from stdin');
        }
        if (sawDone || bytes >= COPY_CHUNK_BYTES) break;
        m = this.bufferedMessage();
        if (m === null) {
          if (parts.length > 0) break;
          m = await this.nextMessage();
        }
      }
      if (parts.length === 0) return { done: true, value: undefined };
      return { done: false, value: parts.length === 1 ? parts[0]! : Buffer.concat(parts, bytes) };
    };
    let finished = false;
    return {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          if (finished) return { done: true, value: undefined };
          try {
            const r = await next();
            if (r.done === true) finished = true;
            return r;
          } catch (e) {
            finished = true;
            throw e;
          }
        },
      }),
    };
  }

  copyOutStart(format: 0 | 1, columnFormats: readonly (0 | 1)[]): void {
    this.writer.copyResponse('H', format, columnFormats);
  }

  copyData(chunk: Uint8Array): void {
    this.writer.copyData(chunk);
    if (this.writer.length >= OUTPUT_FLUSH_BYTES) this.flush();
  }

  copyDone(): void { this.writer.copyDone(); }
}
