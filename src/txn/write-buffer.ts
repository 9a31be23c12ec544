// A transaction's buffered writes: a Map by key (latin1 string of the key bytes, whose JS string
// order equals byte order) plus a lazily sorted key list for overlay scans, and an undo log that
// is kept only while savepoints exist.

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

  get size(): number { return this.map.size; }

  get(ks: string): BufferedWrite | undefined { return this.map.get(ks); }

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

  /** Starts (or continues) undo logging; returns the undo position for a savepoint. */
  mark(): number {
    if (this.undo === undefined) this.undo = [];
    return this.undo.length;
  }

  rollbackTo(pos: number): void {
    const u = this.undo;
    if (u === undefined) return;
    while (u.length > pos) {
      const [ks, prev] = u.pop()!;
      if (prev === undefined) { this.map.delete(ks); this.rebuild = true; } else this.map.set(ks, prev);
    }
  }

  /** No savepoints remain: stop logging. */
  dropUndo(): void { this.undo = undefined; }

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
    if (!reverse) for (let i = first; i < last; i++) yield this.map.get(keys[i]!)!;
    else for (let i = last - 1; i >= first; i--) yield this.map.get(keys[i]!)!;
  }

  hasRange(start: string, end: string | undefined): boolean {
    if (this.map.size === 0) return false;
    for (const _ of this.range(start, end, false)) return true;
    return false;
  }

  /** Every write, in key order. */
  entries(): BufferedWrite[] {
    const keys = this.sortedKeys();
    const out: BufferedWrite[] = new Array(keys.length);
    for (let i = 0; i < keys.length; i++) out[i] = this.map.get(keys[i]!)!;
    return out;
  }
}

/** Whether the strings are already in ascending order (bulk loads usually add keys in order). */
function ascending(a: string[]): boolean {
  for (let i = 1; i < a.length; i++) if (a[i - 1]! > a[i]!) return false;
  return true;
}
