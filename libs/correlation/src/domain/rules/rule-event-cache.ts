import { entityKey } from '@rampart/alerts';

import type { CorrelationEvent } from './correlation-event';
import { EventInterner } from './event-interner';

/**
 * A stored alert of an open incident, as rules see it, with the incident it is in: one object per
 * cached alert (a wrapper around the event was 40 bytes more each).
 */
export interface CachedEvent extends CorrelationEvent {
  readonly incidentId: string;
}

interface KeyEntry {
  fromMs: number;
  toMs: number;
  events: Map<string, CachedEvent>;
}

/**
 * One read that brings the cache over a span: the keys not held, over the whole span, or the held
 * keys, over what lies beyond their spans (the union of the keys' spans, read at once).
 */
export interface CacheRead {
  held: boolean;
  keys: string[];
  fromMs: number;
  toMs: number;
}

/** Beyond this many cached (key, event) entries the cache starts over: memory stays bounded. */
export const MAX_CACHED_ENTRIES = 300_000;

/**
 * The events correlation rules evaluate, kept between batches instead of read again from the
 * database for every batch: per entity key, the events of open incidents over a time span that
 * was loaded once and grows with every batch. What rules see is exactly what a fresh read would
 * return, as long as nothing else changed open incidents meanwhile, which the membership version
 * tells: every transaction that changes membership (here or in another process, or an incident
 * leaving or re-entering an open status) raises it by one, so a version that is not the one
 * after ours means the cache is dropped and read anew.
 */
export class RuleEventCache {
  private version: number | null = null;
  private readonly byKey = new Map<string, KeyEntry>();
  /** Merged incident to the incident it went into, for events cached before the merge. */
  private readonly mergedInto = new Map<string, string>();
  private entries = 0;
  private readonly interner = new EventInterner();

  /**
   * What the cache will hold of `event` in incident `incidentId`: the same fields, sharing their
   * strings, entities and lists with the events held already (see EventInterner). Every event
   * given to the cache is made by this.
   */
  cached(event: CorrelationEvent, incidentId: string): CachedEvent {
    return this.interner.event(event, incidentId);
  }

  /**
   * Starts a transaction that will commit membership version `version`. When the cache was last
   * brought up to date for `version - 1`, it holds; otherwise (another writer, a rolled back
   * transaction, a restart) it starts over, and says so.
   */
  begin(version: number): boolean {
    const stale = this.version !== version - 1 || this.entries > MAX_CACHED_ENTRIES;
    if (stale) this.clear();
    this.version = version;
    return stale;
  }

  /** The membership version the cache is up to date with, if any. */
  heldVersion(): number | null {
    return this.version;
  }

  /**
   * The cache was brought up to date with every change up to `version` (by reading what the
   * changes since its version did), as if this process had made them.
   */
  caughtUp(version: number): void {
    this.version = version;
  }

  /**
   * Keys whose cached span does not cover [fromMs, toMs], each with the span still to read: the
   * whole span for a key not held (`held` false), else only what lies beyond the held span, so a
   * storm whose times creep forward reads a few seconds per key rather than the key's history.
   */
  missing(
    keys: readonly string[],
    fromMs: number,
    toMs: number,
    margin = 0,
  ): { key: string; fromMs: number; toMs: number; held: boolean }[] {
    // What is read is widened by `margin` on the sides read, so that the next batches, a little
    // later in time, find it held.
    const wanted: { key: string; fromMs: number; toMs: number; held: boolean }[] = [];
    for (const key of keys) {
      const entry = this.byKey.get(key);
      if (!entry) {
        wanted.push({ key, fromMs: fromMs - margin, toMs: toMs + margin, held: false });
        continue;
      }
      if (entry.fromMs <= fromMs && entry.toMs >= toMs) continue;
      wanted.push({
        key,
        fromMs: entry.fromMs <= fromMs ? entry.toMs : fromMs - margin,
        toMs: entry.toMs >= toMs ? entry.fromMs : toMs + margin,
        held: true,
      });
    }
    return wanted;
  }

  /** The reads (at most two, see CacheRead) that bring `keys` over [fromMs, toMs]; see `missing`. */
  reads(keys: readonly string[], fromMs: number, toMs: number, margin = 0): CacheRead[] {
    const missing = this.missing(keys, fromMs, toMs, margin);
    const reads: CacheRead[] = [];
    for (const held of [false, true]) {
      const part = missing.filter((entry) => entry.held === held);
      if (part.length === 0) continue;
      reads.push({
        held,
        keys: part.map((entry) => entry.key),
        fromMs: Math.min(...part.map((entry) => entry.fromMs)),
        toMs: Math.max(...part.map((entry) => entry.toMs)),
      });
    }
    return reads;
  }

