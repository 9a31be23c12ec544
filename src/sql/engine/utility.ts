// Utility statements: transaction control, SET/SHOW/RESET, EXPLAIN, PREPARE/EXECUTE/DEALLOCATE,
// VACUUM/ANALYZE, DISCARD, CHECKPOINT, and dispatch of DDL and COPY to their own modules.
import { SqlError, SQLSTATE, notSupported } from '../../base/index.js';
import type { IsolationLevel } from '../../txn/index.js';
import { nodeTag, nodeBody, nameList, parseSql, strVal, type RawStatement, type PgNode } from '../parse/index.js';
import { OID, type Datum, type SqlType } from '../types/index.js';
import {
  QueryBinder, DmlBinder, coerce, Scope, type OutputColumn, type BoundQuery,
} from '../analyze/index.js';
import { planQuery, planFromItem, explainPlan } from '../plan/index.js';
import { compileExpr } from '../exec/index.js';
import type { ResultSink } from './session-api.js';
import type { PreparedStatement, Session } from './session.js';
import { fieldDescriptions } from './session.js';
import { createVectorExtension } from './ann-ddl.js';
import { executeDdl, isDdl } from './ddl.js';
import { executeCopy } from './copy.js';
import { allSettingNames, canonicalSettingName } from './settings.js';

const TEXT = { oid: OID.text, typmod: -1 };

export function isTransactionControl(raw: RawStatement): boolean {
  if (raw.tag !== 'TransactionStmt') return false;
  return true;
}

/** Result columns of a utility statement (for Describe), or null when it returns none. */
export function utilityColumns(session: Session, raw: RawStatement): OutputColumn[] | null {
  const n = nodeBody(raw.node);
  switch (raw.tag) {
    case 'VariableShowStmt': {
      const name = n.name as string;
      if (name === 'all') return ['name', 'setting', 'description'].map((c) => col(c));
      return [col(showColumnName(name))];
    }
    case 'ExplainStmt': return [col('QUERY PLAN')];
    case 'FetchStmt': return n.ismove === true ? null : session.cursors.columnsOf(n.portalname as string);
    case 'ExecuteStmt': {
      const p = session.prepared.get(n.name as string);
      if (p === undefined) return null;
      const bound = session.bindPrepared(p);
      if (bound === null) return p.raw === null ? null : utilityColumns(session, p.raw);
      const s = bound.statement;
      if (s.kind === 'insert' || s.kind === 'update' || s.kind === 'delete') return s.returning.length > 0 ? s.returningColumns : null;
      return s.columns;
    }
    default: return null;
  }
}

function col(name: string): OutputColumn {
  return { name, type: TEXT, tableOid: 0, attnum: 0 };
}

function showColumnName(name: string): string {
  if (name === 'timezone') return 'TimeZone';
  if (name === 'transaction_isolation') return 'transaction_isolation';
  return canonicalSettingName(name) ?? name;
}

