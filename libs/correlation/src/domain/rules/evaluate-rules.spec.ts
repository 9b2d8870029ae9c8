import type { AlertEntity } from '@rampart/alerts';

import type { CorrelationEvent } from './correlation-event';
import type {
  CorrelationRule,
  DistinctCountRule,
  EventFilter,
  SequenceRule,
  ThresholdRule,
} from './correlation-rule';
import { evaluateRules, lookbackMs } from './evaluate-rules';
import { anyEventFilter } from './event-filter';
import type { RuleMatch } from './rule-match';
import { seededRandom } from './seeded-random';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

interface EventSpec {
  at: number;
  host?: string | string[];
  user?: string;
  src?: string;
  dst?: string;
  severity?: CorrelationEvent['severityId'];
  tactics?: string[];
  techniques?: string[];
  title?: string;
  source?: string;
}

function event(alertId: string, spec: EventSpec): CorrelationEvent {
  const entities: AlertEntity[] = [];
  for (const host of [spec.host ?? []].flat()) entities.push({ type: 'host', value: host, role: 'related' });
  if (spec.user !== undefined) entities.push({ type: 'user', value: spec.user, role: 'actor' });
  if (spec.src !== undefined) entities.push({ type: 'ip', value: spec.src, role: 'source' });
  if (spec.dst !== undefined) entities.push({ type: 'ip', value: spec.dst, role: 'destination' });
  return {
    alertId,
    timeMs: T0 + spec.at,
    severityId: spec.severity ?? 3,
    title: spec.title ?? 'Suspicious activity',
    source: spec.source ?? 'elastic',
    entities,
    tacticIds: spec.tactics ?? [],
    techniqueIds: spec.techniques ?? [],
  };
}

function filter(overrides: Partial<EventFilter> = {}): EventFilter {
  return { ...anyEventFilter(), ...overrides };
}

const common = {
  name: 'Test rule',
  description: null,
  severityId: 4 as const,
  groupBy: { type: 'host' as const, role: null },
  where: anyEventFilter(),
};

function threshold(overrides: Partial<ThresholdRule> = {}): ThresholdRule {
  return {
    ...common,
    id: 'threshold-rule',
    type: 'threshold',
    count: 3,
    withinMs: 10 * MINUTE,
    ...overrides,
  };
}

function distinctCount(overrides: Partial<DistinctCountRule> = {}): DistinctCountRule {
  return {
    ...common,
    id: 'distinct-rule',
    type: 'distinct_count',
    groupBy: { type: 'ip', role: 'source' },
    distinct: { type: 'host', role: null },
    count: 3,
    withinMs: 15 * MINUTE,
    ...overrides,
  };
}

function sequence(tactics: string[], overrides: Partial<SequenceRule> = {}): SequenceRule {
  return {
    ...common,
    id: 'sequence-rule',
    type: 'sequence',
    steps: tactics.map((id) => filter({ tacticIds: [id] })),
    withinMs: HOUR,
    ...overrides,
  };
}

function matchedIds(rule: CorrelationRule, events: CorrelationEvent[]): string[][] {
  return evaluateRules([rule], events).map((match) => match.alertIds);
}

function burst(prefix: string, count: number, from: number, step: number, spec: Omit<EventSpec, 'at'> = {}) {
  return Array.from({ length: count }, (_, index) =>
    event(`${prefix}${index}`, { host: 'web-01', ...spec, at: from + index * step }),
  );
}

