import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { AppConfig } from '@rampart/config';
import type { SqlExecutor } from '@rampart/database';
import { type AlertEntity, entityKey, type StoredAlert } from '@rampart/alerts';

import {
  planIncidentAssignment,
  planRuleMerges,
  relationProbes,
} from '../domain/grouping/plan-incident-assignment';
import { computeIncidentSeverity } from '../domain/grouping/incident-severity';
import { type CorrelationEvent, evaluateRules, lookbackMs, type RuleMatch } from '../domain/rules';
import { CorrelationRuleSet } from './correlation-rule-set';

export interface CorrelationOutcome {
  incidentsOpened: number;
  incidentsUpdated: number;
  incidentsMerged: number;
  ruleMatches: number;
}

const OPEN_STATUSES = ['new', 'acknowledged', 'contained'];
// One lock for all correlation writers: batches from several ingestor replicas correlate one
// after another, each seeing what the previous committed. The insert of alerts stays parallel.
const CORRELATION_LOCK = 7_166_420_001;

interface IncidentRow {
  id: string;
  number: string;
}

/** An incident entity row that exists already gains the new count and widens its time span. */
const ADD_TO_INCIDENT_ENTITY = `ON CONFLICT ON CONSTRAINT pk_incident_entity DO UPDATE
          SET alert_count = incident_entity.alert_count + EXCLUDED.alert_count,
              first_seen = LEAST(incident_entity.first_seen, EXCLUDED.first_seen),
              last_seen = GREATEST(incident_entity.last_seen, EXCLUDED.last_seen)`;

/**
 * Puts newly stored alerts into incidents: by shared entities within the correlation window,
 * then by correlation rules; merges incidents that new evidence connects; escalates severity
 * and writes the timeline. Runs inside the caller's transaction, after the alerts are inserted.
 */
@Injectable()
export class CorrelateAlertsUseCase {
  constructor(
    private readonly config: AppConfig,
    private readonly ruleSet: CorrelationRuleSet,
  ) {}

