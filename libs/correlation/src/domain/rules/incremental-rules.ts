import type { CorrelationEvent } from './correlation-event';
import type { CorrelationRule } from './correlation-rule';
import { canonicalEvents, compareStrings, groupData, matchSummary } from './evaluate-rules';
import { groupKeyOf, selectEntityValues } from './event-filter';
import type { RuleMatch } from './rule-match';
import { sequenceUnion } from './sequence-union';
import { distinctCountUnion, thresholdUnion } from './window-union';

/** The counted values (distinct count) or the mask of satisfied steps (sequence); threshold: true. */
type EntryData = true | string[] | number;

/** A new event of a group, as `add` inserted it: found again by (time, id). */
interface Fresh {
  id: string;
  time: number;
}

/**
 * One rule's state for one group value: its events in (time, id) order with what the rule keeps
 * of each, which of them are matched already, and per counted value or step the times where it
 * occurs, so that a new event is judged from its neighbourhood rather than from every event.
 * The events are kept as parallel arrays (one entry per index) rather than an object each: the
 * state holds an entry per rule and group of every alert the cache holds, 400,000 in a storm of
 * 100,000 alerts, and an object with a boxed time cost twice the memory of four array slots.
 */
class GroupState {
  readonly ids: string[] = [];
  readonly times: number[] = [];
  readonly data: EntryData[] = [];
  /** On a satisfying window or chain already: part of the group's match. */
  readonly marked: boolean[] = [];
  markedCount = 0;
  /** Distinct count: matched events per counted value. */
  readonly markedValues = new Map<string, number>();
  /** Distinct count: times per counted value; sequence: times per step. */
  readonly timesBy = new Map<string | number, number[]>();

  constructor(
    readonly rule: CorrelationRule,
    readonly key: string,
  ) {}

