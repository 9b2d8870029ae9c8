/**
 * How long a consumer waits before handing a failed batch to its handler again: the delay doubles
 * from `initialMs` with every failure and stays at `maxMs` once it gets there.
 */
export interface RetryBackoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

export const DEFAULT_RETRY_BACKOFF: RetryBackoff = Object.freeze({ initialMs: 500, maxMs: 30_000 });

/** Problems with a backoff, empty when it is usable. */
export function retryBackoffProblems(backoff: RetryBackoff): string[] {
  const problems: string[] = [];
  if (!Number.isFinite(backoff.initialMs) || backoff.initialMs <= 0) {
    problems.push(`initialMs must be a positive number, got ${backoff.initialMs}`);
  }
  if (!Number.isFinite(backoff.maxMs) || backoff.maxMs < backoff.initialMs) {
    problems.push(`maxMs must be a number >= initialMs, got ${backoff.maxMs}`);
  }
  return problems;
}

/** The delay before the next attempt, after `failures` (>= 1) failed attempts in a row. */
export function retryDelayMs(failures: number, backoff: RetryBackoff = DEFAULT_RETRY_BACKOFF): number {
  // Past 2^30 the doubling only matters for overflow; the cap has long been reached.
  const exponent = Math.min(Math.max(failures, 1) - 1, 30);
  return Math.min(backoff.initialMs * 2 ** exponent, backoff.maxMs);
}
