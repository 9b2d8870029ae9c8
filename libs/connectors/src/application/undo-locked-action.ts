import { ContainmentAction } from '../domain/containment-action';
import { undoOperationOf } from '../domain/containment-operation';
import { ActionFailureInfo, connectorGone, failureOf } from './action-failure';
import { ConnectorInstanceStore } from './connector-instance-store';
import { ConnectorResolver } from './connector-resolver';
import { LockedAction, UndoRecord } from './containment-action-store';
import { performUndo } from './operation-dispatch';

export interface UndoRequest {
  /** A person's rollback, or the sweeper lifting an expired action. */
  trigger: 'rollback' | 'expiry';
  requestedBy: string;
  reason: string | null;
}

export interface UndoResult {
  /** The original action after the attempt. */
  action: ContainmentAction;
  /** The undo's own record; null when nothing was recorded (expiry to be retried). */
  undo: ContainmentAction | null;
  /** The sweeper hit a retryable vendor failure: the action stays `succeeded` and is tried again next pass. */
  retryLater: boolean;
}

/**
 * Undoes a locked, reversible, `succeeded` (or `rollback_failed`) action through its connector and
 * records the undo as its own action row (`rollback_of`). Undo operations are ensure-style, so
 * repeating one after a crash is harmless; the row lock keeps a rollback and the sweeper from
 * undoing the same action at once.
 */
export async function undoLockedAction(
  locked: LockedAction,
  instances: ConnectorInstanceStore,
  resolver: ConnectorResolver,
  request: UndoRequest,
): Promise<UndoResult> {
  const { action } = locked;
  const operation = undoOperationOf(action.operation);
  if (operation === undefined) throw new Error(`${action.operation} is not reversible`);
  const attempt = await callVendor(action, instances, resolver, request);
  let result: UndoRecord['result'];
  if ('failure' in attempt) {
    const { failure } = attempt;
    if (request.trigger === 'expiry' && failure.retryable) {
      const annotated = await locked.annotate({
        lastExpiryAttempt: {
          at: new Date().toISOString(),
          errorCode: failure.errorCode,
          errorMessage: failure.errorMessage,
        },
      });
      return { action: annotated, undo: null, retryLater: true };
    }
    result = {
      state: 'failed',
      errorCode: failure.errorCode,
      errorMessage: failure.errorMessage,
      details: { ...failure.details, trigger: request.trigger },
    };
  } else {
    result = attempt.result;
  }
  const undo = await locked.recordUndo({
    operation,
    requestedBy: request.requestedBy,
    reason: request.reason,
    result,
  });
  const state =
    result.state === 'failed'
      ? 'rollback_failed'
      : request.trigger === 'rollback'
        ? 'rolled_back'
        : 'expired';
  const undone = await locked.markUndone(state);
  return { action: undone, undo, retryLater: false };
}

async function callVendor(
  action: ContainmentAction,
  instances: ConnectorInstanceStore,
  resolver: ConnectorResolver,
  request: UndoRequest,
): Promise<
  { result: Extract<UndoRecord['result'], { state: 'succeeded' }> } | { failure: ActionFailureInfo }
> {
  const instance = action.connectorInstanceId ? await instances.findById(action.connectorInstanceId) : null;
  if (!instance) return { failure: connectorGone(action.connectorName) };
  try {
    // One vendor-side key per logical undo, whatever the attempt.
    const { outcome, details } = await performUndo(
      resolver.connectorFor(instance),
      action,
      `undo:${action.id}`,
      request.reason,
    );
    return {
      result: {
        state: 'succeeded',
        outcome: outcome.status,
        vendorRef: outcome.vendorRef ?? null,
        details: { ...details, trigger: request.trigger },
      },
    };
  } catch (error) {
    const failure = failureOf(error);
    if (!failure) throw error;
    return { failure };
  }
}
