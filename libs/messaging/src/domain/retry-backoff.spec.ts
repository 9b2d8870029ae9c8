import { DEFAULT_RETRY_BACKOFF, retryBackoffProblems, retryDelayMs } from './retry-backoff';

describe('retryDelayMs', () => {
  it('doubles from the initial delay and stops at the cap', () => {
    const backoff = { initialMs: 100, maxMs: 1000 };
    expect([1, 2, 3, 4, 5, 6].map((failures) => retryDelayMs(failures, backoff))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
  });

  it('stays finite after very many failures', () => {
    expect(retryDelayMs(10_000, DEFAULT_RETRY_BACKOFF)).toBe(DEFAULT_RETRY_BACKOFF.maxMs);
  });

  it('treats zero or negative failure counts as the first failure', () => {
    expect(retryDelayMs(0, { initialMs: 50, maxMs: 500 })).toBe(50);
  });
});

describe('retryBackoffProblems', () => {
  it('accepts the default', () => {
    expect(retryBackoffProblems(DEFAULT_RETRY_BACKOFF)).toEqual([]);
  });

  it('names every problem', () => {
    expect(retryBackoffProblems({ initialMs: 0, maxMs: -1 })).toHaveLength(2);
    expect(retryBackoffProblems({ initialMs: 1000, maxMs: 10 })).toEqual([
      'maxMs must be a number >= initialMs, got 10',
    ]);
  });
});
