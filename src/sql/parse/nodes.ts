// Small accessors for libpg-query's JSON parse tree (`{ Tag: body }` wrappers, String nodes,
// omitted zero/false fields), so binders read `nodeTag(n)` instead of poking at keys.
import type { PgNode } from './parser.js';

/** The tag of a wrapped node: `{ A_Const: {...} }` → 'A_Const'. */
export function nodeTag(n: PgNode): string {
  for (const k in n) return k;
  return '';
}

/** The body of a wrapped node. */
export function nodeBody(n: PgNode): PgNode {
  for (const k in n) return n[k] as PgNode;
  return {};
}

/** The string of a `{ String: { sval } }` node (or an A_Star as '*'). */
export function strVal(n: PgNode): string {
  if (n['String'] !== undefined) return (n['String'].sval as string | undefined) ?? '';
  if (n['A_Star'] !== undefined) return '*';
  if (n['Integer'] !== undefined) return String(n['Integer'].ival ?? 0);
  return '';
}

/** A list of String nodes → names (e.g. qualified names, funcname). */
export function nameList(list: readonly PgNode[] | undefined): string[] {
  return (list ?? []).map(strVal);
}
