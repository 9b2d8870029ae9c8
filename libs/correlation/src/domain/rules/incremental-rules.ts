import type { CorrelationEvent } from './correlation-event';
import type { CorrelationRule } from './correlation-rule';
import { canonicalEvents, compareStrings, groupData, matchSummary } from './evaluate-rules';
import { groupKeyOf, selectEntityValues } from './event-filter';
import type { RuleMatch } from './rule-match';
import { sequenceUnion } from './sequence-union';
import { distinctCountUnion, thresholdUnion } from './window-union';

interface Entry {
  id: string;
  time: number;
  /** The counted values (distinct count) or the mask of satisfied steps (sequence). */
  data: true | string[] | number;
  /** On a satisfying window or chain already: part of the group's match. */
  marked: boolean;
}

/**
 * One rule's state for one group value: its events in (time, id) order with what the rule keeps
 * of each, which of them are matched already, and per counted value or step the times where it
 * occurs, so that a new event is judged from its neighbourhood rather than from every event.
 */
class GroupState {
  readonly entries: Entry[] = [];
  markedCount = 0;
  /** Distinct count: matched events per counted value. */
  readonly markedValues = new Map<string, number>();
  /** Distinct count: times per counted value; sequence: times per step. */
  readonly timesBy = new Map<string | number, number[]>();

  constructor(
    readonly rule: CorrelationRule,
    readonly key: string,
  ) {}

  /** Whether the event `id` at `time` is held (an alert's time never changes). */
  has(time: number, id: string): boolean {
    const at = upperIndex(this.entries, time, id) - 1;
    return at >= 0 && this.entries[at]!.id === id;
  }

  insert(entry: Entry): void {
    this.entries.splice(upperIndex(this.entries, entry.time, entry.id), 0, entry);
    for (const index of indexKeys(this.rule, entry)) {
      let times = this.timesBy.get(index);
      if (times === undefined) this.timesBy.set(index, (times = []));
      times.splice(upperTime(times, entry.time), 0, entry.time);
    }
  }

  mark(entry: Entry): void {
    if (entry.marked) return;
    entry.marked = true;
    this.markedCount += 1;
    if (this.rule.type === 'distinct_count') {
      for (const value of entry.data as string[]) {
        this.markedValues.set(value, (this.markedValues.get(value) ?? 0) + 1);
      }
    }
  }

  /** Entries with a time in [fromMs, toMs], as an index range [from, to). */
  range(fromMs: number, toMs: number): [number, number] {
    return [lowerTime(this.entries, fromMs), upperTimeOf(this.entries, toMs)];
  }
}

/**
 * Correlation rules evaluated incrementally: per rule and group value, the state a new event is
 * judged against, so that what one new event costs depends on its neighbourhood in time (the
 * rule's count, the values or steps near it), not on how many events the group holds.
 *
 * Its output is exact: after any sequence of `add` calls, the union of the `alertIds` returned
 * per rule and group equals the `alertIds` that `evaluateRules` returns for all the events added
 * (and those a group was built from), whatever the order and the batching.
 *
 * A group's state is built on first use from `history` (every event the caller holds on the
 * group's entity key), evaluated in full once; the caller drops it (`forgetKey`) whenever what it
 * holds for that key changes other than through `add`.
 */
export class IncrementalRuleState {
  private readonly groups = new Map<string, GroupState>();
  /** Group ids per entity key, so that forgetting a key does not scan every group. */
  private readonly groupsOfKey = new Map<string, Set<string>>();

  constructor(private readonly rules: readonly CorrelationRule[]) {}

