// A tiny stand-in for the SQL engine, for wire protocol tests: it understands a handful of
// fixed statements (SELECT n, SELECT series n, SELECT $1::type, COPY, BEGIN/COMMIT, a sleep
// that waits for cancel, errors of each kind) and records every call the wire makes.
import { SqlError, SQLSTATE } from '../../src/base/index.js';
import type {
  Engine, EngineSession, FieldDescription, ResultSink, RoleAuth, SessionStartup,
  StatementDescription, TransactionStatus, WireValue,
} from '../../src/sql/engine/index.js';

const INT4 = 23;
const TEXT = 25;

function field(name: string, typeOid: number, format: 0 | 1 = 0): FieldDescription {
  return {
    name, tableOid: 0, columnAttr: 0, typeOid, typeSize: typeOid === INT4 ? 4 : -1, typmod: -1,
    format,
  };
}

function encode(v: string | number | null, typeOid: number, format: 0 | 1): WireValue {
  if (v === null) return null;
  if (format === 0) return String(v);
  if (typeOid === INT4) {
    const b = Buffer.alloc(4);
    b.writeInt32BE(Number(v));
    return b;
  }
  return Buffer.from(String(v), 'utf8');
}

/** What a statement does, decided from its text. */
interface Plan {
  paramTypes: number[];
  columns: Array<{ name: string; type: number }> | null;
  run(params: readonly (string | null)[], session: FakeSession, sink: ResultSink):
    Promise<Array<Array<string | number | null>> | string>;
}

function syntaxError(sql: string, word: string): SqlError {
  const pos = sql.toLowerCase().indexOf(word) + 1;
  return new SqlError(SQLSTATE.SYNTAX_ERROR, `syntax error at or near "${word}"`, {
    position: pos > 0 ? pos : undefined,
  });
}

function planOf(sqlText: string, declared: readonly number[] = []): Plan {
  const sql = sqlText.trim().replace(/;$/, '').trim();
  let m: RegExpExecArray | null;
  if ((m = /^select (-?\d+)$/i.exec(sql)) !== null) {
    const n = Number(m[1]);
    return {
      paramTypes: [], columns: [{ name: '?column?', type: INT4 }],
      run: async () => [[n]],
    };
  }
  if ((m = /^select series (\d+)$/i.exec(sql)) !== null) {
    const n = Number(m[1]);
    return {
      paramTypes: [], columns: [{ name: 'n', type: INT4 }],
      run: async () => Array.from({ length: n }, (_, i) => [i + 1]),
    };
  }
  if ((m = /^select \$1::(text|int4) as (\w+)$/i.exec(sql)) !== null) {
    const type = m[1]?.toLowerCase() === 'int4' ? INT4 : TEXT;
    const name = m[2] ?? 'v';
    return {
      paramTypes: [declared[0] || type], columns: [{ name, type }],
      run: async (params) => [[params[0] ?? null]],
    };
  }
  if (/^select 'x'$/i.test(sql)) {
    return {
      paramTypes: [], columns: [{ name: '?column?', type: TEXT }], run: async () => [['x']],
    };
  }
  if (/^select null$/i.test(sql)) {
    return {
      paramTypes: [], columns: [{ name: '?column?', type: TEXT }], run: async () => [[null]],
    };
  }
  if (/^select notice$/i.test(sql)) {
    return {
      paramTypes: [], columns: [{ name: 'n', type: INT4 }],
      run: async (_p, _s, sink) => {
        sink.notice({ severity: 'NOTICE', code: '00000', message: 'hello from the engine' });
        return [[1]];
      },
    };
  }
  if (/^select sleep$/i.test(sql)) {
    return {
      paramTypes: [], columns: [{ name: 'n', type: INT4 }],
      run: async (_p, session) => {
        await session.waitForCancel();
        throw new SqlError(SQLSTATE.QUERY_CANCELED, 'canceling statement due to user request');
      },
    };
  }
  if (/^begin$/i.test(sql)) {
    return {
      paramTypes: [], columns: null, run: async (_p, s) => { s.status = 'T'; return 'BEGIN'; },
    };
  }
  if (/^commit$/i.test(sql)) {
    return {
      paramTypes: [], columns: null, run: async (_p, s) => { s.status = 'I'; return 'COMMIT'; },
    };
  }
  if (/^set application_name = '(\w*)'$/i.test(sql)) {
    const value = /'(\w*)'/.exec(sql)?.[1] ?? '';
    return {
      paramTypes: [], columns: null,
      run: async (_p, _s, sink) => {
        sink.parameterStatus('application_name', value);
        return 'SET';
      },
    };
  }
  if (/^copy t from stdin$/i.test(sql)) {
    return {
      paramTypes: [], columns: null,
      run: async (_p, s, sink) => {
        const chunks: Buffer[] = [];
        for await (const chunk of sink.copyIn(0, [0])) chunks.push(Buffer.from(chunk));
        const text = Buffer.concat(chunks).toString('utf8');
        s.engine.copiedIn.push(text);
        const rows = text.split('\n').filter((l) => l !== '' && l !== '\\.').length;
        return `COPY ${rows}`;
      },
    };
  }
  if (/^copy t to stdout$/i.test(sql)) {
    return {
      paramTypes: [], columns: null,
      run: async (_p, _s, sink) => {
        sink.copyOutStart(0, [0, 0]);
        sink.copyData(Buffer.from('1\tone\n'));
        sink.copyData(Buffer.from('2\ttwo\n'));
        sink.copyDone();
        return 'COPY 2';
      },
    };
  }
  if (/^select internal$/i.test(sql)) {
    return { paramTypes: [], columns: null, run: async () => { throw new Error('boom'); } };
  }
  if (/^select fatal$/i.test(sql)) {
    return {
      paramTypes: [], columns: null,
      run: async () => {
        throw new SqlError(SQLSTATE.ADMIN_SHUTDOWN, 'terminating connection',
          { severity: 'FATAL' });
      },
    };
  }
  if (/^select detailed$/i.test(sql)) {
    return {
      paramTypes: [], columns: null,
      run: async () => {
        throw new SqlError(SQLSTATE.UNIQUE_VIOLATION,
          'duplicate key value violates unique constraint "t_pkey"', {
            detail: 'Key (id)=(1) already exists.', hint: 'a hint', schema: 'public', table: 't',
            constraint: 't_pkey',
          });
      },
    };
  }
  const word = sql.split(/\s+/)[1] ?? sql.split(/\s+/)[0] ?? '';
  throw syntaxError(sql, word);
}

