// Small numeric helpers for benchmark reports: median, min/max summaries, ratios, fixed-width tables.
// No timing of its own; see process.ts for running and sampling processes.

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function summary(xs: number[]): { min: number; median: number; max: number; n: number } {
  return { min: xs.length ? Math.min(...xs) : NaN, median: median(xs), max: xs.length ? Math.max(...xs) : NaN, n: xs.length };
}

/** a / b formatted as "0.42x", or "n/a" when either side is missing. */
export function ratio(a: number | null, b: number | null): string {
  if (a === null || b === null || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return 'n/a';
  return `${(a / b).toFixed(2)}x`;
}

export function fmt(x: number | null, digits = 1): string {
  return x === null || !Number.isFinite(x) ? 'n/a' : x.toFixed(digits);
}

/** Renders rows as a left-aligned, space-padded table with a header rule. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
