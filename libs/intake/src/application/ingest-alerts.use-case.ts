import { Injectable } from '@nestjs/common';

import {
  type AlertFormat,
  type AlertIntake,
  AlertStore,
  alertIdentity,
  normalizeAlert,
} from '@rampart/alerts';
import { CorrelateAlertsUseCase, type CorrelationOutcome } from '@rampart/correlation';
import { TransactionRunner } from '@rampart/database';
import { Metrics } from '@rampart/metrics';

export type ItemResult =
  | { index: number; status: 'accepted'; alertId: string }
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
      { index: number; alert: Extract<ReturnType<typeof normalizeAlert>, { ok: true }>['alert'] }
    >();
    // An alert that carries no time of its own is dated by its arrival, never by guesswork.
    const receivedAt = new Date();
    command.items.forEach((item, index) => {
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
      const identity = alertIdentity(normalized.alert);
      if (firstByIdentity.has(identity)) results[index] = { index, status: 'duplicate' };
      else firstByIdentity.set(identity, { index, alert: normalized.alert });
    });

    let correlation: CorrelationOutcome | null = null;
    if (firstByIdentity.size > 0) {
      // Sorted by identity so concurrent batches take unique-index locks in one order (no deadlock).
      const batch = [...firstByIdentity.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([identity, { alert }]) => ({ identity, alert }));
      const stored = await this.transactions.run(async (sql) => {
        const inserted = await this.store.insertNew(sql, batch, command.intake);
        correlation = await this.correlate.execute(sql, inserted);
        return inserted;
      });
      const storedIds = new Map(stored.map((row) => [row.identity, row.id]));
      for (const [identity, { index }] of firstByIdentity) {
        const alertId = storedIds.get(identity);
        results[index] = alertId ? { index, status: 'accepted', alertId } : { index, status: 'duplicate' };
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
