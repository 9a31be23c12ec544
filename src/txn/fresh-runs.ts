// A transaction's runs of fresh keys: first versions appended in ascending order within each run
// (a bulk load's rows), packed into byte chunks. Runs cover disjoint key ranges, kept sorted, so
// that loads into several tables in one transaction (pgbench -i fills tellers, branches, then
// accounts) each get a run. A key may join the run below it when it sorts after that run's last
// key and before the next run's first; otherwise the caller keeps it elsewhere.
import { PackedPuts } from '../storage/index.js';

/** More runs than this and further keys go to the caller's map (keeps look-ups cheap). */
const MAX_RUNS = 16;

/** What a savepoint remembers: each run and its length then. */
export type RunsMark = ReadonlyArray<readonly [PackedPuts, number]>;

export class FreshRuns {
  /** Sorted by first key; each non-empty. */
  private runs: PackedPuts[] = [];
  private total = 0;
  /** The run (or -1: a new first run) canJoin chose for its key, for join. */
  private chosen = -1;

  get count(): number { return this.total; }

  /** Whether key can join a run (see the module comment); remembers where, for join. */
  canJoin(key: Uint8Array): boolean {
    const runs = this.runs;
    const r = this.runBelow(key);
    if (r < 0) {
      if (runs.length >= MAX_RUNS) return false;
      this.chosen = -1;
      return true;
    }
    if (!runs[r]!.lastKeyBelow(key)) return false;
    if (r + 1 < runs.length && runs[r + 1]!.compareKey(0, key) <= 0) return false;
    this.chosen = r;
    return true;
  }

  /** Appends key, which canJoin just accepted (copying key and value). */
  join(key: Uint8Array, value: Uint8Array): void {
    let run: PackedPuts;
    if (this.chosen < 0) {
      run = new PackedPuts();
      this.runs.unshift(run);
    } else run = this.runs[this.chosen]!;
    run.append(key, value);
    this.total++;
  }

  /** The index of the last run whose first key is <= key, or -1. */
  private runBelow(key: Uint8Array): number {
    const runs = this.runs;
    let r = runs.length - 1;
    while (r >= 0 && runs[r]!.compareKey(0, key) > 0) r--;
    return r;
  }

  /** The run entry with this key, if any. */
  get(key: Uint8Array): { key: Buffer; value: Buffer } | undefined {
    const r = this.runBelow(key);
    if (r < 0) return undefined;
    const run = this.runs[r]!;
    const i = run.indexOf(key);
    return i < 0 ? undefined : { key: run.key(i), value: run.value(i) };
  }

  has(key: Uint8Array): boolean {
    const r = this.runBelow(key);
    return r >= 0 && this.runs[r]!.indexOf(key) >= 0;
  }

  /** Entries with start <= key < end (end undefined: unbounded), in order or reverse. */
  *entries(start: Uint8Array, end: Uint8Array | undefined, reverse: boolean): Generator<{ key: Buffer; value: Buffer }> {
    const runs = reverse ? [...this.runs].reverse() : this.runs;
    for (const run of runs) {
      const first = run.lowerBound(start);
      const last = end === undefined ? run.count : run.lowerBound(end);
      if (!reverse) for (let i = first; i < last; i++) yield { key: run.key(i), value: run.value(i) };
      else for (let i = last - 1; i >= first; i--) yield { key: run.key(i), value: run.value(i) };
    }
  }

  mark(): RunsMark { return this.runs.map((r) => [r, r.count] as const); }

  /** Drops what was appended since the mark. */
  rollbackTo(mark: RunsMark): void {
    const kept = new Map(mark);
    this.runs = this.runs.filter((r) => {
      const n = kept.get(r);
      if (n === undefined || n === 0) return false;
      r.truncate(n);
      return true;
    });
    this.total = this.runs.reduce((s, r) => s + r.count, 0);
  }

  /**
   * The runs, for a commit, with every entry whose key replaced(key) says was written again
   * since marked shadowed. No appends follow.
   */
  forCommit(replaced: Iterable<Buffer>): PackedPuts[] {
    if (this.total > 0) {
      for (const key of replaced) {
        const r = this.runBelow(key);
        if (r < 0) continue;
        const i = this.runs[r]!.indexOf(key);
        if (i >= 0) this.runs[r]!.shadow(i);
      }
    }
    return this.runs;
  }
}