export async function executeUtility(
  session: Session, raw: RawStatement, params: Datum[], formats: readonly number[], sink: ResultSink, paramTypes: readonly SqlType[] = [],
): Promise<void> {
  const n = nodeBody(raw.node);
  switch (raw.tag) {
    case 'TransactionStmt': return transactionStatement(session, n, sink);
    case 'VariableSetStmt': return setStatement(session, n, sink);
    case 'VariableShowStmt': return showStatement(session, n, formats, sink);
    case 'ExplainStmt': return explainStatement(session, n, sink);
    case 'PrepareStmt': return prepareStatement(session, n, raw, sink);
    case 'ExecuteStmt': return executeStatement(session, n, formats, sink);
    case 'DeallocateStmt': {
      if (n.name === undefined) session.prepared.clear();
      else if (!session.prepared.delete(n.name as string)) {
        throw new SqlError(SQLSTATE.INVALID_SQL_STATEMENT_NAME, `prepared statement "${n.name}" does not exist`);
      }
      sink.commandComplete(n.name === undefined ? 'DEALLOCATE ALL' : 'DEALLOCATE');
      return;
    }
    case 'VacuumStmt': return vacuumStatement(session, n, sink);
    case 'CheckPointStmt': sink.commandComplete('CHECKPOINT'); return;
    case 'DiscardStmt': {
      if (session.block?.explicit === true) throw new SqlError(SQLSTATE.ACTIVE_SQL_TRANSACTION, 'DISCARD ALL cannot run inside a transaction block');
      session.prepared.clear();
      session.cursors.closeAll();
      session.settings.resetAll();
      sink.commandComplete(n.target === 'DISCARD_ALL' ? 'DISCARD ALL' : n.target === 'DISCARD_PLANS' ? 'DISCARD PLANS' : 'DISCARD SEQUENCES');
      return;
    }
    case 'CopyStmt': return executeCopy(session, n, sink);
    case 'CreateExtensionStmt': {
      const name = n.extname as string;
      if (name === 'plpgsql') {
        if (n.if_not_exists === true) sink.notice({ severity: 'NOTICE', code: '42710', message: 'extension "plpgsql" already exists, skipping' });
        else throw new SqlError(SQLSTATE.DUPLICATE_OBJECT, 'extension "plpgsql" already exists');
        sink.commandComplete('CREATE EXTENSION');
        return;
      }
      if (name === 'vector') { await createVectorExtension(session, n, sink); sink.commandComplete('CREATE EXTENSION'); return; }
      throw new SqlError(SQLSTATE.FEATURE_NOT_SUPPORTED, `extension "${name}" is not available`, {
        detail: `Could not open extension control file for "${name}".`, hint: 'The extension must first be installed on the system where PostgreSQL is running.',
      });
    }
    case 'DoStmt': throw notSupported('DO blocks (procedural languages)');
    case 'CreateFunctionStmt': throw notSupported('CREATE FUNCTION');
    case 'CreateTrigStmt': throw notSupported('triggers');
    case 'GrantStmt': case 'GrantRoleStmt': case 'AlterDefaultPrivilegesStmt': throw notSupported('privileges (GRANT/REVOKE)');
    case 'ListenStmt': session.listener.listen(n.conditionname as string); sink.commandComplete('LISTEN'); return;
    case 'UnlistenStmt': session.listener.unlisten((n.conditionname as string | undefined) ?? null); sink.commandComplete('UNLISTEN'); return;
    case 'NotifyStmt': session.listener.notify(n.conditionname as string, (n.payload as string | undefined) ?? ''); sink.commandComplete('NOTIFY'); return;
    case 'DeclareCursorStmt': session.ensureTxn(); return session.cursors.declare(n, params, paramTypes, sink);
    case 'FetchStmt': return session.cursors.fetch(n, formats, sink);
    case 'ClosePortalStmt': session.cursors.close(n, sink); return;
    case 'LockStmt': {
      if (session.block?.explicit !== true) throw new SqlError(SQLSTATE.NO_ACTIVE_SQL_TRANSACTION, 'LOCK TABLE can only be used in transaction blocks');
      throw notSupported('LOCK TABLE');
    }
    default:
      if (isDdl(raw.tag)) {
        if (raw.tag === 'CreatedbStmt' || raw.tag === 'DropdbStmt') {
          if (session.block?.explicit === true) {
            throw new SqlError(SQLSTATE.ACTIVE_SQL_TRANSACTION, `${raw.tag === 'CreatedbStmt' ? 'CREATE' : 'DROP'} DATABASE cannot run inside a transaction block`);
          }
        }
        session.ensureTxn();
        const tag = await executeDdl(session, raw, sink);
        sink.commandComplete(tag);
        return;
      }
      throw notSupported(`statement ${raw.tag.replace(/Stmt$/, '')}`);
  }
}

// ---- transactions --------------------------------------------------------------------------------

function isolationFrom(options: PgNode[] | undefined): { isolation: IsolationLevel | null; readOnly: boolean | null } {
  let isolation: IsolationLevel | null = null;
  let readOnly: boolean | null = null;
  for (const o of options ?? []) {
    const d = nodeBody(o);
    const value = nodeBody(d.arg);
    if (d.defname === 'transaction_isolation') {
      const v = (value.sval?.sval ?? '') as string;
      isolation = (v === 'read uncommitted' ? 'read committed' : v) as IsolationLevel;
    } else if (d.defname === 'transaction_read_only') {
      readOnly = (value.ival?.ival ?? 0) === 1;
    } else if (d.defname === 'transaction_deferrable') {
      // DEFERRABLE only matters for SERIALIZABLE READ ONLY; accepted.
    }
  }
  return { isolation, readOnly };
}

