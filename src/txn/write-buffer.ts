// A transaction's buffered writes: a Map by key (latin1 string of the key bytes, whose JS string
// order equals byte order) plus a lazily sorted key list for overlay scans, and an undo log that
// is kept only while savepoints exist. Keys that never existed and arrive in ascending order (fresh
// rowids of a bulk insert) go to append-only runs instead (FreshRuns): no string, map entry or sort
// each, and packed into byte chunks rather than kept as a Buffer pair each.
import type { PackedPuts } from '../storage/index.js';
import { FreshRuns, type RunsMark } from './fresh-runs.js';

export interface BufferedWrite {
  key: Buffer;
  /** null = delete */
  value: Buffer | null;
  /** The key never had a version before (a fresh unique rowid): no garbage to collect later. */
  firstVersion?: boolean;
}

export function keyString(key: Uint8Array): string {
  return (Buffer.isBuffer(key) ? key : Buffer.from(key.buffer, key.byteOffset, key.length)).toString('latin1');
}

export class WriteBuffer {
  private readonly map = new Map<string, BufferedWrite>();
  private sorted: string[] = [];
  private added: string[] = [];
  private rebuild = false;
  private undo: Array<[string, BufferedWrite | undefined]> | undefined;
  /** Fresh keys in ascending runs with their values; a map entry for the same key wins. */
  private readonly runs = new FreshRuns();
  /** Savepoint marks: undo-log length and the runs when each was taken. */
  private marks: Array<{ undo: number; runs: RunsMark }> = [];

  /** Number of buffered writes (a fresh key later overwritten counts twice). */
  get size(): number { return this.map.size + this.runs.count; }

  /** The buffered write of a key (key: its bytes, when the caller has them, saves a conversion). */
  get(ks: string, key?: Uint8Array): BufferedWrite | undefined {
    const w = this.map.get(ks);
    if (w !== undefined || this.runs.count === 0) return w;
    const e = this.runs.get(key ?? Buffer.from(ks, 'latin1'));
    return e === undefined ? undefined : { key: e.key, value: e.value, firstVersion: true };
  }

  /**
   * Buffers a write of a key the caller guarantees never existed (firstVersion), copying both
   * into a run. Returns false (nothing buffered) unless the key can join a run of fresh
   * keys (FreshRuns.canJoin); the caller then uses setOwned.
   */
  appendFresh(key: Buffer, value: Buffer): boolean {
    if (!this.runs.canJoin(key)) return false;
    this.runs.join(key, value);
    return true;
  }

  /**
   * Whether appendFresh would take key: it can join a run and no map entry has it (a map entry
   * can remain above a run after a savepoint rollback shortened the run).
   */
  canAppendFresh(key: Buffer): boolean {
    if (!this.runs.canJoin(key)) return false;
    return this.map.size === 0 || !this.map.has(keyString(key));
  }

  /** appendFresh of the key canAppendFresh just accepted (no second search). */
  appendChecked(key: Buffer, value: Buffer): void {
    this.runs.join(key, value);
  }

  /** Whether key is in a run of fresh keys. */
  runHas(key: Uint8Array): boolean {
    return this.runs.count > 0 && this.runs.has(key);
  }

  set(ks: string, key: Uint8Array, value: Uint8Array | null): void {
    const prev = this.map.get(ks);
    if (this.undo !== undefined) this.undo.push([ks, prev]);
    if (prev === undefined) this.added.push(ks);
    this.map.set(ks, { key: Buffer.from(key), value: value === null ? null : Buffer.from(value) });
  }

  /** set() taking ownership of key and value (no copies). */
  setOwned(ks: string, key: Buffer, value: Buffer | null, firstVersion = false): void {
    const prev = this.map.get(ks);
    if (this.undo !== undefined) this.undo.push([ks, prev]);
    if (prev === undefined) this.added.push(ks);
    this.map.set(ks, firstVersion && prev === undefined ? { key, value, firstVersion } : { key, value });
  }

  /** Starts (or continues) undo logging; returns a mark for rollbackTo (a savepoint). */
  mark(): number {
    if (this.undo === undefined) this.undo = [];
    this.marks.push({ undo: this.undo.length, runs: this.runs.mark() });
    return this.marks.length - 1;
  }