  /**
   * Takes in what `read` found: the events of open incidents carrying one of its keys within its
   * span. Events in `fresh` (the transaction's new alerts, read too since they are in incidents by
   * now) are left for `add`. Returns the keys whose events changed otherwise than through `add`:
   * the rule state built on them must be built again.
   */
  took(read: CacheRead, found: readonly CachedEvent[], fresh: ReadonlySet<string>): string[] {
    const byKey = new Map<string, CachedEvent[]>();
    for (const cached of found) {
      if (fresh.has(cached.alertId)) continue;
      for (const key of keysOf(cached)) {
        const list = byKey.get(key);
        if (list) list.push(cached);
        else byKey.set(key, [cached]);
      }
    }
    const changed: string[] = [];
    for (const key of read.keys) {
      const events = byKey.get(key) ?? [];
      if (!read.held) this.loaded(key, read.fromMs, read.toMs, events);
      if (!read.held || this.extended(key, read.fromMs, read.toMs, events) > 0) changed.push(key);
    }
    return changed;
  }

  /** What was read for `key` over [fromMs, toMs]: every event of open incidents on it then. */
  loaded(key: string, fromMs: number, toMs: number, events: readonly CachedEvent[]): void {
    const previous = this.byKey.get(key);
    if (previous) this.entries -= previous.events.size;
    const entry: KeyEntry = { fromMs, toMs, events: new Map() };
    for (const cached of events) entry.events.set(cached.alertId, cached);
    this.byKey.set(key, entry);
    this.entries += entry.events.size;
  }

  /**
   * What was read for a held `key` over [fromMs, toMs] (adjacent to or overlapping its span): the
   * span grows to take it in. Returns how many of the events were not held yet.
   */
  extended(key: string, fromMs: number, toMs: number, events: readonly CachedEvent[]): number {
    const entry = this.byKey.get(key);
    if (!entry) {
      this.loaded(key, fromMs, toMs, events);
      return events.length;
    }
    let added = 0;
    for (const cached of events) {
      if (entry.events.has(cached.alertId)) continue;
      entry.events.set(cached.alertId, cached);
      added += 1;
    }
    entry.fromMs = Math.min(entry.fromMs, fromMs);
    entry.toMs = Math.max(entry.toMs, toMs);
    this.entries += added;
    return added;
  }

  /** Events this transaction added to open incidents, filed under each of their keys that is cached. */
  add(events: readonly CachedEvent[]): void {
    for (const cached of events) {
      for (const key of keysOf(cached)) {
        const entry = this.byKey.get(key);
        if (!entry || entry.events.has(cached.alertId)) continue;
        entry.events.set(cached.alertId, cached);
        this.entries += 1;
      }
    }
  }

  merged(mergedId: string, survivorId: string): void {
    this.mergedInto.set(mergedId, survivorId);
  }

  /** The incident an event is in now, following merges. */
  incidentOf(cached: CachedEvent): string {
    let id = cached.incidentId;
    for (let next = this.mergedInto.get(id); next !== undefined; next = this.mergedInto.get(id)) id = next;
    return id;
  }

  /** Every cached event on `key`, whatever its time. */
  allOf(key: string): CachedEvent[] {
    return [...(this.byKey.get(key)?.events.values() ?? [])];
  }

  /** The cached event `alertId` on `key`, if held. */
  find(key: string, alertId: string): CachedEvent | undefined {
    return this.byKey.get(key)?.events.get(alertId);
  }

  /** The cached events carrying one of `keys` with a time in [fromMs, toMs], each once. */
  eventsOf(keys: readonly string[], fromMs: number, toMs: number): CachedEvent[] {
    const found = new Map<string, CachedEvent>();
    for (const key of keys) {
      for (const cached of this.byKey.get(key)?.events.values() ?? []) {
        const time = cached.timeMs;
        if (time >= fromMs && time <= toMs) found.set(cached.alertId, cached);
      }
    }
    return [...found.values()];
  }

  clear(): void {
    this.byKey.clear();
    this.mergedInto.clear();
    this.interner.clear();
    this.entries = 0;
    this.version = null;
  }
}

/** Every entity key of an event, observers included, as alert_entity files them. */
export function keysOf(event: CorrelationEvent): string[] {
  return [...new Set(event.entities.map(entityKey))];
}
