import { Injectable } from '@nestjs/common';

import { type AlertIntake, AlertStore, type IdentifiedAlert, type StoredAlert } from '@rampart/alerts';
import { CorrelateAlertsUseCase, type CorrelationOutcome } from '@rampart/correlation';
import { DataRejectedError, TransactionRunner } from '@rampart/database';
import { Metrics } from '@rampart/metrics';

/** Transactions at once: one correlating under the lock while the next inserts its alerts. */
const IN_FLIGHT = 2;
/** The most alerts one transaction takes; a bigger submission still goes alone. */
const GROUP_ALERTS = 5_000;

export interface CommittedBatch {
  /** The submission's alerts that this commit stored (new identities). */
  stored: StoredAlert[];
  /** Identities PostgreSQL refused to store, with its reason. */
  refused: Map<string, string>;
}

interface Submission {
  batch: IdentifiedAlert[];
  intake: AlertIntake;
  resolve(result: CommittedBatch): void;
  reject(error: unknown): void;
}

/**
 * Group commit for intake: submissions (webhook requests, Kafka batches) that arrive while a
 * transaction runs join the next one, so that many requests share one transaction and one
 * acquisition of the correlation lock. Each submission resolves only after the transaction that
 * holds its alerts committed, and waits at most for the transactions ahead of it: one correlating
 * and one inserting (the alert insert runs outside the lock, overlapping the previous correlation).
 */
@Injectable()
export class AlertGroupCommit {
  private readonly queue: Submission[] = [];
  private inFlight = 0;

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly store: AlertStore,
    private readonly correlate: CorrelateAlertsUseCase,
    private readonly metrics: Metrics,
  ) {}

  /** Stores and correlates `batch` (identities unique within it); resolves once committed. */
  submit(batch: IdentifiedAlert[], intake: AlertIntake): Promise<CommittedBatch> {
    if (batch.length === 0) return Promise.resolve({ stored: [], refused: new Map() });
    return new Promise<CommittedBatch>((resolve, reject) => {
      this.queue.push({ batch, intake, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < IN_FLIGHT && this.queue.length > 0) {
      const group = this.takeGroup();
      this.inFlight += 1;
      void this.commit(group).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  /** The oldest submission and every queued one of the same intake, up to the group bound. */
  private takeGroup(): Submission[] {
    const head = this.queue.shift() as Submission;
    const group = [head];
    let size = head.batch.length;
    for (let index = 0; index < this.queue.length && size < GROUP_ALERTS;) {
      const next = this.queue[index] as Submission;
      if (next.intake === head.intake && size + next.batch.length <= GROUP_ALERTS) {
        group.push(next);
        size += next.batch.length;
        this.queue.splice(index, 1);
      } else {
        index += 1;
      }
    }
    return group;
  }

  private async commit(group: Submission[]): Promise<void> {
    // The first submission of an identity stores it; a later one in the same group sees a duplicate,
    // as it would had it come a moment later.
    const owner = new Map<string, Submission>();
    const alerts: IdentifiedAlert[] = [];
    for (const submission of group) {
      for (const item of submission.batch) {
        if (owner.has(item.identity)) continue;
        owner.set(item.identity, submission);
        alerts.push(item);
      }
    }
    // Sorted by identity so concurrent transactions take unique-index locks in one order (no deadlock).
    alerts.sort((a, b) => (a.identity < b.identity ? -1 : a.identity > b.identity ? 1 : 0));
    let committed: { stored: StoredAlert[]; refused: Map<string, string>; outcome: CorrelationOutcome };
    try {
      committed = await this.storeAndCorrelate(alerts, group[0]!.intake);
    } catch (error) {
      for (const submission of group) submission.reject(error);
      return;
    }
    this.recordOutcome(committed.outcome);
    const results = new Map(
      group.map((submission) => [
        submission,
        { stored: [] as StoredAlert[], refused: new Map<string, string>() },
      ]),
    );
    for (const stored of committed.stored) results.get(owner.get(stored.identity)!)!.stored.push(stored);
    for (const [identity, reason] of committed.refused)
      results.get(owner.get(identity)!)!.refused.set(identity, reason);
    for (const submission of group) submission.resolve(results.get(submission)!);
  }

  /**
   * One transaction for the group. Should PostgreSQL refuse the data of some alert (a value beyond
   * what it can store), the batch is split in halves until the refused alerts stand alone, so only
   * they are rejected and the rest is not held back (a few transactions per refused alert, not one
   * per alert). Other failures propagate, for every submission of the group to be retried.
   */
  private async storeAndCorrelate(
    batch: IdentifiedAlert[],
    intake: AlertIntake,
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

  private async storeOnce(batch: IdentifiedAlert[], intake: AlertIntake) {
    // Each stage is timed, so that what bounds intake is read from /metrics, not guessed.
    const stage = this.metrics.groupCommitSeconds;
    let endCommit: (() => void) | null = null;
    const result = await this.transactions.run(async (sql) => {
      const endInsert = stage.startTimer({ stage: 'insert' });
      const stored = await this.store.insertNew(sql, batch, intake);
      endInsert();
      const outcome = await this.correlate.execute(sql, stored, {
        locked: (waitSeconds) => stage.observe({ stage: 'lock_wait' }, waitSeconds),
        correlated: (seconds) => stage.observe({ stage: 'correlate' }, seconds),
      });
      endCommit = stage.startTimer({ stage: 'commit' });
      return { stored, outcome };
    });
    (endCommit as (() => void) | null)?.();
    this.metrics.groupCommitAlerts.observe({ intake }, batch.length);
    return result;
  }

  private recordOutcome(outcome: CorrelationOutcome): void {
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
