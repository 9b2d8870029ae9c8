import { Injectable } from '@nestjs/common';

import { ContainmentAction } from '../domain/containment-action';
import { ContainmentError, ContainmentErrorCode } from '../domain/containment-error';
import { isReversible } from '../domain/containment-operation';
import { ActionReporter } from './action-reporter';
import { ConnectorInstanceStore } from './connector-instance-store';
import { ConnectorResolver } from './connector-resolver';
import { ContainmentActionStore } from './containment-action-store';
import { undoLockedAction } from './undo-locked-action';

export interface RollbackActionCommand {
  actionId: string;
  requestedBy: string;
  reason?: string;
}

export interface RollbackActionResult {
  /** The original action: `rolled_back` (or `expired`) when undone, `rollback_failed` when the vendor refused. */
  action: ContainmentAction;
  /** This attempt's undo record; null when the action had already been undone (nothing was sent). */
  undo: ContainmentAction | null;
}

/**
 * An analyst undoes a containment action (unblock, release, unquarantine). Idempotent: an action
 * already rolled back or expired is answered as it is, without a vendor call. A failed rollback
 * (`rollback_failed`) may be requested again.
 */
@Injectable()
export class RollbackActionUseCase {
  constructor(
    private readonly instances: ConnectorInstanceStore,
    private readonly actions: ContainmentActionStore,
    private readonly resolver: ConnectorResolver,
    private readonly reporter: ActionReporter,
  ) {}

  async execute(command: RollbackActionCommand): Promise<RollbackActionResult> {
    const result = await this.actions.withLocked(
      command.actionId,
      async (locked): Promise<RollbackActionResult> => {
        const { action } = locked;
        if (!isReversible(action.operation)) {
          throw new ContainmentError(
            ContainmentErrorCode.ActionNotReversible,
            `${action.operation} cannot be rolled back${undoHint(action)}`,
            { field: 'id' },
          );
        }
        if (action.state === 'rolled_back' || action.state === 'expired') return { action, undo: null };
        if (action.state !== 'succeeded' && action.state !== 'rollback_failed') {
          throw new ContainmentError(
            ContainmentErrorCode.ActionNotActive,
            `the action is ${action.state}: only a succeeded action can be rolled back`,
            { field: 'id' },
          );
        }
        const undone = await undoLockedAction(locked, this.instances, this.resolver, {
          trigger: 'rollback',
          requestedBy: command.requestedBy,
          reason: command.reason ?? null,
        });
        return { action: undone.action, undo: undone.undo };
      },
    );
    if (result === null) {
      throw new ContainmentError(ContainmentErrorCode.ActionNotFound, `no action ${command.actionId}`, {
        field: 'id',
      });
    }
    if (result.undo) this.reporter.written(result.undo);
    return result;
  }
}

function undoHint(action: ContainmentAction): string {
  switch (action.operation) {
    case 'disconnect_sessions':
      return ': ended sessions cannot be restored';
    case 'notify':
      return ': a sent notification cannot be recalled';
    default:
      return ': it is itself an undo; execute the opposite operation instead';
  }
}
