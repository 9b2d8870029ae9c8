import type { ConnectorRuntime, ResilienceOptions } from '@rampart/connectors';
import { Egress, EgressPolicy } from '@rampart/egress';

/**
 * The fakes listen on loopback, which the egress policy refuses by default: tests opt in to
 * loopback, and to nothing else.
 */
export const FAKES_EGRESS_ALLOW = ['127.0.0.0/8', '::1/128'];
let loopbackEgress: Egress | undefined;

/** Egress to the fakes (loopback) allowed. */
export function fakesEgress(): Egress {
  return (loopbackEgress ??= new Egress(EgressPolicy.fromAllowList(FAKES_EGRESS_ALLOW)));
}

/**
 * A controllable runtime for contract tests: a clock that only moves when told, a sleep that
 * records instead of waiting, a fixed "random" so backoffs are predictable, and egress to the
 * fakes on loopback.
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
    egress: fakesEgress(),
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
