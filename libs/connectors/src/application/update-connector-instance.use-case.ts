import { Injectable } from '@nestjs/common';

import { AuditTrail } from '@rampart/audit';
import { TransactionRunner } from '@rampart/database';

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

export interface UpdateConnectorInstanceCommand extends Omit<ConnectorDefinition, 'credentials'> {
  /** Omitted = keep the stored credentials (allowed only while the type stays the same). */
  credentials?: Record<string, string>;
}

/**
 * An admin replaces an instance's configuration. Instances from CONNECTORS_FILE are refused: the
 * file would put them back at the next start.
 */
@Injectable()
export class UpdateConnectorInstanceUseCase {
  constructor(
    private readonly store: ConnectorInstanceStore,
    private readonly secrets: ConnectorSecretBox,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditTrail,
  ) {}

  async execute(command: UpdateConnectorInstanceCommand): Promise<ConnectorInstanceView> {
    const existing = await this.store.findByName(command.name);
    if (!existing) {
      throw new ConnectorInstanceError(
        ConnectorInstanceErrorCode.ConnectorNotFound,
        `no connector named "${command.name}"`,
        {
          field: 'name',
        },
      );
    }
    if (existing.source === 'file') {
      throw new ConnectorInstanceError(
        ConnectorInstanceErrorCode.ConnectorManagedByFile,
        `connector "${command.name}" is defined in CONNECTORS_FILE; change it there`,
        { field: 'name' },
      );
    }
    let credentials = command.credentials;
    if (credentials === undefined) {
      if (command.type !== existing.type) {
        const message = 'required when the type changes';
        throw new ConnectorInstanceError(
          ConnectorInstanceErrorCode.InvalidConnector,
          `credentials: ${message}`,
          {
            field: 'credentials',
            issues: [{ path: 'credentials', message }],
          },
        );
      }
      credentials = this.secrets.open(existing.id, existing.credentialsSealed);
    }
    const instance = toInstance({ ...command, credentials }, existing.id);
    assertValidInstance(instance);
    const row = toRow(instance, 'api', this.secrets);
    return this.transactions.run(async (sql) => {
      const stored = await this.store.update(row, sql);
      if (!stored) {
        throw new ConnectorInstanceError(
          ConnectorInstanceErrorCode.ConnectorNotFound,
          `no connector named "${command.name}"`,
          {
            field: 'name',
          },
        );
      }
      const view = toView(stored);
      await this.audit.record(sql, {
        action: 'connector.updated',
        target: { type: 'connector', id: view.id, name: view.name },
        // Credentials are never recorded; that they were replaced is.
        before: toView(existing),
        after: { ...view, credentialsReplaced: command.credentials !== undefined },
      });
      return view;
    });
  }
}
