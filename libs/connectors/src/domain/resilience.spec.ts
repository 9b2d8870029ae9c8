import { CircuitBreaker } from './circuit-breaker';
import { parseEpochSecondsHeader, parseRetryAfter } from './retry-policy';

describe('retry policy', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7_000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('reads epoch-second "retry at" headers relative to now, never negative', () => {
    expect(parseEpochSecondsHeader('1700000010', 1_700_000_000_000)).toBe(10_000);
    expect(parseEpochSecondsHeader('1600000000', 1_700_000_000_000)).toBe(0);
    expect(parseEpochSecondsHeader('x', 0)).toBeUndefined();
  });
});

describe('circuit breaker', () => {
  it('opens at the threshold, lets one trial through after the cool-down, and closes on success', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 2, coolDownMs: 1_000 }, () => now);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.onFailure();
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
    breaker.onFailure();
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
    expect(breaker.retryInMs()).toBe(1_000);
    now = 1_000;
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.state).toBe('half_open');
    expect(breaker.tryAcquire()).toBe(false); // one trial at a time
    breaker.onSuccess();
    expect(breaker.state).toBe('closed');
  });

  it('re-opens when the half-open trial fails', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 1, coolDownMs: 500 }, () => now);
    breaker.tryAcquire();
    breaker.onFailure();
    now = 500;
    expect(breaker.tryAcquire()).toBe(true);
    breaker.onFailure();
    expect(breaker.state).toBe('open');
    expect(breaker.retryInMs()).toBe(500);
  });

  it('a success resets the failure count', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2, coolDownMs: 500 }, () => 0);
    breaker.onFailure();
    breaker.onSuccess();
    breaker.onFailure();
    expect(breaker.state).toBe('closed');
  });
});
