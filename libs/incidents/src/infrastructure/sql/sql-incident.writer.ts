import { Injectable } from '@nestjs/common';

import { type SeverityId, severityName } from '@rampart/alerts';
import { type AuditActor, type AuditEntryInput, AuditTrail } from '@rampart/audit';
import type { SqlExecutor } from '@rampart/database';

import type {
  AlertAddition,
  IncidentChange,
  IncidentActivity,
  IncidentComment,
  IncidentMerge,
  NewIncident,
  RuleMatchRecord,
} from '../../application/incident-writer';
import { IncidentWriter } from '../../application/incident-writer';
import type { IncidentEventDraft } from '../../domain/incident-event';
import { computeIncidentSeverity } from '../../domain/incident-severity';
import { type IncidentStatus, OPEN_STATUSES, STATUS_TIMESTAMP } from '../../domain/incident-status';
import { recordChanges, type TimelineDraft } from './incident-outbox';

// One lock for every writer of incident membership: batches from several ingestor replicas
// correlate one after another, each seeing what the previous committed.
const MEMBERSHIP_LOCK = 7_166_420_001;

/** An incident entity row that exists already gains the new count and widens its time span. */
const ADD_TO_INCIDENT_ENTITY = `ON CONFLICT ON CONSTRAINT pk_incident_entity DO UPDATE
          SET alert_count = incident_entity.alert_count + EXCLUDED.alert_count,
              first_seen = LEAST(incident_entity.first_seen, EXCLUDED.first_seen),
              last_seen = GREATEST(incident_entity.last_seen, EXCLUDED.last_seen)`;

/** A rule match row that exists already gains the new alerts and widens its time span. */
const GROW_RULE_MATCH = `ON CONFLICT ON CONSTRAINT pk_incident_rule_match DO UPDATE
          SET alert_ids = ARRAY(SELECT DISTINCT x FROM unnest(incident_rule_match.alert_ids || EXCLUDED.alert_ids) x ORDER BY x),
              first_time = LEAST(incident_rule_match.first_time, EXCLUDED.first_time),
              last_time = GREATEST(incident_rule_match.last_time, EXCLUDED.last_time)`;

const MERGE_PAIRS = `jsonb_to_recordset($1::jsonb) AS m(merged uuid, survivor uuid)`;

/** What one correlation batch did to one incident, said once in the audit trail at the end. */
interface BatchChange {
  created?: { number: number; title: string; severityId: number; alertCount: number };
  alertsAdded: number;
  rulesMatched: string[];
  severity?: { from: number; to: number };
  absorbed: string[];
  mergedInto?: { id: string; number: number; ownNumber: number };
}

@Injectable()
export class SqlIncidentWriter extends IncidentWriter {
  /** The batch changes of each open transaction, until auditBatch appends them. */
  private readonly batches = new WeakMap<SqlExecutor, Map<string, BatchChange>>();

  constructor(private readonly audit: AuditTrail) {
    super();
  }

  private change(sql: SqlExecutor, incidentId: string): BatchChange {
    let batch = this.batches.get(sql);
    if (!batch) this.batches.set(sql, (batch = new Map()));
    let change = batch.get(incidentId);
    if (!change) batch.set(incidentId, (change = { alertsAdded: 0, rulesMatched: [], absorbed: [] }));
    return change;
  }

  async auditBatch(sql: SqlExecutor, actor: AuditActor): Promise<void> {
    const batch = this.batches.get(sql);
    this.batches.delete(sql);
    if (!batch) return;
    const entries: AuditEntryInput[] = [];
    const merged: AuditEntryInput[] = [];
    for (const [id, change] of batch) {
      if (change.created) {
        const { number, title, severityId, alertCount } = change.created;
        entries.push({
          actor,
          action: 'incident.created',
          target: { type: 'incident', id, name: `#${number}` },
          after: {
            title,
            severity: severityName((change.severity?.to ?? severityId) as SeverityId),
            alertCount,
            ...(change.rulesMatched.length > 0 ? { rulesMatched: change.rulesMatched } : {}),
            ...(change.absorbed.length > 0 ? { absorbed: change.absorbed } : {}),
          },
        });
      } else if (
        change.alertsAdded > 0 ||
        change.rulesMatched.length > 0 ||
        change.severity ||
        change.absorbed.length > 0
      ) {
        entries.push({
          actor,
          action: 'incident.updated',
          target: { type: 'incident', id },
          ...(change.severity
            ? { before: { severity: severityName(change.severity.from as SeverityId) } }
            : {}),
          after: {
            ...(change.alertsAdded > 0 ? { alertsAdded: change.alertsAdded } : {}),
            ...(change.severity ? { severity: severityName(change.severity.to as SeverityId) } : {}),
            ...(change.rulesMatched.length > 0 ? { rulesMatched: change.rulesMatched } : {}),
            ...(change.absorbed.length > 0 ? { absorbed: change.absorbed } : {}),
          },
        });
      }
      if (change.mergedInto) {
        merged.push({
          actor,
          action: 'incident.merged',
          target: { type: 'incident', id, name: `#${change.mergedInto.ownNumber}` },
          before: { status: 'open' },
          after: {
            status: 'merged',
            mergedInto: { id: change.mergedInto.id, name: `#${change.mergedInto.number}` },
          },
        });
      }
    }
    await this.audit.recordAll(sql, [...entries, ...merged]);
  }

