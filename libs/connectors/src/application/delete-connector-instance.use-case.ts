import { Injectable } from '@nestjs/common';

import { ContainmentError, ContainmentErrorCode } from '../domain/containment-error';
import { ConnectorInstanceStore } from './connector-instance-store';

/**
 * An admin removes an instance. Refused while actions still need it (pending, or waiting for the
 * sweeper to lift them); its past actions keep the connector's name.
 */
@Injectable()
export class DeleteConnectorInstanceUseCase {
  constructor(private readonly store: ConnectorInstanceStore) {}

  async execute(name: string): Promise<void> {
    const result = await this.store.deleteUnlessInUse(name);
    if (result === 'not_found') {
      throw new ContainmentError(ContainmentErrorCode.ConnectorNotFound, `no connector named "${name}"`, {
        field: 'name',
      });
    }
    if (result === 'in_use') {
      throw new ContainmentError(
        ContainmentErrorCode.ConnectorInUse,
        `connector "${name}" has pending or expiring actions; roll them back or wait for them to expire`,
        { field: 'name' },
      );
    }
  }
}
