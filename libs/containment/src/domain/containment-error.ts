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
  /** A protected asset forbids the action; it was recorded as `refused` (details name the rule). */
  ProtectedAsset = 'protected_asset',
  /** A blast-radius limit is reached: a person must approve this action (playbooks ask for it). */
  BlastRadiusExceeded = 'blast_radius_exceeded',
  ProtectedAssetExists = 'protected_asset_exists',
  ProtectedAssetNotFound = 'protected_asset_not_found',
  ProtectedAssetManagedByFile = 'protected_asset_managed_by_file',
  InvalidProtectedAsset = 'invalid_protected_asset',
}

export class ContainmentError extends Error {
  readonly field?: string;
  readonly issues?: ContainmentIssue[];
  readonly retryAfterSeconds?: number;
  /** Machine-readable context (the guardrail rule, the limit and count...). */
  readonly details?: Record<string, unknown>;

  constructor(
    readonly code: ContainmentErrorCode,
    message: string,
    extra: {
      field?: string;
      issues?: ContainmentIssue[];
      retryAfterSeconds?: number;
      details?: Record<string, unknown>;
    } = {},
  ) {
    super(message);
    this.name = 'ContainmentError';
    if (extra.field !== undefined) this.field = extra.field;
    if (extra.issues !== undefined) this.issues = extra.issues;
    if (extra.retryAfterSeconds !== undefined) this.retryAfterSeconds = extra.retryAfterSeconds;
    if (extra.details !== undefined) this.details = extra.details;
  }
}
