import type { ConnectorRuntime, ResilienceOptions } from '@rampart/connectors';

/**
 * A controllable runtime for contract tests: a clock that only moves when told, a sleep that
 * records instead of waiting, and a fixed "random" so backoffs are predictable.
 */
export interface TestRuntime extends Required<ConnectorRuntime> {
  /** Every wait the connector asked for, in ms. */
  sleeps: number[];
  advance(ms: number): void;
  now(): number;
}

export function testRuntime(start = Date.now()): TestRuntime {
  let now = start;
  const sleeps: number[] = [];
  return {
    clock: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    sleeps,
    advance: (ms: number) => {
      now += ms;
    },
    now: () => now,
  };
}

/** Tiny timeouts and backoffs so every contract test runs in milliseconds. */
export function testResilience(overrides: ResilienceOptions = {}): ResilienceOptions {
  return {
    timeoutMs: overrides.timeoutMs ?? 1_000,
    retry: { maxRetries: 2, initialDelayMs: 1, maxDelayMs: 4, ...overrides.retry },
    breaker: { failureThreshold: 50, coolDownMs: 1_000, ...overrides.breaker },
  };
}
