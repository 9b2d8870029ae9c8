import { Injectable, Logger } from '@nestjs/common';

import { systemActor } from '@rampart/audit';
import { ConnectorOperations } from '@rampart/connectors';
import { Metrics } from '@rampart/metrics';

import { ActionLeases, leaseHolder } from './action-lease';
import { ActionReporter } from './action-reporter';
import { ContainmentActionStore } from './containment-action-store';
import { undoClaimedAction } from './undo-action';

export interface ExpiryReport {
  expired: number;
  /** Undo refused for good: the action is now `rollback_failed`. */
  failed: number;
  /** Vendor unavailable: left `succeeded`, tried again after a while. */
  retrying: number;
  /** Something unexpected went wrong with these: recorded on the action, set aside, the rest went on. */
  isolated: number;
}

export const SWEEPER_PRINCIPAL = 'system:action-sweeper';
/** The audit trail's name for the action sweeper (expiry and reconciliation). */
export const SWEEPER_ACTOR = systemActor('sweeper');
/** A poisoned action (a bug, bad data) is set aside this long before the sweeper tries it again. */
export const POISONED_HOLD_OFF_MS = 15 * 60_000;
const BATCH = 25;

/**
 * Lifts every succeeded action whose `expiresAt` has passed: undo through the connector, undo
 * record, state `expired`. Actions are claimed with leases (SKIP LOCKED, committed), so a
 * concurrent rollback or another sweeper never undoes the same action at the same time, and no
 * transaction is open during a vendor call. One action that fails unexpectedly is recorded,
 * counted and set aside; it never stops the others from being lifted.
 */
@Injectable()
export class ExpireDueActionsUseCase {
  private readonly logger = new Logger('ActionExpiry');

  constructor(
    private readonly connectors: ConnectorOperations,
    private readonly actions: ContainmentActionStore,
    private readonly reporter: ActionReporter,
    private readonly metrics: Metrics,
    private readonly leases: ActionLeases,
  ) {}

  async execute(limit = 100): Promise<ExpiryReport> {
    const report: ExpiryReport = { expired: 0, failed: 0, retrying: 0, isolated: 0 };
    let handled = 0;
    while (handled < limit) {
      const holder = leaseHolder('expiry');
      const due = await this.actions.claimDue(holder, this.leases.callMs, Math.min(BATCH, limit - handled));
      if (due.length === 0) break;
      for (const action of due) {
        handled += 1;
        try {
          const result = await undoClaimedAction(action, this.connectors, this.actions, {
            trigger: 'expiry',
            requestedBy: SWEEPER_PRINCIPAL,
            reason: 'expired',
            holder,
            actor: SWEEPER_ACTOR,
          });
          if (result.undo) this.reporter.written(result.undo);
          if (result.retryLater) report.retrying += 1;
          else if (result.action.state === 'expired') report.expired += 1;
          else report.failed += 1;
        } catch (error) {
          report.isolated += 1;
          await this.isolate(action.id, holder, error);
        }
      }
    }
    return report;
  }

  private async isolate(actionId: string, holder: string, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    this.metrics.containmentSweepFailures.inc({ job: 'expiry' });
    this.logger.error(
      `could not lift expired action ${actionId}; set aside for ${POISONED_HOLD_OFF_MS / 60_000} min: ` +
        `${error instanceof Error ? (error.stack ?? message) : message}`,
    );
    await this.actions
      .release(
        actionId,
        holder,
        { lastExpiryError: { at: new Date().toISOString(), error: message.slice(0, 500) } },
        POISONED_HOLD_OFF_MS,
      )
      .catch((releaseError: unknown) =>
        this.logger.error(`could not set action ${actionId} aside: ${String(releaseError)}`),
      );
  }
}
