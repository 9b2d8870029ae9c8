import { Injectable, OnModuleDestroy } from '@nestjs/common';

import { AuditTrail } from '@rampart/audit';
import {
  CREDENTIALS_CACHE_MAX_ENTRIES,
  CREDENTIALS_CACHE_TTL_MS,
  CREDENTIALS_CHANGED_CHANNEL,
} from '@rampart/auth';
import {
  DatabaseNotifications,
  type Loaded,
  NotifiedCache,
  SqlExecutor,
  TransactionRunner,
} from '@rampart/database';
import { SecretBox } from '@rampart/secrets';

import { decideDeliverySource, type DeliverySource } from '../domain/delivery-source';

export interface IntakeSourceView {
  name: string;
  signed: boolean;
  /** API keys bound to this source: their deliveries are its, and only theirs are. */
  apiKeyIds: string[];
  createdAt: Date;
  updatedAt: Date;
}

/** A source as deliverySource needs it; the secret stays sealed while it is cached. */
interface StoredSource {
  name: string;
  sealedSecret: string | null;
  hasBoundKeys: boolean;
}

const VIEW = `s.name, s.hmac_secret IS NOT NULL AS signed,
  COALESCE((SELECT array_agg(k.api_key_id::text ORDER BY k.api_key_id) FROM intake_source_key k
             WHERE k.source_name = s.name), '{}') AS "apiKeyIds",
  s.created_at AS "createdAt", s.updated_at AS "updatedAt"`;

/**
 * Named webhook senders. A source with an HMAC secret must sign every delivery; the secret is
 * sealed with SOAR_MASTER_KEY at rest and never returned. API keys bound to a source deliver
 * for it alone (see decideDeliverySource).
 *
 * What a delivery's source is decided from (the key's binding, the source's row) is cached in the
 * process like API-key authentications are, and emptied with them when a credentials change is
 * notified (CREDENTIALS_CHANGED_CHANNEL). Unknown source names are never kept.
 */
@Injectable()
export class IntakeSourceService implements OnModuleDestroy {
  /** API key id -> the source it is bound to, or null. */
  private readonly bindings: NotifiedCache<string, string | null>;
  /** Source name -> its row (null: no such source, never kept). */
  private readonly sources: NotifiedCache<string, StoredSource | null>;

  constructor(
    private readonly sql: SqlExecutor,
    private readonly transactions: TransactionRunner,
    private readonly secrets: SecretBox,
    private readonly audit: AuditTrail,
    notifications: DatabaseNotifications,
  ) {
    const options = {
      channel: CREDENTIALS_CHANGED_CHANNEL,
      maxEntries: CREDENTIALS_CACHE_MAX_ENTRIES,
      ttlMs: CREDENTIALS_CACHE_TTL_MS,
    };
    this.bindings = new NotifiedCache(notifications, options);
    this.sources = new NotifiedCache(notifications, options);
  }

  async list(): Promise<IntakeSourceView[]> {
    return this.sql.query<IntakeSourceView>(`SELECT ${VIEW} FROM intake_source s ORDER BY s.name`);
  }

  /**
   * Creates or replaces a source; `apiKeyIds` replaces the keys bound to it (a key bound elsewhere
   * moves here), omitted keeps them. Audited (`intake_source.created` / `.updated`), the secret never.
   */
  async upsert(name: string, hmacSecret: string | null, apiKeyIds?: string[]): Promise<IntakeSourceView> {
    const saved = await this.transactions.run(async (sql) => {
      const [before] = await sql.query<IntakeSourceView>(
        `SELECT ${VIEW} FROM intake_source s WHERE s.name = $1 FOR UPDATE`,
        [name],
      );
      await sql.query(
        `INSERT INTO intake_source (name, hmac_secret) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET hmac_secret = EXCLUDED.hmac_secret, updated_at = now()`,
        [name, hmacSecret === null ? null : this.secrets.seal(hmacSecret)],
      );
      if (apiKeyIds !== undefined) {
        await sql.query(
          `DELETE FROM intake_source_key WHERE source_name = $1 AND NOT (api_key_id = ANY($2::uuid[]))`,
          [name, apiKeyIds],
        );
        await sql.query(
          `INSERT INTO intake_source_key (api_key_id, source_name) SELECT unnest($2::uuid[]), $1
           ON CONFLICT (api_key_id) DO UPDATE SET source_name = EXCLUDED.source_name`,
          [name, apiKeyIds],
        );
      }
      const [after] = await sql.query<IntakeSourceView>(
        `SELECT ${VIEW} FROM intake_source s WHERE s.name = $1`,
        [name],
      );
      const view = after as IntakeSourceView;
      await this.audit.record(sql, {
        action: before ? 'intake_source.updated' : 'intake_source.created',
        target: { type: 'intake_source', id: name, name },
        before: before ? { signed: before.signed, apiKeyIds: before.apiKeyIds } : undefined,
        after: { signed: view.signed, apiKeyIds: view.apiKeyIds, secretChanged: hmacSecret !== null },
      });
      return view;
    });
    this.changed();
    return saved;
  }

  async remove(name: string): Promise<boolean> {
    const deleted = await this.transactions.run(async (sql) => {
      const [removed] = await sql.query<{ signed: boolean }>(
        `DELETE FROM intake_source WHERE name = $1 RETURNING hmac_secret IS NOT NULL AS signed`,
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
    if (deleted) this.changed();
    return deleted;
  }

  /** Whose a delivery is, from the source it names and the API key that made it. */
  async deliverySource(named: string | undefined, apiKeyId: string | undefined): Promise<DeliverySource> {
    const bound =
      apiKeyId === undefined ? null : await this.bindings.read(apiKeyId, () => this.bindingOf(apiKeyId));
    const name = named ?? bound ?? undefined;
    const source = name === undefined ? null : await this.sources.read(name, () => this.sourceNamed(name));
    return decideDeliverySource({
      named,
      boundToKey: bound ?? undefined,
      source: source
        ? {
            name: source.name,
            hmacSecret: source.sealedSecret === null ? null : this.secrets.open(source.sealedSecret),
            hasBoundKeys: source.hasBoundKeys,
            // A key is bound to one source at most (the primary key of intake_source_key).
            keyBoundHere: bound === source.name,
          }
        : undefined,
    });
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

  onModuleDestroy(): void {
    this.bindings.close();
    this.sources.close();
  }

  /** Right after a commit that changed sources or bindings: this process sees it at once. */
  private changed(): void {
    this.bindings.clear();
    this.sources.clear();
  }

  private async bindingOf(apiKeyId: string): Promise<Loaded<string | null>> {
    const [row] = await this.sql.query<{ source_name: string }>(
      'SELECT source_name FROM intake_source_key WHERE api_key_id = $1',
      [apiKeyId],
    );
    // An unbound key is kept too: the id is an authenticated key's, so their number is bounded.
    return { value: row?.source_name ?? null, keepForMs: Number.POSITIVE_INFINITY };
  }

  private async sourceNamed(name: string): Promise<Loaded<StoredSource | null>> {
    const [row] = await this.sql.query<StoredSource>(
      `SELECT s.name, s.hmac_secret AS "sealedSecret",
              EXISTS (SELECT 1 FROM intake_source_key k WHERE k.source_name = s.name) AS "hasBoundKeys"
         FROM intake_source s WHERE s.name = $1`,
      [name],
    );
    // A name nobody has is not kept: any caller may send any name.
    return { value: row ?? null, keepForMs: row ? Number.POSITIVE_INFINITY : 0 };
  }
}
