import { Injectable } from '@nestjs/common';

import type { SqlExecutor } from '@rampart/database';

import { csrfTokenFor, generateSessionSecret, hashSecret } from '../domain/credential-secrets';
import type { UserRole } from '../domain/principal';
import { AuthSettings } from './auth-settings';
import { SessionStore, type SignInMethod } from './session-store';

/** Where a sign-in comes from, kept on the session row for the user's and admins' eyes. */
export interface SignInContext {
  clientAddress: string | null;
  userAgent: string | null;
}

/** A new session: its secret goes into the cookie and nowhere else. */
export interface SignedIn {
  sessionSecret: string;
  csrfToken: string;
  expiresAt: Date;
  user: { id: string; username: string; role: UserRole };
}

/** Opens sessions for password and OIDC sign-ins alike. */
@Injectable()
export class SessionIssuer {
  constructor(
    private readonly sessions: SessionStore,
    private readonly settings: AuthSettings,
  ) {}

  async open(
    sql: SqlExecutor,
    user: SignedIn['user'],
    method: SignInMethod,
    context: SignInContext,
  ): Promise<SignedIn> {
    await this.sessions.purgeExpired(sql, this.settings.sessionIdleSeconds);
    const sessionSecret = generateSessionSecret();
    const { expiresAt } = await this.sessions.create(sql, {
      secretHash: hashSecret(sessionSecret),
      userId: user.id,
      lifetimeSeconds: this.settings.sessionAbsoluteSeconds,
      clientAddress: context.clientAddress?.slice(0, 64) ?? null,
      userAgent: context.userAgent?.slice(0, 512) ?? null,
      method,
    });
    // Only these three fields: callers may hand in a richer row (with a password hash).
    const { id, username, role } = user;
    return { sessionSecret, csrfToken: csrfTokenFor(sessionSecret), expiresAt, user: { id, username, role } };
  }
}
