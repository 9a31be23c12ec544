// An HNSW index (usearch) that searches on the main thread when a search runs alone and in the
// worker thread when sessions search concurrently, so that the main thread serves the wire while
// the worker searches. The main thread's index is the one of record; the worker holds a mirror,
// made on the first concurrent search from a snapshot of it and then kept in step by posting
// every insert and removal (messages are ordered, so a search posted later sees them all).
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnnHits, AnnIndexOptions, AnnSearchParams, AnnVector } from './ann-types.js';
import { metaPathFor } from './ann-files.js';
import { UsearchHnswIndex } from './usearch-hnsw.js';
import { RemoteHnswIndex, annWorkerAvailable } from './hnsw-remote.js';

/**
 * Whether HNSW indexes are hybrid (main thread + worker mirror): the default of the built server.
 * QUIVER_ANN_WORKER=off keeps every search on the main thread, =on moves the indexes into the
 * worker (hnsw-remote.ts). Never from TypeScript source, where the worker cannot load its module.
 * Measured on 2 cores (docs/vector-bench.md, session 8): 1.24× the QPS of in-line searches at 8
 * connections, the same with 1.
 */
export function hybridHnswAvailable(): boolean {
  const mode = process.env.QUIVER_ANN_WORKER;
  if (mode === 'off' || mode === 'on') return false;
  return annWorkerAvailable();
}

/**
 * The largest index (estimated bytes) that gets a mirror: a mirror is a second copy in memory, and
 * making it stalls the main thread while the snapshot is written (~50 ms for 100k × 128).
 */
const MIRROR_MAX_BYTES = Number(process.env.QUIVER_ANN_MIRROR_MAX_MB ?? '1024') * 2 ** 20;

/** Memory of an index's vectors and level-0 links, roughly (usearch's own layout adds little). */
function estimatedBytes(o: AnnIndexOptions, size: number): number {
  const vector = o.scalar === 'bit' ? Math.ceil(o.dimensions / 8) : o.dimensions * (o.scalar === 'f16' ? 2 : 4);
  return size * (vector + 2 * (o.m ?? 16) * 4 + 64);
}

let nextSnapshot = 1;

export class HybridHnswIndex {
  readonly kind = 'hnsw';
  /** null: not made yet; false: could not be made (searches stay on the main thread). */
  private mirror: RemoteHnswIndex | null | false = null;
  private inFlight = 0;

  constructor(readonly local: UsearchHnswIndex) {}

  get options(): AnnIndexOptions { return this.local.options; }

  size(): number { return this.local.size(); }

  add(label: number, v: AnnVector): void {
    this.local.add(label, v);
    if (this.mirror) this.mirror.add(label, v);
  }

  addBatch(labels: readonly number[], vs: readonly AnnVector[]): void {
    this.local.addBatch(labels, vs);
    if (this.mirror) this.mirror.addBatch(labels, vs);
  }

  remove(label: number): void {
    this.local.remove(label);
    if (this.mirror) this.mirror.remove(label);
  }

  /** In-line search on the main thread. */
  search(q: AnnVector, count: number, params: AnnSearchParams): AnnHits {
    return this.local.search(q, count, params);
  }

  searchMany(qs: readonly AnnVector[], count: number, params: AnnSearchParams): AnnHits[] {
    return this.local.searchMany(qs, count, params);
  }

  /** Searches still running in the worker. */
  get offThreadBusy(): number { return this.inFlight; }

  /** Whether the worker mirror exists (for tests and diagnostics). */
  get mirrored(): boolean { return this.mirror instanceof RemoteHnswIndex; }

  /**
   * A search answered by the worker's mirror (made now if need be), or null when there is no
   * mirror (the worker failed): the caller then searches in-line.
   */
  searchOffThread(q: AnnVector, count: number, efSearch: number): Promise<AnnHits> | null {
    const m = this.ensureMirror();
    if (m === null) return null;
    this.inFlight++;
    return m.searchAsync(q, count, efSearch).finally(() => { this.inFlight--; });
  }

  private ensureMirror(): RemoteHnswIndex | null {
    if (this.mirror === false) return null;
    if (this.mirror !== null) return this.mirror;
    if (estimatedBytes(this.local.options, this.local.size()) > MIRROR_MAX_BYTES) {
      this.mirror = false;
      return null;
    }
    const path = join(tmpdir(), `quiver-hnsw-mirror-${process.pid}-${nextSnapshot++}.usearch`);
    try {
      this.local.save(path);
      this.mirror = RemoteHnswIndex.load(path, this.local.options, this.local.size());
    } catch {
      this.mirror = false;
      return null;
    } finally {
      rmSync(path, { force: true });
      rmSync(metaPathFor(path), { force: true });
    }
    return this.mirror;
  }

  save(path: string): void { this.local.save(path); }

  /** Frees the worker's mirror. */
  drop(): void {
    if (this.mirror) this.mirror.drop();
    this.mirror = false;
  }
}
