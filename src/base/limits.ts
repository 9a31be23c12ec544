// Every limit an input can grow, named in one place. Exceeding one is a clean SQLSTATE error
// (54000 program_limit_exceeded, 54001 statement_too_complex, 53300 too_many_connections, ...),
// never a crash. Values follow PostgreSQL's where it has one.
export const LIMITS = {
  /** Largest protocol message a client may send (PostgreSQL: 1 GB - 1 for most messages). */
  messageBytesMax: 1024 * 1024 * 1024 - 1,
  /** Largest startup packet (PostgreSQL's MAX_STARTUP_PACKET_LENGTH). */
  startupPacketBytesMax: 10_000,
  /** Largest SQL text accepted in one Query or Parse message. */
  queryTextBytesMax: 64 * 1024 * 1024,
  /** Deepest expression or statement nesting the analyzer follows. */
  expressionDepthMax: 1000,
  /** Most columns in a table (PostgreSQL's MaxHeapAttributeNumber). */
  tableColumnsMax: 1600,
  /** Most columns in a result row (PostgreSQL's MaxTupleAttributeNumber). */
  resultColumnsMax: 1664,
  /** Most parameters of a prepared statement (the protocol's Int16). */
  statementParamsMax: 65535,
  /** Largest encoded row stored. */
  rowBytesMax: 256 * 1024 * 1024,
  /** Largest encoded key (LMDB's maxKeySize with lmdb-js's default page size is 1978 bytes). */
  keyBytesMax: 1900,
  /** Identifiers are truncated to this many bytes, as PostgreSQL's NAMEDATALEN - 1. */
  identifierBytesMax: 63,
  /** Concurrent client connections (PostgreSQL's default max_connections). */
  connectionsMax: 100,
  /** Function arguments (PostgreSQL's FUNC_MAX_ARGS). */
  functionArgsMax: 100,
  /** Array dimensions (PostgreSQL's MAXDIM). */
  arrayDimsMax: 6,
  /** Prepared statements per session. */
  preparedStatementsPerSessionMax: 10_000,
  /** Entries in the shared normalized-query cache. */
  queryCacheEntriesMax: 5_000,
} as const;
