// Durability under kill -9: a child process commits and acknowledges transactions; the parent
// SIGKILLs it at random moments, reopens the data directory, and checks that every acknowledged
// commit is present, no transaction is partially visible, and the clock resumes above old commits.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/storage/index.js';
import { TxnManager } from '../../src/txn/index.js';
import { KEYS_PER_TXN, SHARED_KEY, rowKey } from './storage-crash-child.js';

const here = nodePath.dirname(fileURLToPath(import.meta.url));
const ROUNDS = 12;

function runAndKill(dir: string, base: number, killAfterMs: number): Promise<{ acked: Map<number, bigint> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', nodePath.join(here, 'storage-crash-child.ts'), dir, String(base)],
      { stdio: ['ignore', 'pipe', 'inherit'] });
    const acked = new Map<number, bigint>();
    let buf = '';
    let armed = false;
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const m = /^ACK (\d+) (\d+)$/.exec(line);
        if (m) acked.set(Number(m[1]), BigInt(m[2]!));
        if (!armed && (line === 'READY' || m)) {
          armed = true;
          setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        }
      }
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child exited without being killed (${String(signal)})`));
      else resolve({ acked });
    });
  });
}

describe('storage crash safety', () => {
  it(`keeps every acknowledged commit and no partial batch across ${ROUNDS} kill -9 rounds`, async () => {
    const dir = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'quiverdb-crash-'));
    try {
      const allAcked = new Map<number, bigint>();
      let totalAcked = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const base = (round + 1) * 1_000_000;
        const killAfter = Math.floor(Math.random() * 120);
        const { acked } = await runAndKill(dir, base, killAfter);
        totalAcked += acked.size;
        for (const [n, ts] of acked) allAcked.set(n, ts);

        const store = Store.open({ path: dir });
        try {
          const m = new TxnManager(store);
          const t = m.begin();
          // group the keys (1, n, i) by n: every present transaction is complete
          const seen = new Map<number, number>();
          for (const [, value] of t.scan(rowKey(0, 0), undefined)) {
            const n = Number(value.toString());
            seen.set(n, (seen.get(n) ?? 0) + 1);
          }
          for (const [n, count] of seen) expect(count, `round ${round}: txn ${n} partially visible`).toBe(KEYS_PER_TXN);
          for (const n of allAcked.keys()) expect(seen.has(n), `round ${round}: acknowledged txn ${n} lost`).toBe(true);
          for (const [n, ts] of allAcked) {
            for (let i = 0; i < KEYS_PER_TXN; i++) expect(t.get(rowKey(n, i))?.toString()).toBe(String(n));
            expect(store.highestAppliedTs() >= ts).toBe(true);
          }
          // the shared key holds the value of the newest committed transaction that wrote it
          const shared = Number(t.get(SHARED_KEY)?.toString() ?? 'NaN');
          if (seen.size > 0) expect(seen.has(shared)).toBe(true);
          t.rollback();
          // the clock resumes above every commit
          const w = m.begin();
          w.put(rowKey(0, 1), Buffer.from('probe'));
          await w.commit();
          expect(w.commitTs! > store.highestAppliedTs() - 1n).toBe(true);
          for (const ts of allAcked.values()) expect(w.commitTs! > ts).toBe(true);
          const d = m.begin(); d.delete(rowKey(0, 1)); await d.commit();
        } finally {
          await store.close();
        }
      }
      expect(totalAcked).toBeGreaterThan(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
