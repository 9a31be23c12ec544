// The write-ahead log and recovery: batch records round-trip (property), replay stops at a torn
// or corrupt record, segments rotate and are removed, and a store comes back with every applied
// batch after a process crash and after a simulated operating-system crash that lost every write
// to data.mdb since the last checkpoint except its newest meta pages.
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KeyWriter } from '../keys/index.js';
import { decodeBatch, encodeBatch } from './batch-codec.js';
import { PackedPuts, Store, type WriteBatch } from './index.js';
import { Wal, listSegments, replaySegments, segmentName } from './wal.js';

const k = (n: number): Buffer => new KeyWriter().uint(n).finish();
const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'quiverdb-wal-'));
  dirs.push(d);
  return d;
}
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('batch records', () => {
  it('decode(encode(batch)) gives its puts (packed entries included, shadowed ones not), deletes and dropped ranges', () => {
    const bytes = fc.uint8Array({ maxLength: 40 });
    const arb = fc.record({
      ts: fc.bigInt({ min: 1n, max: (1n << 64n) - 2n }),
      puts: fc.array(fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 20 }), bytes), { maxLength: 8 }),
      deletes: fc.array(fc.uint8Array({ minLength: 1, maxLength: 20 }), { maxLength: 5 }),
      drops: fc.array(fc.tuple(bytes, bytes), { maxLength: 3 }),
      runs: fc.array(fc.array(fc.record({ value: fc.oneof(bytes, fc.uint8Array({ minLength: 3000, maxLength: 9000 })), shadow: fc.boolean() }), { maxLength: 12 }), { maxLength: 3 }),
    });
    fc.assert(fc.property(arb, (a) => {
      const batch: WriteBatch = { commitTs: a.ts, puts: a.puts, deletes: a.deletes };
      if (a.drops.length > 0) batch.dropRanges = a.drops;
      const expected = a.puts.map(([key, value]) => [hex(key), hex(value)]);
      let n = 0;
      const runs: PackedPuts[] = [];
      for (const entries of a.runs) {
        const run = new PackedPuts();
        entries.forEach((e, i) => {
          const key = k(1_000_000 + n++);
          run.append(key, e.value);
          if (e.shadow) run.shadow(i); else expected.push([hex(key), hex(e.value)]);
        });
        runs.push(run);
      }
      if (runs.length > 0) batch.packed = runs;
      const decoded = decodeBatch(Buffer.concat(encodeBatch(batch)));
      expect(decoded.commitTs).toBe(a.ts);
      expect(decoded.puts.map(([key, value]) => [hex(key), hex(value)])).toEqual(expected);
      expect(decoded.deletes.map(hex)).toEqual(a.deletes.map(hex));
      expect((decoded.dropRanges ?? []).map(([s, e]) => [hex(s), hex(e)])).toEqual(a.drops.map(([s, e]) => [hex(s), hex(e)]));
    }), { numRuns: 200 });
  });
});

describe('log segments', () => {
  const rec = (n: number): Buffer => Buffer.from(`record ${n} `.repeat(n % 7 + 1));

  it('replays appended records in order across rotations; removeBelow drops old segments', async () => {
    const dir = tempDir();
    const wal = Wal.open(dir, 1);
    const appends: Array<Promise<void>> = [];
    for (let i = 0; i < 30; i++) {
      appends.push(wal.append([rec(i).subarray(0, 3), rec(i).subarray(3)]));
      // records appended before a rotation may still go out after it, into the new segment
      if (i === 9 || i === 19) { await Promise.all(appends); expect(wal.rotate()).toBe(i === 9 ? 2 : 3); }
    }
    await Promise.all(appends);
    expect(listSegments(dir)).toEqual([1, 2, 3]);
    expect([...replaySegments(dir, 1)].map(String)).toEqual(Array.from({ length: 30 }, (_, i) => String(rec(i))));
    expect([...replaySegments(dir, 3)].map(String)).toEqual(Array.from({ length: 10 }, (_, i) => String(rec(20 + i))));
    wal.removeBelow(3);
    expect(listSegments(dir)).toEqual([3]);
    await wal.close();
  });

  it('stops at a torn last record and at a corrupt one', async () => {
    const dir = tempDir();
    const wal = Wal.open(dir, 1);
    for (let i = 0; i < 5; i++) await wal.append([rec(i)]);
    await wal.close();
    const file = nodePath.join(dir, segmentName(1));
    const whole = fs.readFileSync(file);
    const dataEnd = [0, 1, 2, 3, 4].reduce((n, i) => n + 12 + rec(i).length, 0);
    const torn = Buffer.from(whole);
    torn.fill(0, dataEnd - 3, dataEnd);
    fs.writeFileSync(file, torn);
    expect([...replaySegments(dir, 1)].map(String)).toEqual([0, 1, 2, 3].map((i) => String(rec(i))));
    const corrupt = Buffer.from(whole);
    const second = 12 + rec(0).length;
    corrupt[second + 12 + 2]! ^= 0xff;
    fs.writeFileSync(file, corrupt);
    expect([...replaySegments(dir, 1)].map(String)).toEqual([String(rec(0))]);
  });

  it('reuses retired segment files; what they still hold is never replayed', async () => {
    const dir = tempDir();
    const wal = Wal.open(dir, 1);
    for (let i = 0; i < 40; i++) await wal.append([rec(i)]);
    wal.rotate();
    for (let i = 40; i < 80; i++) await wal.append([rec(i)]);
    wal.rotate();
    wal.removeBelow(3);
    expect(listSegments(dir)).toEqual([3]);
    // segments 4 and 5 are the old files of 1 and 2, full of older records
    for (let i = 80; i < 83; i++) await wal.append([rec(i)]);
    wal.rotate();
    await wal.append([rec(83)]);
    wal.rotate();
    await wal.append([rec(84)]);
    expect(listSegments(dir)).toEqual([3, 4, 5]);
    expect(fs.statSync(nodePath.join(dir, segmentName(4))).size).toBeGreaterThan(0);
    expect([...replaySegments(dir, 3)].map(String)).toEqual([80, 81, 82, 83, 84].map((i) => String(rec(i))));
    await wal.close();
  });
});

