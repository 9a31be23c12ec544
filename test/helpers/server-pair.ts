// A real PostgreSQL 15 and a memory-only QuiverDB started side by side for one test file (in
// beforeAll, stopped in afterAll), for tests that run the same steps on both and compare.
import { afterAll, beforeAll } from 'vitest';
import { startPostgres, type PostgresOracle } from './postgres-oracle.js';
import { startQuiver, type QuiverServer } from './quiver-server.js';

export interface ServerPair {
  /** Port of the server; valid once beforeAll has run. */
  port(target: 'postgres' | 'quiver'): number;
}

export function useServerPair(): ServerPair {
  let oracle: PostgresOracle | undefined;
  let quiver: QuiverServer | undefined;
  beforeAll(async () => {
    [oracle, quiver] = await Promise.all([startPostgres(), startQuiver({ memory: true })]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([oracle?.stop(), quiver?.stop()]);
  });
  return {
    port: (target) => (target === 'postgres' ? oracle! : quiver!).port,
  };
}
