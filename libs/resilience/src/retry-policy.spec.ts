import {
  DEFAULT_RETRY_POLICY,
  InvalidRetryPolicyError,
  mayRetry,
  retryDelayMs,
  retryPolicy,
  retryPolicyProblems,
} from './retry-policy';

describe('retryDelayMs', () => {
  it('grows the ceiling by the multiplier up to the cap; without jitter the delay is the ceiling', () => {
    const policy = retryPolicy({ initialDelayMs: 50, maxDelayMs: 500, jitter: 'none' });
    expect([1, 2, 3, 4, 5, 6].map((retry) => retryDelayMs(policy, retry))).toEqual([
      50, 100, 200, 400, 500, 500,
    ]);
    expect(retryDelayMs(policy, 10_000)).toBe(500);
    expect(retryDelayMs(policy, 0)).toBe(50);
  });

  it('with full jitter stays below the ceiling, and reaches 0 at the bottom', () => {
    const policy = retryPolicy({ initialDelayMs: 100, maxDelayMs: 1_000 });
    expect([1, 2, 3, 4, 5].map((retry) => retryDelayMs(policy, retry, () => 0.999999))).toEqual([
      99, 199, 399, 799, 999,
    ]);
    expect(retryDelayMs(policy, 3, () => 0)).toBe(0);
  });

  it('honours another multiplier', () => {
    const policy = retryPolicy({ initialDelayMs: 10, maxDelayMs: 10_000, multiplier: 3, jitter: 'none' });
    expect([1, 2, 3].map((retry) => retryDelayMs(policy, retry))).toEqual([10, 30, 90]);
  });
});

describe('retryPolicy', () => {
  it('accepts the default and Infinity retries', () => {
    expect(retryPolicyProblems(DEFAULT_RETRY_POLICY)).toEqual([]);
    expect(mayRetry(retryPolicy({ maxRetries: Infinity }), 1e9)).toBe(true);
    expect(mayRetry(DEFAULT_RETRY_POLICY, 4)).toBe(false);
  });

  it('names every bad field', () => {
    const attempt = () =>
      retryPolicy({
        maxRetries: -1,
        initialDelayMs: 1_000,
        maxDelayMs: 10,
        multiplier: 0.5,
        jitter: 'some' as never,
      });
    expect(attempt).toThrow(InvalidRetryPolicyError);
    expect(() => attempt()).toThrow(/maxRetries.*maxDelayMs.*multiplier.*jitter/);
  });

  it('ignores overrides that are undefined', () => {
    expect(retryPolicy({ maxRetries: undefined } as never)).toEqual(DEFAULT_RETRY_POLICY);
  });
});
