import { Injectable } from '@nestjs/common';

import { AuditTrail } from '@rampart/audit';
import { TransactionRunner } from '@rampart/database';

import { hashSecret } from '../domain/credential-secrets';
import { SessionStore } from './session-store';

/** Ends the session a cookie holds; ending one that is already gone is not an error. */
@Injectable()
export class LogoutUseCase {
  constructor(
    private readonly sessions: SessionStore,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditTrail,
  ) {}

  async execute(sessionSecret: string): Promise<{ ended: boolean }> {
    return this.transactions.run(async (sql) => {
      const ended = await this.sessions.delete(sql, hashSecret(sessionSecret));
      // Ending a session that is already gone changes nothing, and is not audited.
      if (ended) {
        await this.audit.record(sql, {
          action: 'logout',
          target: { type: 'user', id: ended.userId },
          before: { sessionId: ended.id },
        });
      }
      return { ended: ended !== null };
    });
  }
}
