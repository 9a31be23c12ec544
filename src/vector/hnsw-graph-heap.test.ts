// NodeHeap (the HNSW graph's typed-array binary heap): pops come out in key order whatever the mix
// of push, pop and replaceTop, across growth of its arrays.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NodeHeap } from './hnsw-graph-heap.js';

describe('NodeHeap', () => {
  it('behaves like a sorted list under push / pop / replaceTop', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), key: fc.integer({ min: -50, max: 50 }) }),
      fc.record({ kind: fc.constant('pop' as const), key: fc.constant(0) }),
      fc.record({ kind: fc.constant('replace' as const), key: fc.integer({ min: -50, max: 50 }) }),
    );
    fc.assert(fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
      const heap = new NodeHeap(2);
      const model: { key: number; val: number }[] = [];
      let next = 0;
      for (const { kind, key } of ops) {
        if (kind === 'push') {
          heap.push(key, next);
          model.push({ key, val: next++ });
        } else if (model.length > 0) {
          model.sort((a, b) => a.key - b.key);
          const minKey = model[0]!.key;
          expect(heap.topKey()).toBe(minKey);
          const val = heap.topVal();
          // The popped entry has the smallest key (which of equal keys is unspecified).
          const at = model.findIndex((e) => e.val === val);
          expect(at).toBeGreaterThanOrEqual(0);
          expect(model[at]!.key).toBe(minKey);
          model.splice(at, 1);
          if (kind === 'pop') {
            expect(heap.pop()).toBe(val);
          } else {
            heap.replaceTop(key, next);
            model.push({ key, val: next++ });
          }
        }
        expect(heap.size).toBe(model.length);
      }
      const drained: number[] = [];
      while (heap.size > 0) { drained.push(heap.topKey()); heap.pop(); }
      expect(drained).toEqual(model.map((e) => e.key).sort((a, b) => a - b));
    }), { numRuns: 300 });
  });
});
