import { Injectable } from '@nestjs/common';

import { entityFilter, severityName, type SeverityId } from '@rampart/alerts';
import {
  containingPattern,
  decodeKeysetCursor,
  encodeKeysetCursor,
  keysetCursorTime,
  SqlExecutor,
} from '@rampart/database';

import type { IncidentStatus } from '../domain/incident-status';

export interface IncidentListFilter {
  status?: IncidentStatus[];
  severity?: SeverityId[];
  /** `type:value` (e.g. host:web-01) or a bare value matched against any entity type. */
  entity?: string;
  assignee?: string;
  /** Words that must all appear in the title (case-insensitive). */
  titleWords?: string[];
  /** One incident by its number. */
  number?: number;
  /** Incidents whose activity (first..last seen) overlaps [from, to]. */
  from?: Date;
  to?: Date;
  limit: number;
  cursor?: string;
}

export interface IncidentSummary {
  id: string;
  number: number;
  title: string;
  status: IncidentStatus;
  severity: string;
  severityId: number;
  assignee: string | null;
  alertCount: number;
  firstSeen: string;
  lastSeen: string;
  createdAt: string;
  updatedAt: string;
  acknowledgedAt: string | null;
  containedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  mergedIntoId: string | null;
}

export class InvalidCursorError extends Error {}

/** Alerts in the incident detail; the rest are paged with {@link IncidentQueries.alerts}. */
export const ALERTS_IN_DETAIL = 1000;

const ALERT_COLUMNS = `a.id::text, a.format, a.source, a.external_id AS "externalId", a.title,
  a.description, a.threat_name AS "threatName", a.severity_id AS "severityId", a.rule_name AS "ruleName",
  a.tactics, a.techniques, a.entities, a.custom_fields AS "customFields", a.event_time AS "time",
  a.time_fallback AS "timeFallback", a.received_at AS "receivedAt", a.intake, a.intake_source AS "intakeSource"`;

const SUMMARY_COLUMNS = `i.id::text, i.number, i.title, i.status, i.severity_id AS "severityId", i.assignee,
  i.alert_count AS "alertCount", i.first_seen AS "firstSeen", i.last_seen AS "lastSeen", i.created_at AS "createdAt",
  i.updated_at AS "updatedAt", i.acknowledged_at AS "acknowledgedAt", i.contained_at AS "containedAt",
  i.resolved_at AS "resolvedAt", i.closed_at AS "closedAt", i.merged_into_id::text AS "mergedIntoId"`;

const RULE_MATCH_COLUMNS = `rule_id AS "ruleId", rule_name AS "ruleName", group_key AS "groupKey",
  severity_id AS "severityId", summary, alert_ids AS "alertIds", first_time AS "firstTime", last_time AS "lastTime",
  matched_at AS "matchedAt"`;

/** An incident as playbook runs read it (IncidentQueries.runContexts). */
export interface RunContextIncident extends IncidentSummary {
  alerts: unknown[];
  ruleMatches: unknown[];
}

/** Read side of incidents for the API and the console. */
@Injectable()
export class IncidentQueries {
  constructor(private readonly sql: SqlExecutor) {}

