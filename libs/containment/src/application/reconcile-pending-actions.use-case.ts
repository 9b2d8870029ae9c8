import { Injectable, Logger } from '@nestjs/common';

import { ConnectorOperations } from '@rampart/connectors';
import { Metrics } from '@rampart/metrics';

import { ActionFailure, ContainmentAction } from '../domain/containment-action';
import { ActionLeases, leaseHolder } from './action-lease';
import { ActionReporter } from './action-reporter';
import { ActionResult, ContainmentActionStore } from './containment-action-store';
import { POISONED_HOLD_OFF_MS, SWEEPER_ACTOR } from './expire-due-actions.use-case';

export interface ReconciliationReport {
  succeeded: number;
  failed: number;
  /** Vendor unreachable or between states: still pending, asked again next pass. */
  unresolved: number;
  /** Something unexpected went wrong with these: recorded on the action, set aside, the rest went on. */
  isolated: number;
}

/** A pending action whose vendor could not tell yet is asked again after this long. */
const UNRESOLVED_HOLD_OFF_MS = 30_000;
const BATCH = 25;

/**
 * Resolves actions a crash (or a timed-out call) left `pending`, once their executor's lease ran
 * out. The vendor call is NOT repeated: the vendor's state is read (isBlocked,
 * getContainmentState, isQuarantined, listSessions) and the action becomes `succeeded`
 * (`already_in_state`) when the change is there, `failed` (`not_applied`) when it is not, or
 * `failed` (`outcome_unknown`) when the vendor cannot tell.
 */
@Injectable()
export class ReconcilePendingActionsUseCase {
  private readonly logger = new Logger('ActionReconciliation');

  constructor(
    private readonly connectors: ConnectorOperations,
    private readonly actions: ContainmentActionStore,
    private readonly reporter: ActionReporter,
    private readonly metrics: Metrics,
    private readonly leases: ActionLeases,
  ) {}

  async execute(limit = 100): Promise<ReconciliationReport> {
    const report: ReconciliationReport = { succeeded: 0, failed: 0, unresolved: 0, isolated: 0 };
    let handled = 0;
    while (handled < limit) {
      const holder = leaseHolder('reconcile');
      const stale = await this.actions.claimStalePending(
        holder,
        this.leases.callMs,
        Math.min(BATCH, limit - handled),
      );
      if (stale.length === 0) break;
      for (const action of stale) {
        handled += 1;
        try {
          report[await this.reconcile(action, holder)] += 1;
        } catch (error) {
          report.isolated += 1;
          this.metrics.containmentSweepFailures.inc({ job: 'reconcile' });
          this.logger.error(
            `could not reconcile pending action ${action.id}; set aside: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
          );
          await this.actions
            .release(
              action.id,
              holder,
              { lastReconcileError: { at: new Date().toISOString(), error: String(error).slice(0, 500) } },
              POISONED_HOLD_OFF_MS,
            )
            .catch(() => undefined);
        }
      }
    }
    return report;
  }

  private async reconcile(
    action: ContainmentAction,
    holder: string,
  ): Promise<'succeeded' | 'failed' | 'unresolved'> {
    const connector = action.connectorInstanceId
      ? await this.connectors.findById(action.connectorInstanceId)
      : null;
    let result: ActionResult;
    if (!connector) {
      result = {
        state: 'failed',
        errorCode: ActionFailure.ConnectorNotFound,
        errorMessage: `connector "${action.connectorName}" no longer exists`,
        details: {},
      };
    } else {
      const answer = await this.connectors.observe(connector, action);
      if (answer.ok && answer.observation.state === 'unknown') {
        await this.actions.release(action.id, holder, {}, UNRESOLVED_HOLD_OFF_MS);
        return 'unresolved';
      }
      if (!answer.ok && answer.failure.retryable) {
        await this.actions.release(action.id, holder, {}, UNRESOLVED_HOLD_OFF_MS);
        return 'unresolved';
      }
      result = answer.ok
        ? resultFor(answer.observation.state as 'applied' | 'not_applied' | 'indeterminate')
        : {
            state: 'failed',
            errorCode: answer.failure.errorCode,
            errorMessage: answer.failure.errorMessage,
            details: answer.failure.details,
          };
    }
    const completed = await this.actions.complete(action.id, holder, result, this.leases.callMs, {
      by: 'reconciliation',
      actor: SWEEPER_ACTOR,
    });
    if (!completed) return 'unresolved';
    this.reporter.written(completed);
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
