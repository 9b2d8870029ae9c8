import { Injectable } from '@nestjs/common';

import { ConnectorInstanceError, ConnectorInstanceErrorCode } from '../domain/connector-instance-error';
import { ActionsInUse, ConnectorInstanceStore } from './connector-instance-store';

export interface DeleteConnectorInstanceCommand {
  name: string;
  /**
   * Delete even though reversible actions without an expiry are still in force. They stay in force
   * at the vendor and can no longer be rolled back through Rampart.
   */
  force?: boolean;
}

/**
 * An admin removes an instance. Refused while actions still need it: pending ones (reconciliation
 * asks the vendor through it), expiring ones (the sweeper lifts them through it), and, unless
 * forced, permanent ones still in force (a rollback needs it). Past actions keep the connector's
 * name.
 */
@Injectable()
export class DeleteConnectorInstanceUseCase {
  constructor(private readonly store: ConnectorInstanceStore) {}

  async execute(command: DeleteConnectorInstanceCommand): Promise<void> {
    const { name } = command;
    const deleted = await this.store.deleteUnlessInUse(name, { allowPermanent: command.force === true });
    if (deleted.result === 'not_found') {
      throw new ConnectorInstanceError(
        ConnectorInstanceErrorCode.ConnectorNotFound,
        `no connector named "${name}"`,
        {
          field: 'name',
        },
      );
    }
    if (deleted.result === 'in_use') {
      throw new ConnectorInstanceError(
        ConnectorInstanceErrorCode.ConnectorInUse,
        inUseMessage(name, deleted.actions),
        {
          field: 'name',
        },
      );
    }
  }
}

function inUseMessage(name: string, actions: ActionsInUse): string {
  if (actions.pending > 0 || actions.expiring > 0) {
    return (
      `connector "${name}" has ${count(actions.pending, 'pending action')} and ` +
      `${count(actions.expiring, 'expiring action')}; ` +
      'roll them back or wait for them to settle and expire'
    );
  }
  return (
    `connector "${name}" has ${count(actions.permanent, 'action')} still in force without an expiry; ` +
    'roll them back first, or delete with force=true to leave them in place at the vendor'
  );
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
