// Store tests: MVCC reads at every snapshot against an in-memory model over random batch
// histories (before and after GC), group commit, idempotent apply, restart recovery, read-txn renewal.
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KeyWriter } from '../keys/index.js';
import { Store, type WriteBatch } from './index.js';

const k = (n: number): Buffer => new KeyWriter().uint(n).finish();
const v = (s: string): Buffer => Buffer.from(s);
const str = (b: Buffer | undefined): string | undefined => (b === undefined ? undefined : b.toString());

const opened: Store[] = [];
function mem(): Store { const s = Store.open({ memory: true }); opened.push(s); return s; }
afterEach(async () => { for (const s of opened.splice(0)) await s.close(); });

describe('Store basics', () => {
  it('reads the newest version at or below the snapshot; tombstones hide', async () => {
    const s = mem();
    await s.apply({ commitTs: 10n, puts: [[k(1), v('a1')], [k(2), v('b1')]], deletes: [] });
    await s.apply({ commitTs: 20n, puts: [[k(1), v('a2')]], deletes: [k(2)] });
    expect(s.visibleTs()).toBe(20n);
    expect(str(s.get(k(1), 9n))).toBeUndefined();
    expect(str(s.get(k(1), 10n))).toBe('a1');
    expect(str(s.get(k(1), 19n))).toBe('a1');
    expect(str(s.get(k(1), 20n))).toBe('a2');
    expect(str(s.get(k(2), 15n))).toBe('b1');
    expect(str(s.get(k(2), 20n))).toBeUndefined();
    expect(s.latestVersionTs(k(2))).toBe(20n);
    expect(s.latestVersionTs(k(3))).toBeUndefined();
    expect([...s.scan(k(0), k(9), 15n)].map(([a, b]) => [a.toString('hex'), b.toString()]))
      .toEqual([[k(1).toString('hex'), 'a1'], [k(2).toString('hex'), 'b1']]);
    expect([...s.scan(k(0), undefined, 20n, { reverse: true })].map(([, b]) => b.toString())).toEqual(['a2']);
  });

  it('getVersion reads exactly the version committed at ts: not a neighbour, not a tombstone, not a collected one', async () => {
    const s = mem();
    await s.apply({ commitTs: 10n, puts: [[k(1), v('a1')]], deletes: [] });
    await s.apply({ commitTs: 20n, puts: [[k(1), v('a2')], [k(2), v('b2')]], deletes: [] });
    await s.apply({ commitTs: 30n, puts: [], deletes: [k(1)] });
    expect(str(s.getVersion(k(1), 10n))).toBe('a1');
    expect(str(s.getVersion(k(1), 20n))).toBe('a2');
    expect(s.getVersion(k(1), 15n)).toBeUndefined();
    expect(s.getVersion(k(1), 30n)).toBeUndefined();
    expect(s.getVersion(k(2), 10n)).toBeUndefined();
    expect(str(s.getVersion(k(2), 20n))).toBe('b2');
    expect(s.getVersion(k(3), 20n)).toBeUndefined();
    await s.gc(30n);
    expect(s.getVersion(k(1), 10n)).toBeUndefined();
    expect(s.getVersion(k(1), 20n)).toBeUndefined();
    expect(str(s.getVersion(k(2), 20n))).toBe('b2');
  });

  it('latestState tells a deleted key from one never written; lastKeyIn sees every stored key', async () => {
    const s = mem();
    expect(s.lastKeyIn(k(0), k(99))).toBeUndefined();
    await s.apply({ commitTs: 10n, puts: [[k(1), v('a1')], [k(5), v('e1')]], deletes: [] });
    await s.apply({ commitTs: 20n, puts: [], deletes: [k(5)] });
    expect(str(s.latestState(k(1)) ?? undefined)).toBe('a1');
    expect(s.latestState(k(5))).toBeNull();
    expect(s.latestState(k(3))).toBeUndefined();
    // the deleted key 5 still has versions, so it bounds the range
    expect(s.lastKeyIn(k(0), k(99))!.equals(k(5))).toBe(true);
    expect(s.lastKeyIn(k(0), k(5))!.equals(k(1))).toBe(true);
    expect(s.lastKeyIn(k(2), k(5))).toBeUndefined();
  });

  it('group-commits applies of one event turn into one LMDB transaction', async () => {
    const s = mem();
    const before = s.applyTxns;
    await Promise.all(Array.from({ length: 50 }, (_, i) =>
      s.apply({ commitTs: BigInt(i + 1), puts: [[k(i), v(`x${i}`)]], deletes: [] })));
    expect(s.applyTxns - before).toBe(1);
    expect(s.visibleTs()).toBe(50n);
    expect([...s.scan(k(0), undefined, 50n)].length).toBe(50);
  });

  it('apply is idempotent', async () => {
    const s = mem();
    const b: WriteBatch = { commitTs: 5n, puts: [[k(1), v('a')]], deletes: [k(2)] };
    await s.apply(b);
    const once = [...s.rawVersions()].map((r) => [r.key.toString('hex'), r.ts, r.tombstone, str(r.value)]);
    await s.apply(b);
    const twice = [...s.rawVersions()].map((r) => [r.key.toString('hex'), r.ts, r.tombstone, str(r.value)]);
    expect(twice).toEqual(once);
    expect(once.length).toBe(2);
  });

  it('a read right after apply resolves sees the new data (read txn renewed)', async () => {
    const s = mem();
    await s.apply({ commitTs: 1n, puts: [[k(1), v('a')]], deletes: [] });
    for (let i = 2; i < 20; i++) {
      expect(str(s.get(k(1), s.visibleTs()))).toBe(String.fromCharCode(95 + i));
      const it = s.scan(k(0), undefined, s.visibleTs());
      it.next(); // keep an iterator (and its read txn) open across the write
      await s.apply({ commitTs: BigInt(i), puts: [[k(1), v(String.fromCharCode(96 + i))]], deletes: [] });
      expect(str(s.get(k(1), s.visibleTs()))).toBe(String.fromCharCode(96 + i));
      expect([...s.scan(k(0), undefined, s.visibleTs())].map(([, x]) => x.toString())).toEqual([String.fromCharCode(96 + i)]);
      it.return(undefined);
    }
  });

  it('visibility follows commitTs order and apply listeners see batches in order', async () => {
    const s = mem();
    const seen: bigint[] = [];
    s.onApply((b) => seen.push(b.commitTs));
    await Promise.all([
      s.apply({ commitTs: 3n, puts: [[k(3), v('c')]], deletes: [] }),
      s.apply({ commitTs: 1n, puts: [[k(1), v('a')]], deletes: [] }),
      s.apply({ commitTs: 2n, puts: [[k(2), v('b')]], deletes: [] }),
    ]);
    expect(seen).toEqual([1n, 2n, 3n]);
    expect(s.visibleTs()).toBe(3n);
  });

  it('restart recovers data and the highest applied ts; memory mode removes its directory', async () => {
    const dir = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'quiverdb-store-test-'));
    try {
      const s1 = Store.open({ path: dir });
      await s1.apply({ commitTs: 7n, puts: [[k(1), v('a')]], deletes: [] });
      await s1.apply({ commitTs: 4n, puts: [[k(2), v('b')]], deletes: [] });
      await s1.close();
      const s2 = Store.open({ path: dir });
      expect(s2.highestAppliedTs()).toBe(7n);
      expect(s2.visibleTs()).toBe(7n);
      expect(str(s2.get(k(1), 7n))).toBe('a');
      expect(str(s2.get(k(2), 7n))).toBe('b');
      await s2.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const m = Store.open({ memory: true });
    expect(fs.existsSync(m.path)).toBe(true);
    await m.close();
    expect(fs.existsSync(m.path)).toBe(false);
  });

  it('dropped ranges stay readable for older snapshots and are purged (durably recorded) once none remain', async () => {
    const dir = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'quiverdb-store-test-'));
    try {
      const s1 = Store.open({ path: dir });
      await s1.apply({ commitTs: 10n, puts: [[k(1), v('a')], [k(2), v('b')], [k(3), v('c')], [k(9), v('z')]], deletes: [] });
      await s1.apply({ commitTs: 12n, puts: [[k(2), v('b2')]], deletes: [] });
      await s1.apply({ commitTs: 20n, puts: [[k(3), v('c3')]], deletes: [], dropRanges: [[k(2), k(5)]] });
      expect(s1.droppedRanges().map((d) => [d.ts, d.start.equals(k(2)), d.end.equals(k(5))])).toEqual([[20n, true, true]]);
      // a snapshot before the drop still reads the range
      expect([...s1.scan(k(0), k(99), 15n)].map(([, b]) => b.toString())).toEqual(['a', 'b2', 'c', 'z']);
      expect(await s1.purgeDropped(19n)).toBe(0);
      await s1.close();
      const s2 = Store.open({ path: dir });
      expect(s2.droppedRanges()).toHaveLength(1);
      // every version in [k(2), k(5)) goes, including the one written by the dropping batch itself
      expect(await s2.purgeDropped(20n, 2, 1)).toBe(2); // one transaction of 2 at most
      expect(s2.droppedRanges()).toHaveLength(1);
      expect(await s2.purgeDropped(20n, 2)).toBe(2);
      expect(s2.droppedRanges()).toHaveLength(0);
      expect([...s2.rawVersions()].map((r) => r.key.equals(k(1)) || r.key.equals(k(9)))).toEqual([true, true]);
      expect(await s2.purgeDropped(100n)).toBe(0);
      await s2.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects oversized keys without applying anything', async () => {
    const s = mem();
    await expect(s.apply({ commitTs: 1n, puts: [[k(1), v('a')], [Buffer.alloc(5000, 1), v('b')]], deletes: [] }))
      .rejects.toMatchObject({ code: '54000' });
    expect([...s.rawVersions()]).toEqual([]);
  });
});

