import { Injectable } from '@nestjs/common';

import type { SqlExecutor } from '@rampart/database';

import {
  IncidentLookup,
  type MembershipChange,
  type OpenIncidentAlert,
  type RelationProbe,
} from '../../application/incident-lookup';
import { OPEN_STATUSES } from '../../domain/incident-status';

const OPEN_INCIDENT_ALERTS = `SELECT a.id::text, a.event_time AS time, a.severity_id AS "severityId", a.title,
         a.source, a.entities, a.tactics, a.techniques, ia.incident_id::text AS "incidentId"
    FROM alert a
    JOIN incident_alert ia ON ia.alert_id = a.id
    JOIN incident i ON i.id = ia.incident_id AND i.status = ANY($1)`;

@Injectable()
export class SqlIncidentLookup extends IncidentLookup {
  async relatedOpenIncidents(sql: SqlExecutor, probes: RelationProbe[]) {
    if (probes.length === 0) return [];
    // incident_entity narrows the candidates (an incident's time span per key); EXISTS then asks the
    // (key, time) index for the alerts in the probe's span and stops at the first of that incident.
    // Both subqueries run per candidate row (OFFSET 0 keeps PostgreSQL from flattening them into
    // joins, which, with stale statistics, it plans as hashing every alert of the incident or
    // every open incident: a cost growing with the storm instead of with the batch).
    const rows = await sql.query<{ alertId: string; incidentId: string; incidentNumber: string }>(
      `SELECT DISTINCT p.alert_id::text AS "alertId", ie.incident_id::text AS "incidentId",
              i.number::text AS "incidentNumber"
         FROM jsonb_to_recordset($1::jsonb) AS p(alert_id uuid, key text, "from" timestamptz, "to" timestamptz)
         JOIN incident_entity ie ON ie.entity_key = p.key AND ie.first_seen <= p."to" AND ie.last_seen >= p."from"
        CROSS JOIN LATERAL (SELECT i.number FROM incident i
                             WHERE i.id = ie.incident_id AND i.status = ANY($2) OFFSET 0) i
        WHERE EXISTS (SELECT 1
                        FROM alert_entity e JOIN incident_alert ia ON ia.alert_id = e.alert_id
                       WHERE e.entity_key = p.key AND e.event_time BETWEEN p."from" AND p."to"
                         AND ia.incident_id = ie.incident_id
                      OFFSET 0)`,
      [
        JSON.stringify(
          probes.map((probe) => ({
            alert_id: probe.alertId,
            key: probe.key,
            from: new Date(probe.fromMs).toISOString(),
            to: new Date(probe.toMs).toISOString(),
          })),
        ),
        OPEN_STATUSES,
      ],
    );
    return rows.map((row) => ({ ...row, incidentNumber: Number(row.incidentNumber) }));
  }

  async incidentNumbers(sql: SqlExecutor, ids: string[]) {
    if (ids.length === 0) return [];
    const rows = await sql.query<{ id: string; number: string }>(
      'SELECT id::text, number::text FROM incident WHERE id = ANY($1::uuid[])',
      [ids],
    );
    return rows.map((row) => ({ id: row.id, number: Number(row.number) }));
  }

  async openIncidentAlerts(
    sql: SqlExecutor,
    keys: string[],
    from: Date,
    to: Date,
  ): Promise<OpenIncidentAlert[]> {
    if (keys.length === 0) return [];
    const rows = await sql.query<OpenIncidentAlert>(
      `${OPEN_INCIDENT_ALERTS}
        WHERE a.id IN (SELECT ae.alert_id FROM alert_entity ae
                        WHERE ae.entity_key = ANY($2) AND ae.event_time BETWEEN $3 AND $4)`,
      [OPEN_STATUSES, keys, from.toISOString(), to.toISOString()],
    );
    return rows.map((row) => ({ ...row, time: new Date(row.time) }));
  }

  async openIncidentAlertsById(sql: SqlExecutor, ids: string[]): Promise<OpenIncidentAlert[]> {
    if (ids.length === 0) return [];
    const rows = await sql.query<OpenIncidentAlert>(`${OPEN_INCIDENT_ALERTS} WHERE a.id = ANY($2::uuid[])`, [
      OPEN_STATUSES,
      ids,
    ]);
    return rows.map((row) => ({ ...row, time: new Date(row.time) }));
  }

  async membershipChanges(sql: SqlExecutor, from: number, to: number): Promise<MembershipChange[]> {
    const rows = await sql.query<{
      version: string;
      alertIds: string[];
      merges: [string, string][];
      everything: boolean;
    }>(
      `SELECT version::text, alert_ids::text[] AS "alertIds", merges, everything
         FROM incident_membership_change WHERE version BETWEEN $1 AND $2 ORDER BY version`,
      [from, to],
    );
    return rows.map((row) => ({
      version: Number(row.version),
      alertIds: row.alertIds,
      merges: row.merges.map(([merged, survivor]) => ({ merged, survivor })),
      everything: row.everything,
    }));
  }
}
