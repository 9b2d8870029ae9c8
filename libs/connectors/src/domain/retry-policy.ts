import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '@rampart/resilience';

/**
 * How a connector retries one call: the shared retry policy (full jitter) plus what only HTTP
 * vendors need. Only 5xx, 429, network errors (and, when enabled, timeouts) are retried; everything
 * else is an answer.
 */
export interface ConnectorRetryPolicy extends RetryPolicy {
  /** A vendor asking for a longer wait than this fails fast with `rate_limited` instead. */
  readonly maxRetryAfterMs: number;
  /** Retry after a per-call timeout. Off by default: the request may have landed. */
  readonly retryOnTimeout: boolean;
}

export const DEFAULT_CONNECTOR_RETRY_POLICY: ConnectorRetryPolicy = Object.freeze({
  ...DEFAULT_RETRY_POLICY,
  maxRetryAfterMs: 60_000,
  retryOnTimeout: false,
});

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