describe('evaluateRules: threshold', () => {
  it('matches count events inside the window, with the rule severity and a summary', () => {
    const matches = evaluateRules([threshold({ name: 'Burst' })], burst('a', 3, 0, MINUTE));
    expect(matches).toEqual<RuleMatch[]>([
      {
        ruleId: 'threshold-rule',
        ruleName: 'Burst',
        groupKey: 'host:web-01',
        severityId: 4,
        alertIds: ['a0', 'a1', 'a2'],
        firstTime: new Date(T0),
        lastTime: new Date(T0 + 2 * MINUTE),
        summary: '3 alerts on host:web-01 (3 or more within 10m)',
      },
    ]);
  });

  it('does not match one event short of the count', () => {
    expect(evaluateRules([threshold()], burst('a', 2, 0, MINUTE))).toEqual([]);
  });

  it('includes events exactly `within` apart, and no further', () => {
    const rule = threshold({ count: 2 });
    expect(
      matchedIds(rule, [event('a', { at: 0, host: 'h' }), event('b', { at: 10 * MINUTE, host: 'h' })]),
    ).toEqual([['a', 'b']]);
    expect(
      matchedIds(rule, [event('a', { at: 0, host: 'h' }), event('b', { at: 10 * MINUTE + 1, host: 'h' })]),
    ).toEqual([]);
  });

  it('counts events with equal times fully', () => {
    expect(matchedIds(threshold(), burst('a', 3, 5 * MINUTE, 0))).toEqual([['a0', 'a1', 'a2']]);
  });

  it('unites every satisfying window and leaves out events in none', () => {
    const events = [
      ...burst('early', 3, 0, MINUTE),
      event('lonely', { at: 20 * MINUTE, host: 'web-01' }),
      ...burst('late', 3, 40 * MINUTE, MINUTE),
    ];
    const [match] = evaluateRules([threshold()], events);
    expect(match?.alertIds).toEqual(['early0', 'early1', 'early2', 'late0', 'late1', 'late2']);
    expect(match?.firstTime).toEqual(new Date(T0));
    expect(match?.lastTime).toEqual(new Date(T0 + 42 * MINUTE));
    expect(match?.summary).toBe('6 alerts on host:web-01 (3 or more within 10m)');
  });

  it('includes every event of a window even when an earlier window already matched', () => {
    // Windows [0, 10m] and [6m, 16m] both hold 3 events; the event at 16m is only in the second.
    const times = [0, 5, 6, 10, 16].map((minutes) => minutes * MINUTE);
    const events = times.map((at, index) => event(`e${index}`, { at, host: 'h' }));
    expect(matchedIds(threshold(), events)).toEqual([['e0', 'e1', 'e2', 'e3', 'e4']]);
  });

  it('keeps groups apart and puts an event with two hosts in both', () => {
    const events = [
      ...burst('a', 2, 0, MINUTE, { host: 'web-01' }),
      ...burst('b', 2, 0, MINUTE, { host: 'db-01' }),
      event('both', { at: 3 * MINUTE, host: ['web-01', 'db-01'] }),
    ];
    const matches = evaluateRules([threshold()], events);
    expect(matches.map((match) => [match.groupKey, match.alertIds])).toEqual([
      ['host:db-01', ['b0', 'b1', 'both']],
      ['host:web-01', ['a0', 'a1', 'both']],
    ]);
  });

  it('groups on the selected role only', () => {
    const rule = threshold({ groupBy: { type: 'ip', role: 'source' } });
    const asDestination = burst('d', 3, 0, MINUTE, { dst: '10.0.0.5' });
    expect(evaluateRules([rule], asDestination)).toEqual([]);
    const asSource = burst('s', 3, 0, MINUTE, { src: '10.0.0.5' });
    expect(evaluateRules([rule], asSource).map((match) => match.groupKey)).toEqual(['ip:10.0.0.5']);
  });

  it('counts only events that pass `where`', () => {
    const rule = threshold({ where: filter({ techniqueIds: ['T1110'] }) });
    const events = [
      ...burst('bf', 2, 0, MINUTE, { techniques: ['T1110.003'] }),
      event('other', { at: 3 * MINUTE, host: 'web-01', techniques: ['T1059'] }),
    ];
    expect(evaluateRules([rule], events)).toEqual([]);
    const more = [...events, event('bf9', { at: 4 * MINUTE, host: 'web-01', techniques: ['T1110'] })];
    const [match] = evaluateRules([rule], more);
    expect(match?.alertIds).toEqual(['bf0', 'bf1', 'bf9']);
    expect(match?.summary).toBe('3 alerts on host:web-01 matching T1110 (3 or more within 10m)');
  });
});

