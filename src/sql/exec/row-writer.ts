// RowWriter: every row change of a statement goes through here, so that indexes, constraints
// (NOT NULL, CHECK, UNIQUE/PRIMARY KEY, FOREIGN KEY with its ON DELETE actions) and row locks are
// maintained the same way for INSERT, UPDATE, DELETE, ON CONFLICT and cascades.
import { SqlError, SQLSTATE } from '../../base/index.js';
import { compareKeys } from '../../keys/index.js';
import { textOut, compareDatums, type Datum } from '../types/index.js';
import type { ConstraintDesc, IndexDesc, TableDesc } from '../../catalog/index.js';
import type { BoundExpr } from '../analyze/index.js';
import { compileExpr, type Evaluator } from './compile-expr.js';
import type { ExecContext } from './exec-context.js';
import {
  layoutOf, storageKeyOf, encodeStoredRow, encodeStoredRowTransient, decodeStoredRow, indexLayoutOf, indexEntryKey, indexValues,
  type TableLayout,
} from './table-codec.js';

/** Catalog look-ups the writer needs for foreign keys. */
export interface WriterCatalog {
  table(oid: number): TableDesc | undefined;
  indexesOf(tableOid: number): IndexDesc[];
  constraintsOf(tableOid: number): ConstraintDesc[];
  referencingConstraints(tableOid: number): ConstraintDesc[];
  /** Bound CHECK constraints of a table over its physical row. */
  checksOf(table: TableDesc): Array<{ name: string; expr: BoundExpr }>;
  /** Bound DEFAULT of a column (null = no default), for ON DELETE/UPDATE SET DEFAULT. */
  defaultOf(table: TableDesc, attnum: number): BoundExpr | null;
  nextRowId(): bigint;
  /** n consecutive unused rowids (the first is returned), for bulk loads. */
  reserveRowIds(n: number): bigint;
}

/** Rowids a bulk load reserves at a time. */
const ROWID_BLOCK = 4096;

/** What a statement needs to know about a table, looked up once per statement. */
interface TableFacts {
  indexes: IndexDesc[];
  constraints: ConstraintDesc[];
  referencing: ConstraintDesc[];
  checks: Array<{ name: string; test: Evaluator }>;
  /** No unique index and no foreign key: a hidden-rowid insert needs no lock or lookup. */
  plainInsert: boolean;
  /** No unique index besides the primary key storage and no foreign key: an insert locks and checks only its key. */
  keyOnlyInsert: boolean;
}

export class RowWriter {
  private readonly memo = new Map<number, TableFacts>();
  /** Per table: the greatest stored row key, as of a store watermark (see keyAboveStored). */
  private readonly storedTail = new Map<number, { asOf: bigint; last: Buffer | undefined }>();
  /** Rowids reserved for bulk loads (see nextBulkRowKey). */
  private bulkRowIds: { prefix: Buffer; key: Buffer; hi: number; lo: number; left: number } | undefined;

  constructor(private readonly ctx: ExecContext, private readonly catalog: WriterCatalog) {}

  private facts(table: TableDesc): TableFacts {
    let f = this.memo.get(table.oid);
    if (f === undefined) {
      // ANN indexes (hnsw, ivfflat) are maintained from committed batches, not by the writer.
      const indexes = this.catalog.indexesOf(table.oid).filter((i) => i.method === 'btree');
      const constraints = this.catalog.constraintsOf(table.oid);
      f = {
        indexes, constraints, referencing: this.catalog.referencingConstraints(table.oid), checks: this.catalog.checksOf(table).map((c) => ({ name: c.name, test: compileExpr(c.expr) })),
        plainInsert: !indexes.some((i) => i.unique) && !constraints.some((c) => c.type === 'f'),
        keyOnlyInsert: !indexes.some((i) => i.unique && !isStorageIndex(table, i)) && !constraints.some((c) => c.type === 'f'),
      };
      this.memo.set(table.oid, f);
    }
    return f;
  }

