// Main-thread proxies of HNSW indexes that live in one worker thread, so that graph searches run
// on the second core while the main thread serves sessions. Inserts and removals are posted
// (ordered with everything else), searches answer by promise, and the few callers that need an
// answer at once (iterative follow-up searches, saves) wait on a shared buffer. When the worker
// cannot start (or the code runs from TypeScript source), callers fall back to in-process
// indexes (remoteHnswAvailable() is false).
import { Worker } from 'node:worker_threads';
import type { AnnHits, AnnIndexOptions, AnnSearchParams, AnnVector } from './ann-types.js';
import { DEFAULT_EF_SEARCH, checkVector, validateAnnOptions } from './ann-types.js';
import { awaitSyncReply, syncBuffer, type WorkerReply, type WorkerRequest } from './hnsw-remote-protocol.js';

let worker: Worker | null | undefined;
let nextId = 1;
let nextReq = 1;
const waiting = new Map<number, { resolve(h: AnnHits): void; reject(e: Error): void }>();

function startWorker(): Worker | null {
  if (worker !== undefined) return worker;
  // Run from TypeScript source (tests through tsx), a worker thread cannot load the .ts module
  // (Node 20 does not run tsx's hooks there): indexes then stay on the main thread.
  if (import.meta.url.endsWith('.ts')) {
    worker = null;
    return null;
  }
  try {
    const w = new Worker(new URL('./hnsw-worker.js', import.meta.url));
    w.on('message', (m: WorkerReply) => {
      const p = waiting.get(m.req);
      if (p === undefined) return;
      waiting.delete(m.req);
      if (waiting.size === 0) w.unref();
      if (m.error !== null) p.reject(new Error(m.error)); else p.resolve(m.hits ?? { labels: [], distances: [] });
    });
    w.on('error', (e) => {
      for (const p of waiting.values()) p.reject(e instanceof Error ? e : new Error(String(e)));
      waiting.clear();
      worker = null;
    });
    w.unref();
    worker = w;
  } catch {
    worker = null;
  }
  return worker;
}

/**
 * Whether HNSW indexes live in the worker: opt-in with QUIVER_ANN_WORKER=on. Measured on 2 cores
 * (docs/vector-bench.md): +18 % QPS at 8 connections, but each search pays a thread hand-off, so
 * single-connection QPS drops by 15-30 %; the default hybrid index (hnsw-hybrid.ts) keeps
 * single-connection latency and gains more at 8 connections.
 */
export function remoteHnswAvailable(): boolean {
  if (process.env.QUIVER_ANN_WORKER !== 'on') return false;
  return startWorker() !== null;
}

/**
 * Whether the worker thread runs (whatever QUIVER_ANN_WORKER says): the hybrid index
 * (hnsw-hybrid.ts) keeps a mirror there for concurrent searches.
 */
export function annWorkerAvailable(): boolean {
  return startWorker() !== null;
}

function post(m: WorkerRequest): void {
  startWorker()!.postMessage(m);
}

function call(m: WorkerRequest): Promise<AnnHits> {
  const req = nextReq++;
  return new Promise<AnnHits>((resolve, reject) => {
    // A pending reply keeps the process alive; an idle worker does not.
    if (waiting.size === 0) startWorker()!.ref();
    waiting.set(req, { resolve, reject });
    post({ ...m, req });
  });
}

function callSync(m: WorkerRequest, resultCount: number): AnnHits {
  const sab = syncBuffer(resultCount);
  post({ ...m, sync: sab });
  return awaitSyncReply(sab);
}

function packed(vs: readonly AnnVector[], dims: number): Float32Array | Uint8Array {
  const bytes = vs[0] instanceof Uint8Array;
  const out = bytes ? new Uint8Array(vs.length * dims) : new Float32Array(vs.length * dims);
  for (let i = 0; i < vs.length; i++) out.set(vs[i] as never, i * dims);
  return out;
}

/** An HNSW index (usearch) living in the worker thread. */
export class RemoteHnswIndex {
  readonly kind = 'hnsw';
  private readonly id = nextId++;
  private count = 0;
  private readonly vectorLength: number;

  private constructor(readonly options: AnnIndexOptions) {
    this.vectorLength = options.scalar === 'bit' ? Math.ceil(options.dimensions / 8) : options.dimensions;
  }

  static create(options: AnnIndexOptions): RemoteHnswIndex {
    validateAnnOptions(options);
    const r = new RemoteHnswIndex(options);
    callSync({ op: 'create', id: r.id, opts: options }, 0);
    return r;
  }

  /** Loads a saved index into the worker; `size` is how many vectors the caller knows it holds. */
  static load(path: string, options: AnnIndexOptions, size: number): RemoteHnswIndex {
    const r = new RemoteHnswIndex(options);
    callSync({ op: 'load', id: r.id, path }, 0);
    r.count = size;
    return r;
  }

  size(): number { return this.count; }

  add(label: number, v: AnnVector): void {
    checkVector(this.options, v);
    post({ op: 'add', id: this.id, labels: Float64Array.of(label), data: packed([v], this.vectorLength), dims: this.vectorLength });
    this.count++;
  }

  addBatch(labels: readonly number[], vs: readonly AnnVector[]): void {
    if (labels.length === 0) return;
    for (const v of vs) checkVector(this.options, v);
    post({ op: 'add', id: this.id, labels: Float64Array.from(labels), data: packed(vs, this.vectorLength), dims: this.vectorLength });
    this.count += labels.length;
  }

  remove(label: number): void {
    post({ op: 'remove', id: this.id, labels: Float64Array.of(label) });
    this.count = Math.max(0, this.count - 1);
  }

  /** Resolves once the worker has applied everything posted before (index builds wait on it). */
  flush(): Promise<void> {
    return call({ op: 'barrier', id: this.id }).then(() => undefined);
  }

  search(q: AnnVector, count: number, params: AnnSearchParams): AnnHits {
    checkVector(this.options, q);
    return callSync({ op: 'search', id: this.id, q: q.slice(), count, efSearch: params.efSearch ?? DEFAULT_EF_SEARCH }, count);
  }

  searchAsync(q: AnnVector, count: number, efSearch: number): Promise<AnnHits> {
    checkVector(this.options, q);
    return call({ op: 'search', id: this.id, q: q.slice(), count, efSearch });
  }

  save(path: string): void {
    callSync({ op: 'save', id: this.id, path }, 0);
  }

  /** Frees the worker's copy. */
  drop(): void {
    post({ op: 'drop', id: this.id });
  }
}
