// The shape of the shared retry policy the lead is extracting into libs/resilience (not on main
// yet). Same fields and the same delay formula, so that switching to `@rampart/resilience` is an
// import change: delete this file and import RetryPolicy and retryDelayMs from there.

/** How a failed step is retried: how many times, and how long to wait before each retry. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly maxRetries: number;
  /** Delay ceiling before the first retry. */
  readonly initialDelayMs: number;
  /** No delay ceiling grows beyond this. */
  readonly maxDelayMs: number;
  /** Each further retry's ceiling is the previous one times this (>= 1). */
  readonly multiplier: number;
  /** `full`: a random delay below the ceiling; `none`: exactly the ceiling. */
  readonly jitter: 'full' | 'none';
}

export const DEFAULT_STEP_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxRetries: 3,
  initialDelayMs: 5_000,
  maxDelayMs: 300_000,
  multiplier: 2,
  jitter: 'full',
});

/** Problems with a policy, each naming its field; empty when it is usable. */
export function retryPolicyProblems(policy: RetryPolicy): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(policy.maxRetries) || policy.maxRetries < 0) {
    problems.push(`maxRetries must be a whole number >= 0, got ${policy.maxRetries}`);
  }
  if (!Number.isFinite(policy.initialDelayMs) || policy.initialDelayMs < 0) {
    problems.push(`initialDelayMs must be a number >= 0, got ${policy.initialDelayMs}`);
  }
  if (!Number.isFinite(policy.maxDelayMs) || policy.maxDelayMs < policy.initialDelayMs) {
    problems.push(`maxDelayMs must be a number >= initialDelayMs, got ${policy.maxDelayMs}`);
  }
  if (!Number.isFinite(policy.multiplier) || policy.multiplier < 1) {
    problems.push(`multiplier must be a number >= 1, got ${policy.multiplier}`);
  }
  return problems;
}

/**
 * The delay before retry number `retry` (1-based): `initialDelayMs * multiplier^(retry-1)` capped
 * at `maxDelayMs`, and with full jitter `random()` (in [0, 1)) times that ceiling.
 */
export function retryDelayMs(policy: RetryPolicy, retry: number, random: () => number): number {
  const exponent = Math.min(Math.max(retry, 1) - 1, 30);
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** exponent);
  return policy.jitter === 'full' ? Math.floor(random() * ceiling) : ceiling;
}