  async execute(sql: SqlExecutor, alerts: StoredAlert[]): Promise<CorrelationOutcome> {
    const outcome: CorrelationOutcome = {
      incidentsOpened: 0,
      incidentsUpdated: 0,
      incidentsMerged: 0,
      ruleMatches: 0,
    };
    if (alerts.length === 0) return outcome;
    await sql.query('SELECT pg_advisory_xact_lock($1)', [CORRELATION_LOCK]);

    const windowMs = this.config.env.CORRELATION_WINDOW;
    const correlating = new Set<string>(this.config.env.CORRELATION_ENTITY_TYPES);
    const groupingAlerts = alerts.map(({ id, alert }) => ({
      id,
      timeMs: alert.time.getTime(),
      // The reporting device is shared by all it reports: it never joins alerts.
      keys: [
        ...new Set(
          alert.entities.filter((e) => correlating.has(e.type) && e.role !== 'observer').map(entityKey),
        ),
      ],
    }));

    const probes = relationProbes(groupingAlerts, windowMs).map((probe) => ({
      alert_id: probe.alertId,
      key: probe.key,
      from: new Date(probe.fromMs).toISOString(),
      to: new Date(probe.toMs).toISOString(),
    }));
    // incident_entity narrows the candidates (an incident's time span per key); EXISTS then asks the
    // (key, time) index for one alert of that incident in the probe's span, and stops at the first.
    const links = probes.length
      ? await sql.query<{ alertId: string; incidentId: string }>(
          `SELECT DISTINCT p.alert_id::text AS "alertId", ie.incident_id::text AS "incidentId"
             FROM jsonb_to_recordset($1::jsonb) AS p(alert_id uuid, key text, "from" timestamptz, "to" timestamptz)
             JOIN incident_entity ie ON ie.entity_key = p.key AND ie.first_seen <= p."to" AND ie.last_seen >= p."from"
             JOIN incident i ON i.id = ie.incident_id AND i.status = ANY($2)
            WHERE EXISTS (SELECT 1
                            FROM alert_entity e JOIN incident_alert ia ON ia.alert_id = e.alert_id
                           WHERE e.entity_key = p.key AND e.event_time BETWEEN p."from" AND p."to"
                             AND ia.incident_id = ie.incident_id)`,
          [JSON.stringify(probes), OPEN_STATUSES],
        )
      : [];
    const linked = await this.incidentsById(sql, [...new Set(links.map((link) => link.incidentId))]);
    const groups = planIncidentAssignment(groupingAlerts, links, linked, windowMs);

    const byId = new Map(alerts.map((stored) => [stored.id, stored]));
    const touched = new Set<string>();
    const linkRows: { alert_id: string; incident_id: string }[] = [];
    const newIncidents: {
      id: string;
      title: string;
      severity_id: number;
      first_seen: string;
      last_seen: string;
    }[] = [];
    const timeline: TimelineRow[] = [];
    const merges: { merged: string; survivor: string }[] = [];

    for (const group of groups) {
      let incidentId = group.incidentId;
      const members = group.alertIds.map((id) => byId.get(id) as StoredAlert);
      if (incidentId === null) {
        incidentId = randomUUID();
        const first = earliest(members);
        newIncidents.push({
          id: incidentId,
          title: incidentTitle(first),
          severity_id: Math.max(...members.map((member) => member.alert.severityId)),
          first_seen: first.alert.time.toISOString(),
          last_seen: first.alert.time.toISOString(),
        });
        timeline.push(
          entry(incidentId, 'opened', `Incident opened from ${plural(members.length, 'alert')}`, {
            alertIds: group.alertIds,
          }),
        );
        outcome.incidentsOpened += 1;
      } else {
        timeline.push(
          entry(incidentId, 'alerts_added', `${plural(members.length, 'alert')} added`, {
            alertIds: group.alertIds,
          }),
        );
        outcome.incidentsUpdated += 1;
      }
      touched.add(incidentId);
      for (const alertId of group.alertIds) linkRows.push({ alert_id: alertId, incident_id: incidentId });
      for (const merged of group.mergedIncidentIds) merges.push({ merged, survivor: incidentId });
    }

    if (newIncidents.length) {
      await sql.query(
        `INSERT INTO incident (id, title, severity_id, first_seen, last_seen)
         SELECT r.id, r.title, r.severity_id, r.first_seen, r.last_seen
           FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, title text, severity_id smallint, first_seen timestamptz,
                last_seen timestamptz)`,
        [JSON.stringify(newIncidents)],
      );
    }
    await sql.query(
      `INSERT INTO incident_alert (alert_id, incident_id)
       SELECT r.alert_id, r.incident_id FROM jsonb_to_recordset($1::jsonb) AS r(alert_id uuid, incident_id uuid)`,
      [JSON.stringify(linkRows)],
    );
    await this.upsertIncidentEntities(
      sql,
      linkRows.map((row) => row.alert_id),
    );
    outcome.incidentsMerged += await this.merge(sql, merges, timeline);

    const matches = await this.applyRules(sql, alerts, timeline, touched);
    outcome.ruleMatches = matches.matched;
    outcome.incidentsMerged += matches.merged;

    await this.refreshAggregates(sql, [...touched], timeline);
    await this.writeTimeline(sql, timeline);
    return outcome;
  }

  private async incidentsById(sql: SqlExecutor, ids: string[]) {
    if (ids.length === 0) return [];
    const rows = await sql.query<IncidentRow>(
      'SELECT id::text, number::text FROM incident WHERE id = ANY($1::uuid[])',
      [ids],
    );
    return rows.map((row) => ({ id: row.id, number: Number(row.number) }));
  }

  private async upsertIncidentEntities(sql: SqlExecutor, alertIds: string[]): Promise<void> {
    if (alertIds.length === 0) return;
    await sql.query(
      `INSERT INTO incident_entity (incident_id, entity_key, type, value, alert_count, first_seen, last_seen)
       SELECT ia.incident_id, ae.entity_key, min(ae.type), min(ae.value), count(DISTINCT ae.alert_id),
              min(ae.event_time), max(ae.event_time)
         FROM incident_alert ia JOIN alert_entity ae ON ae.alert_id = ia.alert_id
        WHERE ia.alert_id = ANY($1::uuid[])
        GROUP BY ia.incident_id, ae.entity_key
       ${ADD_TO_INCIDENT_ENTITY}`,
      [alertIds],
    );
  }

