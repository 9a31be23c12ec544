// CREATE INDEX ... USING hnsw / ivfflat: validates the key, operator class and WITH options as
// pgvector does (same messages), records the index in the catalog and builds it; and, at
// start-up, reopens every ANN index of every database from its checkpoint.
import { SqlError, SQLSTATE, notSupported } from '../../base/index.js';
import {
  defaultAnnOpclass, findAnnOpclass, type AnnOpclass, type Catalog, type IndexDesc, type TableDesc,
} from '../../catalog/index.js';
import { nodeBody, nameList, deparseRawExpr, type PgNode } from '../parse/index.js';
import { typeInfo, formatType } from '../types/index.js';
import { visitExpr, type BoundExpr } from '../analyze/index.js';
import { compileExpr, type AnnIndexes, type ExecContext, type IndexKeyFn } from '../exec/index.js';
import type { Session } from './session.js';
import type { ResultSink } from './session-api.js';
import type { SessionCatalogView } from './catalog-view.js';

/** pgvector's storage parameters: name → [min, max, default]. */
const OPTIONS: Record<'hnsw' | 'ivfflat', Record<string, [number, number, number]>> = {
  hnsw: { m: [2, 100, 16], ef_construction: [4, 1000, 64] },
  ivfflat: { lists: [1, 32768, 100] },
};

/** Most dimensions an ANN index accepts per type (pgvector: 2,000 vector / 4,000 halfvec; usearch has no such page limit). */
const MAX_DIMS: Record<string, number> = { vector: 16000, halfvec: 16000, bit: 64000, sparsevec: 1_000_000_000 };

function typeNameOf(oid: number): string {
  return typeInfo(oid)?.name ?? String(oid);
}

/** Validates WITH (...) options, returning them as text (as pg_class.reloptions keeps them). */
function parseOptions(method: 'hnsw' | 'ivfflat', defs: PgNode[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of defs ?? []) {
    const body = nodeBody(d);
    const name = body.defname as string;
    const spec = OPTIONS[method][name];
    if (spec === undefined) throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, `unrecognized parameter "${name}"`);
    const arg = body.arg === undefined ? undefined : nodeBody(body.arg as PgNode);
    const raw = arg === undefined ? '' : String(arg.ival ?? arg.sval ?? arg.fval ?? arg.str ?? '');
    if (!/^\s*-?\d+\s*$/.test(raw)) {
      throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, `invalid value for integer option "${name}": ${raw}`);
    }
    const v = Number(raw);
    if (v < spec[0] || v > spec[1]) {
      throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, `value ${v} out of bounds for option "${name}"`, {
        detail: `Valid values are between "${spec[0]}" and "${spec[1]}".`,
      });
    }
    out[name] = String(v);
  }
  if (method === 'hnsw') {
    const m = Number(out.m ?? 16);
    const ef = Number(out.ef_construction ?? 64);
    if (ef < 2 * m) throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, 'ef_construction must be greater than or equal to 2 * m');
  }
  return out;
}

/** Attribute numbers an expression reads. */
function columnsRead(expr: BoundExpr, table: TableDesc): number[] {
  const out = new Set<number>();
  visitExpr(expr, (e) => {
    if (e.kind === 'column' && e.levelsUp === 0) out.add(table.columns[e.index]!.attnum);
  });
  return [...out];
}

export interface AnnIndexArgs {
  session: Session;
  catalog: Catalog;
  view: SessionCatalogView;
  table: TableDesc;
  n: PgNode;
  name: string;
  oid: number;
}

