import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { entityKey, type StoredAlert } from '@rampart/alerts';
import { systemActor } from '@rampart/audit';
import { AppConfig } from '@rampart/config';
import type { SqlExecutor } from '@rampart/database';
import {
  type AlertAddition,
  type IncidentMerge,
  IncidentLookup,
  IncidentWriter,
  type NewIncident,
} from '@rampart/incidents';

import {
  planIncidentAssignment,
  planRuleMerges,
  relationProbes,
} from '../domain/grouping/plan-incident-assignment';
import { type CorrelationRule, lookbackMs, type RuleMatch } from '../domain/rules';
import { IncrementalRuleState } from '../domain/rules/incremental-rules';
import { type CachedEvent, keysOf, RuleEventCache } from '../domain/rules/rule-event-cache';
import { CorrelationRuleSet } from './correlation-rule-set';
import { freshEvent, toEvent } from './correlation-events';

export interface CorrelationOutcome {
  incidentsOpened: number;
  incidentsUpdated: number;
  incidentsMerged: number;
  ruleMatches: number;
}

/** Callbacks that time correlation's stages (for metrics); every one optional. */
export interface CorrelationProbe {
  /** The correlation lock was acquired after waiting `waitSeconds`. */
  locked?(waitSeconds: number): void;
  /** Correlation finished `seconds` after the lock was acquired (the lock is held until commit). */
  correlated?(seconds: number): void;
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
  /** What the rules read, kept between batches while no other writer changes open incidents. */
  private readonly cache = new RuleEventCache();
  /** Rule state per rule and group, built from the cache and kept with it. */
  private state: { rules: readonly CorrelationRule[]; groups: IncrementalRuleState } | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly ruleSet: CorrelationRuleSet,
    private readonly incidents: IncidentLookup,
    private readonly writer: IncidentWriter,
  ) {}

  async execute(
    sql: SqlExecutor,
    alerts: StoredAlert[],
    probe: CorrelationProbe = {},
  ): Promise<CorrelationOutcome> {
    const outcome: CorrelationOutcome = {
      incidentsOpened: 0,
      incidentsUpdated: 0,
      incidentsMerged: 0,
      ruleMatches: 0,
    };
    if (alerts.length === 0) return outcome;
    const waitFrom = process.hrtime.bigint();
    const version = await this.writer.lockMembership(sql);
    const lockedAt = process.hrtime.bigint();
    probe.locked?.(Number(lockedAt - waitFrom) / 1e9);
    await this.catchUp(sql, version);
    if (this.cache.begin(version)) this.state?.groups.clear();
    const mergesMade: IncidentMerge[] = [];

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
    const linked = [
      ...new Map(
        links.map((link) => [link.incidentId, { id: link.incidentId, number: link.incidentNumber }]),
      ).values(),
    ];
    const groups = planIncidentAssignment(groupingAlerts, links, linked, windowMs);

    const byId = new Map(alerts.map((stored) => [stored.id, stored]));
    const touched = new Set<string>();
    const opened: NewIncident[] = [];
    const additions: AlertAddition[] = [];
    const merges: IncidentMerge[] = [];
    const incidentOfAlert = new Map<string, string>();
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
      for (const alertId of group.alertIds) incidentOfAlert.set(alertId, incidentId);
      for (const merged of group.mergedIncidentIds) merges.push({ merged, survivor: incidentId });
    }
    const openedNumbers = await this.writer.openIncidents(sql, opened, CORRELATION_ACTOR);
    // Incident numbers known so far: the rules need them only for incidents not among these.
    const numbers = new Map([...linked, ...openedNumbers].map((incident) => [incident.id, incident.number]));
    await this.writer.addAlerts(sql, additions, CORRELATION_ACTOR);
    outcome.incidentsOpened = opened.length;
    outcome.incidentsUpdated = additions.length;
    outcome.incidentsMerged += await this.writer.merge(sql, merges, CORRELATION_ACTOR);
    for (const merge of merges) this.cache.merged(merge.merged, merge.survivor);
    mergesMade.push(...merges);

    const matches = await this.applyRules(sql, alerts, incidentOfAlert, touched, mergesMade, numbers);
    outcome.ruleMatches = matches.matched;
    outcome.incidentsMerged += matches.merged;

    await this.writer.refreshAggregates(sql, [...touched], CORRELATION_ACTOR);
    await this.writer.recordMembershipChange(
      sql,
      version,
      alerts.map((stored) => stored.id),
      mergesMade,
    );
    // Last: appending locks the audit chain head until the batch commits.
    await this.writer.auditBatch(sql, systemActor(CORRELATION_ACTOR));
    probe.correlated?.(Number(process.hrtime.bigint() - lockedAt) / 1e9);
    return outcome;
  }

  private ruleState(rules: readonly CorrelationRule[]): IncrementalRuleState {
    if (this.state?.rules !== rules) this.state = { rules, groups: new IncrementalRuleState(rules) };
    return this.state.groups;
  }

  /**
   * When other processes correlated since this one's cache (`version` is not the next one), reads
   * what their changes did (the alerts they added, the merges they made) and applies it to the
   * cache and the rule state, as if this process had made them: the cost follows their alerts,
   * not the alerts stored before. When a change can't be followed that way (an incident left or
   * re-entered an open status, changes pruned, too many of them), the cache starts over.
   */
  private async catchUp(sql: SqlExecutor, version: number): Promise<void> {
    const held = this.cache.heldVersion();
    if (held === null || version <= held + 1 || version - held - 1 > MAX_CATCH_UP_CHANGES) return;
    const changes = await this.incidents.membershipChanges(sql, held + 1, version - 1);
    if (changes.length !== version - held - 1 || changes.some((change) => change.everything)) return;
    const ids = [...new Set(changes.flatMap((change) => change.alertIds))];
    const rows = await this.incidents.openIncidentAlertsById(sql, ids);
    for (const change of changes) {
      for (const merge of change.merges) this.cache.merged(merge.merged, merge.survivor);
    }
    // Alerts are read as they are now, in the incident they ended up in.
    const events = rows.map((row) => this.cache.cached(toEvent(row), row.incidentId));
    const rules = this.ruleSet.rules();
    if (rules.length > 0) {
      // Their matches were recorded by the process that added them; what counts here is the state.
      this.ruleState(rules).add(events, () => [], { buildMissing: false });
    }
    this.cache.add(events);
    this.cache.caughtUp(version - 1);
  }

  private async applyRules(
    sql: SqlExecutor,
    alerts: StoredAlert[],
    incidentOfAlert: Map<string, string>,
    touched: Set<string>,
    mergesMade: IncidentMerge[],
    numbers: Map<string, number>,
  ): Promise<{ matched: number; merged: number }> {
    const rules = this.ruleSet.rules();
    if (rules.length === 0) return { matched: 0, merged: 0 };
    const groups = this.ruleState(rules);
    const lookback = lookbackMs(rules);
    const fresh = alerts.map((stored) =>
      this.cache.cached(freshEvent(stored), incidentOfAlert.get(stored.id) as string),
    );
    const keys = [...new Set(fresh.flatMap((cached) => keysOf(cached)))];
    const times = alerts.map(({ alert }) => alert.time.getTime());
    const fromMs = Math.min(...times) - lookback;
    const toMs = Math.max(...times) + lookback;
    // Only what the cache does not hold over this span is read: a key not held over its whole
    // span, a held one beyond its span only, each a lookback further than needed now. The rule
    // state built on a key is built again only when the read found events it did not hold.
    const freshIds = new Set(alerts.map((stored) => stored.id));
    for (const read of this.cache.reads(keys, fromMs, toMs, lookback)) {
      const rows = await this.incidents.openIncidentAlerts(
        sql,
        read.keys,
        new Date(read.fromMs),
        new Date(read.toMs),
      );
      const found = rows.map((row) => this.cache.cached(toEvent(row), row.incidentId));
      for (const key of this.cache.took(read, found, freshIds)) groups.forgetKey(key);
    }
    // Each new alert is judged against the rule state of its groups only: the cost of a batch
    // follows its own alerts, not the alerts stored before it.
    const matches = groups.add(fresh, (key) => this.cache.allOf(key));
    this.cache.add(fresh);
    if (matches.length === 0) return { matched: 0, merged: 0 };
    const incidentOf = (groupKey: string, alertId: string) =>
      this.cache.incidentOf(this.cache.find(groupKey, alertId) as CachedEvent);

    const spans = matches.map((match) => ({
      incidentIds: [...new Set(match.alertIds.map((alertId) => incidentOf(match.groupKey, alertId)))],
    }));
    const involvedIds = [...new Set(spans.flatMap((span) => span.incidentIds))];
    const unknown = involvedIds.filter((id) => !numbers.has(id));
    const involved = [
      ...involvedIds.filter((id) => numbers.has(id)).map((id) => ({ id, number: numbers.get(id) as number })),
      ...(await this.incidents.incidentNumbers(sql, unknown)),
    ];
    const survivorOf = new Map<string, string>();
    const mergePairs: IncidentMerge[] = [];
    for (const merge of planRuleMerges(spans, involved)) {
      for (const merged of merge.mergedIncidentIds) {
        survivorOf.set(merged, merge.survivorId);
        mergePairs.push({ merged, survivor: merge.survivorId });
        this.cache.merged(merged, merge.survivorId);
      }
    }
    const merged = await this.writer.merge(sql, mergePairs, CORRELATION_ACTOR);
    mergesMade.push(...mergePairs);

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

/** Beyond this many changes behind, reading the changes costs more than starting over. */
const MAX_CATCH_UP_CHANGES = 500;

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
