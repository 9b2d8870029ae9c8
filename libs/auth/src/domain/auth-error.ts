/** Why an authentication or account request was refused; mapped to HTTP at the edge. */
export enum AuthErrorCode {
  InvalidCredentials = 'invalid_credentials',
  LoginLocked = 'login_locked',
  WeakPassword = 'weak_password',
  UsernameTaken = 'username_taken',
  UserNotFound = 'user_not_found',
  LastAdmin = 'last_admin',
  NotALocalUser = 'not_a_local_user',
  NotASession = 'not_a_session',
  ApiKeyNotFound = 'api_key_not_found',
  InvalidExpiry = 'invalid_expiry',
  OidcNotConfigured = 'oidc_not_configured',
  OidcFailed = 'oidc_failed',
  OidcNoRole = 'oidc_no_role',
  OidcUnknownUser = 'oidc_unknown_user',
}

export class AuthError extends Error {
  readonly field?: string;
  /** Seconds until a locked login may be tried again (LoginLocked). */
  readonly retryAfterSeconds?: number;

  constructor(
    readonly code: AuthErrorCode,
    message: string,
    extra: { field?: string; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'AuthError';
    if (extra.field !== undefined) this.field = extra.field;
    if (extra.retryAfterSeconds !== undefined) this.retryAfterSeconds = extra.retryAfterSeconds;
  }
}