  /**
   * Validates and writes a new row; returns its storage key (synchronously when nothing can make
   * it wait). Throws 23505 on a duplicate key.
   */
  insert(table: TableDesc, row: Datum[]): Buffer | Promise<Buffer> {
    const layout = layoutOf(table);
    const facts = this.facts(table);
    if (layout.keyPositions.length > 0) {
      return facts.keyOnlyInsert ? this.insertKeyed(table, layout, facts, row) : this.insertChecked(table, row);
    }
    if (!facts.plainInsert) return this.insertChecked(table, row);
    const indexes = facts.indexes;
    // A fresh hidden rowid cannot collide and no unique key or foreign key needs a lock:
    // the row is written at once.
    this.checkRow(table, row);
    const key = storageKeyOf(layout, row, this.catalog.nextRowId());
    // A fresh rowid has no older versions, nor have the (non-unique) index entries that end in it.
    this.ctx.txn.putOwned(key, owned(encodeStoredRow(layout, row)), true);
    for (const index of indexes) this.ctx.txn.putOwned(indexEntryKey(layout, indexLayoutOf(table, index), row, key), key, true);
    return key;
  }

  /**
   * Whether rows of table can be inserted from their encoding alone (insertEncoded): no CHECK
   * constraint, foreign key, or B-tree index besides the primary key's storage.
   */
  encodedInsertAllowed(table: TableDesc): boolean {
    const facts = this.facts(table);
    return facts.checks.length === 0 && facts.indexes.every((i) => isStorageIndex(table, i))
      && !facts.constraints.some((c) => c.type === 'f');
  }

  /**
   * insert() of a row already checked for NOT NULL and encoded (key: its storage key; undefined
   * for a hidden-rowid table), for tables encodedInsertAllowed() accepts. The views are copied.
   */
  insertEncoded(table: TableDesc, key: Buffer | undefined, value: Buffer): void | Promise<void> {
    const layout = layoutOf(table);
    if (key === undefined) {
      const rowKey = this.nextBulkRowKey(layout);
      // a fresh rowid: it joins the run of fresh keys (copied), or is written the usual way
      if (!this.ctx.txn.appendFresh(rowKey, value)) this.ctx.txn.putOwned(Buffer.from(rowKey), Buffer.from(value), true);
      return undefined;
    }
    if (this.keyAboveStored(layout, key) && this.ctx.txn.putFreshUnlocked(key, value)) return undefined;
    // The key may exist: lock it and check, as insertKeyed does (the row decoded for messages).
    const ownedKey = Buffer.from(key);
    const row = decodeStoredRow(layout, value);
    const facts = this.facts(table);
    const ownedValue = Buffer.from(value);
    const wait = this.ctx.txn.lockRow(ownedKey, 'exclusive');
    if (wait !== undefined) return wait.then(() => { this.writeKeyed(table, layout, facts, row, ownedKey, ownedValue); });
    this.writeKeyed(table, layout, facts, row, ownedKey, ownedValue);
    return undefined;
  }

  /**
   * The storage key of the next row of a bulk load into a hidden-rowid table, in a scratch
   * buffer (valid until the next call): rowids come from blocks reserved at once, counted up here.
   */
  private nextBulkRowKey(layout: TableLayout): Buffer {
    let b = this.bulkRowIds;
    if (b === undefined || b.prefix !== layout.prefix) {
      const key = Buffer.alloc(layout.prefix.length + 8);
      layout.prefix.copy(key, 0);
      b = this.bulkRowIds = { prefix: layout.prefix, key, hi: 0, lo: 0, left: 0 };
    }
    if (b.left === 0) {
      const first = this.catalog.reserveRowIds(ROWID_BLOCK);
      b.hi = Number(first >> 32n);
      b.lo = Number(first & 0xffff_ffffn);
      b.left = ROWID_BLOCK;
    } else if (b.lo === 0xffff_ffff) {
      b.hi++;
      b.lo = 0;
    } else {
      b.lo++;
    }
    b.left--;
    const at = b.prefix.length;
    b.key.writeUInt32BE(b.hi, at);
    b.key.writeUInt32BE(b.lo, at + 4);
    return b.key;
  }

