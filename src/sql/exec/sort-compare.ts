// Row ordering for sorts: compares rows on sort keys with PostgreSQL's rules (each type's
// comparison, DESC, NULLs last unless NULLS FIRST).
import { compareDatums } from '../types/index.js';
import type { SortSpec } from '../plan/index.js';
import type { Row } from './compile-expr.js';

export function rowComparator(keys: readonly SortSpec[]): (a: Row, b: Row) => number {
  return (a, b) => {
    for (const k of keys) {
      const x = a[k.index] ?? null;
      const y = b[k.index] ?? null;
      let c: number;
      if (x === null || y === null) {
        if (x === null && y === null) continue;
        // NULLs sort as larger than everything unless NULLS FIRST.
        c = x === null ? 1 : -1;
        if (k.nullsFirst) c = -c;
        return c;
      }
      c = compareDatums(k.typeOid, x, y);
      if (c !== 0) return k.descending ? -c : c;
    }
    return 0;
  };
}
