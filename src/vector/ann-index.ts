// Entry points for ANN indexes: createAnnIndex picks the implementation for a kind (HNSW on
// usearch, IVFFlat in TypeScript) and loadAnnIndex restores whichever one was saved at a path.
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import type { AnnIndex, AnnIndexOptions, AnnKind } from './ann-types.js';
import { metaPathFor } from './ann-files.js';
import { IvfFlatIndex } from './ivfflat.js';
import { UsearchHnswIndex } from './usearch-hnsw.js';

/**
 * A new empty index. HNSW with metric 'l1' throws UsearchUnsupportedError (usearch has no L1;
 * route vector_l1_ops to the TypeScript HNSW graph); IVFFlat rejects 'l1' like pgvector.
 */
export function createAnnIndex(kind: AnnKind, opts: AnnIndexOptions): AnnIndex {
  switch (kind) {
    case 'hnsw': return new UsearchHnswIndex(opts);
    case 'ivfflat': return new IvfFlatIndex(opts);
    default: throw new RangeError(`unknown ANN index kind '${String(kind)}'`);
  }
}

/** Restores an index written by AnnIndex.save(path). */
export function loadAnnIndex(path: string): AnnIndex {
  const head = new Uint8Array(8);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 8, 0);
  } finally {
    closeSync(fd);
  }
  if (IvfFlatIndex.sniff(head)) return IvfFlatIndex.load(path);
  const meta = metaPathFor(path);
  if (!existsSync(meta)) throw new Error(`${path}: not an IVFFlat file and no HNSW sidecar ${meta}`);
  return UsearchHnswIndex.load(path, readFileSync(meta, 'utf8'));
}