  /** A table keyed by its primary key, with no other unique index or foreign key: synchronous unless the key's lock is held. */
  private insertKeyed(table: TableDesc, layout: TableLayout, facts: TableFacts, row: Datum[]): Buffer | Promise<Buffer> {
    this.checkRow(table, row);
    const key = storageKeyOf(layout, row);
    let value: Buffer | undefined;
    if (this.keyAboveStored(layout, key)) {
      // Bulk loads in key order: the key joins the transaction's run of fresh keys, locked as a
      // whole (the run copies the encoded row at once: a scratch encoding will do).
      const encoded = owned(encodeStoredRowTransient(layout, row));
      if (this.ctx.txn.putFreshUnlocked(key, encoded)) {
        this.putIndexEntries(table, layout, facts, row, key, true);
        return key;
      }
      value = Buffer.from(encoded);
    }
    const wait = this.ctx.txn.lockRow(key, 'exclusive');
    if (wait !== undefined) return wait.then(() => this.writeKeyed(table, layout, facts, row, key, value));
    return this.writeKeyed(table, layout, facts, row, key, value);
  }

  private writeKeyed(table: TableDesc, layout: TableLayout, facts: TableFacts, row: Datum[], key: Buffer, value: Buffer | undefined): Buffer {
    const latest = this.keyAboveStored(layout, key) ? this.ctx.txn.ownWrite(key) : this.ctx.txn.latestState(key);
    if (latest !== undefined && latest !== null) {
      throw this.uniqueViolation(table, primaryIndex(this.catalog, table), layout.keyPositions, row);
    }
    // A key that never had a version (we hold its lock) leaves nothing for the collector, and
    // neither do index entries ending in it.
    const first = latest === undefined;
    this.ctx.txn.putOwned(key, value ?? owned(encodeStoredRow(layout, row)), first);
    this.putIndexEntries(table, layout, facts, row, key, first);
    return key;
  }

  /** The (non-unique) secondary index entries of a new row stored under key. */
  private putIndexEntries(table: TableDesc, layout: TableLayout, facts: TableFacts, row: Datum[], key: Buffer, first: boolean): void {
    for (const index of facts.indexes) {
      if (isStorageIndex(table, index)) continue;
      this.ctx.txn.putOwned(indexEntryKey(layout, indexLayoutOf(table, index), row, key), key, first);
    }
  }

  /**
   * Whether key sorts after every row key the store holds for the table (then it has no version
   * at all and needs no lookup: bulk loads in key order). The greatest stored key is re-read
   * whenever the store's watermark has moved; a key we hold the lock on cannot be mid-commit.
   */
  private keyAboveStored(layout: TableLayout, key: Buffer): boolean {
    const txn = this.ctx.txn;
    const now = txn.latestTs();
    let tail = this.storedTail.get(layout.table.oid);
    if (tail === undefined || tail.asOf !== now) {
      tail = { asOf: now, last: txn.lastStoredKeyIn(layout.prefix, layout.prefixEnd) };
      this.storedTail.set(layout.table.oid, tail);
    }
    return tail.last === undefined || compareKeys(key, tail.last) > 0;
  }

  private async insertChecked(table: TableDesc, row: Datum[]): Promise<Buffer> {
    const layout = layoutOf(table);
    this.checkRow(table, row);
    const key = storageKeyOf(layout, row, layout.keyPositions.length === 0 ? this.catalog.nextRowId() : undefined);
    await this.lock(key, 'exclusive');
    if (layout.keyPositions.length > 0 && this.ctx.txn.getLatest(key) !== undefined) {
      throw this.uniqueViolation(table, primaryIndex(this.catalog, table), layout.keyPositions, row);
    }
    await this.checkUniqueIndexes(table, row, null);
    await this.checkForeignKeys(table, row, null);
    this.ctx.txn.putOwned(key, owned(encodeStoredRow(layout, row)));
    for (const index of this.facts(table).indexes) {
      if (isStorageIndex(table, index)) continue;
      const il = indexLayoutOf(table, index);
      this.ctx.txn.put(indexEntryKey(layout, il, row, key), key);
    }
    return key;
  }

