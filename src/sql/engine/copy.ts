// COPY FROM STDIN and COPY TO STDOUT in PostgreSQL's text and CSV formats: parsing and quoting
// rules (delimiter, NULL string, backslash escapes, CSV quotes, HEADER), rows written through the
// same RowWriter as INSERT, so constraints and indexes hold.
import { LIMITS, SqlError, SQLSTATE, notSupported } from '../../base/index.js';
import { nodeBody, nameList, strVal, type PgNode } from '../parse/index.js';
import { textIn, textOut, type Datum, type SqlType } from '../types/index.js';
import { QueryBinder, assign, parseExpr, Scope, type BoundExpr } from '../analyze/index.js';
import { compileExpr, RowWriter, checkInterrupts, runPlan, layoutOf, decodeStoredRow } from '../exec/index.js';
import { planQuery } from '../plan/index.js';
import type { ResultSink } from './session-api.js';
import type { Session } from './session.js';
import { splitCsv, splitText, type CopyOptions } from './copy-text.js';
import { CopyEncoder, type CopyEncodeSpec } from './copy-encode.js';
import { CopyPipeline, type CopyAnswer } from './copy-pipeline.js';


function parseOptions(options: PgNode[] | undefined): CopyOptions {
  let csv = false;
  let delimiter: string | undefined;
  let nullString: string | undefined;
  let header = false;
  let quote = '"';
  let escape: string | undefined;
  for (const o of options ?? []) {
    const d = nodeBody(o);
    const v = d.arg === undefined ? undefined : strVal(d.arg) || String(nodeBody(d.arg).boolval ?? nodeBody(d.arg).ival ?? '');
    switch (d.defname as string) {
      case 'format':
        if (v === 'csv') csv = true;
        else if (v === 'binary') throw notSupported('COPY in binary format');
        else if (v !== 'text') throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, `COPY format "${v}" not recognized`);
        break;
      case 'delimiter': delimiter = v; break;
      case 'null': nullString = v; break;
      case 'header': header = v === undefined || v === '' || ['true', 'on', '1', 't'].includes(String(v).toLowerCase()); break;
      case 'quote': quote = v ?? '"'; break;
      case 'escape': escape = v; break;
      case 'encoding': if (String(v).toUpperCase().replace('-', '') !== 'UTF8') throw notSupported(`COPY ENCODING ${v}`); break;
      case 'freeze': break;
      default: throw notSupported(`COPY option ${d.defname as string}`);
    }
  }
  if (delimiter !== undefined && delimiter.length !== 1) {
    throw new SqlError(SQLSTATE.FEATURE_NOT_SUPPORTED, 'COPY delimiter must be a single one-byte character');
  }
  return {
    csv, delimiter: delimiter ?? (csv ? ',' : '\t'), nullString: nullString ?? (csv ? '' : '\\N'), header, quote,
    escape: escape ?? quote,
  };
}

export async function executeCopy(session: Session, n: PgNode, sink: ResultSink): Promise<void> {
  if (n.is_program || n.filename !== undefined) {
    throw new SqlError(SQLSTATE.INSUFFICIENT_PRIVILEGE, 'COPY to or from a file or program is not supported; use COPY ... FROM STDIN / TO STDOUT (psql \\copy)');
  }
  if (n.whereClause !== undefined) throw notSupported('COPY ... WHERE');
  const opts = parseOptions(n.options);
  if (n.is_from) await copyFrom(session, n, opts, sink);
  else await copyTo(session, n, opts, sink);
}

