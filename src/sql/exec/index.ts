// Public surface of sql/exec: running physical plans and DML over a transaction.
export { runPlan, runPlanPausable, rowComparator } from './run-plan.js';
export { compileExpr, compilePredicate, type Row, type Evaluator } from './compile-expr.js';
export { runInsert, runUpdate, runDelete, lockSelectedRows, type DmlResult } from './run-dml.js';
export { RowWriter, isStorageIndex, type WriterCatalog } from './row-writer.js';
export { tick, checkInterrupts, PAUSE, type ExecContext } from './exec-context.js';
export {
  layoutOf, storageKeyOf, encodeStoredRow, decodeStoredRow, decodeStoredColumns, indexLayoutOf, indexEntryKey,
} from './table-codec.js';
export { AnnIndexes, LiveAnnIndex, indexedValueHash, type IndexBuildProgress, type IndexKeyFn } from './ann-indexes.js';
