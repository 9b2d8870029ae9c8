import type { SqlExecutor } from '@rampart/database';

import type { UserRole } from '../domain/principal';

export type AuthSource = 'local' | 'oidc';

/** A user account as the API shows it: never its password hash. */
export interface StoredUser {
  id: string;
  username: string;
  displayName: string | null;
  role: UserRole;
  /** `local`: signs in with a password; `oidc`: through the identity provider only. */
  authSource: AuthSource;
  /** Set once an OIDC user first signed in. */
  oidcSubject: string | null;
  disabledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  lastLoginAt: Date | null;
}

/** What a password login needs to know of an account. */
export interface UserCredentials {
  id: string;
  username: string;
  role: UserRole;
  passwordHash: string | null;
  disabled: boolean;
}

export interface NewUser {
  username: string;
  displayName: string | null;
  role: UserRole;
  authSource: AuthSource;
  passwordHash: string | null;
  oidcIssuer: string | null;
  oidcSubject: string | null;
}

export interface UserChanges {
  displayName?: string | null;
  role?: UserRole;
  disabled?: boolean;
  passwordHash?: string;
  oidc?: { issuer: string; subject: string };
  /** Makes it a password account (no OIDC link), e.g. the initial admin. */
  local?: true;
}

/** Persistence of user accounts. Writes take the caller's transaction. */
export abstract class UserStore {
  abstract credentialsOf(username: string): Promise<UserCredentials | null>;
  abstract passwordHashOf(id: string): Promise<string | null>;
  abstract list(): Promise<StoredUser[]>;
  abstract findById(id: string): Promise<StoredUser | null>;
  abstract findByUsername(sql: SqlExecutor, username: string): Promise<StoredUser | null>;
  abstract findByOidcSubject(sql: SqlExecutor, issuer: string, subject: string): Promise<StoredUser | null>;
  /** null when the username is taken. */
  abstract insert(sql: SqlExecutor, user: NewUser): Promise<StoredUser | null>;
  /** The row locked for the rest of the transaction; null when there is none. */
  abstract lock(sql: SqlExecutor, id: string): Promise<StoredUser | null>;
  abstract update(sql: SqlExecutor, id: string, changes: UserChanges): Promise<StoredUser>;
  abstract delete(sql: SqlExecutor, id: string): Promise<void>;
  /** Enabled admins other than `exceptId`, their rows locked so two demotions cannot both pass. */
  abstract otherActiveAdmins(sql: SqlExecutor, exceptId: string | null): Promise<number>;
  abstract recordLogin(sql: SqlExecutor, id: string): Promise<void>;
}
