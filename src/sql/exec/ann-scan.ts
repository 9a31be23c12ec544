// The ANN index scan: asks the index for the nearest labels to the query, keeps the candidates
// whose row version the transaction's snapshot sees (and that pass the scan's filter), merges the
// transaction's own uncommitted rows by their exact distance, and searches further ("iterative
// scan") while the consumer still wants rows. With iterative scanning left at its default, a
// search that reaches its tuple budget finishes with an exact pass over the rows not yet
// returned, so a filtered query returns k rows whenever k rows match.
import { SqlError, SQLSTATE } from '../../base/index.js';
import type { PlanNode } from '../plan/index.js';
import type { Datum } from '../types/index.js';
import { OID, compareFloat, isSparseVec, isBitString, decodeKeyDatums } from '../types/index.js';
import { compileExpr, compilePredicate, type Row } from './compile-expr.js';
import { tick, pauseDue, PAUSE, type ExecContext } from './exec-context.js';
import { layoutOf, decodeStoredRow, decodeStoredColumns, type TableLayout } from './table-codec.js';
import { windowPair, type LiveAnnIndex, type LabelEntry } from './ann-indexes.js';
import type { AnnHits } from '../../vector/index.js';

type AnnScanNode = Extract<PlanNode, { op: 'annscan' }>;

type IterativeMode = 'off' | 'relaxed_order' | 'strict_order' | 'auto';

function iterativeMode(ctx: ExecContext, method: string): IterativeMode {
  const name = `${method}.iterative_scan`;
  if (ctx.settingIsDefault?.(name) !== false) return 'auto';
  return ctx.evalContext.setting(name) as IterativeMode;
}

