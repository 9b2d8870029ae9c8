import type { AuditActor } from '@rampart/audit';
import type { Capability, ContainmentOperation } from '@rampart/connectors';

import { ActionState, ContainmentAction } from '../domain/containment-action';
import type { BlastRadiusLimit } from '../domain/guardrails';

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

/** What admitting a new action request found, decided in one short transaction. */
export type Admission =
  /** Recorded `pending`, leased to the caller: now call the vendor. */
  | { kind: 'created'; action: ContainmentAction }
  /** The idempotency key is known: the stored record is the answer. */
  | { kind: 'replay'; action: ContainmentAction }
  /** The same change is in force or in flight: recorded as `joined` to it (expiry extended). */
  | { kind: 'joined'; action: ContainmentAction; joined: ContainmentAction }
  /** A blast-radius limit is reached: nothing recorded; a person must approve. */
  | { kind: 'limit_reached'; limit: BlastRadiusLimit; count: number };

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

/** Where an undo left the original action. */
export type UndoneState = Extract<ActionState, 'rolled_back' | 'expired' | 'rollback_failed'>;

/** What happened to a request to claim one action for an undo. */
export type UndoClaim =
  | { claimed: true; action: ContainmentAction }
  /** Another holder's lease is running (the sweeper, another rollback). */
  | { claimed: false; reason: 'busy' | 'not_undoable'; action: ContainmentAction };

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

/**
 * Who the audit trail names for a change of an action: absent, the caller of the current request
 * (the system outside one). Background work says who it is (`systemActor('engine')`, `'sweeper'`).
 */
export type ActionActor = AuditActor | undefined;

/** Which work wrote a vendor call's result: the call itself, or the reconciliation of a cut-off one. */
export type CompletedBy = 'execution' | 'reconciliation';

/**
 * Persistence of containment actions. Every change of an action's state is audited in the
 * transaction that makes it (`action.requested`, `.joined`, `.refused`, `.executed`, `.failed`,
 * `.outcome_unknown`, `.reconciled`, `.rollback_requested`, `.rolled_back`, `.rollback_failed`,
 * `.expired`). Work on one action is serialised by leases (holder and
 * expiry on the row), never by a transaction or row lock held across a vendor call: claim with a
 * lease and commit, call the vendor, then record the outcome only while still holding the lease.
 * A holder that dies loses its claim when the lease runs out.
 */
/** How a request is admitted: who holds it and for how long, and the checks it meets. */
export interface AdmitOptions {
  holder: string;
  leaseMs: number;
  joinable: boolean;
  limits: readonly BlastRadiusLimit[];
  actor?: ActionActor;
}

export abstract class ContainmentActionStore {
  /**
   * Admits a new request in one transaction, serialised per target (and per operation while
   * `limits` are counted): the stored record when the key is known; a `joined` record when the same
   * change is already in force or in flight (`joinable`); nothing when one of `limits` is reached;
   * else a `pending` record held by `holder` for `leaseMs` (the time its vendor call may take; after
   * that the reconciliation may claim it).
   */
  abstract admit(action: NewPendingAction, options: AdmitOptions): Promise<Admission>;
  /** Records a request a guardrail refused (no vendor call); the stored record when the key is known. */
  abstract insertRefused(
    action: NewPendingAction,
    refusal: { errorCode: string; errorMessage: string; details: Record<string, unknown> },
    actor?: ActionActor,
  ): Promise<ContainmentAction>;
  abstract findById(id: string): Promise<ContainmentAction | null>;
  abstract findByIdempotencyKey(key: string): Promise<ContainmentAction | null>;
  /**
   * Writes the result of the original vendor call onto a still-pending action and releases the
   * lease. A `pending` result (the call may still land) keeps the row pending, out of the
   * reconciliation's reach for one more lease.
   */
  abstract complete(
    id: string,
    holder: string,
    result: ActionResult,
    /** A `pending` result stays out of the reconciliation's reach this long. */
    settleMs: number,
    audit: { by: CompletedBy; actor?: ActionActor },
  ): Promise<ContainmentAction | null>;
  /**
   * Claims a succeeded (or rollback_failed) reversible action for a rollback (audited
   * `action.rollback_requested`). null: no such action.
   */
  abstract claimForUndo(
    id: string,
    holder: string,
    leaseMs: number,
    actor?: ActionActor,
  ): Promise<UndoClaim | null>;
  /** Claims up to `limit` succeeded actions whose expiry has passed and that nobody holds. */
  abstract claimDue(holder: string, leaseMs: number, limit: number): Promise<ContainmentAction[]>;
  /** Claims up to `limit` pending actions whose lease ran out (left by a crash or a timeout). */
  abstract claimStalePending(holder: string, leaseMs: number, limit: number): Promise<ContainmentAction[]>;
  /**
   * In one transaction: inserts the undo row (key `undo:<id>:<attempt>`, the first attempt number
   * not yet taken), sets the original's state and releases the lease. null when `holder` no longer
   * holds the action (its lease ran out and someone else took over): nothing is written.
   */
  abstract recordUndo(
    id: string,
    holder: string,
    undo: UndoRecord,
    state: UndoneState,
    actor?: ActionActor,
  ): Promise<{ action: ContainmentAction; undo: ContainmentAction } | null>;
  /**
   * Releases the lease without changing the state, merging `details` (e.g. the last failed expiry
   * attempt) and keeping others away for `holdOffMs` (a failing action is not retried at once).
   */
  abstract release(
    id: string,
    holder: string,
    details: Record<string, unknown>,
    holdOffMs?: number,
  ): Promise<ContainmentAction | null>;
  /**
   * Stamps a vendor-state read of the action now, unless one was made less than `intervalMs` ago:
   * false then (the caller answers "too soon").
   */
  abstract stampVendorStateRead(id: string, intervalMs: number): Promise<boolean>;
  /** Actions of `operation` counted against blast-radius limits, in the window and/or incident. */
  abstract countCounted(
    operation: ContainmentOperation,
    windowMs: number | null,
    incidentId: string | null,
  ): Promise<number>;
  abstract list(filter: ActionListFilter): Promise<ActionPage>;
  /** The undo rows of an action, oldest first. */
  abstract undoRecordsOf(id: string): Promise<ContainmentAction[]>;
}
