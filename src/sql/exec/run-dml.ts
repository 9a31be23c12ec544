// INSERT, UPDATE and DELETE execution. Target rows are collected from the planned scan, then each
// is locked; when another transaction changed it meanwhile, READ COMMITTED re-reads the newest
// version and re-checks WHERE (PostgreSQL's EvalPlanQual) while REPEATABLE READ / SERIALIZABLE
// fail with 40001. Every change goes through RowWriter.
import { SqlError, SQLSTATE } from '../../base/index.js';
import type { Datum } from '../types/index.js';
import type { DeleteStatement, InsertStatement, UpdateStatement, BoundExpr } from '../analyze/index.js';
import { planFromItem, planQuery } from '../plan/index.js';
import { compileExpr, compilePredicate, type Row } from './compile-expr.js';
import { checkInterrupts, type ExecContext } from './exec-context.js';
import { runPlan } from './run-plan.js';
import { RowWriter, type WriterCatalog } from './row-writer.js';
import { layoutOf, decodeStoredRow } from './table-codec.js';

/** Plans of bound DML statements, reused while the statement object lives (prepared statements, the simple-query cache). */
const insertPlans = new WeakMap<InsertStatement, ReturnType<typeof planQuery>>();
const targetPlans = new WeakMap<UpdateStatement | DeleteStatement, ReturnType<typeof planFromItem>>();

export interface DmlResult {
  count: number;
  returning: Row[];
}

export async function runInsert(stmt: InsertStatement, ctx: ExecContext, catalog: WriterCatalog): Promise<DmlResult> {
  const table = stmt.target.table;
  const writer = new RowWriter(ctx, catalog);
  let planned = insertPlans.get(stmt);
  if (planned === undefined) {
    planned = planQuery(stmt.source, ctx.stats);
    insertPlans.set(stmt, planned);
  }
  const sourceRows = [...runPlan(planned.root, ctx)];
  const defaults = stmt.target.defaults.map((d) => (d === null ? null : compileExpr(d)));
  const returning = stmt.returning.map(compileExpr);
  const out: DmlResult = { count: 0, returning: [] };
  const given = new Set(stmt.targetColumns);
  const width = table.columns.length;
  const oc = stmt.onConflict;
  const ocAssign = oc?.assignments.map((a) => ({ column: a.column, f: compileExpr(a.expr) })) ?? [];
  const ocWhere = compilePredicate(oc?.where ?? null);
  const touched = new Set<string>();
  for (const src of sourceRows) {
    checkInterrupts(ctx);
    const row: Datum[] = new Array<Datum>(width).fill(null);
    for (let i = 0; i < width; i++) {
      if (given.has(i)) continue;
      const d = defaults[i];
      if (d !== null && d !== undefined) row[i] = d([], ctx);
    }
    stmt.targetColumns.forEach((col, i) => { row[col] = src[i] ?? null; });
    if (oc !== null) {
      writer.checkRow(table, row);
      const conflict = writer.findConflict(table, row, oc.arbiterIndexOids);
      if (conflict !== undefined) {
        if (oc.action === 'nothing') continue;
        await writer.lock(conflict.key, 'exclusive');
        const latestBytes = ctx.txn.getLatest(conflict.key);
        if (latestBytes === undefined) { /* deleted meanwhile: insert below */ } else {
          if (ctx.txn.isolation !== 'read committed') ctx.txn.checkWriteConflict(conflict.key);
          const keyString = conflict.key.toString('hex');
          if (touched.has(keyString)) {
            throw new SqlError(SQLSTATE.CARDINALITY_VIOLATION, 'ON CONFLICT DO UPDATE command cannot affect row a second time', {
              hint: 'Ensure that no rows proposed for insertion within the same command have duplicate constrained values.',
            });
          }
          const existing = decodeStoredRow(layoutOf(table), latestBytes);
          const combined = existing.concat(row);
          if (ocWhere !== null && !ocWhere(combined, ctx)) continue;
          const newRow = [...existing];
          for (const a of ocAssign) newRow[a.column] = a.f(combined, ctx);
          const newKey = await writer.update(table, conflict.key, existing, newRow);
          touched.add(newKey.toString('hex'));
          out.count++;
          if (returning.length > 0) out.returning.push(returning.map((f) => f(newRow, ctx)));
          continue;
        }
      }
    }
    const inserted = writer.insert(table, row);
    const key = inserted instanceof Promise ? await inserted : inserted;
    touched.add(key.toString('hex'));
    out.count++;
    if (returning.length > 0) out.returning.push(returning.map((f) => f(row, ctx)));
  }
  return out;
}

interface TargetRow {
  key: Buffer;
  scopeRow: Row;
}

