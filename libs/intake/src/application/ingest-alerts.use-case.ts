import { Injectable } from '@nestjs/common';

import {
  type AlertFormat,
  type AlertIntake,
  AlertStore,
  alertIdentity,
  type IdentifiedAlert,
  isPlausibleEventTime,
  normalizeAlert,
  type NormalizedAlert,
  type StoredAlert,
  type TimeFallback,
} from '@rampart/alerts';
import { CorrelateAlertsUseCase, type CorrelationOutcome } from '@rampart/correlation';
import { DataRejectedError, TransactionRunner } from '@rampart/database';
import { Metrics } from '@rampart/metrics';

import { UnreadableLine } from '../domain/parse-intake-payload';

export type ItemResult =
  | { index: number; status: 'accepted'; alertId: string; timeFallback?: TimeFallback }
  | { index: number; status: 'duplicate' }
  | { index: number; status: 'rejected'; code: string; reason: string };

export interface IngestResult {
  items: ItemResult[];
  accepted: number;
  duplicate: number;
  rejected: number;
  correlation: CorrelationOutcome | null;
}

export interface IngestCommand {
  items: unknown[];
  intake: AlertIntake;
  /** The intake source (named webhook sender) the alerts came from, recorded on each. */
  source?: string;
  format?: AlertFormat;
}

/**
 * Normalizes a batch of native alerts, stores the new ones and correlates them into incidents,
 * all in one transaction: when it resolves, the batch is durable; when it throws, nothing of it
 * was stored and it can be retried as a whole (identities make the retry a no-op for what landed).
 */
@Injectable()
export class IngestAlertsUseCase {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly store: AlertStore,
    private readonly correlate: CorrelateAlertsUseCase,
    private readonly metrics: Metrics,
  ) {}

  async execute(command: IngestCommand): Promise<IngestResult> {
    const endTimer = this.metrics.ingestBatchSeconds.startTimer({ intake: command.intake });
    const results: ItemResult[] = new Array(command.items.length);
    const firstByIdentity = new Map<
      string,
      { index: number; alert: NormalizedAlert; timeFallback: TimeFallback | undefined }
    >();
    // An alert that carries no time of its own is dated by its arrival, never by guesswork.
    const receivedAt = new Date();
    command.items.forEach((item, index) => {
      if (item instanceof UnreadableLine) {
        results[index] = { index, status: 'rejected', code: item.code, reason: item.message };
        return;
      }
      const normalized = normalizeAlert(item, { format: command.format, receivedAt });
      if (!normalized.ok) {
        const where = normalized.error.path ? ` (${normalized.error.path})` : '';
        results[index] = {
          index,
          status: 'rejected',
          code: normalized.error.code,
          reason: `${normalized.error.message}${where}`,
        };
        return;
      }
      let { alert, timeFallback } = normalized;
      // Normalizers know only a fixed span of plausible times; a time in the future, beyond
      // clock skew, is known here, where the clock is.
      if (!isPlausibleEventTime(alert.time, receivedAt)) {
        alert = { ...alert, time: receivedAt };
        timeFallback = 'implausible';
      }
      const identity = alertIdentity(alert);
      if (firstByIdentity.has(identity)) results[index] = { index, status: 'duplicate' };
      else firstByIdentity.set(identity, { index, alert, timeFallback });
    });

    let correlation: CorrelationOutcome | null = null;
    if (firstByIdentity.size > 0) {
      // Sorted by identity so concurrent batches take unique-index locks in one order (no deadlock).
      const batch = [...firstByIdentity.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([identity, { alert, timeFallback }]) => ({
          identity,
          alert,
          ...(timeFallback ? { timeFallback } : {}),
        }));
      const { stored, refused, outcome } = await this.storeAndCorrelate(batch, command);
      correlation = outcome;
      const storedIds = new Map(stored.map((row) => [row.identity, row.id]));
      for (const [identity, { index, timeFallback }] of firstByIdentity) {
        const alertId = storedIds.get(identity);
        const refusal = refused.get(identity);
        results[index] = refusal
          ? {
              index,
              status: 'rejected',
              code: 'storage_rejected',
              reason: `the database refused this alert: ${refusal}`,
            }
          : alertId
            ? { index, status: 'accepted', alertId, ...(timeFallback ? { timeFallback } : {}) }
            : { index, status: 'duplicate' };
      }
    }
    const result: IngestResult = {
      items: results,
      accepted: results.filter((item) => item.status === 'accepted').length,
      duplicate: results.filter((item) => item.status === 'duplicate').length,
      rejected: results.filter((item) => item.status === 'rejected').length,
      correlation,
    };
    this.record(command.intake, result);
    endTimer();
    return result;
  }

  /**
   * One transaction for the batch. Should PostgreSQL refuse the data of some alert (a value beyond
   * what it can store), the batch is split in halves until the refused alerts stand alone, so only
   * they are rejected and the rest is not held back (a few transactions per refused alert, not one
   * per alert). Other failures propagate, for the whole batch to be retried.
   */
  private async storeAndCorrelate(
    batch: IdentifiedAlert[],
    intake: Pick<IngestCommand, 'intake' | 'source'>,
  ): Promise<{ stored: StoredAlert[]; refused: Map<string, string>; outcome: CorrelationOutcome }> {
    try {
      const { stored, outcome } = await this.storeOnce(batch, intake);
      return { stored, refused: new Map(), outcome };
    } catch (error) {
      if (!(error instanceof DataRejectedError)) throw error;
      if (batch.length === 1) {
        return {
          stored: [],
          refused: new Map([[(batch[0] as IdentifiedAlert).identity, error.message]]),
          outcome: emptyOutcome(),
        };
      }
    }
    const middle = Math.ceil(batch.length / 2);
    const halves = [
      await this.storeAndCorrelate(batch.slice(0, middle), intake),
      await this.storeAndCorrelate(batch.slice(middle), intake),
    ];
    const outcome = emptyOutcome();
    for (const half of halves) {
      for (const key of Object.keys(outcome) as (keyof CorrelationOutcome)[])
        outcome[key] += half.outcome[key];
    }
    return {
      stored: halves.flatMap((half) => half.stored),
      refused: new Map(halves.flatMap((half) => [...half.refused])),
      outcome,
    };
  }

  private storeOnce(batch: IdentifiedAlert[], intake: Pick<IngestCommand, 'intake' | 'source'>) {
    return this.transactions.run(async (sql) => {
      const stored = await this.store.insertNew(sql, batch, intake.intake, intake.source ?? null);
      const outcome = await this.correlate.execute(sql, stored);
      return { stored, outcome };
    });
  }

  private record(intake: IngestCommand['intake'], result: IngestResult): void {
    for (const status of ['accepted', 'duplicate', 'rejected'] as const) {
      if (result[status] > 0) this.metrics.alertsReceived.inc({ intake, result: status }, result[status]);
    }
    const outcome: CorrelationOutcome | null = result.correlation;
    if (!outcome) return;
    const changes = {
      opened: outcome.incidentsOpened,
      updated: outcome.incidentsUpdated,
      merged: outcome.incidentsMerged,
      rule_matched: outcome.ruleMatches,
    };
    for (const [change, count] of Object.entries(changes)) {
      if (count > 0) this.metrics.incidents.inc({ change }, count);
    }
  }
}

function emptyOutcome(): CorrelationOutcome {
  return { incidentsOpened: 0, incidentsUpdated: 0, incidentsMerged: 0, ruleMatches: 0 };
}
