// Where a table's rows and index entries live in the key space and how they are encoded:
//   row:          tableKeyPrefix(table, storageIndexId or 0) ++ storage key  →  encoded physical row
//   index entry:  tableKeyPrefix(table, index) ++ key columns [++ storage key]  →  storage key
// The storage key is the PRIMARY KEY given at CREATE TABLE (order-preserving encoding) or a
// hidden unique 8-byte rowid. Unique indexes omit the storage-key suffix when no key column is
// NULL, so a duplicate is a key collision.
import { SqlError, SQLSTATE, LIMITS } from '../../base/index.js';
import { tableKeyPrefix, prefixEnd } from '../../keys/index.js';
import {
  encodeRow, encodeRowTransient, decodeRow, decodeColumns, encodeKeyDatums, encodePrefixedKey, textIn, type Datum, type SqlType,
} from '../types/index.js';
import type { IndexDesc, TableDesc } from '../../catalog/index.js';

const layoutCache = new WeakMap<TableDesc, TableLayout>();

export interface TableLayout {
  readonly table: TableDesc;
  readonly prefix: Buffer;
  readonly prefixEnd: Buffer;
  readonly types: SqlType[];
  /** Positions (in the physical row) of the storage key columns; [] for a hidden rowid. */
  readonly keyPositions: number[];
  readonly keyTypes: SqlType[];
  /** Values of columns added after rows were written (ALTER TABLE ADD COLUMN ... DEFAULT). */
  readonly missing: Datum[];
}

export function layoutOf(table: TableDesc): TableLayout {
  let l = layoutCache.get(table);
  if (l === undefined) {
    const prefix = tableKeyPrefix(table.oid, table.storageIndexId ?? 0);
    const keyPositions = table.storageKey.map((a) => table.columns.findIndex((c) => c.attnum === a));
    const types = table.columns.map((c) => c.type);
    l = {
      table, prefix, prefixEnd: prefixEnd(prefix)!, types, keyPositions,
      keyTypes: keyPositions.map((p) => types[p]!),
      missing: table.columns.map((c) => (c.missingText === null || c.dropped ? null : textIn(c.type, c.missingText))),
    };
    layoutCache.set(table, l);
  }
  return l;
}

/** The storage key of a row (for hidden-rowid tables the caller supplies the rowid). */
export function storageKeyOf(layout: TableLayout, row: readonly Datum[], rowId?: bigint): Buffer {
  if (layout.keyPositions.length === 0) {
    const k = Buffer.allocUnsafe(layout.prefix.length + 8);
    layout.prefix.copy(k, 0);
    k.writeBigUInt64BE(rowId!, layout.prefix.length);
    return k;
  }
  const key = encodePrefixedKey(layout.prefix, layout.keyTypes, row, layout.keyPositions);
  checkKeySize(key, `${layout.table.name}_pkey`);
  return key;
}

export function encodeStoredRow(layout: TableLayout, row: readonly Datum[]): Uint8Array {
  return encodeRow(layout.types, row.length === layout.types.length ? row : row.slice(0, layout.types.length));
}

/** encodeStoredRow into a scratch view the next encoding overwrites (for callers that copy it at once). */
export function encodeStoredRowTransient(layout: TableLayout, row: readonly Datum[]): Uint8Array {
  return encodeRowTransient(layout.types, row.length === layout.types.length ? row : row.slice(0, layout.types.length));
}

export function decodeStoredRow(layout: TableLayout, bytes: Uint8Array): Datum[] {
  const row = decodeRow(layout.types, bytes);
  // Rows written before ADD COLUMN decode the new columns as NULL: fill their stored default.
  for (let i = 0; i < layout.missing.length; i++) {
    if (row[i] === null && layout.missing[i] !== null && i >= storedColumnCount(bytes)) row[i] = layout.missing[i]!;
  }
  return row;
}

/** decodeStoredRow for only the given physical positions (ascending); the other columns read as NULL. */
export function decodeStoredColumns(layout: TableLayout, bytes: Uint8Array, positions: readonly number[]): Datum[] {
  const values = decodeColumns(layout.types, bytes, positions);
  const row: Datum[] = new Array<Datum>(layout.types.length).fill(null);
  const stored = storedColumnCount(bytes);
  for (let j = 0; j < positions.length; j++) {
    const p = positions[j]!;
    const v = values[j]!;
    // Rows written before ADD COLUMN read the column's stored default, as decodeStoredRow does.
    row[p] = v === null && p >= stored && layout.missing[p] !== null ? layout.missing[p]! : v;
  }
  return row;
}

/** Column count recorded in an encoded row's header (first two bytes, big-endian). */
function storedColumnCount(bytes: Uint8Array): number {
  return (bytes[0]! << 8) | bytes[1]!;
}

export interface IndexLayout {
  readonly index: IndexDesc;
  readonly prefix: Buffer;
  readonly prefixEnd: Buffer;
  readonly positions: number[];
  readonly types: SqlType[];
}

const indexLayoutCache = new WeakMap<IndexDesc, IndexLayout>();

export function indexLayoutOf(table: TableDesc, index: IndexDesc): IndexLayout {
  let l = indexLayoutCache.get(index);
  if (l === undefined) {
    const prefix = tableKeyPrefix(table.oid, index.oid);
    const positions = index.columns.map((a) => table.columns.findIndex((c) => c.attnum === a));
    l = { index, prefix, prefixEnd: prefixEnd(prefix)!, positions, types: positions.map((p) => table.columns[p]!.type) };
    indexLayoutCache.set(index, l);
  }
  return l;
}

/** The entry key of a row in a secondary index; `unique` keys omit the storage key when no value is NULL. */
export function indexEntryKey(layout: TableLayout, il: IndexLayout, row: readonly Datum[], storageKey: Uint8Array): Buffer {
  const values = il.positions.map((p) => row[p] ?? null);
  const enc = encodeKeyDatums(il.types, values, il.index.descending, il.index.nullsFirst);
  const key = il.index.unique && !values.includes(null)
    ? Buffer.concat([il.prefix, enc])
    : Buffer.concat([il.prefix, enc, storageKey.subarray(layout.prefix.length)]);
  checkKeySize(key, il.index.name);
  return key;
}

/** Keys longer than the store accepts fail as PostgreSQL's oversized index rows do (54000). */
export function checkKeySize(key: Uint8Array, indexName: string): void {
  if (key.length <= LIMITS.keyBytesMax) return;
  throw new SqlError(SQLSTATE.PROGRAM_LIMIT_EXCEEDED, `index row size ${key.length} exceeds maximum ${LIMITS.keyBytesMax} for index "${indexName}"`, {
    hint: 'Values larger than the maximum key size cannot be indexed.\nConsider a function index of an MD5 hash of the value, or use full text indexing.',
  });
}

/** The key-column values of a row in an index (to test whether an update changes the entry). */
export function indexValues(il: IndexLayout, row: readonly Datum[]): Datum[] {
  return il.positions.map((p) => row[p] ?? null);
}