function intSetting(ctx: ExecContext, name: string, fallback: number): number {
  const n = Number(ctx.evalContext.setting(name));
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

export function* annScan(node: AnnScanNode, ctx: ExecContext): Iterable<Row> {
  const live = ctx.annIndexes?.get(node.index.oid);
  if (live === undefined) {
    throw new SqlError(SQLSTATE.OBJECT_NOT_IN_PREREQUISITE_STATE, `index "${node.index.name}" is not loaded`);
  }
  const layout = layoutOf(node.table);
  ctx.txn.noteRangeRead(layout.prefix, layout.prefixEnd);
  const pred = compilePredicate(node.filter);
  const distanceOf = compileExpr(node.orderExpr);
  const withKey = node.withKey;
  const passes = (row: Row): boolean => pred === null || pred(row, ctx);
  const emit = (key: Buffer, row: Row): Row | null => {
    if (!passes(row)) return null;
    if (withKey) row.push(Buffer.from(key));
    return row;
  };

  // The transaction's own changes are not in the index (it holds committed versions only).
  const own = ctx.txn.ownWrites(layout.prefix, layout.prefixEnd);
  const ownKeys = new Set(own.map((w) => w.key.toString('latin1')));
  const ownRows = own.filter((w) => w.value !== null).map((w) => {
    const row = decodeStoredRow(layout, w.value!);
    return { key: w.key, row, distance: distanceOf(row, ctx) as number | null };
  }).sort((a, b) => cmpDistance(a.distance, b.distance));
  let ownAt = 0;

  const queryValue = compileExpr(node.query)([], ctx);
  const q = live.toIndexVector(queryValue);
  const seenKeys = new Set<string>();
  // Candidates are read straight from the committed store (the range read is already noted for
  // serializable checks): a label says by its version window whether the snapshot sees its row.
  const snapshotTs = ctx.txn.snapshotTs;
  const [snapHi, snapLo] = windowPair(snapshotTs);
  // Only the columns the plan reads above the scan (set by the planner); own rows and the exact
  // pass decode whole rows, a superset.
  const columns = node.columns;
  // When those are all storage-key (PRIMARY KEY) columns, a candidate whose label window says the
  // snapshot sees it is answered from the label's key alone (an index-only scan).
  const keyOnly = keyOnlyColumns(layout, columns) && labelsExact(live, ctx.txn.snapshotTs);
  if (q === null) {
    // A NULL (or, for cosine, zero) query has no nearest neighbours: every distance is NULL or NaN.
    yield* exactPass(node, ctx, live, seenKeys, ownKeys, ownRows, passes, emit);
    return;
  }
  checkQueryDimensions(live, queryValue);
  const method = node.index.method;
  const mode = iterativeMode(ctx, method);
  const efSearch = intSetting(ctx, 'hnsw.ef_search', 40);
  const maxTuples = intSetting(ctx, 'hnsw.max_scan_tuples', 20000);
  const maxProbes = intSetting(ctx, 'ivfflat.max_probes', 32768);
  let probes = intSetting(ctx, 'ivfflat.probes', 1);
  const lists = Number(node.index.options?.lists ?? 100);
  // With iterative scanning turned off on purpose an HNSW scan returns at most ef_search rows, as
  // pgvector's does; otherwise the first search asks for at least LIMIT candidates.
  let count = method === 'hnsw' && mode === 'off' ? efSearch : Math.max(method === 'hnsw' ? efSearch : 100, node.limitHint ?? 0, 1);
  // Left at its default, iterative search goes on only while it is cheaper than finishing with an
  // exact pass (a few percent of the index); set explicitly, it obeys hnsw.max_scan_tuples.
  const budget = mode === 'auto' ? Math.min(maxTuples, Math.max(count * 4, Math.ceil(live.structure.size() / 20))) : maxTuples;
  // Labels returned by earlier (smaller) searches of this scan: one search's labels are distinct,
  // so the set is only filled and consulted from the second search on.
  const seenLabels = new Set<number>();
  let previous: AnnHits | null = null;
  let exhausted = false;
  let first = true;
  for (;;) {
    const params = { efSearch: Math.max(efSearch, method === 'hnsw' ? count : 0), probes };
    let batched: AnnHits | undefined;
    if (first && ctx.asyncWaits === true && method === 'hnsw' && live.canBatch && !live.searchInline()) {
      ctx.pending = live.requestSearch(q, count, params.efSearch).then((h) => { batched = h; });
      yield PAUSE;
      ctx.pending = undefined;
    }
    first = false;
    const hits = batched ?? live.structure.search(q, count, params);
    if (previous !== null) for (let j = 0; j < previous.labels.length; j++) seenLabels.add(previous.labels[j]!);
    const repeats = previous !== null;
    previous = hits;
    const n = hits.labels.length;
    for (let i = 0; i < n; i++) {
      tick(ctx);
      if (pauseDue(ctx)) yield PAUSE;
      const label = hits.labels[i]!;
      if (repeats && seenLabels.has(label)) continue;
      const entry = live.entry(label);
      if (entry === undefined) continue;
      if (keyOnly && !windowSees(entry, snapHi, snapLo)) continue;
      const ks = entry.ks;
      if (seenKeys.has(ks) || (ownKeys.size !== 0 && ownKeys.has(ks))) continue;
      let row: Row;
      if (keyOnly) {
        row = rowFromKey(layout, entry);
      } else {
        const bytes = live.readRow(entry, snapshotTs);
        if (bytes === undefined) continue;
        row = columns === undefined ? decodeStoredRow(layout, bytes) : decodeStoredColumns(layout, bytes, columns);
      }
      seenKeys.add(ks);
      const d = hits.distances[i]!;
      while (ownAt < ownRows.length && cmpDistance(ownRows[ownAt]!.distance, d) <= 0) {
        const o = ownRows[ownAt++]!;
        const r = emit(o.key, o.row);
        if (r !== null) yield r;
      }
      const r = emit(entry.key, row);
      if (r !== null) yield r;
    }
    if (method === 'hnsw') {
      exhausted = n < count;
      if (exhausted || mode === 'off' || count >= budget) break;
      count = Math.min(count * 2, budget);
    } else if (n === count) {
      count *= 2; // more rows in the lists already probed
    } else {
      exhausted = probes >= lists;
      if (exhausted || mode === 'off' || probes >= maxProbes) break;
      probes = Math.min(probes * 2, maxProbes, lists);
    }
  }
  while (ownAt < ownRows.length) {
    const o = ownRows[ownAt++]!;
    const r = emit(o.key, o.row);
    if (r !== null) yield r;
  }
  if (mode === 'auto' && !exhausted) {
    // The budget ran out before the consumer had enough: finish exactly over the rest.
    yield* exactPass(node, ctx, live, seenKeys, ownKeys, [], passes, emit);
  }
}

/** Storage-key types whose key encoding decodes to the very datum the row holds. */
const KEY_DECODABLE = new Set<number>([OID.int2, OID.int4, OID.int8]);

/** True when every column the scan must produce is a storage-key column of a decodable type. */
function keyOnlyColumns(layout: TableLayout, columns: readonly number[] | undefined): boolean {
  if (columns === undefined || layout.keyPositions.length === 0) return false;
  if (!layout.keyTypes.every((t) => KEY_DECODABLE.has(t.oid))) return false;
  return columns.every((c) => layout.keyPositions.includes(c));
}

/**
 * Whether label windows alone decide visibility now (LiveAnnIndex.readRow's first test): the
 * index has applied every commit up to the newest snapshot, is not being built, and has been
 * checked against the store since a restart (verifyAll). Otherwise candidates are read.
 */
function labelsExact(live: LiveAnnIndex, snapshotTs: bigint): boolean {
  return snapshotTs <= live.appliedTs && live.committed !== null && live.creator === null && live.loading === null && !live.verifyAll;
}

/** The snapshot sees the label's row version (its commit-ts window contains the snapshot). */
function windowSees(e: LabelEntry, snapHi: number, snapLo: number): boolean {
  return (snapHi > e.fromHi || (snapHi === e.fromHi && snapLo >= e.fromLo))
    && (snapHi < e.toHi || (snapHi === e.toHi && snapLo < e.toLo));
}

/** A row holding only the storage-key columns, decoded from the label's key. */
function rowFromKey(layout: TableLayout, e: LabelEntry): Row {
  const k = e.key;
  const p = layout.prefix.length;
  const values = decodeKeyDatums(layout.keyTypes, new Uint8Array(k.buffer, k.byteOffset + p, k.length - p));
  const row: Row = new Array<Datum>(layout.types.length).fill(null);
  for (let j = 0; j < layout.keyPositions.length; j++) row[layout.keyPositions[j]!] = values[j]!;
  return row;
}

/** The distance operators' error for a query of the wrong size, as pgvector raises it. */
function checkQueryDimensions(live: LiveAnnIndex, q: Datum): void {
  const want = live.dimensions;
  if (want <= 0 || q === null) return;
  let got: number;
  if (q instanceof Float32Array) got = q.length;
  else if (isSparseVec(q)) got = q.dim;
  else if (isBitString(q)) got = q.length;
  else return;
  if (got === want) return;
  const type = live.opclass.typeName;
  throw new SqlError(SQLSTATE.DATA_EXCEPTION, type === 'bit' ? `different bit lengths ${want} and ${got}` : `different ${type} dimensions ${want} and ${got}`);
}

function cmpDistance(a: number | null, b: number | null): number {
  if (a === null) return b === null ? 0 : 1;
  if (b === null) return -1;
  return compareFloat(a, b);
}

/** Every visible row not yet returned, by exact distance (NULL distances last). */
function* exactPass(
  node: AnnScanNode, ctx: ExecContext, live: LiveAnnIndex, seenKeys: Set<string>, ownKeys: Set<string>,
  ownRows: Array<{ key: Buffer; row: Row; distance: number | null }>, passes: (row: Row) => boolean,
  emit: (key: Buffer, row: Row) => Row | null,
): Iterable<Row> {
  const layout = live.layout;
  const distanceOf = compileExpr(node.orderExpr);
  const rest: Array<{ key: Buffer; row: Row; distance: number | null }> = [...ownRows];
  for (const [key, value] of ctx.txn.scan(layout.prefix, layout.prefixEnd)) {
    tick(ctx);
    if (pauseDue(ctx)) yield PAUSE;
    const ks = key.toString('latin1');
    if (seenKeys.has(ks) || ownKeys.has(ks)) continue;
    const row = decodeStoredRow(layout, value);
    if (!passes(row)) continue;
    rest.push({ key: Buffer.from(key), row, distance: distanceOf(row, ctx) as number | null });
  }
  rest.sort((a, b) => cmpDistance(a.distance, b.distance));
  for (const r of rest) {
    const out = emit(r.key, r.row);
    if (out !== null) yield out;
  }
}

export type { Datum };
