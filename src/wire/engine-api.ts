// The engine contract as the wire layer sees it: re-exported in one place so that the wire
// module's dependency on src/sql/engine is a single line.
export type {
  Engine, EngineSession, ResultSink, FieldDescription, NoticeFields, WireValue,
  StatementDescription, TransactionStatus, SessionStartup, RoleAuth,
} from '../sql/engine/index.js';
