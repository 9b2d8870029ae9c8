import type { AlertEntity } from '@rampart/alerts';

import type { CorrelationEvent } from './correlation-event';
import type { CorrelationRule } from './correlation-rule';
import { evaluateRules, lookbackMs } from './evaluate-rules';
import { anyEventFilter } from './event-filter';
import { IncrementalRuleState } from './incremental-rules';
import { type CachedEvent, keysOf, RuleEventCache } from './rule-event-cache';
import type { RuleMatch } from './rule-match';
import { seededRandom } from './seeded-random';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const MINUTE = 60_000;

/** The event a cached one holds, without the incident it is in. */
const eventOf = ({ incidentId: _incidentId, ...event }: CachedEvent): CorrelationEvent => event;

const common = {
  name: 'Test rule',
  description: null,
  severityId: 4 as const,
  groupBy: { type: 'host' as const, role: null },
  where: anyEventFilter(),
};
const tacticStep = (id: string) => ({ ...anyEventFilter(), tacticIds: [id] });
const RULES: CorrelationRule[] = [
  { ...common, id: 'burst', type: 'threshold', count: 4, withinMs: 10 * MINUTE },
  {
    ...common,
    id: 'brute',
    type: 'threshold',
    count: 3,
    withinMs: 15 * MINUTE,
    groupBy: { type: 'user', role: null },
    where: { ...anyEventFilter(), techniqueIds: ['T1110'] },
  },
  {
    ...common,
    id: 'spread',
    type: 'distinct_count',
    groupBy: { type: 'ip', role: 'source' },
    distinct: { type: 'host', role: null },
    count: 3,
    withinMs: 20 * MINUTE,
  },
  {
    ...common,
    id: 'two-step',
    type: 'sequence',
    steps: ['TA0001', 'TA0002'].map(tacticStep),
    withinMs: 30 * MINUTE,
  },
  {
    ...common,
    id: 'three-step',
    type: 'sequence',
    steps: ['TA0001', 'TA0002', 'TA0011'].map(tacticStep),
    withinMs: 45 * MINUTE,
  },
];

function randomEvents(random: () => number, count: number, prefix: string): CorrelationEvent[] {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const tactics = ['TA0001', 'TA0002', 'TA0011', 'TA0006'];
  return Array.from({ length: count }, (_, index) => {
    const entities: AlertEntity[] = [
      { type: 'host', value: pick(['web-01', 'web-02', 'db-01', 'db-02']), role: 'related' },
      { type: 'user', value: pick(['alice', 'bob', 'carol']), role: 'actor' },
      { type: 'ip', value: pick(['10.0.0.5', '10.0.0.6', '10.0.0.7']), role: 'source' },
    ];
    return {
      alertId: `${prefix}${String(index).padStart(4, '0')}`,
      // Whole minutes over six hours: equal times, and spans longer than every window.
      timeMs: T0 + Math.floor(random() * 360) * MINUTE,
      severityId: 3,
      title: 'Suspicious activity',
      source: 'elastic',
      entities,
      tacticIds: [pick(tactics), ...(random() < 0.3 ? [pick(tactics)] : [])],
      techniqueIds: random() < 0.4 ? ['T1110.001'] : ['T1059'],
    };
  });
}

/**
 * The matches that new events take part in, by full evaluation: the rules evaluated over the
 * events within the rules' lookback of the new ones on the keys they carry, keeping the matches
 * that hold a new event (what correlation did before its rule state was incremental).
 */
function matchesWithFresh(
  rules: readonly CorrelationRule[],
  around: readonly CorrelationEvent[],
  fresh: ReadonlySet<string>,
): RuleMatch[] {
  return evaluateRules(rules, around).filter((match) => match.alertIds.some((id) => fresh.has(id)));
}

/** What a read of the database would return: stored events on one of `keys` within the span. */
function readStored(
  stored: readonly CorrelationEvent[],
  keys: readonly string[],
  fromMs: number,
  toMs: number,
) {
  const wanted = new Set(keys);
  return stored.filter(
    (event) => event.timeMs >= fromMs && event.timeMs <= toMs && keysOf(event).some((key) => wanted.has(key)),
  );
}

function collect(found: Map<string, Set<string>>, matches: readonly RuleMatch[]): void {
  for (const match of matches) {
    const key = `${match.ruleId} ${match.groupKey}`;
    const union = found.get(key) ?? new Set<string>();
    for (const id of match.alertIds) union.add(id);
    found.set(key, union);
  }
}

const ids = (events: readonly { alertId: string }[]) => events.map((event) => event.alertId).sort();

