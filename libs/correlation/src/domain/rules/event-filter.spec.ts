import type { CorrelationEvent } from './correlation-event';
import type { EventFilter } from './correlation-rule';
import {
  anyEventFilter,
  describeFilter,
  matchesFilter,
  prepareEvent,
  selectEntityValues,
} from './event-filter';

const base: CorrelationEvent = {
  alertId: 'a1',
  timeMs: Date.parse('2026-03-01T10:00:00Z'),
  severityId: 3,
  title: 'SSH Brute Force Attempt',
  source: 'ocsf:guardduty',
  entities: [
    { type: 'host', value: 'web-01', role: 'target' },
    { type: 'ip', value: '10.0.0.5', role: 'source' },
    { type: 'ip', value: '10.0.0.9', role: 'destination' },
    { type: 'ip', value: '10.0.0.5', role: 'related' },
  ],
  tacticIds: ['TA0006'],
  techniqueIds: ['T1110.001'],
};

function matches(filter: Partial<EventFilter>, event: Partial<CorrelationEvent> = {}): boolean {
  return matchesFilter({ ...anyEventFilter(), ...filter }, prepareEvent({ ...base, ...event }));
}

describe('matchesFilter', () => {
  it('passes every event through an empty filter', () => {
    expect(matches({})).toBe(true);
  });

  it('compares severity inclusively', () => {
    expect(matches({ minSeverityId: 3 })).toBe(true);
    expect(matches({ minSeverityId: 4 })).toBe(false);
  });

  it('takes any of the listed tactics', () => {
    expect(matches({ tacticIds: ['TA0001', 'TA0006'] })).toBe(true);
    expect(matches({ tacticIds: ['TA0001'] })).toBe(false);
    expect(matches({ tacticIds: ['TA0006'] }, { tacticIds: ['ta0006'] })).toBe(true);
  });

  it('matches a technique and its sub-techniques, never a longer id', () => {
    expect(matches({ techniqueIds: ['T1110'] })).toBe(true);
    expect(matches({ techniqueIds: ['T1110.001'] })).toBe(true);
    expect(matches({ techniqueIds: ['T1110.002'] })).toBe(false);
    expect(matches({ techniqueIds: ['T1110'] }, { techniqueIds: ['T11100'] })).toBe(false);
    expect(matches({ techniqueIds: ['T1111'] })).toBe(false);
  });

  it('matches a source and its sub-sources on whole segments', () => {
    expect(matches({ sources: ['ocsf'] })).toBe(true);
    expect(matches({ sources: ['ocsf:guardduty'] })).toBe(true);
    expect(matches({ sources: ['ocs'] })).toBe(false);
    expect(matches({ sources: ['wazuh'] }, { source: 'wazuh' })).toBe(true);
    expect(matches({ sources: ['wazuh'] }, { source: 'wazuh2' })).toBe(false);
  });

  it('looks for title fragments ignoring case', () => {
    expect(matches({ titleContains: ['brute'] })).toBe(true);
    expect(matches({ titleContains: ['kerberos', 'ssh brute'] })).toBe(true);
    expect(matches({ titleContains: ['kerberos'] })).toBe(false);
  });

  it('requires every condition', () => {
    expect(
      matches({ minSeverityId: 2, tacticIds: ['TA0006'], techniqueIds: ['T1110'], sources: ['ocsf'] }),
    ).toBe(true);
    expect(
      matches({ minSeverityId: 2, tacticIds: ['TA0006'], techniqueIds: ['T1110'], sources: ['wazuh'] }),
    ).toBe(false);
  });
});

describe('selectEntityValues', () => {
  it('selects by type, each value once', () => {
    expect(selectEntityValues(base, { type: 'ip', role: null }).sort()).toEqual(['10.0.0.5', '10.0.0.9']);
  });

  it('narrows to one role', () => {
    expect(selectEntityValues(base, { type: 'ip', role: 'destination' })).toEqual(['10.0.0.9']);
    expect(selectEntityValues(base, { type: 'user', role: null })).toEqual([]);
  });
});

describe('describeFilter', () => {
  it('names tactics and lists the other conditions', () => {
    expect(describeFilter({ ...anyEventFilter(), tacticIds: ['TA0001', 'TA0099'], minSeverityId: 4 })).toBe(
      'Initial Access or TA0099, high or above',
    );
    expect(describeFilter(anyEventFilter())).toBe('any alert');
  });
});

describe('selectEntityValues and the observer', () => {
  it('never selects the device that reported the alert', () => {
    const event: CorrelationEvent = {
      ...base,
      entities: [...base.entities, { type: 'host', value: 'sensor-dmz-01', role: 'observer' }],
    };
    expect(selectEntityValues(event, { type: 'host', role: null })).toEqual(['web-01']);
  });
});
