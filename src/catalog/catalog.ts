// Catalog: one immutable-by-convention version of every descriptor, with name look-ups that
// follow search_path as PostgreSQL does. DDL works on a copy (`mutable()`), which records what it
// changed so the catalog store can write exactly those descriptors in the DDL's transaction.
import { SqlError, SQLSTATE } from '../base/index.js';
import type {
  ConstraintDesc, DatabaseDesc, ExtensionDesc, IndexDesc, RoleDesc, SchemaDesc, SequenceDesc, TableDesc,
} from './descriptors.js';

export type ObjectKind = 'database' | 'schema' | 'table' | 'index' | 'constraint' | 'sequence' | 'role' | 'extension';

export interface CatalogObjects {
  database: DatabaseDesc;
  schema: SchemaDesc;
  table: TableDesc;
  index: IndexDesc;
  constraint: ConstraintDesc;
  sequence: SequenceDesc;
  role: RoleDesc;
  extension: ExtensionDesc;
}

/** First OID handed to user objects (PostgreSQL's FirstNormalObjectId). */
export const FIRST_USER_OID = 16384;
/** Fixed OIDs of the built-in namespaces, as PostgreSQL numbers them. */
export const PG_CATALOG_NAMESPACE = 11;
export const INFORMATION_SCHEMA_NAMESPACE = 13000;
export const PUBLIC_NAMESPACE_NAME = 'public';

/** The OID counter all catalogs share, so OIDs are unique across databases. */
export interface OidCounter {
  next: number;
}

export class Catalog {
  readonly version: number;
  /** Database this catalog describes (0 for the shared catalog of databases and roles). */
  readonly dbOid: number;
  readonly oids: OidCounter;
  private readonly objects: { [K in ObjectKind]: Map<number, CatalogObjects[K]> };
  /** Changed objects since mutable() (oid → kind), for persistence; deleted ones map to null value. */
  readonly changes: Map<string, { kind: ObjectKind; oid: number; value: unknown }> | null;

  constructor(
    version: number,
    dbOid: number,
    oids: OidCounter,
    objects: { [K in ObjectKind]: Map<number, CatalogObjects[K]> },
    tracking: boolean,
  ) {
    this.version = version;
    this.dbOid = dbOid;
    this.oids = oids;
    this.objects = objects;
    this.changes = tracking ? new Map() : null;
  }

  static empty(dbOid: number, oids: OidCounter): Catalog {
    return new Catalog(0, dbOid, oids, {
      database: new Map(), schema: new Map(), table: new Map(), index: new Map(),
      constraint: new Map(), sequence: new Map(), role: new Map(), extension: new Map(),
    }, false);
  }

  /** A copy that DDL can change; the original stays valid for concurrent readers. */
  mutable(): Catalog {
    return new Catalog(this.version + 1, this.dbOid, this.oids, {
      database: new Map(this.objects.database), schema: new Map(this.objects.schema),
      table: new Map(this.objects.table), index: new Map(this.objects.index),
      constraint: new Map(this.objects.constraint), sequence: new Map(this.objects.sequence),
      role: new Map(this.objects.role), extension: new Map(this.objects.extension),
    }, true);
  }

  /** A copy that DDL can change further, keeping the changes recorded so far (savepoints). */
  fork(): Catalog {
    const c = this.mutable();
    for (const [k, v] of this.changes ?? []) c.changes!.set(k, v);
    (c as { version: number }).version = this.version;
    return c;
  }

  allocateOid(): number {
    return this.oids.next++;
  }

  get<K extends ObjectKind>(kind: K, oid: number): CatalogObjects[K] | undefined {
    return this.objects[kind].get(oid) as CatalogObjects[K] | undefined;
  }

  all<K extends ObjectKind>(kind: K): IterableIterator<CatalogObjects[K]> {
    return this.objects[kind].values() as IterableIterator<CatalogObjects[K]>;
  }

  put<K extends ObjectKind>(kind: K, desc: CatalogObjects[K]): void {
    this.assertMutable();
    (this.objects[kind] as Map<number, CatalogObjects[K]>).set(desc.oid, desc);
    this.changes!.set(`${kind}:${desc.oid}`, { kind, oid: desc.oid, value: desc });
  }

