import type { SqlExecutor } from '@rampart/database';

import type { TimeFallback } from '../domain/normalize-result';
import type { NormalizedAlert } from '../domain/normalized-alert';

export type AlertIntake = 'kafka' | 'webhook';

export interface IdentifiedAlert {
  identity: string;
  alert: NormalizedAlert;
  /** Set when `alert.time` is the arrival time, and why (see TimeFallback). */
  timeFallback?: TimeFallback;
}

export interface StoredAlert {
  id: string;
  identity: string;
  alert: NormalizedAlert;
}

/** Durable alert storage. Writes are set-based: one statement per batch, whatever its size. */
export abstract class AlertStore {
  /**
   * Inserts the alerts whose identity is new and returns them with their ids; alerts already
   * stored (redeliveries, duplicates) are left out of the result. Identities must be unique.
   */
  abstract insertNew(
    sql: SqlExecutor,
    alerts: IdentifiedAlert[],
    intake: AlertIntake,
    /** The named webhook sender, when the delivery had one. */
    intakeSource?: string | null,
  ): Promise<StoredAlert[]>;
}
