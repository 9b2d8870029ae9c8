import fc from 'fast-check';

import { type AlertEntity, entityKey } from '@rampart/alerts';

import type { CorrelationEvent } from './correlation-event';
import type { CorrelationRule, EventFilter } from './correlation-rule';
import { evaluateRules } from './evaluate-rules';
import { anyEventFilter } from './event-filter';
import { IncrementalRuleState } from './incremental-rules';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const MINUTE = 60_000;
const TACTICS = ['TA0001', 'TA0002', 'TA0011', 'TA0006'];

const filter = (overrides: Partial<EventFilter> = {}): EventFilter => ({ ...anyEventFilter(), ...overrides });
const common = {
  name: 'Test rule',
  description: null,
  severityId: 4 as const,
  groupBy: { type: 'host' as const, role: null },
  where: anyEventFilter(),
};

const ruleArbitrary: fc.Arbitrary<CorrelationRule> = fc.oneof(
  fc
    .record({
      count: fc.integer({ min: 1, max: 6 }),
      within: fc.integer({ min: 0, max: 40 }),
      byUser: fc.boolean(),
      brute: fc.boolean(),
    })
    .map(({ count, within, byUser, brute }): CorrelationRule => ({
      ...common,
      id: 'threshold',
      type: 'threshold',
      count,
      withinMs: within * MINUTE,
      groupBy: byUser ? { type: 'user', role: null } : common.groupBy,
      where: brute ? filter({ techniqueIds: ['T1110'] }) : anyEventFilter(),
    })),
  fc
    .record({
      count: fc.integer({ min: 1, max: 5 }),
      within: fc.integer({ min: 0, max: 40 }),
      byHost: fc.boolean(),
    })
    .map(({ count, within, byHost }): CorrelationRule => ({
      ...common,
      id: 'distinct',
      type: 'distinct_count',
      // Grouped and counted on the same type too: a group never counts its own value.
      groupBy: byHost ? { type: 'host', role: null } : { type: 'ip', role: 'source' },
      distinct: { type: 'host', role: null },
      count,
      withinMs: within * MINUTE,
    })),
  fc
    .record({
      steps: fc.array(fc.constantFrom(...TACTICS), { minLength: 2, maxLength: 4 }),
      within: fc.integer({ min: 0, max: 60 }),
    })
    .map(({ steps, within }): CorrelationRule => ({
      ...common,
      id: 'sequence',
      type: 'sequence',
      steps: steps.map((id) => filter({ tacticIds: [id] })),
      withinMs: within * MINUTE,
    })),
);

const eventArbitrary = fc.record({
  minute: fc.integer({ min: 0, max: 120 }),
  hosts: fc.subarray(['web-01', 'web-02', 'db-01'], { minLength: 1, maxLength: 2 }),
  user: fc.constantFrom('alice', 'bob'),
  src: fc.constantFrom('10.0.0.5', '10.0.0.6'),
  tactics: fc.subarray(TACTICS, { minLength: 1, maxLength: 2 }),
  brute: fc.boolean(),
});

type EventSpec = typeof eventArbitrary extends fc.Arbitrary<infer T> ? T : never;

function toEvent(index: number, spec: EventSpec): CorrelationEvent {
  const entities: AlertEntity[] = [
    ...spec.hosts.map((value): AlertEntity => ({ type: 'host', value, role: 'related' })),
    { type: 'user', value: spec.user, role: 'actor' },
    { type: 'ip', value: spec.src, role: 'source' },
  ];
  return {
    alertId: `e${String(index).padStart(3, '0')}`,
    timeMs: T0 + spec.minute * MINUTE,
    severityId: 3,
    title: 'Suspicious activity',
    source: 'elastic',
    entities,
    tacticIds: spec.tactics,
    techniqueIds: spec.brute ? ['T1110.001'] : ['T1059'],
  };
}

/** The stored events on one entity key: what the caller hands a group state as history. */
function onKey(stored: readonly CorrelationEvent[], key: string): CorrelationEvent[] {
  return stored.filter((event) => event.entities.some((entity) => entityKey(entity) === key));
}

