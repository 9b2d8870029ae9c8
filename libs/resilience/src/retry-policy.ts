/**
 * How an operation is retried: how many times, and how long to wait before each retry. One type
 * for vendor calls (connectors), Kafka batches (messaging) and playbook steps, validated the same
 * way wherever it comes from (code, configuration, a playbook file).
 */
export interface RetryPolicy {
  /** Retries after the first attempt; `Infinity` to retry until it works (a Kafka partition). */
  readonly maxRetries: number;
  /** Delay ceiling before the first retry. */
  readonly initialDelayMs: number;
  /** No delay ceiling grows beyond this. */
  readonly maxDelayMs: number;
  /** Each further retry's ceiling is the previous one times this (>= 1; 2 doubles it). */
  readonly multiplier: number;
  /**
   * `full`: a random delay below the ceiling, so that many clients failing together do not retry
   * together (AWS "full jitter"); `none`: exactly the ceiling, for a single retrying loop.
   */
  readonly jitter: 'full' | 'none';
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxRetries: 3,
  initialDelayMs: 250,
  maxDelayMs: 8_000,
  multiplier: 2,
  jitter: 'full',
});

/** Problems with a policy, each naming its field; empty when it is usable. */
export function retryPolicyProblems(policy: RetryPolicy): string[] {
  const problems: string[] = [];
  if (!(policy.maxRetries === Infinity || (Number.isInteger(policy.maxRetries) && policy.maxRetries >= 0))) {
    problems.push(`maxRetries must be a whole number >= 0 (or Infinity), got ${policy.maxRetries}`);
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
  if (policy.jitter !== 'full' && policy.jitter !== 'none') {
    problems.push(`jitter must be full or none, got ${String(policy.jitter)}`);
  }
  return problems;
}

export class InvalidRetryPolicyError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid retry policy: ${problems.join('; ')}`);
    this.name = 'InvalidRetryPolicyError';
  }
}

/**
 * `overrides` on top of `defaults` (which may extend the policy with fields of their own), validated;
 * throws InvalidRetryPolicyError naming every problem. Undefined overrides keep the default.
 */
export function retryPolicy<T extends RetryPolicy = RetryPolicy>(
  overrides: Partial<T> = {},
  defaults: T = DEFAULT_RETRY_POLICY as T,
): T {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  const policy: T = Object.freeze({ ...defaults, ...defined });
  const problems = retryPolicyProblems(policy);
  if (problems.length > 0) throw new InvalidRetryPolicyError(problems);
  return policy;
}

/** Whether retry number `retry` (1-based) is still allowed. */
export function mayRetry(policy: RetryPolicy, retry: number): boolean {
  return retry <= policy.maxRetries;
}

/**
 * The delay before retry number `retry` (1-based): the ceiling `initialDelayMs * multiplier^(retry-1)`
 * capped at `maxDelayMs`, and with full jitter a random delay below it.
 */
export function retryDelayMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  // Past 2^30 the growth only matters for overflow; the cap has long been reached.
  const exponent = Math.min(Math.max(retry, 1) - 1, 30);
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** exponent);
  return policy.jitter === 'full' ? Math.floor(random() * ceiling) : ceiling;
}
