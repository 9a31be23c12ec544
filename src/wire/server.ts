// The listening side: a node:net server (TCP, optionally a Unix-domain socket too) that hands
// each accepted socket to a Connection, counts connections against max_connections, and shuts
// down gracefully (stop accepting, let running statements finish within a bound, then close).
import { createServer, type Server, type Socket } from 'node:net';
import { existsSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { LIMITS } from '../base/index.js';
import { Connection } from './connection.js';
import type { Engine } from './engine-api.js';
import { defaultHbaRules, type HbaRule } from './hba.js';

export interface ServerOptions {
  host?: string | undefined;
  /** 0 picks a free port. */
  port?: number | undefined;
  /** pg_hba rules; defaults to trust for loopback and local connections only. */
  hbaRules?: readonly HbaRule[] | undefined;
  /** Also listen on `<dir>/.s.PGSQL.<port>` (connection type "local"). */
  unixSocketDir?: string | undefined;
  maxConnections?: number | undefined;
  messageBytesMax?: number | undefined;
  startupPacketBytesMax?: number | undefined;
  /** How long close() waits for running statements before dropping connections. */
  shutdownGraceMs?: number | undefined;
  log?: ((level: 'info' | 'warn' | 'error', msg: string) => void) | undefined;
}

export interface RunningServer {
  port: number;
  host: string;
  /** Stops accepting, ends every connection (after its running statement), resolves when done. */
  close(): Promise<void>;
}

export async function startServer(
  engine: Engine,
  opts: ServerOptions = {},
): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const hbaRules = opts.hbaRules ?? defaultHbaRules();
  const limits = {
    startupPacketBytesMax: opts.startupPacketBytesMax ?? LIMITS.startupPacketBytesMax,
    messageBytesMax: opts.messageBytesMax ?? LIMITS.messageBytesMax,
  };
  const maxConnections = opts.maxConnections ?? LIMITS.connectionsMax;
  const connections = new Set<Connection>();
  let admitted = 0;
  let closing = false;
  const log = opts.log;

  const accept = (socket: Socket, connType: 'host' | 'local'): void => {
    try {
      if (closing) {
        socket.destroy();
        return;
      }
      let counted = false;
      const conn = new Connection(socket, engine, {
        hbaRules,
        limits,
        connType,
        admit: () => {
          if (admitted >= maxConnections) return false;
          admitted++;
          counted = true;
          return true;
        },
        log,
      });
      connections.add(conn);
      void conn.closed.then(() => {
        connections.delete(conn);
        if (counted) admitted--;
      });
      conn.start();
    } catch (e) {
      log?.('error', `accept failed: ${String(e)}`);
      socket.destroy();
    }
  };

  const tcp = createServer({ noDelay: true }, (s) => accept(s, 'host'));
  tcp.on('error', (e) => log?.('error', `listener error: ${e.message}`));
  await listen(tcp, { host, port: opts.port ?? 5432 });
  const address = tcp.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;

  let unix: Server | undefined;
  if (opts.unixSocketDir !== undefined) {
    const path = join(opts.unixSocketDir, `.s.PGSQL.${port}`);
    if (existsSync(path)) unlinkSync(path);
    unix = createServer((s) => accept(s, 'local'));
    unix.on('error', (e) => log?.('error', `listener error: ${e.message}`));
    await listen(unix, { path });
  }

  const close = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    const stopped = Promise.all([closeListener(tcp), unix ? closeListener(unix) : undefined]);
    const all = Promise.all([...connections].map((c) => c.shutdown()));
    const grace = opts.shutdownGraceMs ?? 10_000;
    if (await withTimeout(all, grace) === 'timeout') {
      for (const c of connections) c.forceClose();
      await withTimeout(all, 1000);
    }
    await stopped;
  };

  return { port, host, close };
}

function listen(
  server: Server,
  where: { host: string; port: number } | { path: string },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error): void => reject(e);
    server.once('error', onError);
    server.listen(where, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

async function withTimeout(p: Promise<unknown>, ms: number): Promise<'done' | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((r) => { timer = setTimeout(() => r('timeout'), ms); });
  try {
    return await Promise.race([p.then(() => 'done' as const), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

function closeListener(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
