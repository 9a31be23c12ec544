// Child process for storage-crash.test.ts: commits transactions as fast as it can (several
// concurrently, so group commit is exercised) and prints "ACK n" after each commit resolves.
// Transaction n writes KEYS_PER_TXN keys (n, i) = "n" and overwrites the shared key (0) = "n";
// background GC collects the shared key's old versions meanwhile.
import { KeyWriter } from '../../src/keys/index.js';
import { Store } from '../../src/storage/index.js';
import { TxnManager } from '../../src/txn/index.js';

export const KEYS_PER_TXN = 5;
export const rowKey = (n: number, i: number): Buffer => new KeyWriter().uint(1).uint(n).uint(i).finish();
export const SHARED_KEY: Buffer = new KeyWriter().uint(0).finish();

async function main(): Promise<void> {
  const [dir, baseArg] = process.argv.slice(2);
  const store = Store.open({ path: dir! });
  const m = new TxnManager(store);
  m.startGc(10); // GC passes run (and get killed) alongside the commits
  let next = Number(baseArg);
  const worker = async (): Promise<void> => {
    for (;;) {
      const n = next++;
      const t = m.begin();
      for (let i = 0; i < KEYS_PER_TXN; i++) t.put(rowKey(n, i), Buffer.from(String(n)));
      t.put(SHARED_KEY, Buffer.from(String(n)));
      await t.commit();
      process.stdout.write(`ACK ${n} ${t.commitTs}\n`);
    }
  };
  process.stdout.write('READY\n');
  await Promise.all([worker(), worker(), worker(), worker()]);
}

if (process.argv[1]?.endsWith('storage-crash-child.ts')) void main();
