import { Injectable } from '@nestjs/common';

import { type AlertIntake, AlertStore, type IdentifiedAlert, type StoredAlert } from '@rampart/alerts';
import { CorrelateAlertsUseCase, type CorrelationOutcome } from '@rampart/correlation';
import { DataRejectedError, type SqlExecutor, TransactionRunner } from '@rampart/database';
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

/** The submissions sharing one transaction, and which of them owns each identity. */
class JoinedSubmissions {
  readonly submissions: Submission[] = [];
  /** The first submission of an identity stores it; a later one sees a duplicate, as it would had it come a moment later. */
  readonly owner = new Map<string, Submission>();

  constructor(readonly intake: AlertIntake) {}

  /** Joins `submissions`; returns their alerts new to the transaction. */
  join(submissions: Submission[]): IdentifiedAlert[] {
    const alerts: IdentifiedAlert[] = [];
    for (const submission of submissions) {
      this.submissions.push(submission);
      for (const item of submission.batch) {
        if (this.owner.has(item.identity)) continue;
        this.owner.set(item.identity, submission);
        alerts.push(item);
      }
    }
    // Sorted by identity so concurrent transactions take unique-index locks in one order (no deadlock).
    return alerts.sort((a, b) => (a.identity < b.identity ? -1 : a.identity > b.identity ? 1 : 0));
  }

  /** Gives back the submissions joined after the first `count`, and forgets their alerts. */
  leave(count: number): Submission[] {
    const left = this.submissions.splice(count);
    for (const [identity, submission] of this.owner) {
      if (left.includes(submission)) this.owner.delete(identity);
    }
    return left;
  }

  /** The alerts the transaction holds. */
  get size(): number {
    return this.owner.size;
  }
}

/**
 * Group commit for intake: submissions (webhook requests, Kafka batches) that arrive while a
 * transaction runs join the next one, so that many requests share one transaction and one
 * acquisition of the correlation lock. Each submission resolves only after the transaction that
 * holds its alerts committed, and waits at most for the transactions ahead of it: one correlating
 * and one inserting (the alert insert runs outside the lock, overlapping the previous correlation).
 *
 * The inserting transaction keeps taking submissions while this process's other transaction holds
 * the lock (it could not correlate before anyway): what arrives meanwhile joins it instead of
 * waiting for the transaction after, so transactions grow with the load instead of their count.
 */