  /** Finds the existing row that conflicts with `row` on a unique key (for ON CONFLICT), if any. */
  findConflict(table: TableDesc, row: Datum[], arbiters: number[] | null): { key: Buffer; row: Datum[] } | undefined {
    const layout = layoutOf(table);
    if (layout.keyPositions.length > 0 && (arbiters === null || arbiters.length === 0 || arbiters.some((o) => primaryIndex(this.catalog, table)?.oid === o))) {
      const key = storageKeyOf(layout, row);
      const existing = this.ctx.txn.getLatest(key);
      if (existing !== undefined) return { key, row: decodeStoredRow(layout, existing) };
    }
    for (const index of this.facts(table).indexes) {
      if (!index.unique || isStorageIndex(table, index)) continue;
      if (arbiters !== null && !arbiters.includes(index.oid)) continue;
      const il = indexLayoutOf(table, index);
      if (indexValues(il, row).includes(null)) continue;
      const entry = this.ctx.txn.getLatest(indexEntryKey(layout, il, row, layout.prefix));
      if (entry === undefined) continue;
      const existing = this.ctx.txn.getLatest(entry);
      if (existing !== undefined) return { key: Buffer.from(entry), row: decodeStoredRow(layout, existing) };
    }
    return undefined;
  }

  /** Replaces a row; the storage key may change (primary key update). Returns the new key. */
  async update(table: TableDesc, key: Buffer, oldRow: Datum[], newRow: Datum[], recheckForeignKeys = false): Promise<Buffer> {
    const layout = layoutOf(table);
    this.checkRow(table, newRow);
    let newKey = key;
    if (layout.keyPositions.length > 0 && !sameValues(layout.keyPositions, layout, oldRow, newRow)) {
      newKey = storageKeyOf(layout, newRow);
      await this.lock(newKey, 'exclusive');
      if (this.ctx.txn.getLatest(newKey) !== undefined) {
        throw this.uniqueViolation(table, primaryIndex(this.catalog, table), layout.keyPositions, newRow);
      }
    }
    await this.checkUniqueIndexes(table, newRow, oldRow);
    await this.checkForeignKeys(table, newRow, recheckForeignKeys ? null : oldRow);
    if (newKey !== key) this.ctx.txn.delete(key);
    this.ctx.txn.putOwned(newKey, owned(encodeStoredRow(layout, newRow)));
    for (const index of this.facts(table).indexes) {
      if (isStorageIndex(table, index)) continue;
      const il = indexLayoutOf(table, index);
      const oldEntry = indexEntryKey(layout, il, oldRow, key);
      const newEntry = indexEntryKey(layout, il, newRow, newKey);
      if (newKey === key && Buffer.compare(oldEntry, newEntry) === 0) continue;
      this.ctx.txn.delete(oldEntry);
      this.ctx.txn.put(newEntry, newKey);
    }
    // Referencing rows are acted on after the new row exists (as PostgreSQL's RI triggers run after it).
    await this.checkReferencingOnChange(table, oldRow, newRow);
    return newKey;
  }

  /** Deletes a row, applying the ON DELETE actions of foreign keys that reference it. */
  async delete(table: TableDesc, key: Buffer, row: Datum[]): Promise<void> {
    const layout = layoutOf(table);
    this.ctx.txn.delete(key);
    for (const index of this.facts(table).indexes) {
      if (isStorageIndex(table, index)) continue;
      this.ctx.txn.delete(indexEntryKey(layout, indexLayoutOf(table, index), row, key));
    }
    // Referencing rows are acted on after the row is gone (as PostgreSQL's RI triggers run after it).
    await this.applyReferencingOnDelete(table, row);
  }

  async lock(key: Uint8Array, mode: 'exclusive' | 'share'): Promise<void> {
    const wait = this.ctx.txn.lockRow(key, mode);
    if (wait !== undefined) await wait;
  }

