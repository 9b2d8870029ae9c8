import { Injectable } from '@nestjs/common';

import { AuditTrail } from '@rampart/audit';
import { SqlExecutor, TransactionRunner } from '@rampart/database';
import { SecretBox } from '@rampart/secrets';

export interface IntakeSourceView {
  name: string;
  signed: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const VIEW = `name, hmac_secret IS NOT NULL AS signed, created_at AS "createdAt", updated_at AS "updatedAt"`;

/**
 * Named webhook senders. A source with an HMAC secret must sign every delivery; the secret is
 * sealed with SOAR_MASTER_KEY at rest and never returned.
 */
@Injectable()
export class IntakeSourceService {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly secrets: SecretBox,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditTrail,
  ) {}

  async list(): Promise<IntakeSourceView[]> {
    return this.sql.query<IntakeSourceView>(`SELECT ${VIEW} FROM intake_source ORDER BY name`);
  }

  /** Creates or replaces a source; audited (`intake_source.created` / `.updated`), the secret never. */
  async upsert(name: string, hmacSecret: string | null): Promise<IntakeSourceView> {
    return this.transactions.run(async (sql) => {
      const [before] = await sql.query<IntakeSourceView>(
        `SELECT ${VIEW} FROM intake_source WHERE name = $1 FOR UPDATE`,
        [name],
      );
      const [after] = await sql.query<IntakeSourceView>(
        `INSERT INTO intake_source (name, hmac_secret) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET hmac_secret = EXCLUDED.hmac_secret, updated_at = now()
         RETURNING ${VIEW}`,
        [name, hmacSecret === null ? null : this.secrets.seal(hmacSecret)],
      );
      const view = after as IntakeSourceView;
      await this.audit.record(sql, {
        action: before ? 'intake_source.updated' : 'intake_source.created',
        target: { type: 'intake_source', id: name, name },
        before: before ? { signed: before.signed } : undefined,
        after: { signed: view.signed, secretChanged: hmacSecret !== null },
      });
      return view;
    });
  }

  async remove(name: string): Promise<boolean> {
    return this.transactions.run(async (sql) => {
      const [removed] = await sql.query<IntakeSourceView>(
        `DELETE FROM intake_source WHERE name = $1 RETURNING ${VIEW}`,
        [name],
      );
      if (!removed) return false;
      await this.audit.record(sql, {
        action: 'intake_source.deleted',
        target: { type: 'intake_source', id: name, name },
        before: { signed: removed.signed },
      });
      return true;
    });
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
