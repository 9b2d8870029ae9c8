/**
 * Throttling of password logins, one counter per account and one per client address: within a
 * window, `maxFailures` attempts may fail; the one that reaches it locks the key for `lockoutMs`,
 * and while locked no password is even checked. An attempt is counted before its password is
 * checked (and given back when it succeeds), so parallel guesses cannot overrun the budget.
 */
export interface ThrottlePolicy {
  maxFailures: number;
  windowMs: number;
  lockoutMs: number;
}

export interface ThrottleState {
  failures: number;
  windowStartedAt: Date;
  lockedUntil: Date | null;
}

export interface ThrottleDecision {
  state: ThrottleState;
  /** Set when the key is locked: no attempt until then. */
  lockedUntil: Date | null;
}

const fresh = (now: Date): ThrottleState => ({ failures: 0, windowStartedAt: now, lockedUntil: null });

function current(state: ThrottleState | null, now: Date, policy: ThrottlePolicy): ThrottleState {
  if (!state) return fresh(now);
  if (state.lockedUntil && state.lockedUntil > now) return state;
  if (state.lockedUntil || now.getTime() - state.windowStartedAt.getTime() >= policy.windowMs)
    return fresh(now);
  return state;
}

const lock = (state: ThrottleState, now: Date, policy: ThrottlePolicy): ThrottleDecision => {
  const lockedUntil = new Date(now.getTime() + policy.lockoutMs);
  return { state: { ...state, lockedUntil }, lockedUntil };
};

/** Before a password is checked: counts the attempt, or says the key is locked. */
export function reserveAttempt(
  state: ThrottleState | null,
  now: Date,
  policy: ThrottlePolicy,
): ThrottleDecision {
  const live = current(state, now, policy);
  if (live.lockedUntil) return { state: live, lockedUntil: live.lockedUntil };
  // Attempts still in flight used the budget up: refuse as a lock rather than check more guesses.
  if (live.failures >= policy.maxFailures) return lock(live, now, policy);
  return { state: { ...live, failures: live.failures + 1 }, lockedUntil: null };
}

/** The password was wrong: the counted attempt stays, and reaching the budget locks the key now. */
export function recordFailure(state: ThrottleState, now: Date, policy: ThrottlePolicy): ThrottleDecision {
  if (state.lockedUntil && state.lockedUntil > now) return { state, lockedUntil: state.lockedUntil };
  return state.failures >= policy.maxFailures ? lock(state, now, policy) : { state, lockedUntil: null };
}

/** The password was right: the counted attempt is given back. */
export function recordSuccess(state: ThrottleState): ThrottleState {
  return { ...state, failures: Math.max(0, state.failures - 1) };
}

/** Whole seconds until `until`, at least 1: the Retry-After of a 429. */
export function retryAfterSeconds(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
}