interface Portal {
  plan: Plan;
  params: (string | null)[];
  formats: (0 | 1)[];
  rows: Array<Array<string | number | null>> | undefined;
  offset: number;
}

export class FakeSession implements EngineSession {
  readonly processId: number;
  readonly secretKey: number;
  status: TransactionStatus = 'I';
  closed = false;
  readonly calls: string[] = [];
  private readonly statements = new Map<string, { sql: string; plan: Plan }>();
  private readonly portals = new Map<string, Portal>();
  private cancelWaiter: (() => void) | undefined;
  private cancelPending = false;

  constructor(readonly engine: FakeEngine, readonly startup: SessionStartup, pid: number) {
    this.processId = pid;
    this.secretKey = (pid * 7919) | 0;
  }

  initialParameterStatus(): Array<[string, string]> {
    return [
      ['server_version', '15.0'], ['server_encoding', 'UTF8'], ['client_encoding', 'UTF8'],
      ['DateStyle', 'ISO, MDY'], ['integer_datetimes', 'on'], ['standard_conforming_strings', 'on'],
      ['TimeZone', 'UTC'], ['application_name', this.startup.params['application_name'] ?? ''],
    ];
  }

  transactionStatus(): TransactionStatus { return this.status; }

  waitForCancel(): Promise<void> {
    this.engine.sleeping.push(this);
    if (this.cancelPending) { this.cancelPending = false; return Promise.resolve(); }
    return new Promise((r) => { this.cancelWaiter = r; });
  }

  async simpleQuery(sql: string, sink: ResultSink): Promise<void> {
    this.calls.push(`query:${sql}`);
    const parts = sql.split(';').map((s) => s.trim()).filter((s) => s !== '');
    if (parts.length === 0) { sink.emptyQuery(); return; }
    for (const part of parts) {
      const plan = planOf(part);
      const out = await plan.run([], this, sink);
      if (typeof out === 'string') { sink.commandComplete(out); continue; }
      const cols = plan.columns ?? [];
      sink.rowDescription(cols.map((c) => field(c.name, c.type)));
      for (const row of out) sink.dataRow(row.map((v, i) => encode(v, cols[i]?.type ?? TEXT, 0)));
      sink.commandComplete(`SELECT ${out.length}`);
    }
  }

  parse(name: string, sql: string, paramTypeOids: readonly number[]): void {
    this.calls.push(`parse:${name}:${sql}`);
    if (name !== '' && this.statements.has(name)) {
      throw new SqlError(SQLSTATE.DUPLICATE_PREPARED_STATEMENT,
        `prepared statement "${name}" already exists`);
    }
    this.statements.set(name, { sql, plan: planOf(sql, paramTypeOids) });
  }