  /**
   * Adds new events (alerts not seen before) and returns, per rule and group, the events they
   * add to the group's match together with the already matched events that share a satisfying
   * window or chain with them (which connects the new evidence to the incident holding the old).
   * Groups without a new match are left out; the summary counts the group's whole match.
   * With `buildMissing` false, events go only into groups already built (the others will be built
   * from history, which holds them, when first needed).
   */
  add(
    fresh: readonly CorrelationEvent[],
    history: (entityKey: string) => readonly CorrelationEvent[],
    { buildMissing = true }: { buildMissing?: boolean } = {},
  ): RuleMatch[] {
    const prepared = canonicalEvents(fresh);
    const freshIds = new Set(prepared.map((event) => event.event.alertId));
    const matches: RuleMatch[] = [];
    this.rules.forEach((rule, ruleIndex) => {
      const ofRule: RuleMatch[] = [];
      const touched = new Map<GroupState, Entry[]>();
      for (const event of prepared) {
        for (const value of selectEntityValues(event.event, rule.groupBy)) {
          const data = groupData(rule, event, value);
          if (data === null) continue;
          const group = this.group(ruleIndex, rule, value, buildMissing ? history : null, freshIds);
          if (group === null || group.has(event.time, event.event.alertId)) continue;
          const entry: Entry = { id: event.event.alertId, time: event.time, data, marked: false };
          group.insert(entry);
          const list = touched.get(group);
          if (list) list.push(entry);
          else touched.set(group, [entry]);
        }
      }
      for (const [group, entries] of touched) {
        const emitted = matchFresh(group, entries);
        if (emitted.length > 0) ofRule.push(toMatch(group, emitted));
      }
      matches.push(...ofRule.sort((a, b) => compareStrings(a.groupKey, b.groupKey)));
    });
    return matches;
  }

  /** Drops every group state on `entityKey`: it is built again from history when next needed. */
  forgetKey(entityKey: string): void {
    for (const id of this.groupsOfKey.get(entityKey) ?? []) this.groups.delete(id);
    this.groupsOfKey.delete(entityKey);
  }

  clear(): void {
    this.groups.clear();
    this.groupsOfKey.clear();
  }

  private group(
    ruleIndex: number,
    rule: CorrelationRule,
    value: string,
    history: ((entityKey: string) => readonly CorrelationEvent[]) | null,
    freshIds: ReadonlySet<string>,
  ): GroupState | null {
    const id = `${ruleIndex}\u0000${value}`;
    let group = this.groups.get(id);
    if (group !== undefined) return group;
    if (history === null) return null;
    group = new GroupState(rule, groupKeyOf(rule.groupBy, value));
    const events = canonicalEvents(history(group.key).filter((event) => !freshIds.has(event.alertId)));
    for (const event of events) {
      if (!selectEntityValues(event.event, rule.groupBy).includes(value)) continue;
      const data = groupData(rule, event, value);
      if (data !== null) group.insert({ id: event.event.alertId, time: event.time, data, marked: false });
    }
    for (const index of unionOf(group, 0, group.entries.length)) group.mark(group.entries[index]!);
    this.groups.set(id, group);
    let ofKey = this.groupsOfKey.get(group.key);
    if (ofKey === undefined) this.groupsOfKey.set(group.key, (ofKey = new Set()));
    ofKey.add(id);
    return group;
  }
}

/**
 * Marks what new entries (already inserted) bring to the group's match and returns the entries to
 * report: the newly matched, and the already matched that share a window or chain with a new one.
 * Empty when no new entry is on a satisfying window or chain.
 */
function matchFresh(group: GroupState, fresh: readonly Entry[]): Entry[] {
  const { rule } = group;
  const emitted = new Set<Entry>();
  if (rule.type === 'threshold') {
    // An event is matched exactly when it lies in some run of `count` consecutive events spanning
    // at most `within`; new runs all contain a new event, so only its 2 * count neighbours matter.
    const entries = group.entries;
    const count = rule.count;
    for (const entry of fresh) {
      const at = upperIndex(entries, entry.time, entry.id) - 1;
      let covered = 0;
      for (let start = Math.max(0, at - count + 1); start <= at && start + count <= entries.length; start++) {
        if (entries[start + count - 1]!.time - entries[start]!.time > rule.withinMs) continue;
        for (let index = Math.max(start, covered); index < start + count; index++)
          emitted.add(entries[index]!);
        covered = start + count;
      }
    }
  } else {
    // A window or chain holding a new event lies within `within` of it: when no new event can
    // have one (too few values, or a step with no event near it), nothing changes; otherwise the
    // rule is evaluated over the events within `within` of the new ones only.
    const candidates = fresh.filter((entry) => mayMatch(group, entry));
    if (candidates.length === 0) return [];
    const times = candidates.map((entry) => entry.time);
    const [from, to] = group.range(Math.min(...times) - rule.withinMs, Math.max(...times) + rule.withinMs);
    const local = unionOf(group, from, to).map((index) => group.entries[from + index]!);
    const freshSet = new Set(candidates);
    if (!local.some((entry) => freshSet.has(entry))) return [];
    // What is new to the match, and for each new alert the nearest matched alert on either side
    // within `within` (not every matched alert of the span: a busy group would report thousands).
    local.forEach((entry, index) => {
      if (!entry.marked) emitted.add(entry);
      if (!freshSet.has(entry)) return;
      for (const step of [-1, 1]) {
        for (let other = index + step; other >= 0 && other < local.length; other += step) {
          const neighbour = local[other]!;
          if (Math.abs(neighbour.time - entry.time) > rule.withinMs) break;
          if (neighbour.marked && !freshSet.has(neighbour)) {
            emitted.add(neighbour);
            break;
          }
        }
      }
    });
  }
  if (emitted.size === 0) return [];
  for (const entry of emitted) group.mark(entry);
  return [...emitted];
}