describe('evaluateRules: distinct_count', () => {
  const scan = (hosts: string[], step = MINUTE) =>
    hosts.map((host, index) => event(`s${index}`, { at: index * step, host, src: '10.0.0.5' }));

  it('matches count distinct values inside the window', () => {
    const matches = evaluateRules([distinctCount()], scan(['a', 'b', 'c']));
    expect(matches).toHaveLength(1);
    expect(matches[0]).toMatchObject({
      groupKey: 'ip:10.0.0.5',
      alertIds: ['s0', 's1', 's2'],
      summary: '3 alerts on ip:10.0.0.5 involving 3 distinct hosts (3 or more within 15m)',
    });
  });

  it('does not count the same value twice', () => {
    expect(evaluateRules([distinctCount()], scan(['a', 'b', 'a', 'b', 'a']))).toEqual([]);
  });

  it('includes events exactly `within` apart, and no further', () => {
    expect(matchedIds(distinctCount(), scan(['a', 'b', 'c'], 7.5 * MINUTE))).toEqual([['s0', 's1', 's2']]);
    expect(matchedIds(distinctCount(), scan(['a', 'b', 'c'], 7.5 * MINUTE + 1))).toEqual([]);
  });

  it('unites the events of every satisfying window, repeats included', () => {
    const events = [...scan(['a', 'b', 'a', 'c']), event('late', { at: HOUR, host: 'd', src: '10.0.0.5' })];
    expect(matchedIds(distinctCount(), events)).toEqual([['s0', 's1', 's2', 's3']]);
  });

  it('ignores events without the counted entity and never counts the group itself', () => {
    const rule = distinctCount({ distinct: { type: 'ip', role: null } });
    const events = [
      event('x', { at: 0, src: '10.0.0.5', dst: '10.0.1.1' }),
      event('y', { at: MINUTE, src: '10.0.0.5', dst: '10.0.1.2' }),
      event('z', { at: 2 * MINUTE, src: '10.0.0.5', host: 'no-ip-here' }),
    ];
    // The source address is an `ip` too; counted, it would make three.
    expect(evaluateRules([rule], events)).toEqual([]);
    const third = event('w', { at: 3 * MINUTE, src: '10.0.0.5', dst: '10.0.1.3' });
    expect(matchedIds(rule, [...events, third])).toEqual([['w', 'x', 'y']]);
  });
});