  async lockMembership(sql: SqlExecutor): Promise<number> {
    // Queued on the advisory lock, not on the version row's lock that the bump takes as well:
    // measured both ways in the storm benchmark, minutes apart on one machine, the row lock alone
    // gave 1,244 alerts/s and 1,448 single-alert requests/s, this 1,301 and 1,647.
    await sql.query('SELECT pg_advisory_xact_lock($1)', [MEMBERSHIP_LOCK]);
    return bumpMembershipVersion(sql);
  }

  async recordMembershipChange(
    sql: SqlExecutor,
    version: number,
    alertIds: string[],
    merges: IncidentMerge[],
  ): Promise<void> {
    await sql.query(
      `INSERT INTO incident_membership_change (version, alert_ids, merges) VALUES ($1, $2::uuid[], $3::jsonb)`,
      [version, alertIds, JSON.stringify(merges.map((merge) => [merge.merged, merge.survivor]))],
    );
    await pruneMembershipChanges(sql, version);
  }

  async openIncidents(
    sql: SqlExecutor,
    incidents: NewIncident[],
    actor: string,
  ): Promise<{ id: string; number: number }[]> {
    if (incidents.length === 0) return [];
    const numbers = await sql.query<{ id: string; number: string }>(
      `INSERT INTO incident (id, title, severity_id, first_seen, last_seen)
       SELECT r.id, r.title, r.severity_id, r.first_seen, r.last_seen
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, title text, severity_id smallint, first_seen timestamptz,
              last_seen timestamptz)
       RETURNING id::text, number::text`,
      [
        JSON.stringify(
          incidents.map((incident) => ({
            id: incident.id,
            title: incident.title,
            severity_id: incident.severityId,
            first_seen: incident.firstSeen.toISOString(),
            last_seen: incident.lastSeen.toISOString(),
          })),
        ),
      ],
    );
    const numberOf = new Map(numbers.map((row) => [row.id, Number(row.number)]));
    for (const incident of incidents) {
      this.change(sql, incident.id).created = {
        number: numberOf.get(incident.id) ?? 0,
        title: incident.title,
        severityId: incident.severityId,
        alertCount: incident.alertIds.length,
      };
    }
    await this.link(
      sql,
      incidents.map((incident) => ({ incidentId: incident.id, alertIds: incident.alertIds })),
    );
    await recordChanges(
      sql,
      actor,
      incidents.map((incident) => ({
        incidentId: incident.id,
        kind: 'opened',
        message: `Incident opened from ${plural(incident.alertIds.length, 'alert')}`,
        data: { alertIds: incident.alertIds },
      })),
      incidents.map((incident) => ({
        incidentId: incident.id,
        kind: 'created',
        payload: {
          title: incident.title,
          severityId: incident.severityId,
          alertCount: incident.alertIds.length,
        },
      })),
    );
    return [...numberOf].map(([id, number]) => ({ id, number }));
  }

  async addAlerts(sql: SqlExecutor, additions: AlertAddition[], actor: string): Promise<void> {
    if (additions.length === 0) return;
    await this.link(sql, additions);
    for (const addition of additions)
      this.change(sql, addition.incidentId).alertsAdded += addition.alertIds.length;
    await recordChanges(
      sql,
      actor,
      additions.map((addition) => ({
        incidentId: addition.incidentId,
        kind: 'alerts_added',
        message: `${plural(addition.alertIds.length, 'alert')} added`,
        data: { alertIds: addition.alertIds },
      })),
      additions.map((addition) => ({
        incidentId: addition.incidentId,
        kind: 'updated',
        payload: { alertsAdded: addition.alertIds.length },
      })),
    );
  }

