import type { EntityType } from '@rampart/alerts';
import { formatDuration } from '@rampart/config';

import type { CorrelationEvent } from './correlation-event';
import type {
  CorrelationRule,
  DistinctCountRule,
  EntitySelector,
  SequenceRule,
  ThresholdRule,
} from './correlation-rule';
import {
  describeFilter,
  groupKeyOf,
  isAnyEvent,
  matchesFilter,
  prepareEvent,
  type PreparedEvent,
  selectEntityValues,
} from './event-filter';
import type { RuleMatch } from './rule-match';
import { sequenceUnion } from './sequence-union';
import { distinctCountUnion, thresholdUnion } from './window-union';

/**
 * Evaluates correlation rules over a set of events. A pure function of the set: the order of
 * `events` never changes the result, and adding events only ever adds matches or grows their
 * `alertIds`, so replicas that see alerts in different orders converge on the same matches.
 *
 * Returns one match per rule and group value, in rule order, then group key order.
 */
export function evaluateRules(
  rules: readonly CorrelationRule[],
  events: readonly CorrelationEvent[],
): RuleMatch[] {
  const prepared = canonicalEvents(events);
  return rules.flatMap((rule) => evaluateRule(rule, prepared));
}

/**
 * The longest window of any rule. Windows touching an event at time t lie inside
 * [t - lookback, t + lookback], so evaluating new events with the stored events of that span
 * finds every match they take part in.
 */
export function lookbackMs(rules: readonly CorrelationRule[]): number {
  return rules.reduce((longest, rule) => Math.max(longest, rule.withinMs), 0);
}

interface Group<T> {
  key: string;
  events: PreparedEvent[];
  data: T[];
}

function evaluateRule(rule: CorrelationRule, events: readonly PreparedEvent[]): RuleMatch[] {
  switch (rule.type) {
    case 'threshold':
      return evaluateThreshold(rule, events);
    case 'distinct_count':
      return evaluateDistinctCount(rule, events);
    case 'sequence':
      return evaluateSequence(rule, events);
  }
}

function evaluateThreshold(rule: ThresholdRule, events: readonly PreparedEvent[]): RuleMatch[] {
  const groups = collectGroups(rule.groupBy, events, (event, value) => groupData(rule, event, value));
  return groups.flatMap((group) =>
    toMatch(rule, group, thresholdUnion(timesOf(group), rule.withinMs, rule.count), (count) =>
      matchSummary(rule, group.key, count, 0),
    ),
  );
}

function evaluateDistinctCount(rule: DistinctCountRule, events: readonly PreparedEvent[]): RuleMatch[] {
  const groups = collectGroups(rule.groupBy, events, (event, value) => groupData(rule, event, value));
  return groups.flatMap((group) => {
    const values = group.data as string[][];
    const marked = distinctCountUnion(timesOf(group), values, rule.withinMs, rule.count);
    const distinct = new Set(marked.flatMap((index) => values[index]!)).size;
    return toMatch(rule, group, marked, (count) => matchSummary(rule, group.key, count, distinct));
  });
}

function evaluateSequence(rule: SequenceRule, events: readonly PreparedEvent[]): RuleMatch[] {
  const groups = collectGroups(rule.groupBy, events, (event, value) => groupData(rule, event, value));
  return groups.flatMap((group) =>
    toMatch(
      rule,
      group,
      sequenceUnion(timesOf(group), group.data as number[], rule.steps.length, rule.withinMs),
      (count) => matchSummary(rule, group.key, count, 0),
    ),
  );
}

/**
 * What `rule` needs of `event` in the group of `groupValue`, or null when the event is not part of
 * that group: `true` for a threshold, the counted values for a distinct count (never the group's
 * own value), the mask of satisfied steps for a sequence.
 */
export function groupData(
  rule: CorrelationRule,
  event: PreparedEvent,
  groupValue: string,
): true | string[] | number | null {
  if (!matchesFilter(rule.where, event)) return null;
  switch (rule.type) {
    case 'threshold':
      return true;
    case 'distinct_count': {
      // A group's own entity says nothing about how far it spread.
      const values = selectEntityValues(event.event, rule.distinct).filter(
        (value) => !(rule.distinct.type === rule.groupBy.type && value === groupValue),
      );
      // Kept per event in the rule state: copied to its length (`filter` leaves room for 17).
      return values.length > 0 ? values.slice() : null;
    }
    case 'sequence': {
      let mask = 0;
      rule.steps.forEach((step, index) => {
        if (matchesFilter(step, event)) mask |= 1 << index;
      });
      return mask !== 0 ? mask : null;
    }
  }
}

/**
 * The summary of a match of `count` alerts on `groupKey`; `distinct` is the number of distinct
 * counted values among them (distinct-count rules only).
 */