describe('evaluateRules: sequence', () => {
  const initialAccess = (id: string, at: number, host = 'web-01') =>
    event(id, { at, host, tactics: ['TA0001'] });
  const execution = (id: string, at: number, host = 'web-01') => event(id, { at, host, tactics: ['TA0002'] });

  it('matches the steps in order within the window', () => {
    const matches = evaluateRules(
      [sequence(['TA0001', 'TA0002'])],
      [initialAccess('ia', 0), execution('ex', 30 * MINUTE)],
    );
    expect(matches).toHaveLength(1);
    expect(matches[0]).toMatchObject({
      groupKey: 'host:web-01',
      alertIds: ['ex', 'ia'],
      summary: 'Initial Access → Execution on host:web-01 within 1h (2 alerts)',
    });
  });

  it('does not match the steps in the wrong order', () => {
    expect(
      evaluateRules([sequence(['TA0001', 'TA0002'])], [execution('ex', 0), initialAccess('ia', MINUTE)]),
    ).toEqual([]);
  });

  it('includes a chain exactly `within` long, and no longer', () => {
    const rule = sequence(['TA0001', 'TA0002']);
    expect(matchedIds(rule, [initialAccess('ia', 0), execution('ex', HOUR)])).toEqual([['ex', 'ia']]);
    expect(matchedIds(rule, [initialAccess('ia', 0), execution('ex', HOUR + 1)])).toEqual([]);
  });

  it('does not chain across groups', () => {
    expect(
      evaluateRules(
        [sequence(['TA0001', 'TA0002'])],
        [initialAccess('ia', 0, 'a'), execution('ex', MINUTE, 'b')],
      ),
    ).toEqual([]);
  });

  it('takes equal times in either order', () => {
    const rule = sequence(['TA0001', 'TA0002']);
    expect(matchedIds(rule, [execution('b', 0), initialAccess('z', 0)])).toEqual([['b', 'z']]);
    expect(matchedIds(rule, [execution('z', 0), initialAccess('b', 0)])).toEqual([['b', 'z']]);
  });

  it('needs a distinct event for every step', () => {
    const rule = sequence(['TA0001', 'TA0002']);
    const both = (id: string, at: number) => event(id, { at, host: 'web-01', tactics: ['TA0001', 'TA0002'] });
    expect(evaluateRules([rule], [both('one', 0)])).toEqual([]);
    expect(matchedIds(rule, [both('one', 0), both('two', 0)])).toEqual([['one', 'two']]);
    expect(matchedIds(rule, [both('one', 0), execution('ex', MINUTE)])).toEqual([['ex', 'one']]);
  });

  it('unites every satisfying chain and leaves out events on none', () => {
    const events = [
      initialAccess('ia-stale', 0),
      initialAccess('ia-1', 30 * MINUTE),
      initialAccess('ia-2', 40 * MINUTE),
      execution('ex-1', 80 * MINUTE),
      execution('ex-orphan', 200 * MINUTE),
      execution('ex-early', 10 * MINUTE),
    ];
    // ex-early follows ia-stale within the hour: a chain of its own.
    expect(matchedIds(sequence(['TA0001', 'TA0002']), events)).toEqual([
      ['ex-1', 'ex-early', 'ia-1', 'ia-2', 'ia-stale'],
    ]);
  });

  it('needs every step, in the middle too', () => {
    const rule = sequence(['TA0001', 'TA0002', 'TA0011']);
    const c2 = (id: string, at: number) => event(id, { at, host: 'web-01', tactics: ['TA0011'] });
    expect(evaluateRules([rule], [initialAccess('ia', 0), c2('c2', 2 * MINUTE)])).toEqual([]);
    expect(matchedIds(rule, [initialAccess('ia', 0), execution('ex', MINUTE), c2('c2', 2 * MINUTE)])).toEqual(
      [['c2', 'ex', 'ia']],
    );
    // The execution must come after the initial access for a three-step chain to exist.
    expect(
      evaluateRules([rule], [execution('ex', 0), initialAccess('ia', MINUTE), c2('c2', 2 * MINUTE)]),
    ).toEqual([]);
  });

  it('applies `where` to every step', () => {
    const rule = sequence(['TA0001', 'TA0002'], { where: filter({ minSeverityId: 4 }) });
    const events = [
      initialAccess('ia', 0),
      event('ex', { at: MINUTE, host: 'web-01', tactics: ['TA0002'], severity: 4 }),
    ];
    expect(evaluateRules([rule], events)).toEqual([]);
  });
});

describe('evaluateRules: the set', () => {
  it('orders matches by rule, then group key', () => {
    const first = threshold({ id: 'b-first', count: 1 });
    const second = threshold({ id: 'a-second', count: 1 });
    const events = [event('x', { at: 0, host: 'zeta' }), event('y', { at: 0, host: 'alpha' })];
    expect(
      evaluateRules([first, second], events).map((match) => `${match.ruleId} ${match.groupKey}`),
    ).toEqual(['b-first host:alpha', 'b-first host:zeta', 'a-second host:alpha', 'a-second host:zeta']);
  });

  it('counts an alert delivered twice once', () => {
    const events = burst('a', 2, 0, MINUTE);
    const twice = [...events, ...events.map((copy) => ({ ...copy }))];
    expect(evaluateRules([threshold()], twice)).toEqual([]);
  });

  it('skips events without a valid time', () => {
    const events = [...burst('a', 2, 0, MINUTE), { ...event('bad', { at: 0, host: 'web-01' }), timeMs: NaN }];
    expect(evaluateRules([threshold()], events)).toEqual([]);
  });

  it('returns nothing for no rules or no events', () => {
    expect(evaluateRules([], burst('a', 5, 0, 0))).toEqual([]);
    expect(evaluateRules([threshold()], [])).toEqual([]);
  });
});