// ---- model-based property test ----
type Op = { key: number; value: string | null };
type History = Op[][];
const keyIds = [0, 1, 2, 3, 5, 8, 300, 70000];
const historyArb: fc.Arbitrary<History> = fc.array(
  fc.array(fc.record({ key: fc.constantFrom(...keyIds), value: fc.option(fc.string({ maxLength: 3 }), { freq: 3 }) }),
    { minLength: 1, maxLength: 4 }),
  { minLength: 1, maxLength: 12 });

/** Model: key -> versions [ts, value|null] ascending. */
function modelRead(h: History, key: number, ts: number): string | undefined {
  let out: string | undefined;
  h.forEach((batch, i) => {
    if (i + 1 > ts) return;
    for (const op of batch) if (op.key === key) out = op.value ?? undefined;
  });
  return out;
}
function batchOf(ops: Op[], ts: number): WriteBatch {
  const last = new Map<number, string | null>();
  for (const op of ops) last.set(op.key, op.value);
  const b: WriteBatch = { commitTs: BigInt(ts), puts: [], deletes: [] };
  for (const [key, value] of last) {
    if (value === null) b.deletes.push(k(key)); else b.puts.push([k(key), v(value)]);
  }
  return b;
}
function checkAll(s: Store, h: History, fromTs: number, bounds: [number, number], limit: number): void {
  const sorted = [...keyIds].sort((a, b) => a - b);
  for (let ts = fromTs; ts <= h.length; ts++) {
    for (const key of keyIds) expect(str(s.get(k(key), BigInt(ts)))).toBe(modelRead(h, key, ts));
    const [lo, hi] = bounds;
    const expected = sorted.filter((x) => x >= lo && x < hi)
      .map((x) => [x, modelRead(h, x, ts)] as const).filter(([, val]) => val !== undefined)
      .map(([x, val]) => `${x}=${val}`);
    const got = [...s.scan(k(lo), k(hi), BigInt(ts))].map(([kk, val]) => `${keyIds.find((x) => k(x).equals(kk))}=${val.toString()}`);
    expect(got).toEqual(expected);
    expect(s.count(k(lo), k(hi), BigInt(ts))).toBe(expected.length);
    const gotRev = [...s.scan(k(lo), k(hi), BigInt(ts), { reverse: true, limit })].map(([kk, val]) => `${keyIds.find((x) => k(x).equals(kk))}=${val.toString()}`);
    expect(gotRev).toEqual([...expected].reverse().slice(0, limit));
    const gotLim = [...s.scan(k(lo), undefined, BigInt(ts), { limit })].length;
    expect(gotLim).toBe(Math.min(limit, sorted.filter((x) => x >= lo && modelRead(h, x, ts) !== undefined).length));
  }
}

