import { HttpStatus } from '@nestjs/common';
import type { Response } from 'express';

import { ApiError } from '@rampart/web';

import { AuthError, AuthErrorCode } from '../../domain/auth-error';

const STATUS: Readonly<Record<AuthErrorCode, HttpStatus>> = {
  [AuthErrorCode.InvalidCredentials]: HttpStatus.UNAUTHORIZED,
  [AuthErrorCode.LoginLocked]: HttpStatus.TOO_MANY_REQUESTS,
  [AuthErrorCode.WeakPassword]: HttpStatus.BAD_REQUEST,
  [AuthErrorCode.UsernameTaken]: HttpStatus.CONFLICT,
  [AuthErrorCode.UserNotFound]: HttpStatus.NOT_FOUND,
  [AuthErrorCode.LastAdmin]: HttpStatus.CONFLICT,
  [AuthErrorCode.NotALocalUser]: HttpStatus.BAD_REQUEST,
  [AuthErrorCode.NotASession]: HttpStatus.BAD_REQUEST,
  [AuthErrorCode.ApiKeyNotFound]: HttpStatus.NOT_FOUND,
  [AuthErrorCode.InvalidExpiry]: HttpStatus.BAD_REQUEST,
  [AuthErrorCode.OidcNotConfigured]: HttpStatus.NOT_FOUND,
  [AuthErrorCode.OidcFailed]: HttpStatus.UNAUTHORIZED,
  [AuthErrorCode.OidcNoRole]: HttpStatus.FORBIDDEN,
  [AuthErrorCode.OidcUnknownUser]: HttpStatus.FORBIDDEN,
};

export function authErrorStatus(error: AuthError): HttpStatus {
  return STATUS[error.code];
}

/**
 * Runs `work`, answering an AuthError with its HTTP status, code and field; a locked login also
 * says when to retry (`Retry-After`).
 */
export async function answeringAuthErrors<T>(work: () => Promise<T>, response?: Response): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    if (error.retryAfterSeconds !== undefined)
      response?.setHeader('Retry-After', String(error.retryAfterSeconds));
    throw new ApiError(
      STATUS[error.code],
      error.code,
      error.message,
      error.field ? { field: error.field } : {},
    );
  }
}
