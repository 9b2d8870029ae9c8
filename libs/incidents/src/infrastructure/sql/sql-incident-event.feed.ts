import { setTimeout as delay } from 'node:timers/promises';

import { Injectable, OnModuleDestroy } from '@nestjs/common';

import { DatabaseNotifications, type SqlExecutor, TransactionRunner } from '@rampart/database';

import { IncidentEventFeed, type IncidentEventPage } from '../../application/incident-event-feed';
import type { IncidentEvent } from '../../domain/incident-event';
import { INCIDENT_EVENT_CHANNEL, INCIDENT_EVENT_FENCE } from './incident-outbox';

const DEFAULT_POLL_MS = 1_000;
/** A read tries the fence this often, FENCE_RETRY_MS apart, before it answers "nothing yet". */
const FENCE_ATTEMPTS = 40;
const FENCE_RETRY_MS = 25;

/**
 * Sequence order is not commit order: a transaction that took seq 10 may commit after one that
 * took seq 11, and a reader that had moved past 11 would skip 10 for ever. So writers hold a fence
 * (a transaction-level advisory lock of this database) shared from before their first event takes
 * its number until they end, and the reader takes it exclusively before it looks: at that moment
 * every event numbered so far is committed or rolled back, and later ones will be numbered higher.
 * Events are then handed out in sequence order. The reader only ever tries the fence (it never
 * queues for it, so writers never wait behind a reader and no deadlock can form through it): only
 * transactions writing incident events in this database can hold a read back, for as long as
 * they run; after about a second of trying, a read answers "nothing yet" and is asked again.
 */
@Injectable()
export class SqlIncidentEventFeed extends IncidentEventFeed implements OnModuleDestroy {
  private readonly waiters = new Set<() => void>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly notifications: DatabaseNotifications,
  ) {
    super();
  }

  async readAfter(cursor: string | null, limit: number): Promise<IncidentEventPage> {
    const after = cursor === null ? '0' : decodeCursor(cursor);
    const rows = await this.behindFence((sql) =>
      sql.query<IncidentEvent & { at: Date }>(
        // Ordered by the column, not by the text it is handed out as ("10" < "9").
        `SELECT e.seq::text AS seq, e.incident_id::text AS "incidentId", e.kind, e.payload, e.actor, e.at
           FROM incident_event e
          WHERE e.seq > $1::bigint
          ORDER BY e.seq
          LIMIT $2`,
        [after, limit],
      ),
    );
    // null: writers kept the fence the whole time; nothing yet, their commits wake the consumer.
    const last = rows?.[rows.length - 1];
    return {
      events: (rows ?? []).map(({ at, ...event }) => ({ ...event, at: new Date(at).toISOString() })),
      cursor: last ? last.seq : cursor,
    };
  }

  async end(): Promise<string | null> {
    const rows = await this.behindFence((sql) =>
      sql.query<{ seq: string | null }>(`SELECT max(seq)::text AS seq FROM incident_event`),
    );
    return rows?.[0]?.seq ?? null;
  }

  /** Runs `work` holding the fence exclusively; null when writers kept it the whole time. */
  private async behindFence<T>(work: (sql: SqlExecutor) => Promise<T>): Promise<T | null> {
    for (let attempt = 0; attempt < FENCE_ATTEMPTS; attempt += 1) {
      if (attempt > 0) await delay(FENCE_RETRY_MS);
      const result = await this.transactions.run(async (sql) => {
        const [fence] = await sql.query<{ taken: boolean }>(
          `SELECT pg_try_advisory_xact_lock(${INCIDENT_EVENT_FENCE}) AS taken`,
        );
        return fence?.taken ? { value: await work(sql) } : null;
      });
      if (result !== null) return result.value;
    }
    return null;
  }

  waitForEvents(signal?: AbortSignal, timeoutMs = DEFAULT_POLL_MS): Promise<void> {
    this.unsubscribe ??= this.notifications.subscribe(INCIDENT_EVENT_CHANNEL, () => {
      const woken = [...this.waiters];
      this.waiters.clear();
      for (const wake of woken) wake();
    });
    if (signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done, { once: true });
      this.waiters.add(done);
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    for (const wake of [...this.waiters]) wake();
  }
}

export class InvalidEventCursorError extends Error {}

/** The sequence number of the last event handed out. */
function decodeCursor(cursor: string): string {
  if (!/^\d{1,19}$/.test(cursor)) throw new InvalidEventCursorError('not a cursor this feed handed out');
  return cursor;
}
