import type { SqlExecutor } from '@rampart/database';

import { Capability } from '../domain/capability';
import { ConnectorSource, ConnectorType } from '../domain/connector-instance';

/** A stored connector instance: configuration in clear, credentials sealed. */
export interface StoredConnectorInstance {
  id: string;
  name: string;
  type: ConnectorType;
  capability: Capability;
  baseUrl: string;
  options: Record<string, unknown>;
  /** Sealed with ConnectorSecretBox under this row's id. */
  credentialsSealed: string;
  /** Names of the credential fields (not secret), so listings need not decrypt. */
  credentialFields: string[];
  source: ConnectorSource;
  createdAt: Date;
  updatedAt: Date;
}

export type ConnectorInstanceRow = Omit<StoredConnectorInstance, 'createdAt' | 'updatedAt'>;

/** Actions that keep an instance from being deleted, by why. */
export interface ActionsInUse {
  /** Outcome not yet known; reconciliation needs the connector to ask the vendor. */
  pending: number;
  /** In force with an expiry; the sweeper needs the connector to lift them. */
  expiring: number;
  /** In force without an expiry (a permanent block, an isolated host); only a rollback lifts them. */
  permanent: number;
}

export type DeleteResult =
  { result: 'deleted' } | { result: 'not_found' } | { result: 'in_use'; actions: ActionsInUse };

/** Persistence of connector instances. */
export abstract class ConnectorInstanceStore {
  abstract list(): Promise<StoredConnectorInstance[]>;
  abstract findByName(name: string): Promise<StoredConnectorInstance | null>;
  abstract findById(id: string): Promise<StoredConnectorInstance | null>;
  /** null when the name is taken. `sql`: the caller's transaction, if any. */
  abstract insert(row: ConnectorInstanceRow, sql?: SqlExecutor): Promise<StoredConnectorInstance | null>;
  /** Replaces the row with this id (and name); null when it no longer exists. */
  abstract update(row: ConnectorInstanceRow, sql?: SqlExecutor): Promise<StoredConnectorInstance | null>;
  /**
   * Deletes the instance unless actions still need it: pending ones, succeeded ones with an expiry
   * the sweeper has yet to lift, and (unless `allowPermanent`) reversible ones still in force.
   */
  abstract deleteUnlessInUse(
    name: string,
    options: { allowPermanent: boolean },
    /** Runs in the deleting transaction, after the delete (the audit entry). */
    afterDelete?: (sql: SqlExecutor, deleted: StoredConnectorInstance) => Promise<void>,
  ): Promise<DeleteResult>;
}
