// pg_catalog and information_schema relations, computed from the catalog descriptors when a query
// reads them (PostgreSQL's column names and types; OIDs as PostgreSQL numbers built-ins). Rows are
// produced lazily per scan, so they always reflect the statement's view of the catalog.
import { OID, allTypeInfos, formatType, type Datum, type SqlType } from '../types/index.js';
import type { TableDesc } from '../../catalog/index.js';
import type { ResolvedRelation } from '../analyze/index.js';
import type { SessionCatalogView } from './catalog-view.js';
import { SERVER_VERSION } from './settings.js';
import { indexDefinition } from './catalog-functions.js';

type ColSpec = [string, number];
interface VirtualDef {
  oid: number;
  columns: ColSpec[];
  rows(view: SessionCatalogView): Iterable<Datum[]>;
}

const T = OID;
const name = T.name;
const oid = T.oid;

function t(oidValue: number): SqlType {
  return { oid: oidValue, typmod: -1 };
}

const PG_CATALOG: Record<string, VirtualDef> = {
  pg_namespace: {
    oid: 2615,
    columns: [['oid', oid], ['nspname', name], ['nspowner', oid], ['nspacl', T.text]],
    *rows(v) {
      for (const s of v.catalog.all('schema')) yield [s.oid, s.name, 10, null];
    },
  },
  pg_class: {
    oid: 1259,
    columns: [['oid', oid], ['relname', name], ['relnamespace', oid], ['reltype', oid], ['relowner', oid], ['relam', oid],
      ['relfilenode', oid], ['reltablespace', oid], ['relpages', T.int4], ['reltuples', T.float4], ['relallvisible', T.int4],
      ['reltoastrelid', oid], ['relhasindex', T.bool], ['relisshared', T.bool], ['relpersistence', T.char], ['relkind', T.char],
      ['relnatts', T.int2], ['relchecks', T.int2], ['relhasrules', T.bool], ['relhastriggers', T.bool], ['relhassubclass', T.bool],
      ['relrowsecurity', T.bool], ['relforcerowsecurity', T.bool], ['relispopulated', T.bool], ['relreplident', T.char],
      ['relispartition', T.bool], ['relacl', T.text], ['reloptions', T._text]],
    *rows(v) {
      const c = v.catalog;
      const base = (o: number, n: string, ns: number, kind: string, natts: number, am: number, hasIndex: boolean, checks: number, tuples: number): Datum[] =>
        [o, n, ns, 0, 10, am, o, 0, 0, tuples, 0, 0, hasIndex, false, 'p', kind, natts, checks, false, false, false, false, false, true, 'd', false, null, null];
      for (const tbl of c.all('table')) {
        const idx = c.indexesOf(tbl.oid);
        const checks = c.constraintsOf(tbl.oid).filter((k) => k.type === 'c').length;
        yield base(tbl.oid, tbl.name, tbl.schemaOid, tbl.kind, tbl.columns.length, tbl.kind === 'r' ? 2 : 0, idx.length > 0, checks, tbl.kind === 'r' ? -1 : 0);
      }
      for (const i of c.all('index')) yield base(i.oid, i.name, i.schemaOid, 'i', i.columns.length, 403, false, 0, 0);
      for (const s of c.all('sequence')) yield base(s.oid, s.name, s.schemaOid, 'S', 3, 0, false, 0, 1);
    },
  },
  pg_attribute: {
    oid: 1249,
    columns: [['attrelid', oid], ['attname', name], ['atttypid', oid], ['attstattarget', T.int4], ['attlen', T.int2], ['attnum', T.int2],
      ['attndims', T.int4], ['attcacheoff', T.int4], ['atttypmod', T.int4], ['attbyval', T.bool], ['attalign', T.char],
      ['attstorage', T.char], ['attcompression', T.char], ['attnotnull', T.bool], ['atthasdef', T.bool], ['atthasmissing', T.bool],
      ['attidentity', T.char], ['attgenerated', T.char], ['attisdropped', T.bool], ['attislocal', T.bool], ['attinhcount', T.int4],
      ['attcollation', oid], ['attacl', T.text], ['attoptions', T._text], ['attfdwoptions', T._text]],
    *rows(v) {
      for (const tbl of v.catalog.all('table')) {
        for (const col of tbl.columns) {
          yield [tbl.oid, col.name, col.dropped ? 0 : col.type.oid, -1, -1, col.attnum, 0, -1, col.type.typmod, false, 'i', 'p', '',
            col.notNull, col.defaultSql !== null, false, col.identity, '', col.dropped, true, 0, 0, null, null, null];
        }
      }
      for (const i of v.catalog.all('index')) {
        const tbl = v.catalog.get('table', i.tableOid);
        if (tbl === undefined) continue;
        let n = 1;
        for (const a of i.columns) {
          const col = tbl.columns.find((x) => x.attnum === a)!;
          yield [i.oid, col.name, col.type.oid, -1, -1, n++, 0, -1, col.type.typmod, false, 'i', 'p', '', false, false, false, '', '', false, true, 0, 0, null, null, null];
        }
      }
    },
  },
  pg_type: {
    oid: 1247,
    columns: [['oid', oid], ['typname', name], ['typnamespace', oid], ['typowner', oid], ['typlen', T.int2], ['typbyval', T.bool],
      ['typtype', T.char], ['typcategory', T.char], ['typispreferred', T.bool], ['typisdefined', T.bool], ['typdelim', T.char],
      ['typrelid', oid], ['typsubscript', T.text], ['typelem', oid], ['typarray', oid], ['typinput', T.text], ['typoutput', T.text],
      ['typreceive', T.text], ['typsend', T.text], ['typmodin', T.text], ['typmodout', T.text], ['typanalyze', T.text],
      ['typalign', T.char], ['typstorage', T.char], ['typnotnull', T.bool], ['typbasetype', oid], ['typtypmod', T.int4],
      ['typndims', T.int4], ['typcollation', oid], ['typdefaultbin', T.text], ['typdefault', T.text], ['typacl', T.text]],
    *rows() {
      for (const ti of allTypeInfos()) {
        const typtype = ti.category === 'P' ? 'p' : 'b';
        yield [ti.oid, ti.name, 11, 10, ti.len, ti.byval, typtype, ti.category, ti.preferred, true, ti.typdelim, 0,
          ti.elemOid !== 0 && ti.category === 'A' ? 'array_subscript_handler' : '-', ti.elemOid, ti.arrayOid,
          `${ti.name}in`, `${ti.name}out`, `${ti.name}recv`, `${ti.name}send`, '-', '-', '-', ti.len === 8 ? 'd' : 'i',
          ti.len === -1 ? 'x' : 'p', false, 0, -1, 0, ([T.text, T.varchar, T.bpchar, T.name] as number[]).includes(ti.oid) ? 100 : 0, null, null, null];
      }
    },
  },
  pg_index: {
    oid: 2610,
    columns: [['indexrelid', oid], ['indrelid', oid], ['indnatts', T.int2], ['indnkeyatts', T.int2], ['indisunique', T.bool],
      ['indnullsnotdistinct', T.bool], ['indisprimary', T.bool], ['indisexclusion', T.bool], ['indimmediate', T.bool],
      ['indisclustered', T.bool], ['indisvalid', T.bool], ['indcheckxmin', T.bool], ['indisready', T.bool], ['indislive', T.bool],
      ['indisreplident', T.bool], ['indkey', T.int2vector], ['indcollation', T.oidvector], ['indclass', T.oidvector],
      ['indoption', T.int2vector], ['indexprs', T.text], ['indpred', T.text]],
    *rows(v) {
      for (const i of v.catalog.all('index')) {
        yield [i.oid, i.tableOid, i.columns.length, i.columns.length, i.unique, false, i.primary, false, true, false, true, false, true, true, false,
          i.columns.join(' '), i.columns.map(() => '0').join(' '), i.columns.map(() => '0').join(' '),
          i.columns.map((_a, k) => String((i.descending[k] ? 1 : 0) | (i.nullsFirst[k] ? 2 : 0))).join(' '), null, null];
      }
    },
  },
  pg_constraint: {
    oid: 2606,
    columns: [['oid', oid], ['conname', name], ['connamespace', oid], ['contype', T.char], ['condeferrable', T.bool],
      ['condeferred', T.bool], ['convalidated', T.bool], ['conrelid', oid], ['contypid', oid], ['conindid', oid],
      ['conparentid', oid], ['confrelid', oid], ['confupdtype', T.char], ['confdeltype', T.char], ['confmatchtype', T.char],
      ['conislocal', T.bool], ['coninhcount', T.int4], ['connoinherit', T.bool], ['conkey', T._int2], ['confkey', T._int2],
      ['conbin', T.text]],
    *rows(v) {
      const { makeArray } = arrays;
      for (const k of v.catalog.all('constraint')) {
        yield [k.oid, k.name, k.schemaOid, k.type, false, false, true, k.tableOid, 0, k.indexOid ?? 0, 0, k.refTableOid ?? 0,
          k.type === 'f' ? k.onUpdate : ' ', k.type === 'f' ? k.onDelete : ' ', k.type === 'f' ? 's' : ' ', true, 0, false,
          k.columns.length > 0 ? makeArray(T.int2, k.columns) : null, k.refColumns.length > 0 ? makeArray(T.int2, k.refColumns) : null,
          k.checkSql];
      }
    },
  },
  pg_attrdef: {
    oid: 2604,
    columns: [['oid', oid], ['adrelid', oid], ['adnum', T.int2], ['adbin', T.text]],
    *rows(v) {
      for (const tbl of v.catalog.all('table')) {
        for (const col of tbl.columns) if (col.defaultSql !== null && !col.dropped) yield [tbl.oid * 100 + col.attnum, tbl.oid, col.attnum, col.defaultSql];
      }
    },
  },
  pg_description: {
    oid: 2609,
    columns: [['objoid', oid], ['classoid', oid], ['objsubid', T.int4], ['description', T.text]],
    *rows(v) {
      for (const tbl of v.catalog.all('table')) {
        if (tbl.comment !== null) yield [tbl.oid, 1259, 0, tbl.comment];
        for (const col of tbl.columns) {
          const cm = (col as { comment?: string | null }).comment;
          if (cm !== undefined && cm !== null) yield [tbl.oid, 1259, col.attnum, cm];
        }
      }
    },
  },
  pg_roles: {
    oid: 0,
    columns: [['rolname', name], ['rolsuper', T.bool], ['rolinherit', T.bool], ['rolcreaterole', T.bool], ['rolcreatedb', T.bool],
      ['rolcanlogin', T.bool], ['rolreplication', T.bool], ['rolconnlimit', T.int4], ['rolpassword', T.text],
      ['rolvaliduntil', T.timestamptz], ['rolbypassrls', T.bool], ['rolconfig', T._text], ['oid', oid]],
    *rows(v) {
      for (const r of v.session.currentSharedCatalog().all('role')) {
        yield [r.name, r.superuser, r.inherit, r.createRole, r.createDb, r.canLogin, r.replication, r.connectionLimit, '********',
          r.validUntil === null ? null : BigInt(r.validUntil - 946_684_800) * 1_000_000n, r.bypassRls, null, r.oid];
      }
    },
  },
  pg_user: {
    oid: 0,
    columns: [['usename', name], ['usesysid', oid], ['usecreatedb', T.bool], ['usesuper', T.bool], ['userepl', T.bool],
      ['usebypassrls', T.bool], ['passwd', T.text], ['valuntil', T.timestamptz], ['useconfig', T._text]],
    *rows(v) {
      for (const r of v.session.currentSharedCatalog().all('role')) {
        if (r.canLogin) yield [r.name, r.oid, r.createDb, r.superuser, r.replication, r.bypassRls, '********', null, null];
      }
    },
  },
  pg_auth_members: {
    oid: 1261,
    columns: [['roleid', oid], ['member', oid], ['grantor', oid], ['admin_option', T.bool]],
    *rows() { /* role membership is not supported */ },
  },
  pg_database: {
    oid: 1262,
    columns: [['oid', oid], ['datname', name], ['datdba', oid], ['encoding', T.int4], ['datlocprovider', T.char],
      ['datistemplate', T.bool], ['datallowconn', T.bool], ['datconnlimit', T.int4], ['datfrozenxid', T.text],
      ['datminmxid', T.text], ['dattablespace', oid], ['datcollate', T.text], ['datctype', T.text], ['daticulocale', T.text],
      ['datcollversion', T.text], ['datacl', T.text]],
    *rows(v) {
      for (const d of v.session.currentSharedCatalog().all('database')) {
        yield [d.oid, d.name, 10, 6, 'c', d.name === 'template1', true, -1, '716', '1', 1663, 'C', 'C', null, null, null];
      }
    },
  },
  pg_settings: {
    oid: 0,
    columns: [['name', T.text], ['setting', T.text], ['unit', T.text], ['category', T.text], ['short_desc', T.text],
      ['extra_desc', T.text], ['context', T.text], ['vartype', T.text], ['source', T.text], ['min_val', T.text],
      ['max_val', T.text], ['enumvals', T._text], ['boot_val', T.text], ['reset_val', T.text], ['sourcefile', T.text],
      ['sourceline', T.int4], ['pending_restart', T.bool]],
    *rows(v) {
      for (const s of v.session.settings.allValues()) {
        yield [s.name, s.value, s.def?.unit ?? null, s.def?.category ?? 'Ungrouped', s.def?.description ?? '', null,
          s.def?.readOnly === true ? 'internal' : 'user', 'string', 'default', null, null, null, s.def?.default ?? '', s.def?.default ?? '', null, null, false];
      }
    },
  },
  pg_am: {
    oid: 2601,
    columns: [['oid', oid], ['amname', name], ['amhandler', T.text], ['amtype', T.char]],
    *rows() {
      yield [2, 'heap', 'heap_tableam_handler', 't'];
      yield [403, 'btree', 'bthandler', 'i'];
      yield [405, 'hash', 'hashhandler', 'i'];
    },
  },
  pg_extension: {
    oid: 3079,
    columns: [['oid', oid], ['extname', name], ['extowner', oid], ['extnamespace', oid], ['extrelocatable', T.bool],
      ['extversion', T.text], ['extconfig', T._oid], ['extcondition', T._text]],
    *rows() { yield [13_500, 'plpgsql', 10, 11, false, '1.0', null, null]; },
  },
  pg_proc: {
    oid: 1255,
    columns: [['oid', oid], ['proname', name], ['pronamespace', oid], ['proowner', oid], ['prolang', oid], ['prokind', T.char],
      ['proretset', T.bool], ['provolatile', T.char], ['pronargs', T.int2], ['prorettype', oid], ['proargtypes', T.oidvector]],
    *rows() { /* built-in functions are listed by the function library; not exposed yet */ },
  },
  pg_inherits: { oid: 2611, columns: [['inhrelid', oid], ['inhparent', oid], ['inhseqno', T.int4], ['inhdetachpending', T.bool]], *rows() { /* none */ } },
  pg_trigger: { oid: 2620, columns: [['oid', oid], ['tgrelid', oid], ['tgname', name], ['tgenabled', T.char], ['tgisinternal', T.bool]], *rows() { /* none */ } },
  pg_policy: { oid: 3256, columns: [['oid', oid], ['polname', name], ['polrelid', oid]], *rows() { /* none */ } },
  pg_statistic_ext: { oid: 3381, columns: [['oid', oid], ['stxrelid', oid], ['stxname', name]], *rows() { /* none */ } },
  pg_publication: { oid: 6104, columns: [['oid', oid], ['pubname', name]], *rows() { /* none */ } },
  pg_collation: {
    oid: 3456,
    columns: [['oid', oid], ['collname', name], ['collnamespace', oid], ['collprovider', T.char]],
    *rows() { yield [100, 'default', 11, 'd']; yield [950, 'C', 11, 'c']; yield [951, 'POSIX', 11, 'c']; },
  },
  pg_tables: {
    oid: 0,
    columns: [['schemaname', name], ['tablename', name], ['tableowner', name], ['tablespace', name], ['hasindexes', T.bool],
      ['hasrules', T.bool], ['hastriggers', T.bool], ['rowsecurity', T.bool]],
    *rows(v) {
      for (const tbl of v.catalog.all('table')) {
        if (tbl.kind !== 'r') continue;
        yield [schemaName(v, tbl), tbl.name, tbl.owner, null, v.catalog.indexesOf(tbl.oid).length > 0, false, false, false];
      }
    },
  },
  pg_views: {
    oid: 0,
    columns: [['schemaname', name], ['viewname', name], ['viewowner', name], ['definition', T.text]],
    *rows(v) {
      for (const tbl of v.catalog.all('table')) if (tbl.kind === 'v') yield [schemaName(v, tbl), tbl.name, tbl.owner, ` ${tbl.viewSql};`];
    },
  },
  pg_indexes: {
    oid: 0,
    columns: [['schemaname', name], ['tablename', name], ['indexname', name], ['tablespace', name], ['indexdef', T.text]],
    *rows(v) {
      for (const i of v.catalog.all('index')) {
        const tbl = v.catalog.get('table', i.tableOid);
        if (tbl === undefined) continue;
        yield [schemaName(v, tbl), tbl.name, i.name, null, indexDefinition(v, i)];
      }
    },
  },
  pg_sequences: {
    oid: 0,
    columns: [['schemaname', name], ['sequencename', name], ['sequenceowner', name], ['data_type', T.regtype], ['start_value', T.int8],
      ['min_value', T.int8], ['max_value', T.int8], ['increment_by', T.int8], ['cycle', T.bool], ['cache_size', T.int8], ['last_value', T.int8]],
    *rows(v) {
      for (const s of v.catalog.all('sequence')) {
        const last = v.db.sequences.lastValue(s);
        yield [v.catalog.get('schema', s.schemaOid)?.name ?? '', s.name, s.owner, s.typeOid, BigInt(s.start), BigInt(s.min), BigInt(s.max),
          BigInt(s.increment), s.cycle, BigInt(s.cache), last.isCalled ? last.last : null];
      }
    },
  },
  pg_stat_activity: {
    oid: 0,
    columns: [['datid', oid], ['datname', name], ['pid', T.int4], ['usename', name], ['application_name', T.text], ['state', T.text], ['query', T.text]],
    *rows(v) {
      for (const s of v.db.sessions.values()) {
        yield [s.dbDesc.oid, s.dbDesc.name, s.processId, s.user, s.settings.get('application_name'), s.block === null ? 'idle' : 'active', ''];
      }
    },
  },
};