/** Whether a window or chain holding `entry` can exist at all: a cheap necessary condition. */
function mayMatch(group: GroupState, entry: Entry): boolean {
  const { rule } = group;
  const near = (times: readonly number[] | undefined) =>
    times !== undefined &&
    lowerTimeIn(times, entry.time - rule.withinMs) < upperTime(times, entry.time + rule.withinMs);
  if (rule.type === 'distinct_count') {
    let found = 0;
    for (const times of group.timesBy.values()) {
      if (near(times) && ++found >= rule.count) return true;
    }
    return false;
  }
  if (rule.type === 'sequence') return rule.steps.every((_, step) => near(group.timesBy.get(step)));
  return true;
}

/** Indices (relative to `from`) of the entries in [from, to) on a satisfying window or chain. */
function unionOf(group: GroupState, from: number, to: number): number[] {
  const entries = group.entries.slice(from, to);
  const times = entries.map((entry) => entry.time);
  const { rule } = group;
  switch (rule.type) {
    case 'threshold':
      return thresholdUnion(times, rule.withinMs, rule.count);
    case 'distinct_count':
      return distinctCountUnion(
        times,
        entries.map((entry) => entry.data as string[]),
        rule.withinMs,
        rule.count,
      );
    case 'sequence':
      return sequenceUnion(
        times,
        entries.map((entry) => entry.data as number),
        rule.steps.length,
        rule.withinMs,
      );
  }
}

function indexKeys(rule: CorrelationRule, entry: Entry): (string | number)[] {
  if (rule.type === 'distinct_count') return entry.data as string[];
  if (rule.type === 'sequence') {
    const steps: number[] = [];
    for (let step = 0; step < rule.steps.length; step++)
      if (((entry.data as number) >> step) & 1) steps.push(step);
    return steps;
  }
  return [];
}

function toMatch(group: GroupState, emitted: Entry[]): RuleMatch {
  emitted.sort((a, b) => a.time - b.time || compareStrings(a.id, b.id));
  return {
    ruleId: group.rule.id,
    ruleName: group.rule.name,
    groupKey: group.key,
    severityId: group.rule.severityId,
    alertIds: emitted.map((entry) => entry.id).sort(compareStrings),
    firstTime: new Date(emitted[0]!.time),
    lastTime: new Date(emitted[emitted.length - 1]!.time),
    summary: matchSummary(group.rule, group.key, group.markedCount, group.markedValues.size),
  };
}

// Binary searches over (time, id)-ordered entries and sorted time arrays.

/** The first index whose entry sorts after (time, id). */
function upperIndex(entries: readonly Entry[], time: number, id: string): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const entry = entries[middle]!;
    if (entry.time < time || (entry.time === time && entry.id <= id)) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The first entry with a time at or after `time`. */
function lowerTime(entries: readonly Entry[], time: number): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (entries[middle]!.time < time) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The first entry with a time after `time`. */
function upperTimeOf(entries: readonly Entry[], time: number): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (entries[middle]!.time <= time) low = middle + 1;
    else high = middle;
  }
  return low;
}

function lowerTimeIn(times: readonly number[], time: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (times[middle]! < time) low = middle + 1;
    else high = middle;
  }
  return low;
}

function upperTime(times: readonly number[], time: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (times[middle]! <= time) low = middle + 1;
    else high = middle;
  }
  return low;
}
