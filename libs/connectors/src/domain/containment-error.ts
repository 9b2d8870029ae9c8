import { ConnectorIssue } from './connector-error';

/**
 * Why a request about connector instances or containment actions was refused. Vendor failures
 * are not these: they are ConnectorErrors, recorded on the action.
 */
export enum ContainmentErrorCode {
  ConnectorNotFound = 'connector_not_found',
  ConnectorNameTaken = 'connector_name_taken',
  InvalidConnector = 'invalid_connector',
  ConnectorManagedByFile = 'connector_managed_by_file',
  ConnectorInUse = 'connector_in_use',
  ActionNotFound = 'action_not_found',
  UnsupportedOperation = 'unsupported_operation',
  InvalidTarget = 'invalid_target',
  ExpiryNotSupported = 'expiry_not_supported',
  InvalidExpiry = 'invalid_expiry',
  InvalidIdempotencyKey = 'invalid_idempotency_key',
  IdempotencyKeyReused = 'idempotency_key_reused',
  IncidentNotFound = 'incident_not_found',
  ActionNotReversible = 'action_not_reversible',
  ActionNotActive = 'action_not_active',
  InvalidCursor = 'invalid_cursor',
}

export class ContainmentError extends Error {
  readonly field?: string;
  readonly issues?: ConnectorIssue[];

  constructor(
    readonly code: ContainmentErrorCode,
    message: string,
    extra: { field?: string; issues?: ConnectorIssue[] } = {},
  ) {
    super(message);
    this.name = 'ContainmentError';
    if (extra.field !== undefined) this.field = extra.field;
    if (extra.issues !== undefined) this.issues = extra.issues;
  }
}
