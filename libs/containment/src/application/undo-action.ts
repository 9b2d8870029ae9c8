import type { AuditActor } from '@rampart/audit';
import type { ConnectorOperations } from '@rampart/connectors';
import { undoOperationOf } from '@rampart/connectors';

import { ActionFailure, ContainmentAction } from '../domain/containment-action';
import { ContainmentActionStore, UndoRecord } from './containment-action-store';

export interface UndoRequest {
  /** A person's rollback, or the sweeper lifting an expired action. */
  trigger: 'rollback' | 'expiry';
  requestedBy: string;
  reason: string | null;
  /** Who holds the action's lease (taken by the caller). */
  holder: string;
  /** Who the audit trail names: the request's caller when absent. */
  actor?: AuditActor | undefined;
}

export interface UndoResult {
  /** The original action after the attempt. */
  action: ContainmentAction;
  /** The undo's own record; null when nothing was recorded (expiry to be retried, lease lost). */
  undo: ContainmentAction | null;
  /** The sweeper hit a retryable vendor failure: the action stays `succeeded` and is tried again later. */
  retryLater: boolean;
}

/** How long an expiry whose vendor was unavailable waits before the sweeper tries it again. */
export const EXPIRY_RETRY_HOLD_OFF_MS = 60_000;

/**
 * Undoes a claimed (leased), reversible, `succeeded` or `rollback_failed` action through its
 * connector and records the undo as its own action row (`rollback_of`). The lease was committed
 * before this runs and no transaction is open during the vendor call; undo operations are
 * ensure-style, so repeating one after a crash is harmless. The outcome is recorded only while
 * the lease is still held.
 */
export async function undoClaimedAction(
  action: ContainmentAction,
  connectors: ConnectorOperations,
  actions: ContainmentActionStore,
  request: UndoRequest,
): Promise<UndoResult> {
  const operation = undoOperationOf(action.operation);
  if (operation === undefined) throw new Error(`${action.operation} is not reversible`);
  const connector = action.connectorInstanceId ? await connectors.findById(action.connectorInstanceId) : null;
  // One vendor-side key per logical undo, whatever the attempt.
  const answer = connector
    ? await connectors.undo(connector, action, `undo:${action.id}`, request.reason)
    : {
        ok: false as const,
        failure: {
          errorCode: ActionFailure.ConnectorNotFound,
          errorMessage: `connector "${action.connectorName}" no longer exists`,
          details: {},
          retryable: false,
          mayHaveLanded: false,
        },
      };
  let result: UndoRecord['result'];
  if (!answer.ok) {
    const { failure } = answer;
    if (request.trigger === 'expiry' && failure.retryable) {
      const annotated = await actions.release(
        action.id,
        request.holder,
        {
          lastExpiryAttempt: {
            at: new Date().toISOString(),
            errorCode: failure.errorCode,
            errorMessage: failure.errorMessage,
          },
        },
        EXPIRY_RETRY_HOLD_OFF_MS,
      );
      return { action: annotated ?? action, undo: null, retryLater: true };
    }
    result = {
      state: 'failed',
      errorCode: failure.errorCode,
      errorMessage: failure.errorMessage,
      details: { ...failure.details, trigger: request.trigger },
    };
  } else {
    result = {
      state: 'succeeded',
      outcome: answer.outcome,
      vendorRef: answer.vendorRef,
      details: { ...answer.details, trigger: request.trigger },
    };
  }
  const state =
    result.state === 'failed'
      ? 'rollback_failed'
      : request.trigger === 'rollback'
        ? 'rolled_back'
        : 'expired';
  const recorded = await actions.recordUndo(
    action.id,
    request.holder,
    { operation, requestedBy: request.requestedBy, reason: request.reason, result },
    state,
    request.actor,
  );
  if (!recorded) {
    // The lease ran out during the call and someone else took the action over: their record stands.
    return { action: (await actions.findById(action.id)) ?? action, undo: null, retryLater: false };
  }
  return { action: recorded.action, undo: recorded.undo, retryLater: false };
}
