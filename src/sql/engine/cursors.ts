// SQL cursors: DECLARE ... CURSOR FOR query, FETCH and MOVE in every direction, CLOSE [ALL], as
// PostgreSQL positions them (before the first row, on row k, after the last). A cursor streams its
// query's rows as FETCH asks for them; a SCROLL cursor also keeps the rows it has read so it can go
// back; WITH HOLD reads its rows at DECLARE and outlives the transaction. Cursors without HOLD
// close when their transaction ends.
import { SqlError, SQLSTATE, notSupported } from '../../base/index.js';
import type { PgNode } from '../parse/index.js';
import type { OutputColumn } from '../analyze/index.js';
import type { Row } from '../exec/index.js';
import type { Datum, SqlType } from '../types/index.js';
import type { ResultSink } from './session-api.js';

// PostgreSQL's CURSOR_OPT_* bits in DeclareCursorStmt.options.
const OPT_BINARY = 0x1;
const OPT_SCROLL = 0x2;
const OPT_NO_SCROLL = 0x4;
const OPT_HOLD = 0x20;
/** libpg-query's FETCH ALL count. */
const FETCH_ALL = 2147483647;

/** What the session gives cursors: a started query, row encoding, and transaction state. */
export interface CursorHost {
  /**
   * Binds, plans and starts a SELECT in the current transaction, with DECLARE's parameters (and
   * their types as the DECLARE statement declared them); `next` reads its next row.
   */
  openQuery(query: PgNode, params: readonly Datum[], paramTypes: readonly SqlType[]): { columns: OutputColumn[]; next(): Promise<Row | undefined> };
  /** Sends RowDescription for `columns` and one DataRow per row. */
  sendRows(columns: OutputColumn[], rows: Row[], formats: readonly number[], sink: ResultSink): void;
  inTransactionBlock(): boolean;
}

interface Cursor {
  name: string;
  columns: OutputColumn[];
  next(): Promise<Row | undefined>;
  scroll: boolean;
  hold: boolean;
  /** Rows read so far (SCROLL and WITH HOLD cursors only). */
  seen: Row[] | null;
  /** 0 before the first row, k on row k (1-based), count + 1 after the last. */
  pos: number;
  /** Total rows, once the query has run out. */
  count: number | null;
}

export class Cursors {
  private readonly open = new Map<string, Cursor>();

  constructor(private readonly host: CursorHost) {}

  /** Columns a FETCH from `name` returns (Describe of a FETCH statement), or null. */
  columnsOf(name: string): OutputColumn[] | null {
    return this.open.get(name)?.columns ?? null;
  }

  async declare(n: PgNode, params: readonly Datum[], paramTypes: readonly SqlType[], sink: ResultSink): Promise<void> {
    const name = n.portalname as string;
    const options = (n.options as number | undefined) ?? 0;
    const hold = (options & OPT_HOLD) !== 0;
    if (!hold && !this.host.inTransactionBlock()) {
      throw new SqlError(SQLSTATE.NO_ACTIVE_SQL_TRANSACTION, 'DECLARE CURSOR can only be used in transaction blocks');
    }
    if (this.open.has(name)) throw new SqlError(SQLSTATE.DUPLICATE_CURSOR, `cursor "${name}" already exists`);
    if ((options & OPT_BINARY) !== 0) throw notSupported('BINARY cursors');
    if ((options & OPT_SCROLL) !== 0 && (options & OPT_NO_SCROLL) !== 0) {
      throw new SqlError(SQLSTATE.INVALID_CURSOR_DEFINITION, 'cannot specify both SCROLL and NO SCROLL');
    }
    const q = this.host.openQuery(n.query as PgNode, params, paramTypes);
    const cursor: Cursor = {
      name, columns: q.columns, next: q.next, scroll: (options & OPT_SCROLL) !== 0 || hold, hold,
      seen: (options & OPT_SCROLL) !== 0 || hold ? [] : null, pos: 0, count: null,
    };
    // WITH HOLD: the rows as of DECLARE, read now, so that they outlive the transaction.
    if (hold) await this.readAll(cursor);
    this.open.set(name, cursor);
    sink.commandComplete('DECLARE CURSOR');
  }

