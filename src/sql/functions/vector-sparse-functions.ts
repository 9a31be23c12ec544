// pgvector's functions and operators on sparsevec: distances <-> <#> <=> <+> (and the named
// functions), l2_norm, l2_normalize, comparisons with pgvector's ordering (sparsevec_cmp, from sql/types), and the exposed helpers
// sparsevec_cmp, sparsevec_l2_squared_distance and sparsevec_negative_inner_product.
import type { Datum, SparseVec } from '../types/index.js';
import { OID, compareDatums } from '../types/index.js';
import {
  exactSparseCosineDistance, exactSparseInnerProduct, exactSparseL1Distance, exactSparseL2Squared, exactSparseNorm,
} from '../../vector/index.js';
import { fn, op, type Impl } from './registry.js';
import { T } from './oids.js';
import { floatOverflow } from './errors.js';
import { differentDims } from './vector-support.js';

/** l2_normalize(sparsevec): values / ‖v‖ in float32; entries that underflow to zero are dropped. */
function sparseNormalize(a: SparseVec): SparseVec {
  const norm = exactSparseNorm(a);
  if (!(norm > 0)) return { kind: 'sparsevec', dim: a.dim, indices: a.indices.slice(), values: a.values.slice() };
  const vals = new Float32Array(a.values.length);
  let zeros = 0;
  for (let i = 0; i < vals.length; i++) {
    const x = Math.fround(a.values[i]! / norm);
    if (!Number.isFinite(x)) throw floatOverflow();
    if (x === 0) zeros++;
    vals[i] = x;
  }
  if (zeros === 0) return { kind: 'sparsevec', dim: a.dim, indices: a.indices.slice(), values: vals };
  const idx = new Int32Array(vals.length - zeros), out = new Float32Array(vals.length - zeros);
  let j = 0;
  for (let i = 0; i < vals.length; i++) {
    if (vals[i] === 0) continue;
    idx[j] = a.indices[i]!;
    out[j++] = vals[i]!;
  }
  return { kind: 'sparsevec', dim: a.dim, indices: idx, values: out };
}

export function registerSparsevecFunctions(): void {
  const S = OID.sparsevec, F8 = T.float8, B = T.bool;
  const two = (f: (a: SparseVec, b: SparseVec) => Datum): Impl => (args) => {
    const a = args[0] as SparseVec, b = args[1] as SparseVec;
    if (a.dim !== b.dim) throw differentDims('sparsevec', a.dim, b.dim);
    return f(a, b);
  };
  const l2 = two((a, b) => Math.sqrt(exactSparseL2Squared(a, b)));
  const negIp = two((a, b) => -exactSparseInnerProduct(a, b));
  const cos = two(exactSparseCosineDistance);
  const l1 = two(exactSparseL1Distance);
  fn('l2_distance', [S, S], F8, l2);
  fn('inner_product', [S, S], F8, two(exactSparseInnerProduct));
  fn('cosine_distance', [S, S], F8, cos);
  fn('l1_distance', [S, S], F8, l1);
  fn('sparsevec_l2_squared_distance', [S, S], F8, two(exactSparseL2Squared));
  fn('sparsevec_negative_inner_product', [S, S], F8, negIp);
  op('<->', S, S, F8, l2);
  op('<#>', S, S, F8, negIp);
  op('<=>', S, S, F8, cos);
  op('<+>', S, S, F8, l1);

  fn('l2_norm', [S], F8, (a) => exactSparseNorm(a[0] as SparseVec));
  fn('l2_normalize', [S], S, (a) => sparseNormalize(a[0] as SparseVec));

  const cmp = (a: Datum[]): number => compareDatums(S, a[0]!, a[1]!);
  const rel: [string, string, (c: number) => boolean][] = [
    ['<', 'lt', (c) => c < 0], ['<=', 'le', (c) => c <= 0], ['=', 'eq', (c) => c === 0],
    ['<>', 'ne', (c) => c !== 0], ['>=', 'ge', (c) => c >= 0], ['>', 'gt', (c) => c > 0],
  ];
  for (const [sym, name, test] of rel) {
    const impl: Impl = (a) => test(cmp(a));
    op(sym, S, S, B, impl);
    fn(`sparsevec_${name}`, [S, S], B, impl);
  }
  fn('sparsevec_cmp', [S, S], T.int4, cmp);
}