async function copyFrom(session: Session, n: PgNode, opts: CopyOptions, sink: ResultSink): Promise<void> {
  const view = session.catalogView();
  const rv = n.relation as PgNode;
  const { table } = view.targetTable((rv.schemaname as string | undefined) ?? null, rv.relname as string);
  const attnames = nameList(n.attlist);
  const positions = attnames.length > 0
    ? attnames.map((a) => {
      const p = table.columns.findIndex((c) => !c.dropped && c.name === a);
      if (p < 0) throw new SqlError(SQLSTATE.UNDEFINED_COLUMN, `column "${a}" of relation "${table.name}" does not exist`);
      return p;
    })
    : table.columns.flatMap((c, i) => (c.dropped ? [] : [i]));
  const types: SqlType[] = positions.map((p) => table.columns[p]!.type);
  const txn = session.ensureTxn();
  const ctx = session.makeExecContext(txn, [], view);
  const writer = new RowWriter(ctx, view);
  const binder = new QueryBinder(view, []);
  const defaults: Array<((row: Datum[]) => Datum) | null> = table.columns.map((c, i) => {
    if (positions.includes(i) || c.dropped || c.defaultSql === null) return null;
    const e: BoundExpr = assign(binder.exprs.bind(parseExpr(c.defaultSql), { scope: new Scope(null), aggregates: null, clause: 'DEFAULT', allowSrf: false }), c, binder);
    const f = compileExpr(e);
    return () => f([], ctx);
  });
  const hasDefaults = defaults.some((d) => d !== null);
  const settings = { timeZone: session.settings.get('TimeZone') };
  let count = 0;
  let lineNo = 0;
  let pending = '';
  let skipHeader = opts.header;
  let ended = false;
  const newRow = (): Datum[] => {
    const row: Datum[] = new Array<Datum>(table.columns.length).fill(null);
    if (hasDefaults) {
      for (let i = 0; i < table.columns.length; i++) {
        const d = defaults[i];
        if (d !== null && d !== undefined) row[i] = d(row);
      }
    }
    return row;
  };
  /** Field i of the line (null: the NULL string) into its column. */
  const fieldIn = (row: Datum[], i: number, f: string | null): void => {
    if (f === null) { row[positions[i]!] = null; return; }
    try {
      row[positions[i]!] = textIn(types[i]!, f, settings);
    } catch (e) {
      if (e instanceof SqlError) {
        throw new SqlError(e.code, e.message, { ...e.fields, where: `COPY ${table.name}, line ${lineNo}, column ${table.columns[positions[i]!]!.name}: "${printout(f)}"` });
      }
      throw e;
    }
  };
  const fieldCountError = (found: number, line: string): SqlError => new SqlError(SQLSTATE.BAD_COPY_FILE_FORMAT,
    found < positions.length ? `missing data for column "${table.columns[positions[found]!]!.name}"` : 'extra data after last expected column',
    { where: `COPY ${table.name}, line ${lineNo}: "${printout(line)}"` });
  /** Inserts the row of the current line (lineOf gives its text, for error contexts). */
  const storeRow = (row: Datum[], lineOf: () => string): void | Promise<void> => {
    let r: Buffer | Promise<Buffer>;
    try {
      r = writer.insert(table, row);
    } catch (e) {
      throw rowContext(e, table.name, lineNo, lineOf());
    }
    count++;
    if ((count & 1023) === 0) checkInterrupts(ctx);
    if (!(r instanceof Promise)) return undefined;
    const at = lineNo;
    const line = lineOf();
    return r.then(() => undefined, (e: unknown) => { throw rowContext(e, table.name, at, line); });
  };
  const handleLine = (line: string): void | Promise<void> => {
    lineNo++;
    if (ended) return;
    if (line === '\\.') { ended = true; return; }
    if (skipHeader) { skipHeader = false; return; }
    const fields = opts.csv ? splitCsv(line, opts) : splitText(line, opts);
    if (fields.length !== positions.length) throw fieldCountError(fields.length, line);
    const row = newRow();
    for (let i = 0; i < positions.length; i++) fieldIn(row, i, fields[i]!);
    return storeRow(row, () => line);
  };
  // Text lines with no backslash (nothing to unescape, not the end marker) are read in place:
  // fields are cut straight out of pending, with no line string or field array.
  const fieldEnds = new Int32Array(positions.length + 1);
  const handleTextSpan = (s: number, t: number): void | Promise<void> => {
    lineNo++;
    const delimiter = opts.delimiter;
    let found = 0;
    for (let p = s; ;) {
      let e = pending.indexOf(delimiter, p);
      if (e === -1 || e > t) e = t;
      if (found === fieldEnds.length) break;
      fieldEnds[found++] = e;
      if (e === t) break;
      p = e + 1;
    }
    if (found !== positions.length) throw fieldCountError(found, pending.slice(s, t));
    const row = newRow();
    let p = s;
    for (let i = 0; i < found; i++) {
      const e = fieldEnds[i]!;
      const f = pending.slice(p, e);
      fieldIn(row, i, f === opts.nullString ? null : f);
      p = e + 1;
    }
    return storeRow(row, () => pending.slice(s, t));
  };
  // Lines end as the first one does (\n, \r\n or \r); another ending later is an error, as in PostgreSQL.
  let eol: 'unknown' | 'nl' | 'cr' | 'crlf' = 'unknown';
  const eolError = (found: 'cr' | 'nl'): SqlError => new SqlError(SQLSTATE.BAD_COPY_FILE_FORMAT,
    `${opts.csv ? 'unquoted' : 'literal'} ${found === 'cr' ? 'carriage return' : 'newline'} found in data`, {
      hint: opts.csv ? `Use quoted CSV field to represent ${found === 'cr' ? 'carriage return' : 'newline'}.`
        : `Use "\\${found === 'cr' ? 'r' : 'n'}" to represent ${found === 'cr' ? 'carriage return' : 'newline'}.`,
      where: `COPY ${table.name}, line ${lineNo + 1}`,
    });
  // Text format: the next \r and the next backslash in pending are looked up once, not per line
  // (-1: none; -2: look again).
  let crAt = -2;
  let bsAt = -2;
  // A backslash escapes a line end too: the \n or \r is then data (PostgreSQL's text format).
  const nextLineEnd = (from: number): number => {
    if (opts.csv) return nextCsvTerminator(pending, from, opts);
    for (let at = from; ;) {
      const nl = pending.indexOf('\n', at);
      if (crAt !== -1 && crAt < at) crAt = pending.indexOf('\r', at);
      const end = crAt === -1 || (nl !== -1 && nl < crAt) ? nl : crAt;
      if (end <= from || pending.charCodeAt(end - 1) !== 92) return end;
      let backslashes = 0;
      for (let i = end - 1; i >= from && pending.charCodeAt(i) === 92; i--) backslashes++;
      if (backslashes % 2 === 0) return end;
      at = end + 1;
    }
  };
  /** Hands every complete line of pending to handleLine; final: no more input follows. */
  const takeLines = async (final: boolean): Promise<void> => {
    let start = 0;
    let t: number;
    while (!ended && (t = nextLineEnd(start)) >= 0) {
      let next: number;
      if (pending.charCodeAt(t) === 13) {
        if (eol === 'unknown' || eol === 'crlf') {
          if (t + 1 >= pending.length && !final) break;
          if (pending.charCodeAt(t + 1) === 10) { eol = 'crlf'; next = t + 2; } else {
            if (eol === 'crlf') throw eolError('cr');
            eol = 'cr';
            next = t + 1;
          }
        } else if (eol === 'nl') throw eolError('cr');
        else next = t + 1;
      } else {
        if (eol === 'cr' || eol === 'crlf') throw eolError('nl');
        eol = 'nl';
        next = t + 1;
      }
      if (!opts.csv && !skipHeader && bsAt !== -1 && bsAt < start) bsAt = pending.indexOf('\\', start);
      const wait = !opts.csv && !skipHeader && (bsAt === -1 || bsAt >= t) ? handleTextSpan(start, t) : handleLine(pending.slice(start, t));
      start = next;
      if (wait !== undefined) await wait;
    }
    pending = ended ? '' : pending.slice(start);
    crAt = -2;
    bsAt = -2;
  };
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const decode = (chunk: Uint8Array): void => {
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw new SqlError(SQLSTATE.CHARACTER_NOT_IN_REPERTOIRE, 'invalid byte sequence for encoding "UTF8"');
    }
    pending += text;
    crAt = -2;
    bsAt = -2;
  };

  // Plain loads run on several cores: the bulk-load workers parse and encode, this thread stores.
  // From the first line a worker does not handle on, the statement reads the input itself.
  let pipe: CopyPipeline | undefined;
  const everyColumn = table.columns.every((c, i) => c.dropped || positions.includes(i));
  if (CopyEncoder.accepts(opts) && everyColumn && writer.encodedInsertAllowed(table)) {
    const layout = layoutOf(table);
    const spec: CopyEncodeSpec = {
      types: table.columns.map((c) => ({ oid: c.type.oid, typmod: c.type.typmod })),
      positions, notNull: table.columns.map((c) => !c.dropped && c.notNull),
      keyPositions: layout.keyPositions, keyTypes: layout.keyTypes.map((t) => ({ oid: t.oid, typmod: t.typmod })),
      prefix: layout.prefix, keyBytesMax: LIMITS.keyBytesMax, options: opts, timeZone: settings.timeZone,
    };
    pipe = CopyPipeline.open(spec);
  }
  const hasKey = layoutOf(table).keyPositions.length > 0;
  /** Stream offset up to which the workers' rows are stored. */
  let storedTo = 0;
  /** Stores the rows of one answer; returns the stream offset to read on from when a block stopped. */
  const storeEncoded = async (m: Extract<CopyAnswer, { type: 'rows' }>, p: CopyPipeline): Promise<number | undefined> => {
    const r = m.rows;
    if (r.skippedLines > 0) {
      lineNo += r.skippedLines;
      skipHeader = false;
    }
    const keys = Buffer.from(r.keys.buffer, r.keys.byteOffset, r.keys.byteLength);
    const values = Buffer.from(r.values.buffer, r.values.byteOffset, r.values.byteLength);
    let k = 0, v = 0;
    for (let i = 0; i < r.count; i++) {
      lineNo++;
      const key = hasKey ? keys.subarray(k, k = r.keyEnds[i]!) : undefined;
      const value = values.subarray(v, v = r.valueEnds[i]!);
      let w: void | Promise<void>;
      try {
        w = writer.insertEncoded(table, key, value);
      } catch (e) {
        throw rowContext(e, table.name, lineNo, p.lineText(m.offset, i + r.skippedLines));
      }
      count++;
      if ((count & 1023) === 0) checkInterrupts(ctx);
      if (w instanceof Promise) {
        const at = lineNo, row = i;
        await w.catch((e: unknown) => { throw rowContext(e, table.name, at, p.lineText(m.offset, row + r.skippedLines)); });
      }
    }
    storedTo = m.offset + r.consumed;
    p.release(storedTo);
    return r.stopped ? m.offset + r.consumed : undefined;
  };
  /** Handles the workers' answers (all of them, to the end of the job, when final); returns where to read on from, if a block stopped. */
  const drain = async (p: CopyPipeline, final: boolean): Promise<number | undefined> => {
    for (;;) {
      const m = await p.next(final);
      if (m === undefined) return undefined;
      if (m.type === 'rows') {
        const stop = await storeEncoded(m, p);
        if (stop !== undefined) return stop;
      } else if (m.type === 'end') {
        return m.offset;
      } else {
        // a worker failed: everything after the rows stored so far is read here
        console.error(`bulk-load worker: ${m.message}`);
        return storedTo;
      }
    }
  };
  /** The statement reads on from stream offset by itself. */
  const takeOver = (p: CopyPipeline, offset: number): void => {
    const rest = p.bytesFrom(offset);
    p.close();
    pipe = undefined;
    // the workers handled only lines ending in a bare newline
    if (lineNo > 0) eol = 'nl';
    decode(rest);
  };
  try {
    for await (const chunk of sink.copyIn(0, positions.map(() => 0))) {
      if (pipe !== undefined) {
        pipe.push(chunk);
        const stop = await drain(pipe, false);
        if (stop === undefined) continue;
        takeOver(pipe, stop);
      } else {
        decode(chunk);
      }
      await takeLines(false);
    }
    if (pipe !== undefined) {
      pipe.finish();
      const stop = await drain(pipe, true);
      takeOver(pipe, stop ?? 0);
      await takeLines(false);
    }
  } finally {
    pipe?.close();
  }
  await takeLines(true);
  if (pending.length > 0) {
    const wait = handleLine(pending);
    if (wait !== undefined) await wait;
  }
  session.addRowDelta(table.oid, count);
  sink.commandComplete(`COPY ${count}`);
}

