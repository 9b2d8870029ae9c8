import { Injectable, OnModuleDestroy } from '@nestjs/common';

import { DatabaseNotifications, SqlExecutor } from '@rampart/database';

import { IncidentEventFeed, type IncidentEventPage } from '../../application/incident-event-feed';
import type { IncidentEvent } from '../../domain/incident-event';
import { INCIDENT_EVENT_CHANNEL } from './incident-outbox';

const DEFAULT_POLL_MS = 1_000;

/**
 * Sequence order is not commit order: a transaction that took seq 10 may commit after one that
 * took seq 11, and a reader that had moved past 11 would skip 10 for ever. So each event carries
 * its transaction id, and only events of transactions older than the oldest transaction still
 * running (the snapshot's xmin) are handed out, in (xid, seq) order: every transaction below xmin
 * has ended, so nothing can appear behind the cursor any more. The price is that one long
 * transaction anywhere in the cluster holds delivery back until it ends.
 */
@Injectable()
export class SqlIncidentEventFeed extends IncidentEventFeed implements OnModuleDestroy {
  private readonly waiters = new Set<() => void>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly sql: SqlExecutor,
    private readonly notifications: DatabaseNotifications,
  ) {
    super();
  }

  async readAfter(cursor: string | null, limit: number): Promise<IncidentEventPage> {
    const after = cursor === null ? { xid: '0', seq: '0' } : decodeCursor(cursor);
    const rows = await this.sql.query<IncidentEvent & { xid: string; at: Date }>(
      `SELECT seq::text, xid::text, incident_id::text AS "incidentId", kind, payload, actor, at
         FROM incident_event
        WHERE (xid, seq) > ($1::bigint, $2::bigint)
          AND xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
        ORDER BY xid, seq
        LIMIT $3`,
      [after.xid, after.seq, limit],
    );
    const last = rows[rows.length - 1];
    return {
      events: rows.map(({ xid: _xid, at, ...event }) => ({ ...event, at: new Date(at).toISOString() })),
      cursor: last ? `${last.xid}:${last.seq}` : cursor,
    };
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

function decodeCursor(cursor: string): { xid: string; seq: string } {
  const match = /^(\d{1,19}):(\d{1,19})$/.exec(cursor);
  if (!match) throw new InvalidEventCursorError('not a cursor this feed handed out');
  return { xid: match[1] as string, seq: match[2] as string };
}
