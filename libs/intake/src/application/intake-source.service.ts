import { Injectable } from '@nestjs/common';

import { SqlExecutor } from '@rampart/database';
import { SecretBox } from '@rampart/secrets';

export interface IntakeSourceView {
  name: string;
  signed: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Named webhook senders. A source with an HMAC secret must sign every delivery; the secret is
 * sealed with SOAR_MASTER_KEY at rest and never returned.
 */
@Injectable()
export class IntakeSourceService {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly secrets: SecretBox,
  ) {}

  async list(): Promise<IntakeSourceView[]> {
    return this.sql.query<IntakeSourceView>(
      `SELECT name, hmac_secret IS NOT NULL AS signed, created_at AS "createdAt", updated_at AS "updatedAt"
         FROM intake_source ORDER BY name`,
    );
  }

  async upsert(name: string, hmacSecret: string | null): Promise<IntakeSourceView> {
    const rows = await this.sql.query<IntakeSourceView>(
      `INSERT INTO intake_source (name, hmac_secret) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET hmac_secret = EXCLUDED.hmac_secret, updated_at = now()
       RETURNING name, hmac_secret IS NOT NULL AS signed, created_at AS "createdAt", updated_at AS "updatedAt"`,
      [name, hmacSecret === null ? null : this.secrets.seal(hmacSecret)],
    );
    return rows[0] as IntakeSourceView;
  }

  async remove(name: string): Promise<boolean> {
    const rows = await this.sql.query('DELETE FROM intake_source WHERE name = $1 RETURNING name', [name]);
    return rows.length > 0;
  }

  /** undefined: no such source; null: a source that does not sign. */
  async secretOf(name: string): Promise<string | null | undefined> {
    const rows = await this.sql.query<{ hmac_secret: string | null }>(
      'SELECT hmac_secret FROM intake_source WHERE name = $1',
      [name],
    );
    const row = rows[0];
    if (!row) return undefined;
    return row.hmac_secret === null ? null : this.secrets.open(row.hmac_secret);
  }

  /**
   * Records a signature as used until it can no longer pass the timestamp check; false when it
   * was seen before (a replay).
   */
  async claimSignature(source: string, signatureHash: string, expiresAt: Date): Promise<boolean> {
    if (Math.random() < 0.01)
      await this.sql.query('DELETE FROM webhook_replay_guard WHERE expires_at < now()');
    const rows = await this.sql.query(
      `INSERT INTO webhook_replay_guard (signature_hash, source, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (signature_hash) DO NOTHING RETURNING signature_hash`,
      [signatureHash, source, expiresAt],
    );
    return rows.length === 1;
  }
}
