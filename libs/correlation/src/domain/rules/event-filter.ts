import { entityKey, severityName } from '@rampart/alerts';

import { tacticLabel } from './attack-tactics';
import type { CorrelationEvent } from './correlation-event';
import type { EntitySelector, EventFilter } from './correlation-rule';

/** An event with the fields filters compare already normalized, so each rule does not redo it. */
export interface PreparedEvent {
  event: CorrelationEvent;
  time: number;
  tacticIds: ReadonlySet<string>;
  techniqueIds: readonly string[];
  source: string;
  title: string;
}

export function prepareEvent(event: CorrelationEvent): PreparedEvent {
  return {
    event,
    time: event.timeMs,
    tacticIds: new Set(event.tacticIds.map((id) => id.toUpperCase())),
    techniqueIds: event.techniqueIds.map((id) => id.toUpperCase()),
    source: event.source.toLowerCase(),
    title: event.title.toLowerCase(),
  };
}

/** A filter every event passes. */
export function anyEventFilter(): EventFilter {
  return { minSeverityId: null, tacticIds: [], techniqueIds: [], sources: [], titleContains: [] };
}

export function isAnyEvent(filter: EventFilter): boolean {
  return (
    filter.minSeverityId === null &&
    filter.tacticIds.length === 0 &&
    filter.techniqueIds.length === 0 &&
    filter.sources.length === 0 &&
    filter.titleContains.length === 0
  );
}

export function matchesFilter(filter: EventFilter, event: PreparedEvent): boolean {
  if (filter.minSeverityId !== null && event.event.severityId < filter.minSeverityId) return false;
  if (filter.tacticIds.length > 0 && !filter.tacticIds.some((id) => event.tacticIds.has(id))) return false;
  if (
    filter.techniqueIds.length > 0 &&
    !filter.techniqueIds.some((wanted) => event.techniqueIds.some((id) => isSameOrChild(id, wanted, '.')))
  ) {
    return false;
  }
  if (
    filter.sources.length > 0 &&
    !filter.sources.some((wanted) => isSameOrChild(event.source, wanted, ':'))
  ) {
    return false;
  }
  if (filter.titleContains.length > 0 && !filter.titleContains.some((part) => event.title.includes(part))) {
    return false;
  }
  return true;
}

// A bare prefix would let T111 match T1110 and `splunk` match `splunkforwarder`; only whole
// segments count.
function isSameOrChild(value: string, wanted: string, separator: string): boolean {
  return (
    value === wanted ||
    (value.length > wanted.length && value[wanted.length] === separator && value.startsWith(wanted))
  );
}

/** The values of the selected entities of one event, each once; observers are never selected. */
export function selectEntityValues(event: CorrelationEvent, selector: EntitySelector): string[] {
  const values = new Set<string>();
  for (const entity of event.entities) {
    if (entity.role === 'observer') continue;
    if (entity.type === selector.type && (selector.role === null || entity.role === selector.role)) {
      values.add(entity.value);
    }
  }
  return [...values];
}

export function groupKeyOf(selector: EntitySelector, value: string): string {
  return entityKey({ type: selector.type, value });
}

export function formatSelector(selector: EntitySelector): string {
  return selector.role === null ? selector.type : `${selector.type}:${selector.role}`;
}

/** A short human description of a filter, for match summaries. */
export function describeFilter(filter: EventFilter): string {
  const parts: string[] = [];
  if (filter.tacticIds.length > 0) parts.push(filter.tacticIds.map(tacticLabel).join(' or '));
  if (filter.techniqueIds.length > 0) parts.push(filter.techniqueIds.join(' or '));
  if (filter.sources.length > 0) parts.push(`from ${filter.sources.join(' or ')}`);
  if (filter.titleContains.length > 0) {
    parts.push(`title containing ${filter.titleContains.map((part) => `"${part}"`).join(' or ')}`);
  }
  if (filter.minSeverityId !== null) parts.push(`${severityName(filter.minSeverityId)} or above`);
  return parts.length > 0 ? parts.join(', ') : 'any alert';
}
