import { Injectable } from '@nestjs/common';

import { csrfTokenFor, hashSecret } from '../domain/credential-secrets';
import type { Principal } from '../domain/principal';
import { ApiKeyAuthenticationCache } from './api-key-authentication-cache';
import { AuthSettings } from './auth-settings';
import { SessionStore } from './session-store';

/** Why credentials were refused, as the 401 says it. */
export interface AuthenticationFailure {
  code: 'invalid_api_key' | 'api_key_revoked' | 'api_key_expired' | 'session_expired';
  message: string;
}

export type Authentication = { principal: Principal } | { failure: AuthenticationFailure };

/**
 * Resolves who is calling from what the request's headers carry: an API key or a session
 * secret. Never sees a body; runs before any is read.
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly keys: ApiKeyAuthenticationCache,
    private readonly sessions: SessionStore,
    private readonly settings: AuthSettings,
  ) {}

  async byApiKey(key: string): Promise<Authentication> {
    const found = key.length <= 512 ? await this.keys.presented(hashSecret(key)) : null;
    if (!found) return { failure: { code: 'invalid_api_key', message: 'the API key is unknown' } };
    if (found.revoked) return { failure: { code: 'api_key_revoked', message: 'the API key was revoked' } };
    if (found.expired) return { failure: { code: 'api_key_expired', message: 'the API key has expired' } };
    return { principal: { kind: 'api_key', id: found.id, name: found.name, role: found.role } };
  }

  async bySession(secret: string): Promise<Authentication> {
    const session =
      secret.length <= 128
        ? await this.sessions.active(hashSecret(secret), this.settings.sessionIdleSeconds)
        : null;
    if (!session) {
      return { failure: { code: 'session_expired', message: 'the session has ended: sign in again' } };
    }
    return {
      principal: {
        kind: 'user',
        id: session.userId,
        name: session.username,
        role: session.role,
        sessionId: session.sessionId,
        csrfToken: csrfTokenFor(secret),
        sessionExpiresAt: session.expiresAt,
      },
    };
  }
}