/** CREATE INDEX ... USING hnsw|ivfflat: returns the catalog descriptor after building the index. */
export async function createAnnIndex(args: AnnIndexArgs): Promise<IndexDesc> {
  const { session, catalog, view, table, n } = args;
  const method = n.accessMethod as 'hnsw' | 'ivfflat';
  if (n.unique === true) throw notSupported(`access method "${method}" does not support unique indexes`);
  const params = n.indexParams as PgNode[];
  if (params.length !== 1) throw notSupported(`access method "${method}" does not support multicolumn indexes`);
  const p = nodeBody(params[0]!);
  if (p.ordering !== undefined && p.ordering !== 'SORTBY_DEFAULT') throw notSupported(`access method "${method}" does not support ASC/DESC options`);
  if (p.nulls_ordering !== undefined && p.nulls_ordering !== 'SORTBY_NULLS_DEFAULT') throw notSupported(`access method "${method}" does not support NULLS FIRST/LAST options`);
  if (p.collation !== undefined) throw notSupported('COLLATE in CREATE INDEX');
  const options = parseOptions(method, n.options as PgNode[] | undefined);
  let exprSql: string | null = null;
  let column = 0;
  if (p.name !== undefined) {
    const pos = table.columns.findIndex((c) => !c.dropped && c.name === p.name);
    if (pos < 0) throw new SqlError(SQLSTATE.UNDEFINED_COLUMN, `column "${p.name as string}" does not exist`);
    column = table.columns[pos]!.attnum;
  } else {
    exprSql = deparseRawExpr(p.expr as PgNode);
  }
  const provisional: IndexDesc = {
    oid: args.oid, name: args.name, tableOid: table.oid, schemaOid: table.schemaOid, columns: [column], descending: [false],
    nullsFirst: [false], unique: false, primary: false, method, constraintOid: null, exprs: [exprSql], opclasses: [null], options,
  };
  const key = view.bindAnnKey(table, provisional);
  const keyTypeName = typeNameOf(key.type.oid);
  let opclass: AnnOpclass | undefined;
  if (p.opclass !== undefined) {
    const names = nameList(p.opclass);
    const name = names[names.length - 1]!;
    opclass = findAnnOpclass(method, name);
    if (opclass === undefined) throw new SqlError(SQLSTATE.UNDEFINED_OBJECT, `operator class "${name}" does not exist for access method "${method}"`);
    if (opclass.typeName !== keyTypeName) {
      throw new SqlError(SQLSTATE.DATATYPE_MISMATCH, `operator class "${name}" does not accept data type ${formatType(key.type.oid)}`);
    }
  } else {
    opclass = defaultAnnOpclass(method, keyTypeName);
    if (opclass === undefined) {
      throw new SqlError(SQLSTATE.UNDEFINED_OBJECT, `data type ${formatType(key.type.oid)} has no default operator class for access method "${method}"`, {
        hint: 'You must specify an operator class for the index or define a default operator class for the data type.',
      });
    }
  }
  const dims = key.type.typmod;
  if (dims < 1) throw new SqlError(SQLSTATE.INTERNAL_ERROR, 'column does not have dimensions');
  if (dims > MAX_DIMS[opclass.typeName]!) {
    throw new SqlError(SQLSTATE.PROGRAM_LIMIT_EXCEEDED, `column cannot have more than ${MAX_DIMS[opclass.typeName]} dimensions for ${method} index`);
  }
  const index: IndexDesc = { ...provisional, opclasses: [opclass.name], exprDeps: exprSql === null ? undefined : columnsRead(key, table) };
  catalog.put('index', index);
  await session.db.annIndexes.build({
    dbOid: catalog.dbOid, table, desc: index, opclass, dimensions: dims,
    keyOf: keyFunction(key), creator: session.ensureTxn(), pid: session.processId,
  });
  return index;
}

/** A function from a physical row to the indexed value. */
export function keyFunction(key: BoundExpr): IndexKeyFn {
  if (key.kind === 'column' && key.levelsUp === 0) {
    const pos = key.index;
    return (row) => row[pos] ?? null;
  }
  const evaluate = compileExpr(key);
  return (row) => evaluate(row, KEY_CONTEXT);
}

/** Index expressions are immutable: they read only their row, never the transaction or session. */
const KEY_CONTEXT = {
  txn: undefined, params: [], outer: [], probeRow: null, subqueryCache: new Map(), canceled: false, deadline: Infinity,
  sleepRequestMs: 0, ticks: 0, stats: undefined,
  evalContext: {
    transactionTimestamp: 0n, statementTimestamp: 0n,
    setting: (name: string) => (name === 'extra_float_digits' ? '1' : name === 'DateStyle' ? 'ISO, MDY' : name === 'IntervalStyle' ? 'postgres' : name === 'TimeZone' ? 'UTC' : ''),
    services: undefined,
  },
} as unknown as ExecContext;

