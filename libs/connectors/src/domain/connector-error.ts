/**
 * The one error every connector operation fails with. Playbooks branch on `code` and `retryable`;
 * `vendorStatus` / `vendorCode` say what the vendor answered. By construction it never holds a
 * credential: messages are written by us (vendor text passes through a redactor first) and no
 * request, header or underlying transport error is ever attached.
 */
export enum ConnectorErrorCode {
  AuthFailed = 'auth_failed',
  NotFound = 'not_found',
  RateLimited = 'rate_limited',
  Timeout = 'timeout',
  Unavailable = 'unavailable',
  InvalidRequest = 'invalid_request',
  VendorError = 'vendor_error',
  CircuitOpen = 'circuit_open',
}

const RETRYABLE_BY_DEFAULT: ReadonlySet<ConnectorErrorCode> = new Set([
  ConnectorErrorCode.RateLimited,
  ConnectorErrorCode.Timeout,
  ConnectorErrorCode.Unavailable,
  ConnectorErrorCode.CircuitOpen,
]);

/** A field-level configuration or parameter problem, e.g. `credentials.clientId: required`. */
export interface ConnectorIssue {
  path: string;
  message: string;
}

export interface ConnectorErrorInit {
  retryable?: boolean;
  /** HTTP status the vendor answered with, when there was an answer. */
  vendorStatus?: number;
  /** The vendor's own error code (`ActiveRequestAlreadyExists`, `E0000007`, PAN-OS `code="7"`...). */
  vendorCode?: string;
  /** Connector type, e.g. `crowdstrike`. */
  connector?: string;
  /** Operation that failed, e.g. `ensureContained`. */
  operation?: string;
  /** Milliseconds the vendor asked us to wait (rate limits). */
  retryAfterMs?: number;
  issues?: ConnectorIssue[];
}

export class ConnectorError extends Error {
  readonly code: ConnectorErrorCode;
  readonly retryable: boolean;
  readonly vendorStatus?: number;
  readonly vendorCode?: string;
  readonly connector?: string;
  readonly operation?: string;
  readonly retryAfterMs?: number;
  readonly issues?: ConnectorIssue[];

  constructor(code: ConnectorErrorCode, message: string, init: ConnectorErrorInit = {}) {
    super(message);
    this.name = 'ConnectorError';
    this.code = code;
    this.retryable = init.retryable ?? RETRYABLE_BY_DEFAULT.has(code);
    if (init.vendorStatus !== undefined) this.vendorStatus = init.vendorStatus;
    if (init.vendorCode !== undefined) this.vendorCode = init.vendorCode;
    if (init.connector !== undefined) this.connector = init.connector;
    if (init.operation !== undefined) this.operation = init.operation;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.issues !== undefined) this.issues = init.issues;
  }

  /** Same error with the connector and operation filled in where they were unknown. */
  withContext(connector: string, operation: string): ConnectorError {
    if (this.connector !== undefined && this.operation !== undefined) return this;
    return new ConnectorError(this.code, this.message, {
      ...this.toInit(),
      connector: this.connector ?? connector,
      operation: this.operation ?? operation,
    });
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, ...this.toInit() };
  }

  private toInit(): ConnectorErrorInit {
    const init: ConnectorErrorInit = { retryable: this.retryable };
    if (this.vendorStatus !== undefined) init.vendorStatus = this.vendorStatus;
    if (this.vendorCode !== undefined) init.vendorCode = this.vendorCode;
    if (this.connector !== undefined) init.connector = this.connector;
    if (this.operation !== undefined) init.operation = this.operation;
    if (this.retryAfterMs !== undefined) init.retryAfterMs = this.retryAfterMs;
    if (this.issues !== undefined) init.issues = this.issues;
    return init;
  }
}

export function isConnectorError(value: unknown): value is ConnectorError {
  return value instanceof ConnectorError;
}

export function invalidRequest(message: string, issues?: ConnectorIssue[]): ConnectorError {
  return new ConnectorError(ConnectorErrorCode.InvalidRequest, message, issues ? { issues } : {});
}
