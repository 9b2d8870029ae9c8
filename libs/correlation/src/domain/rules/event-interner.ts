import type { AlertEntity } from '@rampart/alerts';

import type { CorrelationEvent } from './correlation-event';

const NONE = '\u0001';
const EMPTY: readonly string[] = Object.freeze([]);

/**
 * Makes the events the rule cache keeps share what they have in common: one string per distinct
 * title, source and incident id, one object per distinct entity, one array per distinct list of
 * tactics or techniques, and arrays of their exact length. A storm is thousands of alerts of the
 * same detections on the same hosts: each read from the database (or parsed from a request) is a
 * fresh copy of every string and object, so that without this the cache held a title, an entity
 * object and its value string per alert, and arrays grown by `push` to 17 slots for two values.
 *
 * What it returns equals what it was given, field for field; shared objects and arrays are frozen,
 * so code that would change one event's entities in place fails instead of changing them all.
 * The tables grow with the distinct values of the events interned: clear them with the cache.
 */
export class EventInterner {
  private readonly strings = new Map<string, string>();
  private readonly entities = new Map<string, AlertEntity>();
  private readonly lists = new Map<string, readonly string[]>();

  event(event: CorrelationEvent): CorrelationEvent {
    return {
      alertId: event.alertId,
      timeMs: event.timeMs,
      severityId: event.severityId,
      title: this.string(event.title),
      source: this.string(event.source),
      entities: event.entities.map((entity) => this.entity(entity)),
      tacticIds: this.list(event.tacticIds) as string[],
      techniqueIds: this.list(event.techniqueIds) as string[],
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
  }

  private entity(entity: AlertEntity): AlertEntity {
    const key = `${entity.type}\u0000${entity.role}\u0000${entity.value}\u0000${entity.name ?? NONE}\u0000${entity.domain ?? NONE}`;
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
