import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { entityKey, type StoredAlert } from '@rampart/alerts';
import { AppConfig } from '@rampart/config';
import type { SqlExecutor } from '@rampart/database';
import {
  type AlertAddition,
  type IncidentMerge,
  IncidentLookup,
  IncidentWriter,
  type NewIncident,
  type OpenIncidentAlert,
} from '@rampart/incidents';

import {
  planIncidentAssignment,
  planRuleMerges,
  relationProbes,
} from '../domain/grouping/plan-incident-assignment';
import { type CorrelationEvent, evaluateRules, lookbackMs, type RuleMatch } from '../domain/rules';
import { CorrelationRuleSet } from './correlation-rule-set';

export interface CorrelationOutcome {
  incidentsOpened: number;
  incidentsUpdated: number;
  incidentsMerged: number;
  ruleMatches: number;
}

/** The actor of every change correlation makes, in the timeline and the incident events. */
export const CORRELATION_ACTOR = 'correlation';

/**
 * Puts newly stored alerts into incidents: by shared entities within the correlation window,
 * then by correlation rules; merges incidents that new evidence connects; escalates severity.
 * Plans here, writes through the incidents library's IncidentWriter, inside the caller's
 * transaction, after the alerts are inserted.
 */
@Injectable()
export class CorrelateAlertsUseCase {
  constructor(
    private readonly config: AppConfig,
    private readonly ruleSet: CorrelationRuleSet,
    private readonly incidents: IncidentLookup,
    private readonly writer: IncidentWriter,
  ) {}

  async execute(sql: SqlExecutor, alerts: StoredAlert[]): Promise<CorrelationOutcome> {
    const outcome: CorrelationOutcome = {
      incidentsOpened: 0,
      incidentsUpdated: 0,
      incidentsMerged: 0,
      ruleMatches: 0,
    };
    if (alerts.length === 0) return outcome;
    await this.writer.lockMembership(sql);

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

    const links = await this.incidents.relatedOpenIncidents(sql, relationProbes(groupingAlerts, windowMs));
    const linked = await this.incidents.incidentNumbers(sql, [
      ...new Set(links.map((link) => link.incidentId)),
    ]);
    const groups = planIncidentAssignment(groupingAlerts, links, linked, windowMs);

    const byId = new Map(alerts.map((stored) => [stored.id, stored]));
    const touched = new Set<string>();
    const opened: NewIncident[] = [];
    const additions: AlertAddition[] = [];
    const merges: IncidentMerge[] = [];
    for (const group of groups) {
      let incidentId = group.incidentId;
      if (incidentId === null) {
        incidentId = randomUUID();
        const members = group.alertIds.map((id) => byId.get(id) as StoredAlert);
        const first = earliest(members);
        opened.push({
          id: incidentId,
          title: incidentTitle(first),
          severityId: Math.max(...members.map((member) => member.alert.severityId)),
          firstSeen: first.alert.time,
          lastSeen: first.alert.time,
          alertIds: group.alertIds,
        });
      } else {
        additions.push({ incidentId, alertIds: group.alertIds });
      }
      touched.add(incidentId);
      for (const merged of group.mergedIncidentIds) merges.push({ merged, survivor: incidentId });
    }
    await this.writer.openIncidents(sql, opened, CORRELATION_ACTOR);
    await this.writer.addAlerts(sql, additions, CORRELATION_ACTOR);
    outcome.incidentsOpened = opened.length;
    outcome.incidentsUpdated = additions.length;
    outcome.incidentsMerged += await this.writer.merge(sql, merges, CORRELATION_ACTOR);

    const matches = await this.applyRules(sql, alerts, touched);
    outcome.ruleMatches = matches.matched;
    outcome.incidentsMerged += matches.merged;

    await this.writer.refreshAggregates(sql, [...touched], CORRELATION_ACTOR);
    return outcome;
  }

  private async applyRules(
    sql: SqlExecutor,
    alerts: StoredAlert[],
    touched: Set<string>,
  ): Promise<{ matched: number; merged: number }> {
    const rules = this.ruleSet.rules();
    if (rules.length === 0) return { matched: 0, merged: 0 };
    const lookback = lookbackMs(rules);
    const keys = [...new Set(alerts.flatMap(({ alert }) => alert.entities.map(entityKey)))];
    const times = alerts.map(({ alert }) => alert.time.getTime());
    const rows = await this.incidents.openIncidentAlerts(
      sql,
      keys,
      new Date(Math.min(...times) - lookback),
      new Date(Math.max(...times) + lookback),
    );
    const incidentOf = new Map(rows.map((row) => [row.id, row.incidentId]));
    const fresh = new Set(alerts.map((stored) => stored.id));
    const matches = evaluateRules(rules, rows.map(toEvent)).filter((match) =>
      match.alertIds.some((id) => fresh.has(id)),
    );
    if (matches.length === 0) return { matched: 0, merged: 0 };

    const spans = matches.map((match) => ({
      incidentIds: [...new Set(match.alertIds.map((id) => incidentOf.get(id) as string))],
    }));
    const involved = await this.incidents.incidentNumbers(sql, [
      ...new Set(spans.flatMap((span) => span.incidentIds)),
    ]);
    const survivorOf = new Map<string, string>();
    const mergePairs: IncidentMerge[] = [];
    for (const merge of planRuleMerges(spans, involved)) {
      for (const merged of merge.mergedIncidentIds) {
        survivorOf.set(merged, merge.survivorId);
        mergePairs.push({ merged, survivor: merge.survivorId });
      }
    }
    const merged = await this.writer.merge(sql, mergePairs, CORRELATION_ACTOR);

    const records = matches.map((match, index) => {
      const first = (spans[index] as { incidentIds: string[] }).incidentIds[0] as string;
      const incidentId = survivorOf.get(first) ?? first;
      touched.add(incidentId);
      return { incidentId, ...toRecord(match) };
    });
    const matched = await this.writer.recordRuleMatches(sql, records, CORRELATION_ACTOR);
    return { matched, merged };
  }
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

function toEvent(row: OpenIncidentAlert): CorrelationEvent {
  return {
    alertId: row.id,
    time: row.time,
    severityId: row.severityId as CorrelationEvent['severityId'],
    title: row.title,
    source: row.source,
    entities: row.entities,
    tacticIds: row.tactics.map((tactic) => tactic.id).filter((id): id is string => id !== null),
    techniqueIds: row.techniques.map((technique) => technique.id),
  };
}

function toRecord(match: RuleMatch) {
  return {
    ruleId: match.ruleId,
    groupKey: match.groupKey,
    ruleName: match.ruleName,
    severityId: match.severityId,
    summary: match.summary,
    alertIds: match.alertIds,
    firstTime: match.firstTime,
    lastTime: match.lastTime,
  };
}
