// Property test of SERIALIZABLE: random interleavings of small transactions (point reads, range
// scans, writes following the SQL layer's protocol: lockRow, then checkWriteConflict) over a few keys. Whatever subset commits must be equivalent to some serial order
// of the committed transactions that wrote something: same values read, same final state.
// (Read-only transactions are not validated; see ssi.ts on the read-only anomaly.)
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KeyWriter } from '../keys/index.js';
import { Store } from '../storage/index.js';
import { TxnManager, type Txn } from './index.js';

const KEYS = 4;
const k = (n: number): Buffer => new KeyWriter().uint(n).finish();

type Op = { t: 'read'; key: number } | { t: 'scan'; lo: number; hi: number } | { t: 'write'; key: number };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant('read' as const), key: fc.nat(KEYS - 1) }),
  fc.record({ t: fc.constant('scan' as const), lo: fc.nat(KEYS - 1), hi: fc.integer({ min: 1, max: KEYS }) }),
  fc.record({ t: fc.constant('write' as const), key: fc.nat(KEYS - 1) }),
);

const stores: Store[] = [];
afterEach(async () => { for (const s of stores.splice(0)) await s.close(); });

function permutations<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

describe('serializable isolation', () => {
  it('committed writers are equivalent to a serial order', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.array(opArb, { minLength: 1, maxLength: 4 }), { minLength: 2, maxLength: 3 }),
      fc.array(fc.nat(), { maxLength: 20 }),
      async (programs, schedule) => {
        const store = Store.open({ memory: true });
        stores.push(store);
        const m = new TxnManager(store);
        const init = m.begin();
        for (let i = 0; i < KEYS; i++) init.put(k(i), Buffer.from('init'));
        await init.commit();

        const txns: Txn[] = programs.map(() => m.begin({ isolation: 'serializable' }));
        const observed: string[][] = programs.map(() => []);
        const pc = programs.map(() => 0);
        const committed: boolean[] = programs.map(() => false);
        const done: boolean[] = programs.map(() => false);
        const blocked: boolean[] = programs.map(() => false);
        const fail = (i: number, e: unknown): void => {
          expect(['40001', '40P01']).toContain((e as { code?: string }).code);
          txns[i]!.rollback();
          done[i] = true;
        };
        // run one step of transaction i: its next op, or its commit
        const step = async (i: number): Promise<void> => {
          const t = txns[i]!, prog = programs[i]!;
          if (pc[i]! < prog.length) {
            const op = prog[pc[i]!]!;
            const tag = `t${i}o${pc[i]}`;
            if (op.t === 'read') observed[i]!.push(String(t.get(k(op.key))));
            else if (op.t === 'scan') observed[i]!.push([...t.scan(k(op.lo), k(op.hi))].map(([, v]) => v.toString()).join(','));
            else {
              const write = (): void => {
                // A pivot may be detected at the write itself (40001), as PostgreSQL does.
                try { t.checkWriteConflict(k(op.key)); t.put(k(op.key), Buffer.from(tag)); } catch (e) { fail(i, e); }
              };
              const w = t.lockRow(k(op.key), 'exclusive');
              if (w !== undefined) {
                blocked[i] = true;
                w.then(() => { blocked[i] = false; write(); }, (e: unknown) => { blocked[i] = false; fail(i, e); });
                pc[i]!++;
                return;
              }
              write();
              if (done[i]) return;
            }
            pc[i]!++;
            return;
          }
          done[i] = true;
          try { await t.commit(); committed[i] = true; } catch (e) {
            expect((e as { code?: string }).code).toBe('40001');
          }
        };
        let s = 0;
        while (done.some((d) => !d)) {
          const live = done.map((d, i) => (d || blocked[i] ? -1 : i)).filter((i) => i >= 0);
          if (live.length === 0) { await new Promise((r) => setImmediate(r)); continue; }
          await step(live[(schedule[s++] ?? 0) % live.length]!);
          await new Promise((r) => setImmediate(r));
        }
        const final = [...m.begin().scan(k(0), k(KEYS))].map(([, v]) => v.toString());

        // find a serial order of the committed writers that reproduces reads and final state
        const writers = programs.map((_, i) => i).filter((i) => committed[i] && programs[i]!.some((op) => op.t === 'write'));
        const ok = permutations(writers).some((order) => {
          const state = Array.from({ length: KEYS }, () => 'init');
          for (const i of order) {
            const reads: string[] = [];
            programs[i]!.forEach((op, j) => {
              if (op.t === 'read') reads.push(state[op.key]!);
              else if (op.t === 'scan') reads.push(state.slice(op.lo, Math.max(op.lo, op.hi)).join(','));
              else state[op.key] = `t${i}o${j}`;
            });
            if (reads.join('|') !== observed[i]!.join('|')) return false;
          }
          return state.join(',') === final.join(',');
        });
        expect(ok, JSON.stringify({ programs, committed, observed, final })).toBe(true);
      }), { numRuns: 300 });
  });
});
