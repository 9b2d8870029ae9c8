import { randomBytes } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { TransactionRunner } from '@rampart/database';

import { apiKeyPrefix, generateApiKey, hashSecret } from '../domain/credential-secrets';
import { ApiKeyAuthenticationCache } from './api-key-authentication-cache';
import { ApiKeyStore, type NewApiKey } from './api-key-store';
import { PasswordHasher } from './password-hasher';
import { UserStore } from './user-store';

export const INITIAL_ADMIN_USERNAME = 'admin';

export interface InitialAdmin {
  /** Set when this start generated the password of user `admin` (to be kept for the operator). */
  generatedPassword?: string;
  /** Set when SOAR_ADMIN_PASSWORD (re)set the password of user `admin`. */
  passwordSetFromConfiguration?: boolean;
}

/**
 * First start: someone must be able to sign in, to the API (an admin key) and to the console (an
 * admin user). With a password in the configuration
 * (SOAR_ADMIN_PASSWORD), user `admin` exists, is an enabled admin and has that password. Without
 * one, when no enabled admin user exists, user `admin` gets a generated password.
 */
@Injectable()
export class EnsureInitialAdminUseCase {
  constructor(
    private readonly users: UserStore,
    private readonly keys: ApiKeyStore,
    private readonly hasher: PasswordHasher,
    private readonly transactions: TransactionRunner,
    private readonly authentications: ApiKeyAuthenticationCache,
  ) {}

  async ensureAdminUser(configuredPassword: string | undefined): Promise<InitialAdmin> {
    if (configuredPassword !== undefined) {
      const current = await this.transactions.run((sql) =>
        this.users.findByUsername(sql, INITIAL_ADMIN_USERNAME),
      );
      const hash = current ? await this.users.passwordHashOf(current.id) : null;
      const upToDate =
        current?.role === 'admin' &&
        current.disabledAt === null &&
        hash !== null &&
        (await this.hasher.verify(hash, configuredPassword));
      if (upToDate) return {};
      await this.setAdminPassword(configuredPassword);
      return { passwordSetFromConfiguration: true };
    }
    const admins = await this.transactions.run((sql) => this.users.otherActiveAdmins(sql, null));
    if (admins > 0) return {};
    const generatedPassword = randomBytes(18).toString('base64url');
    await this.setAdminPassword(generatedPassword);
    return { generatedPassword };
  }

  /** SOAR_ADMIN_API_KEY: this key exists, active, admin (idempotent). */
  async ensureAdminKey(key: string): Promise<void> {
    await this.transactions.run((sql) => this.keys.ensure(sql, adminKey('SOAR_ADMIN_API_KEY', key)));
    // It may have brought a revoked or expired key back: this process sees it at once.
    this.authentications.clear();
  }

  /** Without SOAR_ADMIN_API_KEY: an admin key is generated when no active one exists. */
  async generateAdminKeyIfNone(): Promise<string | null> {
    if ((await this.keys.countActive('admin')) > 0) return null;
    const key = generateApiKey();
    await this.transactions.run((sql) => this.keys.insert(sql, adminKey('generated admin key', key)));
    return key;
  }

  private async setAdminPassword(password: string): Promise<void> {
    const passwordHash = await this.hasher.hash(password);
    await this.transactions.run(async (sql) => {
      const existing = await this.users.findByUsername(sql, INITIAL_ADMIN_USERNAME);
      if (!existing) {
        await this.users.insert(sql, {
          username: INITIAL_ADMIN_USERNAME,
          displayName: 'Administrator',
          role: 'admin',
          authSource: 'local',
          passwordHash,
          oidcIssuer: null,
          oidcSubject: null,
        });
        return;
      }
      await this.users.update(sql, existing.id, {
        role: 'admin',
        disabled: false,
        passwordHash,
        local: true,
      });
    });
  }
}

/** An admin key that never expires and was issued by nobody: the start-up seeds. */
function adminKey(name: string, key: string): NewApiKey {
  return {
    name,
    prefix: apiKeyPrefix(key),
    secretHash: hashSecret(key),
    role: 'admin',
    createdBy: null,
    expiresAt: null,
  };
}