@Injectable()
export class AlertGroupCommit {
  private readonly queue: Submission[] = [];
  private inFlight = 0;
  /** Settles when this process's transaction holding the correlation lock ends; null when none holds it. */
  private lockHeld: Promise<void> | null = null;
  /** Woken when a submission is queued. */
  private arrival: { promise: Promise<void>; wake(): void } | null = null;

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
      this.arrival?.wake();
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
    return [head, ...this.take(head.intake, GROUP_ALERTS - head.batch.length)];
  }

  /** Queued submissions of `intake`, oldest first, with at most `room` alerts in all. */
  private take(intake: AlertIntake, room: number): Submission[] {
    const taken: Submission[] = [];
    for (let index = 0; index < this.queue.length && room > 0;) {
      const next = this.queue[index] as Submission;
      if (next.intake === intake && next.batch.length <= room) {
        taken.push(next);
        room -= next.batch.length;
        this.queue.splice(index, 1);
      } else {
        index += 1;
      }
    }
    return taken;
  }

  private async commit(group: Submission[]): Promise<void> {
    const joined = new JoinedSubmissions(group[0]!.intake);
    const alerts = joined.join(group);
    let committed: { stored: StoredAlert[]; refused: Map<string, string>; outcome: CorrelationOutcome };
    try {
      committed = await this.storeAndCorrelate(alerts, joined.intake, joined);
    } catch (error) {
      for (const submission of joined.submissions) submission.reject(error);
      return;
    }
    this.recordOutcome(committed.outcome);
    const results = new Map(
      joined.submissions.map((submission) => [
        submission,
        { stored: [] as StoredAlert[], refused: new Map<string, string>() },
      ]),
    );
    for (const stored of committed.stored)
      results.get(joined.owner.get(stored.identity)!)!.stored.push(stored);
    for (const [identity, reason] of committed.refused)
      results.get(joined.owner.get(identity)!)!.refused.set(identity, reason);
    for (const submission of joined.submissions) submission.resolve(results.get(submission)!);
  }

  /**
   * One transaction for the group. Should PostgreSQL refuse the data of some alert (a value beyond
   * what it can store), the batch is split in halves until the refused alerts stand alone, so only
   * they are rejected and the rest is not held back (a few transactions per refused alert, not one
   * per alert). Other failures propagate, for every submission of the group to be retried.
   * With `joined`, the transaction takes submissions that arrive while it waits for the lock (see
   * the class); should it fail, they go back to the head of the queue, untouched by the failure
   * handling of the group they joined.
   */
  private async storeAndCorrelate(
    batch: IdentifiedAlert[],
    intake: AlertIntake,
    joined: JoinedSubmissions | null,
  ): Promise<{ stored: StoredAlert[]; refused: Map<string, string>; outcome: CorrelationOutcome }> {
    const ownCount = joined?.submissions.length ?? 0;
    try {
      const { stored, outcome } = await this.storeOnce(batch, intake, joined);
      return { stored, refused: new Map(), outcome };
    } catch (error) {
      if (joined) {
        const left = joined.leave(ownCount);
        if (left.length > 0) {
          this.queue.unshift(...left);
          this.pump();
        }
      }
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
      await this.storeAndCorrelate(batch.slice(0, middle), intake, null),
      await this.storeAndCorrelate(batch.slice(middle), intake, null),
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

  private async storeOnce(batch: IdentifiedAlert[], intake: AlertIntake, joined: JoinedSubmissions | null) {
    // Each stage is timed, so that what bounds intake is read from /metrics, not guessed.
    const stage = this.metrics.groupCommitSeconds;
    let endCommit: (() => void) | null = null;
    let held: { promise: Promise<void>; release(): void } | null = null;
    let size = batch.length;
    try {
      const result = await this.transactions.run(async (sql) => {
        const endInsert = stage.startTimer({ stage: 'insert' });
        const stored = await this.store.insertNew(sql, batch, intake);
        endInsert();
        if (joined) {
          stored.push(...(await this.joinWhileLockHeld(sql, joined)));
          size = joined.size;
        }
        const outcome = await this.correlate.execute(sql, stored, {
          locked: (waitSeconds) => {
            stage.observe({ stage: 'lock_wait' }, waitSeconds);
            let release!: () => void;
            const promise = new Promise<void>((resolve) => (release = resolve));
            held = { promise, release };
            this.lockHeld = promise;
          },
          correlated: (seconds) => stage.observe({ stage: 'correlate' }, seconds),
        });
        endCommit = stage.startTimer({ stage: 'commit' });
        return { stored, outcome };
      });
      (endCommit as (() => void) | null)?.();
      this.metrics.groupCommitAlerts.observe({ intake }, size);
      return result;
    } finally {
      const ended = held as { promise: Promise<void>; release(): void } | null;
      if (ended) {
        // The next transaction may have taken the lock (and said so) before this one's end is seen.
        if (this.lockHeld === ended.promise) this.lockHeld = null;
        ended.release();
      }
    }
  }

  /**
   * While this process's other transaction holds the correlation lock, stores what arrives for
   * the same intake in this transaction too (outside the lock, as the first insert), up to the
   * group bound; returns what it stored.
   */
  private async joinWhileLockHeld(sql: SqlExecutor, joined: JoinedSubmissions): Promise<StoredAlert[]> {
    const stored: StoredAlert[] = [];
    while (this.lockHeld && joined.size < GROUP_ALERTS) {
      const arrived = this.take(joined.intake, GROUP_ALERTS - joined.size);
      if (arrived.length === 0) {
        await Promise.race([this.lockHeld, this.nextArrival()]);
        continue;
      }
      const alerts = joined.join(arrived);
      if (alerts.length === 0) continue;
      const endInsert = this.metrics.groupCommitSeconds.startTimer({ stage: 'insert' });
      stored.push(...(await this.store.insertNew(sql, alerts, joined.intake)));
      endInsert();
    }
    return stored;
  }

  private nextArrival(): Promise<void> {
    if (!this.arrival) {
      let wake!: () => void;
      const promise = new Promise<void>((resolve) => (wake = resolve));
      this.arrival = {
        promise,
        wake: () => {
          this.arrival = null;
          wake();
        },
      };
    }
    return this.arrival.promise;
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
