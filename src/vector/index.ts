// Public surface of src/vector: distance kernels, half-precision floats, ANN index structures
// (HNSW, IVFFlat) with their persistence, and deterministic clustered data for tests and benches.
export { seededRandom, clusteredData, exactTopK, recallAtK, type ClusteredData, type ClusteredDataOptions } from './clustered-data.js';
export {
  exactL2Squared, exactL2Distance, exactInnerProduct, exactCosineSimilarity, exactCosineDistance, exactL1Distance,
  exactSphericalDistance, exactNorm, cosineDistanceFromSimilarity, exactSparseL2Squared, exactSparseInnerProduct,
  exactSparseCosineDistance, exactSparseL1Distance, exactSparseNorm, popcount, hammingDistance, jaccardDistance,
  fastL2Squared, fastInnerProduct, fastCosineDistance, fastL1Distance, fastNorm, fastSparseL2Squared,
  fastSparseInnerProduct, fastSparseDenseInnerProduct, type SparseVectorLike,
} from './distance.js';
export { toHalf, halfToBits, halfFromBits, HALF_MAX } from './half-float.js';
// ANN indexes (HNSW on usearch, IVFFlat in TypeScript) behind pgvector's hnsw and ivfflat.
export {
  type AnnMetric, type AnnScalar, type AnnKind, type AnnIndexOptions, type AnnHits, type AnnSearchParams,
  type AnnVector, type AnnIndex, DEFAULT_M, DEFAULT_EF_CONSTRUCTION, DEFAULT_EF_SEARCH, DEFAULT_LISTS,
  DEFAULT_PROBES, MAX_LABEL, validateAnnOptions,
} from './ann-types.js';
export { createAnnIndex, loadAnnIndex } from './ann-index.js';
export { annIndexFiles } from './ann-files.js';
export { UsearchHnswIndex, UsearchUnsupportedError, ANN_THREADS } from './usearch-hnsw.js';
export { IvfFlatIndex, type IvfFlatBuildOptions } from './ivfflat.js';
// TypeScript HNSW graph for what usearch cannot serve: L1, sparse vectors, filtered and iterative scans.
export {
  HnswGraph, type HnswGraphOptions, type HnswMetric, type HnswHits, type GraphVector, type SparseGraphVector,
  type HnswSearchParams, type HnswIterParams,
} from './hnsw-graph.js';
export { RemoteHnswIndex, remoteHnswAvailable } from './hnsw-remote.js';
export { HybridHnswIndex, hybridHnswAvailable } from './hnsw-hybrid.js';