/** Opens every ANN index of every database (start-up): from checkpoints, else by rebuilding. */
export async function openAnnIndexes(
  annIndexes: AnnIndexes, catalogs: Iterable<Catalog>, viewFor: (catalog: Catalog) => SessionCatalogView,
): Promise<void> {
  for (const catalog of catalogs) {
    const view = viewFor(catalog);
    for (const table of catalog.all('table')) {
      for (const desc of catalog.indexesOf(table.oid)) {
        if (desc.method !== 'hnsw' && desc.method !== 'ivfflat') continue;
        const opclass = findAnnOpclass(desc.method, desc.opclasses?.[0] ?? '');
        if (opclass === undefined) continue;
        const key = view.bindAnnKey(table, desc);
        await annIndexes.open({
          dbOid: catalog.dbOid, table, desc, opclass, dimensions: Math.max(key.type.typmod, 0), keyOf: keyFunction(key),
        });
      }
    }
  }
}

/** pg_get_indexdef's text for an ANN index: `USING hnsw (embedding vector_l2_ops) WITH (m='16')`. */
export function annIndexDefinition(index: IndexDesc, keyText: string): string {
  const opts = Object.entries(index.options ?? {});
  const withText = opts.length === 0 ? '' : ` WITH (${opts.map(([k, v]) => `${k}='${v}'`).join(', ')})`;
  return `USING ${index.method} (${keyText} ${index.opclasses?.[0] ?? ''})${withText}`;
}

/** Types the vector extension provides (their columns depend on it). */
const VECTOR_TYPE_NAMES = new Set(['vector', 'halfvec', 'sparsevec', '_vector', '_halfvec', '_sparsevec']);

/** CREATE EXTENSION vector: records the extension (its types and operators are always built in). */
export async function createVectorExtension(session: Session, n: PgNode, sink: ResultSink): Promise<void> {
  const catalog = await session.beginDdl();
  const existing = [...catalog.all('extension')].find((e) => e.name === 'vector');
  if (existing !== undefined) {
    if (n.if_not_exists === true) {
      sink.notice({ severity: 'NOTICE', code: '42710', message: 'extension "vector" already exists, skipping' });
      return;
    }
    throw new SqlError(SQLSTATE.DUPLICATE_OBJECT, 'extension "vector" already exists');
  }
  let schemaName: string | null = null;
  for (const o of (n.options as PgNode[] | undefined) ?? []) {
    const b = nodeBody(o);
    if (b.defname === 'schema') schemaName = String(nodeBody(b.arg as PgNode).sval ?? '');
  }
  const view = session.catalogView();
  const schema = schemaName !== null ? catalog.schema(schemaName) : view.searchPathSchemas().find((s) => s.name !== 'pg_catalog');
  if (schema === undefined) {
    throw new SqlError(SQLSTATE.INVALID_SCHEMA_NAME, schemaName !== null ? `schema "${schemaName}" does not exist` : 'no schema has been selected to create in');
  }
  catalog.put('extension', { oid: catalog.allocateOid(), name: 'vector', schemaOid: schema.oid, version: VECTOR_EXTENSION_VERSION, owner: session.user });
}

/** DROP EXTENSION [IF EXISTS] vector. */
export async function dropVectorExtension(session: Session, n: PgNode, sink: ResultSink): Promise<void> {
  const catalog = await session.beginDdl();
  for (const obj of n.objects as PgNode[]) {
    const name = String(nodeBody(obj).sval ?? '');
    const ext = [...catalog.all('extension')].find((e) => e.name === name);
    if (ext === undefined) {
      if (n.missing_ok === true) { sink.notice({ severity: 'NOTICE', code: '00000', message: `extension "${name}" does not exist, skipping` }); continue; }
      throw new SqlError(SQLSTATE.UNDEFINED_OBJECT, `extension "${name}" does not exist`);
    }
    const dependents: string[] = [];
    for (const t of catalog.all('table')) {
      for (const c of t.columns) {
        if (!c.dropped && VECTOR_TYPE_NAMES.has(typeNameOf(c.type.oid))) dependents.push(`column ${c.name} of table ${t.name} depends on type ${typeNameOf(c.type.oid).replace(/^_/, '')}`);
      }
    }
    if (dependents.length > 0) {
      if (n.behavior === 'DROP_CASCADE') throw notSupported('DROP EXTENSION vector CASCADE while columns use its types');
      throw new SqlError(SQLSTATE.DEPENDENT_OBJECTS_STILL_EXIST, `cannot drop extension ${name} because other objects depend on it`, {
        detail: dependents.join('\n'), hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
      });
    }
    catalog.remove('extension', ext.oid);
  }
}

/** The pgvector release whose SQL surface QuiverDB implements. */
export const VECTOR_EXTENSION_VERSION = '0.8.1';
