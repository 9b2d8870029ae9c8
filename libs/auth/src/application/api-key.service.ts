import { createHash, randomBytes } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { SqlExecutor } from '@rampart/database';

import type { Principal, Role } from '../domain/principal';

export interface IssuedApiKey {
  id: string;
  name: string;
  role: Role;
  /** The key itself: shown once, never stored (only its SHA-256 is). */
  key: string;
}

/** API keys are random 256-bit tokens; an unsalted SHA-256 is enough to look them up safely. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function generateApiKey(): string {
  return `rk_${randomBytes(32).toString('base64url')}`;
}

@Injectable()
export class ApiKeyService {
  constructor(private readonly sql: SqlExecutor) {}

  async authenticate(key: string): Promise<Principal | null> {
    const rows = await this.sql.query<{ id: string; name: string; role: Role }>(
      `UPDATE api_key SET last_used_at = now()
        WHERE secret_hash = $1 AND revoked_at IS NULL
       RETURNING id::text, name, role`,
      [hashApiKey(key)],
    );
    const row = rows[0];
    return row ? { kind: 'api_key', id: row.id, name: row.name, role: row.role } : null;
  }

  async issue(name: string, role: Role, key: string = generateApiKey()): Promise<IssuedApiKey> {
    const rows = await this.sql.query<{ id: string }>(
      `INSERT INTO api_key (name, prefix, secret_hash, role) VALUES ($1, $2, $3, $4) RETURNING id::text`,
      [name, key.slice(0, 8), hashApiKey(key), role],
    );
    return { id: (rows[0] as { id: string }).id, name, role, key };
  }

  /** Makes sure `key` is a valid admin key (the SOAR_ADMIN_API_KEY seed); idempotent. */
  async ensureKey(name: string, role: Role, key: string): Promise<void> {
    await this.sql.query(
      `INSERT INTO api_key (name, prefix, secret_hash, role) VALUES ($1, $2, $3, $4)
       ON CONFLICT ON CONSTRAINT uq_api_key_secret_hash DO UPDATE SET role = EXCLUDED.role, revoked_at = NULL`,
      [name, key.slice(0, 8), hashApiKey(key), role],
    );
  }

  async countActive(role: Role): Promise<number> {
    const rows = await this.sql.query<{ count: string }>(
      `SELECT count(*)::text AS count FROM api_key WHERE role = $1 AND revoked_at IS NULL`,
      [role],
    );
    return Number(rows[0]?.count ?? 0);
  }
}
