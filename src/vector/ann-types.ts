// The ANN index contract shared by the HNSW (usearch) and IVFFlat implementations: metric and
// scalar names, index options, search hits, the AnnIndex interface the SQL layer drives, option
// validation and input-vector checks. Distances are always pgvector's values for the metric.

export type AnnMetric = 'l2' | 'ip' | 'cosine' | 'l1' | 'hamming' | 'jaccard';
/** f32 = vector, f16 = halfvec (values already f16-rounded floats), bit = packed MSB-first bytes. */
export type AnnScalar = 'f32' | 'f16' | 'bit';
export type AnnKind = 'hnsw' | 'ivfflat';

export interface AnnIndexOptions {
  readonly metric: AnnMetric;
  readonly scalar: AnnScalar;
  /** Number of elements; for 'bit', the number of bits. */
  readonly dimensions: number;
  /** HNSW: max connections per layer (pgvector default 16; layer 0 gets 2*m). */
  readonly m?: number;
  /** HNSW: candidate list size while building (pgvector default 64). */
  readonly efConstruction?: number;
  /** IVFFlat: number of inverted lists (pgvector default 100). */
  readonly lists?: number;
}

/** Nearest labels and their pgvector distances, ascending by distance. */
export interface AnnHits {
  labels: Float64Array | number[];
  distances: Float64Array | number[];
}

export interface AnnSearchParams {
  /** HNSW candidate list size (pgvector hnsw.ef_search, default 40). */
  efSearch?: number;
  /** IVFFlat lists to scan (pgvector ivfflat.probes, default 1). */
  probes?: number;
}

export type AnnVector = Float32Array | Uint8Array;

export interface AnnIndex {
  readonly kind: AnnKind;
  readonly options: AnnIndexOptions;
  size(): number;
  /**
   * label: integer 0 <= label < 2^53; vector: Float32Array (f32/f16) or Uint8Array (bit).
   * Adding an existing label replaces its vector. Like pgvector, a zero vector under the cosine
   * metric is not indexed (has(label) stays false).
   */
  add(label: number, vector: AnnVector): void;
  /** Bulk build; uses several threads where the implementation can. */
  addBatch(labels: readonly number[], vectors: readonly AnnVector[], onProgress?: (done: number) => void): void;
  /** Removes a label; no-op when absent. */
  remove(label: number): void;
  has(label: number): boolean;
  /** Up to `count` nearest labels, ascending distance. */
  search(query: AnnVector, count: number, params: AnnSearchParams): AnnHits;
  /** Persists atomically (temp file + rename) to `path` (see annIndexFiles for every file written). */
  save(path: string): void;
}

export const DEFAULT_M = 16;
export const DEFAULT_EF_CONSTRUCTION = 64;
export const DEFAULT_EF_SEARCH = 40;
export const DEFAULT_LISTS = 100;
export const DEFAULT_PROBES = 1;
/** Largest label: labels must be exactly representable doubles. */
export const MAX_LABEL = Number.MAX_SAFE_INTEGER;

const METRICS: readonly AnnMetric[] = ['l2', 'ip', 'cosine', 'l1', 'hamming', 'jaccard'];
const SCALARS: readonly AnnScalar[] = ['f32', 'f16', 'bit'];

function positiveInt(name: string, v: number | undefined, max: number): void {
  if (v === undefined) return;
  if (!Number.isInteger(v) || v < 1 || v > max) throw new RangeError(`ANN index option ${name} must be an integer in 1..${max}, got ${v}`);
}

/** Throws an Error when the options are malformed or the metric does not fit the scalar type. */
export function validateAnnOptions(opts: AnnIndexOptions): void {
  if (!METRICS.includes(opts.metric)) throw new RangeError(`unknown ANN metric '${String(opts.metric)}'`);
  if (!SCALARS.includes(opts.scalar)) throw new RangeError(`unknown ANN scalar type '${String(opts.scalar)}'`);
  positiveInt('dimensions', opts.dimensions, 1 << 20);
  if (opts.dimensions === undefined) throw new RangeError('ANN index option dimensions is required');
  positiveInt('m', opts.m, 100);
  positiveInt('efConstruction', opts.efConstruction, 1000);
  positiveInt('lists', opts.lists, 1 << 20);
  const bitMetric = opts.metric === 'hamming' || opts.metric === 'jaccard';
  if (bitMetric !== (opts.scalar === 'bit')) {
    throw new RangeError(`ANN metric '${opts.metric}' does not apply to scalar type '${opts.scalar}'`);
  }
}

/** Bytes in a packed bit vector of `bits` bits. */
export function bitBytes(bits: number): number {
  return (bits + 7) >>> 3;
}

export function checkLabel(label: number): void {
  if (!Number.isInteger(label) || label < 0 || label > MAX_LABEL) {
    throw new RangeError(`ANN label must be an integer in 0..2^53-1, got ${label}`);
  }
}

/** Throws unless `v` has the type and length the options call for. */
export function checkVector(opts: AnnIndexOptions, v: AnnVector): void {
  if (opts.scalar === 'bit') {
    if (!(v instanceof Uint8Array)) throw new TypeError('bit ANN index expects packed Uint8Array vectors');
    if (v.length !== bitBytes(opts.dimensions)) {
      throw new RangeError(`expected ${opts.dimensions} bits (${bitBytes(opts.dimensions)} bytes), got ${v.length} bytes`);
    }
  } else {
    if (!(v instanceof Float32Array)) throw new TypeError(`${opts.scalar} ANN index expects Float32Array vectors`);
    if (v.length !== opts.dimensions) throw new RangeError(`expected ${opts.dimensions} dimensions, got ${v.length}`);
  }
}

/** Euclidean norm (double accumulation). */
export function norm(v: Float32Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

/** True when every bit is zero. */
export function allZero(v: Uint8Array): boolean {
  for (let i = 0; i < v.length; i++) if (v[i] !== 0) return false;
  return true;
}
