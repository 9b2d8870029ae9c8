import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { AuditTrail } from '@rampart/audit';
import { TransactionRunner } from '@rampart/database';
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
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditTrail,
    private readonly egress: Egress,
  ) {}

  async execute(definition: ConnectorDefinition): Promise<ConnectorInstanceView> {
    const instance = toInstance(definition, randomUUID());
    assertValidInstance(instance, this.egress.policy);
    const row = toRow(instance, 'api', this.secrets);
    return this.transactions.run(async (sql) => {
      const stored = await this.store.insert(row, sql);
      if (!stored) {
        throw new ConnectorInstanceError(
          ConnectorInstanceErrorCode.ConnectorNameTaken,
          `a connector named "${instance.name}" already exists`,
          { field: 'name' },
        );
      }
      const view = toView(stored);
      await this.audit.record(sql, {
        action: 'connector.created',
        target: { type: 'connector', id: view.id, name: view.name },
        after: view,
      });
      return view;
    });
  }
}
