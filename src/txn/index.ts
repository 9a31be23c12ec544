// Public surface of txn: timestamps, transactions, snapshots, row locks, commit.
export { Hlc, HLC_LOGICAL_BITS, type WallClock } from './hlc.js';
export {
  TxnManager, Txn, type IsolationLevel, type BeginOptions, type TxnScanOptions, type TxnManagerOptions,
} from './txn-manager.js';
export type { LockMode } from './lock-table.js';
export type { WriteBatch, ApplyListener, GcResult } from '../storage/index.js';
