import type { AlertEntity } from '@rampart/alerts';

import type { CorrelationEvent } from './correlation-event';

const EMPTY: readonly string[] = Object.freeze([]);
const EMPTY_ENTITIES: readonly AlertEntity[] = Object.freeze([]);

/** Tells entities apart by every field, whatever characters their values hold. */
function entityInternKey(entity: AlertEntity): string {
  return JSON.stringify([entity.type, entity.role, entity.value, entity.name ?? null, entity.domain ?? null]);
}

/**
 * Makes the events the rule cache keeps share what they have in common: one string per distinct
 * title, source and incident id, one object per distinct entity, one array per distinct list of
 * tactics or techniques, and arrays of their exact length. A storm is thousands of alerts of the
 * same detections on the same hosts: each read from the database (or parsed from a request) is a
 * fresh copy of every string and object, so that without this the cache held a title, an entity
 * object and its value string per alert, and arrays grown by `push` to 17 slots for two values.
 * An event's list of entities is shared too (one per distinct list: a host's alerts name the
 * same host, address and user), which was 80 bytes per cached alert.
 *
 * What it returns equals what it was given, field for field; shared objects and arrays are frozen,
 * so code that would change one event's entities in place fails instead of changing them all.
 * The tables grow with the distinct values of the events interned: clear them with the cache.
 */
export class EventInterner {
  private readonly strings = new Map<string, string>();
  private readonly entities = new Map<string, AlertEntity>();
  private readonly lists = new Map<string, readonly string[]>();
  private readonly entityLists = new Map<string, readonly AlertEntity[]>();

  /** `event`, sharing what it has in common with the events interned before, in incident `incidentId`. */
  event(event: CorrelationEvent, incidentId: string): CorrelationEvent & { readonly incidentId: string } {
    // One literal with every field: a property added later would go to a separate backing store.
    return {
      alertId: event.alertId,
      timeMs: event.timeMs,
      severityId: event.severityId,
      title: this.string(event.title),
      source: this.string(event.source),
      entities: this.entityList(event.entities) as AlertEntity[],
      tacticIds: this.list(event.tacticIds) as string[],
      techniqueIds: this.list(event.techniqueIds) as string[],
      incidentId: this.string(incidentId),
    };
  }

  /** The one copy of `value` held. */
  string(value: string): string {
    const held = this.strings.get(value);
    if (held !== undefined) return held;
    this.strings.set(value, value);
    return value;
  }

  clear(): void {
    this.strings.clear();
    this.entities.clear();
    this.lists.clear();
    this.entityLists.clear();
  }

  private entityList(entities: readonly AlertEntity[]): readonly AlertEntity[] {
    if (entities.length === 0) return EMPTY_ENTITIES;
    const keys = entities.map(entityInternKey);
    const key = keys.join(','); // JSON arrays, one after the other: unambiguous
    const held = this.entityLists.get(key);
    if (held !== undefined) return held;
    const copy = Object.freeze(entities.map((entity, index) => this.entity(entity, keys[index] as string)));
    this.entityLists.set(key, copy);
    return copy;
  }

  private entity(entity: AlertEntity, key: string): AlertEntity {
    const held = this.entities.get(key);
    if (held !== undefined) return held;
    const copy: AlertEntity = { type: entity.type, value: this.string(entity.value), role: entity.role };
    if (entity.name !== undefined) copy.name = this.string(entity.name);
    if (entity.domain !== undefined) copy.domain = this.string(entity.domain);
    this.entities.set(key, Object.freeze(copy));
    return copy;
  }

  private list(values: readonly string[]): readonly string[] {
    if (values.length === 0) return EMPTY;
    const key = values.join('\u0000');
    const held = this.lists.get(key);
    if (held !== undefined) return held;
    const copy = Object.freeze(values.map((value) => this.string(value)));
    this.lists.set(key, copy);
    return copy;
  }
}
