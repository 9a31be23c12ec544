// The label table against a Map (random sets, deletes and look-ups, with label gaps that free
// whole chunks), and label windows compared as small-integer pairs against the bigint order.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LabelTable, WINDOW_OPEN, windowPair, type LabelEntry } from './ann-indexes.js';

const entry = (n: number): LabelEntry => ({
  key: Buffer.from([n & 255]), ks: String(n), hash: n, ts: 1n, lastTs: 1n, supersededTs: undefined, fromHi: 0, fromLo: 1, toHi: WINDOW_OPEN, toLo: 0,
});

describe('LabelTable', () => {
  it('behaves as a Map of labels, in label order', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), label: fc.nat({ max: 20_000 }) }),
      fc.record({ kind: fc.constant('delete' as const), label: fc.nat({ max: 20_000 }) }),
      fc.record({ kind: fc.constant('deleteRange' as const), label: fc.nat({ max: 20_000 }) }),
    );
    fc.assert(fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
      const t = new LabelTable();
      const m = new Map<number, LabelEntry>();
      for (const o of ops) {
        if (o.kind === 'set') { const e = entry(o.label); t.set(o.label, e); m.set(o.label, e); }
        else if (o.kind === 'delete') { t.delete(o.label); m.delete(o.label); }
        else for (let l = o.label; l < o.label + 5000; l++) { t.delete(l); m.delete(l); }
        expect(t.size).toBe(m.size);
      }
      for (let l = 0; l <= 26_000; l += 97) expect(t.get(l)).toBe(m.get(l));
      for (const l of m.keys()) expect(t.get(l)).toBe(m.get(l));
      const sorted = [...m.entries()].sort((a, b) => a[0] - b[0]);
      expect([...t]).toEqual(sorted);
      expect([...t.keys()]).toEqual(sorted.map(([l]) => l));
      expect([...t.values()]).toEqual(sorted.map(([, e]) => e));
    }), { numRuns: 200 });
  });

  it('rejects labels it cannot hold', () => {
    expect(() => new LabelTable().set(2 ** 32, entry(1))).toThrow(RangeError);
    expect(() => new LabelTable().set(-1, entry(1))).toThrow(RangeError);
  });
});

describe('label windows as pairs', () => {
  const cmp = (a: [number, number], b: [number, number]): number => (a[0] !== b[0] ? Math.sign(a[0] - b[0]) : Math.sign(a[1] - b[1]));
  // commit timestamps: (wall ms << 16) | logical, below the open window's end (wall ms ~2^44)
  const ts = fc.bigInt({ min: 1n, max: (BigInt(WINDOW_OPEN) << 30n) - 1n });

  it('order as the timestamps do, and stay small integers', () => {
    fc.assert(fc.property(ts, ts, (a, b) => {
      const pa = windowPair(a), pb = windowPair(b);
      expect(cmp(pa, pb)).toBe(a < b ? -1 : a > b ? 1 : 0);
      for (const x of [...pa, ...pb]) expect(Number.isInteger(x) && x >= 0 && x < 2 ** 30).toBe(true);
      expect(pa[0]).toBeLessThan(WINDOW_OPEN);
    }), { numRuns: 2000 });
  });

  it('neighbouring timestamps across the low half\'s boundary', () => {
    for (const base of [(1n << 30n) - 1n, 5n << 30n, (123456789n << 30n) - 1n]) {
      expect(cmp(windowPair(base), windowPair(base + 1n))).toBe(-1);
      expect(cmp(windowPair(base + 1n), windowPair(base))).toBe(1);
    }
  });
});
