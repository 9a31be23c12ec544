// The messages between the main thread and the HNSW worker, and the shared-buffer layout of
// synchronous replies: [state: int32 (0 waiting, 1 done, 2 error), count: int32] then `count`
// labels and `count` distances as float64, or an error message as UTF-16 code units.
import type { AnnHits } from './ann-types.js';

interface Common {
  id: number;
  /** Reply by message with this request number. */
  req?: number | undefined;
  /** Reply through this shared buffer (the caller waits on it). */
  sync?: SharedArrayBuffer | undefined;
}

export type WorkerRequest = Common & (
  | { op: 'create'; opts: unknown }
  | { op: 'load'; path: string }
  | { op: 'add'; labels: Float64Array; data: Float32Array | Uint8Array; dims: number }
  | { op: 'remove'; labels: Float64Array }
  | { op: 'search'; q: Float32Array | Uint8Array; count: number; efSearch: number }
  | { op: 'save'; path: string }
  | { op: 'drop' }
  | { op: 'barrier' }
);

export interface WorkerReply {
  req: number;
  hits: AnnHits | null;
  error: string | null;
}

const HEADER = 8;
/** Longest a synchronous call (a save of a large index) may take before it is given up. */
const SYNC_TIMEOUT_MS = 300_000;
const MAX_ERROR_CHARS = 1000;

/** A shared buffer big enough for `count` results or an error message. */
export function syncBuffer(count: number): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER + Math.max(16 * count, 2 * MAX_ERROR_CHARS));
}

export function writeSyncReply(sab: SharedArrayBuffer, hits: AnnHits | null, error: string | null): void {
  const ctrl = new Int32Array(sab, 0, 2);
  if (error !== null) {
    const text = error.slice(0, MAX_ERROR_CHARS);
    const chars = new Uint16Array(sab, HEADER, text.length);
    for (let i = 0; i < text.length; i++) chars[i] = text.charCodeAt(i);
    ctrl[1] = text.length;
    Atomics.store(ctrl, 0, 2);
  } else {
    const n = hits === null ? 0 : hits.labels.length;
    const out = new Float64Array(sab, HEADER, 2 * n);
    for (let i = 0; i < n; i++) {
      out[i] = hits!.labels[i]!;
      out[n + i] = hits!.distances[i]!;
    }
    ctrl[1] = n;
    Atomics.store(ctrl, 0, 1);
  }
  Atomics.notify(ctrl, 0);
}

/** Blocks until the worker replied through `sab`; returns its hits or throws its error. */
export function awaitSyncReply(sab: SharedArrayBuffer): AnnHits {
  const ctrl = new Int32Array(sab, 0, 2);
  if (Atomics.wait(ctrl, 0, 0, SYNC_TIMEOUT_MS) === 'timed-out') throw new Error('the ANN index worker did not answer');
  const n = ctrl[1]!;
  if (Atomics.load(ctrl, 0) === 2) {
    throw new Error(String.fromCharCode(...new Uint16Array(sab, HEADER, n)));
  }
  const data = new Float64Array(sab, HEADER, 2 * n);
  return { labels: data.slice(0, n), distances: data.slice(n, 2 * n) };
}