const INFORMATION_SCHEMA: Record<string, VirtualDef> = {
  schemata: {
    oid: 0,
    columns: [['catalog_name', name], ['schema_name', name], ['schema_owner', name], ['default_character_set_catalog', name],
      ['default_character_set_schema', name], ['default_character_set_name', name], ['sql_path', T.text]],
    *rows(v) {
      for (const s of v.catalog.all('schema')) yield [v.session.dbDesc.name, s.name, s.owner, null, null, null, null];
    },
  },
  tables: {
    oid: 0,
    columns: [['table_catalog', name], ['table_schema', name], ['table_name', name], ['table_type', T.varchar],
      ['self_referencing_column_name', name], ['reference_generation', T.varchar], ['user_defined_type_catalog', name],
      ['user_defined_type_schema', name], ['user_defined_type_name', name], ['is_insertable_into', T.varchar],
      ['is_typed', T.varchar], ['commit_action', T.varchar]],
    *rows(v) {
      for (const tbl of v.catalog.all('table')) {
        yield [v.session.dbDesc.name, schemaName(v, tbl), tbl.name, tbl.kind === 'v' ? 'VIEW' : 'BASE TABLE', null, null, null, null, null,
          tbl.kind === 'v' ? 'NO' : 'YES', 'NO', null];
      }
    },
  },
  columns: {
    oid: 0,
    columns: [['table_catalog', name], ['table_schema', name], ['table_name', name], ['column_name', name],
      ['ordinal_position', T.int4], ['column_default', T.varchar], ['is_nullable', T.varchar], ['data_type', T.varchar],
      ['character_maximum_length', T.int4], ['character_octet_length', T.int4], ['numeric_precision', T.int4],
      ['numeric_precision_radix', T.int4], ['numeric_scale', T.int4], ['datetime_precision', T.int4], ['udt_catalog', name],
      ['udt_schema', name], ['udt_name', name], ['is_identity', T.varchar], ['identity_generation', T.varchar], ['is_generated', T.varchar],
      ['is_updatable', T.varchar]],
    *rows(v) {
      for (const tbl of v.catalog.all('table')) {
        let ordinal = 0;
        for (const col of tbl.columns) {
          if (col.dropped) continue;
          ordinal++;
          const info = columnTypeInfo(col.type);
          yield [v.session.dbDesc.name, schemaName(v, tbl), tbl.name, col.name, ordinal, col.identity !== '' ? null : col.defaultSql,
            col.notNull ? 'NO' : 'YES', info.dataType, info.charMax, info.charMax === null ? null : info.charMax * 4, info.precision,
            info.precision === null ? null : info.radix, info.scale, info.datetimePrecision, v.session.dbDesc.name, 'pg_catalog',
            info.udtName, col.identity !== '' ? 'YES' : 'NO', col.identity === 'a' ? 'ALWAYS' : col.identity === 'd' ? 'BY DEFAULT' : null,
            'NEVER', tbl.kind === 'r' ? 'YES' : 'NO'];
        }
      }
    },
  },
};