export function matchSummary(
  rule: CorrelationRule,
  groupKey: string,
  count: number,
  distinct: number,
): string {
  switch (rule.type) {
    case 'threshold':
      return (
        `${alerts(count)} on ${groupKey}${describeWhere(rule)} ` +
        `(${rule.count} or more within ${formatDuration(rule.withinMs)})`
      );
    case 'distinct_count':
      return (
        `${alerts(count)} on ${groupKey}${describeWhere(rule)} involving ${distinct} distinct ` +
        `${selectorNoun(rule.distinct)} (${rule.count} or more within ${formatDuration(rule.withinMs)})`
      );
    case 'sequence':
      return `${rule.steps.map(describeFilter).join(' → ')} on ${groupKey}${describeWhere(rule)} within ${formatDuration(rule.withinMs)} (${alerts(count)})`;
  }
}

/**
 * Splits the events (already in time order) into one group per selected entity value; an event
 * with several such entities joins each group. `describe` returns what the rule needs of an
 * event in a group, or null to leave it out.
 */
function collectGroups<T>(
  selector: EntitySelector,
  events: readonly PreparedEvent[],
  describe: (event: PreparedEvent, groupValue: string) => T | null,
): Group<T>[] {
  // Keyed by the bare value (the selector's type is the same for all), which spares building a
  // new key string for every event.
  const groups = new Map<string, Group<T>>();
  for (const event of events) {
    for (const value of selectEntityValues(event.event, selector)) {
      const data = describe(event, value);
      if (data === null) continue;
      let group = groups.get(value);
      if (group === undefined) {
        group = { key: groupKeyOf(selector, value), events: [], data: [] };
        groups.set(value, group);
      }
      group.events.push(event);
      group.data.push(data);
    }
  }
  return [...groups.values()].sort((a, b) => compareStrings(a.key, b.key));
}

function toMatch(
  rule: CorrelationRule,
  group: Group<unknown>,
  marked: readonly number[],
  summary: (count: number) => string,
): RuleMatch[] {
  if (marked.length === 0) return [];
  const matched = marked.map((index) => group.events[index]!);
  return [
    {
      ruleId: rule.id,
      ruleName: rule.name,
      groupKey: group.key,
      severityId: rule.severityId,
      alertIds: matched.map((event) => event.event.alertId).sort(compareStrings),
      // Group events are in time order, and so are the marked indices.
      firstTime: new Date(matched[0]!.time),
      lastTime: new Date(matched[matched.length - 1]!.time),
      summary: summary(matched.length),
    },
  ];
}

function timesOf(group: Group<unknown>): number[] {
  return group.events.map((event) => event.time);
}

/**
 * Drops events without a valid time and collapses repeated alert ids, keeping one canonical copy
 * (so that which copy arrived first cannot matter), then sorts by time and id.
 */
export function canonicalEvents(events: readonly CorrelationEvent[]): PreparedEvent[] {
  const byId = new Map<string, CorrelationEvent>();
  for (const event of events) {
    if (!Number.isFinite(event.timeMs)) continue;
    const kept = byId.get(event.alertId);
    if (kept === undefined || compareCopies(event, kept) < 0) byId.set(event.alertId, event);
  }
  return [...byId.values()]
    .map(prepareEvent)
    .sort((a, b) => a.time - b.time || compareStrings(a.event.alertId, b.event.alertId));
}

function compareCopies(a: CorrelationEvent, b: CorrelationEvent): number {
  return a.timeMs - b.timeMs || compareStrings(fingerprint(a), fingerprint(b));
}

function fingerprint(event: CorrelationEvent): string {
  return JSON.stringify([
    event.severityId,
    event.title,
    event.source,
    event.entities
      .map((entity) => `${entity.type}\u0000${entity.role}\u0000${entity.value}`)
      .sort(compareStrings),
    [...event.tacticIds].sort(compareStrings),
    [...event.techniqueIds].sort(compareStrings),
  ]);
}

// Code-unit order, not localeCompare: the output must not depend on the host's locale.
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function describeWhere(rule: CorrelationRule): string {
  return isAnyEvent(rule.where) ? '' : ` matching ${describeFilter(rule.where)}`;
}

function alerts(count: number): string {
  return count === 1 ? '1 alert' : `${count} alerts`;
}

const ENTITY_NOUNS: Record<EntityType, string> = {
  host: 'hosts',
  ip: 'IPs',
  user: 'users',
  file_hash: 'file hashes',
  domain: 'domains',
  url: 'URLs',
  process: 'processes',
};

function selectorNoun(selector: EntitySelector): string {
  const noun = ENTITY_NOUNS[selector.type];
  return selector.role === null ? noun : `${selector.role} ${noun}`;
}
