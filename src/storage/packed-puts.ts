// Puts packed into a few byte chunks instead of a Buffer pair each: a bulk load appends its rows
// here in ascending key order, so no per-row objects outlive the statement that made them (the
// garbage collector's survivors are what made large loads slow). Each value is stored right after
// the VALUE_PUT flag byte, so that the store hands it to LMDB where it lies.
import { VALUE_PUT } from './mvcc-key.js';

const FIRST_CHUNK = 4096;
const MAX_CHUNK = 1 << 20;
/** Per entry in meta: chunk index, key start, value start (after the flag byte), value end. */
const FIELDS = 4;

export class PackedPuts {
  private readonly chunks: Buffer[] = [];
  private used = 0;
  private meta = new Int32Array(FIELDS * 64);
  private n = 0;
  /** Entries another write of the same key replaced (see shadow), if any. */
  private shadowed: Uint8Array | undefined;

  get count(): number { return this.n; }

  /** Appends a put (copying both); the caller keeps the keys ascending (see lastKeyBelow). */
  append(key: Uint8Array, value: Uint8Array): void {
    const need = key.length + 1 + value.length;
    let c = this.chunks.length - 1;
    let chunk = this.chunks[c];
    if (chunk === undefined || this.used + need > chunk.length) {
      const size = Math.max(need, Math.min(MAX_CHUNK, chunk === undefined ? FIRST_CHUNK : chunk.length * 2));
      // its own ArrayBuffer at offset 0: the store passes chunk offsets to LMDB (see Store.apply)
      chunk = Buffer.allocUnsafeSlow(size);
      this.chunks.push(chunk);
      c++;
      this.used = 0;
    }
    const at = this.used;
    chunk.set(key, at);
    const flag = at + key.length;
    chunk[flag] = VALUE_PUT;
    chunk.set(value, flag + 1);
    this.used = flag + 1 + value.length;
    if (this.n * FIELDS === this.meta.length) {
      const grown = new Int32Array(this.meta.length * 2);
      grown.set(this.meta);
      this.meta = grown;
    }
    const m = this.meta, o = this.n * FIELDS;
    m[o] = c; m[o + 1] = at; m[o + 2] = flag + 1; m[o + 3] = this.used;
    this.n++;
  }

  /** Whether key sorts after the last entry's key (or there is none). */
  lastKeyBelow(key: Uint8Array): boolean {
    return this.n === 0 || this.compareKey(this.n - 1, key) < 0;
  }

  /** compareKeys(key of entry i, key) without making a view of the entry. */
  compareKey(i: number, key: Uint8Array): number {
    const m = this.meta, o = i * FIELDS;
    const chunk = this.chunks[m[o]!]!;
    const start = m[o + 1]!, end = m[o + 2]! - 1;
    const len = end - start;
    const n = len < key.length ? len : key.length;
    for (let j = 0; j < n; j++) {
      const d = chunk[start + j]! - key[j]!;
      if (d !== 0) return d < 0 ? -1 : 1;
    }
    return len === key.length ? 0 : len < key.length ? -1 : 1;
  }

  /** Index of the entry whose key equals key, or -1. */
  indexOf(key: Uint8Array): number {
    if (this.n === 0 || this.compareKey(this.n - 1, key) < 0 || this.compareKey(0, key) > 0) return -1;
    const i = this.lowerBound(key);
    return i < this.n && this.compareKey(i, key) === 0 ? i : -1;
  }

  /** The first entry whose key is >= key (count when none). */
  lowerBound(key: Uint8Array): number {
    let lo = 0, hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.compareKey(mid, key) < 0) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /** A view of entry i's key (valid while this object lives; never modified). */
  key(i: number): Buffer {
    const m = this.meta, o = i * FIELDS;
    return this.chunks[m[o]!]!.subarray(m[o + 1]!, m[o + 2]! - 1);
  }

  /** A view of entry i's value. */
  value(i: number): Buffer {
    const m = this.meta, o = i * FIELDS;
    return this.chunks[m[o]!]!.subarray(m[o + 2]!, m[o + 3]!);
  }

  /** The chunk holding entry i and its key start (the store reads entries in place). */
  chunkOf(i: number): Buffer { return this.chunks[this.meta[i * FIELDS]!]!; }
  keyStart(i: number): number { return this.meta[i * FIELDS + 1]!; }
  /** Where entry i's flag byte is: its key ends and its stored value (flag + value) starts. */
  flagAt(i: number): number { return this.meta[i * FIELDS + 2]! - 1; }
  valueEnd(i: number): number { return this.meta[i * FIELDS + 3]!; }

  /** Drops the entries from index count on (savepoint rollback). */
  truncate(count: number): void {
    if (count >= this.n) return;
    this.n = count;
    if (count === 0) {
      this.chunks.length = 0;
      this.used = 0;
    } else {
      const o = (count - 1) * FIELDS;
      this.chunks.length = this.meta[o]! + 1;
      this.used = this.meta[o + 3]!;
    }
    if (this.shadowed !== undefined && this.shadowed.length > count) this.shadowed.fill(0, count);
  }

  /** Marks entry i as replaced by another write of its key: it is not applied or listed. */
  shadow(i: number): void {
    if (this.shadowed === undefined || this.shadowed.length < this.n) {
      const s = new Uint8Array(Math.max(this.n, 64));
      if (this.shadowed !== undefined) s.set(this.shadowed);
      this.shadowed = s;
    }
    this.shadowed[i] = 1;
  }

  isShadowed(i: number): boolean { return this.shadowed !== undefined && this.shadowed[i] === 1; }

  // ---- raw layout, for logging a run without copying it entry by entry ----

  /** Number of chunks holding entries. */
  get chunkCount(): number { return this.n === 0 ? 0 : this.meta[(this.n - 1) * FIELDS]! + 1; }

  /** Chunk c up to the end of its last entry. */
  chunkBytes(c: number): Buffer {
    // entries fill chunks in order: find the last entry whose chunk index is <= c
    let lo = 0, hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.meta[mid * FIELDS]! <= c) lo = mid + 1; else hi = mid;
    }
    const last = lo - 1;
    const end = last >= 0 && this.meta[last * FIELDS] === c ? this.meta[last * FIELDS + 3]! : 0;
    return this.chunks[c]!.subarray(0, end);
  }

  /** Per entry: chunk index, key start, value start, value end (a view; FIELDS int32 per entry). */
  rawMeta(): Int32Array { return this.meta.subarray(0, this.n * FIELDS); }

  /** Per entry 1 when shadowed (a view), or undefined when none is. */
  rawShadowed(): Uint8Array | undefined { return this.shadowed?.subarray(0, this.n); }
}

/** Int32 fields per entry in PackedPuts.rawMeta(). */
export const PACKED_FIELDS = FIELDS;

