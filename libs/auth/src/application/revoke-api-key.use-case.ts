import { Injectable } from '@nestjs/common';

import { AuditTrail } from '@rampart/audit';
import { TransactionRunner } from '@rampart/database';

import { AuthError, AuthErrorCode } from '../domain/auth-error';
import { ApiKeyAuthenticationCache } from './api-key-authentication-cache';
import { ApiKeyStore, type StoredApiKey } from './api-key-store';
import { apiKeyView } from './auth-audit';

/** An admin revokes an API key: refused from the next request on, kept in the list as revoked. */
@Injectable()
export class RevokeApiKeyUseCase {
  constructor(
    private readonly keys: ApiKeyStore,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditTrail,
    private readonly authentications: ApiKeyAuthenticationCache,
  ) {}

  async execute(id: string): Promise<StoredApiKey> {
    const revoked = await this.transactions.run(async (sql) => {
      const change = await this.keys.revoke(sql, id);
      if (change) {
        await this.audit.record(sql, {
          action: 'api_key.revoked',
          target: { type: 'api_key', id: change.after.id, name: change.after.name },
          before: apiKeyView(change.before),
          after: apiKeyView(change.after),
        });
      }
      return change;
    });
    if (!revoked)
      throw new AuthError(AuthErrorCode.ApiKeyNotFound, `no API key ${id}`, { field: 'param.id' });
    // Other processes learn of it from the commit's notification; this one forgets the key now, so
    // that a request sent after our answer is refused here without waiting for that notification.
    this.authentications.clear();
    return revoked.after;
  }
}