  /**
   * Links alerts to their incidents, counts their entities into the incidents' entities and grows
   * the incidents' counts, time span and worst severity by the new alerts only (the cost of a batch
   * does not depend on how many alerts its incidents already hold). One statement: it runs under
   * the correlation lock, where every round trip counts. The alerts' rows are read by primary key,
   * alert by alert (LATERAL ... OFFSET 0 keeps the subquery from being flattened into a join): a
   * plan that scanned `alert_entity` would make each batch cost in proportion to every alert
   * stored, and PostgreSQL picks one when its statistics are stale (autovacuum off or behind).
   */
  private async link(sql: SqlExecutor, groups: AlertAddition[]): Promise<void> {
    const rows = groups.flatMap((group) =>
      group.alertIds.map((alertId) => ({ alert_id: alertId, incident_id: group.incidentId })),
    );
    if (rows.length === 0) return;
    await sql.query(
      `WITH r AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(alert_id uuid, incident_id uuid)),
       linked AS (INSERT INTO incident_alert (alert_id, incident_id) SELECT alert_id, incident_id FROM r),
       entities AS (
         INSERT INTO incident_entity (incident_id, entity_key, type, value, alert_count, first_seen, last_seen)
         SELECT r.incident_id, ae.entity_key, min(ae.type), min(ae.value), count(DISTINCT r.alert_id),
                min(ae.event_time), max(ae.event_time)
           FROM r CROSS JOIN LATERAL (SELECT ae.entity_key, ae.type, ae.value, ae.event_time FROM alert_entity ae
                                   WHERE ae.alert_id = r.alert_id OFFSET 0) ae
          GROUP BY r.incident_id, ae.entity_key
         ${ADD_TO_INCIDENT_ENTITY})
       UPDATE incident i SET alert_count = i.alert_count + d.alerts, first_seen = LEAST(i.first_seen, d.first_seen),
              last_seen = GREATEST(i.last_seen, d.last_seen),
              max_alert_severity_id = GREATEST(i.max_alert_severity_id, d.severity_id)
         FROM (SELECT r.incident_id, count(*)::int AS alerts, min(a.event_time) AS first_seen,
                      max(a.event_time) AS last_seen, max(a.severity_id) AS severity_id
                 FROM r CROSS JOIN LATERAL (SELECT a.event_time, a.severity_id FROM alert a WHERE a.id = r.alert_id OFFSET 0) a
                GROUP BY r.incident_id) d
        WHERE i.id = d.incident_id`,
      [JSON.stringify(rows)],
    );
  }

