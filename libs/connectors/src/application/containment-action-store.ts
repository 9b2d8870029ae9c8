import { Capability } from '../domain/capability';
import { ActionState, ContainmentAction } from '../domain/containment-action';
import { ContainmentOperation } from '../domain/containment-operation';

export interface NewPendingAction {
  connectorInstanceId: string;
  connectorName: string;
  capability: Capability;
  operation: ContainmentOperation;
  target: string;
  idempotencyKey: string;
  incidentId: string | null;
  requestedBy: string;
  reason: string | null;
  /** Seconds from now (database clock) until the sweeper undoes the action. */
  expiresInSeconds: number | null;
}

/** How a vendor call ended, as written onto the action. */
export type ActionResult =
  | {
      state: 'succeeded';
      outcome: 'changed' | 'already_in_state';
      vendorRef: string | null;
      details: Record<string, unknown>;
    }
  | { state: 'failed'; errorCode: string; errorMessage: string; details: Record<string, unknown> }
  /** The call may have landed (timeout): stays pending for the reconciliation, error noted. */
  | { state: 'pending'; errorCode: string; errorMessage: string; details: Record<string, unknown> };

/** An undo (rollback or expiry) that reached an end, recorded as its own action row. */
export interface UndoRecord {
  operation: ContainmentOperation;
  requestedBy: string;
  reason: string | null;
  result: Extract<ActionResult, { state: 'succeeded' | 'failed' }>;
}

/** An action row locked for the length of a transaction, and what may be done to it. */
export interface LockedAction {
  readonly action: ContainmentAction;
  /** Writes the result of the original vendor call (from `pending`). */
  complete(result: ActionResult): Promise<ContainmentAction>;
  /** Inserts the undo row (`rollback_of` = this action, key `undo:<id>:<attempt>`). */
  recordUndo(undo: UndoRecord): Promise<ContainmentAction>;
  /** `rolled_back`, `expired` or `rollback_failed`; stamps `rolled_back_at` for the first two. */
  markUndone(
    state: Extract<ActionState, 'rolled_back' | 'expired' | 'rollback_failed'>,
  ): Promise<ContainmentAction>;
  /** Merges into `details` (e.g. the last failed expiry attempt) without changing the state. */
  annotate(details: Record<string, unknown>): Promise<ContainmentAction>;
}

export interface ActionListFilter {
  state?: ActionState[];
  connector?: string;
  incidentId?: string;
  operation?: ContainmentOperation[];
  limit: number;
  cursor?: string;
}

export interface ActionPage {
  items: ContainmentAction[];
  nextCursor: string | null;
}

/** Persistence of containment actions. Row locks (not isolation levels) serialise work on one action. */
export abstract class ContainmentActionStore {
  /** Inserts a `pending` action; null when its idempotency key already exists. */
  abstract insertPending(action: NewPendingAction): Promise<ContainmentAction | null>;
  abstract findById(id: string): Promise<ContainmentAction | null>;
  abstract findByIdempotencyKey(key: string): Promise<ContainmentAction | null>;
  /** Writes the result of the vendor call onto a still-pending action. */
  abstract complete(id: string, result: ActionResult): Promise<ContainmentAction | null>;
  /** Runs `work` with the action locked (waiting for other holders); null when there is no such action. */
  abstract withLocked<T>(id: string, work: (locked: LockedAction) => Promise<T>): Promise<T | null>;
  /**
   * Locks the next succeeded action whose expiry has passed (skipping rows others hold and the ids
   * in `exclude`) and runs `work` on it; null when none is due.
   */
  abstract withNextDue<T>(exclude: string[], work: (locked: LockedAction) => Promise<T>): Promise<T | null>;
  /** Same for actions pending for longer than `olderThanMs` (left by a crash or a timeout). */
  abstract withNextStalePending<T>(
    olderThanMs: number,
    exclude: string[],
    work: (locked: LockedAction) => Promise<T>,
  ): Promise<T | null>;
  abstract list(filter: ActionListFilter): Promise<ActionPage>;
  /** The undo rows of an action, oldest first. */
  abstract undoRecordsOf(id: string): Promise<ContainmentAction[]>;
}
