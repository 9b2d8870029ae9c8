/**
 * How a connector retries one call. Only 5xx, 429, network errors (and, when enabled, timeouts)
 * are retried; everything else is an answer.
 */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First backoff ceiling; doubles each retry (full jitter below it). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A vendor asking for a longer wait than this fails fast with `rate_limited` instead. */
  maxRetryAfterMs: number;
  /** Retry after a per-call timeout. Off by default: the request may have landed. */
  retryOnTimeout: boolean;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
  maxRetries: 3,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  retryOnTimeout: false,
};

/** Full-jitter exponential backoff for retry number `retry` (1-based). */
export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/** RFC 9110 `Retry-After`: delay-seconds or an HTTP-date. Milliseconds from `nowMs`, or undefined. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/**
 * Epoch-seconds "retry at" headers: CrowdStrike `X-RateLimit-RetryAfter`, Okta
 * `X-Rate-Limit-Reset`. Milliseconds from `nowMs` (never negative), or undefined.
 */
export function parseEpochSecondsHeader(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Math.max(0, Number(value.trim()) * 1000 - nowMs);
}
