import { HttpStatus } from '@nestjs/common';

import { ApiError } from '@rampart/web';

import { ContainmentError, ContainmentErrorCode } from '../../domain/containment-error';

const STATUS: Readonly<Record<ContainmentErrorCode, HttpStatus>> = {
  [ContainmentErrorCode.ConnectorNotFound]: HttpStatus.NOT_FOUND,
  [ContainmentErrorCode.ActionNotFound]: HttpStatus.NOT_FOUND,
  [ContainmentErrorCode.IncidentNotFound]: HttpStatus.NOT_FOUND,
  [ContainmentErrorCode.IdempotencyKeyReused]: HttpStatus.CONFLICT,
  [ContainmentErrorCode.ActionNotReversible]: HttpStatus.CONFLICT,
  [ContainmentErrorCode.ActionNotActive]: HttpStatus.CONFLICT,
  [ContainmentErrorCode.ActionBusy]: HttpStatus.CONFLICT,
  [ContainmentErrorCode.VendorStateRateLimited]: HttpStatus.TOO_MANY_REQUESTS,
  [ContainmentErrorCode.UnsupportedOperation]: HttpStatus.BAD_REQUEST,
  [ContainmentErrorCode.InvalidTarget]: HttpStatus.BAD_REQUEST,
  [ContainmentErrorCode.ExpiryNotSupported]: HttpStatus.BAD_REQUEST,
  [ContainmentErrorCode.InvalidExpiry]: HttpStatus.BAD_REQUEST,
  [ContainmentErrorCode.InvalidIdempotencyKey]: HttpStatus.BAD_REQUEST,
  [ContainmentErrorCode.InvalidCursor]: HttpStatus.BAD_REQUEST,
  [ContainmentErrorCode.ProtectedAsset]: HttpStatus.CONFLICT,
  [ContainmentErrorCode.BlastRadiusExceeded]: HttpStatus.CONFLICT,
  [ContainmentErrorCode.ProtectedAssetExists]: HttpStatus.CONFLICT,
  [ContainmentErrorCode.ProtectedAssetNotFound]: HttpStatus.NOT_FOUND,
  [ContainmentErrorCode.ProtectedAssetManagedByFile]: HttpStatus.CONFLICT,
  [ContainmentErrorCode.InvalidProtectedAsset]: HttpStatus.BAD_REQUEST,
};

/** Where a command field came from in the request, e.g. `{ id: 'param' }`; the rest is the body. */
export type FieldLocations = Readonly<Record<string, 'param' | 'query' | 'body'>>;

/** Runs `work`, answering a ContainmentError with its HTTP status, code and request field. */
export async function answeringContainmentErrors<T>(
  work: () => Promise<T>,
  locations: FieldLocations = {},
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ContainmentError) throw toApiError(error, locations);
    throw error;
  }
}

function toApiError(error: ContainmentError, locations: FieldLocations): ApiError {
  const place = (field: string) => `${locations[field.split('.')[0] ?? field] ?? 'body'}.${field}`;
  const extra: { field?: string; details?: unknown; retryAfterSeconds?: number } = {};
  if (error.field !== undefined) extra.field = place(error.field);
  if (error.issues !== undefined) {
    extra.details = error.issues.map((issue) => ({ field: place(issue.path), message: issue.message }));
  }
  if (error.retryAfterSeconds !== undefined) extra.retryAfterSeconds = error.retryAfterSeconds;
  if (error.details !== undefined) extra.details = error.details;
  return new ApiError(STATUS[error.code], error.code, error.message, extra);
}
