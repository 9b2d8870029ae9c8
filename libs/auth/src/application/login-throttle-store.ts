import type { SqlExecutor } from '@rampart/database';

import type { ThrottleState } from '../domain/login-throttle';

/** Failed-login counters by key (`account:<username>`, `address:<ip>`), shared by every replica. */
export abstract class LoginThrottleStore {
  /** The states of `keys`, their rows locked until the transaction ends (a new key counts nothing yet). */
  abstract lock(sql: SqlExecutor, keys: string[]): Promise<Map<string, ThrottleState>>;
  abstract save(sql: SqlExecutor, states: Map<string, ThrottleState>): Promise<void>;
  abstract clear(sql: SqlExecutor, keys: string[]): Promise<void>;
  /** Forgets counters whose window and lock both ended before `before`. */
  abstract purge(sql: SqlExecutor, before: Date): Promise<void>;
}