  async merge(sql: SqlExecutor, merges: IncidentMerge[], actor: string): Promise<number> {
    if (merges.length === 0) return 0;
    const pairs = JSON.stringify(merges);
    await sql.query(
      `INSERT INTO incident_entity (incident_id, entity_key, type, value, alert_count, first_seen, last_seen)
       SELECT m.survivor, ie.entity_key, min(ie.type), min(ie.value), sum(ie.alert_count), min(ie.first_seen),
              max(ie.last_seen)
         FROM ${MERGE_PAIRS} JOIN incident_entity ie ON ie.incident_id = m.merged
        GROUP BY m.survivor, ie.entity_key
       ${ADD_TO_INCIDENT_ENTITY}`,
      [pairs],
    );
    await sql.query(`DELETE FROM incident_entity ie USING ${MERGE_PAIRS} WHERE ie.incident_id = m.merged`, [
      pairs,
    ]);
    await sql.query(
      `UPDATE incident_alert ia SET incident_id = m.survivor FROM ${MERGE_PAIRS} WHERE ia.incident_id = m.merged`,
      [pairs],
    );
    await sql.query(
      `INSERT INTO incident_rule_match (incident_id, rule_id, group_key, rule_name, severity_id, summary, alert_ids,
                                        first_time, last_time, matched_at)
       SELECT m.survivor, r.rule_id, r.group_key, r.rule_name, r.severity_id, r.summary, r.alert_ids, r.first_time,
              r.last_time, r.matched_at
         FROM ${MERGE_PAIRS} JOIN incident_rule_match r ON r.incident_id = m.merged
       ${GROW_RULE_MATCH}`,
      [pairs],
    );
    await sql.query(`DELETE FROM incident_rule_match r USING ${MERGE_PAIRS} WHERE r.incident_id = m.merged`, [
      pairs,
    ]);
    await sql.query(
      `UPDATE incident s SET alert_count = s.alert_count + d.alerts, first_seen = LEAST(s.first_seen, d.first_seen),
              last_seen = GREATEST(s.last_seen, d.last_seen),
              max_alert_severity_id = GREATEST(s.max_alert_severity_id, d.severity_id)
         FROM (SELECT m.survivor, sum(i.alert_count)::int AS alerts, min(i.first_seen) AS first_seen,
                      max(i.last_seen) AS last_seen, max(i.max_alert_severity_id) AS severity_id
                 FROM ${MERGE_PAIRS} JOIN incident i ON i.id = m.merged
                GROUP BY m.survivor) d
        WHERE s.id = d.survivor`,
      [pairs],
    );
    const numbers = await sql.query<{
      merged: string;
      survivor: string;
      mergedNumber: string;
      survivorNumber: string;
    }>(
      `UPDATE incident i SET status = 'merged', merged_into_id = m.survivor, updated_at = now()
         FROM ${MERGE_PAIRS} JOIN incident s ON s.id = m.survivor
        WHERE i.id = m.merged
       RETURNING i.id::text AS merged, s.id::text AS survivor, i.number::text AS "mergedNumber",
                 s.number::text AS "survivorNumber"`,
      [pairs],
    );
    const timeline: TimelineDraft[] = [];
    const events: IncidentEventDraft[] = [];
    for (const row of numbers) {
      this.change(sql, row.survivor).absorbed.push(row.merged);
      this.change(sql, row.merged).mergedInto = {
        id: row.survivor,
        number: Number(row.survivorNumber),
        ownNumber: Number(row.mergedNumber),
      };
      timeline.push({
        incidentId: row.survivor,
        kind: 'merged',
        message: `Incident #${row.mergedNumber} merged into this incident`,
        data: { mergedIncidentId: row.merged },
      });
      timeline.push({
        incidentId: row.merged,
        kind: 'merged',
        message: `Merged into incident #${row.survivorNumber}`,
        data: { survivorIncidentId: row.survivor },
      });
      events.push({
        incidentId: row.survivor,
        kind: 'merged',
        payload: { mergedIncidentId: row.merged, mergedNumber: Number(row.mergedNumber) },
      });
      events.push({
        incidentId: row.merged,
        kind: 'merged',
        payload: { mergedIntoId: row.survivor, mergedIntoNumber: Number(row.survivorNumber) },
      });
    }
    await recordChanges(sql, actor, timeline, events);
    return numbers.length;
  }

  async recordRuleMatches(sql: SqlExecutor, matches: RuleMatchRecord[], actor: string): Promise<number> {
    if (matches.length === 0) return 0;
    const inserted = await sql.query<{
      incidentId: string;
      summary: string;
      ruleId: string;
      groupKey: string;
      alertCount: number;
      inserted: boolean;
    }>(
      `INSERT INTO incident_rule_match (incident_id, rule_id, group_key, rule_name, severity_id, summary, alert_ids,
                                        first_time, last_time)
       SELECT r.incident_id, r.rule_id, r.group_key, r.rule_name, r.severity_id, r.summary, r.alert_ids, r.first_time,
              r.last_time
         FROM jsonb_to_recordset($1::jsonb) AS r(incident_id uuid, rule_id text, group_key text, rule_name text,
              severity_id smallint, summary text, alert_ids uuid[], first_time timestamptz, last_time timestamptz)
       ${GROW_RULE_MATCH},
              summary = EXCLUDED.summary
       RETURNING incident_id::text AS "incidentId", rule_id AS "ruleId", group_key AS "groupKey", summary,
                 cardinality(alert_ids) AS "alertCount", (xmax = 0) AS inserted`,
      [
        JSON.stringify(
          matches.map((match) => ({
            incident_id: match.incidentId,
            rule_id: match.ruleId,
            group_key: match.groupKey,
            rule_name: match.ruleName,
            severity_id: match.severityId,
            summary: match.summary,
            alert_ids: match.alertIds,
            first_time: match.firstTime.toISOString(),
            last_time: match.lastTime.toISOString(),
          })),
        ),
      ],
    );
    const fresh = inserted.filter((row) => row.inserted);
    for (const row of fresh) this.change(sql, row.incidentId).rulesMatched.push(row.ruleId);
    await recordChanges(
      sql,
      actor,
      fresh.map((row) => ({
        incidentId: row.incidentId,
        kind: 'rule_matched',
        message: `Correlation rule ${row.ruleId}: ${row.summary}`,
        data: { ruleId: row.ruleId },
      })),
      fresh.map((row) => ({
        incidentId: row.incidentId,
        kind: 'rule_matched',
        payload: { ruleId: row.ruleId, groupKey: row.groupKey, alertCount: row.alertCount },
      })),
    );
    return fresh.length;
  }

