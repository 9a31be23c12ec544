// pg_catalog and information_schema relations, computed from the catalog descriptors when a query
// reads them (PostgreSQL's column names and types; OIDs as PostgreSQL numbers built-ins). Rows are
// produced lazily per scan, so they always reflect the statement's view of the catalog.
import { OID, allTypeInfos, formatType, typeInfo, typeInfoByName, typeProcs, type Datum, type SqlType } from '../types/index.js';
import type { ConstraintDesc, TableDesc } from '../../catalog/index.js';
import type { ResolvedRelation } from '../analyze/index.js';
import type { SessionCatalogView } from './catalog-view.js';
import { SERVER_VERSION } from './settings.js';
import { allFunctionNames, allOperatorNames, lookupFunction, lookupOperator } from '../functions/index.js';
import { ANN_OPCLASSES, findAnnOpclass } from '../../catalog/index.js';
import { columnDefault, constraintDefinition, indexDefinition, PG_DATABASE_OWNER, PLPGSQL_EXTENSION } from './catalog-functions.js';
import { quoteIdent } from '../parse/index.js';

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
    columns: [['oid', oid], ['nspname', name], ['nspowner', oid], ['nspacl', T._text]],
    *rows(v) {
      // PostgreSQL 15 creates public owned by pg_database_owner; QuiverDB records the bootstrap user.
      for (const s of v.catalog.all('schema')) {
        const builtinPublic = s.name === 'public' && s.owner === BOOTSTRAP_USER;
        yield [s.oid, s.name, builtinPublic ? PG_DATABASE_OWNER : roleOid(v, s.owner),
          builtinPublic ? textArray(['pg_database_owner=UC/pg_database_owner', '=U/pg_database_owner']) : null];
      }
    },
  },
  pg_class: {
    oid: 1259,
    columns: [['oid', oid], ['relname', name], ['relnamespace', oid], ['reltype', oid], ['reloftype', oid], ['relowner', oid],
      ['relam', oid], ['relfilenode', oid], ['reltablespace', oid], ['relpages', T.int4], ['reltuples', T.float4],
      ['relallvisible', T.int4], ['reltoastrelid', oid], ['relhasindex', T.bool], ['relisshared', T.bool], ['relpersistence', T.char],
      ['relkind', T.char], ['relnatts', T.int2], ['relchecks', T.int2], ['relhasrules', T.bool], ['relhastriggers', T.bool],
      ['relhassubclass', T.bool], ['relrowsecurity', T.bool], ['relforcerowsecurity', T.bool], ['relispopulated', T.bool],
      ['relreplident', T.char], ['relispartition', T.bool], ['relrewrite', oid], ['relfrozenxid', T.text], ['relminmxid', T.text],
      ['relacl', T._text], ['reloptions', T._text], ['relpartbound', T.text]],
    *rows(v) {
      const c = v.catalog;
      const base = (o: number, n: string, ns: number, owner: string, kind: string, natts: number, am: number, hasIndex: boolean,
        checks: number, tuples: number, temp: boolean, triggers = false): Datum[] =>
        [o, n, ns, 0, 0, roleOid(v, owner), am, kind === 'v' ? 0 : o, 0, 0, tuples, 0, 0, hasIndex, false, temp ? 't' : 'p', kind, natts,
          checks, kind === 'v', triggers, false, false, false, true, kind === 'r' ? 'd' : 'n', false, 0,
          kind === 'r' ? '0' : '0', kind === 'r' ? '0' : '0', null, null, null];
      const isTemp = (schemaOid: number): boolean => c.get('schema', schemaOid)?.name.startsWith('pg_temp') ?? false;
      // Foreign keys are enforced by internal triggers in PostgreSQL: both ends have relhastriggers.
      const fkEnds = new Set<number>();
      for (const k of c.all('constraint')) if (k.type === 'f') { fkEnds.add(k.tableOid); fkEnds.add(k.refTableOid ?? 0); }
      for (const tbl of c.all('table')) {
        const idx = c.indexesOf(tbl.oid);
        const checks = c.constraintsOf(tbl.oid).filter((k) => k.type === 'c').length;
        const natts = tbl.columns.reduce((m, col) => Math.max(m, col.attnum), 0);
        yield base(tbl.oid, tbl.name, tbl.schemaOid, tbl.owner, tbl.kind, natts, tbl.kind === 'r' ? 2 : 0, idx.length > 0, checks,
          tbl.kind === 'r' ? -1 : 0, isTemp(tbl.schemaOid), fkEnds.has(tbl.oid));
      }
      for (const i of c.all('index')) {
        const owner = c.get('table', i.tableOid)?.owner ?? BOOTSTRAP_USER;
        const am = i.method === 'hnsw' ? HNSW_AM_OID : i.method === 'ivfflat' ? IVFFLAT_AM_OID : 403;
        yield base(i.oid, i.name, i.schemaOid, owner, 'i', i.columns.length, am, false, 0, 0, isTemp(i.schemaOid));
      }
      for (const q of c.all('sequence')) yield base(q.oid, q.name, q.schemaOid, q.owner, 'S', 3, 0, false, 0, 1, isTemp(q.schemaOid));
    },
  },
  pg_attribute: {
    oid: 1249,
    columns: [['attrelid', oid], ['attname', name], ['atttypid', oid], ['attstattarget', T.int4], ['attlen', T.int2], ['attnum', T.int2],
      ['attndims', T.int4], ['attcacheoff', T.int4], ['atttypmod', T.int4], ['attbyval', T.bool], ['attalign', T.char],
      ['attstorage', T.char], ['attcompression', T.char], ['attnotnull', T.bool], ['atthasdef', T.bool], ['atthasmissing', T.bool],
      ['attidentity', T.char], ['attgenerated', T.char], ['attisdropped', T.bool], ['attislocal', T.bool], ['attinhcount', T.int4],
      ['attcollation', oid], ['attacl', T._text], ['attoptions', T._text], ['attfdwoptions', T._text], ['attmissingval', T.text]],
    *rows(v) {
      for (const tbl of v.catalog.all('table')) {
        for (const col of tbl.columns) {
          const ty = physical(col.type.oid);
          yield [tbl.oid, col.name, col.dropped ? 0 : col.type.oid, -1, ty.len, col.attnum, 0, -1, col.type.typmod, ty.byval, ty.align, ty.storage, '',
            col.notNull, col.defaultSql !== null, false, col.identity, '', col.dropped, true, 0, collationOf(col.type.oid), null, null, null, null];
        }
      }
      for (const i of v.catalog.all('index')) {
        const tbl = v.catalog.get('table', i.tableOid);
        if (tbl === undefined) continue;
        let n = 1;
        for (const a of i.columns) {
          // An expression key is named "expr" and typed by the expression, as PostgreSQL shows it.
          const col = a === 0 ? undefined : tbl.columns.find((x) => x.attnum === a);
          const key = col === undefined ? v.annKeyOf(tbl, i) : null;
          const type = col?.type ?? key?.type ?? { oid: 0, typmod: -1 };
          const ty = physical(type.oid);
          yield [i.oid, col?.name ?? 'expr', type.oid, -1, ty.len, n++, 0, -1, type.typmod, ty.byval, ty.align, ty.storage, '', false, false, false, '', '', false, true, 0,
            collationOf(type.oid), null, null, null, null];
        }
      }
    },
  },
  pg_type: {
    oid: 1247,
    columns: [['oid', oid], ['typname', name], ['typnamespace', oid], ['typowner', oid], ['typlen', T.int2], ['typbyval', T.bool],
      ['typtype', T.char], ['typcategory', T.char], ['typispreferred', T.bool], ['typisdefined', T.bool], ['typdelim', T.char],
      ['typrelid', oid], ['typsubscript', T.text], ['typelem', oid], ['typarray', oid], ['typinput', T.regproc], ['typoutput', T.regproc],
      ['typreceive', T.regproc], ['typsend', T.regproc], ['typmodin', T.regproc], ['typmodout', T.regproc], ['typanalyze', T.regproc],
      ['typalign', T.char], ['typstorage', T.char], ['typnotnull', T.bool], ['typbasetype', oid], ['typtypmod', T.int4],
      ['typndims', T.int4], ['typcollation', oid], ['typdefaultbin', T.text], ['typdefault', T.text], ['typacl', T.text]],
    *rows(v) {
      // pgvector's types live in the schema the extension was created in (public by default).
      // Before CREATE EXTENSION they are built in (pg_catalog), so \dT and friends list them only after it.
      const vectorNsp = [...v.catalog.all('extension')].find((e) => e.name === 'vector')?.schemaOid ?? 11;
      for (const ti of allTypeInfos()) {
        const typtype = ti.category === 'P' ? 'p' : 'b';
        yield [ti.oid, ti.name, ti.namespace === 'public' ? vectorNsp : 11, 10, ti.len, ti.byval, typtype, ti.category, ti.preferred, true, ti.typdelim, 0,
          ti.elemOid !== 0 && ti.category === 'A' ? 'array_subscript_handler' : '-', ti.elemOid, ti.arrayOid,
          ...typeProcs(ti.oid), physical(ti.oid).align,
          physical(ti.oid).storage, false, 0, -1, 0, collationOf(ti.oid), null, null, null];
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
          vector(T.int2, i.columns), vector(T.oid, i.columns.map((a) => (a === 0 ? 0 : collationOf(columnType(v, i.tableOid, a))))),
          vector(T.oid, i.columns.map((a, k) => {
            const opclass = i.opclasses?.[k];
            if (opclass !== undefined && opclass !== null) return findAnnOpclass(i.method, opclass)?.oid ?? 0;
            return defaultOpclass(columnType(v, i.tableOid, a));
          })),
          vector(T.int2, i.columns.map((_a, k) => (i.method !== 'btree' ? 0 : (i.descending[k] ? 1 : 0) | (i.nullsFirst[k] ? 2 : 0)))),
          (i.exprs ?? []).some((e) => e !== null) ? (i.exprs ?? []).filter((e) => e !== null).join(', ') : null, null];
      }
    },
  },
  pg_constraint: {
    oid: 2606,
    columns: [['oid', oid], ['conname', name], ['connamespace', oid], ['contype', T.char], ['condeferrable', T.bool],
      ['condeferred', T.bool], ['convalidated', T.bool], ['conrelid', oid], ['contypid', oid], ['conindid', oid],
      ['conparentid', oid], ['confrelid', oid], ['confupdtype', T.char], ['confdeltype', T.char], ['confmatchtype', T.char],
      ['conislocal', T.bool], ['coninhcount', T.int4], ['connoinherit', T.bool], ['conkey', T._int2], ['confkey', T._int2],
      ['conpfeqop', T._oid], ['conppeqop', T._oid], ['conffeqop', T._oid], ['confdelsetcols', T._int2], ['conexclop', T._oid],
      ['conbin', T.text]],
    *rows(v) {
      const { makeArray } = arrays;
      for (const k of v.catalog.all('constraint')) {
        yield [k.oid, k.name, k.schemaOid, k.type, false, false, true, k.tableOid, 0, k.indexOid ?? 0, 0, k.refTableOid ?? 0,
          k.type === 'f' ? k.onUpdate : ' ', k.type === 'f' ? k.onDelete : ' ', k.type === 'f' ? 's' : ' ', true, 0, false,
          k.columns.length > 0 ? makeArray(T.int2, k.columns) : null, k.refColumns.length > 0 ? makeArray(T.int2, k.refColumns) : null,
          null, null, null, null, null, k.checkSql];
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
      yield [PLPGSQL_EXTENSION, 3079, 0, 'PL/pgSQL procedural language'];
      yield [13563, 2612, 0, 'PL/pgSQL procedural language'];
      for (const e of v.catalog.all('extension')) yield [e.oid, 3079, 0, 'vector data type and ivfflat and hnsw access methods'];
      for (const s of v.catalog.all('schema')) if (s.name === 'public') yield [s.oid, 2615, 0, 'standard public schema'];
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
      ['datcollversion', T.text], ['datacl', T._text]],
    *rows(v) {
      for (const d of v.session.currentSharedCatalog().all('database')) {
        const acl = d.name.startsWith('template') ? textArray(['=c/' + BOOTSTRAP_USER, `${BOOTSTRAP_USER}=CTc/${BOOTSTRAP_USER}`]) : null;
        yield [d.oid, d.name, roleOid(v, d.owner), 6, 'c', d.name.startsWith('template'), true, -1, '716', '1', 1663, 'C', 'C', null, null, acl];
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
      yield [IVFFLAT_AM_OID, 'ivfflat', 'ivfflathandler', 'i'];
      yield [HNSW_AM_OID, 'hnsw', 'hnswhandler', 'i'];
    },
  },
  pg_opclass: {
    oid: 2616,
    columns: [['oid', oid], ['opcmethod', oid], ['opcname', name], ['opcnamespace', oid], ['opcowner', oid], ['opcfamily', oid],
      ['opcintype', oid], ['opcdefault', T.bool], ['opckeytype', oid]],
    *rows(v) {
      const ext = [...v.catalog.all('extension')].find((e) => e.name === 'vector');
      const nsp = ext?.schemaOid ?? 2200;
      for (const o of ANN_OPCLASSES) {
        yield [o.oid, o.method === 'hnsw' ? HNSW_AM_OID : IVFFLAT_AM_OID, o.name, nsp, 10, o.oid, typeInfoByName(o.typeName)?.oid ?? 0, o.isDefault, 0];
      }
    },
  },
  pg_stat_progress_create_index: {
    oid: 0,
    columns: [['pid', T.int4], ['datid', oid], ['datname', name], ['relid', oid], ['index_relid', oid], ['command', T.text], ['phase', T.text],
      ['lockers_total', T.int8], ['lockers_done', T.int8], ['current_locker_pid', T.int8], ['blocks_total', T.int8], ['blocks_done', T.int8],
      ['tuples_total', T.int8], ['tuples_done', T.int8], ['partitions_total', T.int8], ['partitions_done', T.int8]],
    *rows(v) {
      for (const p of v.db.annIndexes.progress.values()) {
        const dbName = [...v.db.shared.catalog.all('database')].find((d) => d.oid === p.datid)?.name ?? null;
        yield [p.pid, p.datid, dbName, p.relid, p.indexRelid, 'CREATE INDEX', p.phase, 0n, 0n, 0n, 0n, 0n,
          BigInt(p.tuplesTotal), BigInt(p.tuplesDone), 0n, 0n];
      }
    },
  },
  /** QuiverDB's own view of its ANN indexes: size, live labels, how each was opened at start-up. */
  quiver_ann_indexes: {
    oid: 0,
    columns: [['indexrelid', oid], ['indexname', name], ['method', T.text], ['opclass', T.text], ['vectors', T.int8], ['labels', T.int8],
      ['opened_from', T.text], ['replayed_versions', T.int8], ['runs_in', T.text]],
    *rows(v) {
      for (const h of v.db.annIndexes.all()) {
        if (h.dbOid !== v.catalog.dbOid || v.catalog.get('index', h.desc.oid) === undefined) continue;
        yield [h.desc.oid, h.desc.name, h.desc.method, h.opclass.name, BigInt(h.structure.size()), BigInt(h.labels.size), h.openedFrom, BigInt(h.replayed),
          h.structure.searchAsync !== undefined ? 'worker thread' : h.structure.mirrored === true ? 'main thread + worker mirror' : 'main thread'];
      }
    },
  },
  pg_extension: {
    oid: 3079,
    columns: [['oid', oid], ['extname', name], ['extowner', oid], ['extnamespace', oid], ['extrelocatable', T.bool],
      ['extversion', T.text], ['extconfig', T._oid], ['extcondition', T._text]],
    *rows(v) {
      yield [PLPGSQL_EXTENSION, 'plpgsql', 10, 11, false, '1.0', null, null];
      for (const e of v.catalog.all('extension')) yield [e.oid, e.name, 10, e.schemaOid, true, e.version, null, null];
    },
  },
  pg_proc: {
    oid: 1255,
    columns: [['oid', oid], ['proname', name], ['pronamespace', oid], ['proowner', oid], ['prolang', oid], ['procost', T.float4],
      ['prorows', T.float4], ['provariadic', oid], ['prosupport', T.text], ['prokind', T.char], ['prosecdef', T.bool],
      ['proleakproof', T.bool], ['proisstrict', T.bool], ['proretset', T.bool], ['provolatile', T.char], ['proparallel', T.char],
      ['pronargs', T.int2], ['pronargdefaults', T.int2], ['prorettype', oid], ['proargtypes', T.oidvector], ['proallargtypes', T._oid],
      ['proargmodes', T._char], ['proargnames', T._text], ['proargdefaults', T.text], ['protrftypes', T._oid], ['prosrc', T.text],
      ['probin', T.text], ['prosqlbody', T.text], ['proconfig', T._text], ['proacl', T._text]],
    *rows() {
      // The built-ins the function library implements, under PostgreSQL's OIDs (those without one are left out).
      for (const fname of allFunctionNames()) {
        for (const f of lookupFunction(fname)) {
          if (f.oid === 0) continue;
          const set = f.kind !== 'aggregate' && f.returnsSet === true;
          yield [f.oid, f.name, 11, 10, 12, 1, set ? 1000 : 0, f.variadic ?? 0, '-', f.kind === 'aggregate' ? 'a' : 'f', false, false,
            f.strict, set, f.volatility, 's', f.argTypes.length, 0, f.returnType, vector(T.oid, [...f.argTypes]), null, null, null, null,
            null, f.kind === 'aggregate' ? 'aggregate_dummy' : f.name, null, null, null, null];
        }
      }
    },
  },
  pg_operator: {
    oid: 2617,
    columns: [['oid', oid], ['oprname', name], ['oprnamespace', oid], ['oprowner', oid], ['oprkind', T.char], ['oprcanmerge', T.bool],
      ['oprcanhash', T.bool], ['oprleft', oid], ['oprright', oid], ['oprresult', oid], ['oprcom', oid], ['oprnegate', oid],
      ['oprcode', T.regproc], ['oprrest', T.regproc], ['oprjoin', T.regproc]],
    *rows() {
      for (const symbol of allOperatorNames()) {
        for (const o of lookupOperator(symbol)) {
          if (o.oid === 0) continue;
          const prefix = o.argTypes.length === 1;
          yield [o.oid, o.name, 11, 10, prefix ? 'l' : 'b', false, false, prefix ? 0 : o.argTypes[0]!, o.argTypes[prefix ? 0 : 1]!,
            o.returnType, 0, 0, 0, 0, 0];
        }
      }
    },
  },
  pg_collation: {
    oid: 3456,
    columns: [['oid', oid], ['collname', name], ['collnamespace', oid], ['collowner', oid], ['collprovider', T.char],
      ['collisdeterministic', T.bool], ['collencoding', T.int4], ['collcollate', T.text], ['collctype', T.text], ['colliculocale', T.text],
      ['collversion', T.text]],
    *rows() {
      yield [100, 'default', 11, 10, 'd', true, -1, null, null, null, null];
      yield [950, 'C', 11, 10, 'c', true, -1, 'C', 'C', null, null];
      yield [951, 'POSIX', 11, 10, 'c', true, -1, 'POSIX', 'POSIX', null, null];
    },
  },
  pg_sequence: {
    oid: 2224,
    columns: [['seqrelid', oid], ['seqtypid', oid], ['seqstart', T.int8], ['seqincrement', T.int8], ['seqmax', T.int8], ['seqmin', T.int8],
      ['seqcache', T.int8], ['seqcycle', T.bool]],
    *rows(v) {
      for (const q of v.catalog.all('sequence')) {
        yield [q.oid, q.typeOid, BigInt(q.start), BigInt(q.increment), BigInt(q.max), BigInt(q.min), BigInt(q.cache), q.cycle];
      }
    },
  },
  pg_tablespace: {
    oid: 1213,
    columns: [['oid', oid], ['spcname', name], ['spcowner', oid], ['spcacl', T._text], ['spcoptions', T._text]],
    *rows() { yield [1663, 'pg_default', 10, null, null]; yield [1664, 'pg_global', 10, null, null]; },
  },
  pg_language: {
    oid: 2612,
    columns: [['oid', oid], ['lanname', name], ['lanowner', oid], ['lanispl', T.bool], ['lanpltrusted', T.bool], ['lanplcallfoid', oid],
      ['laninline', oid], ['lanvalidator', oid], ['lanacl', T._text]],
    *rows() {
      yield [12, 'internal', 10, false, false, 0, 0, 2246, null];
      yield [13, 'c', 10, false, false, 0, 0, 2247, null];
      yield [14, 'sql', 10, false, true, 0, 0, 2248, null];
      yield [13563, 'plpgsql', 10, true, true, 13560, 13561, 13562, null];
    },
  },
  pg_depend: {
    oid: 2608,
    columns: [['classid', oid], ['objid', oid], ['objsubid', T.int4], ['refclassid', oid], ['refobjid', oid], ['refobjsubid', T.int4], ['deptype', T.char]],
    *rows(v) {
      // Only what clients look for: sequences owned by a column (serial), and index -> constraint.
      for (const q of v.catalog.all('sequence')) if (q.ownedBy !== null) yield [1259, q.oid, 0, 1259, q.ownedBy.tableOid, q.ownedBy.attnum, 'a'];
      for (const i of v.catalog.all('index')) if (i.constraintOid !== null) yield [1259, i.oid, 0, 2606, i.constraintOid, 0, 'i'];
    },
  },
  // Features QuiverDB does not have (inheritance, partitioning, triggers, row security, extended
  // statistics, publication, rules, foreign data, enums, ranges, text search, encoding conversions,
  // default privileges): PostgreSQL's columns, no rows. pg_opfamily/pg_amop/pg_amproc are empty too
  // (a simplification: the btree operator families exist implicitly).
  ...emptyRelations({
    pg_inherits: [2611, [['inhrelid', oid], ['inhparent', oid], ['inhseqno', T.int4], ['inhdetachpending', T.bool]]],
    pg_trigger: [2620, [['oid', oid], ['tgrelid', oid], ['tgparentid', oid], ['tgname', name], ['tgfoid', oid], ['tgtype', T.int2],
      ['tgenabled', T.char], ['tgisinternal', T.bool], ['tgconstrrelid', oid], ['tgconstrindid', oid], ['tgconstraint', oid],
      ['tgdeferrable', T.bool], ['tginitdeferred', T.bool], ['tgnargs', T.int2], ['tgattr', T.int2vector], ['tgargs', T.bytea],
      ['tgqual', T.text], ['tgoldtable', name], ['tgnewtable', name]]],
    pg_policy: [3256, [['oid', oid], ['polname', name], ['polrelid', oid], ['polcmd', T.char], ['polpermissive', T.bool],
      ['polroles', T._oid], ['polqual', T.text], ['polwithcheck', T.text]]],
    pg_statistic_ext: [3381, [['oid', oid], ['stxrelid', oid], ['stxname', name], ['stxnamespace', oid], ['stxowner', oid],
      ['stxstattarget', T.int4], ['stxkeys', T.int2vector], ['stxkind', T._char], ['stxexprs', T.text]]],
    pg_publication: [6104, [['oid', oid], ['pubname', name], ['pubowner', oid], ['puballtables', T.bool], ['pubinsert', T.bool],
      ['pubupdate', T.bool], ['pubdelete', T.bool], ['pubtruncate', T.bool], ['pubviaroot', T.bool]]],
    pg_publication_namespace: [6237, [['oid', oid], ['pnpubid', oid], ['pnnspid', oid]]],
    pg_publication_rel: [6106, [['oid', oid], ['prpubid', oid], ['prrelid', oid], ['prqual', T.text], ['prattrs', T.int2vector]]],
    pg_rewrite: [2618, [['oid', oid], ['rulename', name], ['ev_class', oid], ['ev_type', T.char], ['ev_enabled', T.char],
      ['is_instead', T.bool], ['ev_qual', T.text], ['ev_action', T.text]]],
    pg_foreign_table: [3118, [['ftrelid', oid], ['ftserver', oid], ['ftoptions', T._text]]],
    pg_partitioned_table: [3350, [['partrelid', oid], ['partstrat', T.char], ['partnatts', T.int2], ['partdefid', oid],
      ['partattrs', T.int2vector], ['partclass', T.oidvector], ['partcollation', T.oidvector], ['partexprs', T.text]]],
    pg_enum: [3501, [['oid', oid], ['enumtypid', oid], ['enumsortorder', T.float4], ['enumlabel', name]]],
    pg_range: [3541, [['rngtypid', oid], ['rngsubtype', oid], ['rngmultitypid', oid], ['rngcollation', oid], ['rngsubopc', oid],
      ['rngcanonical', T.text], ['rngsubdiff', T.text]]],
    pg_shdescription: [2396, [['objoid', oid], ['classoid', oid], ['description', T.text]]],
    pg_event_trigger: [3466, [['oid', oid], ['evtname', name], ['evtevent', name], ['evtowner', oid], ['evtfoid', oid],
      ['evtenabled', T.char], ['evttags', T._text]]],
    pg_opfamily: [2753, [['oid', oid], ['opfmethod', oid], ['opfname', name], ['opfnamespace', oid], ['opfowner', oid]]],
    pg_amop: [2602, [['oid', oid], ['amopfamily', oid], ['amoplefttype', oid], ['amoprighttype', oid], ['amopstrategy', T.int2],
      ['amoppurpose', T.char], ['amopopr', oid], ['amopmethod', oid], ['amopsortfamily', oid]]],
    pg_amproc: [2603, [['oid', oid], ['amprocfamily', oid], ['amproclefttype', oid], ['amprocrighttype', oid], ['amprocnum', T.int2],
      ['amproc', T.text]]],
    pg_conversion: [2607, [['oid', oid], ['conname', name], ['connamespace', oid], ['conowner', oid], ['conforencoding', T.int4],
      ['contoencoding', T.int4], ['conproc', T.text], ['condefault', T.bool]]],
    pg_foreign_data_wrapper: [2328, [['oid', oid], ['fdwname', name], ['fdwowner', oid], ['fdwhandler', oid], ['fdwvalidator', oid],
      ['fdwacl', T._text], ['fdwoptions', T._text]]],
    pg_foreign_server: [1417, [['oid', oid], ['srvname', name], ['srvowner', oid], ['srvfdw', oid], ['srvtype', T.text],
      ['srvversion', T.text], ['srvacl', T._text], ['srvoptions', T._text]]],
    pg_user_mapping: [1418, [['oid', oid], ['umuser', oid], ['umserver', oid], ['umoptions', T._text]]],
    pg_default_acl: [826, [['oid', oid], ['defaclrole', oid], ['defaclnamespace', oid], ['defaclobjtype', T.char], ['defaclacl', T._text]]],
    pg_init_privs: [3394, [['objoid', oid], ['classoid', oid], ['objsubid', T.int4], ['privtype', T.char], ['initprivs', T._text]]],
    pg_ts_config: [3602, [['oid', oid], ['cfgname', name], ['cfgnamespace', oid], ['cfgowner', oid], ['cfgparser', oid]]],
    pg_ts_dict: [3600, [['oid', oid], ['dictname', name], ['dictnamespace', oid], ['dictowner', oid], ['dicttemplate', oid],
      ['dictinitoption', T.text]]],
    pg_ts_parser: [3601, [['oid', oid], ['prsname', name], ['prsnamespace', oid], ['prsstart', T.text], ['prstoken', T.text],
      ['prsend', T.text], ['prsheadline', T.text], ['prslextype', T.text]]],
    pg_ts_template: [3764, [['oid', oid], ['tmplname', name], ['tmplnamespace', oid], ['tmplinit', T.text], ['tmpllexize', T.text]]],
    pg_subscription: [6100, [['oid', oid], ['subdbid', oid], ['subskiplsn', T.text], ['subname', name], ['subowner', oid],
      ['subenabled', T.bool], ['subbinary', T.bool], ['substream', T.bool], ['subtwophasestate', T.char], ['subdisableonerr', T.bool],
      ['subconninfo', T.text], ['subslotname', name], ['subsynccommit', T.text], ['subpublications', T._text]]],
    pg_user_mappings: [0, [['umid', oid], ['srvid', oid], ['srvname', name], ['umuser', oid], ['usename', name], ['umoptions', T._text]]],
    pg_matviews: [0, [['schemaname', name], ['matviewname', name], ['matviewowner', name], ['tablespace', name], ['hasindexes', T.bool],
      ['ispopulated', T.bool], ['definition', T.text]]],
  }),
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
          yield [v.session.dbDesc.name, schemaName(v, tbl), tbl.name, col.name, ordinal, col.identity !== '' ? null : columnDefault(v, tbl, col.attnum),
            col.notNull ? 'NO' : 'YES', info.dataType, info.charMax, info.charMax === null ? null : info.charMax * 4, info.precision,
            info.precision === null ? null : info.radix, info.scale, info.datetimePrecision, v.session.dbDesc.name, 'pg_catalog',
            info.udtName, col.identity !== '' ? 'YES' : 'NO', col.identity === 'a' ? 'ALWAYS' : col.identity === 'd' ? 'BY DEFAULT' : null,
            'NEVER', tbl.kind === 'r' ? 'YES' : 'NO'];
        }
      }
    },
  },
  table_constraints: {
    oid: 0,
    columns: [['constraint_catalog', name], ['constraint_schema', name], ['constraint_name', name], ['table_catalog', name],
      ['table_schema', name], ['table_name', name], ['constraint_type', T.varchar], ['is_deferrable', T.varchar],
      ['initially_deferred', T.varchar], ['enforced', T.varchar], ['nulls_distinct', T.varchar]],
    *rows(v) {
      const db = v.session.dbDesc.name;
      const kinds: Record<string, string> = { p: 'PRIMARY KEY', u: 'UNIQUE', c: 'CHECK', f: 'FOREIGN KEY' };
      for (const k of v.catalog.all('constraint')) {
        const tbl = v.catalog.get('table', k.tableOid);
        const kind = kinds[k.type];
        if (tbl === undefined || kind === undefined) continue;
        const schema = schemaName(v, tbl);
        yield [db, schema, k.name, db, schema, tbl.name, kind, 'NO', 'NO', 'YES', k.type === 'u' ? 'YES' : null];
      }
      for (const nn of notNullChecks(v)) yield [db, nn.schema, nn.name, db, nn.schema, nn.table.name, 'CHECK', 'NO', 'NO', 'YES', null];
    },
  },
  check_constraints: {
    oid: 0,
    columns: [['constraint_catalog', name], ['constraint_schema', name], ['constraint_name', name], ['check_clause', T.varchar]],
    *rows(v) {
      const db = v.session.dbDesc.name;
      for (const k of v.catalog.all('constraint')) {
        if (k.type !== 'c') continue;
        const schema = v.catalog.get('schema', k.schemaOid)?.name ?? '';
        yield [db, schema, k.name, constraintDefinition(v, k).replace(/^CHECK /, '')];
      }
      for (const nn of notNullChecks(v)) yield [db, nn.schema, nn.name, `${quoteIdent(nn.column)} IS NOT NULL`];
    },
  },
  key_column_usage: {
    oid: 0,
    columns: [['constraint_catalog', name], ['constraint_schema', name], ['constraint_name', name], ['table_catalog', name],
      ['table_schema', name], ['table_name', name], ['column_name', name], ['ordinal_position', T.int4],
      ['position_in_unique_constraint', T.int4]],
    *rows(v) {
      const db = v.session.dbDesc.name;
      for (const k of v.catalog.all('constraint')) {
        if (k.type !== 'p' && k.type !== 'u' && k.type !== 'f') continue;
        const tbl = v.catalog.get('table', k.tableOid);
        if (tbl === undefined) continue;
        const schema = schemaName(v, tbl);
        const unique = k.type === 'f' ? referencedKey(v, k) : undefined;
        for (let i = 0; i < k.columns.length; i++) {
          const col = tbl.columns.find((c) => c.attnum === k.columns[i]);
          const pos = unique === undefined ? null : unique.columns.indexOf(k.refColumns[i]!) + 1;
          yield [db, schema, k.name, db, schema, tbl.name, col?.name ?? '', i + 1, pos === 0 ? null : pos];
        }
      }
    },
  },
  constraint_column_usage: {
    oid: 0,
    columns: [['table_catalog', name], ['table_schema', name], ['table_name', name], ['column_name', name],
      ['constraint_catalog', name], ['constraint_schema', name], ['constraint_name', name]],
    *rows(v) {
      const db = v.session.dbDesc.name;
      for (const k of v.catalog.all('constraint')) {
        if (k.type !== 'p' && k.type !== 'u' && k.type !== 'f' && k.type !== 'c') continue;
        const tbl = v.catalog.get('table', k.type === 'f' ? k.refTableOid ?? 0 : k.tableOid);
        if (tbl === undefined) continue;
        const schema = v.catalog.get('schema', k.schemaOid)?.name ?? '';
        for (const a of k.type === 'f' ? k.refColumns : k.columns) {
          const col = tbl.columns.find((c) => c.attnum === a);
          if (col !== undefined) yield [db, schemaName(v, tbl), tbl.name, col.name, db, schema, k.name];
        }
      }
    },
  },
  referential_constraints: {
    oid: 0,
    columns: [['constraint_catalog', name], ['constraint_schema', name], ['constraint_name', name], ['unique_constraint_catalog', name],
      ['unique_constraint_schema', name], ['unique_constraint_name', name], ['match_option', T.varchar], ['update_rule', T.varchar],
      ['delete_rule', T.varchar]],
    *rows(v) {
      const db = v.session.dbDesc.name;
      const rule = (a: string): string => ({ r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' } as Record<string, string>)[a] ?? 'NO ACTION';
      for (const k of v.catalog.all('constraint')) {
        if (k.type !== 'f') continue;
        const schema = v.catalog.get('schema', k.schemaOid)?.name ?? '';
        const unique = referencedKey(v, k);
        const uniqueSchema = unique === undefined ? null : v.catalog.get('schema', unique.schemaOid)?.name ?? null;
        yield [db, schema, k.name, unique === undefined ? null : db, uniqueSchema, unique?.name ?? null, 'NONE', rule(k.onUpdate), rule(k.onDelete)];
      }
    },
  },
  sequences: {
    oid: 0,
    columns: [['sequence_catalog', name], ['sequence_schema', name], ['sequence_name', name], ['data_type', T.varchar],
      ['numeric_precision', T.int4], ['numeric_precision_radix', T.int4], ['numeric_scale', T.int4], ['start_value', T.varchar],
      ['minimum_value', T.varchar], ['maximum_value', T.varchar], ['increment', T.varchar], ['cycle_option', T.varchar]],
    *rows(v) {
      const db = v.session.dbDesc.name;
      for (const q of v.catalog.all('sequence')) {
        const precision = q.typeOid === T.int2 ? 16 : q.typeOid === T.int4 ? 32 : 64;
        yield [db, v.catalog.get('schema', q.schemaOid)?.name ?? '', q.name, formatType(q.typeOid, -1), precision, 2, 0,
          q.start, q.min, q.max, q.increment, q.cycle ? 'YES' : 'NO'];
      }
    },
  },
};

/** The role PostgreSQL installs as the superuser and owner of the built-in objects. */
const BOOTSTRAP_USER = 'postgres';

function emptyRelations(defs: Record<string, [number, ColSpec[]]>): Record<string, VirtualDef> {
  const out: Record<string, VirtualDef> = {};
  for (const [relname, [relOid, columns]] of Object.entries(defs)) out[relname] = { oid: relOid, columns, *rows() { /* none */ } };
  return out;
}

function roleOid(v: SessionCatalogView, roleName: string): number {
  for (const r of v.session.currentSharedCatalog().all('role')) if (r.name === roleName) return r.oid;
  return 10;
}

/** attcollation: the default collation for collatable (string) types, 0 otherwise. */
function collationOf(typeOid: number): number {
  return ([T.text, T.varchar, T.bpchar, T.name] as number[]).includes(typeOid) ? (typeOid === T.name ? 950 : 100) : 0;
}

function vector(elemOid: number, items: number[]): Datum {
  return { kind: 'array', elemOid, dims: items.length ? [items.length] : [], lbounds: items.length ? [0] : [], items };
}

function columnType(v: SessionCatalogView, tableOid: number, attnum: number): number {
  return v.catalog.get('table', tableOid)?.columns.find((c) => c.attnum === attnum)?.type.oid ?? 0;
}

/** The default btree operator class of a type (pg_opclass OIDs of PostgreSQL 15), 0 if unknown. */
function defaultOpclass(typeOid: number): number {
  const map: Record<number, number> = {
    [T.int2]: 1979, [T.int4]: 1978, [T.int8]: 3124, [T.text]: 3126, [T.varchar]: 3126, [T.bpchar]: 10004, [T.name]: 10028,
    [T.numeric]: 3125, [T.float4]: 10012, [T.float8]: 3123, [T.bool]: 10003, [T.date]: 3122, [T.timestamp]: 3128,
    [T.timestamptz]: 3127, [T.uuid]: 10065, [T.oid]: 1981, [T.bytea]: 10006, [T.interval]: 10022, [T.time]: 10038, [T.jsonb]: 10088,
  };
  return map[typeOid] ?? 0;
}

/** typlen, typbyval, typalign, typstorage as PostgreSQL 15 defines them for the type. */
function physical(typeOid: number): { len: number; byval: boolean; align: string; storage: string } {
  const ti = typeInfo(typeOid);
  const len = ti?.len ?? -1;
  const align = len === 8 || typeOid === T.interval || (ti?.category === 'A' && [T._int8, T._float8, T._timestamp, T._timestamptz, T._interval].includes(typeOid as 1016))
    ? 'd' : len === 2 ? 's' : len === 1 || len === -2 || typeOid === T.name || typeOid === T.uuid || typeOid === T.bool ? 'c' : 'i';
  const storage = len !== -1 || typeOid === T.int2vector || typeOid === T.oidvector ? 'p' : typeOid === T.numeric ? 'm' : 'x';
  return { len, byval: ti?.byval ?? false, align, storage };
}

function textArray(items: string[]): Datum {
  return { kind: 'array', elemOid: T.text, dims: [items.length], lbounds: [1], items };
}

const arrays = { makeArray: (elemOid: number, items: number[]): Datum => ({ kind: 'array', elemOid, dims: [items.length], lbounds: [1], items }) };

/** information_schema's NOT NULL pseudo check constraints, named as PostgreSQL names them. */
function notNullChecks(v: SessionCatalogView): Array<{ schema: string; name: string; table: TableDesc; column: string }> {
  const out: Array<{ schema: string; name: string; table: TableDesc; column: string }> = [];
  for (const tbl of v.catalog.all('table')) {
    if (tbl.kind !== 'r') continue;
    for (const col of tbl.columns) {
      if (col.dropped || !col.notNull) continue;
      out.push({ schema: schemaName(v, tbl), name: `${tbl.schemaOid}_${tbl.oid}_${col.attnum}_not_null`, table: tbl, column: col.name });
    }
  }
  return out;
}

/** The PRIMARY KEY or UNIQUE constraint of the referenced table a foreign key relies on. */
function referencedKey(v: SessionCatalogView, k: ConstraintDesc): ConstraintDesc | undefined {
  const want = [...k.refColumns].sort((a, b) => a - b).join(',');
  return v.catalog.constraintsOf(k.refTableOid ?? 0)
    .filter((x) => (x.type === 'p' || x.type === 'u') && [...x.columns].sort((a, b) => a - b).join(',') === want)
    .sort((a, b) => (a.type === 'p' ? 0 : 1) - (b.type === 'p' ? 0 : 1))[0];
}

function schemaName(v: SessionCatalogView, tbl: TableDesc): string {
  return v.catalog.get('schema', tbl.schemaOid)?.name ?? '';
}

function columnTypeInfo(type: SqlType): {
  dataType: string; charMax: number | null; precision: number | null; radix: number | null; scale: number | null;
  datetimePrecision: number | null; udtName: string;
} {
  const full = type.oid === OID.bit ? 'bit' : formatType(type.oid, -1);
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

/** pg_am OIDs of pgvector's access methods (extension objects get OIDs above 16384). */
const IVFFLAT_AM_OID = 16396;
const HNSW_AM_OID = 16397;