  /** Moves everything of each merged incident into its survivor and marks it merged. */
  private async merge(
    sql: SqlExecutor,
    merges: { merged: string; survivor: string }[],
    timeline: TimelineRow[],
  ) {
    if (merges.length === 0) return 0;
    const pairs = JSON.stringify(merges);
    const recordset = `jsonb_to_recordset($1::jsonb) AS m(merged uuid, survivor uuid)`;
    await sql.query(
      `INSERT INTO incident_entity (incident_id, entity_key, type, value, alert_count, first_seen, last_seen)
       SELECT m.survivor, ie.entity_key, min(ie.type), min(ie.value), sum(ie.alert_count), min(ie.first_seen),
              max(ie.last_seen)
         FROM ${recordset} JOIN incident_entity ie ON ie.incident_id = m.merged
        GROUP BY m.survivor, ie.entity_key
       ${ADD_TO_INCIDENT_ENTITY}`,
      [pairs],
    );
    await sql.query(`DELETE FROM incident_entity ie USING ${recordset} WHERE ie.incident_id = m.merged`, [
      pairs,
    ]);
    await sql.query(
      `UPDATE incident_alert ia SET incident_id = m.survivor FROM ${recordset} WHERE ia.incident_id = m.merged`,
      [pairs],
    );
    await sql.query(
      `INSERT INTO incident_rule_match (incident_id, rule_id, group_key, rule_name, severity_id, summary, alert_ids,
                                        first_time, last_time, matched_at)
       SELECT m.survivor, r.rule_id, r.group_key, r.rule_name, r.severity_id, r.summary, r.alert_ids, r.first_time,
              r.last_time, r.matched_at
         FROM ${recordset} JOIN incident_rule_match r ON r.incident_id = m.merged
       ON CONFLICT ON CONSTRAINT pk_incident_rule_match DO UPDATE
          SET alert_ids = ARRAY(SELECT DISTINCT x FROM unnest(incident_rule_match.alert_ids || EXCLUDED.alert_ids) x ORDER BY x),
              first_time = LEAST(incident_rule_match.first_time, EXCLUDED.first_time),
              last_time = GREATEST(incident_rule_match.last_time, EXCLUDED.last_time)`,
      [pairs],
    );
    await sql.query(`DELETE FROM incident_rule_match r USING ${recordset} WHERE r.incident_id = m.merged`, [
      pairs,
    ]);
    const numbers = await sql.query<{
      merged: string;
      survivor: string;
      mergedNumber: string;
      survivorNumber: string;
    }>(
      `UPDATE incident i SET status = 'merged', merged_into_id = m.survivor, updated_at = now()
         FROM ${recordset} JOIN incident s ON s.id = m.survivor
        WHERE i.id = m.merged
       RETURNING i.id::text AS merged, s.id::text AS survivor, i.number::text AS "mergedNumber",
                 s.number::text AS "survivorNumber"`,
      [pairs],
    );
    for (const row of numbers) {
      timeline.push(
        entry(row.survivor, 'merged', `Incident #${row.mergedNumber} merged into this incident`, {
          mergedIncidentId: row.merged,
        }),
      );
      timeline.push(
        entry(row.merged, 'merged', `Merged into incident #${row.survivorNumber}`, {
          survivorIncidentId: row.survivor,
        }),
      );
    }
    return numbers.length;
  }

