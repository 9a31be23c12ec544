// System information functions that read the catalog (format_type, pg_get_indexdef,
// pg_get_constraintdef, pg_get_expr, pg_table_is_visible, pg_get_userbyid, obj_description,
// version, ...): the function library calls them through SessionServices.catalogFunction.
import { formatType, type Datum } from '../types/index.js';
import { quoteIdent } from '../parse/index.js';
import type { ConstraintDesc, IndexDesc } from '../../catalog/index.js';
import type { SessionCatalogView } from './catalog-view.js';
import { SERVER_VERSION } from './settings.js';

export function catalogFunction(name: string, args: readonly Datum[], view: SessionCatalogView): Datum | undefined {
  const c = view.catalog;
  switch (name) {
    case 'format_type': {
      const oid = args[0] as number | null;
      if (oid === null || oid === undefined) return null;
      const typmod = (args[1] as number | null | undefined) ?? -1;
      return formatType(oid, typmod ?? -1);
    }
    case 'pg_get_indexdef': {
      const i = c.get('index', args[0] as number);
      return i === undefined ? null : indexDefinition(view, i);
    }
    case 'pg_get_constraintdef': {
      const k = c.get('constraint', args[0] as number);
      return k === undefined ? null : constraintDefinition(view, k);
    }
    case 'pg_get_expr': return (args[0] as string | null) ?? null;
    case 'pg_table_is_visible': {
      const oid = args[0] as number;
      const rel = c.get('table', oid) ?? c.get('index', oid) ?? c.get('sequence', oid);
      if (rel === undefined) return null;
      const path = view.searchPathSchemas();
      const first = path.find((s) => c.tableIn(s.oid, rel.name) !== undefined || c.indexIn(s.oid, rel.name) !== undefined || c.sequenceIn(s.oid, rel.name) !== undefined);
      return first?.oid === rel.schemaOid;
    }
    case 'pg_type_is_visible': return true;
    case 'pg_get_userbyid': {
      const oid = args[0] as number;
      for (const r of view.session.currentSharedCatalog().all('role')) if (r.oid === oid) return r.name;
      return `unknown (OID=${oid})`;
    }
    case 'obj_description': {
      const t = c.get('table', args[0] as number);
      return t?.comment ?? null;
    }
    case 'col_description': {
      const t = c.get('table', args[0] as number);
      const col = t?.columns.find((x) => x.attnum === args[1]);
      return (col as { comment?: string | null } | undefined)?.comment ?? null;
    }
    case 'regclassout': return view.relationName(args[0] as number) ?? String(args[0]);
    case 'pg_encoding_to_char': return args[0] === 6 ? 'UTF8' : '';
    case 'version': return `PostgreSQL ${SERVER_VERSION} (QuiverDB) on x86_64-pc-linux-gnu, compiled by TypeScript, 64-bit`;
    case 'pg_get_viewdef': {
      const t = c.get('table', args[0] as number);
      return t?.viewSql === null || t === undefined ? null : ` ${t.viewSql};`;
    }
    case 'pg_backend_pid': return view.session.processId;
    case 'has_table_privilege': case 'has_schema_privilege': case 'has_database_privilege': case 'pg_has_role': return true;
    case 'pg_postmaster_start_time': return BigInt(view.db.startTime - 946_684_800_000) * 1000n;
    default: return undefined;
  }
}

export function indexDefinition(view: SessionCatalogView, i: IndexDesc): string {
  const t = view.catalog.get('table', i.tableOid)!;
  const schema = view.catalog.get('schema', t.schemaOid)?.name ?? 'public';
  const cols = i.columns.map((a, k) => {
    const col = t.columns.find((x) => x.attnum === a)!;
    let s = quoteIdent(col.name);
    if (i.descending[k]) s += ' DESC';
    if (i.nullsFirst[k] !== (i.descending[k] ?? false)) s += i.nullsFirst[k] ? ' NULLS FIRST' : ' NULLS LAST';
    return s;
  });
  return `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(i.name)} ON ${quoteIdent(schema)}.${quoteIdent(t.name)} USING ${i.method} (${cols.join(', ')})`;
}

export function constraintDefinition(view: SessionCatalogView, k: ConstraintDesc): string {
  const t = view.catalog.get('table', k.tableOid)!;
  const names = (tableOid: number, attnums: number[]): string => {
    const tbl = view.catalog.get('table', tableOid)!;
    return attnums.map((a) => quoteIdent(tbl.columns.find((x) => x.attnum === a)!.name)).join(', ');
  };
  switch (k.type) {
    case 'p': return `PRIMARY KEY (${names(t.oid, k.columns)})`;
    case 'u': return `UNIQUE (${names(t.oid, k.columns)})`;
    case 'c': return `CHECK ((${k.checkSql}))`;
    case 'f': {
      const ref = view.catalog.get('table', k.refTableOid!)!;
      const action = (a: string): string => ({ a: '', r: ' RESTRICT', c: ' CASCADE', n: ' SET NULL', d: ' SET DEFAULT' } as Record<string, string>)[a] ?? '';
      const del = k.onDelete === 'a' ? '' : ` ON DELETE${action(k.onDelete)}`;
      const upd = k.onUpdate === 'a' ? '' : ` ON UPDATE${action(k.onUpdate)}`;
      return `FOREIGN KEY (${names(t.oid, k.columns)}) REFERENCES ${quoteIdent(ref.name)}(${names(ref.oid, k.refColumns)})${upd}${del}`;
    }
    default: return '';
  }
}
