import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { Egress } from '@rampart/egress';

import { ConnectorInstanceError, ConnectorInstanceErrorCode } from '../domain/connector-instance-error';
import { ConnectorSecretBox } from '../infrastructure/secret-box';
import {
  assertValidInstance,
  ConnectorDefinition,
  ConnectorInstanceView,
  toInstance,
  toRow,
  toView,
} from './connector-definition';
import { ConnectorInstanceStore } from './connector-instance-store';

/** An admin adds a connector instance; its credentials are sealed before they reach the database. */
@Injectable()
export class CreateConnectorInstanceUseCase {
  constructor(
    private readonly store: ConnectorInstanceStore,
    private readonly secrets: ConnectorSecretBox,
    private readonly egress: Egress,
  ) {}

  async execute(definition: ConnectorDefinition): Promise<ConnectorInstanceView> {
    const instance = toInstance(definition, randomUUID());
    assertValidInstance(instance, this.egress.policy);
    const stored = await this.store.insert(toRow(instance, 'api', this.secrets));
    if (!stored) {
      throw new ConnectorInstanceError(
        ConnectorInstanceErrorCode.ConnectorNameTaken,
        `a connector named "${instance.name}" already exists`,
        { field: 'name' },
      );
    }
    return toView(stored);
  }
}
