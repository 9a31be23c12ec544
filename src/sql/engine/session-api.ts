// The contract between the wire protocol (src/wire) and the SQL engine: what a server-side
// session can be asked to do, and the sink through which it answers. The wire layer knows
// nothing below this file; the engine knows nothing of sockets. Values arrive already encoded
// (text string or binary bytes per the requested format) so the wire only frames them.

/** One column of a RowDescription message. */
export interface FieldDescription {
  name: string;
  /** OID of the source table, or 0. */
  tableOid: number;
  /** Attribute number in the source table, or 0. */
  columnAttr: number;
  typeOid: number;
  /** pg_type.typlen (-1 for varlena). */
  typeSize: number;
  typmod: number;
  /** 0 = text, 1 = binary. */
  format: 0 | 1;
}

/** Fields of a NoticeResponse (or of an ErrorResponse, which the wire builds from SqlError). */
export interface NoticeFields {
  severity: 'WARNING' | 'NOTICE' | 'DEBUG' | 'INFO' | 'LOG';
  code: string;
  message: string;
  detail?: string | undefined;
  hint?: string | undefined;
}

/** One encoded result value: text, binary bytes, or SQL NULL. */
export type WireValue = string | Uint8Array | null;

/**
 * Where a session writes the results of a statement. The wire layer implements it by writing
 * protocol messages; the embedded API implements it by collecting rows.
 */
export interface ResultSink {
  rowDescription(fields: readonly FieldDescription[]): void;
  dataRow(values: readonly WireValue[]): void;
  /** CommandComplete with a tag such as "SELECT 3", "INSERT 0 1", "BEGIN". */
  commandComplete(tag: string): void;
  emptyQuery(): void;
  /** Execute stopped at its row limit; the portal can be resumed. */
  portalSuspended(): void;
  notice(notice: NoticeFields): void;
  /** A reported setting changed (SET application_name, TimeZone, ...). */
  parameterStatus(name: string, value: string): void;
  /**
   * COPY FROM STDIN: sends CopyInResponse and yields the CopyData payloads until CopyDone.
   * The iterator throws a SqlError (57014) if the client sends CopyFail.
   */
  copyIn(format: 0 | 1, columnFormats: readonly (0 | 1)[]): AsyncIterable<Uint8Array>;
  /** COPY TO STDOUT: CopyOutResponse, then copyData per chunk, then copyDone. */
  copyOutStart(format: 0 | 1, columnFormats: readonly (0 | 1)[]): void;
  copyData(chunk: Uint8Array): void;
  copyDone(): void;
}

/** Describe of a prepared statement. */
export interface StatementDescription {
  paramTypeOids: number[];
  /** null when the statement returns no rows (NoData). */
  fields: FieldDescription[] | null;
}

/** Transaction status byte of ReadyForQuery. */
export type TransactionStatus = 'I' | 'T' | 'E';

/**
 * A server-side session: one per connection (or per embedded connection). Methods that can fail
 * throw SqlError; the wire layer turns that into ErrorResponse and, in the extended protocol,
 * skips messages until Sync.
 */
export interface EngineSession {
  readonly processId: number;
  readonly secretKey: number;
  /** ParameterStatus values to send after authentication. */
  initialParameterStatus(): Array<[string, string]>;
  transactionStatus(): TransactionStatus;

  /** Simple query protocol: runs every statement of the text in order. */
  simpleQuery(sql: string, sink: ResultSink): Promise<void>;

  /** Extended protocol. `name` "" is the unnamed statement/portal. */
  parse(name: string, sql: string, paramTypeOids: readonly number[]): void;
  bind(
    portal: string,
    statement: string,
    paramFormats: readonly number[],
    params: readonly (Uint8Array | null)[],
    resultFormats: readonly number[],
  ): void;
  describeStatement(name: string): StatementDescription;
  describePortal(name: string): FieldDescription[] | null;
  /** Runs (or resumes) a portal; maxRows 0 = all. Ends with commandComplete or portalSuspended. */
  execute(portal: string, maxRows: number, sink: ResultSink): Promise<void>;
  closeStatement(name: string): void;
  closePortal(name: string): void;
  /** Sync: commits an implicit transaction, ends a failed one's error state for the protocol. */
  sync(): Promise<void>;
  /** Marks the extended-protocol error state (after an error, until Sync). */
  abortOnError(): void;

  /** LISTEN / NOTIFY: notifications to send the client now (none while a transaction is open). */
  takeNotifications?(): Array<{ pid: number; channel: string; payload: string }>;
  /** Called when a notification arrives, so that an idle connection can send it at once. */
  setNotificationListener?(onArrival: (() => void) | null): void;

  /** Asks the running statement to stop with 57014 at its next check. */
  cancel(): void;
  /** Connection ended: rolls back any open transaction and frees the session. */
  close(): Promise<void>;
}

export interface SessionStartup {
  user: string;
  database: string;
  /** Other startup parameters (application_name, options, client_encoding, DateStyle, ...). */
  params: Record<string, string>;
}

/** A role's authentication data, as stored by CREATE ROLE / ALTER ROLE ... PASSWORD. */
export interface RoleAuth {
  /** 'SCRAM-SHA-256$...' secret, 'md5...' hash, or null when the role has no password. */
  password: string | null;
  canLogin: boolean;
  /** Seconds since epoch after which the password is invalid, or null. */
  validUntil: number | null;
}

/** The engine as the server sees it. */
export interface Engine {
  /** Opens a session; throws 3D000 for an unknown database, 28000 for an unknown role. */
  openSession(startup: SessionStartup): Promise<EngineSession>;
  roleAuth(user: string): RoleAuth | undefined;
  /** CancelRequest: cancels the session with this key pair, if any. */
  cancel(processId: number, secretKey: number): void;
  /** Finishes in-flight commits and closes the store. */
  close(): Promise<void>;
}