async function transactionStatement(session: Session, n: PgNode, sink: ResultSink): Promise<void> {
  const kind = n.kind as string;
  switch (kind) {
    case 'TRANS_STMT_BEGIN': case 'TRANS_STMT_START': {
      const { isolation, readOnly } = isolationFrom(n.options);
      session.beginExplicit(isolation, readOnly, sink);
      sink.commandComplete(kind === 'TRANS_STMT_BEGIN' ? 'BEGIN' : 'START TRANSACTION');
      return;
    }
    case 'TRANS_STMT_COMMIT': {
      if (n.chain) throw notSupported('COMMIT AND CHAIN');
      const block = session.block;
      if (block === null || !block.explicit) {
        sink.notice({ severity: 'WARNING', code: SQLSTATE.NO_ACTIVE_SQL_TRANSACTION, message: 'there is no transaction in progress' });
        await session.commitBlock();
        sink.commandComplete('COMMIT');
        return;
      }
      const failed = block.failed;
      await session.commitBlock();
      sink.commandComplete(failed ? 'ROLLBACK' : 'COMMIT');
      return;
    }
    case 'TRANS_STMT_ROLLBACK': {
      if (n.chain) throw notSupported('ROLLBACK AND CHAIN');
      if (session.block === null || !session.block.explicit) {
        sink.notice({ severity: 'WARNING', code: SQLSTATE.NO_ACTIVE_SQL_TRANSACTION, message: 'there is no transaction in progress' });
      }
      session.abortBlock();
      sink.commandComplete('ROLLBACK');
      return;
    }
    case 'TRANS_STMT_SAVEPOINT': {
      if (session.block?.failed === true) {
        throw new SqlError(SQLSTATE.IN_FAILED_SQL_TRANSACTION, 'current transaction is aborted, commands ignored until end of transaction block');
      }
      await session.savepoint(n.savepoint_name as string);
      sink.commandComplete('SAVEPOINT');
      return;
    }
    case 'TRANS_STMT_RELEASE':
      session.releaseSavepoint(n.savepoint_name as string);
      sink.commandComplete('RELEASE');
      return;
    case 'TRANS_STMT_ROLLBACK_TO':
      session.rollbackToSavepoint(n.savepoint_name as string);
      sink.commandComplete('ROLLBACK');
      return;
    default:
      throw notSupported('two-phase commit (PREPARE TRANSACTION)');
  }
}

// ---- SET / SHOW ------------------------------------------------------------------------------------

function settingValue(args: PgNode[] | undefined): string {
  return (args ?? []).map((a) => {
    const tag = nodeTag(a);
    const b = nodeBody(a);
    if (tag === 'A_Const') {
      if (b.sval !== undefined) return b.sval.sval as string;
      if (b.ival !== undefined) return String(b.ival.ival ?? 0);
      if (b.fval !== undefined) return b.fval.fval as string;
      if (b.boolval !== undefined) return b.boolval.boolval ? 'on' : 'off';
    }
    if (tag === 'TypeCast') {
      // SET TIME ZONE INTERVAL '+02:00' HOUR TO MINUTE and similar.
      return settingValue([b.arg]);
    }
    throw new SqlError(SQLSTATE.SYNTAX_ERROR, 'unsupported SET value');
  }).join(', ');
}

function setStatement(session: Session, n: PgNode, sink: ResultSink): void {
  const kind = n.kind as string;
  const inBlock = session.block !== null && session.block.explicit;
  let name = (n.name as string | undefined) ?? '';
  if (kind === 'VAR_SET_MULTI') {
    if (name === 'TRANSACTION' || name === 'SESSION CHARACTERISTICS') {
      const { isolation, readOnly } = isolationFrom(n.args);
      if (name === 'TRANSACTION') {
        if (!inBlock) {
          sink.notice({ severity: 'WARNING', code: SQLSTATE.NO_ACTIVE_SQL_TRANSACTION, message: 'SET TRANSACTION can only be used in transaction blocks' });
        } else session.setTransactionCharacteristics(isolation, readOnly);
      } else {
        if (isolation !== null) session.settings.set('default_transaction_isolation', isolation, false, inBlock);
        if (readOnly !== null) session.settings.set('default_transaction_read_only', readOnly ? 'on' : 'off', false, inBlock);
      }
      sink.commandComplete('SET');
      return;
    }
    throw notSupported(`SET ${name}`);
  }
  if (kind === 'VAR_RESET_ALL') {
    for (const s of allSettingNames()) {
      try { session.settings.set(s, null, false, inBlock); } catch { /* read-only */ }
    }
    sink.commandComplete('RESET');
    return;
  }
  if (name === 'timezone') name = 'TimeZone';
  if (name === 'transaction_isolation') {
    const v = kind === 'VAR_SET_VALUE' ? settingValue(n.args) : null;
    session.setTransactionCharacteristics(v as IsolationLevel | null, null);
    sink.commandComplete('SET');
    return;
  }
  if (name === 'session_authorization' || name === 'role') throw notSupported(`SET ${name}`);
  if (kind === 'VAR_SET_CURRENT') throw notSupported('SET ... FROM CURRENT');
  const value = kind === 'VAR_SET_VALUE' ? settingValue(n.args) : null;
  const local = n.is_local === true;
  if (local && !inBlock) {
    sink.notice({ severity: 'WARNING', code: SQLSTATE.NO_ACTIVE_SQL_TRANSACTION, message: 'SET LOCAL can only be used in transaction blocks' });
    sink.commandComplete('SET');
    return;
  }
  const r = session.settings.set(name, value, local, inBlock);
  session.parameterChanged(r.name, sink);
  sink.commandComplete(kind === 'VAR_RESET' ? 'RESET' : 'SET');
}

