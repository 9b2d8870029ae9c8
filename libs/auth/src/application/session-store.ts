import type { SqlExecutor } from '@rampart/database';

import type { UserRole } from '../domain/principal';

export type SignInMethod = 'password' | 'oidc';

export interface NewSession {
  secretHash: string;
  userId: string;
  /** Seconds from now until the session ends whatever its use (absolute timeout). */
  lifetimeSeconds: number;
  clientAddress: string | null;
  userAgent: string | null;
  method: SignInMethod;
}

/** A live session and the user it belongs to. */
export interface ActiveSession {
  sessionId: string;
  userId: string;
  username: string;
  role: UserRole;
  expiresAt: Date;
}

/** Persistence of console sessions: rows keyed by the SHA-256 of the cookie's secret. */
export abstract class SessionStore {
  abstract create(sql: SqlExecutor, session: NewSession): Promise<{ id: string; expiresAt: Date }>;
  /**
   * The session with this hash if it is neither past its absolute end nor idle longer than
   * `idleSeconds`, and its user is enabled; its last-seen time is refreshed.
   */
  abstract active(secretHash: string, idleSeconds: number): Promise<ActiveSession | null>;
  /** Ends the session; returns what it was, or null. */
  abstract delete(sql: SqlExecutor, secretHash: string): Promise<{ id: string; userId: string } | null>;
  /** Ends every session of a user but `keepSessionId`; returns how many. */
  abstract deleteForUser(sql: SqlExecutor, userId: string, keepSessionId?: string): Promise<number>;
  /** Removes sessions that can no longer be used. */
  abstract purgeExpired(sql: SqlExecutor, idleSeconds: number): Promise<number>;
}
