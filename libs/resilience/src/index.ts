export {
  DEFAULT_RETRY_POLICY,
  InvalidRetryPolicyError,
  mayRetry,
  retryDelayMs,
  retryPolicy,
  retryPolicyProblems,
} from './retry-policy';
export type { RetryPolicy } from './retry-policy';
