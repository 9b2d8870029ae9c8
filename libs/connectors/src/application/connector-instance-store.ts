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

export type DeleteResult = 'deleted' | 'not_found' | 'in_use';

/** Persistence of connector instances. */
export abstract class ConnectorInstanceStore {
  abstract list(): Promise<StoredConnectorInstance[]>;
  abstract findByName(name: string): Promise<StoredConnectorInstance | null>;
  abstract findById(id: string): Promise<StoredConnectorInstance | null>;
  /** null when the name is taken. */
  abstract insert(row: ConnectorInstanceRow): Promise<StoredConnectorInstance | null>;
  /** Replaces the row with this id (and name); null when it no longer exists. */
  abstract update(row: ConnectorInstanceRow): Promise<StoredConnectorInstance | null>;
  /**
   * Deletes the instance unless actions still need it: pending ones, or succeeded ones with an
   * expiry the sweeper has yet to lift.
   */
  abstract deleteUnlessInUse(name: string): Promise<DeleteResult>;
}
