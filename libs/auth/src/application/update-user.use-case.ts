import { Injectable } from '@nestjs/common';

import { AuditTrail } from '@rampart/audit';
import { TransactionRunner } from '@rampart/database';

import { AuthError, AuthErrorCode } from '../domain/auth-error';
import { passwordProblem } from '../domain/password-policy';
import type { UserRole } from '../domain/principal';
import { userTarget, userView } from './auth-audit';
import { assertNotLastAdmin, userNotFound } from './last-admin';
import { LoginThrottleStore } from './login-throttle-store';
import { PasswordHasher } from './password-hasher';
import { SessionStore } from './session-store';
import { type StoredUser, type UserChanges, UserStore } from './user-store';

export interface UpdateUser {
  id: string;
  displayName?: string | null;
  role?: UserRole;
  disabled?: boolean;
  password?: string;
}

/**
 * An admin changes a user: name, role, enabled, password. Disabling a user or setting their
 * password ends their sessions (and a new password lifts a login lockout); the last enabled admin
 * can be neither demoted nor disabled.
 */
@Injectable()
export class UpdateUserUseCase {
  constructor(
    private readonly users: UserStore,
    private readonly sessions: SessionStore,
    private readonly throttle: LoginThrottleStore,
    private readonly hasher: PasswordHasher,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditTrail,
  ) {}

  async execute(command: UpdateUser): Promise<StoredUser> {
    const passwordHash =
      command.password === undefined ? undefined : await this.hasher.hash(command.password);
    return this.transactions.run(async (sql) => {
      const user = await this.users.lock(sql, command.id);
      if (!user) throw userNotFound(command.id);
      const demoted = command.role !== undefined && command.role !== 'admin';
      if (demoted || command.disabled === true) await assertNotLastAdmin(this.users, sql, user);
      const changes: UserChanges = {};
      if (command.displayName !== undefined) changes.displayName = command.displayName;
      if (command.role !== undefined) changes.role = command.role;
      if (command.disabled !== undefined) changes.disabled = command.disabled;
      if (command.password !== undefined) {
        if (user.authSource !== 'local') {
          throw new AuthError(AuthErrorCode.NotALocalUser, 'an OIDC user has no password', {
            field: 'body.password',
          });
        }
        const problem = passwordProblem(command.password, user.username);
        if (problem)
          throw new AuthError(AuthErrorCode.WeakPassword, `password ${problem}`, { field: 'body.password' });
        changes.passwordHash = passwordHash as string;
        await this.throttle.clear(sql, [`account:${user.username}`]);
      }
      const updated = await this.users.update(sql, user.id, changes);
      if (command.disabled === true || command.password !== undefined) {
        await this.sessions.deleteForUser(sql, user.id);
      }
      // The password itself is never said, only that it was set.
      await this.audit.record(sql, {
        action: 'user.updated',
        target: userTarget(updated),
        before: userView(user),
        after: { ...userView(updated), ...(command.password !== undefined ? { passwordSet: true } : {}) },
      });
      return updated;
    });
  }
}
