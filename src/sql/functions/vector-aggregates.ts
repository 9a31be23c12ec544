// pgvector's aggregates avg(vector|halfvec) and sum(vector|halfvec), plus the state functions it
// exposes (vector_accum/vector_avg/vector_combine and the halfvec_ ones) over its float8[] state
// {n, sum_1, ..., sum_dim}: NULL inputs skipped, NULL for no rows, float64 sums, pgvector's errors.
import type { Datum, SqlArray } from '../types/index.js';
import { OID } from '../types/index.js';
import { agg, fn } from './registry.js';
import { T } from './oids.js';
import { floatOverflow } from './errors.js';
import { denseAdd } from './vector-functions.js';
import {
  checkDim, checkElement, expectedDims, expectedStateArray, toHalfChecked, type DenseKind,
} from './vector-support.js';

/** The float8[] state: sums[0] is the count n, sums[1..dim] the running sums. */
type State = Float64Array;

/** The transition: adds x to the state (a new state when the state is still empty). */
function accum(state: State, x: Float32Array): State {
  const dim = state.length - 1;
  if (dim === 0) {
    const out = new Float64Array(x.length + 1);
    out[0] = state[0]! + 1;
    for (let i = 0; i < x.length; i++) out[i + 1] = x[i]!;
    return out;
  }
  if (dim !== x.length) throw expectedDims(dim, x.length);
  state[0] = state[0]! + 1;
  for (let i = 0; i < dim; i++) {
    const v = state[i + 1]! + x[i]!;
    if (!Number.isFinite(v)) throw floatOverflow();
    state[i + 1] = v;
  }
  return state;
}

function combine(s1: State, s2: State): State {
  const d1 = s1.length - 1, d2 = s2.length - 1;
  let out: State;
  if (d1 === 0 && d2 === 0) out = new Float64Array(1);
  else if (d1 === 0 || d2 === 0) {
    const src = d1 === 0 ? s2 : s1;
    checkDim('vector', src.length - 1);
    out = src.slice();
  } else {
    checkDim('vector', d1);
    if (d1 !== d2) throw expectedDims(d1, d2);
    out = new Float64Array(d1 + 1);
    for (let i = 1; i <= d1; i++) {
      const v = s1[i]! + s2[i]!;
      if (!Number.isFinite(v)) throw floatOverflow();
      out[i] = v;
    }
  }
  out[0] = s1[0]! + s2[0]!;
  return out;
}

/** The final function: NULL for n = 0, else sums / n rounded to the element type. */
function average(kind: DenseKind, state: State): Datum {
  const n = state[0]!;
  if (n === 0) return null;
  const dim = state.length - 1;
  checkDim(kind, dim);
  const out = new Float32Array(dim);
  for (let i = 0; i < dim; i++) {
    const x = kind === 'vector' ? Math.fround(state[i + 1]! / n) : toHalfChecked(state[i + 1]! / n);
    checkElement(kind, x);
    out[i] = x;
  }
  return out;
}

/** A SQL float8[] argument as a state, with pgvector's CheckStateArray validation. */
function stateOf(d: Datum, caller: string): State {
  const a = d as SqlArray;
  if (a.dims.length !== 1 || a.dims[0]! < 1 || a.elemOid !== T.float8 || a.items.some((x) => x === null)) {
    throw expectedStateArray(caller);
  }
  return Float64Array.from(a.items as number[]);
}

function stateDatum(s: State): SqlArray {
  return { kind: 'array', elemOid: T.float8, dims: [s.length], lbounds: [1], items: Array.from(s) };
}

export function registerVectorAggregates(): void {
  for (const kind of ['vector', 'halfvec'] as const) {
    const V = OID[kind];
    agg<{ s: State }>('avg', [V], V, {
      init: () => ({ s: new Float64Array(1) }),
      step: (st, a) => { st.s = accum(st.s, a[0] as Float32Array); return st; },
      final: (st) => average(kind, st.s),
    });
    agg<{ v: Float32Array | null }>('sum', [V], V, {
      init: () => ({ v: null }),
      step: (st, a) => {
        const x = a[0] as Float32Array;
        st.v = st.v === null ? x : denseAdd(kind, st.v, x);
        return st;
      },
      final: (st) => st.v,
    });
    fn(`${kind}_accum`, [T._float8, V], T._float8,
      (a) => stateDatum(accum(stateOf(a[0]!, `${kind}_accum`), a[1] as Float32Array)));
    fn(`${kind}_avg`, [T._float8], V, (a) => average(kind, stateOf(a[0]!, `${kind}_avg`)));
    // pgvector's halfvec_combine is vector_combine under another name (its messages say vector_combine)
    fn(`${kind}_combine`, [T._float8, T._float8], T._float8,
      (a) => stateDatum(combine(stateOf(a[0]!, 'vector_combine'), stateOf(a[1]!, 'vector_combine'))));
  }
}