function showStatement(session: Session, n: PgNode, formats: readonly number[], sink: ResultSink): void {
  const name = n.name as string;
  if (name === 'all') {
    const cols = ['name', 'setting', 'description'].map((c) => col(c));
    sink.rowDescription(fieldDescriptions(cols, formats));
    let count = 0;
    for (const s of session.settings.allValues()) {
      sink.dataRow([s.name, s.value, s.def?.description ?? '']);
      count++;
    }
    sink.commandComplete(`SHOW`);
    void count;
    return;
  }
  let value: string;
  if (name === 'transaction_isolation') value = session.block?.isolation ?? session.settings.get('default_transaction_isolation');
  else if (name === 'transaction_read_only') value = (session.block?.readOnly ?? false) ? 'on' : 'off';
  else value = session.settings.show(name === 'timezone' ? 'TimeZone' : name).value;
  sink.rowDescription(fieldDescriptions([col(showColumnName(name))], formats));
  sink.dataRow([formats[0] === 1 ? Buffer.from(value, 'utf8') : value]);
  sink.commandComplete('SHOW');
}

// ---- EXPLAIN -----------------------------------------------------------------------------------------

function explainStatement(session: Session, n: PgNode, sink: ResultSink): void {
  let costs = true;
  for (const o of (n.options as PgNode[] | undefined) ?? []) {
    const d = nodeBody(o);
    const v = d.arg === undefined ? true : !['false', 'off', '0'].includes(String(nodeBody(d.arg).sval?.sval ?? nodeBody(d.arg).ival?.ival ?? strVal(d.arg)).toLowerCase());
    if (d.defname === 'analyze' && v) throw notSupported('EXPLAIN ANALYZE');
    if (d.defname === 'costs') costs = v;
    if (d.defname === 'format') {
      const f = String(nodeBody(d.arg).sval?.sval ?? strVal(d.arg)).toLowerCase();
      if (f !== 'text') throw notSupported(`EXPLAIN (FORMAT ${f.toUpperCase()})`);
    }
  }
  const query = n.query as PgNode;
  const tag = nodeTag(query);
  const body = nodeBody(query);
  const view = session.catalogView();
  const binder = new QueryBinder(view, []);
  let lines: string[];
  if (tag === 'SelectStmt') {
    const bound = binder.bindQuery(body, null);
    lines = explainPlan(planQuery(bound, view).root, { costs });
  } else if (tag === 'InsertStmt' || tag === 'UpdateStmt' || tag === 'DeleteStmt') {
    const dml = new DmlBinder(binder, view);
    const s = tag === 'InsertStmt' ? dml.bindInsert(body) : tag === 'UpdateStmt' ? dml.bindUpdate(body) : dml.bindDelete(body);
    const name = s.target.table.name;
    const verb = tag === 'InsertStmt' ? 'Insert' : tag === 'UpdateStmt' ? 'Update' : 'Delete';
    const inner = s.kind === 'insert' ? planQuery(s.source, view).root : planFromItem(s.from, s.where, view);
    const child = explainPlan(inner, { costs }).map((l, i) => (i === 0 ? `  ->  ${l}` : `      ${l}`));
    const c = costs ? `  (cost=${inner.startupCost.toFixed(2)}..${inner.totalCost.toFixed(2)} rows=0 width=0)` : '';
    lines = [`${verb} on ${name}${c}`, ...child];
  } else {
    throw notSupported(`EXPLAIN of ${tag}`);
  }
  sink.rowDescription(fieldDescriptions([col('QUERY PLAN')], []));
  for (const l of lines) sink.dataRow([l]);
  sink.commandComplete('EXPLAIN');
}

