// Name scopes for binding: which relations of FROM are visible, what their columns are called,
// where each column sits in the scope row, and the enclosing query's scope for correlation.
import { SqlError, SQLSTATE } from '../../base/index.js';
import type { SqlType } from '../types/index.js';

export interface ScopeColumn {
  name: string;
  type: SqlType;
  /** Offset of the column in the scope row. */
  offset: number;
  tableOid: number;
  attnum: number;
  /** Hidden from unqualified look-up and * (dropped columns, the right side of JOIN USING). */
  hidden: boolean;
  /** Hidden from * expansion only (row keys). */
  system: boolean;
  /** Alias of the FROM item the column belongs to (for messages such as "t.x"). */
  alias?: string;
  /** A computed column (FULL JOIN USING's COALESCE(left, right)) instead of a stored offset. */
  expr?: import('./bound.js').BoundExpr;
}

export interface ScopeItem {
  alias: string;
  /** Schema-qualified name when the item is a table ('public.t'), for `public.t.col` references. */
  qualifiedName: string | null;
  columns: ScopeColumn[];
}

export class Scope {
  readonly items: ScopeItem[] = [];
  readonly parent: Scope | null;
  /** Width of the scope row. */
  width = 0;
  /** Columns merged by JOIN USING / NATURAL, visible unqualified as one column. */
  readonly merged = new Map<string, ScopeColumn>();

  constructor(parent: Scope | null) {
    this.parent = parent;
  }

  add(item: ScopeItem): void {
    for (const existing of this.items) {
      if (existing.alias === item.alias && item.alias !== '') {
        throw new SqlError(SQLSTATE.DUPLICATE_ALIAS, `table name "${item.alias}" specified more than once`);
      }
    }
    for (const c of item.columns) c.alias ??= item.alias;
    this.items.push(item);
  }

  /** Looks up a column; returns undefined when not found at this level. */
  lookup(qualifier: string | null, name: string, position: number | undefined): ScopeColumn | undefined {
    if (qualifier === null) {
      const merged = this.merged.get(name);
      if (merged !== undefined) return merged;
      let found: ScopeColumn | undefined;
      for (const item of this.items) {
        for (const c of item.columns) {
          if (c.name !== name || c.hidden) continue;
          if (found !== undefined) {
            throw new SqlError(SQLSTATE.AMBIGUOUS_COLUMN, `column reference "${name}" is ambiguous`, { position });
          }
          found = c;
        }
      }
      return found;
    }
    const item = this.findItem(qualifier);
    if (item === undefined) return undefined;
    for (const c of item.columns) if (c.name === name) return c;
    return undefined;
  }

  findItem(qualifier: string): ScopeItem | undefined {
    let found: ScopeItem | undefined;
    for (const item of this.items) {
      if (item.alias === qualifier || item.qualifiedName === qualifier) {
        found = item;
        break;
      }
    }
    return found;
  }

  hasItem(qualifier: string): boolean {
    return this.findItem(qualifier) !== undefined;
  }
}
