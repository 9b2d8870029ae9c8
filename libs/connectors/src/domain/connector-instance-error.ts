import { ConnectorIssue } from './connector-error';

/**
 * Why a request about connector instances was refused (create, update, delete, check). Vendor
 * failures are not these: they are ConnectorErrors.
 */
export enum ConnectorInstanceErrorCode {
  ConnectorNotFound = 'connector_not_found',
  ConnectorNameTaken = 'connector_name_taken',
  InvalidConnector = 'invalid_connector',
  ConnectorManagedByFile = 'connector_managed_by_file',
  ConnectorInUse = 'connector_in_use',
}

export class ConnectorInstanceError extends Error {
  readonly field?: string;
  readonly issues?: ConnectorIssue[];

  constructor(
    readonly code: ConnectorInstanceErrorCode,
    message: string,
    extra: { field?: string; issues?: ConnectorIssue[] } = {},
  ) {
    super(message);
    this.name = 'ConnectorInstanceError';
    if (extra.field !== undefined) this.field = extra.field;
    if (extra.issues !== undefined) this.issues = extra.issues;
  }
}