// ---- PREPARE / EXECUTE ----------------------------------------------------------------------------------

function prepareStatement(session: Session, n: PgNode, raw: RawStatement, sink: ResultSink): void {
  const name = n.name as string;
  if (session.prepared.has(name)) throw new SqlError(SQLSTATE.DUPLICATE_PREPARED_STATEMENT, `prepared statement "${name}" already exists`);
  const view = session.catalogView();
  const binder = new QueryBinder(view, []);
  const paramTypes = ((n.argtypes as PgNode[] | undefined) ?? []).map((t) => binder.exprs.typeFromTypeName(nodeBody(t)));
  // The statement text after AS: re-parse the inner statement from the PREPARE text.
  const asMatch = /\bAS\b/i.exec(raw.text);
  const innerText = asMatch === null ? '' : raw.text.slice(asMatch.index + 2).trim();
  const inner = parseSql(innerText)[0] ?? null;
  const p: PreparedStatement = { name, sql: innerText, raw: inner, paramTypes, bound: null, fromSql: true };
  session.bindPrepared(p);
  session.prepared.set(name, p);
  sink.commandComplete('PREPARE');
}

async function executeStatement(session: Session, n: PgNode, formats: readonly number[], sink: ResultSink): Promise<void> {
  const name = n.name as string;
  const p = session.prepared.get(name);
  if (p === undefined) throw new SqlError(SQLSTATE.INVALID_SQL_STATEMENT_NAME, `prepared statement "${name}" does not exist`);
  const args = (n.params as PgNode[] | undefined) ?? [];
  if (args.length !== p.paramTypes.length) {
    throw new SqlError(SQLSTATE.SYNTAX_ERROR, `wrong number of parameters for prepared statement "${name}"`, {
      detail: `Expected ${p.paramTypes.length} parameters but got ${args.length}.`,
    });
  }
  const view = session.catalogView();
  const binder = new QueryBinder(view, []);
  const txn = session.ensureTxn();
  const ctx = session.makeExecContext(txn, [], view);
  const values = args.map((a, i) => {
    const e = coerce(binder.exprs.bind(a, { scope: new Scope(null), aggregates: null, clause: 'EXECUTE parameter', allowSrf: false }), p.paramTypes[i]!, 'a', binder);
    return compileExpr(e)([], ctx);
  });
  await session.runPrepared(p, values, formats, sink);
}

// ---- VACUUM / ANALYZE ------------------------------------------------------------------------------------

async function vacuumStatement(session: Session, n: PgNode, sink: ResultSink): Promise<void> {
  const isVacuum = n.is_vacuumcmd === true;
  const options = ((n.options as PgNode[] | undefined) ?? []).map((o) => nodeBody(o).defname as string);
  const analyze = !isVacuum || options.includes('analyze');
  if (isVacuum && session.block?.explicit === true) {
    throw new SqlError(SQLSTATE.ACTIVE_SQL_TRANSACTION, 'VACUUM cannot run inside a transaction block');
  }
  const view = session.catalogView();
  const rels = ((n.rels as PgNode[] | undefined) ?? []).map((r) => {
    const rv = (nodeBody(r).relation ?? {}) as PgNode;
    const rel = view.resolveRelation((rv.schemaname as string | undefined) ?? null, rv.relname as string);
    if (rel.kind !== 'table') return null;
    return rel.table;
  }).filter((t) => t !== null);
  if (analyze) {
    const tables = rels.length > 0 ? rels : [...view.catalog.all('table')].filter((t) => t.kind === 'r');
    for (const t of tables) session.db.stats.set(t!.oid, session.db.stats.count(t!));
  }
  // VACUUM runs a collection pass over every key written since the last one and waits for it,
  // as PostgreSQL's VACUUM is synchronous.
  if (isVacuum) {
    await session.db.txns.runGc();
    session.db.annIndexes.purge(true);
  }
  sink.commandComplete(isVacuum ? 'VACUUM' : 'ANALYZE');
}

export type { BoundQuery };
void nameList;
