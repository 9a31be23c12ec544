// Timed k-NN query load through the wire: several `pg` clients in this process, each running one
// prepared statement in a closed loop over the query set for a fixed time, with the first result
// of every query kept for recall, latency percentiles, and client/server CPU seconds.
import { readFileSync } from 'node:fs';
import type pg from 'pg';

export interface Statement { readonly name: string; readonly text: string }

export interface LoadResult {
  readonly clients: number;
  readonly seconds: number;
  readonly queries: number;
  readonly qps: number;
  readonly p50ms: number;
  readonly p99ms: number;
  /** Mean rows returned per query. */
  readonly meanRows: number;
  /** CPU seconds of this (client) process per wall second. */
  readonly clientCores: number;
  /** CPU seconds of the server process per wall second (null when not readable). */
  readonly serverCores: number | null;
  readonly errors: string[];
}

/** utime + stime of `pid` in seconds, from /proc (clock ticks at 100 Hz, Linux's USER_HZ). */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

async function runOne(client: pg.Client, stmt: Statement, params: string): Promise<number[]> {
  const r = await client.query({ name: stmt.name, text: stmt.text, values: [params], rowMode: 'array' });
  return (r.rows as unknown[][]).map((row) => Number(row[0]));
}

/**
 * Runs `stmt` on every client for `seconds`, client c starting at query c·Q/clients and cycling.
 * `found[q]` receives the first result seen for query q (left alone when already set).
 */
export async function timedLoad(
  clients: pg.Client[], stmt: Statement, queryText: readonly string[], seconds: number,
  serverPid: number | null, found: (number[] | undefined)[],
): Promise<LoadResult> {
  const q = queryText.length;
  const latencies: number[] = [];
  const errors: string[] = [];
  let done = 0;
  let rows = 0;
  const cpu0 = process.cpuUsage();
  const server0 = serverPid === null ? null : cpuSeconds(serverPid);
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  await Promise.all(clients.map(async (client, c) => {
    let i = Math.floor((c * q) / clients.length);
    while (performance.now() < deadline && errors.length < 5) {
      const qi = i % q;
      const s = performance.now();
      try {
        const ids = await runOne(client, stmt, queryText[qi]!);
        latencies.push(performance.now() - s);
        done++;
        rows += ids.length;
        if (found[qi] === undefined) found[qi] = ids;
      } catch (e) {
        errors.push((e as Error).message);
      }
      i++;
    }
  }));
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const server1 = serverPid === null ? null : cpuSeconds(serverPid);
  latencies.sort((a, b) => a - b);
  return {
    clients: clients.length, seconds: wall, queries: done, qps: done / wall,
    p50ms: percentile(latencies, 0.5), p99ms: percentile(latencies, 0.99), meanRows: done === 0 ? 0 : rows / done,
    clientCores: (cpu.user + cpu.system) / 1e6 / wall,
    serverCores: server0 === null || server1 === null ? null : (server1 - server0) / wall,
    errors,
  };
}

/** Runs the first `max` queries not yet in `found` once (untimed), spread over the clients. */
export async function fillMissing(
  clients: pg.Client[], stmt: Statement, queryText: readonly string[], found: (number[] | undefined)[], max = Infinity,
): Promise<number> {
  const missing: number[] = [];
  for (let i = 0; i < queryText.length && missing.length < max; i++) if (found[i] === undefined) missing.push(i);
  let next = 0;
  await Promise.all(clients.map(async (client) => {
    while (next < missing.length) {
      const qi = missing[next++]!;
      found[qi] = await runOne(client, stmt, queryText[qi]!);
    }
  }));
  return missing.length;
}

/** Runs `sql` on every client (e.g. SET hnsw.ef_search). */
export async function onAll(clients: pg.Client[], sql: string): Promise<void> {
  await Promise.all(clients.map((c) => c.query(sql)));
}
