export interface CircuitBreakerOptions {
  /** Consecutive failed calls that open the circuit. */
  failureThreshold: number;
  /** How long it stays open before one trial call is let through. */
  coolDownMs: number;
}

export const DEFAULT_CIRCUIT_BREAKER: Readonly<CircuitBreakerOptions> = {
  failureThreshold: 5,
  coolDownMs: 30_000,
};

export type CircuitState = 'closed' | 'open' | 'half_open';

/**
 * One per connector instance. A call counts as failed when the vendor was unreachable or answered
 * 5xx after retries; a 4xx is an answer from a healthy vendor and counts as success. Time comes
 * from the injected clock.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private current: CircuitState = 'closed';
  private trialInFlight = false;

  constructor(
    private readonly options: CircuitBreakerOptions,
    private readonly clock: () => number,
  ) {}

  get state(): CircuitState {
    return this.current;
  }

  /** Milliseconds until a trial call is allowed, 0 when calls may go now. */
  retryInMs(): number {
    if (this.current !== 'open') return 0;
    return Math.max(0, this.openedAt + this.options.coolDownMs - this.clock());
  }

  /** Whether a call may go out now; in half-open state only one trial at a time. */
  tryAcquire(): boolean {
    if (this.current === 'open') {
      if (this.retryInMs() > 0) return false;
      this.current = 'half_open';
    }
    if (this.current === 'half_open') {
      if (this.trialInFlight) return false;
      this.trialInFlight = true;
    }
    return true;
  }

  onSuccess(): void {
    this.failures = 0;
    this.trialInFlight = false;
    this.current = 'closed';
  }

  onFailure(): void {
    this.trialInFlight = false;
    this.failures += 1;
    if (this.current === 'half_open' || this.failures >= this.options.failureThreshold) {
      this.open();
    }
  }

  /** The call ended without telling us about health (e.g. rate limited). */
  onNeutral(): void {
    if (this.current === 'half_open') this.open();
    this.trialInFlight = false;
  }

  private open(): void {
    this.current = 'open';
    this.openedAt = this.clock();
  }
}
