import { type RetryPolicy, retryPolicy } from '@rampart/resilience';

/**
 * A step's retries when its `retry` names no values: 3 retries, from 5 s, doubling up to 5 min,
 * with full jitter (drawn from the run id, so a replay draws the same delays).
 */
export const DEFAULT_STEP_RETRY_POLICY: RetryPolicy = retryPolicy({
  maxRetries: 3,
  initialDelayMs: 5_000,
  maxDelayMs: 300_000,
  multiplier: 2,
  jitter: 'full',
});
