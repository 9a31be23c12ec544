// The state one statement's execution reads: its transaction, parameters, the stack of outer
// rows for correlated subqueries, the function evaluation context, cancellation and the
// statement deadline.
import { SqlError, SQLSTATE } from '../../base/index.js';
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
  /** SKIP LOCKED: row keys (latin1) of one table that scans leave out. */
  skipRows?: { tableOid: number; keys: Set<string> } | undefined;
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
