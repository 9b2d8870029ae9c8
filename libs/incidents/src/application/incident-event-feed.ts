import type { IncidentEvent } from '../domain/incident-event';

export interface IncidentEventPage {
  events: IncidentEvent[];
  /** Where the next read continues; the given cursor again when nothing was handed out. */
  cursor: string | null;
}

/**
 * Incident events for consumers (the playbook engine, the console's live view), in a stable
 * order that never skips a committed event: events are handed out only once every transaction
 * that could still add an earlier one has ended. A consumer keeps its cursor (durably, to resume
 * after a restart) and reads on from it; delivery is at least once per cursor it keeps.
 */
export abstract class IncidentEventFeed {
  /** Up to `limit` events after `cursor` (null: from the first event ever written). */
  abstract readAfter(cursor: string | null, limit: number): Promise<IncidentEventPage>;

  /**
   * A cursor at the end of the feed now: reading after it gives only changes committed later
   * (null when there is no event yet, or when writers kept the feed busy: then read from null).
   */
  abstract end(): Promise<string | null>;

  /**
   * Resolves when events may have been appended (a notification at their commit), after
   * `timeoutMs` at the latest (a poll, should a notification be lost), or when `signal` aborts.
   */
  abstract waitForEvents(signal?: AbortSignal, timeoutMs?: number): Promise<void>;
}
