import type { CorrelationEvent } from './correlation-event';
import { EventInterner } from './event-interner';

/** A copy as a fresh read of the database makes it: every string and object its own. */
function read(alertId: string, host: string): CorrelationEvent {
  const copy = (text: string) => JSON.parse(JSON.stringify(text)) as string;
  return {
    alertId,
    timeMs: Date.parse('2026-03-01T10:00:00Z'),
    severityId: 4,
    title: copy('Suspicious PowerShell execution'),
    source: copy('splunk'),
    entities: [
      { type: 'host', value: copy(host), role: 'target' },
      { type: 'user', value: copy('corp\\jdoe'), role: 'actor', name: copy('jdoe'), domain: copy('corp') },
    ],
    tacticIds: ['TA0002'].filter(() => true),
    techniqueIds: [],
  };
}

describe('EventInterner', () => {
  it('returns an event equal to the one it was given, field for field, in the incident given', () => {
    const interner = new EventInterner();
    const event = read('a1', 'ws-01');
    expect(interner.event(event, 'incident-1')).toEqual({ ...event, incidentId: 'incident-1' });
  });

  it('shares titles, sources, entities and lists of them between events that have them in common', () => {
    const interner = new EventInterner();
    const first = interner.event(read('a1', 'ws-01'), 'i1');
    const second = interner.event(read('a2', 'ws-01'), 'i1');
    expect(second.title).toBe(first.title);
    expect(second.source).toBe(first.source);
    expect(second.entities[0]).toBe(first.entities[0]);
    expect(second.entities[1]).toBe(first.entities[1]);
    expect(second.tacticIds).toBe(first.tacticIds);
    expect(second.techniqueIds).toBe(first.techniqueIds);
    expect(second.entities).toBe(first.entities);
    // Another host: its own list, sharing the user entity.
    const third = interner.event(read('a3', 'ws-02'), 'i1');
    expect(third.entities).not.toBe(first.entities);
    expect(third.entities[1]).toBe(first.entities[1]);
  });

  it('keeps lists apart whose values only differ in where separators fall', () => {
    const interner = new EventInterner();
    const base = read('a1', 'ws-01');
    const tricky = (value: string, name?: string) => ({
      ...base,
      entities: [
        { type: 'host' as const, value, role: 'target' as const, ...(name === undefined ? {} : { name }) },
      ],
    });
    const one = interner.event(tricky('a\u0000b'), 'i1');
    const two = interner.event(tricky('a', 'b'), 'i1');
    const three = interner.event(tricky('a","b'), 'i1');
    expect(one.entities).toEqual([{ type: 'host', value: 'a\u0000b', role: 'target' }]);
    expect(two.entities).toEqual([{ type: 'host', value: 'a', role: 'target', name: 'b' }]);
    expect(three.entities).toEqual([{ type: 'host', value: 'a","b', role: 'target' }]);
  });

  it('keeps entities apart that differ in any field, the user name and domain included', () => {
    const interner = new EventInterner();
    const event = read('a1', 'ws-01');
    const [, user] = event.entities;
    const other = { ...event, entities: [{ ...user!, domain: 'lab' }] };
    const [interned] = interner.event(other, 'i1').entities;
    expect(interned).toEqual({ ...user, domain: 'lab' });
    expect(interner.event(event, 'i1').entities[1]).toEqual(user);
    expect(interner.event(read('a3', 'ws-02'), 'i1').entities[0]?.value).toBe('ws-02');
  });

  it('freezes what it shares, so one event cannot change the entities of all', () => {
    const interner = new EventInterner();
    const event = interner.event(read('a1', 'ws-01'), 'i1');
    expect(() => {
      (event.entities[0] as { value: string }).value = 'changed';
    }).toThrow(TypeError);
    expect(() => event.tacticIds.push('TA0011')).toThrow(TypeError);
    expect(() => event.entities.push({ type: 'host', value: 'ws-02', role: 'target' })).toThrow(TypeError);
  });

  it('after clear, shares nothing with the events interned before', () => {
    const interner = new EventInterner();
    const first = interner.event(read('a1', 'ws-01'), 'i1');
    interner.clear();
    const second = interner.event(read('a2', 'ws-01'), 'i1');
    expect(second.entities[0]).not.toBe(first.entities[0]);
    expect(second.entities[0]).toEqual(first.entities[0]);
  });
});