  async refreshAggregates(sql: SqlExecutor, incidentIds: string[], actor: string): Promise<void> {
    if (incidentIds.length === 0) return;
    // Alert counts, time span and worst alert severity are kept as alerts join; what is read here
    // is per incident and small: its hosts and its rule matches.
    const rows = await sql.query<AggregateRow>(
      `SELECT i.id::text, i.severity_id AS "currentSeverity", i.alert_count AS "alertCount",
              i.max_alert_severity_id AS "maxAlertSeverity", COALESCE(h.hosts, 0)::int AS hosts,
              COALESCE(r.max_severity, 0) AS "maxRuleSeverity"
         FROM incident i
         LEFT JOIN LATERAL (SELECT count(*) AS hosts FROM incident_entity ie
                             WHERE ie.incident_id = i.id AND ie.type = 'host') h ON true
         LEFT JOIN LATERAL (SELECT max(m.severity_id) AS max_severity FROM incident_rule_match m
                             WHERE m.incident_id = i.id) r ON true
        WHERE i.id = ANY($1::uuid[]) AND i.status <> 'merged'
        FOR UPDATE OF i`,
      [incidentIds],
    );
    const timeline: TimelineDraft[] = [];
    const events: IncidentEventDraft[] = [];
    const updates = rows.map((row) => {
      const severity = computeIncidentSeverity({
        current: row.currentSeverity,
        maxAlertSeverity: row.maxAlertSeverity,
        maxRuleSeverity: row.maxRuleSeverity,
        alertCount: row.alertCount,
        hostCount: row.hosts,
      });
      if (severity.severityId !== row.currentSeverity) {
        const change = { from: row.currentSeverity, to: severity.severityId };
        const batched = this.change(sql, row.id);
        batched.severity = { from: batched.severity?.from ?? change.from, to: change.to };
        timeline.push({
          incidentId: row.id,
          kind: 'severity_changed',
          message: severity.reason,
          data: change,
        });
        events.push({
          incidentId: row.id,
          kind: 'severity_changed',
          payload: { ...change, reason: severity.reason },
        });
      }
      return { id: row.id, severity_id: severity.severityId };
    });
    await sql.query(
      `UPDATE incident i SET severity_id = u.severity_id, updated_at = now()
         FROM jsonb_to_recordset($1::jsonb) AS u(id uuid, severity_id smallint)
        WHERE i.id = u.id`,
      [JSON.stringify(updates)],
    );
    await recordChanges(sql, actor, timeline, events);
  }

  async lockIncident(sql: SqlExecutor, incidentId: string) {
    const [current] = await sql.query<{
      status: IncidentStatus;
      assignee: string | null;
      severityId: number;
    }>(`SELECT status, assignee, severity_id AS "severityId" FROM incident WHERE id = $1 FOR UPDATE`, [
      incidentId,
    ]);
    return current ?? null;
  }