describe('recovery', () => {
  const batch = (ts: number, from: number, n: number, tag: string): WriteBatch => ({
    commitTs: BigInt(ts),
    puts: Array.from({ length: n }, (_, i) => [k(from + i), Buffer.from(`${tag}${from + i}`)] as [Buffer, Buffer]),
    deletes: [],
  });

  function contents(s: Store): string[] {
    return [...s.scan(k(0), undefined, s.visibleTs())].map(([, v]) => v.toString());
  }

  it('brings back every applied batch after a process crash and after an OS crash that lost data.mdb writes since the checkpoint', async () => {
    const dir = tempDir();
    const live = Store.open({ path: dir, checkpointIntervalMs: 3_600_000 });
    for (let t = 1; t <= 20; t++) await live.apply(batch(t, t * 50, 50, 'a'));
    await live.checkpoint();
    const atCheckpoint = fs.readFileSync(nodePath.join(dir, 'data.mdb'));
    // after the checkpoint: overwrites, deletes, a packed run, more rows
    for (let t = 21; t <= 40; t++) await live.apply(batch(t, (t - 20) * 30, 40, 'b'));
    const run = new PackedPuts();
    for (let i = 0; i < 2000; i++) run.append(k(100_000 + i), Buffer.from(`p${i}`));
    await live.apply({ commitTs: 41n, puts: [], deletes: [k(50), k(51)], packed: [run] });
    const expected = contents(live);
    expect(expected.length).toBeGreaterThan(3000);

    // The directory as a process crash leaves it: files as written, no final checkpoint.
    const processCrash = tempDir();
    fs.cpSync(dir, processCrash, { recursive: true });
    // An OS crash that kept the newest meta pages but none of the other pages written since the
    // checkpoint: without putting the checkpoint's meta pages back, LMDB would follow pointers
    // into pages that never reached the disk.
    const osCrash = tempDir();
    fs.cpSync(dir, osCrash, { recursive: true });
    const liveFile = fs.readFileSync(nodePath.join(dir, 'data.mdb'));
    const lost = Buffer.alloc(liveFile.length);
    atCheckpoint.copy(lost);
    liveFile.copy(lost, 0, 0, 2 * 4096);
    fs.writeFileSync(nodePath.join(osCrash, 'data.mdb'), lost);
    await live.close();

    for (const crashed of [processCrash, osCrash]) {
      const s = Store.open({ path: crashed });
      try {
        expect(contents(s)).toEqual(expected);
        expect(s.highestAppliedTs()).toBe(41n);
        // and it goes on: a new batch, a clean close, a reopen with nothing to replay
        await s.apply(batch(42, 1, 1, 'c'));
      } finally {
        await s.close();
      }
      expect(listSegments(nodePath.join(crashed, 'wal')).length).toBe(1);
      const again = Store.open({ path: crashed });
      try {
        expect(contents(again)[0]).toBe('c1');
        expect(contents(again).length).toBe(expected.length + 1);
      } finally {
        await again.close();
      }
    }
  });

  it('checkpoints while batches are applied and deletes the log segments they cover', async () => {
    const dir = tempDir();
    const s = Store.open({ path: dir, checkpointIntervalMs: 20 });
    try {
      for (let t = 1; t <= 30; t++) {
        await s.apply(batch(t, t * 10, 10, 'x'));
        await new Promise((r) => setTimeout(r, 5));
      }
      for (let i = 0; i < 100 && s.checkpoints < 3; i++) await new Promise((r) => setTimeout(r, 20));
      expect(s.checkpoints).toBeGreaterThanOrEqual(3);
      await s.checkpoint();
      // only the segment begun by the last checkpoint remains
      expect(listSegments(nodePath.join(dir, 'wal')).length).toBe(1);
    } finally {
      await s.close();
    }
    const again = Store.open({ path: dir });
    try {
      expect(contents(again).length).toBe(300);
    } finally {
      await again.close();
    }
  });

  it('refuses a second open of one data directory', async () => {
    const dir = tempDir();
    const s = Store.open({ path: dir });
    try {
      expect(() => Store.open({ path: dir })).toThrow(/already open/);
    } finally {
      await s.close();
    }
  });
});
