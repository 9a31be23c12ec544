// Aggregates: count, sum, avg, min/max, string_agg, array_agg, bool_and/or, every, bit_and/or/xor,
// stddev/variance (samp/pop), with PostgreSQL's result types (sum(int4) → bigint, avg(int) →
// numeric, ...), result scales and empty-input results (NULL, or 0 for count).
import { SqlError, SQLSTATE } from '../../base/index.js';
import type { Datum, SqlArray } from '../types/index.js';
import { Interval, Numeric } from '../types/index.js';
import { agg, type AggSpec } from './registry.js';
import { T } from './oids.js';
import { compareValues } from './compare.js';
import { floatOverflow, int8Range } from './errors.js';

interface Box<V> { v: V; n: number }

function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = BigInt(Math.floor(Math.sqrt(Number(n))));
  if (x === 0n) x = 1n;
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) break;
    x = y;
  }
  while (x * x > n) x -= 1n;
  while ((x + 1n) * (x + 1n) <= n) x += 1n;
  return x;
}

/** sqrt of a non-negative numeric, rounded to rscale digits (PostgreSQL's sqrt_var at rscale). */
function sqrtAtScale(v: Numeric, rscale: number): Numeric {
  const s = rscale + 1;
  const shift = 2 * s - v.scale;
  const n = shift >= 0 ? v.coef * 10n ** BigInt(shift) : v.coef / 10n ** BigInt(-shift);
  const r = isqrt(n);
  return Numeric.of(r, s).round(rscale);
}

/** Numeric moments state: count, sum of x, sum of x². */
interface Moments { n: bigint; sx: Numeric; sxx: Numeric; nan: boolean }

function numericVariance(st: Moments, sample: boolean, variance: boolean): Datum {
  if (st.n === 0n || (sample && st.n === 1n)) return null;
  if (st.nan) return Numeric.NaN;
  const N = Numeric.fromBigInt(st.n);
  const rscale0 = st.sxx.scale;
  let num = N.mul(st.sxx).round(rscale0).sub(st.sx.mul(st.sx).round(rscale0));
  if (num.sign() <= 0) return Numeric.ZERO;
  num = num.round(rscale0);
  const den = Numeric.fromBigInt(sample ? st.n * (st.n - 1n) : st.n * st.n);
  const rscale = Numeric.divScale(num, den);
  const v = num.div(den, rscale);
  return variance ? v : sqrtAtScale(v, rscale);
}

/** float8 Youngs-Cramer state. */
interface FMoments { n: number; sx: number; sxx: number }

function floatAccum(st: FMoments, x: number): FMoments {
  const n = st.n + 1;
  const sx = st.sx + x;
  let sxx = st.sxx;
  if (st.n > 0) {
    const tmp = x * n - sx;
    sxx += (tmp * tmp) / (n * st.n);
    if (!Number.isFinite(sx) || !Number.isFinite(sxx)) {
      if (Number.isFinite(st.sx) && Number.isFinite(x)) throw floatOverflow();
      sxx = NaN;
    }
  } else if (!Number.isFinite(x)) sxx = NaN;
  st.n = n; st.sx = sx; st.sxx = sxx;
  return st;
}

function floatVariance(st: FMoments, sample: boolean, variance: boolean): Datum {
  if (st.n === 0 || (sample && st.n === 1)) return null;
  const v = st.sxx / (sample ? st.n - 1 : st.n);
  return variance ? v : Math.sqrt(v);
}

function toNumeric(d: Datum): Numeric {
  if (typeof d === 'number') return Numeric.fromBigInt(BigInt(d));
  if (typeof d === 'bigint') return Numeric.fromBigInt(d);
  return d as Numeric;
}

