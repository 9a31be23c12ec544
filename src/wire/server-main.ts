// The server process's life, with its surroundings passed in so tests can drive it: flags and
// QUIVER_* environment variables, opening the engine, starting the listener, the one
// "listening" line, and graceful shutdown on SIGINT/SIGTERM (stop accepting, let running
// statements finish within a bound, close the engine, exit 0). src/main.ts supplies the real ones.
import { parseArgs } from 'node:util';
import type { Engine } from './engine-api.js';
import { loadHbaFile, type HbaRule } from './hba.js';
import { startServer, type RunningServer } from './server.js';

export interface ServerMainDeps {
  argv: string[];
  env: Record<string, string | undefined>;
  openEngine(opts: { dataDir?: string; memory?: boolean }): Promise<Engine>;
  /** Writes one line to stdout (without the newline). */
  out(line: string): void;
  /** Writes one line to stderr (without the newline). */
  err(line: string): void;
  exit(code: number): void;
  onSignal(signal: 'SIGINT' | 'SIGTERM', handler: () => void): void;
  shutdownGraceMs?: number;
}

export interface MainOptions {
  host: string;
  port: number;
  dataDir: string;
  memory: boolean;
  hbaFile: string | undefined;
  socketDir: string | undefined;
  help: boolean;
}

export const USAGE = `usage: quiverdb [--host H] [--port P] [--data DIR | --memory] [--hba FILE]
                [--socket-dir DIR]
environment: QUIVER_HOST, QUIVER_PORT, QUIVER_DATA, QUIVER_HBA`;

/** Flags win over environment variables, which win over defaults. Throws on bad input. */
export function readMainOptions(argv: string[], env: Record<string, string | undefined>):
  MainOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      data: { type: 'string' },
      hba: { type: 'string' },
      memory: { type: 'boolean' },
      'socket-dir': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  const portText = values.port ?? env['QUIVER_PORT'] ?? '5432';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new Error(`invalid port "${portText}"`);
  let host = values.host ?? env['QUIVER_HOST'] ?? '127.0.0.1';
  if (host === '*') host = '::';
  return {
    host,
    port,
    dataDir: values.data ?? env['QUIVER_DATA'] ?? './data',
    memory: values.memory === true,
    hbaFile: values.hba ?? env['QUIVER_HBA'],
    socketDir: values['socket-dir'],
    help: values.help === true,
  };
}

/** Runs the server; resolves once it is listening (shutdown happens on a signal). */
export async function serverMain(deps: ServerMainDeps): Promise<RunningServer | undefined> {
  let opts: MainOptions;
  try {
    opts = readMainOptions(deps.argv, deps.env);
  } catch (e) {
    deps.err(`quiverdb: ${(e as Error).message}`);
    deps.err(USAGE);
    deps.exit(2);
    return undefined;
  }
  if (opts.help) {
    deps.out(USAGE);
    deps.exit(0);
    return undefined;
  }
  const log = (level: 'info' | 'warn' | 'error', msg: string): void => {
    if (level !== 'info') deps.err(`${new Date().toISOString()} ${level.toUpperCase()}: ${msg}`);
  };
  let engine: Engine | undefined;
  let server: RunningServer;
  try {
    const hbaRules: HbaRule[] | undefined =
      opts.hbaFile === undefined ? undefined : loadHbaFile(opts.hbaFile);
    engine = await deps.openEngine(opts.memory ? { memory: true } : { dataDir: opts.dataDir });
    server = await startServer(engine, {
      host: opts.host, port: opts.port, hbaRules, unixSocketDir: opts.socketDir, log,
      shutdownGraceMs: deps.shutdownGraceMs,
    });
  } catch (e) {
    deps.err(`quiverdb: ${e instanceof Error ? e.message : String(e)}`);
    await engine?.close().catch(() => undefined);
    deps.exit(1);
    return undefined;
  }
  const openedEngine = engine;
  const shownHost = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  const shownData = opts.memory ? ':memory:' : opts.dataDir;
  deps.out(`QuiverDB listening on ${shownHost}:${server.port}, data directory ${shownData}`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      log('warn', `${signal} again: exiting without waiting`);
      deps.exit(1);
      return;
    }
    stopping = true;
    void (async () => {
      try {
        await server.close();
        await openedEngine.close();
        deps.exit(0);
      } catch (e) {
        log('error', `shutdown failed: ${String(e)}`);
        deps.exit(1);
      }
    })();
  };
  deps.onSignal('SIGINT', () => stop('SIGINT'));
  deps.onSignal('SIGTERM', () => stop('SIGTERM'));
  return server;
}