  bind(portal: string, statement: string, paramFormats: readonly number[],
    params: readonly (Uint8Array | null)[], resultFormats: readonly number[]): void {
    this.calls.push(`bind:${portal}:${statement}:${params.length}:${resultFormats.join(',')}`);
    const st = this.statements.get(statement);
    if (st === undefined) {
      throw new SqlError(SQLSTATE.INVALID_SQL_STATEMENT_NAME,
        `prepared statement "${statement}" does not exist`);
    }
    const ncols = st.plan.columns?.length ?? 0;
    const formats: (0 | 1)[] = [];
    for (let i = 0; i < ncols; i++) {
      const f = resultFormats.length === 1 ? resultFormats[0] : resultFormats[i];
      formats.push(f === 1 ? 1 : 0);
    }
    const values = params.map((p, i) => {
      if (p === null) return null;
      const fmt = paramFormats.length === 1 ? paramFormats[0] : paramFormats[i];
      if (fmt === 1) return String(Buffer.from(p).readInt32BE(0));
      return Buffer.from(p).toString('utf8');
    });
    this.portals.set(portal,
      { plan: st.plan, params: values, formats, rows: undefined, offset: 0 });
  }

  describeStatement(name: string): StatementDescription {
    this.calls.push(`describeStatement:${name}`);
    const st = this.statements.get(name);
    if (st === undefined) {
      throw new SqlError(SQLSTATE.INVALID_SQL_STATEMENT_NAME,
        `prepared statement "${name}" does not exist`);
    }
    return {
      paramTypeOids: st.plan.paramTypes,
      fields: st.plan.columns?.map((c) => field(c.name, c.type)) ?? null,
    };
  }

  describePortal(name: string): FieldDescription[] | null {
    this.calls.push(`describePortal:${name}`);
    const p = this.portals.get(name);
    if (p === undefined) {
      throw new SqlError(SQLSTATE.INVALID_CURSOR_NAME, `portal "${name}" does not exist`);
    }
    return p.plan.columns?.map((c, i) => field(c.name, c.type, p.formats[i] ?? 0)) ?? null;
  }

  async execute(portal: string, maxRows: number, sink: ResultSink): Promise<void> {
    this.calls.push(`execute:${portal}:${maxRows}`);
    const p = this.portals.get(portal);
    if (p === undefined) {
      throw new SqlError(SQLSTATE.INVALID_CURSOR_NAME, `portal "${portal}" does not exist`);
    }
    if (p.rows === undefined) {
      const out = await p.plan.run(p.params, this, sink);
      if (typeof out === 'string') { sink.commandComplete(out); return; }
      p.rows = out;
    }
    const cols = p.plan.columns ?? [];
    const end = maxRows > 0 ? Math.min(p.rows.length, p.offset + maxRows) : p.rows.length;
    for (let r = p.offset; r < end; r++) {
      const row = p.rows[r] ?? [];
      sink.dataRow(row.map((v, i) => encode(v, cols[i]?.type ?? TEXT, p.formats[i] ?? 0)));
    }
    const sent = end - p.offset;
    p.offset = end;
    if (end < p.rows.length) { sink.portalSuspended(); return; }
    sink.commandComplete(`SELECT ${maxRows > 0 ? sent : p.rows.length}`);
  }

  closeStatement(name: string): void {
    this.calls.push(`closeStatement:${name}`);
    this.statements.delete(name);
  }

  closePortal(name: string): void {
    this.calls.push(`closePortal:${name}`);
    this.portals.delete(name);
  }

  async sync(): Promise<void> {
    this.calls.push('sync');
    this.portals.delete('');
  }

  abortOnError(): void { this.calls.push('abortOnError'); }

  cancel(): void {
    this.calls.push('cancel');
    const w = this.cancelWaiter;
    this.cancelWaiter = undefined;
    if (w) w(); else this.cancelPending = true;
  }

  async close(): Promise<void> {
    this.calls.push('close');
    this.closed = true;
  }
}

export class FakeEngine implements Engine {
  readonly roles = new Map<string, RoleAuth>();
  readonly sessions: FakeSession[] = [];
  readonly cancels: Array<[number, number]> = [];
  readonly copiedIn: string[] = [];
  readonly sleeping: FakeSession[] = [];
  closed = false;
  private nextPid = 1000;

  addRole(name: string, password: string | null, extra: Partial<RoleAuth> = {}): void {
    this.roles.set(name, { password, canLogin: true, validUntil: null, ...extra });
  }

  async openSession(startup: SessionStartup): Promise<EngineSession> {
    if (startup.database === 'nodb') {
      throw new SqlError(SQLSTATE.UNDEFINED_DATABASE, `database "nodb" does not exist`);
    }
    if (!this.roles.has(startup.user)) {
      throw new SqlError(SQLSTATE.INVALID_AUTHORIZATION_SPECIFICATION,
        `role "${startup.user}" does not exist`);
    }
    const s = new FakeSession(this, startup, this.nextPid++);
    this.sessions.push(s);
    return s;
  }

  roleAuth(user: string): RoleAuth | undefined { return this.roles.get(user); }

  cancel(processId: number, secretKey: number): void {
    this.cancels.push([processId, secretKey]);
    const s = this.sessions.find((x) => x.processId === processId && x.secretKey === secretKey);
    s?.cancel();
  }

  async close(): Promise<void> { this.closed = true; }
}