  /** The first index whose entry sorts after (time, id). */
  upperIndex(time: number, id: string): number {
    const { times, ids } = this;
    let low = 0;
    let high = times.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const at = times[middle]!;
      if (at < time || (at === time && ids[middle]! <= id)) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Where the event `id` at `time` is held, or -1 (an alert's time never changes). */
  indexOf(time: number, id: string): number {
    const at = this.upperIndex(time, id) - 1;
    return at >= 0 && this.ids[at] === id ? at : -1;
  }

  insert(id: string, time: number, data: EntryData): void {
    const at = this.upperIndex(time, id);
    this.ids.splice(at, 0, id);
    this.times.splice(at, 0, time);
    this.data.splice(at, 0, data);
    this.marked.splice(at, 0, false);
    for (const index of indexKeys(this.rule, data)) {
      let times = this.timesBy.get(index);
      if (times === undefined) this.timesBy.set(index, (times = []));
      times.splice(upperTime(times, time), 0, time);
    }
  }

  mark(index: number): void {
    if (this.marked[index]) return;
    this.marked[index] = true;
    this.markedCount += 1;
    if (this.rule.type === 'distinct_count') {
      for (const value of this.data[index] as string[]) {
        this.markedValues.set(value, (this.markedValues.get(value) ?? 0) + 1);
      }
    }
  }

  /** Entries with a time in [fromMs, toMs], as an index range [from, to). */
  range(fromMs: number, toMs: number): [number, number] {
    return [lowerTimeIn(this.times, fromMs), upperTime(this.times, toMs)];
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
      const touched = new Map<GroupState, Fresh[]>();
      for (const event of prepared) {
        for (const value of selectEntityValues(event.event, rule.groupBy)) {
          const data = groupData(rule, event, value);
          if (data === null) continue;
          const group = this.group(ruleIndex, rule, value, buildMissing ? history : null, freshIds);
          if (group === null || group.indexOf(event.time, event.event.alertId) >= 0) continue;
          const entry: Fresh = { id: event.event.alertId, time: event.time };
          group.insert(entry.id, entry.time, data);
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
      if (data !== null) group.insert(event.event.alertId, event.time, data);
    }
    for (const index of unionOf(group, 0, group.times.length)) group.mark(index);
    this.groups.set(id, group);
    let ofKey = this.groupsOfKey.get(group.key);
    if (ofKey === undefined) this.groupsOfKey.set(group.key, (ofKey = new Set()));
    ofKey.add(id);
    return group;
  }
}

/**
 * Marks what new entries (already inserted) bring to the group's match and returns the indices
 * of the entries to report, in (time, id) order: the newly matched, and the already matched that
 * share a window or chain with a new one. Empty when no new entry is on a satisfying window or
 * chain.
 */
function matchFresh(group: GroupState, fresh: readonly Fresh[]): number[] {
  const { rule, times, ids, marked } = group;
  const emitted = new Set<number>();
  if (rule.type === 'threshold') {
    // An event is matched exactly when it lies in some run of `count` consecutive events spanning
    // at most `within`; new runs all contain a new event, so only its 2 * count neighbours matter.
    const count = rule.count;
    for (const entry of fresh) {
      const at = group.upperIndex(entry.time, entry.id) - 1;
      let covered = 0;
      for (let start = Math.max(0, at - count + 1); start <= at && start + count <= times.length; start++) {
        if (times[start + count - 1]! - times[start]! > rule.withinMs) continue;
        for (let index = Math.max(start, covered); index < start + count; index++) emitted.add(index);
        covered = start + count;
      }
    }
  } else {
    // A window or chain holding a new event lies within `within` of it: when no new event can
    // have one (too few values, or a step with no event near it), nothing changes; otherwise the
    // rule is evaluated over the events within `within` of the new ones only.
    const candidates = fresh.filter((entry) => mayMatch(group, entry.time));
    if (candidates.length === 0) return [];
    const candidateTimes = candidates.map((entry) => entry.time);
    const [from, to] = group.range(
      Math.min(...candidateTimes) - rule.withinMs,
      Math.max(...candidateTimes) + rule.withinMs,
    );
    const local = unionOf(group, from, to).map((index) => from + index);
    const freshIds = new Set(candidates.map((entry) => entry.id));
    if (!local.some((index) => freshIds.has(ids[index]!))) return [];
    // What is new to the match, and for each new alert the nearest matched alert on either side
    // within `within` (not every matched alert of the span: a busy group would report thousands).
    local.forEach((index, position) => {
      if (!marked[index]) emitted.add(index);
      if (!freshIds.has(ids[index]!)) return;
      for (const step of [-1, 1]) {
        for (let other = position + step; other >= 0 && other < local.length; other += step) {
          const neighbour = local[other]!;
          if (Math.abs(times[neighbour]! - times[index]!) > rule.withinMs) break;
          if (marked[neighbour] && !freshIds.has(ids[neighbour]!)) {
            emitted.add(neighbour);
            break;
          }
        }
      }
    });
  }
  if (emitted.size === 0) return [];
  for (const index of emitted) group.mark(index);
  return [...emitted].sort((a, b) => a - b);
}

/** Whether a window or chain holding an entry at `time` can exist at all: a cheap necessary condition. */
function mayMatch(group: GroupState, time: number): boolean {
  const { rule } = group;
  const near = (times: readonly number[] | undefined) =>
    times !== undefined && lowerTimeIn(times, time - rule.withinMs) < upperTime(times, time + rule.withinMs);
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
  const times = group.times.slice(from, to);
  const { rule } = group;
  switch (rule.type) {
    case 'threshold':
      return thresholdUnion(times, rule.withinMs, rule.count);
    case 'distinct_count':
      return distinctCountUnion(times, group.data.slice(from, to) as string[][], rule.withinMs, rule.count);
    case 'sequence':
      return sequenceUnion(times, group.data.slice(from, to) as number[], rule.steps.length, rule.withinMs);
  }
}

function indexKeys(rule: CorrelationRule, data: EntryData): (string | number)[] {
  if (rule.type === 'distinct_count') return data as string[];
  if (rule.type === 'sequence') {
    const steps: number[] = [];
    for (let step = 0; step < rule.steps.length; step++) if (((data as number) >> step) & 1) steps.push(step);
    return steps;
  }
  return [];
}

/** The match of `emitted` (indices in (time, id) order). */
function toMatch(group: GroupState, emitted: readonly number[]): RuleMatch {
  return {
    ruleId: group.rule.id,
    ruleName: group.rule.name,
    groupKey: group.key,
    severityId: group.rule.severityId,
    alertIds: emitted.map((index) => group.ids[index]!).sort(compareStrings),
    firstTime: new Date(group.times[emitted[0]!]!),
    lastTime: new Date(group.times[emitted[emitted.length - 1]!]!),
    summary: matchSummary(group.rule, group.key, group.markedCount, group.markedValues.size),
  };
}

// Binary searches over sorted time arrays.

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