/**
 * The CONTEXT PostgreSQL gives an error raised while a row is stored: NOT NULL and CHECK failures
 * come while the line is at hand (quoted), unique violations when its batch is flushed (line
 * number only); foreign keys are checked after the COPY (no COPY context).
 */
function rowContext(e: unknown, table: string, lineNo: number, line: string): unknown {
  if (!(e instanceof SqlError) || e.fields.where !== undefined || e.code === SQLSTATE.FOREIGN_KEY_VIOLATION) return e;
  const where = e.code === SQLSTATE.UNIQUE_VIOLATION ? `COPY ${table}, line ${lineNo}` : `COPY ${table}, line ${lineNo}: "${printout(line)}"`;
  return new SqlError(e.code, e.message, { ...e.fields, where });
}

/** PostgreSQL's limit_printout_length: data quoted in a CONTEXT is cut to 100 bytes plus "...". */
function printout(s: string): string {
  if (s.length <= 25) return s;
  const bytes = Buffer.from(s, 'utf8');
  if (bytes.length <= 100) return s;
  let n = 100;
  while (n > 0 && (bytes[n]! & 0xc0) === 0x80) n--;
  return bytes.subarray(0, n).toString('utf8') + '...';
}

/** CSV: index of the next \n or \r at or after from outside quotes; -1 when there is none yet. */
function nextCsvTerminator(s: string, from: number, opts: CopyOptions): number {
  let inQuote = false;
  for (let i = from; i < s.length; i++) {
    const ch = s[i];
    if (ch === opts.quote) {
      if (inQuote && opts.escape === opts.quote && s[i + 1] === opts.quote) { i++; continue; }
      inQuote = !inQuote;
    } else if (inQuote && ch === opts.escape && opts.escape !== opts.quote && s[i + 1] === opts.quote) {
      i++;
    } else if ((ch === '\n' || ch === '\r') && !inQuote) return i;
  }
  return -1;
}

