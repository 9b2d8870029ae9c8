import { Injectable } from '@nestjs/common';

import { SqlExecutor } from '@rampart/database';

import { ReportData } from '../../application/report-data';
import type { AccessReviewFacts, PrincipalFacts } from '../../domain/reports/access-review.report';
import type { ContainmentFacts } from '../../domain/reports/containment-register.report';
import type { IncidentFacts } from '../../domain/reports/incident-metrics.report';

const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

/**
 * The reports' reads, over the tables of incidents, containment actions, API keys and the audit
 * trail. Read-only: every table keeps its one writer.
 */
@Injectable()
export class SqlReportData extends ReportData {
  constructor(private readonly sql: SqlExecutor) {
    super();
  }

  async incidentsOpened(from: Date, to: Date): Promise<IncidentFacts[]> {
    const rows = await this.sql.query<Omit<IncidentFacts, 'number'> & { number: string }>(
      `SELECT i.id::text AS id, i.number::text AS number, i.title,
              (ARRAY['informational', 'low', 'medium', 'high', 'critical'])[i.severity_id] AS severity,
              i.status, i.first_seen AS "firstSeen", i.created_at AS "createdAt",
              i.acknowledged_at AS "acknowledgedAt", i.contained_at AS "containedAt", i.resolved_at AS "resolvedAt",
              COALESCE(alerts.sources, '{}') AS sources, COALESCE(alerts.categories, '{}') AS categories
         FROM incident i
         LEFT JOIN LATERAL (
           SELECT array_agg(DISTINCT a.source) AS sources,
                  array_agg(DISTINCT COALESCE(t.tactic ->> 'name', t.tactic ->> 'id'))
                    FILTER (WHERE COALESCE(t.tactic ->> 'name', t.tactic ->> 'id') IS NOT NULL) AS categories
             FROM incident_alert ia
             JOIN alert a ON a.id = ia.alert_id
             LEFT JOIN LATERAL jsonb_array_elements(a.tactics) AS t(tactic) ON true
            WHERE ia.incident_id = i.id
         ) alerts ON true
        WHERE i.created_at >= $1 AND i.created_at < $2 AND i.status <> 'merged'
        ORDER BY i.created_at, i.id`,
      [from, to],
    );
    return rows.map((row) => ({ ...row, number: Number(row.number) }));
  }

  containmentActions(from: Date, to: Date): Promise<ContainmentFacts[]> {
    // approvedBy: containment actions carry no approval yet; the playbook engine's approval gates
    // record theirs in details.approvedBy.
    return this.sql.query<ContainmentFacts>(
      `SELECT a.id::text AS id, ${ISO('a.requested_at')} AS "requestedAt", a.operation, a.target,
              a.connector_name AS connector, i.number::int AS "incidentNumber", a.requested_by AS "requestedBy",
              a.details ->> 'approvedBy' AS "approvedBy", a.state, a.outcome,
              ${ISO('a.expires_at')} AS "expiresAt", ${ISO('a.completed_at')} AS "completedAt",
              ${ISO('a.rolled_back_at')} AS "rolledBackAt", a.rollback_of::text AS "rollbackOf",
              a.error_code AS "errorCode"
         FROM containment_action a
         LEFT JOIN incident i ON i.id = a.incident_id
        WHERE a.requested_at >= $1 AND a.requested_at < $2
        ORDER BY a.requested_at, a.id`,
      [from, to],
    );
  }

  principals(): Promise<PrincipalFacts[]> {
    // One source per kind of principal: users join with one more UNION ALL.
    return this.sql.query<PrincipalFacts>(
      `SELECT kind, id, name, role, ${ISO('created_at')} AS "createdAt", ${ISO('last_used_at')} AS "lastUsedAt",
              ${ISO('revoked_at')} AS "revokedAt"
         FROM (SELECT 'api_key' AS kind, id::text AS id, name, role, created_at, last_used_at, revoked_at
                 FROM api_key) principal
        ORDER BY kind, name, id`,
    );
  }

  failedLogins(from: Date, to: Date): Promise<AccessReviewFacts['failedLogins']> {
    return this.sql.query(
      `SELECT COALESCE(target_name, actor_name) AS name, count(*)::int AS count, ${ISO('max(at)')} AS last
         FROM audit_entry
        WHERE action = 'login.failed' AND at >= $1 AND at < $2
        GROUP BY 1 ORDER BY count(*) DESC, 1`,
      [from, to],
    );
  }

  accessChanges(from: Date, to: Date): Promise<AccessReviewFacts['changes']> {
    return this.sql.query(
      `SELECT ${ISO('at')} AS at, action, actor_name AS actor,
              target_type || ':' || COALESCE(target_name, target_id, '') AS target
         FROM audit_entry
        WHERE (starts_with(action, 'api_key.') OR starts_with(action, 'user.') OR starts_with(action, 'role.'))
          AND at >= $1 AND at < $2
        ORDER BY seq`,
      [from, to],
    );
  }
}
