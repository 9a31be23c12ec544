// The wire floor: the same client and prepared k-NN statement against a raw pgwire responder that
// does no work (ten fixed rows per Execute), 1 and N connections — the most any server could give
// this client on this machine — and against the same responder running the bare library's search
// per Execute and nothing else: the bare search served over the wire, with no SQL, MVCC or engine.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type pg from 'pg';
import { REPO_ROOT, connect } from '../../test/helpers/quiver-server.js';
import { timedLoad, type Statement } from './search-load.js';

export interface WireFloor { one: number; many: number; clients: number }

/** A usearch index file for the responder to search (the bare search served over the wire). */
export interface ServedSearch { file: string; dimensions: number; metric: 'l2' | 'cos'; ef: number }

/** Starts the responder, runs `seconds` with 1 connection and with `clients`, and stops it. */
export async function measureWireFloor(
  built: boolean, stmt: Statement, queryText: readonly string[], clients: number, seconds: number, search?: ServedSearch,
): Promise<WireFloor> {
  const extra = search === undefined ? [] : [search.file, String(search.dimensions), search.metric, String(search.ef)];
  const args = built
    ? [join(REPO_ROOT, 'dist', 'bench', 'lib', 'raw-pg-responder.js'), '0', ...extra]
    : ['--import', 'tsx', join(REPO_ROOT, 'bench', 'lib', 'raw-pg-responder.ts'), '0', ...extra];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /raw responder on (\d+)/.exec(out);
        if (m !== null) resolve(Number(m[1]));
      });
      child.on('exit', (code) => reject(new Error(`raw responder exited (${code})`)));
    });
    const conns: pg.Client[] = [];
    for (let i = 0; i < clients; i++) conns.push(await connect(port));
    try {
      const one = await timedLoad(conns.slice(0, 1), stmt, queryText, seconds, child.pid ?? null, []);
      const many = await timedLoad(conns, stmt, queryText, seconds, child.pid ?? null, []);
      return { one: one.qps, many: many.qps, clients };
    } finally {
      for (const c of conns) await c.end().catch(() => undefined);
    }
  } finally {
    child.kill('SIGTERM');
  }
}

/**
 * The most one connection can reach through the wire with a search of the bare library's speed:
 * each round trip costs the floor's round trip plus one search.
 */
export function oneConnectionBound(floorQps: number, searchQps: number): number {
  return 1 / (1 / floorQps + 1 / searchQps);
}
