// Shared harness for the bad-input tests: starts QuiverDB (on a data directory) and the PostgreSQL 15
// oracle, runs a statement on both with `pg` (values as the server's text), reduces each answer to rows
// or {code, message, position}, and checks after every bad input that connections still work and
// committed data (a small fixture table) is intact. A QuiverDB that died is restarted on its
// directory (after the test that killed it failed) so that one crash does not hide later results.
import { rmSync } from 'node:fs';
import type pg from 'pg';
import { expect } from 'vitest';
import { connect, startQuiver, type QuiverServer } from '../helpers/quiver-server.js';
import { startPostgres, type PostgresOracle } from '../helpers/postgres-oracle.js';

export type Target = 'postgres' | 'quiver';

export interface Outcome {
  command?: string;
  rows?: unknown[][];
  code?: string;
  message?: string;
  position?: string | undefined;
}

/** Runs sql and reduces the answer; a dead connection yields { code: 'connection lost' }. */
export async function outcome(c: pg.Client, sql: string, params?: unknown[]): Promise<Outcome> {
  try {
    const r = await c.query({ text: sql, values: params, rowMode: 'array' });
    return { command: r.command, rows: r.rows as unknown[][] };
  } catch (e) {
    const x = e as { code?: unknown; message?: unknown; position?: unknown };
    if (typeof x.code !== 'string' || !/^[0-9A-Z]{5}$/.test(x.code) || x.code === 'EPIPE') {
      return { code: 'connection lost', message: String(x.message) };
    }
    return { code: x.code, message: String(x.message), position: typeof x.position === 'string' ? x.position : undefined };
  }
}

const FIXTURE_ROWS = [['1', 'one'], ['2', 'two'], ['3', 'three']];

/** Both servers, one long-lived client each, and the fixture table committed on both. */
export class Pair {
  readonly clients = new Map<Target, pg.Client>();
  private readonly dataDir: string;
  private constructor(readonly oracle: PostgresOracle, public quiver: QuiverServer) {
    this.dataDir = quiver.dataDir!;
  }

  static async start(): Promise<Pair> {
    const [oracle, quiver] = await Promise.all([startPostgres(), startQuiver()]);
    const pair = new Pair(oracle, quiver);
    for (const t of ['postgres', 'quiver'] as const) {
      const c = await pair.connect(t);
      await c.query('CREATE TABLE keep (id int PRIMARY KEY, v text NOT NULL UNIQUE)');
      await c.query("INSERT INTO keep VALUES (1, 'one'), (2, 'two'), (3, 'three')");
      pair.clients.set(t, c);
    }
    return pair;
  }

  port(t: Target): number {
    return t === 'postgres' ? this.oracle.port : this.quiver.port;
  }

  connect(t: Target, queryTimeoutMs = 60_000): Promise<pg.Client> {
    return connect(this.port(t), { queryTimeoutMs });
  }

  client(t: Target): pg.Client {
    return this.clients.get(t)!;
  }

  /** Whether QuiverDB's process is still running. */
  quiverAlive(): boolean {
    return this.quiver.process.exitCode === null && this.quiver.process.signalCode === null;
  }

  /** Restarts a QuiverDB that died (on the same data directory) and reconnects its client. */
  async reviveQuiver(): Promise<void> {
    if (this.quiverAlive()) {
      const probe = await outcome(this.client('quiver'), 'SELECT 1');
      if (probe.code !== 'connection lost') return;
      // the connection died: wait a little for a dying process to exit, else just reconnect
      const exited = new Promise<void>((r) => this.quiver.process.once('exit', () => r()));
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (this.quiverAlive()) {
        await this.client('quiver').end().catch(() => undefined);
        this.clients.set('quiver', await this.connect('quiver'));
        return;
      }
    }
    this.quiver = await startQuiver({ dataDir: this.dataDir });
    await this.clients.get('quiver')?.end().catch(() => undefined);
    this.clients.set('quiver', await this.connect('quiver'));
  }

  /** Runs sql on both servers' long-lived clients. */
  async both(sql: string, params?: unknown[]): Promise<{ postgres: Outcome; quiver: Outcome }> {
    await this.reviveQuiver();
    const postgres = await outcome(this.client('postgres'), sql, params);
    const quiver = await outcome(this.client('quiver'), sql, params);
    return { postgres, quiver };
  }

  /**
   * The aftermath check: QuiverDB is alive, a new connection works and sees the committed fixture,
   * and the long-lived connection works too (reconnected if PostgreSQL also dropped its connection).
   */
  async expectHealthy(what: string): Promise<void> {
    // give a dying process a moment to be reaped, so a crash is reported as a crash
    await new Promise((r) => setTimeout(r, 20));
    expect(this.quiverAlive(), `QuiverDB died after ${what}:\n${this.quiver.output().slice(-1500)}`).toBe(true);
    let postgresDropped = false;
    for (const t of ['postgres', 'quiver'] as const) {
      const fresh = await this.connect(t);
      try {
        const r = await fresh.query({ text: 'SELECT id, v FROM keep ORDER BY id', rowMode: 'array' });
        expect(r.rows, `${t} after ${what}: a new connection sees the committed data`).toEqual(FIXTURE_ROWS);
      } finally {
        await fresh.end();
      }
      const o = await outcome(this.client(t), 'SELECT count(*) FROM keep');
      if (o.code === 'connection lost') {
        if (t === 'postgres') postgresDropped = true;
        else expect(postgresDropped, `${what}: QuiverDB dropped a connection PostgreSQL keeps (${o.message ?? ''})`).toBe(true);
        await this.client(t).end().catch(() => undefined);
        this.clients.set(t, await this.connect(t));
      } else {
        expect(o, `${t} after ${what}: the same connection keeps working`).toEqual({ command: 'SELECT', rows: [['3']] });
      }
    }
  }

  async stop(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.end().catch(() => undefined)));
    await Promise.all([this.oracle.stop(), this.quiver.stop()]);
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