async function copyTo(session: Session, n: PgNode, opts: CopyOptions, sink: ResultSink): Promise<void> {
  const view = session.catalogView();
  let columns: Array<{ type: SqlType }>;
  let rows: Iterable<Datum[]>;
  const txn = session.ensureTxn();
  if (txn.isolation === 'read committed') txn.refreshSnapshot();
  const ctx = session.makeExecContext(txn, [], view);
  if (n.query !== undefined) {
    const q = new QueryBinder(view, []).bindQuery(n.query, null);
    const planned = planQuery(q, view);
    columns = planned.columns;
    rows = runPlan(planned.root, ctx);
  } else {
    const rv = n.relation as PgNode;
    const rel = view.resolveRelation((rv.schemaname as string | undefined) ?? null, rv.relname as string);
    if (rel.kind !== 'table') throw new SqlError(SQLSTATE.WRONG_OBJECT_TYPE, `cannot copy from ${rel.kind === 'view' ? 'view' : 'relation'} "${rv.relname as string}"`, { hint: 'Try the COPY (SELECT ...) TO variant.' });
    const table = rel.table;
    const attnames = nameList(n.attlist);
    const positions = attnames.length > 0
      ? attnames.map((a) => {
        const p = table.columns.findIndex((c) => !c.dropped && c.name === a);
        if (p < 0) throw new SqlError(SQLSTATE.UNDEFINED_COLUMN, `column "${a}" of relation "${table.name}" does not exist`);
        return p;
      })
      : table.columns.flatMap((c, i) => (c.dropped ? [] : [i]));
    columns = positions.map((p) => ({ type: table.columns[p]!.type }));
    const layout = layoutOf(table);
    rows = (function* () {
      for (const [, value] of txn.scan(layout.prefix, layout.prefixEnd)) {
        const r = decodeStoredRow(layout, value);
        yield positions.map((p) => r[p] ?? null);
      }
    })();
    if (opts.header) void 0;
    if (opts.header) {
      sink.copyOutStart(0, positions.map(() => 0));
      sink.copyData(Buffer.from(positions.map((p) => table.columns[p]!.name).join(opts.delimiter) + '\n'));
      await sendRows(rows, columns, opts, session, sink);
      return;
    }
  }
  sink.copyOutStart(0, columns.map(() => 0));
  if (opts.header && n.query !== undefined) {
    const names = (columns as Array<{ name?: string }>).map((c) => c.name ?? '');
    sink.copyData(Buffer.from(names.join(opts.delimiter) + '\n'));
  }
  await sendRows(rows, columns, opts, session, sink);
}

