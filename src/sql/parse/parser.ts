// The only importer of libpg-query: SQL text → PostgreSQL's own raw parse tree (JSON form).
// Syntax errors become SqlError 42601 with the 1-based position psql points at. A small
// cache keyed by the exact text makes repeated statements cost a Map lookup instead of ~35 µs.
import { loadModule, parseSync } from 'libpg-query';
import { SqlError, SQLSTATE, LIMITS } from '../../base/index.js';

/** A node of the raw parse tree: `{ NodeTag: { ...fields } }`. Fields are loosely typed on purpose. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PgNode = Record<string, any>;

export interface RawStatement {
  /** The single-key wrapper object, e.g. `{ SelectStmt: {...} }`. */
  readonly node: PgNode;
  /** Statement tag (the wrapper's key), e.g. 'SelectStmt'. */
  readonly tag: string;
  /** The statement's own text (for views, EXPLAIN, logging). */
  readonly text: string;
  /** Offset of the statement in the original text (0-based, UTF-16 units). */
  readonly location: number;
}

let loaded: Promise<void> | undefined;
let ready = false;

/** Loads the WASM parser; call once before parse(). Idempotent. */
export function loadParser(): Promise<void> {
  loaded ??= loadModule().then(() => { ready = true; });
  return loaded;
}

const cache = new Map<string, RawStatement[]>();

/** Parses a whole query string into its statements (an empty string gives []). */
export function parseSql(text: string): RawStatement[] {
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  if (!ready) throw new Error('internal: parser not loaded (call loadParser first)');
  if (text.length > LIMITS.queryTextBytesMax) {
    throw new SqlError(SQLSTATE.PROGRAM_LIMIT_EXCEEDED, 'query text too long');
  }
  let result: { stmts?: Array<{ stmt: PgNode; stmt_location?: number; stmt_len?: number }> };
  try {
    result = parseSync(text) as typeof result;
  } catch (e) {
    if (e instanceof RangeError || /call stack|stack depth|stack overflow/i.test(String((e as Error)?.message ?? e))) {
      throw new SqlError(SQLSTATE.STATEMENT_TOO_COMPLEX, 'stack depth limit exceeded', {
        hint: 'Increase the configuration parameter "max_stack_depth" (currently 2048kB), after ensuring the platform\'s stack depth limit is adequate.',
      });
    }
    throw syntaxError(e);
  }
  const stmts: RawStatement[] = [];
  for (const s of result.stmts ?? []) {
    const location = s.stmt_location ?? 0;
    const bytesLen = s.stmt_len ?? 0;
    const stmtText = sliceStatement(text, location, bytesLen);
    const tag = Object.keys(s.stmt)[0]!;
    stmts.push({ node: s.stmt, tag, text: stmtText, location: byteToCharOffset(text, location) });
  }
  if (cache.size >= LIMITS.queryCacheEntriesMax) cache.clear();
  cache.set(text, stmts);
  return stmts;
}

function syntaxError(e: unknown): SqlError {
  const details = (e as { sqlDetails?: { message?: string; cursorPosition?: number; functionName?: string } }).sqlDetails;
  const message = details?.message ?? (e instanceof Error ? e.message : String(e));
  const cursor = details?.cursorPosition;
  // libpg-query reports the cursor in characters already (as PostgreSQL's error position), 0-based,
  // and 0 also when the grammar raised the error with no position (as for "WITH TIES cannot be
  // specified without ORDER BY clause"): only the scanner's 0 is the first character.
  const position = cursor === undefined || (cursor === 0 && details?.functionName !== 'scanner_yyerror') ? undefined : cursor + 1;
  let code: (typeof SQLSTATE)[keyof typeof SQLSTATE] = SQLSTATE.SYNTAX_ERROR;
  if (/unterminated|invalid|trailing junk/.test(message) && !/syntax error/.test(message)) code = SQLSTATE.SYNTAX_ERROR;
  if (/out of range|too large|too long/.test(message)) code = SQLSTATE.PROGRAM_LIMIT_EXCEEDED;
  if (/stack depth/.test(message)) code = SQLSTATE.STATEMENT_TOO_COMPLEX;
  return new SqlError(code, message, { position });
}

/** Parse-tree locations are byte offsets into the UTF-8 text: the matching character offset. */
export function byteToCharOffset(text: string, byteOffset: number): number {
  // Fast path: pure ASCII prefix.
  let bytes = 0;
  let i = 0;
  for (; i < text.length && bytes < byteOffset; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) { bytes += 4; i++; }
    else bytes += 3;
  }
  return i;
}

function sliceStatement(text: string, byteLocation: number, byteLen: number): string {
  const start = byteToCharOffset(text, byteLocation);
  if (byteLen === 0) return text.slice(start).trim();
  const buf = Buffer.from(text, 'utf8');
  return buf.subarray(byteLocation, byteLocation + byteLen).toString('utf8').trim();
}
