import type { EgressPolicy } from '@rampart/egress';

import { Capability } from '../domain/capability';
import { ConnectorIssue } from '../domain/connector-error';
import {
  CONNECTOR_CAPABILITY,
  ConnectorInstance,
  ConnectorSource,
  ConnectorType,
  isValidConnectorName,
} from '../domain/connector-instance';
import { ConnectorInstanceError, ConnectorInstanceErrorCode } from '../domain/connector-instance-error';
import { ConnectorSecretBox } from '../infrastructure/secret-box';
import { ConnectorInstanceRow, StoredConnectorInstance } from './connector-instance-store';
import { validateConnectorInstance } from './connector-registry';

/** A connector instance as an admin writes it (API body or connectors file entry). */
export interface ConnectorDefinition {
  name: string;
  type: string;
  /** Derived from the type when omitted; must match it when given. */
  capability?: string;
  baseUrl: string;
  credentials: Record<string, string>;
  options?: Record<string, unknown>;
}

/** What the API shows of an instance: everything but the credentials, whose field names only are listed. */
export interface ConnectorInstanceView {
  id: string;
  name: string;
  type: ConnectorType;
  capability: Capability;
  baseUrl: string;
  options: Record<string, unknown>;
  credentialFields: string[];
  source: ConnectorSource;
  createdAt: Date;
  updatedAt: Date;
}

export function toView(stored: StoredConnectorInstance): ConnectorInstanceView {
  return {
    id: stored.id,
    name: stored.name,
    type: stored.type,
    capability: stored.capability,
    baseUrl: stored.baseUrl,
    options: stored.options,
    credentialFields: stored.credentialFields,
    source: stored.source,
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
  };
}

export function toInstance(definition: ConnectorDefinition, id: string): ConnectorInstance {
  const type = definition.type as ConnectorType;
  return {
    id,
    name: definition.name,
    type,
    capability: (definition.capability ?? CONNECTOR_CAPABILITY[type]) as Capability,
    baseUrl: definition.baseUrl,
    credentials: definition.credentials,
    options: definition.options ?? {},
  };
}

/** Every problem with an instance, each with its field path; messages never quote values. */
export function instanceIssues(instance: ConnectorInstance, egress?: EgressPolicy): ConnectorIssue[] {
  const issues: ConnectorIssue[] = [];
  if (typeof instance.name !== 'string' || !isValidConnectorName(instance.name)) {
    issues.push({
      path: 'name',
      message: 'must be 1-63 letters, digits, . _ - starting with a letter or digit',
    });
  }
  issues.push(
    ...validateConnectorInstance(instance, egress ? { egress } : {}).filter((issue) => issue.path !== 'name'),
  );
  return issues;
}

export function assertValidInstance(instance: ConnectorInstance, egress?: EgressPolicy): void {
  const issues = instanceIssues(instance, egress);
  const first = issues[0];
  if (first) {
    throw new ConnectorInstanceError(
      ConnectorInstanceErrorCode.InvalidConnector,
      `${first.path}: ${first.message}`,
      {
        field: first.path,
        issues,
      },
    );
  }
}

/** The row to store for a validated instance: credentials sealed under its id, their names in clear. */
export function toRow(
  instance: ConnectorInstance,
  source: ConnectorSource,
  secrets: ConnectorSecretBox,
): ConnectorInstanceRow {
  return {
    id: instance.id,
    name: instance.name,
    type: instance.type,
    capability: instance.capability,
    baseUrl: instance.baseUrl,
    options: instance.options,
    credentialsSealed: secrets.seal(instance.id, instance.credentials),
    credentialFields: Object.keys(instance.credentials).sort(),
    source,
  };
}
