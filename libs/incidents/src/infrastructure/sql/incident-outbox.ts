import type { SqlExecutor } from '@rampart/database';

import type { IncidentEventDraft } from '../../domain/incident-event';

/** The channel a NOTIFY names when incident events were appended; delivered at commit. */
export const INCIDENT_EVENT_CHANNEL = 'incident_event';

/**
 * The fence between outbox writers and the feed's reader (a transaction-level advisory lock, per
 * database): a transaction holds it shared from before its first event takes a sequence number
 * until it ends, and the reader takes it exclusively, so that when the reader looks, every event
 * numbered so far is committed or gone (see SqlIncidentEventFeed).
 */
export const INCIDENT_EVENT_FENCE = "hashtextextended('rampart:incident_event:fence', 0)";

export interface TimelineDraft {
  incidentId: string;
  kind: string;
  message: string;
  data: Record<string, unknown>;
}

/**
 * Appends timeline entries and outbox events in one statement, in the given order, behind the
 * feed's fence; the NOTIFY is sent only when some event was appended.
 */
export async function recordChanges(
  sql: SqlExecutor,
  actor: string,
  timeline: TimelineDraft[],
  events: IncidentEventDraft[],
): Promise<void> {
  if (timeline.length === 0 && events.length === 0) return;
  // The fence is taken in the same statement, before the event insert takes its sequence numbers:
  // the insert reads its rows through the fence's one row, so no row (and no number) exists before
  // the lock is held. Re-taking it later in the transaction is free.
  await sql.query(
    `WITH fence AS (SELECT pg_advisory_xact_lock_shared(${INCIDENT_EVENT_FENCE})
     ), timeline AS (
       INSERT INTO incident_timeline (incident_id, at, kind, actor, message, data)
       SELECT r.incident_id, clock_timestamp(), r.kind, $1, r.message, r.data
         FROM ROWS FROM (jsonb_to_recordset($2::jsonb) AS (incident_id uuid, kind text, message text, data jsonb))
              WITH ORDINALITY AS r(incident_id, kind, message, data, ord)
        ORDER BY r.ord
       RETURNING 1
     ), events AS (
       INSERT INTO incident_event (incident_id, kind, payload, actor)
       SELECT r.incident_id, r.kind, r.payload, $1
         FROM fence, ROWS FROM (jsonb_to_recordset($3::jsonb) AS (incident_id uuid, kind text, payload jsonb))
              WITH ORDINALITY AS r(incident_id, kind, payload, ord)
        ORDER BY r.ord
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM timeline) AS timeline,
            CASE WHEN EXISTS (SELECT 1 FROM events) THEN pg_notify('${INCIDENT_EVENT_CHANNEL}', '') END AS notified`,
    [
      actor,
      JSON.stringify(
        timeline.map((entry) => ({
          incident_id: entry.incidentId,
          kind: entry.kind,
          message: entry.message,
          data: entry.data,
        })),
      ),
      JSON.stringify(
        events.map((event) => ({ incident_id: event.incidentId, kind: event.kind, payload: event.payload })),
      ),
    ],
  );
}
