// Binary min-heap of (distance, node id) pairs on growable typed arrays, used by the TypeScript
// HNSW graph for its candidate, result and discarded sets (a max-heap is this heap with negated
// keys). No per-operation allocation.

export class NodeHeap {
  keys: Float64Array;
  vals: Int32Array;
  size = 0;

  constructor(capacity = 64) {
    this.keys = new Float64Array(capacity);
    this.vals = new Int32Array(capacity);
  }

  clear(): void { this.size = 0; }

  /** Smallest key (undefined behaviour when empty: callers check size). */
  topKey(): number { return this.keys[0]!; }
  topVal(): number { return this.vals[0]!; }

  push(key: number, val: number): void {
    if (this.size === this.keys.length) this.grow();
    const keys = this.keys, vals = this.vals;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pk = keys[p]!;
      if (pk <= key) break;
      keys[i] = pk;
      vals[i] = vals[p]!;
      i = p;
    }
    keys[i] = key;
    vals[i] = val;
  }

  /** Removes the smallest entry and returns its value (read topKey() first for its key). */
  pop(): number {
    const keys = this.keys, vals = this.vals;
    const top = vals[0]!;
    const n = --this.size;
    if (n === 0) return top;
    this.siftDown(keys[n]!, vals[n]!, n);
    return top;
  }

  /** pop() then push(key, val) in one sift (call only when size > 0). */
  replaceTop(key: number, val: number): void {
    this.siftDown(key, val, this.size);
  }

  /** Places (key, val) from the root down among the first n slots. */
  private siftDown(key: number, val: number, n: number): void {
    const keys = this.keys, vals = this.vals;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n && keys[r]! < keys[c]!) c = r;
      const ck = keys[c]!;
      if (ck >= key) break;
      keys[i] = ck;
      vals[i] = vals[c]!;
      i = c;
    }
    keys[i] = key;
    vals[i] = val;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    const vals = new Int32Array(this.vals.length * 2);
    vals.set(this.vals);
    this.keys = keys;
    this.vals = vals;
  }
}