  remove(kind: ObjectKind, oid: number): void {
    this.assertMutable();
    this.objects[kind].delete(oid);
    this.changes!.set(`${kind}:${oid}`, { kind, oid, value: null });
  }

  /** Loads an object without recording a change (used when reading the stored catalog). */
  load<K extends ObjectKind>(kind: K, desc: CatalogObjects[K]): void {
    (this.objects[kind] as Map<number, CatalogObjects[K]>).set(desc.oid, desc);
    if (desc.oid >= this.oids.next) this.oids.next = desc.oid + 1;
  }

  private assertMutable(): void {
    if (this.changes === null) throw new Error('internal: catalog version is read-only');
  }

  // ---- look-ups by name -------------------------------------------------------------------

  database(name: string): DatabaseDesc | undefined {
    for (const d of this.objects.database.values()) if (d.name === name) return d;
    return undefined;
  }

  role(name: string): RoleDesc | undefined {
    for (const r of this.objects.role.values()) if (r.name === name) return r;
    return undefined;
  }

  schema(name: string): SchemaDesc | undefined {
    for (const s of this.objects.schema.values()) if (s.name === name) return s;
    return undefined;
  }

  /** A table or view in a schema. */
  tableIn(schemaOid: number, name: string): TableDesc | undefined {
    for (const t of this.objects.table.values()) if (t.schemaOid === schemaOid && t.name === name) return t;
    return undefined;
  }

  indexIn(schemaOid: number, name: string): IndexDesc | undefined {
    for (const i of this.objects.index.values()) if (i.schemaOid === schemaOid && i.name === name) return i;
    return undefined;
  }

  sequenceIn(schemaOid: number, name: string): SequenceDesc | undefined {
    for (const s of this.objects.sequence.values()) if (s.schemaOid === schemaOid && s.name === name) return s;
    return undefined;
  }

  /** True if any relation-like object (table, view, index, sequence) has this name in the schema. */
  relationNameTaken(schemaOid: number, name: string): boolean {
    return this.tableIn(schemaOid, name) !== undefined || this.indexIn(schemaOid, name) !== undefined
      || this.sequenceIn(schemaOid, name) !== undefined;
  }

  indexesOf(tableOid: number): IndexDesc[] {
    const out: IndexDesc[] = [];
    for (const i of this.objects.index.values()) if (i.tableOid === tableOid) out.push(i);
    out.sort((a, b) => a.oid - b.oid);
    return out;
  }

  constraintsOf(tableOid: number): ConstraintDesc[] {
    const out: ConstraintDesc[] = [];
    for (const c of this.objects.constraint.values()) if (c.tableOid === tableOid) out.push(c);
    out.sort((a, b) => a.oid - b.oid);
    return out;
  }

  /** Foreign keys in other tables that reference this table. */
  referencingConstraints(tableOid: number): ConstraintDesc[] {
    const out: ConstraintDesc[] = [];
    for (const c of this.objects.constraint.values()) if (c.type === 'f' && c.refTableOid === tableOid) out.push(c);
    return out;
  }

  constraintIn(schemaOid: number, name: string): ConstraintDesc | undefined {
    for (const c of this.objects.constraint.values()) if (c.schemaOid === schemaOid && c.name === name) return c;
    return undefined;
  }
}

/** The schemas a name without a schema is looked up in, in order (pg_catalog first when implicit). */
export function effectiveSearchPath(catalog: Catalog, searchPath: readonly string[], user: string): SchemaDesc[] {
  const out: SchemaDesc[] = [];
  const pgCatalog = catalog.schema('pg_catalog');
  if (pgCatalog !== undefined && !searchPath.includes('pg_catalog')) out.push(pgCatalog);
  for (let name of searchPath) {
    if (name === '$user') name = user;
    const s = catalog.schema(name);
    if (s !== undefined && !out.includes(s)) out.push(s);
  }
  return out;
}

/** The schema new objects go to: the first existing schema of search_path (3F000 if none). */
export function creationSchema(catalog: Catalog, searchPath: readonly string[], user: string): SchemaDesc {
  for (let name of searchPath) {
    if (name === '$user') name = user;
    if (name === 'pg_catalog') continue;
    const s = catalog.schema(name);
    if (s !== undefined) return s;
  }
  throw new SqlError(SQLSTATE.INVALID_SCHEMA_NAME, 'no schema has been selected to create in');
}