describe('RuleEventCache: rules evaluated batch by batch from the cache', () => {
  it('reads what the database would return and adds up to the evaluation of the whole stream', () => {
    const random = seededRandom(20261130);
    const lookback = lookbackMs(RULES);
    for (let round = 0; round < 12; round++) {
      const stream = randomEvents(random, 150, `r${round}-`);
      const cache = new RuleEventCache();
      const stored: CorrelationEvent[] = [];
      const found = new Map<string, Set<string>>();
      // The incremental rule state kept beside the cache, as correlation keeps it.
      const state = new IncrementalRuleState(RULES);
      const foundIncrementally = new Map<string, Set<string>>();
      let version = 0;
      for (let offset = 0; offset < stream.length;) {
        const batch = stream.slice(offset, offset + 1 + Math.floor(random() * 12));
        offset += batch.length;
        // Now and then another process correlated meanwhile: the cache must start over.
        version += random() < 0.15 ? 2 : 1;
        if (cache.begin(version)) state.clear();
        stored.push(...batch);
        const fresh = new Set(batch.map((event) => event.alertId));
        const keys = [...new Set(batch.flatMap(keysOf))];
        const times = batch.map((event) => event.timeMs);
        const fromMs = Math.min(...times) - lookback;
        const toMs = Math.max(...times) + lookback;
        for (const read of cache.reads(keys, fromMs, toMs, round % 2 === 0 ? 0 : lookback)) {
          const found = readStored(stored, read.keys, read.fromMs, read.toMs).map((event) => ({
            ...event,
            incidentId: 'i',
          }));
          for (const key of cache.took(read, found, fresh)) state.forgetKey(key);
        }
        collect(
          foundIncrementally,
          state.add(batch, (key) => cache.allOf(key).map(eventOf)),
        );
        cache.add(batch.map((event): CachedEvent => ({ ...event, incidentId: 'i' })));
        const around = cache.eventsOf(keys, fromMs, toMs).map(eventOf);
        expect(ids(around)).toEqual(ids(readStored(stored, keys, fromMs, toMs)));
        collect(found, matchesWithFresh(RULES, around, fresh));
      }
      const whole = new Map(
        evaluateRules(RULES, stream).map((match) => [`${match.ruleId} ${match.groupKey}`, match.alertIds]),
      );
      expect(whole.size).toBeGreaterThan(0);
      expect(new Map([...found].map(([key, union]) => [key, [...union].sort()]))).toEqual(whole);
      expect(new Map([...foundIncrementally].map(([key, union]) => [key, [...union].sort()]))).toEqual(whole);
    }
  });

  it('two processes taking turns catch up from the change log and together find every match', () => {
    const random = seededRandom(20261201);
    const lookback = lookbackMs(RULES);
    /** One correlating process: its cache and rule state, kept as correlation keeps them. */
    class Process {
      readonly cache = new RuleEventCache();
      readonly state = new IncrementalRuleState(RULES);
      readonly found = new Map<string, Set<string>>();
      rebuilds = 0;

      correlate(version: number, batch: CorrelationEvent[], stored: CorrelationEvent[], log: string[][]) {
        // Catch up with what the other process did since this one's version, from the log.
        const held = this.cache.heldVersion();
        if (held !== null && version > held + 1) {
          const ids = new Set(log.slice(held + 1, version).flat());
          const events = stored.filter((event) => ids.has(event.alertId));
          this.state.add(events, () => [], { buildMissing: false });
          this.cache.add(events.map((event) => ({ ...event, incidentId: 'i' })));
          this.cache.caughtUp(version - 1);
        }
        if (this.cache.begin(version)) {
          this.state.clear();
          this.rebuilds += 1;
        }
        const fresh = new Set(batch.map((event) => event.alertId));
        const keys = [...new Set(batch.flatMap(keysOf))];
        const times = batch.map((event) => event.timeMs);
        const reads = this.cache.reads(
          keys,
          Math.min(...times) - lookback,
          Math.max(...times) + lookback,
          lookback,
        );
        for (const read of reads) {
          const found = readStored(stored, read.keys, read.fromMs, read.toMs).map((event) => ({
            ...event,
            incidentId: 'i',
          }));
          for (const key of this.cache.took(read, found, fresh)) this.state.forgetKey(key);
        }
        collect(
          this.found,
          this.state.add(batch, (key) => this.cache.allOf(key).map(eventOf)),
        );
        this.cache.add(batch.map((event): CachedEvent => ({ ...event, incidentId: 'i' })));
      }
    }
    for (let round = 0; round < 12; round++) {
      const stream = randomEvents(random, 150, `t${round}-`);
      const processes = [new Process(), new Process()];
      const stored: CorrelationEvent[] = [];
      // log[v]: the alerts the transaction of version v added.
      const log: string[][] = [[]];
      for (let offset = 0; offset < stream.length;) {
        const batch = stream.slice(offset, offset + 1 + Math.floor(random() * 12));
        offset += batch.length;
        const version = log.length;
        stored.push(...batch);
        log.push(batch.map((event) => event.alertId));
        (processes[Math.floor(random() * 2)] as Process).correlate(version, batch, stored, log);
      }
      const found = new Map<string, Set<string>>();
      for (const process of processes) {
        for (const [key, union] of process.found) {
          const all = found.get(key) ?? new Set<string>();
          for (const id of union) all.add(id);
          found.set(key, all);
        }
        // Each process built its state once, never again: it followed the other one's changes.
        expect(process.rebuilds).toBeLessThanOrEqual(1);
      }
      const whole = new Map(
        evaluateRules(RULES, stream).map((match) => [`${match.ruleId} ${match.groupKey}`, match.alertIds]),
      );
      expect(new Map([...found].map(([key, union]) => [key, [...union].sort()]))).toEqual(whole);
    }
  });

  it('starts over after a transaction that did not commit, and follows merges', () => {
    const cache = new RuleEventCache();
    const [event] = randomEvents(seededRandom(1), 1, 'm-') as [CorrelationEvent];
    const [key] = keysOf(event) as [string];
    cache.begin(1);
    cache.loaded(key, 0, Number.MAX_SAFE_INTEGER, [{ ...event, incidentId: 'a' }]);
    cache.merged('a', 'b');
    cache.merged('b', 'c');
    const [cached] = cache.eventsOf([key], 0, Number.MAX_SAFE_INTEGER) as [CachedEvent];
    expect(cache.incidentOf(cached)).toBe('c');
    // Version 2 committed: the cache holds for the transaction after it.
    cache.begin(2);
    expect(cache.missing([key], 0, 1)).toEqual([]);
    // The transaction that was to commit 3 rolled back: the next one commits 3 again.
    cache.begin(3);
    expect(cache.missing([key], 0, 1)).toEqual([]);
    cache.begin(3);
    expect(cache.missing([key], 0, 1)).toEqual([{ key, fromMs: 0, toMs: 1, held: false }]);
  });
});
