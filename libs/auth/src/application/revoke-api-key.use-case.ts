import { Injectable } from '@nestjs/common';

import { TransactionRunner } from '@rampart/database';

import { AuthError, AuthErrorCode } from '../domain/auth-error';
import { ApiKeyStore, type StoredApiKey } from './api-key-store';

/** An admin revokes an API key: refused from the next request on, kept in the list as revoked. */
@Injectable()
export class RevokeApiKeyUseCase {
  constructor(
    private readonly keys: ApiKeyStore,
    private readonly transactions: TransactionRunner,
  ) {}

  async execute(id: string): Promise<StoredApiKey> {
    const revoked = await this.transactions.run((sql) => this.keys.revoke(sql, id));
    if (!revoked)
      throw new AuthError(AuthErrorCode.ApiKeyNotFound, `no API key ${id}`, { field: 'param.id' });
    return revoked.after;
  }
}