/** Collects the rows an UPDATE/DELETE targets, then locks each and re-checks it. */
async function lockTargets(
  stmt: UpdateStatement | DeleteStatement, ctx: ExecContext,
  handle: (target: TargetRow, current: Datum[]) => Promise<void>,
): Promise<void> {
  const table = stmt.target.table;
  const width = table.columns.length;
  let plan = targetPlans.get(stmt);
  if (plan === undefined) {
    plan = planFromItem(stmt.from, stmt.where, ctx.stats);
    targetPlans.set(stmt, plan);
  }
  const targets: TargetRow[] = [];
  const seen = new Set<string>();
  for (const row of runPlan(plan, ctx)) {
    const key = row[width] as Buffer;
    const ks = key.toString('latin1');
    if (seen.has(ks)) continue;
    seen.add(ks);
    targets.push({ key, scopeRow: row });
  }
  const where = compilePredicate(stmt.where);
  const layout = layoutOf(table);
  for (const t of targets) {
    checkInterrupts(ctx);
    const wait = ctx.txn.lockRow(t.key, 'exclusive');
    if (wait !== undefined) await wait;
    let current = t.scopeRow.slice(0, width);
    if (ctx.txn.changedSinceSnapshot(t.key)) {
      ctx.txn.checkWriteConflict(t.key);
      // READ COMMITTED: continue with the newest version if it still qualifies.
      const latest = ctx.txn.getLatest(t.key);
      if (latest === undefined) continue;
      current = decodeStoredRow(layout, latest);
      const scopeRow = t.scopeRow.slice();
      for (let i = 0; i < width; i++) scopeRow[i] = current[i]!;
      if (where !== null && !where(scopeRow, ctx)) continue;
      t.scopeRow = scopeRow;
    } else if (ctx.txn.ownWrite(t.key) === null) {
      // Deleted earlier in this statement (e.g. by a cascade). Otherwise the version the plan
      // read at this snapshot is still there: no second read of the row.
      continue;
    }
    await handle(t, current);
  }
}

export async function runUpdate(stmt: UpdateStatement, ctx: ExecContext, catalog: WriterCatalog): Promise<DmlResult> {
  const table = stmt.target.table;
  const width = table.columns.length;
  const writer = new RowWriter(ctx, catalog);
  const assigns = stmt.assignments.map((a) => ({ column: a.column, f: compileExpr(a.expr) }));
  const returning = stmt.returning.map(compileExpr);
  const out: DmlResult = { count: 0, returning: [] };
  const updated = new Set<string>();
  await lockTargets(stmt, ctx, async (t, current) => {
    if (updated.has(t.key.toString('latin1'))) return;
    const newRow = [...current];
    for (const a of assigns) newRow[a.column] = a.f(t.scopeRow, ctx);
    const newKey = await writer.update(table, t.key, current, newRow);
    updated.add(newKey.toString('latin1'));
    out.count++;
    if (returning.length > 0) {
      const scopeRow = t.scopeRow.slice();
      for (let i = 0; i < width; i++) scopeRow[i] = newRow[i]!;
      out.returning.push(returning.map((f) => f(scopeRow, ctx)));
    }
  });
  return out;
}

export async function runDelete(stmt: DeleteStatement, ctx: ExecContext, catalog: WriterCatalog): Promise<DmlResult> {
  const table = stmt.target.table;
  const writer = new RowWriter(ctx, catalog);
  const returning = stmt.returning.map(compileExpr);
  const out: DmlResult = { count: 0, returning: [] };
  await lockTargets(stmt, ctx, async (t, current) => {
    await writer.delete(table, t.key, current);
    out.count++;
    if (returning.length > 0) out.returning.push(returning.map((f) => f(t.scopeRow, ctx)));
  });
  return out;
}

/** SELECT ... FOR UPDATE / FOR SHARE on one table: lock the rows the query's WHERE selects. */
export async function lockSelectedRows(
  from: Parameters<typeof planFromItem>[0], where: BoundExpr | null, width: number, mode: 'exclusive' | 'share', ctx: ExecContext,
  noWait = false, tableName = '', skipLocked = false,
): Promise<Set<string>> {
  const skipped = new Set<string>();
  const plan = planFromItem(from, where, ctx.stats);
  const keys: Buffer[] = [];
  for (const row of runPlan(plan, ctx)) keys.push(row[width] as Buffer);
  for (const key of keys) {
    checkInterrupts(ctx);
    const wait = ctx.txn.lockRow(key, mode);
    if (wait !== undefined) {
      if (skipLocked) {
        ctx.txn.abortWaits(new SqlError(SQLSTATE.LOCK_NOT_AVAILABLE, 'skipped'));
        await wait.catch(() => undefined);
        skipped.add(key.toString('latin1'));
        continue;
      }
      if (noWait) {
        const err = new SqlError(SQLSTATE.LOCK_NOT_AVAILABLE, `could not obtain lock on row in relation "${tableName}"`);
        ctx.txn.abortWaits(err);
        await wait.catch(() => undefined);
        throw err;
      }
      await wait;
    }
    if (mode === 'exclusive' || ctx.txn.isolation !== 'read committed') {
      if (ctx.txn.changedSinceSnapshot(key)) ctx.txn.checkWriteConflict(key);
    }
  }
  return skipped;
}