export function registerAggregates(): void {
  const I8 = T.int8, N = T.numeric, F8 = T.float8;
  // count
  agg<Box<null>>('count', [], I8, { strict: false, init: () => ({ v: null, n: 0 }), step: (s) => { s.n++; return s; }, final: (s) => BigInt(s.n) });
  agg<Box<null>>('count', [T.any], I8, { init: () => ({ v: null, n: 0 }), step: (s) => { s.n++; return s; }, final: (s) => BigInt(s.n) });

  // sum
  for (const t of [T.int2, T.int4]) {
    agg<Box<bigint>>('sum', [t], I8, {
      init: () => ({ v: 0n, n: 0 }),
      step: (s, a) => { s.v += BigInt(a[0] as number); s.n++; return s; },
      final: (s) => {
        if (s.n === 0) return null;
        if (s.v > 9223372036854775807n || s.v < -9223372036854775808n) throw int8Range();
        return s.v;
      },
    });
  }
  agg<Box<bigint>>('sum', [T.int8], N, {
    init: () => ({ v: 0n, n: 0 }),
    step: (s, a) => { s.v += a[0] as bigint; s.n++; return s; },
    final: (s) => (s.n === 0 ? null : Numeric.fromBigInt(s.v)),
  });
  agg<Box<number>>('sum', [T.float4], T.float4, {
    init: () => ({ v: 0, n: 0 }),
    step: (s, a) => {
      const x = a[0] as number, r = Math.fround(s.v + x);
      if (!Number.isFinite(r) && Number.isFinite(s.v) && Number.isFinite(x)) throw floatOverflow();
      s.v = r; s.n++; return s;
    },
    final: (s) => (s.n === 0 ? null : s.v),
  });
  agg<Box<number>>('sum', [F8], F8, {
    init: () => ({ v: 0, n: 0 }),
    step: (s, a) => {
      const x = a[0] as number, r = s.v + x;
      if (!Number.isFinite(r) && Number.isFinite(s.v) && Number.isFinite(x)) throw floatOverflow();
      s.v = r; s.n++; return s;
    },
    final: (s) => (s.n === 0 ? null : s.v),
  });
  agg<Box<Numeric>>('sum', [N], N, {
    init: () => ({ v: Numeric.ZERO, n: 0 }),
    step: (s, a) => { s.v = s.v.add(a[0] as Numeric); s.n++; return s; },
    final: (s) => (s.n === 0 ? null : s.v),
  });
  agg<Box<Interval>>('sum', [T.interval], T.interval, {
    init: () => ({ v: Interval.ZERO, n: 0 }),
    step: (s, a) => { s.v = s.v.add(a[0] as Interval); s.n++; return s; },
    final: (s) => (s.n === 0 ? null : s.v),
  });

  // avg
  for (const t of [T.int2, T.int4, T.int8]) {
    agg<Box<bigint>>('avg', [t], N, {
      init: () => ({ v: 0n, n: 0 }),
      step: (s, a) => { const x = a[0]!; s.v += typeof x === 'bigint' ? x : BigInt(x as number); s.n++; return s; },
      final: (s) => (s.n === 0 ? null : Numeric.fromBigInt(s.v).div(Numeric.fromBigInt(BigInt(s.n)))),
    });
  }
  for (const t of [T.float4, F8]) {
    agg<FMoments>('avg', [t], F8, {
      init: () => ({ n: 0, sx: 0, sxx: 0 }),
      step: (s, a) => floatAccum(s, a[0] as number),
      final: (s) => (s.n === 0 ? null : s.sx / s.n),
    });
  }
  agg<Box<Numeric>>('avg', [N], N, {
    init: () => ({ v: Numeric.ZERO, n: 0 }),
    step: (s, a) => { s.v = s.v.add(a[0] as Numeric); s.n++; return s; },
    final: (s) => (s.n === 0 ? null : s.v.div(Numeric.fromBigInt(BigInt(s.n)))),
  });
  agg<Box<Interval>>('avg', [T.interval], T.interval, {
    init: () => ({ v: Interval.ZERO, n: 0 }),
    step: (s, a) => { s.v = s.v.add(a[0] as Interval); s.n++; return s; },
    final: (s) => (s.n === 0 ? null : s.v.div(s.n)),
  });

  // min / max
  const ordered = [T.int2, T.int4, T.int8, T.oid, T.float4, F8, T.date, T.time, T.timestamp, T.timestamptz,
    T.interval, T.text, N, T.anyarray, T.bpchar];
  for (const t of ordered) {
    for (const [name, sign] of [['min', -1], ['max', 1]] as const) {
      agg<Box<Datum>>(name, [t], t, {
        init: () => ({ v: null, n: 0 }),
        step: (s, a) => {
          const x = a[0]!;
          if (s.n === 0) { s.v = x; s.n = 1; return s; }
          const c = compareValues(x, s.v, t);
          if (c * sign > 0) s.v = x;
          return s;
        },
        final: (s) => (s.n === 0 ? null : s.v),
      });
    }
  }

  // string_agg
  agg<{ parts: string[] | null }>('string_agg', [T.text, T.text], T.text, {
    strict: false,
    init: () => ({ parts: null }),
    step: (s, a) => {
      if (a[0] === null) return s;
      if (s.parts === null) s.parts = [a[0] as string];
      else s.parts.push((a[1] as string | null) ?? '', a[0] as string);
      return s;
    },
    final: (s) => (s.parts === null ? null : s.parts.join('')),
  });
  agg<{ parts: Uint8Array[] | null }>('string_agg', [T.bytea, T.bytea], T.bytea, {
    strict: false,
    init: () => ({ parts: null }),
    step: (s, a) => {
      if (a[0] === null) return s;
      if (s.parts === null) s.parts = [a[0] as Uint8Array];
      else { if (a[1] !== null) s.parts.push(a[1] as Uint8Array); s.parts.push(a[0] as Uint8Array); }
      return s;
    },
    final: (s) => {
      if (s.parts === null) return null;
      const out = new Uint8Array(s.parts.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of s.parts) { out.set(p, o); o += p.length; }
      return out;
    },
  });

  // array_agg
  const arrayAgg = (elem: number): AggSpec<{ items: Datum[] }> => ({
    strict: false,
    init: () => ({ items: [] }),
    step: (s, a) => { s.items.push(a[0]!); return s; },
    final: (s): Datum => (s.items.length === 0 ? null
      // a copy: a window aggregate reads the result and goes on adding to the state
      : { kind: 'array', elemOid: elem, dims: [s.items.length], lbounds: [1], items: s.items.slice() } satisfies SqlArray),
  });
  agg('array_agg', [T.anynonarray], T.anyarray, arrayAgg(T.text), (t) => arrayAgg(t.args[0]!));
  agg<{ arrs: SqlArray[] }>('array_agg', [T.anyarray], T.anyarray, {
    strict: false,
    init: () => ({ arrs: [] }),
    step: (s, a) => {
      const x = a[0] as SqlArray | null;
      if (x === null) throw new SqlError(SQLSTATE.NULL_VALUE_NOT_ALLOWED, 'cannot accumulate null arrays');
      s.arrs.push(x);
      return s;
    },
    final: (s): Datum => {
      if (s.arrs.length === 0) return null;
      const first = s.arrs[0]!;
      for (const x of s.arrs) {
        if (x.dims.length !== first.dims.length || x.dims.some((d, i) => d !== first.dims[i])) {
          throw arrayAggDims();
        }
      }
      if (first.dims.length === 0) throw arrayAggEmpty();
      return {
        kind: 'array', elemOid: first.elemOid, dims: [s.arrs.length, ...first.dims], lbounds: [1, ...first.lbounds],
        items: s.arrs.flatMap((x) => x.items),
      };
    },
  });

  // booleans
  for (const [name, isAnd] of [['bool_and', true], ['every', true], ['bool_or', false]] as const) {
    agg<Box<boolean>>(name, [T.bool], T.bool, {
      init: () => ({ v: isAnd, n: 0 }),
      step: (s, a) => { s.v = isAnd ? s.v && (a[0] as boolean) : s.v || (a[0] as boolean); s.n++; return s; },
      final: (s) => (s.n === 0 ? null : s.v),
    });
  }
  // bitwise
  for (const t of [T.int2, T.int4]) {
    agg<Box<number>>('bit_and', [t], t, { init: () => ({ v: -1, n: 0 }), step: (s, a) => { s.v &= a[0] as number; s.n++; return s; }, final: (s) => (s.n === 0 ? null : s.v) });
    agg<Box<number>>('bit_or', [t], t, { init: () => ({ v: 0, n: 0 }), step: (s, a) => { s.v |= a[0] as number; s.n++; return s; }, final: (s) => (s.n === 0 ? null : s.v) });
    agg<Box<number>>('bit_xor', [t], t, { init: () => ({ v: 0, n: 0 }), step: (s, a) => { s.v ^= a[0] as number; s.n++; return s; }, final: (s) => (s.n === 0 ? null : s.v) });
  }
  agg<Box<bigint>>('bit_and', [I8], I8, { init: () => ({ v: -1n, n: 0 }), step: (s, a) => { s.v &= a[0] as bigint; s.n++; return s; }, final: (s) => (s.n === 0 ? null : s.v) });
  agg<Box<bigint>>('bit_or', [I8], I8, { init: () => ({ v: 0n, n: 0 }), step: (s, a) => { s.v |= a[0] as bigint; s.n++; return s; }, final: (s) => (s.n === 0 ? null : s.v) });
  agg<Box<bigint>>('bit_xor', [I8], I8, { init: () => ({ v: 0n, n: 0 }), step: (s, a) => { s.v ^= a[0] as bigint; s.n++; return s; }, final: (s) => (s.n === 0 ? null : s.v) });

  // variance / stddev
  const kinds: [string, boolean, boolean][] = [
    ['variance', true, true], ['var_samp', true, true], ['var_pop', false, true],
    ['stddev', true, false], ['stddev_samp', true, false], ['stddev_pop', false, false],
  ];
  for (const [name, sample, variance] of kinds) {
    for (const t of [T.int2, T.int4, T.int8, N]) {
      agg<Moments>(name, [t], N, {
        init: () => ({ n: 0n, sx: Numeric.ZERO, sxx: Numeric.ZERO, nan: false }),
        step: (s, a) => {
          const x = toNumeric(a[0]!);
          if (x.isNaN() || x.isInfinite()) { s.nan = true; s.n++; return s; }
          s.n++; s.sx = s.sx.add(x); s.sxx = s.sxx.add(x.mul(x));
          return s;
        },
        final: (s) => numericVariance(s, sample, variance),
      });
    }
    for (const t of [T.float4, F8]) {
      agg<FMoments>(name, [t], F8, {
        init: () => ({ n: 0, sx: 0, sxx: 0 }),
        step: (s, a) => floatAccum(s, a[0] as number),
        final: (s) => floatVariance(s, sample, variance),
      });
    }
  }
}

function arrayAggDims(): SqlError {
  return new SqlError(SQLSTATE.ARRAY_SUBSCRIPT_ERROR, 'cannot accumulate arrays of different dimensionality');
}

function arrayAggEmpty(): SqlError {
  return new SqlError(SQLSTATE.ARRAY_SUBSCRIPT_ERROR, 'cannot accumulate empty arrays');
}