const arrays = { makeArray: (elemOid: number, items: number[]): Datum => ({ kind: 'array', elemOid, dims: [items.length], lbounds: [1], items }) };

function schemaName(v: SessionCatalogView, tbl: TableDesc): string {
  return v.catalog.get('schema', tbl.schemaOid)?.name ?? '';
}

function columnTypeInfo(type: SqlType): {
  dataType: string; charMax: number | null; precision: number | null; radix: number | null; scale: number | null;
  datetimePrecision: number | null; udtName: string;
} {
  const full = formatType(type.oid, -1);
  const elem = type.oid;
  let charMax: number | null = null;
  let precision: number | null = null;
  let radix: number | null = null;
  let scale: number | null = null;
  let dt: number | null = null;
  if ((elem === T.varchar || elem === T.bpchar) && type.typmod >= 4) charMax = type.typmod - 4;
  if (elem === T.int2) { precision = 16; radix = 2; scale = 0; }
  if (elem === T.int4) { precision = 32; radix = 2; scale = 0; }
  if (elem === T.int8) { precision = 64; radix = 2; scale = 0; }
  if (elem === T.float4) { precision = 24; radix = 2; }
  if (elem === T.float8) { precision = 53; radix = 2; }
  if (elem === T.numeric) {
    radix = 10;
    if (type.typmod >= 4) { precision = ((type.typmod - 4) >> 16) & 0xffff; scale = (type.typmod - 4) & 0xffff; }
  }
  if (elem === T.date) dt = 0;
  if (([T.time, T.timestamp, T.timestamptz, T.interval] as number[]).includes(elem)) dt = type.typmod >= 0 ? type.typmod : 6;
  const dataType = full.endsWith('[]') ? 'ARRAY' : full;
  const udtName = formatUdt(type.oid);
  return { dataType, charMax, precision, radix, scale, datetimePrecision: dt, udtName };
}

function formatUdt(oidValue: number): string {
  const all = allTypeInfos();
  return all.find((x) => x.oid === oidValue)?.name ?? String(oidValue);
}

export function virtualRelation(schema: string, relname: string, view: SessionCatalogView): ResolvedRelation | undefined {
  const def = schema === 'pg_catalog' ? PG_CATALOG[relname] : INFORMATION_SCHEMA[relname];
  if (def === undefined) return undefined;
  return {
    kind: 'virtual', name: relname, schemaName: schema, oid: def.oid,
    columns: def.columns.map(([n, o]) => ({ name: n, type: t(o) })),
    rows: () => def.rows(view),
  };
}

export { SERVER_VERSION };