  // ---- constraints ----------------------------------------------------------------------------

  checkRow(table: TableDesc, row: Datum[]): void {
    const columns = table.columns;
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i]!;
      if (c.dropped || !c.notNull || row[i] !== null) continue;
      throw new SqlError(SQLSTATE.NOT_NULL_VIOLATION, `null value in column "${c.name}" of relation "${table.name}" violates not-null constraint`, {
        detail: `Failing row contains ${this.rowText(table, row)}.`, table: table.name, column: c.name,
      });
    }
    for (const check of this.facts(table).checks) {
      if (check.test(row, this.ctx) === false) {
        throw new SqlError(SQLSTATE.CHECK_VIOLATION, `new row for relation "${table.name}" violates check constraint "${check.name}"`, {
          detail: `Failing row contains ${this.rowText(table, row)}.`, table: table.name, constraint: check.name,
        });
      }
    }
  }

  private async checkUniqueIndexes(table: TableDesc, row: Datum[], oldRow: Datum[] | null): Promise<void> {
    const layout = layoutOf(table);
    for (const index of this.facts(table).indexes) {
      if (!index.unique || isStorageIndex(table, index)) continue;
      const il = indexLayoutOf(table, index);
      const values = indexValues(il, row);
      if (values.includes(null)) continue;
      if (oldRow !== null && sameDatums(values, indexValues(il, oldRow), il.types.map((t) => t.oid))) continue;
      const entry = indexEntryKey(layout, il, row, layout.prefix);
      await this.lock(entry, 'exclusive');
      if (this.ctx.txn.getLatest(entry) !== undefined) throw this.uniqueViolation(table, index, il.positions, row);
    }
  }

  private async checkForeignKeys(table: TableDesc, row: Datum[], oldRow: Datum[] | null): Promise<void> {
    for (const fk of this.facts(table).constraints) {
      if (fk.type !== 'f') continue;
      const positions = fk.columns.map((a) => table.columns.findIndex((c) => c.attnum === a));
      const values = positions.map((p) => row[p] ?? null);
      if (values.includes(null)) continue;
      if (oldRow !== null && sameDatums(values, positions.map((p) => oldRow[p] ?? null), positions.map((p) => table.columns[p]!.type.oid))) continue;
      const ref = this.catalog.table(fk.refTableOid!)!;
      const found = await this.lookupReferenced(ref, fk.refColumns, values);
      if (!found) {
        throw new SqlError(SQLSTATE.FOREIGN_KEY_VIOLATION, `insert or update on table "${table.name}" violates foreign key constraint "${fk.name}"`, {
          detail: `Key (${fk.columns.map((a) => colName(table, a)).join(', ')})=(${values.map((v, i) => this.text(table.columns[positions[i]!]!.type.oid, v)).join(', ')}) is not present in table "${ref.name}".`,
          table: table.name, constraint: fk.name,
        });
      }
    }
  }

  /** Whether the referenced table has a row with these key values (locking it for share). */
  private async lookupReferenced(ref: TableDesc, refColumns: number[], values: Datum[]): Promise<boolean> {
    const layout = layoutOf(ref);
    if (sameSet(refColumns, ref.storageKey)) {
      const row: Datum[] = new Array(ref.columns.length).fill(null);
      refColumns.forEach((a, i) => { row[ref.columns.findIndex((c) => c.attnum === a)] = values[i]!; });
      const key = storageKeyOf(layout, row);
      await this.lock(key, 'share');
      return this.ctx.txn.getLatest(key) !== undefined;
    }
    for (const index of this.facts(ref).indexes) {
      if (!index.unique || !sameSet(index.columns, refColumns)) continue;
      const il = indexLayoutOf(ref, index);
      const row: Datum[] = new Array(ref.columns.length).fill(null);
      refColumns.forEach((a, i) => { row[ref.columns.findIndex((c) => c.attnum === a)] = values[i]!; });
      const entry = this.ctx.txn.getLatest(indexEntryKey(layout, il, row, layout.prefix));
      if (entry === undefined) return false;
      await this.lock(entry, 'share');
      return this.ctx.txn.getLatest(entry) !== undefined;
    }
    return false;
  }

  /** Rows of `child` whose FK columns equal `values` (latest versions), with their keys. */
  private referencingRows(child: TableDesc, fk: ConstraintDesc, values: Datum[]): Array<{ key: Buffer; row: Datum[] }> {
    const layout = layoutOf(child);
    const positions = fk.columns.map((a) => child.columns.findIndex((c) => c.attnum === a));
    const types = positions.map((p) => child.columns[p]!.type.oid);
    const out: Array<{ key: Buffer; row: Datum[] }> = [];
    for (const [key, value] of this.ctx.txn.scan(layout.prefix, layout.prefixEnd)) {
      const row = decodeStoredRow(layout, value);
      if (sameDatums(positions.map((p) => row[p] ?? null), values, types)) out.push({ key: Buffer.from(key), row });
    }
    // Rows committed by others after our snapshot are seen too: re-read the latest versions.
    return out.filter((r) => this.ctx.txn.getLatest(r.key) !== undefined);
  }

  private async applyReferencingOnDelete(table: TableDesc, row: Datum[]): Promise<void> {
    for (const fk of this.facts(table).referencing) {
      const child = this.catalog.table(fk.tableOid)!;
      const values = fk.refColumns.map((a) => row[table.columns.findIndex((c) => c.attnum === a)] ?? null);
      if (values.includes(null)) continue;
      const refs = this.referencingRows(child, fk, values);
      if (refs.length === 0) continue;
      if (fk.onDelete === 'c') {
        for (const r of refs) {
          await this.lock(r.key, 'exclusive');
          const latest = this.ctx.txn.getLatest(r.key);
          if (latest === undefined) continue;
          await this.delete(child, r.key, decodeStoredRow(layoutOf(child), latest));
        }
      } else if (fk.onDelete === 'n' || fk.onDelete === 'd') {
        try {
          await this.setReferencing(child, fk, refs, fk.onDelete === 'd' ? 'default' : 'null', null);
        } catch (e) {
          // SET DEFAULT to a value that is itself gone: PostgreSQL reports the parent's delete.
          if (e instanceof SqlError && e.code === SQLSTATE.FOREIGN_KEY_VIOLATION && fk.onDelete === 'd') {
            throw this.referencedViolation(table, child, fk, values, 'delete');
          }
          throw e;
        }
      } else {
        throw this.referencedViolation(table, child, fk, values, 'delete');
      }
    }
  }

  private async checkReferencingOnChange(table: TableDesc, oldRow: Datum[], newRow: Datum[]): Promise<void> {
    for (const fk of this.facts(table).referencing) {
      const positions = fk.refColumns.map((a) => table.columns.findIndex((c) => c.attnum === a));
      const types = positions.map((p) => table.columns[p]!.type.oid);
      const oldValues = positions.map((p) => oldRow[p] ?? null);
      if (oldValues.includes(null)) continue;
      const newValues = positions.map((p) => newRow[p] ?? null);
      if (sameDatums(oldValues, newValues, types)) continue;
      const child = this.catalog.table(fk.tableOid)!;
      const refs = this.referencingRows(child, fk, oldValues);
      if (refs.length === 0) continue;
      if (fk.onUpdate === 'c') await this.setReferencing(child, fk, refs, 'values', newValues);
      else if (fk.onUpdate === 'n') await this.setReferencing(child, fk, refs, 'null', null);
      else if (fk.onUpdate === 'd') await this.setReferencing(child, fk, refs, 'default', null);
      else throw this.referencedViolation(table, child, fk, oldValues, 'update');
    }
  }

  /** ON DELETE/UPDATE SET NULL / SET DEFAULT / CASCADE (update): rewrites the referencing rows. */
  private async setReferencing(
    child: TableDesc, fk: ConstraintDesc, refs: Array<{ key: Buffer; row: Datum[] }>, how: 'null' | 'default' | 'values', values: Datum[] | null,
  ): Promise<void> {
    const positions = fk.columns.map((a) => child.columns.findIndex((c) => c.attnum === a));
    const defaults = how === 'default' ? fk.columns.map((a) => {
      const d = this.catalog.defaultOf(child, a);
      return d === null ? null : compileExpr(d)([], this.ctx);
    }) : null;
    for (const r of refs) {
      await this.lock(r.key, 'exclusive');
      const latest = this.ctx.txn.getLatest(r.key);
      if (latest === undefined) continue;
      const current = decodeStoredRow(layoutOf(child), latest);
      const newRow = [...current];
      positions.forEach((p, i) => { newRow[p] = how === 'values' ? values![i]! : how === 'default' ? defaults![i]! : null; });
      await this.update(child, r.key, current, newRow, how === 'default');
    }
  }

  private referencedViolation(table: TableDesc, child: TableDesc, fk: ConstraintDesc, values: Datum[], _op: string): SqlError {
    const positions = fk.refColumns.map((a) => table.columns.findIndex((c) => c.attnum === a));
    return new SqlError(SQLSTATE.FOREIGN_KEY_VIOLATION,
      `update or delete on table "${table.name}" violates foreign key constraint "${fk.name}" on table "${child.name}"`, {
        detail: `Key (${fk.refColumns.map((a) => colName(table, a)).join(', ')})=(${values.map((v, i) => this.text(table.columns[positions[i]!]!.type.oid, v)).join(', ')}) is still referenced from table "${child.name}".`,
        table: child.name, constraint: fk.name,
      });
  }

  private uniqueViolation(table: TableDesc, index: IndexDesc | undefined, positions: number[], row: Datum[]): SqlError {
    const name = index?.name ?? `${table.name}_pkey`;
    const cols = positions.map((p) => table.columns[p]!.name).join(', ');
    const vals = positions.map((p) => this.text(table.columns[p]!.type.oid, row[p] ?? null)).join(', ');
    return new SqlError(SQLSTATE.UNIQUE_VIOLATION, `duplicate key value violates unique constraint "${name}"`, {
      detail: `Key (${cols})=(${vals}) already exists.`, table: table.name, constraint: name,
    });
  }

  private text(oid: number, v: Datum): string {
    return v === null ? 'null' : textOut({ oid, typmod: -1 }, v, { timeZone: this.ctx.evalContext.setting('TimeZone') });
  }

  rowText(table: TableDesc, row: Datum[]): string {
    const parts: string[] = [];
    table.columns.forEach((c, i) => { if (!c.dropped) parts.push(this.text(c.type.oid, row[i] ?? null)); });
    return `(${parts.join(', ')})`;
  }
}

/** A freshly encoded Uint8Array as a Buffer over the same memory (handed to the transaction). */
function owned(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.length);
}

function colName(table: TableDesc, attnum: number): string {
  return table.columns.find((c) => c.attnum === attnum)!.name;
}

function primaryIndex(catalog: WriterCatalog, table: TableDesc): IndexDesc | undefined {
  return catalog.indexesOf(table.oid).find((i) => i.primary);
}

/** The primary key index whose entries are the row storage itself (no separate entries). */
export function isStorageIndex(table: TableDesc, index: IndexDesc): boolean {
  return index.primary && sameSet(index.columns, table.storageKey) && index.columns.length === table.storageKey.length;
}

function sameSet(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function sameValues(positions: number[], layout: TableLayout, a: Datum[], b: Datum[]): boolean {
  return sameDatums(positions.map((p) => a[p] ?? null), positions.map((p) => b[p] ?? null), positions.map((p) => layout.types[p]!.oid));
}

function sameDatums(a: Datum[], b: Datum[], types: number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!, y = b[i]!;
    if (x === null || y === null) { if (x !== y) return false; continue; }
    if (compareDatums(types[i]!, x, y) !== 0) return false;
  }
  return true;
}
