// The server entry (composition root): connects the real process (argv, environment, stdout,
// signals, exit) and the real engine (openEngine from ./index.js) to the wire layer's
// serverMain, which owns flags, the "listening" line and graceful shutdown.
import { openEngine } from './index.js';
import { serverMain } from './wire/index.js';

function logError(msg: string): void {
  process.stderr.write(`${new Date().toISOString()} ERROR: ${msg}\n`);
}

// One failing connection or statement must not take every other session down with it.
process.on('uncaughtException', (e) => logError(`uncaught exception: ${e.stack ?? String(e)}`));
process.on('unhandledRejection', (e) => logError(`unhandled rejection: ${String(e)}`));

void serverMain({
  argv: process.argv.slice(2),
  env: process.env,
  openEngine,
  out: (line) => { process.stdout.write(line + '\n'); },
  err: (line) => { process.stderr.write(line + '\n'); },
  exit: (code) => process.exit(code),
  onSignal: (signal, handler) => { process.on(signal, handler); },
});
