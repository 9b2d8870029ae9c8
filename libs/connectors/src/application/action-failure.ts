import { ConnectorErrorCode, isConnectorError } from '../domain/connector-error';

/** A failed vendor call, as written onto an action record. */
export interface ActionFailureInfo {
  errorCode: string;
  errorMessage: string;
  details: Record<string, unknown>;
  retryable: boolean;
  /** The request may have reached the vendor (a timeout): the outcome is unknown, not failed. */
  mayHaveLanded: boolean;
}

/**
 * The record of a ConnectorError. Its message is ours (vendor text already scrubbed of
 * credentials), so it can be stored and shown. Anything else is a bug: undefined, so the caller
 * rethrows and the error filter logs it with an error id.
 */
export function failureOf(error: unknown): ActionFailureInfo | undefined {
  if (!isConnectorError(error)) return undefined;
  const details: Record<string, unknown> = { retryable: error.retryable };
  if (error.vendorStatus !== undefined) details.vendorStatus = error.vendorStatus;
  if (error.vendorCode !== undefined) details.vendorCode = error.vendorCode;
  if (error.retryAfterMs !== undefined) details.retryAfterMs = error.retryAfterMs;
  if (error.issues !== undefined) details.issues = error.issues;
  return {
    errorCode: error.code,
    errorMessage: error.message,
    details,
    retryable: error.retryable,
    mayHaveLanded: error.code === ConnectorErrorCode.Timeout,
  };
}

/** A vendor failure as an API answer shows it (checks, vendor-state queries). */
export interface VendorErrorView {
  code: string;
  message: string;
  retryable: boolean;
  vendorStatus?: number;
}

export function errorView(failure: ActionFailureInfo): VendorErrorView {
  const vendorStatus = failure.details.vendorStatus;
  return {
    code: failure.errorCode,
    message: failure.errorMessage,
    retryable: failure.retryable,
    ...(typeof vendorStatus === 'number' ? { vendorStatus } : {}),
  };
}
