// Reading a recall/QPS curve (one point per ef_search) at a target recall: linear interpolation
// between the two ef points that bracket the target; no extrapolation past either end.

export interface CurvePoint { readonly recall: number; readonly qps: number }

export interface AtRecall {
  /** Interpolated QPS, or null when no point reaches the target. */
  readonly qps: number | null;
  /** 'interpolated' between two points; 'lower-bound' when even the first (fastest) point is above target. */
  readonly how: 'interpolated' | 'lower-bound' | 'not reached';
}

/** QPS at `target` recall on a curve ordered by increasing ef (decreasing QPS). */
export function qpsAtRecall(points: readonly CurvePoint[], target: number): AtRecall {
  if (points.length === 0) return { qps: null, how: 'not reached' };
  const first = points[0]!;
  if (first.recall >= target) return { qps: first.qps, how: 'lower-bound' };
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    if (a.recall < target && b.recall >= target) {
      const f = b.recall === a.recall ? 1 : (target - a.recall) / (b.recall - a.recall);
      return { qps: a.qps + f * (b.qps - a.qps), how: 'interpolated' };
    }
  }
  return { qps: null, how: 'not reached' };
}

export function formatAt(a: AtRecall, digits = 0): string {
  if (a.qps === null) return 'n/a (0.95 not reached)';
  return `${a.how === 'lower-bound' ? '≥' : ''}${a.qps.toFixed(digits)}`;
}
