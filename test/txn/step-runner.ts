// Runs a scripted interleaving of SQL statements over several `pg` sessions against one server and
// records what each statement did (rows, command tag, SQLSTATE, or "blocked"), so that the same
// script's trace on PostgreSQL and on QuiverDB can be compared. A statement counts as blocked when
// it has not resolved while the script moves on; the runner awaits it after the step that unblocks it.
import type pg from 'pg';
import { connect } from '../helpers/quiver-server.js';

/** One scripted statement. */
export interface Step {
  /** Session number (T1 is 1). */
  s: number;
  sql: string;
  /** Expected outcome: see rows(), err(), tag strings such as 'UPDATE 1'. */
  out: string;
  /** The statement is expected to block; `out` is what it returns once unblocked. */
  blocks?: boolean;
  /** Sessions whose blocked statement this step releases: awaited right after this step. */
  unblocks?: number[];
}

/** Expected outcome of a query returning rows; each row's columns joined with ':', rows sorted. */
export function rows(...rs: (string | number | null)[][]): string {
  return formatRows(rs.map((r) => r.map((v) => (v === null ? null : String(v)))));
}

/** Expected outcome of a statement failing with `sqlstate`. */
export function err(sqlstate: string): string {
  return `error ${sqlstate}`;
}

export const BLOCKED = 'blocked';

function formatRows(rs: (string | null)[][]): string {
  const lines = rs.map((r) => r.map((v) => v ?? 'NULL').join(':')).sort();
  return lines.length === 0 ? 'rows (none)' : `rows ${lines.join(' ')}`;
}

/** The outcome string of a settled query: rows(...), err(...), or the command tag. */
export function outcomeOf(r: PromiseSettledResult<pg.QueryResult<unknown[]>>): string {
  if (r.status === 'rejected') {
    const e = r.reason as { code?: unknown; message?: unknown };
    return typeof e.code === 'string' ? err(e.code) : `client error ${String(e.message)}`;
  }
  const q = r.value;
  if (q.command === 'SELECT' || q.fields.length > 0) return formatRows(q.rows as (string | null)[][]);
  if (q.command === 'INSERT') return `INSERT ${String(q.oid ?? 0)} ${String(q.rowCount)}`;
  return q.rowCount === null ? q.command : `${q.command} ${String(q.rowCount)}`;
}

/** Resolves to the settled outcome, or to null when `p` has not settled within `ms`. */
export async function settleWithin<T>(p: Promise<T>, ms: number): Promise<PromiseSettledResult<T> | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((res) => { timer = setTimeout(() => res(null), ms); });
  const settled = p.then((value): PromiseSettledResult<T> => ({ status: 'fulfilled', value }),
    (reason: unknown): PromiseSettledResult<T> => ({ status: 'rejected', reason }));
  try {
    return await Promise.race([settled, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface RunOptions {
  /** How long a statement expected to block is given to (wrongly) finish before it counts as blocked. */
  blockMs?: number;
  /** How long any other statement, or an unblocked one, is awaited before it counts as blocked. */
  waitMs?: number;
}

function label(step: Step): string {
  return `T${String(step.s)}: ${step.sql}`;
}

/** The trace the annotations of `steps` describe (same format as runSteps). */
export function expectedTrace(steps: Step[]): string[] {
  const out: string[] = [];
  for (const step of steps) {
    out.push(`${label(step)} -> ${step.blocks === true ? BLOCKED : step.out}`);
    for (const s of step.unblocks ?? []) {
      const blocked = [...steps].reverse().find((b) => b.s === s && b.blocks === true && steps.indexOf(b) < steps.indexOf(step));
      out.push(`  T${String(s)} resumes: ${blocked?.out ?? '(nothing was blocked)'}`);
    }
  }
  return out;
}

/** Closes a client, destroying its socket if the server does not let it go. */
export async function closeClient(c: pg.Client): Promise<void> {
  const ended = await settleWithin(c.end(), 2000);
  if (ended === null) (c as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
}

/**
 * Runs `steps` on fresh sessions to the server at `port` and returns the trace: one line per step
 * (`T2: sql -> outcome`) plus a `  T2 resumes: outcome` line after each step that unblocks T2.
 * Sessions still blocked at the end are reported and their connections destroyed.
 */
export async function runSteps(port: number, steps: Step[], opts: RunOptions = {}): Promise<string[]> {
  const blockMs = opts.blockMs ?? 300;
  const waitMs = opts.waitMs ?? 5000;
  const sessions = new Map<number, pg.Client>();
  const pending = new Map<number, Promise<pg.QueryResult<unknown[]>>>();
  const trace: string[] = [];
  try {
    for (const step of steps) {
      let c = sessions.get(step.s);
      if (c === undefined) { c = await connect(port); sessions.set(step.s, c); }
      if (pending.has(step.s)) {
        trace.push(`${label(step)} -> not run: T${String(step.s)} is still blocked`);
        continue;
      }
      const p = c.query<unknown[]>({ text: step.sql, rowMode: 'array' });
      const r = await settleWithin(p, step.blocks === true ? blockMs : waitMs);
      if (r === null) {
        pending.set(step.s, p);
        trace.push(`${label(step)} -> ${BLOCKED}`);
      } else {
        trace.push(`${label(step)} -> ${outcomeOf(r)}`);
      }
      for (const s of step.unblocks ?? []) {
        const q = pending.get(s);
        if (q === undefined) { trace.push(`  T${String(s)} resumes: (nothing was blocked)`); continue; }
        const rr = await settleWithin(q, waitMs);
        if (rr === null) {
          trace.push(`  T${String(s)} resumes: still ${BLOCKED}`);
        } else {
          pending.delete(s);
          trace.push(`  T${String(s)} resumes: ${outcomeOf(rr)}`);
        }
      }
    }
    for (const s of pending.keys()) trace.push(`T${String(s)} still ${BLOCKED} at the end`);
  } finally {
    await Promise.all([...sessions.values()].map(closeClient));
  }
  return trace;
}
