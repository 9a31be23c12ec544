// The state one statement's execution reads: its transaction, parameters, the stack of outer
// rows for correlated subqueries, the function evaluation context, cancellation and the
// statement deadline.
import { SqlError, SQLSTATE } from '../../base/index.js';
import type { AnnIndexes } from './ann-indexes.js';
import type { Datum } from '../types/index.js';
import type { EvalContext } from '../functions/index.js';
import type { PlannerStats } from '../plan/index.js';
import type { Txn } from '../../txn/index.js';

export interface ExecContext {
  readonly txn: Txn;
  readonly params: readonly Datum[];
  /** Rows of enclosing queries, innermost last (column levelsUp k reads outer[length - k]). */
  readonly outer: Datum[][];
  /** The current left row of an index nested loop (column levelsUp -1 reads it). */
  probeRow: Datum[] | null;
  readonly evalContext: EvalContext;
  readonly stats: PlannerStats;
  /** Results of uncorrelated subqueries, computed once per statement. */
  readonly subqueryCache: Map<object, unknown>;
  /** Set by cancel(); checked by tick(). */
  canceled: boolean;
  /** performance.now() deadline from statement_timeout, or Infinity. */
  deadline: number;
  /** Milliseconds of pg_sleep requested by expressions, served by the async driver. */
  sleepRequestMs: number;
  /** Counter for periodic checks. */
  ticks: number;
  /** Set by the statement driver: performance.now() after which leaf scans yield PAUSE. */
  pauseAt?: number | undefined;
  /** Rows seen by leaf scans since the statement started (pauses are checked every 256). */
  pauseTicks?: number | undefined;
  /** Working tables of running recursive CTEs, by CTE id. */
  worktables?: Map<number, Datum[][]> | undefined;
  /** The server's live ANN indexes (for annscan nodes). */
  annIndexes?: AnnIndexes | undefined;
  /**
   * Set by a driver that awaits `pending` when a scan yields PAUSE (the row-sending loop): an ANN
   * scan then queues its search to share a multi-core native call with other sessions' searches.
   */
  asyncWaits?: boolean | undefined;
  /** A promise the driver awaits at the next PAUSE. */
  pending?: Promise<unknown> | undefined;
  /** Whether a setting still has its default value (not SET in the session). */
  settingIsDefault?: ((name: string) => boolean) | undefined;
  /** SKIP LOCKED: row keys (latin1) of one table that scans leave out. */
  skipRows?: { tableOid: number; keys: Set<string> } | undefined;
}

/**
 * The marker row leaf scans yield when the statement driver should let the event loop run
 * (cancel requests, other sessions). Operators pass it up unchanged; runPlan() filters it out.
 */
export const PAUSE: Datum[] = Object.freeze([]) as unknown as Datum[];

/** Whether a leaf scan should yield PAUSE now (only when the driver set ctx.pauseAt). */
export function pauseDue(ctx: ExecContext): boolean {
  if (ctx.pauseAt === undefined) return false;
  ctx.pauseTicks = (ctx.pauseTicks ?? 0) + 1;
  return (ctx.pauseTicks & 255) === 0 && performance.now() >= ctx.pauseAt;
}

/** Called in loops: throws 57014 when the statement was canceled or ran out of time. */
export function tick(ctx: ExecContext): void {
  if ((++ctx.ticks & 1023) !== 0) return;
  checkInterrupts(ctx);
}

export function checkInterrupts(ctx: ExecContext): void {
  if (ctx.canceled) throw new SqlError(SQLSTATE.QUERY_CANCELED, 'canceling statement due to user request');
  if (ctx.deadline !== Infinity && performance.now() > ctx.deadline) {
    throw new SqlError(SQLSTATE.QUERY_CANCELED, 'canceling statement due to statement timeout');
  }
}
