import {
  recordFailure,
  recordSuccess,
  reserveAttempt,
  retryAfterSeconds,
  type ThrottlePolicy,
} from './login-throttle';

const policy: ThrottlePolicy = { maxFailures: 3, windowMs: 60_000, lockoutMs: 300_000 };
const t = (seconds: number) => new Date(Date.UTC(2026, 10, 1, 8, 0, seconds));

describe('login throttle', () => {
  it('locks a key when the attempt that reaches the budget fails, and refuses every attempt until then', () => {
    let state = reserveAttempt(null, t(0), policy).state;
    state = recordFailure(state, t(0), policy).state;
    state = recordFailure(reserveAttempt(state, t(1), policy).state, t(1), policy).state;
    const third = recordFailure(reserveAttempt(state, t(2), policy).state, t(2), policy);
    expect(third.lockedUntil).toEqual(new Date(t(2).getTime() + 300_000));

    const during = reserveAttempt(third.state, t(100), policy);
    expect(during.lockedUntil).toEqual(third.lockedUntil);
    expect(during.state).toEqual(third.state);
    expect(retryAfterSeconds(during.lockedUntil as Date, t(100))).toBe(202);
  });

  it('starts afresh once the lock has passed', () => {
    let state = reserveAttempt(null, t(0), policy).state;
    for (let i = 0; i < 3; i++)
      state = recordFailure(reserveAttempt(state, t(i), policy).state, t(i), policy).state;
    const after = reserveAttempt(state, t(400), policy);
    expect(after.lockedUntil).toBeNull();
    expect(after.state).toEqual({ failures: 1, windowStartedAt: t(400), lockedUntil: null });
  });

  it('forgets failures older than the window', () => {
    const first = recordFailure(reserveAttempt(null, t(0), policy).state, t(0), policy).state;
    expect(reserveAttempt(first, t(61), policy).state).toEqual({
      failures: 1,
      windowStartedAt: t(61),
      lockedUntil: null,
    });
  });

  it('counts attempts before their passwords are checked, so parallel guesses cannot overrun the budget', () => {
    let state = reserveAttempt(null, t(0), policy).state;
    state = reserveAttempt(state, t(0), policy).state;
    state = reserveAttempt(state, t(0), policy).state;
    const fourth = reserveAttempt(state, t(0), policy);
    expect(fourth.lockedUntil).not.toBeNull();
  });

  it('gives the attempt back when the password was right', () => {
    const reserved = reserveAttempt(null, t(0), policy).state;
    expect(recordSuccess(reserved).failures).toBe(0);
    expect(recordSuccess(recordSuccess(reserved)).failures).toBe(0);
  });

  it('never asks to retry sooner than a second', () => {
    expect(retryAfterSeconds(t(10), t(10))).toBe(1);
  });
});
