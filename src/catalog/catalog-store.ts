// Persistence of the catalog: every descriptor is one JSON row under a fixed-width system key
// (`0x01 | dbOid u32 | kind u8 | oid u32`), read and written through a transaction like any other
// data, so DDL commits and rolls back with the transaction that made it.
import { Catalog, type ObjectKind, type OidCounter } from './catalog.js';

/** The slice of a transaction the catalog needs (txn's Txn satisfies it). */
export interface KvReadWrite {
  get(key: Uint8Array): Uint8Array | undefined;
  scan(start: Uint8Array, end: Uint8Array): Iterable<readonly [Uint8Array, Uint8Array]>;
  put(key: Uint8Array, value: Uint8Array): void;
  delete(key: Uint8Array): void;
}

export const CATALOG_KEY_PREFIX = 0x01;
const KINDS: readonly ObjectKind[] = ['database', 'schema', 'table', 'index', 'constraint', 'sequence', 'role', 'extension'];

export function catalogKey(dbOid: number, kind: ObjectKind, oid: number): Uint8Array {
  const k = Buffer.allocUnsafe(10);
  k[0] = CATALOG_KEY_PREFIX;
  k.writeUInt32BE(dbOid, 1);
  k[5] = KINDS.indexOf(kind);
  k.writeUInt32BE(oid, 6);
  return k;
}

function dbRange(dbOid: number): [Uint8Array, Uint8Array] {
  const start = Buffer.alloc(5);
  start[0] = CATALOG_KEY_PREFIX;
  start.writeUInt32BE(dbOid, 1);
  const end = Buffer.alloc(5);
  end[0] = CATALOG_KEY_PREFIX;
  end.writeUInt32BE(dbOid + 1, 1);
  return [start, end];
}

/** Key of the persisted OID counter. */
const OID_COUNTER_KEY = Buffer.from([CATALOG_KEY_PREFIX, 0xff, 0xff, 0xff, 0xff, 0x00]);

export function loadOidCounter(kv: KvReadWrite, floor: number): OidCounter {
  const v = kv.get(OID_COUNTER_KEY);
  const stored = v === undefined ? 0 : Number(Buffer.from(v).toString('utf8'));
  return { next: Math.max(stored, floor) };
}

/** Reads one database's catalog (dbOid 0 = the shared catalog of databases and roles). */
export function loadCatalog(kv: KvReadWrite, dbOid: number, oids: OidCounter): Catalog {
  const catalog = Catalog.empty(dbOid, oids);
  const [start, end] = dbRange(dbOid);
  for (const [key, value] of kv.scan(start, end)) {
    const kind = KINDS[key[5]!];
    if (kind === undefined) continue;
    catalog.load(kind, JSON.parse(Buffer.from(value).toString('utf8')));
  }
  return catalog;
}

/** Writes what a DDL statement changed into the transaction. */
export function persistCatalogChanges(kv: KvReadWrite, catalog: Catalog): void {
  for (const change of catalog.changes?.values() ?? []) {
    const key = catalogKey(catalog.dbOid, change.kind, change.oid);
    if (change.value === null) kv.delete(key);
    else kv.put(key, Buffer.from(JSON.stringify(change.value), 'utf8'));
  }
  kv.put(OID_COUNTER_KEY, Buffer.from(String(catalog.oids.next), 'utf8'));
}

/** Removes every catalog row of a database (DROP DATABASE). */
export function deleteDatabaseCatalog(kv: KvReadWrite, dbOid: number): void {
  const [start, end] = dbRange(dbOid);
  const keys: Uint8Array[] = [];
  for (const [key] of kv.scan(start, end)) keys.push(key);
  for (const key of keys) kv.delete(key);
}
