// Public surface of storage: the LMDB-backed MVCC store, changed only by applying write batches.
export {
  Store, type WriteBatch, type ApplyListener, type StoreOptions, type ScanOptions, type RawVersion,
  type GcOptions, type GcResult,
} from './store.js';
export { TS_MAX } from './mvcc-key.js';
export { PackedPuts } from './packed-puts.js';
