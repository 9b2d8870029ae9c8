import type { SqlExecutor } from '@rampart/database';

import type { IncidentEventDraft } from '../../domain/incident-event';

/** The channel a NOTIFY names when incident events were appended; delivered at commit. */
export const INCIDENT_EVENT_CHANNEL = 'incident_event';

export interface TimelineDraft {
  incidentId: string;
  kind: string;
  message: string;
  data: Record<string, unknown>;
}

/**
 * Appends timeline entries and outbox events in one statement, in the given order, stamped with
 * the writing transaction's id; the NOTIFY is sent only when some event was appended.
 */
export async function recordChanges(
  sql: SqlExecutor,
  actor: string,
  timeline: TimelineDraft[],
  events: IncidentEventDraft[],
): Promise<void> {
  if (timeline.length === 0 && events.length === 0) return;
  await sql.query(
    `WITH timeline AS (
       INSERT INTO incident_timeline (incident_id, at, kind, actor, message, data)
       SELECT r.incident_id, clock_timestamp(), r.kind, $1, r.message, r.data
         FROM ROWS FROM (jsonb_to_recordset($2::jsonb) AS (incident_id uuid, kind text, message text, data jsonb))
              WITH ORDINALITY AS r(incident_id, kind, message, data, ord)
        ORDER BY r.ord
       RETURNING 1
     ), events AS (
       INSERT INTO incident_event (xid, incident_id, kind, payload, actor)
       SELECT pg_current_xact_id()::text::bigint, r.incident_id, r.kind, r.payload, $1
         FROM ROWS FROM (jsonb_to_recordset($3::jsonb) AS (incident_id uuid, kind text, payload jsonb))
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
