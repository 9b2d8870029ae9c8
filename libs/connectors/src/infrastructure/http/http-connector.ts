import { isValidIdempotencyKey } from '../../domain/action-outcome';
import { CircuitBreaker } from '../../domain/circuit-breaker';
import { ConnectorError, ConnectorErrorCode, invalidRequest } from '../../domain/connector-error';
import { HttpTransport, HttpTransportOptions } from './http-transport';
import { ConnectorRuntime, ResilienceOptions, ResolvedRuntime, resolveRuntime } from './runtime';

/** Settings every HTTP adapter takes besides its credentials and vendor options. */
export interface HttpConnectorSettings {
  /** Instance name (shown in errors and logs). */
  name: string;
  /** The only place the adapter sends requests. */
  baseUrl: string;
  resilience?: ResilienceOptions;
  runtime?: ConnectorRuntime;
}

/** Runtime, breaker and transport for one connector instance. */
export function createTransport(
  settings: HttpConnectorSettings,
  options: Omit<HttpTransportOptions, 'baseUrl' | 'runtime' | 'breaker'> & {
    runtime?: ResolvedRuntime;
    breaker?: CircuitBreaker;
  },
): HttpTransport {
  const runtime = options.runtime ?? resolveRuntime(settings.runtime, settings.resilience);
  return new HttpTransport({
    ...options,
    baseUrl: settings.baseUrl,
    runtime,
    breaker: options.breaker ?? new CircuitBreaker(runtime.breaker, runtime.clock),
  });
}

/**
 * Run one operation: ConnectorErrors pass through with context; anything else (a vendor answer of
 * an unexpected shape, a bug) becomes a `vendor_error` without the original, which might quote a
 * request.
 */
export async function guard<T>(connector: string, operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (failure) {
    if (failure instanceof ConnectorError) throw failure.withContext(connector, operation);
    throw new ConnectorError(ConnectorErrorCode.VendorError, 'unexpected vendor response', {
      connector,
      operation,
      retryable: false,
    });
  }
}

/** Runs `work`; a `not_found` ConnectorError becomes `false` (the lookup found nothing). */
export async function found(work: () => Promise<unknown>): Promise<boolean> {
  try {
    await work();
    return true;
  } catch (failure) {
    if (failure instanceof ConnectorError && failure.code === ConnectorErrorCode.NotFound) return false;
    throw failure;
  }
}

/** Vendor job ids that are GUIDs (MDE machine actions, Falcon RTR cloud requests). */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A test address (RFC 5737 TEST-NET-1) for read-only connection checks; never blocked by us. */
export const CHECK_ADDRESS = '192.0.2.1';
/** A host and user name for read-only lookups in connection checks; expected not to exist. */
export const CHECK_NAME = 'rampart-connection-check';

/** Narrow an unknown JSON value to a record. */
export function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

export function asDate(value: unknown): Date | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Vendor comment text carrying the idempotency key, so the vendor's audit trail links back. */
export function vendorComment(
  options: { idempotencyKey?: string; comment?: string } | undefined,
  fallback: string,
): string {
  // eslint-disable-next-line no-control-regex -- vendor comments get no control characters
  const text = (options?.comment ?? fallback).replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 200);
  return options?.idempotencyKey ? `[rampart:${options.idempotencyKey}] ${text}` : text;
}

/** Refuse idempotency keys that could not travel safely in a vendor comment or header. */
export function checkOperationOptions(options: { idempotencyKey?: string } | undefined): void {
  if (options?.idempotencyKey !== undefined && !isValidIdempotencyKey(options.idempotencyKey)) {
    throw invalidRequest('idempotencyKey must be 1-128 characters of A-Z a-z 0-9 . _ : @ -');
  }
}
