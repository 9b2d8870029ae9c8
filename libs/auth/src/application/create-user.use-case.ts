import { Injectable } from '@nestjs/common';

import { AuditTrail } from '@rampart/audit';
import { TransactionRunner } from '@rampart/database';

import { AuthError, AuthErrorCode } from '../domain/auth-error';
import { passwordProblem } from '../domain/password-policy';
import type { UserRole } from '../domain/principal';
import { userTarget, userView } from './auth-audit';
import { PasswordHasher } from './password-hasher';
import { type AuthSource, type StoredUser, UserStore } from './user-store';

export interface CreateUser {
  username: string;
  displayName?: string | null;
  role: UserRole;
  /** `local` needs a password; `oidc` accounts have none and are linked at their first sign-in. */
  authSource: AuthSource;
  password?: string;
}

/** An admin adds a user account. */
@Injectable()
export class CreateUserUseCase {
  constructor(
    private readonly users: UserStore,
    private readonly hasher: PasswordHasher,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditTrail,
  ) {}

  async execute(command: CreateUser): Promise<StoredUser> {
    let passwordHash: string | null = null;
    if (command.authSource === 'local') {
      const problem =
        command.password === undefined
          ? 'is required for a local user'
          : passwordProblem(command.password, command.username);
      if (problem)
        throw new AuthError(AuthErrorCode.WeakPassword, `password ${problem}`, { field: 'body.password' });
      passwordHash = await this.hasher.hash(command.password as string);
    } else if (command.password !== undefined) {
      throw new AuthError(AuthErrorCode.NotALocalUser, 'an OIDC user has no password', {
        field: 'body.password',
      });
    }
    const created = await this.transactions.run(async (sql) => {
      const user = await this.users.insert(sql, {
        username: command.username,
        displayName: command.displayName ?? null,
        role: command.role,
        authSource: command.authSource,
        passwordHash,
        oidcIssuer: null,
        oidcSubject: null,
      });
      if (user) {
        await this.audit.record(sql, {
          action: 'user.created',
          target: userTarget(user),
          after: { ...userView(user), passwordSet: passwordHash !== null },
        });
      }
      return user;
    });
    if (!created) {
      throw new AuthError(AuthErrorCode.UsernameTaken, `a user named "${command.username}" already exists`, {
        field: 'body.username',
      });
    }
    return created;
  }
}