  private async applyRules(
    sql: SqlExecutor,
    alerts: StoredAlert[],
    timeline: TimelineRow[],
    touched: Set<string>,
  ): Promise<{ matched: number; merged: number }> {
    const rules = this.ruleSet.rules();
    if (rules.length === 0) return { matched: 0, merged: 0 };
    const lookback = lookbackMs(rules);
    const keys = [...new Set(alerts.flatMap(({ alert }) => alert.entities.map(entityKey)))];
    const times = alerts.map(({ alert }) => alert.time.getTime());
    const from = new Date(Math.min(...times) - lookback).toISOString();
    const to = new Date(Math.max(...times) + lookback).toISOString();
    const rows = await sql.query<EventRow>(
      `SELECT a.id::text, a.event_time AS time, a.severity_id AS "severityId", a.title, a.source, a.entities,
              a.tactics, a.techniques, ia.incident_id::text AS "incidentId"
         FROM alert a
         JOIN incident_alert ia ON ia.alert_id = a.id
         JOIN incident i ON i.id = ia.incident_id AND i.status = ANY($4)
        WHERE a.id IN (SELECT ae.alert_id FROM alert_entity ae
                        WHERE ae.entity_key = ANY($1) AND ae.event_time BETWEEN $2 AND $3)`,
      [keys, from, to, OPEN_STATUSES],
    );
    const incidentOf = new Map(rows.map((row) => [row.id, row.incidentId]));
    const events: CorrelationEvent[] = rows.map(toEvent);
    const fresh = new Set(alerts.map((stored) => stored.id));
    const matches = evaluateRules(rules, events).filter((match) =>
      match.alertIds.some((id) => fresh.has(id)),
    );
    if (matches.length === 0) return { matched: 0, merged: 0 };

    const spans = matches.map((match) => ({
      incidentIds: [...new Set(match.alertIds.map((id) => incidentOf.get(id) as string))],
    }));
    const involved = await this.incidentsById(sql, [...new Set(spans.flatMap((span) => span.incidentIds))]);
    const ruleMerges = planRuleMerges(spans, involved);
    const survivorOf = new Map<string, string>();
    const mergePairs: { merged: string; survivor: string }[] = [];
    for (const merge of ruleMerges) {
      for (const merged of merge.mergedIncidentIds) {
        survivorOf.set(merged, merge.survivorId);
        mergePairs.push({ merged, survivor: merge.survivorId });
      }
    }
    const merged = await this.merge(sql, mergePairs, timeline);

    const matchRows = matches.map((match, index) => {
      const first = (spans[index] as { incidentIds: string[] }).incidentIds[0] as string;
      const incidentId = survivorOf.get(first) ?? first;
      touched.add(incidentId);
      return toMatchRow(incidentId, match);
    });
    const inserted = await sql.query<{
      incident_id: string;
      summary: string;
      rule_id: string;
      inserted: boolean;
    }>(
      `INSERT INTO incident_rule_match (incident_id, rule_id, group_key, rule_name, severity_id, summary, alert_ids,
                                        first_time, last_time)
       SELECT r.incident_id, r.rule_id, r.group_key, r.rule_name, r.severity_id, r.summary, r.alert_ids, r.first_time,
              r.last_time
         FROM jsonb_to_recordset($1::jsonb) AS r(incident_id uuid, rule_id text, group_key text, rule_name text,
              severity_id smallint, summary text, alert_ids uuid[], first_time timestamptz, last_time timestamptz)
       ON CONFLICT ON CONSTRAINT pk_incident_rule_match DO UPDATE
          SET alert_ids = ARRAY(SELECT DISTINCT x FROM unnest(incident_rule_match.alert_ids || EXCLUDED.alert_ids) x ORDER BY x),
              first_time = LEAST(incident_rule_match.first_time, EXCLUDED.first_time),
              last_time = GREATEST(incident_rule_match.last_time, EXCLUDED.last_time),
              summary = EXCLUDED.summary
       RETURNING incident_id::text, rule_id, summary, (xmax = 0) AS inserted`,
      [JSON.stringify(matchRows)],
    );
    for (const row of inserted) {
      if (row.inserted) {
        timeline.push(
          entry(row.incident_id, 'rule_matched', `Correlation rule ${row.rule_id}: ${row.summary}`, {
            ruleId: row.rule_id,
          }),
        );
      }
    }
    return { matched: inserted.filter((row) => row.inserted).length, merged };
  }

