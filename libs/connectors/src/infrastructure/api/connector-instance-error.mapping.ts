import { HttpStatus } from '@nestjs/common';

import { ApiError } from '@rampart/web';

import { ConnectorInstanceError, ConnectorInstanceErrorCode } from '../../domain/connector-instance-error';

const STATUS: Readonly<Record<ConnectorInstanceErrorCode, HttpStatus>> = {
  [ConnectorInstanceErrorCode.ConnectorNotFound]: HttpStatus.NOT_FOUND,
  [ConnectorInstanceErrorCode.ConnectorNameTaken]: HttpStatus.CONFLICT,
  [ConnectorInstanceErrorCode.ConnectorManagedByFile]: HttpStatus.CONFLICT,
  [ConnectorInstanceErrorCode.ConnectorInUse]: HttpStatus.CONFLICT,
  [ConnectorInstanceErrorCode.InvalidConnector]: HttpStatus.BAD_REQUEST,
};

/** Where a command field came from in the request, e.g. `{ name: 'param' }`; the rest is the body. */
export type FieldLocations = Readonly<Record<string, 'param' | 'query' | 'body'>>;

/** Runs `work`, answering a ConnectorInstanceError with its HTTP status, code and request field. */
export async function answeringConnectorInstanceErrors<T>(
  work: () => Promise<T>,
  locations: FieldLocations = {},
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ConnectorInstanceError) throw toApiError(error, locations);
    throw error;
  }
}

function toApiError(error: ConnectorInstanceError, locations: FieldLocations): ApiError {
  const place = (field: string) => `${locations[field.split('.')[0] ?? field] ?? 'body'}.${field}`;
  const extra: { field?: string; details?: unknown } = {};
  if (error.field !== undefined) extra.field = place(error.field);
  if (error.issues !== undefined) {
    extra.details = error.issues.map((issue) => ({ field: place(issue.path), message: issue.message }));
  }
  return new ApiError(STATUS[error.code], error.code, error.message, extra);
}