  async applyChanges(
    sql: SqlExecutor,
    incidentId: string,
    changes: IncidentChange[],
    actor: string,
    auditActor?: AuditActor,
  ): Promise<void> {
    if (changes.length === 0) return;
    const sets: string[] = [];
    const params: unknown[] = [incidentId];
    const bind = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    for (const change of changes) {
      if (change.kind === 'status_changed') {
        sets.push(`status = ${bind(change.to)}`);
        const column = STATUS_TIMESTAMP[change.to];
        if (column) sets.push(`${column} = COALESCE(${column}, now())`);
      } else if (change.kind === 'assignee_changed') {
        sets.push(`assignee = ${bind(change.to)}`);
      } else {
        sets.push(`severity_id = ${bind(change.to)}`);
      }
    }
    await sql.query(`UPDATE incident SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, params);
    // An incident leaving the open statuses (or coming back) takes its alerts out of (or into)
    // what correlation rules count: caches of that must know.
    const crossing = changes.some(
      (change) =>
        change.kind === 'status_changed' &&
        OPEN_STATUSES.includes(change.from) !== OPEN_STATUSES.includes(change.to),
    );
    if (crossing) {
      const version = await bumpMembershipVersion(sql);
      await sql.query(
        `INSERT INTO incident_membership_change (version, alert_ids, merges, everything)
         VALUES ($1, '{}', '[]', true)`,
        [version],
      );
      await pruneMembershipChanges(sql, version);
    }
    await recordChanges(
      sql,
      actor,
      changes.map((change) => ({
        incidentId,
        // The timeline has said `assigned` since its first day; the outbox names every kind alike.
        kind: change.kind === 'assignee_changed' ? 'assigned' : change.kind,
        message: change.message,
        // Severity in the timeline is said by name, as analysts choose it.
        data:
          change.kind === 'severity_changed'
            ? { from: severityName(change.from as SeverityId), to: severityName(change.to as SeverityId) }
            : { from: change.from, to: change.to },
      })),
      changes.map((change) => ({
        incidentId,
        kind: change.kind,
        payload: { from: change.from, to: change.to },
      })),
    );
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const change of changes) {
      const field =
        change.kind === 'status_changed'
          ? 'status'
          : change.kind === 'assignee_changed'
            ? 'assignee'
            : 'severity';
      before[field] =
        change.kind === 'severity_changed' ? severityName(change.from as SeverityId) : change.from;
      after[field] = change.kind === 'severity_changed' ? severityName(change.to as SeverityId) : change.to;
    }
    await this.audit.record(sql, {
      action: 'incident.updated',
      target: { type: 'incident', id: incidentId },
      before,
      after,
      ...(auditActor ? { actor: auditActor } : {}),
    });
  }

  async recordActivity(sql: SqlExecutor, activities: IncidentActivity[], actor: string): Promise<void> {
    await recordChanges(sql, actor, activities, []);
  }

  async addComment(
    sql: SqlExecutor,
    incidentId: string,
    author: string,
    body: string,
    auditActor?: AuditActor,
  ): Promise<IncidentComment | null> {
    const [comment] = await sql.query<{ id: string; author: string; body: string; createdAt: Date }>(
      `INSERT INTO incident_comment (incident_id, author, body)
       SELECT id, $2, $3 FROM incident WHERE id = $1
       RETURNING id::text, author, body, created_at AS "createdAt"`,
      [incidentId, author, body],
    );
    if (!comment) return null;
    await recordChanges(
      sql,
      author,
      [{ incidentId, kind: 'commented', message: `Comment by ${author}`, data: { commentId: comment.id } }],
      [{ incidentId, kind: 'commented', payload: { commentId: comment.id } }],
    );
    await this.audit.record(sql, {
      action: 'incident.commented',
      target: { type: 'incident', id: incidentId },
      after: { commentId: comment.id, author: comment.author, body: comment.body },
      ...(auditActor ? { actor: auditActor } : {}),
    });
    return { ...comment, createdAt: new Date(comment.createdAt).toISOString() };
  }
}

async function bumpMembershipVersion(sql: SqlExecutor): Promise<number> {
  const [row] = await sql.query<{ version: string }>(
    'UPDATE incident_membership SET version = version + 1 WHERE id = 1 RETURNING version::text',
  );
  return Number(row?.version ?? 0);
}

/**
 * Changes kept for processes catching up (correlation follows at most 500; one further behind
 * reads its state anew). A Kafka batch's row names up to 5,000 alerts, so this bounds the table
 * to tens of megabytes.
 */
const MEMBERSHIP_CHANGES_KEPT = 1_000;

async function pruneMembershipChanges(sql: SqlExecutor, version: number): Promise<void> {
  // Now and then, not on every change: the delete is a range on the primary key.
  if (version % 100 !== 0) return;
  await sql.query('DELETE FROM incident_membership_change WHERE version <= $1', [
    version - MEMBERSHIP_CHANGES_KEPT,
  ]);
}

interface AggregateRow {
  id: string;
  currentSeverity: number;
  alertCount: number;
  maxAlertSeverity: number;
  hosts: number;
  maxRuleSeverity: number;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