async function sendRows(rows: Iterable<Datum[]>, columns: Array<{ type: SqlType }>, opts: CopyOptions, session: Session, sink: ResultSink): Promise<void> {
  const settings = { timeZone: session.settings.get('TimeZone') };
  let count = 0;
  let buf = '';
  for (const r of rows) {
    const fields = columns.map((c, i) => {
      const v = r[i] ?? null;
      if (v === null) return opts.nullString;
      const text = textOut(c.type, v, settings);
      return opts.csv ? quoteCsv(text, opts) : escapeText(text, opts.delimiter);
    });
    buf += fields.join(opts.delimiter) + '\n';
    count++;
    if (buf.length > 65536) { sink.copyData(Buffer.from(buf)); buf = ''; }
  }
  if (buf.length > 0) sink.copyData(Buffer.from(buf));
  sink.copyDone();
  sink.commandComplete(`COPY ${count}`);
}

function escapeText(s: string, delimiter: string): string {
  let out = '';
  for (const ch of s) {
    switch (ch) {
      case '\\': out += '\\\\'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\t': out += delimiter === '\t' ? '\\t' : '\t'; break;
      case '\b': out += '\\b'; break;
      case '\f': out += '\\f'; break;
      case '\v': out += '\\v'; break;
      default: out += ch === delimiter ? `\\${ch}` : ch;
    }
  }
  return out;
}

function quoteCsv(s: string, opts: CopyOptions): string {
  const needs = s === '' || s.includes(opts.delimiter) || s.includes(opts.quote) || s.includes('\n') || s.includes('\r') || s === opts.nullString || s === '\\.';
  if (!needs) return s;
  return opts.quote + s.split(opts.quote).join(opts.escape + opts.quote) + opts.quote;
}
