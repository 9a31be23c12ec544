// Microbenchmark of the storage hot paths (run: npx tsx src/storage/store.bench.ts): bulk
// commit, forward/reverse scans, point gets, and group commit of many concurrent small commits.
// Prints timings only; nothing here is asserted.
import { KeyWriter, prefixEnd, tableKeyPrefix } from '../keys/index.js';
import { Store } from './index.js';

const N = Number(process.argv[2] ?? 100_000);
const s = Store.open({ memory: true });
const p = tableKeyPrefix(42, 1);
const end = prefixEnd(p);
const w = new KeyWriter();
const keys: Buffer[] = [];
for (let i = 0; i < N; i++) keys.push(w.reset().raw(p).int64(i).finish());
const ms = (t0: number): string => `${(performance.now() - t0).toFixed(0)} ms`;

let t0 = performance.now();
await s.apply({ commitTs: 1n, puts: keys.map((k, i) => [k, Buffer.alloc(40, i & 255)]), deletes: [] });
console.log(`apply ${N} puts in one batch: ${ms(t0)}`);
// a second version of every other key, so scans skip versions
t0 = performance.now();
await s.apply({ commitTs: 2n, puts: keys.filter((_, i) => i % 2 === 0).map((k) => [k, Buffer.alloc(40, 7)]), deletes: [] });
console.log(`apply ${N / 2} updates: ${ms(t0)}`);
for (let rep = 0; rep < 3; rep++) {
  t0 = performance.now();
  let n = 0;
  for (const _ of s.scan(p, end, 2n)) n++;
  console.log(`forward scan ${n} rows: ${ms(t0)}`);
  t0 = performance.now();
  n = 0;
  for (const _ of s.scan(p, end, 1n, { reverse: true })) n++;
  console.log(`reverse scan ${n} rows (older snapshot): ${ms(t0)}`);
  t0 = performance.now();
  for (const k of keys) s.get(k, 2n);
  console.log(`get ${N}: ${ms(t0)}`);
}
t0 = performance.now();
const before = s.applyTxns;
let ts = 10n;
const batches = Array.from({ length: 2000 }, (_, i) => ({ commitTs: ts++, puts: [[keys[i]!, Buffer.from('u')]] as Array<[Buffer, Buffer]>, deletes: [] }));
for (let i = 0; i < batches.length; i += 50) await Promise.all(batches.slice(i, i + 50).map((b) => s.apply(b)));
console.log(`2000 applies, 50 concurrent: ${ms(t0)}, ${s.applyTxns - before} LMDB write transactions`);
await s.close();
