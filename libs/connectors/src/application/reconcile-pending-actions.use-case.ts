import { Injectable } from '@nestjs/common';

import { ActionFailure } from '../domain/containment-action';
import { connectorGone, failureOf } from './action-failure';
import { ActionReporter } from './action-reporter';
import { ConnectorInstanceStore } from './connector-instance-store';
import { ConnectorResolver } from './connector-resolver';
import { ActionResult, ContainmentActionStore, LockedAction } from './containment-action-store';
import { readVendorState } from './operation-dispatch';

export interface ReconciliationReport {
  succeeded: number;
  failed: number;
  /** Vendor unreachable or between states: still pending, asked again next pass. */
  unresolved: number;
}

/** Actions pending for longer than this were cut off by a crash or a timeout. */
export const DEFAULT_PENDING_GRACE_MS = 5 * 60_000;

/**
 * Resolves actions a crash (or a timed-out call) left `pending`. The vendor call is NOT repeated:
 * the vendor's state is read (isBlocked, getContainmentState, isQuarantined, listSessions) and the
 * action becomes `succeeded` (`already_in_state`) when the change is there, `failed`
 * (`not_applied`) when it is not, or `failed` (`outcome_unknown`) when the vendor cannot tell.
 */
@Injectable()
export class ReconcilePendingActionsUseCase {
  constructor(
    private readonly instances: ConnectorInstanceStore,
    private readonly actions: ContainmentActionStore,
    private readonly resolver: ConnectorResolver,
    private readonly reporter: ActionReporter,
  ) {}

  async execute(olderThanMs = DEFAULT_PENDING_GRACE_MS, limit = 100): Promise<ReconciliationReport> {
    const report: ReconciliationReport = { succeeded: 0, failed: 0, unresolved: 0 };
    const seen: string[] = [];
    while (seen.length < limit) {
      const state = await this.actions.withNextStalePending(olderThanMs, seen, (locked) => {
        seen.push(locked.action.id);
        return this.reconcile(locked);
      });
      if (state === null) break;
      report[state] += 1;
    }
    return report;
  }

  private async reconcile(locked: LockedAction): Promise<keyof ReconciliationReport> {
    const { action } = locked;
    const instance = action.connectorInstanceId
      ? await this.instances.findById(action.connectorInstanceId)
      : null;
    let result: ActionResult;
    if (!instance) {
      const { errorCode, errorMessage, details } = connectorGone(action.connectorName);
      result = { state: 'failed', errorCode, errorMessage, details };
    } else {
      try {
        const { state } = await readVendorState(this.resolver.connectorFor(instance), action);
        if (state === 'unknown') return 'unresolved';
        result = resultFor(state);
      } catch (error) {
        const failure = failureOf(error);
        if (!failure) throw error;
        if (failure.retryable) return 'unresolved';
        result = {
          state: 'failed',
          errorCode: failure.errorCode,
          errorMessage: failure.errorMessage,
          details: failure.details,
        };
      }
    }
    this.reporter.written(await locked.complete(result));
    return result.state === 'succeeded' ? 'succeeded' : 'failed';
  }
}

function resultFor(observed: 'applied' | 'not_applied' | 'indeterminate'): ActionResult {
  const details = { reconciled: true };
  switch (observed) {
    case 'applied':
      return { state: 'succeeded', outcome: 'already_in_state', vendorRef: null, details };
    case 'not_applied':
      return {
        state: 'failed',
        errorCode: ActionFailure.NotApplied,
        errorMessage:
          'the call was cut off and the vendor does not show the change; execute again with a new idempotency key',
        details,
      };
    case 'indeterminate':
      return {
        state: 'failed',
        errorCode: ActionFailure.OutcomeUnknown,
        errorMessage: 'the call was cut off and the vendor keeps no state that shows whether it landed',
        details,
      };
  }
}
