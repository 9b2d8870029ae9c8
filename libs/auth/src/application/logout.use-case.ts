import { Injectable } from '@nestjs/common';

import { TransactionRunner } from '@rampart/database';

import { hashSecret } from '../domain/credential-secrets';
import { SessionStore } from './session-store';

/** Ends the session a cookie holds; ending one that is already gone is not an error. */
@Injectable()
export class LogoutUseCase {
  constructor(
    private readonly sessions: SessionStore,
    private readonly transactions: TransactionRunner,
  ) {}

  async execute(sessionSecret: string): Promise<{ ended: boolean }> {
    return this.transactions.run(async (sql) => {
      const ended = await this.sessions.delete(sql, hashSecret(sessionSecret));
      return { ended: ended !== null };
    });
  }
}
