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
import { ConnectorInstanceStore, StoredConnectorInstance } from './connector-instance-store';
import { DESTINATION_OPTIONS } from './connector-registry';

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
    private readonly egress: Egress,
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
      // Stored credentials go only where they went before: a new type or a new destination
      // (baseUrl, token endpoint, audience) needs them entered again, or an admin could send them
      // to a listener of their own without ever knowing them.
      const moved = movedDestinations(existing, command);
      if (command.type !== existing.type || moved.length > 0) {
        const message =
          command.type !== existing.type
            ? 'required when the type changes'
            : `required when where the connector connects changes (${moved.join(', ')})`;
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
    assertValidInstance(instance, this.egress.policy);
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

/** The destination fields whose value the update changes. */
function movedDestinations(
  existing: StoredConnectorInstance,
  command: UpdateConnectorInstanceCommand,
): string[] {
  const moved = existing.baseUrl === command.baseUrl ? [] : ['baseUrl'];
  for (const option of DESTINATION_OPTIONS) {
    if (existing.options[option] !== command.options?.[option]) moved.push(`options.${option}`);
  }
  return moved;
}
