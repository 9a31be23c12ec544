// Public surface of wire: the PostgreSQL protocol v3 server, pg_hba rule loading, and the
// server process's main (flags, listening line, signals) for src/main.ts.
export { startServer, type ServerOptions, type RunningServer } from './server.js';
export {
  loadHbaFile, parseHba, defaultHbaRules, matchHba, type HbaRule, type HbaMethod,
} from './hba.js';
export {
  serverMain, readMainOptions, USAGE, type ServerMainDeps, type MainOptions,
} from './server-main.js';
