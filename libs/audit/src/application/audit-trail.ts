import type { SqlExecutor } from '@rampart/database';

/** Who did it: a person, an API key, a component of Rampart itself, or nobody known (a failed login). */
export interface AuditActor {
  kind: 'user' | 'api_key' | 'system' | 'anonymous';
  id: string | null;
  name: string;
}

/** What changed, said once by the use case that changed it. */
export interface AuditEntryInput {
  /** A dotted verb: `incident.updated`, `action.executed`, `login.failed`, `connector.created`... */
  action: string;
  target: { type: string; id: string | null; name?: string };
  /** State before and after, where it applies; never secrets (they would be kept forever). */
  before?: unknown;
  after?: unknown;
  /**
   * Default: the current request's caller (RequestContext), else the system. Background components
   * (correlation, sweeper, engine, scheduler) say who they are: `{ kind: 'system', id: null, name: 'sweeper' }`.
   */
  actor?: AuditActor;
}

/**
 * The append-only, hash-chained audit trail. An entry is written in the transaction of the change
 * it records, never after it: if the change rolls back, so does its entry. Appending locks the
 * chain head until that transaction ends, so call it last in the transaction, after the change.
 */
export abstract class AuditTrail {
  /** Appends one entry inside the caller's transaction (`sql` is that transaction's executor). */
  abstract record(sql: SqlExecutor, entry: AuditEntryInput): Promise<void>;

  /**
   * Appends several entries, in order, with the same two statements as one (for set-based hot
   * paths: a batch of incident changes). Nothing is written for an empty list.
   */
  abstract recordAll(sql: SqlExecutor, entries: readonly AuditEntryInput[]): Promise<void>;
}

/** A background component acting on its own, as an audit actor. */
export function systemActor(name: string): AuditActor {
  return { kind: 'system', id: null, name };
}