  private async refreshAggregates(
    sql: SqlExecutor,
    incidentIds: string[],
    timeline: TimelineRow[],
  ): Promise<void> {
    if (incidentIds.length === 0) return;
    const rows = await sql.query<AggregateRow>(
      `SELECT i.id::text, i.severity_id AS "currentSeverity", agg.alerts::int AS "alertCount", agg.first_seen AS "firstSeen",
              agg.last_seen AS "lastSeen", agg.max_severity AS "maxAlertSeverity",
              COALESCE(h.hosts, 0)::int AS hosts, COALESCE(r.max_severity, 0) AS "maxRuleSeverity"
         FROM incident i
         JOIN LATERAL (SELECT count(*) AS alerts, min(a.event_time) AS first_seen, max(a.event_time) AS last_seen,
                              max(a.severity_id) AS max_severity
                         FROM incident_alert ia JOIN alert a ON a.id = ia.alert_id
                        WHERE ia.incident_id = i.id) agg ON true
         LEFT JOIN LATERAL (SELECT count(*) AS hosts FROM incident_entity ie
                             WHERE ie.incident_id = i.id AND ie.type = 'host') h ON true
         LEFT JOIN LATERAL (SELECT max(m.severity_id) AS max_severity FROM incident_rule_match m
                             WHERE m.incident_id = i.id) r ON true
        WHERE i.id = ANY($1::uuid[]) AND i.status <> 'merged'
        FOR UPDATE OF i`,
      [incidentIds],
    );
    const updates = rows.map((row) => {
      const severity = computeIncidentSeverity({
        current: row.currentSeverity,
        maxAlertSeverity: row.maxAlertSeverity,
        maxRuleSeverity: row.maxRuleSeverity,
        alertCount: row.alertCount,
        hostCount: row.hosts,
      });
      if (severity.severityId !== row.currentSeverity) {
        timeline.push(
          entry(row.id, 'severity_changed', severity.reason, {
            from: row.currentSeverity,
            to: severity.severityId,
          }),
        );
      }
      return {
        id: row.id,
        alert_count: row.alertCount,
        first_seen: row.firstSeen,
        last_seen: row.lastSeen,
        severity_id: severity.severityId,
      };
    });
    await sql.query(
      `UPDATE incident i SET alert_count = u.alert_count, first_seen = u.first_seen, last_seen = u.last_seen,
              severity_id = u.severity_id, updated_at = now()
         FROM jsonb_to_recordset($1::jsonb) AS u(id uuid, alert_count int, first_seen timestamptz, last_seen timestamptz,
              severity_id smallint)
        WHERE i.id = u.id`,
      [JSON.stringify(updates)],
    );
  }

  private async writeTimeline(sql: SqlExecutor, rows: TimelineRow[]): Promise<void> {
    if (rows.length === 0) return;
    await sql.query(
      `INSERT INTO incident_timeline (incident_id, at, kind, actor, message, data)
       SELECT r.incident_id, clock_timestamp(), r.kind, 'correlation', r.message, r.data
         FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (incident_id uuid, kind text, message text, data jsonb))
              WITH ORDINALITY AS r(incident_id, kind, message, data, ord)
        ORDER BY r.ord`,
      [JSON.stringify(rows)],
    );
  }
}

interface TimelineRow {
  incident_id: string;
  kind: string;
  message: string;
  data: Record<string, unknown>;
}

interface EventRow {
  id: string;
  time: Date;
  severityId: number;
  title: string;
  source: string;
  entities: AlertEntity[];
  tactics: { id: string | null }[];
  techniques: { id: string }[];
  incidentId: string;
}

interface AggregateRow {
  id: string;
  currentSeverity: number;
  alertCount: number;
  firstSeen: Date;
  lastSeen: Date;
  maxAlertSeverity: number;
  hosts: number;
  maxRuleSeverity: number;
}

function entry(
  incidentId: string,
  kind: string,
  message: string,
  data: Record<string, unknown>,
): TimelineRow {
  return { incident_id: incidentId, kind, message, data };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function earliest(members: StoredAlert[]): StoredAlert {
  // Ties broken by identity so every replica picks the same alert to name the incident.
  return members.reduce((best, candidate) => {
    const delta = candidate.alert.time.getTime() - best.alert.time.getTime();
    return delta < 0 || (delta === 0 && candidate.identity < best.identity) ? candidate : best;
  });
}

function incidentTitle(stored: StoredAlert): string {
  const host = stored.alert.entities.find((entity) => entity.type === 'host');
  return host ? `${stored.alert.title} on ${host.value}` : stored.alert.title;
}

function toEvent(row: EventRow): CorrelationEvent {
  return {
    alertId: row.id,
    time: new Date(row.time),
    severityId: row.severityId as CorrelationEvent['severityId'],
    title: row.title,
    source: row.source,
    entities: row.entities,
    tacticIds: row.tactics.map((tactic) => tactic.id).filter((id): id is string => id !== null),
    techniqueIds: row.techniques.map((technique) => technique.id),
  };
}

function toMatchRow(incidentId: string, match: RuleMatch) {
  return {
    incident_id: incidentId,
    rule_id: match.ruleId,
    group_key: match.groupKey,
    rule_name: match.ruleName,
    severity_id: match.severityId,
    summary: match.summary,
    alert_ids: match.alertIds,
    first_time: match.firstTime.toISOString(),
    last_time: match.lastTime.toISOString(),
  };
}
