import { Injectable } from '@nestjs/common';

import { SqlExecutor } from '@rampart/database';

import {
  ApiKeyStore,
  type NewApiKey,
  type PresentedApiKey,
  type StoredApiKey,
} from '../../application/api-key-store';
import type { Role } from '../../domain/principal';

const COLUMNS = `id::text, name, prefix, role, created_at AS "createdAt", created_by AS "createdBy",
  expires_at AS "expiresAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"`;

@Injectable()
export class SqlApiKeyStore extends ApiKeyStore {
  constructor(private readonly sql: SqlExecutor) {
    super();
  }

  // Every authentication the cache cannot answer passes here (ApiKeyAuthenticationCache): one
  // statement, and the last-used time is written at most once a minute per key, so a busy SIEM
  // does not turn each delivery into an UPDATE. The cache answers for at most its TTL, far below
  // a minute, so the time stays right to about a minute without the cached path writing.
  async presented(secretHash: string): Promise<PresentedApiKey | null> {
    const [row] = await this.sql.query<PresentedApiKey>(
      `WITH key AS (
         SELECT id, name, role, revoked_at IS NOT NULL AS revoked,
                expires_at IS NOT NULL AND expires_at <= now() AS expired,
                (extract(epoch FROM expires_at - now()) * 1000)::float8 AS expires_in_ms, last_used_at
           FROM api_key WHERE secret_hash = $1),
       touched AS (
         UPDATE api_key SET last_used_at = now() FROM key
          WHERE api_key.id = key.id AND NOT key.revoked AND NOT key.expired
            AND (key.last_used_at IS NULL OR key.last_used_at < now() - interval '1 minute'))
       SELECT id::text, name, role, revoked, expired, expires_in_ms AS "expiresInMs" FROM key`,
      [secretHash],
    );
    return row ?? null;
  }

  async insert(sql: SqlExecutor, key: NewApiKey): Promise<StoredApiKey> {
    const [row] = await sql.query<StoredApiKey>(
      `INSERT INTO api_key (name, prefix, secret_hash, role, created_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [key.name, key.prefix, key.secretHash, key.role, key.createdBy, key.expiresAt],
    );
    return row as StoredApiKey;
  }

  async ensure(sql: SqlExecutor, key: NewApiKey): Promise<void> {
    await sql.query(
      `INSERT INTO api_key (name, prefix, secret_hash, role, created_by, expires_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT ON CONSTRAINT uq_api_key_secret_hash
       DO UPDATE SET role = EXCLUDED.role, revoked_at = NULL, expires_at = EXCLUDED.expires_at`,
      [key.name, key.prefix, key.secretHash, key.role, key.createdBy, key.expiresAt],
    );
  }

  async countActive(role: Role): Promise<number> {
    const [row] = await this.sql.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM api_key
        WHERE role = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
      [role],
    );
    return row?.count ?? 0;
  }

  list(): Promise<StoredApiKey[]> {
    return this.sql.query<StoredApiKey>(`SELECT ${COLUMNS} FROM api_key ORDER BY created_at DESC, id DESC`);
  }

  async findById(id: string): Promise<StoredApiKey | null> {
    const [row] = await this.sql.query<StoredApiKey>(`SELECT ${COLUMNS} FROM api_key WHERE id = $1`, [id]);
    return row ?? null;
  }

  async revoke(sql: SqlExecutor, id: string): Promise<{ before: StoredApiKey; after: StoredApiKey } | null> {
    const [before] = await sql.query<StoredApiKey>(
      `SELECT ${COLUMNS} FROM api_key WHERE id = $1 FOR UPDATE`,
      [id],
    );
    if (!before) return null;
    const [after] = await sql.query<StoredApiKey>(
      `UPDATE api_key SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING ${COLUMNS}`,
      [id],
    );
    return { before, after: after as StoredApiKey };
  }
}