  /** Undoes every write since the mark; the mark stays usable, later marks are gone. */
  rollbackTo(mark: number): void {
    const u = this.undo;
    const m = this.marks[mark];
    if (u === undefined || m === undefined) return;
    this.marks.length = mark + 1;
    this.runs.rollbackTo(m.runs);
    const pos = m.undo;
    while (u.length > pos) {
      const [ks, prev] = u.pop()!;
      if (prev === undefined) { this.map.delete(ks); this.rebuild = true; } else this.map.set(ks, prev);
    }
  }

  /** No savepoints remain: stop logging. */
  dropUndo(): void { this.undo = undefined; this.marks = []; }

  /** Keys in byte order. */
  sortedKeys(): string[] {
    if (this.rebuild) {
      this.sorted = [...this.map.keys()].sort();
      this.added = [];
      this.rebuild = false;
    } else if (this.added.length > 0) {
      const add = this.added;
      if (!ascending(add)) add.sort();
      this.added = [];
      const old = this.sorted;
      const out: string[] = new Array(old.length + add.length);
      let i = 0, j = 0, o = 0;
      while (i < old.length && j < add.length) out[o++] = old[i]! < add[j]! ? old[i++]! : add[j++]!;
      while (i < old.length) out[o++] = old[i++]!;
      while (j < add.length) out[o++] = add[j++]!;
      this.sorted = out;
    }
    return this.sorted;
  }

  /** Entries with start <= key < end (end undefined: unbounded), in order or reverse. */
  *range(start: string, end: string | undefined, reverse: boolean): Generator<BufferedWrite> {
    const keys = this.sortedKeys();
    let lo = 0, hi = keys.length;
    while (lo < hi) { const m = (lo + hi) >> 1; if (keys[m]! < start) lo = m + 1; else hi = m; }
    const first = lo;
    let last = keys.length;
    if (end !== undefined) {
      lo = first; hi = keys.length;
      while (lo < hi) { const m = (lo + hi) >> 1; if (keys[m]! < end) lo = m + 1; else hi = m; }
      last = lo;
    }
    const runEntries = this.runs.count === 0 ? undefined
      : this.runs.entries(Buffer.from(start, 'latin1'), end === undefined ? undefined : Buffer.from(end, 'latin1'), reverse);
    let r = runEntries?.next();
    if (r === undefined || r.done === true) {
      if (!reverse) for (let i = first; i < last; i++) yield this.map.get(keys[i]!)!;
      else for (let i = last - 1; i >= first; i--) yield this.map.get(keys[i]!)!;
      return;
    }
    // map keys [first, last) and run entries merged in order; the map wins on equal keys
    const dir = reverse ? -1 : 1;
    let i = reverse ? last - 1 : first;
    const mapLeft = (): boolean => (reverse ? i >= first : i < last);
    let runKs: string | undefined;
    while (mapLeft() || r.done !== true) {
      if (r.done !== true && runKs === undefined) runKs = r.value.key.toString('latin1');
      let c: number;
      if (r.done === true) c = -1;
      else if (!mapLeft()) c = 1;
      else c = (keys[i]! < runKs! ? -1 : keys[i]! > runKs! ? 1 : 0) * dir;
      if (c <= 0) {
        yield this.map.get(keys[i]!)!;
        i += dir;
        if (c === 0) { r = runEntries!.next(); runKs = undefined; }
      } else {
        yield { key: r.value!.key, value: r.value!.value, firstVersion: true };
        r = runEntries!.next();
        runKs = undefined;
      }
    }
  }

  hasRange(start: string, end: string | undefined): boolean {
    if (this.size === 0) return false;
    for (const _ of this.range(start, end, false)) return true;
    return false;
  }

  /** The buffered writes other than the runs', in key order. */
  mapInOrder(visit: (w: BufferedWrite) => void): void {
    for (const ks of this.sortedKeys()) visit(this.map.get(ks)!);
  }

  /**
   * The runs of fresh keys, for a commit: entries whose key the map also has (a later write of
   * the key wins) are marked shadowed first. The buffer is not written to afterwards.
   */
  runsForCommit(): PackedPuts[] {
    const map = this.map;
    return this.runs.forCommit(map.size === 0 ? [] : (function* () { for (const w of map.values()) yield w.key; })());
  }
}

/** Whether the strings are already in ascending order (bulk loads usually add keys in order). */
function ascending(a: string[]): boolean {
  for (let i = 1; i < a.length; i++) if (a[i - 1]! > a[i]!) return false;
  return true;
}
