import { Injectable } from '@nestjs/common';

import { AuditTrail, systemActor } from '@rampart/audit';
import { SqlExecutor, TransactionRunner } from '@rampart/database';

import {
  NewProtectedAsset,
  ProtectedAssetStore,
  StoredProtectedAsset,
} from '../../application/protected-asset-store';

const COLUMNS = `id::text, kind, value, operations, reason, source, created_by AS "createdBy", created_at AS "createdAt"`;

@Injectable()
export class SqlProtectedAssetStore extends ProtectedAssetStore {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditTrail,
  ) {
    super();
  }

  list(): Promise<StoredProtectedAsset[]> {
    return this.sql.query<StoredProtectedAsset>(
      `SELECT ${COLUMNS} FROM protected_asset ORDER BY kind, value`,
    );
  }

  add(asset: NewProtectedAsset): Promise<StoredProtectedAsset | null> {
    return this.transactions.run(async (sql) => {
      const [row] = await sql.query<StoredProtectedAsset>(
        `INSERT INTO protected_asset (kind, value, operations, reason, source, created_by)
         VALUES ($1, $2, $3::text[], $4, 'api', $5)
         ON CONFLICT ON CONSTRAINT uq_protected_asset_kind_value DO NOTHING
         RETURNING ${COLUMNS}`,
        [asset.kind, asset.value, asset.operations, asset.reason, asset.createdBy],
      );
      if (!row) return null;
      await this.audit.record(sql, {
        action: 'protected_asset.created',
        target: { type: 'protected_asset', id: row.id, name: `${row.kind} ${row.value}` },
        after: auditView(row),
      });
      return row;
    });
  }

  remove(id: string): Promise<'deleted' | 'not_found' | 'file'> {
    return this.transactions.run(async (sql) => {
      const [row] = await sql.query<StoredProtectedAsset>(
        `SELECT ${COLUMNS} FROM protected_asset WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (!row) return 'not_found';
      if (row.source === 'file') return 'file';
      await sql.query(`DELETE FROM protected_asset WHERE id = $1 AND source = 'api'`, [id]);
      await this.audit.record(sql, {
        action: 'protected_asset.deleted',
        target: { type: 'protected_asset', id: row.id, name: `${row.kind} ${row.value}` },
        before: auditView(row),
      });
      return 'deleted';
    });
  }

  replaceFileAssets(assets: NewProtectedAsset[]): Promise<void> {
    return this.transactions.run(async (sql) => {
      const before = await fileAssets(sql);
      const rows = JSON.stringify(
        assets.map((asset) => ({
          kind: asset.kind,
          value: asset.value,
          operations: asset.operations,
          reason: asset.reason,
          created_by: asset.createdBy,
        })),
      );
      await sql.query(
        `DELETE FROM protected_asset p
          WHERE p.source = 'file'
            AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset($1::jsonb) AS r(kind text, value text)
                             WHERE r.kind = p.kind AND r.value = p.value)`,
        [rows],
      );
      // The file is the authority for what it lists: an API entry of the same asset becomes the file's.
      await sql.query(
        `INSERT INTO protected_asset (kind, value, operations, reason, source, created_by)
         SELECT r.kind, r.value,
                CASE WHEN jsonb_typeof(r.operations) = 'array'
                     THEN ARRAY(SELECT jsonb_array_elements_text(r.operations)) END,
                r.reason, 'file', r.created_by
           FROM jsonb_to_recordset($1::jsonb) AS r(kind text, value text, operations jsonb, reason text, created_by text)
         ON CONFLICT ON CONSTRAINT uq_protected_asset_kind_value DO UPDATE
            SET operations = EXCLUDED.operations, reason = EXCLUDED.reason, source = 'file'`,
        [rows],
      );
      // Applied at every start: audited only when the file changed what is protected.
      const after = await fileAssets(sql);
      if (JSON.stringify(before) !== JSON.stringify(after)) {
        await this.audit.record(sql, {
          actor: systemActor('config'),
          action: 'protected_asset.file_applied',
          target: { type: 'protected_asset', id: null, name: 'PROTECTED_ASSETS_FILE' },
          before: { assets: before },
          after: { assets: after },
        });
      }
    });
  }
}

function auditView(asset: StoredProtectedAsset) {
  return { kind: asset.kind, value: asset.value, operations: asset.operations, reason: asset.reason };
}

/** The assets PROTECTED_ASSETS_FILE protects, in a stable order. */
function fileAssets(sql: SqlExecutor) {
  return sql.query<{ kind: string; value: string; operations: string[] | null; reason: string | null }>(
    `SELECT kind, value, operations, reason FROM protected_asset WHERE source = 'file' ORDER BY kind, value`,
  );
}
