import { setTimeout as sleep } from 'node:timers/promises';

import { Injectable } from '@nestjs/common';

import type { AuditActor } from '@rampart/audit';
import { ConnectorOperations, isReversible } from '@rampart/connectors';

import { ContainmentAction } from '../domain/containment-action';
import { ContainmentError, ContainmentErrorCode } from '../domain/containment-error';
import { ActionLeases, leaseHolder } from './action-lease';
import { ActionReporter } from './action-reporter';
import { ContainmentActionStore } from './containment-action-store';
import { undoClaimedAction } from './undo-action';

export interface RollbackActionCommand {
  actionId: string;
  requestedBy: string;
  reason?: string;
  /** Who the audit trail names: the request's caller when absent. */
  actor?: AuditActor;
}

export interface RollbackActionResult {
  /** The original action: `rolled_back` (or `expired`) when undone, `rollback_failed` when the vendor refused. */
  action: ContainmentAction;
  /** This attempt's undo record; null when the action had already been undone (nothing was sent). */
  undo: ContainmentAction | null;
}

/** How long a rollback waits for another undo of the same action (the sweeper's) to finish. */
export const BUSY_WAIT_MS = 15_000;
const BUSY_POLL_MS = 250;

/**
 * An analyst undoes a containment action (unblock, release, unquarantine). Idempotent: an action
 * already rolled back or expired is answered as it is, without a vendor call. A failed rollback
 * (`rollback_failed`) may be requested again. While another undo holds the action (the sweeper
 * lifting it at expiry), the rollback waits for it, then answers what it did.
 */
@Injectable()
export class RollbackActionUseCase {
  constructor(
    private readonly connectors: ConnectorOperations,
    private readonly actions: ContainmentActionStore,
    private readonly reporter: ActionReporter,
    private readonly leases: ActionLeases,
  ) {}

  async execute(command: RollbackActionCommand): Promise<RollbackActionResult> {
    const holder = leaseHolder('rollback');
    const deadline = Date.now() + BUSY_WAIT_MS;
    for (;;) {
      const claim = await this.actions.claimForUndo(
        command.actionId,
        holder,
        this.leases.callMs,
        command.actor,
      );
      if (claim === null) {
        throw new ContainmentError(ContainmentErrorCode.ActionNotFound, `no action ${command.actionId}`, {
          field: 'id',
        });
      }
      if (claim.claimed) {
        const undone = await undoClaimedAction(claim.action, this.connectors, this.actions, {
          trigger: 'rollback',
          requestedBy: command.requestedBy,
          reason: command.reason ?? null,
          holder,
          actor: command.actor,
        });
        if (undone.undo) this.reporter.written(undone.undo);
        return { action: undone.action, undo: undone.undo };
      }
      const { action } = claim;
      if (!isReversible(action.operation)) {
        throw new ContainmentError(
          ContainmentErrorCode.ActionNotReversible,
          `${action.operation} cannot be rolled back${undoHint(action)}`,
          { field: 'id' },
        );
      }
      if (action.state === 'rolled_back' || action.state === 'expired') return { action, undo: null };
      if (claim.reason === 'not_undoable') {
        throw new ContainmentError(
          ContainmentErrorCode.ActionNotActive,
          `the action is ${action.state}: only a succeeded action can be rolled back`,
          { field: 'id' },
        );
      }
      if (Date.now() >= deadline) {
        throw new ContainmentError(
          ContainmentErrorCode.ActionBusy,
          'another undo of this action (the expiry sweeper, or another rollback) is still talking to the vendor; ask again shortly',
          { field: 'id' },
        );
      }
      await sleep(BUSY_POLL_MS);
    }
  }
}

function undoHint(action: ContainmentAction): string {
  switch (action.operation) {
    case 'disconnect_sessions':
      return ': ended sessions cannot be restored';
    case 'notify':
      return ': a sent notification cannot be recalled';
    case 'collect_forensics':
      return ': a collected package is evidence, not a change';
    default:
      return ': it is itself an undo; execute the opposite operation instead';
  }
}
