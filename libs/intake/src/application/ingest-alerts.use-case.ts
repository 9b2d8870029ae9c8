import { Injectable } from '@nestjs/common';

import {
  type AlertFormat,
  type AlertIntake,
  alertIdentity,
  isPlausibleEventTime,
  normalizeAlert,
  type NormalizedAlert,
  type TimeFallback,
} from '@rampart/alerts';
import { Metrics } from '@rampart/metrics';

import { AlertGroupCommit } from './alert-group-commit';
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
}

export interface IngestCommand {
  items: unknown[];
  /** Each item's own bytes as received, as text ('' when unknown), kept with the stored alert. */
  originals?: string[];
  intake: AlertIntake;
  /** The intake source (named webhook sender) the alerts came from, recorded on each. */
  source?: string;
  format?: AlertFormat;
}

/**
 * Normalizes a batch of native alerts (here, outside any transaction), then hands the new ones to
 * the group commit, which stores and correlates them in one transaction with whatever else
 * arrived meanwhile: when it resolves, the batch is durable; when it throws, nothing of it was
 * stored and it can be retried as a whole (identities make the retry a no-op for what landed).
 */
@Injectable()
export class IngestAlertsUseCase {
  constructor(
    private readonly groupCommit: AlertGroupCommit,
    private readonly metrics: Metrics,
  ) {}

  async execute(command: IngestCommand): Promise<IngestResult> {
    const endTimer = this.metrics.ingestBatchSeconds.startTimer({ intake: command.intake });
    const results: ItemResult[] = new Array(command.items.length);
    const firstByIdentity = new Map<
      string,
      {
        index: number;
        alert: NormalizedAlert;
        original: string | null;
        timeFallback: TimeFallback | undefined;
      }
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
      else
        firstByIdentity.set(identity, {
          index,
          alert,
          original: command.originals?.[index] || null,
          timeFallback,
        });
    });

    if (firstByIdentity.size > 0) {
      const batch = [...firstByIdentity.entries()].map(([identity, { alert, original, timeFallback }]) => ({
        identity,
        alert,
        original,
        intakeSource: command.source ?? null,
        ...(timeFallback ? { timeFallback } : {}),
      }));
      const { stored, refused } = await this.groupCommit.submit(batch, command.intake);
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
    };
    for (const status of ['accepted', 'duplicate', 'rejected'] as const) {
      if (result[status] > 0)
        this.metrics.alertsReceived.inc({ intake: command.intake, result: status }, result[status]);
    }
    endTimer();
    return result;
  }
}