describe('Store MVCC model', () => {
  it('every snapshot read matches the model, before and after GC', async () => {
    await fc.assert(fc.asyncProperty(historyArb, fc.nat(), fc.constantFrom(0, 1, 2, 5, 300), fc.constantFrom(1, 2, 3, 100, 80000),
      fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }),
      async (h, gcPick, lo, hi, limit, chunk) => {
        const s = Store.open({ memory: true });
        try {
          // apply in groups of concurrent applies
          for (let i = 0; i < h.length; i += 3) {
            await Promise.all(h.slice(i, i + 3).map((ops, j) => s.apply(batchOf(ops, i + j + 1))));
          }
          expect(s.visibleTs()).toBe(BigInt(h.length));
          checkAll(s, h, 0, [lo, hi], limit);
          const oldest = gcPick % (h.length + 1);
          await s.gc(BigInt(oldest), { chunkEntries: chunk });
          checkAll(s, h, oldest, [lo, hi], limit);
          // after GC: per key at most one version <= oldest, and it is not a tombstone
          const old = [...s.rawVersions()].filter((r) => r.ts <= BigInt(oldest));
          const keys = old.map((r) => r.key.toString('hex'));
          expect(new Set(keys).size).toBe(keys.length);
          expect(old.some((r) => r.tombstone)).toBe(false);
          // exactly the versions a snapshot >= oldest can need remain
          let expectedVersions = 0;
          for (const key of keyIds) {
            const versions = h.map((ops, i) => [i + 1, batchOf(ops, i + 1)] as const)
              .filter(([, b]) => [...b.puts.map(([kk]) => kk), ...b.deletes].some((kk) => Buffer.from(kk).equals(k(key))));
            expectedVersions += versions.filter(([ts]) => ts > oldest).length;
            const lastOld = versions.filter(([ts]) => ts <= oldest).pop();
            if (lastOld !== undefined && lastOld[1].puts.some(([kk]) => Buffer.from(kk).equals(k(key)))) expectedVersions++;
          }
          expect([...s.rawVersions()].length).toBe(expectedVersions);
          // GC is idempotent
          const again = await s.gc(BigInt(oldest), { chunkEntries: chunk });
          expect(again.versionsRemoved).toBe(0);
        } finally {
          await s.close();
        }
      }), { numRuns: 60 });
  });
});
