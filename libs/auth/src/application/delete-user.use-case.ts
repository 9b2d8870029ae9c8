import { Injectable } from '@nestjs/common';

import { AuditTrail } from '@rampart/audit';
import { TransactionRunner } from '@rampart/database';

import { userTarget, userView } from './auth-audit';
import { assertNotLastAdmin, userNotFound } from './last-admin';
import { UserStore } from './user-store';

/** An admin deletes a user account; its sessions go with it. */
@Injectable()
export class DeleteUserUseCase {
  constructor(
    private readonly users: UserStore,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditTrail,
  ) {}

  async execute(id: string): Promise<void> {
    await this.transactions.run(async (sql) => {
      const user = await this.users.lock(sql, id);
      if (!user) throw userNotFound(id);
      await assertNotLastAdmin(this.users, sql, user);
      await this.users.delete(sql, id);
      await this.audit.record(sql, {
        action: 'user.deleted',
        target: userTarget(user),
        before: userView(user),
      });
    });
  }
}
