export interface DurationStats {
  count: number;
  meanMs: number | null;
  p50Ms: number | null;
  p90Ms: number | null;
  p95Ms: number | null;
  maxMs: number | null;
}

/**
 * Mean and percentiles of durations. Percentiles interpolate linearly between the two nearest
 * ranks (PostgreSQL's percentile_cont, spreadsheet PERCENTILE.INC), so small samples read sensibly.
 */
export function durationStats(durations: readonly number[]): DurationStats {
  const sorted = [...durations].sort((a, b) => a - b);
  if (sorted.length === 0)
    return { count: 0, meanMs: null, p50Ms: null, p90Ms: null, p95Ms: null, maxMs: null };
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  return {
    count: sorted.length,
    meanMs: Math.round(mean),
    p50Ms: Math.round(percentile(sorted, 0.5)),
    p90Ms: Math.round(percentile(sorted, 0.9)),
    p95Ms: Math.round(percentile(sorted, 0.95)),
    maxMs: sorted[sorted.length - 1] as number,
  };
}

function percentile(sorted: readonly number[], fraction: number): number {
  const rank = fraction * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const low = sorted[lower] as number;
  return low + ((sorted[upper] as number) - low) * (rank - lower);
}

/** `1d 2h`, `3h 5m`, `42s`: the two largest units, for people. */
export function humanDuration(ms: number | null): string {
  if (ms === null) return '—';
  let rest = Math.round(ms / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const amount = Math.floor(rest / size);
    rest -= amount * size;
    if (amount > 0 || parts.length > 0) parts.push(amount > 0 ? `${amount}${unit}` : '');
    if (parts.length === 2) break;
  }
  return parts.filter(Boolean).join(' ') || '0s';
}
