/** A field-level problem, e.g. `{ path: 'target', message: '...' }`. */
export interface ContainmentIssue {
  path: string;
  message: string;
}

/**
 * Why a request about a containment action was refused. Vendor failures are not these: they are
 * recorded on the action (state `failed` with the connector's error code).
 */
export enum ContainmentErrorCode {
  ConnectorNotFound = 'connector_not_found',
  ActionNotFound = 'action_not_found',
  UnsupportedOperation = 'unsupported_operation',
  InvalidTarget = 'invalid_target',
  ExpiryNotSupported = 'expiry_not_supported',
  InvalidExpiry = 'invalid_expiry',
  InvalidIdempotencyKey = 'invalid_idempotency_key',
  /** The key was used for a different request (target, connector, operation, expiry, reason or incident). */
  IdempotencyKeyReused = 'idempotency_key_reused',
  IncidentNotFound = 'incident_not_found',
  ActionNotReversible = 'action_not_reversible',
  ActionNotActive = 'action_not_active',
  /** Another undo (the sweeper, another rollback) holds the action right now. */
  ActionBusy = 'action_busy',
  /** The vendor was asked about this action moments ago; ask again after `retryAfterSeconds`. */
  VendorStateRateLimited = 'vendor_state_rate_limited',
  InvalidCursor = 'invalid_cursor',
}

export class ContainmentError extends Error {
  readonly field?: string;
  readonly issues?: ContainmentIssue[];
  readonly retryAfterSeconds?: number;

  constructor(
    readonly code: ContainmentErrorCode,
    message: string,
    extra: { field?: string; issues?: ContainmentIssue[]; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'ContainmentError';
    if (extra.field !== undefined) this.field = extra.field;
    if (extra.issues !== undefined) this.issues = extra.issues;
    if (extra.retryAfterSeconds !== undefined) this.retryAfterSeconds = extra.retryAfterSeconds;
  }
}
