import { Injectable } from '@nestjs/common';

import { AuditTrail } from '@rampart/audit';
import { TransactionRunner } from '@rampart/database';

import { AuthError, AuthErrorCode } from '../domain/auth-error';
import { passwordProblem } from '../domain/password-policy';
import type { UserPrincipal } from '../domain/principal';
import { PasswordHasher } from './password-hasher';
import { SessionStore } from './session-store';
import { UserStore } from './user-store';

/** A signed-in user changes their password; their other sessions end. */
@Injectable()
export class ChangeOwnPasswordUseCase {
  constructor(
    private readonly users: UserStore,
    private readonly sessions: SessionStore,
    private readonly hasher: PasswordHasher,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditTrail,
  ) {}

  async execute(command: {
    user: UserPrincipal;
    currentPassword: string;
    newPassword: string;
  }): Promise<void> {
    const { user } = command;
    const hash = await this.users.passwordHashOf(user.id);
    if (hash === null) {
      throw new AuthError(AuthErrorCode.NotALocalUser, 'this account signs in through the identity provider');
    }
    if (!(await this.hasher.verify(hash, command.currentPassword))) {
      throw new AuthError(AuthErrorCode.InvalidCredentials, 'the current password is wrong', {
        field: 'body.currentPassword',
      });
    }
    const problem = passwordProblem(command.newPassword, user.name);
    if (problem) {
      throw new AuthError(AuthErrorCode.WeakPassword, `the new password ${problem}`, {
        field: 'body.newPassword',
      });
    }
    const passwordHash = await this.hasher.hash(command.newPassword);
    await this.transactions.run(async (sql) => {
      await this.users.update(sql, user.id, { passwordHash });
      const ended = await this.sessions.deleteForUser(sql, user.id, user.sessionId);
      await this.audit.record(sql, {
        action: 'user.password_changed',
        target: { type: 'user', id: user.id, name: user.name },
        after: { otherSessionsEnded: ended },
      });
    });
  }
}