describe('lookbackMs', () => {
  it('is the longest window', () => {
    expect(
      lookbackMs([threshold({ withinMs: MINUTE }), sequence(['TA0001', 'TA0002'], { withinMs: 2 * HOUR })]),
    ).toBe(2 * HOUR);
    expect(lookbackMs([])).toBe(0);
  });
});

// Several ingestor replicas see alerts in different orders and subsets: the result may depend
// only on the set of events, and a bigger set may only add evidence.
describe('evaluateRules: order independence and monotonicity', () => {
  const rules: CorrelationRule[] = [
    threshold({ id: 'burst', count: 4, withinMs: 10 * MINUTE }),
    threshold({
      id: 'brute',
      count: 3,
      withinMs: 15 * MINUTE,
      groupBy: { type: 'user', role: null },
      where: filter({ techniqueIds: ['T1110'] }),
    }),
    distinctCount({ id: 'spread', count: 3, withinMs: 20 * MINUTE }),
    sequence(['TA0001', 'TA0002'], { id: 'two-step', withinMs: 30 * MINUTE }),
    sequence(['TA0001', 'TA0002', 'TA0011'], { id: 'three-step', withinMs: 45 * MINUTE }),
  ];

  function randomEvents(random: () => number, count: number): CorrelationEvent[] {
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
    const tactics = ['TA0001', 'TA0002', 'TA0011', 'TA0006'];
    return Array.from({ length: count }, (_, index) =>
      event(`e${String(index).padStart(3, '0')}`, {
        // Whole minutes over two hours: plenty of equal times.
        at: Math.floor(random() * 120) * MINUTE,
        host: pick(['web-01', 'web-02', 'db-01']),
        user: pick(['alice', 'bob']),
        src: pick(['10.0.0.5', '10.0.0.6']),
        tactics: [pick(tactics), ...(random() < 0.3 ? [pick(tactics)] : [])],
        techniques: random() < 0.4 ? ['T1110.001'] : ['T1059'],
      }),
    );
  }

  it('gives the same matches whatever the order, duplicates included', () => {
    const random = seededRandom(20260301);
    for (let round = 0; round < 10; round++) {
      const events = randomEvents(random, 80);
      const expected = evaluateRules(rules, events);
      expect(expected.length).toBeGreaterThan(0);
      for (let shuffle = 0; shuffle < 20; shuffle++) {
        const redelivered = events.filter(() => random() < 0.2).map((copy) => ({ ...copy }));
        expect(evaluateRules(rules, shuffled([...events, ...redelivered], random))).toEqual(expected);
      }
    }
  });

  it('never loses or shrinks a match when events are added', () => {
    const random = seededRandom(7);
    for (let round = 0; round < 40; round++) {
      const all = randomEvents(random, 60);
      const subset = all.filter(() => random() < 0.6);
      const full = new Map(
        evaluateRules(rules, all).map((match) => [`${match.ruleId} ${match.groupKey}`, match]),
      );
      for (const partial of evaluateRules(rules, subset)) {
        const grown = full.get(`${partial.ruleId} ${partial.groupKey}`);
        expect(grown).toBeDefined();
        expect(grown?.alertIds).toEqual(expect.arrayContaining(partial.alertIds));
      }
    }
  });
});

function shuffled<T>(values: T[], random: () => number): T[] {
  for (let index = values.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [values[index], values[other]] = [values[other] as T, values[index] as T];
  }
  return values;
}
