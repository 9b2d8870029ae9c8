import type { AlertEntity, StoredAlert } from '@rampart/alerts';
import type { OpenIncidentAlert } from '@rampart/incidents';
import { storableText } from '@rampart/text';

import type { CorrelationEvent } from '../domain/rules';

/**
 * A new alert as the rules will see it once read back: text as PostgreSQL stores it (NUL and
 * unpaired surrogates become U+FFFD), so that the cache and a fresh read agree. Each string is
 * made storable as the store's parameters are; a clean one is the same string.
 */
export function freshEvent(stored: StoredAlert): CorrelationEvent {
  const { alert } = stored;
  return {
    alertId: stored.id,
    timeMs: alert.time.getTime(),
    severityId: alert.severityId as CorrelationEvent['severityId'],
    title: storableText(alert.title),
    source: storableText(alert.source),
    entities: alert.entities.map(storableEntity),
    tacticIds: alert.tactics.flatMap((tactic) => (tactic.id === null ? [] : [storableText(tactic.id)])),
    techniqueIds: alert.techniques.map((technique) => storableText(technique.id)),
  };
}

function storableEntity(entity: AlertEntity): AlertEntity {
  const value = storableText(entity.value);
  const name = entity.name === undefined ? undefined : storableText(entity.name);
  const domain = entity.domain === undefined ? undefined : storableText(entity.domain);
  if (value === entity.value && name === entity.name && domain === entity.domain) return entity;
  const stored: AlertEntity = { type: entity.type, value, role: entity.role };
  if (name !== undefined) stored.name = name;
  if (domain !== undefined) stored.domain = domain;
  return stored;
}

/** An alert read from an open incident, as the rules see it. */
export function toEvent(row: OpenIncidentAlert): CorrelationEvent {
  return {
    alertId: row.id,
    timeMs: row.time.getTime(),
    severityId: row.severityId as CorrelationEvent['severityId'],
    title: row.title,
    source: row.source,
    entities: row.entities,
    tacticIds: row.tactics.map((tactic) => tactic.id).filter((id): id is string => id !== null),
    techniqueIds: row.techniques.map((technique) => technique.id),
  };
}
