import { Egress } from '@rampart/egress';
import { retryPolicy } from '@rampart/resilience';

import { CircuitBreakerOptions, DEFAULT_CIRCUIT_BREAKER } from '../../domain/circuit-breaker';
import { ConnectorRetryPolicy, DEFAULT_CONNECTOR_RETRY_POLICY } from '../../domain/retry-policy';

export type Clock = () => number;
export type Sleep = (ms: number) => Promise<void>;

/** What adapters take from outside: time, waiting and randomness, injected so tests control them. */
export interface ConnectorRuntime {
  clock?: Clock;
  sleep?: Sleep;
  random?: () => number;
  /** Where connections may go (SOAR_EGRESS_ALLOW); default: public unicast only. */
  egress?: Egress;
}

/** Per-instance resilience settings; every field has a default. */
export interface ResilienceOptions {
  /** Per-attempt deadline. */
  timeoutMs?: number;
  retry?: Partial<ConnectorRetryPolicy>;
  breaker?: Partial<CircuitBreakerOptions>;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

export interface ResolvedRuntime {
  clock: Clock;
  sleep: Sleep;
  random: () => number;
  egress: Egress;
  timeoutMs: number;
  retry: ConnectorRetryPolicy;
  breaker: CircuitBreakerOptions;
}

export function resolveRuntime(
  runtime: ConnectorRuntime = {},
  resilience: ResilienceOptions = {},
): ResolvedRuntime {
  return {
    clock: runtime.clock ?? Date.now,
    sleep: runtime.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    random: runtime.random ?? Math.random,
    egress: runtime.egress ?? Egress.strict(),
    timeoutMs: resilience.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retry: retryPolicy(resilience.retry, DEFAULT_CONNECTOR_RETRY_POLICY),
    breaker: { ...DEFAULT_CIRCUIT_BREAKER, ...resilience.breaker },
  };
}
