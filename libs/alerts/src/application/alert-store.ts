import type { SqlExecutor } from '@rampart/database';

import type { TimeFallback } from '../domain/normalize-result';
import type { NormalizedAlert } from '../domain/normalized-alert';

export type AlertIntake = 'kafka' | 'webhook';

export interface IdentifiedAlert {
  identity: string;
  alert: NormalizedAlert;
  /** The alert's own bytes as received, as text, when the intake knows them. */
  original?: string | null;
  /** Set when `alert.time` is the arrival time, and why (see TimeFallback). */
  timeFallback?: TimeFallback;
  /** The named webhook sender (intake source) the alert came from, when the delivery had one. */
  intakeSource?: string | null;
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
  ): Promise<StoredAlert[]>;
}
