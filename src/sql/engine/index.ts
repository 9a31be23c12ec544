// Public surface of sql/engine: the engine behind the wire protocol and the embedded API.
export * from './session-api.js';
export { Database } from './database.js';
export { Session } from './session.js';
export { SERVER_VERSION } from './settings.js';
export { checkDatabase, type CheckReport } from './check.js';
