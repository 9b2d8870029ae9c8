import { Injectable } from '@nestjs/common';

import { AuditTrail } from '@rampart/audit';
import { TransactionRunner } from '@rampart/database';

import { AuthError, AuthErrorCode } from '../domain/auth-error';
import { apiKeyPrefix, generateApiKey, hashSecret } from '../domain/credential-secrets';
import type { Role } from '../domain/principal';
import { ApiKeyStore, type StoredApiKey } from './api-key-store';
import { apiKeyView } from './auth-audit';

export interface IssueApiKey {
  name: string;
  role: Role;
  expiresAt: Date | null;
  /** Who asks (a username or a key's name), kept on the key. */
  createdBy: string | null;
}

/** A new key and, this once, its secret: only its SHA-256 is stored. */
export interface IssuedApiKey {
  apiKey: StoredApiKey;
  key: string;
}

/** An admin issues an API key for a SIEM, a script or an automation, scoped to one role. */
@Injectable()
export class IssueApiKeyUseCase {
  constructor(
    private readonly keys: ApiKeyStore,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditTrail,
  ) {}

  async execute(command: IssueApiKey, key: string = generateApiKey()): Promise<IssuedApiKey> {
    if (command.expiresAt !== null && command.expiresAt.getTime() <= Date.now()) {
      throw new AuthError(AuthErrorCode.InvalidExpiry, 'expiresAt must be in the future', {
        field: 'body.expiresAt',
      });
    }
    const apiKey = await this.transactions.run(async (sql) => {
      const issued = await this.keys.insert(sql, {
        name: command.name,
        prefix: apiKeyPrefix(key),
        secretHash: hashSecret(key),
        role: command.role,
        createdBy: command.createdBy,
        expiresAt: command.expiresAt,
      });
      await this.audit.record(sql, {
        action: 'api_key.issued',
        target: { type: 'api_key', id: issued.id, name: issued.name },
        after: apiKeyView(issued),
      });
      return issued;
    });
    return { apiKey, key };
  }
}
