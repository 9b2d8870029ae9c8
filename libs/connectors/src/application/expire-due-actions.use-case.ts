import { Injectable } from '@nestjs/common';

import { ActionReporter } from './action-reporter';
import { ConnectorInstanceStore } from './connector-instance-store';
import { ConnectorResolver } from './connector-resolver';
import { ContainmentActionStore } from './containment-action-store';
import { undoLockedAction } from './undo-locked-action';

export interface ExpiryReport {
  expired: number;
  /** Undo refused for good: the action is now `rollback_failed`. */
  failed: number;
  /** Vendor unavailable: left `succeeded`, tried again next pass. */
  retrying: number;
}

export const SWEEPER_PRINCIPAL = 'system:action-sweeper';

/**
 * Lifts every succeeded action whose `expiresAt` has passed: undo through the connector, undo
 * record, state `expired`. Each action is claimed with FOR UPDATE SKIP LOCKED, so a concurrent
 * rollback or another sweeper never undoes the same action at the same time.
 */
@Injectable()
export class ExpireDueActionsUseCase {
  constructor(
    private readonly instances: ConnectorInstanceStore,
    private readonly actions: ContainmentActionStore,
    private readonly resolver: ConnectorResolver,
    private readonly reporter: ActionReporter,
  ) {}

  async execute(limit = 100): Promise<ExpiryReport> {
    const report: ExpiryReport = { expired: 0, failed: 0, retrying: 0 };
    const seen: string[] = [];
    while (seen.length < limit) {
      const result = await this.actions.withNextDue(seen, (locked) => {
        seen.push(locked.action.id);
        return undoLockedAction(locked, this.instances, this.resolver, {
          trigger: 'expiry',
          requestedBy: SWEEPER_PRINCIPAL,
          reason: 'expired',
        });
      });
      if (result === null) break;
      if (result.undo) this.reporter.written(result.undo);
      if (result.retryLater) report.retrying += 1;
      else if (result.action.state === 'expired') report.expired += 1;
      else report.failed += 1;
    }
    return report;
  }
}
