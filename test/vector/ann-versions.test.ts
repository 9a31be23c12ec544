// ANN index labels as version windows, in-process over a real store: each label names the commit
// ts window [ts, supersededTs) of the row versions holding its indexed value, for HNSW (usearch),
// the TypeScript graph (L1) and IVFFlat. Updates, deletes and re-inserts across snapshots, a
// build over older versions and over commits arriving meanwhile, checkpoint + replay after a
// crash keeping the windows, old-format checkpoints rebuilt, and purging of superseded labels.
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/storage/index.js';
import { TxnManager } from '../../src/txn/index.js';
import { findAnnOpclass, type IndexDesc, type TableDesc } from '../../src/catalog/index.js';
import { AnnIndexes, layoutOf, storageKeyOf, encodeStoredRow, decodeStoredRow, type LiveAnnIndex } from '../../src/sql/exec/index.js';
import type { Datum } from '../../src/sql/types/index.js';

const TABLE = {
  oid: 70001, name: 't', schemaOid: 2200, kind: 'r', owner: 'quiver', nextAttnum: 4, viewSql: null, rowCountEstimate: -1,
  storageKey: [1], comment: null,
  columns: [
    { name: 'id', attnum: 1, type: { oid: 23, typmod: -1 } },
    { name: 'v', attnum: 2, type: { oid: 16385, typmod: 3 } },
    { name: 'note', attnum: 3, type: { oid: 23, typmod: -1 } },
  ].map((c) => ({ ...c, notNull: false, defaultSql: null, identity: '', sequenceOid: null, dropped: false, missingText: null })),
} as unknown as TableDesc;
const layout = layoutOf(TABLE);

const VARIANTS = [
  { method: 'hnsw', opclass: 'vector_l2_ops' },
  { method: 'hnsw', opclass: 'vector_l1_ops' },
  { method: 'ivfflat', opclass: 'vector_l2_ops' },
] as const;

const vec = (x: number): Float32Array => Float32Array.of(x, x, x);
const keyOf = (id: number): Buffer => storageKeyOf(layout, [id, null, null]);

interface Env { dir: string; store: Store; txns: TxnManager; ann: AnnIndexes }
const envs: Env[] = [];
const dirs: string[] = [];

function openEnv(dir: string): Env {
  const store = Store.open({ path: dir, noSync: true });
  const txns = new TxnManager(store);
  const env = { dir, store, txns, ann: new AnnIndexes(txns) };
  envs.push(env);
  return env;
}
function freshEnv(): Env {
  const dir = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'quiver-ann-versions-'));
  dirs.push(dir);
  return openEnv(dir);
}
afterEach(async () => {
  for (const e of envs.splice(0)) { e.ann.close(); await e.store.close(); }
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Commits one batch at ts: [id, vector x or null, note] puts and deleted ids. */
async function commit(env: Env, ts: bigint, puts: Array<[number, number | null, number]>, deletes: number[] = []): Promise<void> {
  await env.store.apply({
    commitTs: ts,
    puts: puts.map(([id, x, note]) => [keyOf(id), encodeStoredRow(layout, [id, x === null ? null : vec(x), note])]),
    deletes: deletes.map(keyOf),
  });
}

function indexArgs(variant: typeof VARIANTS[number]): Parameters<AnnIndexes['open']>[0] {
  const desc = {
    oid: 70002, name: 't_idx', tableOid: TABLE.oid, schemaOid: 2200, columns: [2], descending: [false], nullsFirst: [false],
    unique: false, primary: false, method: variant.method, opclasses: [variant.opclass], options: { lists: '2' }, constraintOid: null,
  } as IndexDesc;
  return { dbOid: 1, table: TABLE, desc, opclass: findAnnOpclass(variant.method, variant.opclass)!, dimensions: 3, keyOf: (row: Datum[]) => row[1] ?? null };
}

async function build(env: Env, variant: typeof VARIANTS[number]): Promise<LiveAnnIndex> {
  const creator = env.txns.begin();
  const h = await env.ann.build({ ...indexArgs(variant), creator, pid: 1 });
  h.creator = null;
  creator.rollback();
  return h;
}

/** What snapshot s sees of row id through the index: [vector x, note] per visible label. */
function seen(h: LiveAnnIndex, id: number, s: bigint): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const label of h.byKey.get(keyOf(id).toString('latin1')) ?? []) {
    const bytes = h.readRow(h.entry(label)!, s);
    if (bytes === undefined) continue;
    const row = decodeStoredRow(layout, bytes);
    out.push([(row[1] as Float32Array)[0]!, row[2] as number]);
  }
  return out;
}

/** The labels' windows, independent of label numbers. */
function windows(h: LiveAnnIndex): string[] {
  return [...h.labels.values()].map((e) => `${e.key.toString('hex')} ${e.hash} ${e.ts}-${e.lastTs} until ${e.supersededTs ?? '-'}`).sort();
}