  async fetch(n: PgNode, formats: readonly number[], sink: ResultSink): Promise<void> {
    const name = n.portalname as string;
    const cursor = this.open.get(name);
    if (cursor === undefined) throw new SqlError(SQLSTATE.INVALID_CURSOR_NAME, `cursor "${name}" does not exist`);
    let howMany = (n.howMany as number | undefined) ?? 0;
    let direction = n.direction as string;
    // FETCH -2 / FORWARD -2 go backward, BACKWARD -2 forward.
    if (howMany < 0 && (direction === 'FETCH_FORWARD' || direction === 'FETCH_BACKWARD')) {
      howMany = -howMany;
      direction = direction === 'FETCH_FORWARD' ? 'FETCH_BACKWARD' : 'FETCH_FORWARD';
    }
    const many = howMany >= FETCH_ALL ? Infinity : howMany;
    const move = n.ismove === true;
    let rows: Row[];
    // FETCH FORWARD 0 / BACKWARD 0 re-read the current row, as RELATIVE 0 does.
    if (howMany === 0 && (direction === 'FETCH_FORWARD' || direction === 'FETCH_BACKWARD')) rows = this.current(cursor);
    else switch (direction) {
      case 'FETCH_BACKWARD': rows = await this.backward(cursor, many); break;
      case 'FETCH_ABSOLUTE': rows = await this.absolute(cursor, howMany); break;
      case 'FETCH_RELATIVE': rows = howMany === 0 ? this.current(cursor) : howMany > 0
        ? (await this.skipForward(cursor, howMany - 1), await this.forward(cursor, 1)) : await this.relativeBack(cursor, -howMany);
        break;
      default: rows = await this.forward(cursor, many); break;
    }
    if (move) { sink.commandComplete(`MOVE ${rows.length}`); return; }
    this.host.sendRows(cursor.columns, rows, formats, sink);
    sink.commandComplete(`FETCH ${rows.length}`);
  }

  close(n: PgNode, sink: ResultSink): void {
    const name = n.portalname as string | undefined;
    if (name === undefined) this.open.clear();
    else if (!this.open.delete(name)) throw new SqlError(SQLSTATE.INVALID_CURSOR_NAME, `cursor "${name}" does not exist`);
    sink.commandComplete(name === undefined ? 'CLOSE CURSOR ALL' : 'CLOSE CURSOR');
  }

  /** At COMMIT or ROLLBACK: cursors without HOLD close. */
  endTransaction(): void {
    for (const [name, c] of this.open) if (!c.hold) this.open.delete(name);
  }

  /** Closes every cursor (DISCARD ALL, end of session). */
  closeAll(): void {
    this.open.clear();
  }

  // ---- positioning ------------------------------------------------------------------------------

  /** Row k (1-based) if the query has that many, reading as far as needed. */
  private async rowAt(c: Cursor, k: number): Promise<Row | undefined> {
    if (c.seen !== null && k <= c.seen.length) return c.seen[k - 1];
    if (c.count !== null) return undefined;
    // Forward-only cursors read the next row only (the caller never asks for an older one).
    while (c.seen === null || c.seen.length < k) {
      const r = await c.next();
      if (r === undefined) {
        c.count = c.seen?.length ?? Math.max(0, k - 1);
        return undefined;
      }
      if (c.seen === null) return r;
      c.seen.push(r);
    }
    return c.seen[k - 1];
  }

  private async readAll(c: Cursor): Promise<number> {
    while (c.count === null) await this.rowAt(c, (c.seen?.length ?? c.pos) + 1);
    return c.count;
  }

  private async forward(c: Cursor, many: number): Promise<Row[]> {
    const rows: Row[] = [];
    while (rows.length < many) {
      if (c.count !== null && c.pos >= c.count) { c.pos = c.count + 1; break; }
      const r = await this.rowAt(c, c.pos + 1);
      if (r === undefined) { c.pos = c.count! + 1; break; }
      c.pos++;
      rows.push(r);
    }
    return rows;
  }

  /** Moves `k` rows forward without returning them (FETCH RELATIVE k reads the k-th). */
  private async skipForward(c: Cursor, k: number): Promise<void> {
    if (k > 0) await this.forward(c, k);
  }

  private requireScroll(c: Cursor): void {
    if (!c.scroll) {
      throw new SqlError(SQLSTATE.OBJECT_NOT_IN_PREREQUISITE_STATE, 'cursor can only scan forward', {
        hint: 'Declare it with SCROLL option to enable backward scan.',
      });
    }
  }

  private async backward(c: Cursor, many: number): Promise<Row[]> {
    this.requireScroll(c);
    const rows: Row[] = [];
    while (rows.length < many) {
      if (c.pos <= 1) { c.pos = 0; break; }
      c.pos--;
      rows.push((await this.rowAt(c, c.pos))!);
    }
    return rows;
  }

  private async relativeBack(c: Cursor, k: number): Promise<Row[]> {
    this.requireScroll(c);
    const target = c.pos - k;
    if (target <= 0) { c.pos = 0; return []; }
    c.pos = target;
    return [(await this.rowAt(c, target))!];
  }

  private current(c: Cursor): Row[] {
    if (c.seen === null || c.pos < 1 || c.pos > c.seen.length) return [];
    return [c.seen[c.pos - 1]!];
  }

  private async absolute(c: Cursor, k: number): Promise<Row[]> {
    if (k > 0) {
      if (k <= c.pos) this.requireScroll(c);
      if (c.seen === null) {
        // forward-only: read up to row k
        await this.skipForward(c, k - 1 - c.pos);
        return this.forward(c, 1);
      }
      const r = await this.rowAt(c, k);
      if (r === undefined) { c.pos = c.count! + 1; return []; }
      c.pos = k;
      return [r];
    }
    this.requireScroll(c);
    if (k === 0) { c.pos = 0; return []; }
    const count = await this.readAll(c);
    const at = count + 1 + k;
    if (at < 1) { c.pos = 0; return []; }
    c.pos = at;
    return [c.seen![at - 1]!];
  }
}