describe('IncrementalRuleState', () => {
  it('adds up to the full evaluation of the stream, whatever the batches and rebuilds', () => {
    fc.assert(
      fc.property(
        fc.array(ruleArbitrary, { minLength: 1, maxLength: 3 }),
        fc.array(eventArbitrary, { minLength: 1, maxLength: 80 }),
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 20 }),
        (ruleList, specs, batchSizes, rebuilds) => {
          const rules = ruleList.map((rule, index) => ({ ...rule, id: `${rule.id}-${index}` }));
          const stream = specs.map((spec, index) => toEvent(index, spec));
          const state = new IncrementalRuleState(rules);
          const stored: CorrelationEvent[] = [];
          const found = new Map<string, Set<string>>();
          for (let offset = 0, round = 0; offset < stream.length; round++) {
            const batch = stream.slice(offset, offset + batchSizes[round % batchSizes.length]!);
            offset += batch.length;
            // Now and then the caller's view of the history changed: groups are built again.
            if (rebuilds[round % rebuilds.length]) state.clear();
            const fresh = new Set(batch.map((event) => event.alertId));
            for (const match of state.add(batch, (key) => onKey(stored, key))) {
              // Every reported match holds new evidence, and only events of its own group.
              expect(match.alertIds.some((id) => fresh.has(id))).toBe(true);
              const key = `${match.ruleId} ${match.groupKey}`;
              const union = found.get(key) ?? new Set<string>();
              for (const id of match.alertIds) union.add(id);
              found.set(key, union);
            }
            stored.push(...batch);
          }
          const whole = evaluateRules(rules, stream);
          expect(new Map([...found].map(([key, union]) => [key, [...union].sort()]))).toEqual(
            new Map(whole.map((match) => [`${match.ruleId} ${match.groupKey}`, match.alertIds])),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reports the already matched events that share a window with new ones, and counts the whole match', () => {
    const rule: CorrelationRule = {
      ...common,
      id: 'burst',
      type: 'threshold',
      count: 3,
      withinMs: 10 * MINUTE,
    };
    const state = new IncrementalRuleState([rule]);
    const at = (index: number, minute: number) =>
      toEvent(index, {
        minute,
        hosts: ['web-01'],
        user: 'alice',
        src: '10.0.0.5',
        tactics: ['TA0002'],
        brute: false,
      });
    const stored = [at(0, 0), at(1, 1)];
    expect(state.add(stored, () => [])).toEqual([]);
    const [first] = state.add([at(2, 2)], () => stored);
    expect(first?.alertIds).toEqual(['e000', 'e001', 'e002']);
    // A fourth alert: it joins the match, reported with the matched alerts of its windows.
    const [second] = state.add([at(3, 3)], () => []);
    expect(second?.alertIds).toEqual(['e001', 'e002', 'e003']);
    expect(second?.summary).toBe('4 alerts on host:web-01 (3 or more within 10m)');
    // Far from the burst: nothing new matches.
    expect(state.add([at(4, 60)], () => [])).toEqual([]);
  });

  it('judges a new alert on a storming host from its neighbours, not from every alert held', () => {
    const rule: CorrelationRule = {
      ...common,
      id: 'burst',
      type: 'threshold',
      count: 5,
      withinMs: 10 * MINUTE,
    };
    const costOf = (held: number) => {
      const state = new IncrementalRuleState([rule]);
      const history = Array.from({ length: held }, (_, index) =>
        toEvent(index, {
          minute: 0,
          hosts: ['web-01'],
          user: 'alice',
          src: '10.0.0.5',
          tactics: ['TA0002'],
          brute: false,
        }),
      );
      state.add([history[0]!], () => history.slice(1));
      const batch = Array.from({ length: 200 }, (_, index) =>
        toEvent(held + index, {
          minute: 1,
          hosts: ['web-01'],
          user: 'alice',
          src: '10.0.0.5',
          tactics: ['TA0002'],
          brute: false,
        }),
      );
      // Each new alert is reported with at most 2 * count - 1 neighbours.
      const matches = state.add(batch, () => []);
      return matches.reduce((sum, match) => sum + match.alertIds.length, 0);
    };
    expect(costOf(20_000)).toBeLessThanOrEqual(200 * 9);
    expect(costOf(20_000)).toBe(costOf(100));
  });
});
