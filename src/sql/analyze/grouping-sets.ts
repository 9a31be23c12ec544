// GROUP BY with ROLLUP, CUBE and GROUPING SETS: expands a GROUP BY list into the grouping sets it
// stands for (each a list of indexes into the query's distinct group keys, PostgreSQL's order),
// and GROUPING(...): a call the binder leaves in place until grouping analysis turns it into the
// bit mask of the current row's grouping set.
import { SqlError, SQLSTATE } from '../../base/index.js';
import type { PgNode } from '../parse/index.js';
import { nodeBody, nodeTag } from '../parse/index.js';
import { OID, type SqlArray } from '../types/index.js';
import type { ScalarFunctionDef } from '../functions/index.js';
import type { BoundExpr } from './bound.js';
import { exprKey } from './expr-utils.js';

/** PostgreSQL's limit on the grouping sets one GROUP BY may expand to. */
const MAX_GROUPING_SETS = 4096;

/** GROUPING(args) as bound: a call of this definition, never run (grouping analysis replaces it). */
export const GROUPING_FN: ScalarFunctionDef = {
  kind: 'function', name: 'grouping', oid: 0, argTypes: [], returnType: OID.int4, volatility: 'i', strict: false,
  impl: () => { throw new Error('internal: GROUPING outside of grouping analysis'); },
};

/**
 * The grouping sets of a GROUP BY list, or null when it has no ROLLUP, CUBE or GROUPING SETS.
 * `keyOf` binds one grouping expression and returns its index among the query's group keys.
 */
export function expandGroupingSets(items: PgNode[], keyOf: (node: PgNode) => number): number[][] | null {
  if (!items.some((g) => nodeTag(g) === 'GroupingSet')) return null;
  // The GROUP BY list is the cross product of its items' sets.
  let sets: number[][] = [[]];
  for (const item of items) {
    const alternatives = itemSets(item, keyOf);
    const next: number[][] = [];
    for (const s of sets) for (const a of alternatives) next.push([...s, ...a]);
    if (next.length > MAX_GROUPING_SETS) throw new SqlError(SQLSTATE.STATEMENT_TOO_COMPLEX, 'too many grouping sets present (maximum 4096)');
    sets = next;
  }
  return sets.map((s) => [...new Set(s)]);
}

/** The sets one GROUP BY item stands for. */
function itemSets(node: PgNode, keyOf: (node: PgNode) => number): number[][] {
  if (nodeTag(node) !== 'GroupingSet') return [unit(node, keyOf)];
  const g = nodeBody(node);
  const content = (g.content as PgNode[] | undefined) ?? [];
  switch (g.kind as string) {
    case 'GROUPING_SET_EMPTY': return [[]];
    case 'GROUPING_SET_SIMPLE': return [content.flatMap((c) => unit(c, keyOf))];
    case 'GROUPING_SET_ROLLUP': {
      const units = content.map((c) => unit(c, keyOf));
      const out: number[][] = [];
      for (let n = units.length; n >= 0; n--) out.push(units.slice(0, n).flat());
      return out;
    }
    case 'GROUPING_SET_CUBE': {
      const units = content.map((c) => unit(c, keyOf));
      if (units.length > 12) throw new SqlError(SQLSTATE.PROGRAM_LIMIT_EXCEEDED, 'CUBE is limited to 12 elements');
      const out: number[][] = [];
      // PostgreSQL's order: the full set first, then dropping the last elements first.
      for (let mask = (1 << units.length) - 1; mask >= 0; mask--) {
        const set: number[] = [];
        for (let i = 0; i < units.length; i++) if ((mask & (1 << (units.length - 1 - i))) !== 0) set.push(...units[i]!);
        out.push(set);
      }
      return out;
    }
    case 'GROUPING_SET_SETS': return content.flatMap((c) => itemSets(c, keyOf));
    default: throw new SqlError(SQLSTATE.FEATURE_NOT_SUPPORTED, `grouping set kind ${g.kind as string} is not supported`);
  }
}

/** One element of ROLLUP/CUBE/SETS: an expression, or a parenthesized list of them. */
function unit(node: PgNode, keyOf: (node: PgNode) => number): number[] {
  if (nodeTag(node) === 'RowExpr') return ((nodeBody(node).args as PgNode[] | undefined) ?? []).map(keyOf);
  return [keyOf(node)];
}

/**
 * GROUPING(args) over the grouped row: for grouping sets, the mask of the row's set (bit set for
 * each argument not grouped in it, the first argument highest), read from the set number the
 * aggregate appends at `setSlot`; without grouping sets every argument is grouped, so 0.
 */
export function groupingValue(
  call: Extract<BoundExpr, { kind: 'call' }>, keyIndex: ReadonlyMap<string, number>, sets: number[][] | null, setSlot: number,
): BoundExpr {
  const INT4 = { oid: OID.int4, typmod: -1 };
  const keys = call.args.map((a) => {
    const k = keyIndex.get(exprKey(a));
    if (k === undefined) {
      throw new SqlError(SQLSTATE.GROUPING_ERROR, 'arguments to GROUPING must be grouping expressions of the associated query level');
    }
    return k;
  });
  if (sets === null) return { kind: 'const', type: INT4, value: 0 };
  const masks = sets.map((set) => keys.reduce((m, k) => (m << 1) | (set.includes(k) ? 0 : 1), 0));
  const array: SqlArray = { kind: 'array', elemOid: OID.int4, dims: [masks.length], lbounds: [1], items: masks };
  return {
    kind: 'subscript', arg: { kind: 'const', type: { oid: OID._int4, typmod: -1 }, value: array },
    indexes: [{ lower: null, upper: { kind: 'grouped', index: setSlot, type: INT4 } }], slice: false, type: INT4,
  };
}
