// PackedPuts against a model (random ascending keys, values of every size, truncations), and a
// store applying packed puts: shadowed entries are skipped, values and keys read back exactly.
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KeyWriter } from '../keys/index.js';
import { PackedPuts, Store } from './index.js';
import { VALUE_PUT } from './mvcc-key.js';

const k = (n: number): Buffer => new KeyWriter().uint(n).finish();

const opened: Store[] = [];
afterEach(async () => { for (const s of opened.splice(0)) await s.close(); });

describe('PackedPuts', () => {
  it('matches a model under appends (ascending keys, values up to several chunks) and truncations', () => {
    const op = fc.oneof(
      { weight: 8, arbitrary: fc.record({ gap: fc.integer({ min: 1, max: 5 }), size: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 4000, max: 3_000_000 })) }) },
      { weight: 1, arbitrary: fc.record({ truncateTo: fc.nat() }) },
    );
    fc.assert(fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
      const p = new PackedPuts();
      const model: Array<[Buffer, Buffer]> = [];
      const nums: number[] = [];
      let next = 0;
      for (const o of ops) {
        if ('truncateTo' in o) {
          const n = model.length === 0 ? 0 : o.truncateTo % (model.length + 1);
          p.truncate(n);
          model.length = n;
          nums.length = n;
          next = n === 0 ? 0 : nums[n - 1]!;
          continue;
        }
        next += o.gap;
        const key = k(next);
        const value = Buffer.alloc(o.size, next & 0xff);
        expect(p.lastKeyBelow(key)).toBe(true);
        p.append(key, value);
        model.push([key, value]);
        nums.push(next);
        expect(p.lastKeyBelow(key)).toBe(false);
      }
      expect(p.count).toBe(model.length);
      model.forEach(([key, value], i) => {
        expect(p.key(i).equals(key)).toBe(true);
        expect(p.value(i).equals(value)).toBe(true);
        expect(p.indexOf(key)).toBe(i);
        expect(p.compareKey(i, key)).toBe(0);
        const chunk = p.chunkOf(i);
        expect(chunk[p.flagAt(i)]).toBe(VALUE_PUT);
        expect(chunk.subarray(p.keyStart(i), p.flagAt(i)).equals(key)).toBe(true);
        expect(chunk.subarray(p.flagAt(i) + 1, p.valueEnd(i)).equals(value)).toBe(true);
      });
      for (let n = 0; n <= next + 1; n++) {
        const probe = k(n);
        const at = model.findIndex(([key]) => Buffer.compare(key, probe) >= 0);
        expect(p.lowerBound(probe)).toBe(at < 0 ? model.length : at);
        expect(p.indexOf(probe)).toBe(model.findIndex(([key]) => key.equals(probe)));
      }
    }), { numRuns: 60 });
  });

  it('a store applies packed puts as first versions, skipping shadowed entries', async () => {
    const s = Store.open({ memory: true });
    opened.push(s);
    const p = new PackedPuts();
    for (let i = 1; i <= 5000; i++) p.append(k(i), Buffer.from(`row-${i}`.repeat(i % 7)));
    p.shadow(10);
    const seen: number[] = [];
    s.onApply((b) => { seen.push(b.packed?.[0]?.count ?? -1); });
    await s.apply({ commitTs: 5n, puts: [[k(11), Buffer.from('newer')]], deletes: [], packed: [p] });
    expect(seen).toEqual([5000]);
    expect(s.get(k(11), 5n)?.toString()).toBe('newer');
    expect(s.get(k(1), 4n)).toBeUndefined();
    for (const i of [1, 2, 7, 10, 12, 4999, 5000]) expect(s.get(k(i), 5n)?.toString()).toBe(`row-${i}`.repeat(i % 7));
    expect([...s.scan(k(0), undefined, 5n)].length).toBe(5000);
  });
});