  async list(filter: IncidentListFilter): Promise<{ items: IncidentSummary[]; nextCursor: string | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const bind = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.status?.length) where.push(`i.status = ANY(${bind(filter.status)})`);
    else where.push(`i.status <> 'merged'`);
    if (filter.severity?.length) where.push(`i.severity_id = ANY(${bind(filter.severity)}::smallint[])`);
    if (filter.assignee) where.push(`i.assignee = ${bind(filter.assignee)}`);
    if (filter.number !== undefined) where.push(`i.number = ${bind(filter.number)}`);
    for (const word of filter.titleWords ?? []) {
      where.push(`i.title ILIKE ${bind(containingPattern(word))}`);
    }
    if (filter.from) where.push(`i.last_seen >= ${bind(filter.from)}`);
    if (filter.to) where.push(`i.first_seen <= ${bind(filter.to)}`);
    if (filter.entity) {
      const wanted = entityFilter(filter.entity);
      const clause =
        'key' in wanted ? `ie.entity_key = ${bind(wanted.key)}` : `ie.value = ${bind(wanted.value)}`;
      where.push(`EXISTS (SELECT 1 FROM incident_entity ie WHERE ie.incident_id = i.id AND ${clause})`);
    }
    if (filter.cursor) where.push(`i.number < ${bind(decodeCursor(filter.cursor))}`);
    const rows = await this.sql.query<IncidentRow>(
      `SELECT ${SUMMARY_COLUMNS}
         FROM incident i
        WHERE ${where.join(' AND ')}
        ORDER BY i.number DESC
        LIMIT ${bind(filter.limit + 1)}`,
      params,
    );
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toSummary),
      nextCursor: rows.length > filter.limit && last ? encodeCursor(last.number) : null,
    };
  }

  async get(id: string) {
    const [incident] = await this.sql.query<IncidentRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM incident i WHERE i.id = $1`,
      [id],
    );
    if (!incident) return null;
    const [alerts, entities, timeline, ruleMatches, actions, comments, runs] = await Promise.all([
      this.alertPage(id, ALERTS_IN_DETAIL),
      this.sql.query(
        `SELECT entity_key AS key, type, value, alert_count AS "alertCount", first_seen AS "firstSeen", last_seen AS "lastSeen"
           FROM incident_entity WHERE incident_id = $1 ORDER BY alert_count DESC, entity_key`,
        [id],
      ),
      this.sql.query(
        `SELECT id::text, at, kind, actor, message, data FROM incident_timeline WHERE incident_id = $1 ORDER BY at, id`,
        [id],
      ),
      this.ruleMatches(id),
      this.sql.query(
        `SELECT id::text, connector_name AS connector, capability, operation, target, state, outcome,
                requested_by AS "requestedBy", requested_at AS "requestedAt", completed_at AS "completedAt",
                expires_at AS "expiresAt", rolled_back_at AS "rolledBackAt", error_code AS "errorCode"
           FROM containment_action WHERE incident_id = $1 ORDER BY requested_at, id`,
        [id],
      ),
      this.sql.query(
        `SELECT id::text, author, body, created_at AS "createdAt"
           FROM incident_comment WHERE incident_id = $1 ORDER BY created_at, id`,
        [id],
      ),
      // Read side only: runs are written by libs/playbooks.
      this.sql.query(
        `SELECT id::text, playbook_id AS "playbookId", status, reason, started_by AS "startedBy",
                started_at AS "startedAt", finished_at AS "finishedAt", parent_run_id::text AS "parentRunId"
           FROM playbook_run WHERE incident_id = $1 ORDER BY started_at, id`,
        [id],
      ),
    ]);
    return {
      ...toSummary(incident),
      alerts: alerts.items,
      /** Set when the incident has more alerts than the detail shows: page on with `alerts()`. */
      alertsNextCursor: alerts.nextCursor,
      entities,
      timeline,
      ruleMatches,
      actions,
      comments,
      runs,
    };
  }

  /**
   * What playbook runs read of their incidents, for many at once (a page of trigger events): the
   * summary, the first alerts by event time (as many as the detail shows) and the rule matches;
   * not the timeline, actions, comments and runs the detail adds. Three queries however many
   * incidents; those that do not exist are missing from the map.
   */
  async runContexts(ids: readonly string[]) {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map<string, RunContextIncident>();
    const [incidents, alerts, ruleMatches] = await Promise.all([
      this.sql.query<IncidentRow>(`SELECT ${SUMMARY_COLUMNS} FROM incident i WHERE i.id = ANY($1::uuid[])`, [
        unique,
      ]),
      this.sql.query<{ incidentId: string; sortId: string; severityId: number }>(
        `SELECT ids.id::text AS "incidentId", x.*
           FROM unnest($1::uuid[]) AS ids(id)
           CROSS JOIN LATERAL (
             SELECT ${ALERT_COLUMNS}, a.id AS "sortId"
               FROM incident_alert ia JOIN alert a ON a.id = ia.alert_id
              WHERE ia.incident_id = ids.id
              ORDER BY a.event_time, a.id
              LIMIT $2) x
          ORDER BY ids.id, x."time", x."sortId"`,
        [unique, ALERTS_IN_DETAIL],
      ),
      this.sql.query<{ incidentId: string }>(
        `SELECT incident_id::text AS "incidentId", ${RULE_MATCH_COLUMNS}
           FROM incident_rule_match WHERE incident_id = ANY($1::uuid[]) ORDER BY matched_at, rule_id`,
        [unique],
      ),
    ]);
    const contexts = new Map<string, RunContextIncident>();
    for (const row of incidents) contexts.set(row.id, { ...toSummary(row), alerts: [], ruleMatches: [] });
    for (const { incidentId, sortId: _sortId, ...alert } of alerts) {
      contexts
        .get(incidentId)
        ?.alerts.push({ ...alert, severity: severityName(alert.severityId as SeverityId) });
    }
    for (const { incidentId, ...match } of ruleMatches) contexts.get(incidentId)?.ruleMatches.push(match);
    return contexts;
  }

  private ruleMatches(incidentId: string): Promise<unknown[]> {
    return this.sql.query(
      `SELECT ${RULE_MATCH_COLUMNS} FROM incident_rule_match WHERE incident_id = $1 ORDER BY matched_at, rule_id`,
      [incidentId],
    );
  }

  /** An incident's alerts in event-time order, a page at a time; null when there is no such incident. */
  async alerts(
    incidentId: string,
    page: { limit: number; cursor?: string },
  ): Promise<{ items: unknown[]; nextCursor: string | null } | null> {
    const [exists] = await this.sql.query(`SELECT 1 FROM incident WHERE id = $1`, [incidentId]);
    if (!exists) return null;
    return this.alertPage(incidentId, page.limit, page.cursor);
  }

  private async alertPage(
    incidentId: string,
    limit: number,
    cursor?: string,
  ): Promise<{ items: unknown[]; nextCursor: string | null }> {
    const after = cursor === undefined ? null : decodeAlertCursor(cursor);
    const rows = await this.sql.query<{ id: string; severityId: number; cursorTime: string }>(
      `SELECT ${ALERT_COLUMNS}, ${keysetCursorTime('a.event_time')} AS "cursorTime"
         FROM incident_alert ia JOIN alert a ON a.id = ia.alert_id
        WHERE ia.incident_id = $1
          AND ($2::timestamptz IS NULL OR (a.event_time, a.id) > ($2::timestamptz, $3::uuid))
        ORDER BY a.event_time, a.id
        LIMIT $4`,
      [incidentId, after?.time ?? null, after?.id ?? null, limit + 1],
    );
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(({ cursorTime: _cursorTime, ...alert }) => ({
        ...alert,
        severity: severityName(alert.severityId as SeverityId),
      })),
      nextCursor: rows.length > limit && last ? encodeKeysetCursor(last.cursorTime, last.id) : null,
    };
  }
}

interface IncidentRow extends Omit<
  IncidentSummary,
  'severity' | 'number' | 'firstSeen' | 'lastSeen' | 'createdAt' | 'updatedAt'
> {
  number: string;
  firstSeen: Date;
  lastSeen: Date;
  createdAt: Date;
  updatedAt: Date;
}

function iso(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

export function toSummary(row: IncidentRow): IncidentSummary {
  return {
    id: row.id,
    number: Number(row.number),
    title: row.title,
    status: row.status,
    severity: severityName(row.severityId as SeverityId),
    severityId: row.severityId,
    assignee: row.assignee,
    alertCount: row.alertCount,
    firstSeen: iso(row.firstSeen) as string,
    lastSeen: iso(row.lastSeen) as string,
    createdAt: iso(row.createdAt) as string,
    updatedAt: iso(row.updatedAt) as string,
    acknowledgedAt: iso(row.acknowledgedAt),
    containedAt: iso(row.containedAt),
    resolvedAt: iso(row.resolvedAt),
    closedAt: iso(row.closedAt),
    mergedIntoId: row.mergedIntoId,
  };
}

// Incident numbers grow with creation, so they order the list newest first and make a stable cursor.
function encodeCursor(number: string): string {
  return Buffer.from(JSON.stringify({ before: number })).toString('base64url');
}

function decodeCursor(cursor: string): string {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const before = (value as { before?: unknown } | null)?.before;
    if (typeof before === 'string' && /^\d{1,18}$/.test(before)) return before;
  } catch {
    // fall through
  }
  throw new InvalidCursorError('cursor is not one this API returned');
}

function decodeAlertCursor(cursor: string): { time: string; id: string } {
  const position = decodeKeysetCursor(cursor);
  if (position) return position;
  throw new InvalidCursorError('cursor is not one this API returned');
}
