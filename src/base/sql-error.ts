// SqlError: the one error type a client can see. It carries PostgreSQL's ErrorResponse fields
// (severity, SQLSTATE, message, detail, hint, position). Anything thrown that is not a SqlError is
// a bug and is reported to the client as XX000 internal_error.
import { SQLSTATE, type SqlState } from './sqlstate.js';

export interface SqlErrorFields {
  detail?: string | undefined;
  hint?: string | undefined;
  /** 1-based character position in the query text, as PostgreSQL reports it. */
  position?: number | undefined;
  /** Where the error happened (PostgreSQL's CONTEXT: a COPY line, a function call). */
  where?: string | undefined;
  severity?: 'ERROR' | 'FATAL' | 'PANIC' | undefined;
  schema?: string | undefined;
  table?: string | undefined;
  column?: string | undefined;
  constraint?: string | undefined;
  datatype?: string | undefined;
}

export class SqlError extends Error {
  readonly code: SqlState;
  readonly fields: SqlErrorFields;

  constructor(code: SqlState, message: string, fields: SqlErrorFields = {}) {
    super(message);
    this.name = 'SqlError';
    this.code = code;
    this.fields = fields;
  }

  get severity(): string { return this.fields.severity ?? 'ERROR'; }
  get detail(): string | undefined { return this.fields.detail; }
  get hint(): string | undefined { return this.fields.hint; }
  get position(): number | undefined { return this.fields.position; }

  /** A copy of this error with the position set (when it had none). */
  withPosition(position: number | undefined): SqlError {
    if (position === undefined || this.fields.position !== undefined) return this;
    const e = new SqlError(this.code, this.message, { ...this.fields, position });
    return e;
  }
}

/** Wraps anything thrown into a SqlError; non-SqlErrors become XX000 internal errors. */
export function toSqlError(e: unknown): SqlError {
  if (e instanceof SqlError) return e;
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return new SqlError(SQLSTATE.STATEMENT_TOO_COMPLEX, 'stack depth limit exceeded', {
      hint: 'Increase the configuration parameter "max_stack_depth" (currently 2048kB), after ensuring the platform\'s stack depth limit is adequate.',
    });
  }
  const message = e instanceof Error ? e.message : String(e);
  return new SqlError(SQLSTATE.INTERNAL_ERROR, message);
}

/** 0A000: the one way to say a PostgreSQL feature is not supported yet. */
export function notSupported(feature: string): SqlError {
  return new SqlError(SQLSTATE.FEATURE_NOT_SUPPORTED, `${feature} is not supported`);
}
