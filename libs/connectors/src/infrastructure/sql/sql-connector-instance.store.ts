import { Injectable } from '@nestjs/common';

import { SqlExecutor, TransactionRunner } from '@rampart/database';

import {
  ConnectorInstanceRow,
  ConnectorInstanceStore,
  DeleteResult,
  StoredConnectorInstance,
} from '../../application/connector-instance-store';
import { CONTAINMENT_OPERATIONS, isReversible } from '../../domain/containment-operation';

const COLUMNS = `id::text, name, type, capability, base_url AS "baseUrl", options,
  credentials_sealed AS "credentialsSealed", credential_fields AS "credentialFields", source,
  created_at AS "createdAt", updated_at AS "updatedAt"`;

@Injectable()
export class SqlConnectorInstanceStore extends ConnectorInstanceStore {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly transactions: TransactionRunner,
  ) {
    super();
  }

  list(): Promise<StoredConnectorInstance[]> {
    return this.sql.query<StoredConnectorInstance>(`SELECT ${COLUMNS} FROM connector_instance ORDER BY name`);
  }

  async findByName(name: string): Promise<StoredConnectorInstance | null> {
    const [row] = await this.sql.query<StoredConnectorInstance>(
      `SELECT ${COLUMNS} FROM connector_instance WHERE name = $1`,
      [name],
    );
    return row ?? null;
  }

  async findById(id: string): Promise<StoredConnectorInstance | null> {
    const [row] = await this.sql.query<StoredConnectorInstance>(
      `SELECT ${COLUMNS} FROM connector_instance WHERE id = $1`,
      [id],
    );
    return row ?? null;
  }

  async insert(
    row: ConnectorInstanceRow,
    sql: SqlExecutor = this.sql,
  ): Promise<StoredConnectorInstance | null> {
    const [stored] = await sql.query<StoredConnectorInstance>(
      `INSERT INTO connector_instance (id, name, type, capability, base_url, options, credentials_sealed, credential_fields, source)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8::text[], $9)
       ON CONFLICT (name) DO NOTHING
       RETURNING ${COLUMNS}`,
      parameters(row),
    );
    return stored ?? null;
  }

  async update(
    row: ConnectorInstanceRow,
    sql: SqlExecutor = this.sql,
  ): Promise<StoredConnectorInstance | null> {
    const [stored] = await sql.query<StoredConnectorInstance>(
      `UPDATE connector_instance
          SET type = $3, capability = $4, base_url = $5, options = $6::jsonb, credentials_sealed = $7,
              credential_fields = $8::text[], source = $9, updated_at = clock_timestamp()
        WHERE id = $1 AND name = $2
       RETURNING ${COLUMNS}`,
      parameters(row),
    );
    return stored ?? null;
  }

  deleteUnlessInUse(
    name: string,
    options: { allowPermanent: boolean },
    afterDelete?: (sql: SqlExecutor, deleted: StoredConnectorInstance) => Promise<void>,
  ): Promise<DeleteResult> {
    // The row lock makes a concurrent action insert wait for us (its foreign-key check), then fail.
    return this.transactions.run(async (sql) => {
      const [instance] = await sql.query<StoredConnectorInstance>(
        `SELECT ${COLUMNS} FROM connector_instance WHERE name = $1 FOR UPDATE`,
        [name],
      );
      if (!instance) return { result: 'not_found' };
      const [counts] = await sql.query<{ pending: number; expiring: number; permanent: number }>(
        `SELECT count(*) FILTER (WHERE state = 'pending')::int AS pending,
                count(*) FILTER (WHERE state = 'succeeded' AND expires_at IS NOT NULL)::int AS expiring,
                count(*) FILTER (WHERE state IN ('succeeded', 'rollback_failed') AND expires_at IS NULL
                                   AND operation = ANY($2::text[]))::int AS permanent
           FROM containment_action
          WHERE connector_instance_id = $1`,
        [instance.id, REVERSIBLE_OPERATIONS],
      );
      const actions = counts ?? { pending: 0, expiring: 0, permanent: 0 };
      if (actions.pending > 0 || actions.expiring > 0 || (actions.permanent > 0 && !options.allowPermanent)) {
        return { result: 'in_use', actions };
      }
      await sql.query(`DELETE FROM connector_instance WHERE id = $1`, [instance.id]);
      await afterDelete?.(sql, instance);
      return { result: 'deleted' };
    });
  }
}

const REVERSIBLE_OPERATIONS = CONTAINMENT_OPERATIONS.filter(isReversible);

function parameters(row: ConnectorInstanceRow): unknown[] {
  return [
    row.id,
    row.name,
    row.type,
    row.capability,
    row.baseUrl,
    JSON.stringify(row.options),
    row.credentialsSealed,
    row.credentialFields,
    row.source,
  ];
}
