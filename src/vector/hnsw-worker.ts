// Worker-thread side of the remote HNSW indexes: owns usearch indexes and serves, in message
// order, their creation, loading, inserts, removals, searches and saves. Searches answer either
// by message (the main thread keeps serving sessions meanwhile) or, for callers that must have
// the answer synchronously, through a shared buffer the main thread waits on.
import { parentPort } from 'node:worker_threads';
import { UsearchHnswIndex } from './usearch-hnsw.js';
import { readFileSync } from 'node:fs';
import { metaPathFor } from './ann-files.js';
import type { AnnIndexOptions, AnnHits, AnnVector } from './ann-types.js';
import type { WorkerRequest } from './hnsw-remote-protocol.js';
import { writeSyncReply } from './hnsw-remote-protocol.js';

const indexes = new Map<number, UsearchHnswIndex>();

function vectorsOf(data: Float32Array | Uint8Array, dims: number, n: number): AnnVector[] {
  const out: AnnVector[] = [];
  for (let i = 0; i < n; i++) out.push(data.subarray(i * dims, (i + 1) * dims));
  return out;
}

function handle(m: WorkerRequest): AnnHits | null {
  switch (m.op) {
    case 'create':
      indexes.set(m.id, new UsearchHnswIndex(m.opts as AnnIndexOptions));
      return null;
    case 'load':
      indexes.set(m.id, UsearchHnswIndex.load(m.path, readFileSync(metaPathFor(m.path), 'utf8')));
      return null;
    case 'add': {
      const idx = indexes.get(m.id)!;
      const labels = Array.from(m.labels);
      const vs = vectorsOf(m.data, m.dims, labels.length);
      if (labels.length === 1) idx.add(labels[0]!, vs[0]!); else idx.addBatch(labels, vs);
      return null;
    }
    case 'remove':
      for (const l of m.labels) indexes.get(m.id)!.remove(l);
      return null;
    case 'search':
      return indexes.get(m.id)!.search(m.q, m.count, { efSearch: m.efSearch });
    case 'save':
      indexes.get(m.id)!.save(m.path);
      return null;
    case 'drop':
      indexes.delete(m.id);
      return null;
    case 'barrier':
      return null;
  }
}

parentPort!.on('message', (m: WorkerRequest) => {
  let hits: AnnHits | null = null;
  let error: string | null = null;
  try {
    hits = handle(m);
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  if (m.sync !== undefined) writeSyncReply(m.sync, hits, error);
  else if (m.req !== undefined) parentPort!.postMessage({ req: m.req, hits, error });
  else if (error !== null) console.error(`ANN worker: ${m.op} failed: ${error}`);
});