/** The nearest row ids to vector x that snapshot s sees, as a scan finds them. */
function nearest(h: LiveAnnIndex, x: number, s: bigint, k: number): number[] {
  const hits = h.structure.search(vec(x), 20, { efSearch: 40, probes: 2 });
  const ids: number[] = [];
  for (const label of hits.labels) {
    const e = h.entry(label);
    const bytes = e === undefined ? undefined : h.readRow(e, s);
    if (bytes !== undefined) ids.push(decodeStoredRow(layout, bytes)[0] as number);
  }
  return ids.slice(0, k);
}

describe.each(VARIANTS)('version windows ($method $opclass)', (variant) => {
  it('update of other columns, vector update, NULL, delete and re-insert: each snapshot sees its version', async () => {
    const env = freshEnv();
    await commit(env, 10n, [[1, 5, 0], [2, 50, 0], [3, 60, 0]]);
    const h = await build(env, variant);
    await commit(env, 20n, [[1, 5, 1]]); // same vector, other column: the label's window grows
    await commit(env, 30n, [[1, 7, 2]]); // new vector: a new label, the old one ends at 30
    await commit(env, 40n, [], [1]);
    await commit(env, 50n, [[1, 5, 3]]); // re-inserted with the first vector: a third label
    await commit(env, 60n, [[2, null, 0]]); // indexed value NULL: row 2 leaves the index
    expect(seen(h, 1, 9n)).toEqual([]);
    expect(seen(h, 1, 10n)).toEqual([[5, 0]]);
    expect(seen(h, 1, 25n)).toEqual([[5, 1]]);
    expect(seen(h, 1, 30n)).toEqual([[7, 2]]);
    expect(seen(h, 1, 39n)).toEqual([[7, 2]]);
    expect(seen(h, 1, 40n)).toEqual([]);
    expect(seen(h, 1, 49n)).toEqual([]);
    expect(seen(h, 1, 50n)).toEqual([[5, 3]]);
    expect(seen(h, 1, 99n)).toEqual([[5, 3]]);
    expect(seen(h, 2, 59n)).toEqual([[50, 0]]);
    expect(seen(h, 2, 60n)).toEqual([]);
    expect(h.labels.size).toBe(5);
    expect(nearest(h, 5, 15n, 2)).toEqual([1, 2]);
    expect(nearest(h, 5, 35n, 2)).toEqual([1, 2]); // row 1 once, by its vector at 35
    expect(nearest(h, 7, 35n, 1)).toEqual([1]);
    expect(nearest(h, 5, 45n, 1)).toEqual([2]);
    expect(nearest(h, 5, 60n, 2)).toEqual([1, 3]);
  });

  it('a build gives each label the start of its run of equal values; commits during the build are applied after it', async () => {
    const env = freshEnv();
    await commit(env, 10n, [[1, 5, 0], [2, 6, 0], [3, 7, 0]]);
    await commit(env, 20n, [[1, 5, 1], [2, 8, 0]]);
    const pending = build(env, variant);
    const during = commit(env, 30n, [[3, 9, 0], [4, 10, 0]], [2]);
    const h = await pending;
    await during;
    expect(seen(h, 1, 10n)).toEqual([[5, 0]]);
    expect(seen(h, 1, 20n)).toEqual([[5, 1]]);
    expect(seen(h, 2, 10n)).toEqual([]); // row 2's first vector was superseded before the build
    expect(seen(h, 2, 20n)).toEqual([[8, 0]]);
    expect(seen(h, 2, 30n)).toEqual([]);
    expect(seen(h, 3, 20n)).toEqual([[7, 0]]);
    expect(seen(h, 3, 30n)).toEqual([[9, 0]]);
    expect(seen(h, 4, 30n)).toEqual([[10, 0]]);
    expect(h.appliedTs).toBe(30n);
  });

  it('commits that land between build chunks apply after the rows read at the build snapshot', async () => {
    const env = freshEnv();
    const N = 300;
    await commit(env, 10n, Array.from({ length: N }, (_, i): [number, number, number] => [i, i, 0]));
    env.ann.buildChunk = 1;
    // Committed while the build runs (its snapshot is 10): each lands between two chunks.
    const later = [
      commit(env, 20n, [[N - 1, 1000, 1], [N - 2, N - 2, 1]], [N - 3]),
      commit(env, 30n, [[N - 1, 2000, 2], [N + 1, 5000, 0]]),
    ];
    const h = await build(env, variant);
    await Promise.all(later);
    expect(seen(h, N - 1, 10n)).toEqual([[N - 1, 0]]);
    expect(seen(h, N - 1, 20n)).toEqual([[1000, 1]]);
    expect(seen(h, N - 1, 30n)).toEqual([[2000, 2]]);
    expect(seen(h, N - 2, 10n)).toEqual([[N - 2, 0]]);
    expect(seen(h, N - 2, 30n)).toEqual([[N - 2, 1]]);
    expect(seen(h, N - 3, 10n)).toEqual([[N - 3, 0]]);
    expect(seen(h, N - 3, 20n)).toEqual([]);
    expect(seen(h, N + 1, 30n)).toEqual([[5000, 0]]);
    expect(h.labels.size).toBe(N + 3);
  });

  it('a checkpoint plus replay after a crash keeps every window; an old-format checkpoint is rebuilt', async () => {
    const env = freshEnv();
    await commit(env, 10n, [[1, 5, 0], [2, 6, 0], [3, 7, 0]]);
    const h = await build(env, variant);
    await commit(env, 20n, [[1, 8, 0]]);
    await commit(env, 30n, [], [2]);
    env.ann.checkpoint(h);
    // After the checkpoint: replayed from the store's versions on open.
    await commit(env, 40n, [[1, 9, 0], [3, 7, 1]]);
    await commit(env, 50n, [[1, 9, 2]], [3]);
    await commit(env, 60n, [[2, 6, 0]]);
    await env.store.apply({ commitTs: 70n, puts: [[Buffer.from([0xfe, 1]), Buffer.from([1])]], deletes: [] }); // another table
    const before = windows(h);
    // Crash: the index is not closed (no checkpoint on the way out).
    envs.splice(envs.indexOf(env), 1);
    await env.store.close();
    const env2 = openEnv(env.dir);
    const h2 = await env2.ann.open(indexArgs(variant));
    expect(h2.openedFrom).toBe('checkpoint');
    expect(h2.replayed).toBe(5);
    expect(h2.appliedTs).toBe(70n); // so that snapshots at 70 need no fallback to reading by value
    expect(windows(h2)).toEqual(before);
    expect(seen(h2, 1, 25n)).toEqual([[8, 0]]);
    expect(seen(h2, 1, 45n)).toEqual([[9, 0]]);
    expect(seen(h2, 1, 55n)).toEqual([[9, 2]]);
    expect(seen(h2, 2, 35n)).toEqual([]);
    expect(seen(h2, 2, 60n)).toEqual([[6, 0]]);
    expect(seen(h2, 3, 45n)).toEqual([[7, 1]]);
    expect(seen(h2, 3, 50n)).toEqual([]);
    expect(nearest(h2, 5, 60n, 3)).toEqual([2, 1]);

    // A labels file without version windows (the previous format: count first) is not trusted.
    env2.ann.close();
    const meta = JSON.parse(fs.readFileSync(nodePath.join(env.dir, 'ann', '70002.meta'), 'utf8')) as { gen: number };
    const labelsPath = nodePath.join(env.dir, 'ann', `70002.${meta.gen}.labels`);
    const old = Buffer.alloc(4);
    old.writeUInt32LE(0, 0);
    fs.writeFileSync(labelsPath, old);
    envs.splice(envs.indexOf(env2), 1);
    await env2.store.close();
    const env3 = openEnv(env.dir);
    const h3 = await env3.ann.open(indexArgs(variant));
    expect(h3.openedFrom).toBe('build');
    expect(seen(h3, 1, 60n)).toEqual([[9, 2]]);
    expect(seen(h3, 2, 60n)).toEqual([[6, 0]]);
    expect(h3.labels.size).toBe(2);
  });

  it('purges a superseded label once no snapshot older than its end remains, and labels whose version was collected', async () => {
    const env = freshEnv();
    await commit(env, 10n, [[1, 5, 0], [2, 6, 0]]);
    const h = await build(env, variant);
    const reader = env.txns.begin({ isolation: 'repeatable read' });
    reader.refreshSnapshot();
    expect(reader.snapshotTs).toBe(10n);
    await commit(env, 20n, [[1, 8, 0]], [2]);
    expect(env.ann.purge()).toBe(0);
    expect(seen(h, 1, reader.snapshotTs)).toEqual([[5, 0]]);
    expect(seen(h, 2, reader.snapshotTs)).toEqual([[6, 0]]);
    expect(nearest(h, 5, reader.snapshotTs, 2)).toEqual([1, 2]);
    reader.rollback();
    expect(env.ann.purge()).toBe(2);
    expect(windows(h)).toEqual([`${keyOf(1).toString('hex')} ${h.entry([...h.labels.keys()][0]!)!.hash} 20-20 until -`]);
    expect(nearest(h, 5, 20n, 2)).toEqual([1]);
    // A version the index still thinks current but the collector removed (missed while it was not
    // running): skipped by the exact read, removed by a forced purge.
    const e = h.entry([...h.labels.keys()][0]!)!;
    e.lastTs = 15n;
    expect(seen(h, 1, 20n)).toEqual([]);
    expect(env.ann.purge()).toBe(0);
    expect(env.ann.purge(true)).toBe(1);
    expect(h.labels.size).toBe(0);
  });
});
