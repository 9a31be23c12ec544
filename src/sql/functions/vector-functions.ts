// pgvector's functions and operators on the dense types vector and halfvec (as its extension
// script declares them, with its result types and error messages): distances <-> <#> <=> <+>,
// element-wise + - * and ||, comparisons, norms, l2_normalize, binary_quantize, subvector, and the
// "private" helpers (vector_cmp, vector_l2_squared_distance, ...) the extension also exposes.
import type { Datum } from '../types/index.js';
import { OID, compareDatums } from '../types/index.js';
import {
  exactCosineDistance, exactInnerProduct, exactL1Distance, exactL2Distance, exactL2Squared, exactNorm,
  exactSphericalDistance,
} from '../../vector/index.js';
import { fn, op, type Impl } from './registry.js';
import { T } from './oids.js';
import { floatOverflow, floatUnderflow } from './errors.js';
import {
  binaryQuantize, checkDim, differentDims, roundHalf, type DenseKind,
} from './vector-support.js';

type Vec = Float32Array;

/** Registers pgvector's functions and operators on vector and halfvec. */
export function registerVectorFunctions(): void {
  registerDense('vector');
  registerDense('halfvec');
}

/** Rounds an element result to the type's precision: float32, or half for halfvec. */
export function elementRounder(kind: DenseKind): (x: number) => number {
  return kind === 'vector' ? Math.fround : roundHalf;
}

/** Throws "different vector dimensions 2 and 1" unless a and b have the same length. */
export function sameDims(kind: DenseKind, a: Vec, b: Vec): void {
  if (a.length !== b.length) throw differentDims(kind, a.length, b.length);
}

/** vector_add / halfvec_add (also the sum aggregate's step). */
export function denseAdd(kind: DenseKind, a: Vec, b: Vec): Vec {
  sameDims(kind, a, b);
  const round = elementRounder(kind);
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = round(a[i]! + b[i]!);
  for (let i = 0; i < out.length; i++) if (!Number.isFinite(out[i]!)) throw floatOverflow();
  return out;
}

function denseSub(kind: DenseKind, a: Vec, b: Vec): Vec {
  sameDims(kind, a, b);
  const round = elementRounder(kind);
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = round(a[i]! - b[i]!);
  for (let i = 0; i < out.length; i++) if (!Number.isFinite(out[i]!)) throw floatOverflow();
  return out;
}

function denseMul(kind: DenseKind, a: Vec, b: Vec): Vec {
  sameDims(kind, a, b);
  const round = elementRounder(kind);
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = round(a[i]! * b[i]!);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i]!)) throw floatOverflow();
    if (out[i] === 0 && !(a[i] === 0 || b[i] === 0)) throw floatUnderflow();
  }
  return out;
}

function denseConcat(kind: DenseKind, a: Vec, b: Vec): Vec {
  checkDim(kind, a.length + b.length);
  const out = new Float32Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** l2_normalize: x / ‖x‖ (float64 norm), the zero vector for a zero norm. */
function denseNormalize(kind: DenseKind, a: Vec): Vec {
  const round = elementRounder(kind);
  const out = new Float32Array(a.length);
  const norm = exactNorm(a);
  if (norm > 0) {
    for (let i = 0; i < a.length; i++) out[i] = round(a[i]! / norm);
    for (let i = 0; i < out.length; i++) if (!Number.isFinite(out[i]!)) throw floatOverflow();
  }
  return out;
}

/** subvector(v, start, count): 1-based like substring; errors when the result would be empty. */
function subvector(kind: DenseKind, a: Vec, start: number, count: number): Vec {
  if (count < 1) checkDim(kind, 0);
  const dim = a.length;
  const end = start > dim - count ? dim + 1 : start + count;
  if (start < 1) start = 1;
  else if (start > dim) checkDim(kind, 0);
  const n = end - start;
  checkDim(kind, n);
  return a.slice(start - 1, start - 1 + n);
}

function registerDense(kind: DenseKind): void {
  const V = OID[kind], F8 = T.float8, B = T.bool;
  const two = (f: (a: Vec, b: Vec) => Datum): Impl => (args) => {
    const a = args[0] as Vec, b = args[1] as Vec;
    sameDims(kind, a, b);
    return f(a, b);
  };
  const l2 = two(exactL2Distance);
  const ip = two(exactInnerProduct);
  const negIp = two((a, b) => -exactInnerProduct(a, b));
  const cos = two(exactCosineDistance);
  const l1 = two(exactL1Distance);

  // distances
  fn('l2_distance', [V, V], F8, l2);
  fn('inner_product', [V, V], F8, ip);
  fn('cosine_distance', [V, V], F8, cos);
  fn('l1_distance', [V, V], F8, l1);
  fn(`${kind}_l2_squared_distance`, [V, V], F8, two(exactL2Squared));
  fn(`${kind}_negative_inner_product`, [V, V], F8, negIp);
  fn(`${kind}_spherical_distance`, [V, V], F8, two(exactSphericalDistance));
  op('<->', V, V, F8, l2);
  op('<#>', V, V, F8, negIp);
  op('<=>', V, V, F8, cos);
  op('<+>', V, V, F8, l1);

  // element-wise arithmetic and concatenation
  const add: Impl = (a) => denseAdd(kind, a[0] as Vec, a[1] as Vec);
  const sub: Impl = (a) => denseSub(kind, a[0] as Vec, a[1] as Vec);
  const mul: Impl = (a) => denseMul(kind, a[0] as Vec, a[1] as Vec);
  const cat: Impl = (a) => denseConcat(kind, a[0] as Vec, a[1] as Vec);
  op('+', V, V, V, add);
  op('-', V, V, V, sub);
  op('*', V, V, V, mul);
  op('||', V, V, V, cat);
  fn(`${kind}_add`, [V, V], V, add);
  fn(`${kind}_sub`, [V, V], V, sub);
  fn(`${kind}_mul`, [V, V], V, mul);
  fn(`${kind}_concat`, [V, V], V, cat);

  // comparisons: pgvector's vector_cmp / halfvec_cmp order, as sql/types implements it
  const cmp = (a: Datum[]): number => compareDatums(V, a[0]!, a[1]!);
  const rel: [string, string, (c: number) => boolean][] = [
    ['<', 'lt', (c) => c < 0], ['<=', 'le', (c) => c <= 0], ['=', 'eq', (c) => c === 0],
    ['<>', 'ne', (c) => c !== 0], ['>=', 'ge', (c) => c >= 0], ['>', 'gt', (c) => c > 0],
  ];
  for (const [sym, name, test] of rel) {
    const impl: Impl = (a) => test(cmp(a));
    op(sym, V, V, B, impl);
    fn(`${kind}_${name}`, [V, V], B, impl);
  }
  fn(`${kind}_cmp`, [V, V], T.int4, cmp);

  // scalar functions
  fn('vector_dims', [V], T.int4, (a) => (a[0] as Vec).length);
  fn(kind === 'vector' ? 'vector_norm' : 'l2_norm', [V], F8, (a) => exactNorm(a[0] as Vec));
  fn('l2_normalize', [V], V, (a) => denseNormalize(kind, a[0] as Vec));
  fn('binary_quantize', [V], OID.bit, (a) => binaryQuantize(a[0] as Vec));
  fn('subvector', [V, T.int4, T.int4], V, (a) => subvector(kind, a[0] as Vec, a[1] as number, a[2] as number));
}
