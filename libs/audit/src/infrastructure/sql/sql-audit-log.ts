import { Injectable } from '@nestjs/common';

import { SqlExecutor } from '@rampart/database';

import { AuditLog, AuditSearch, CheckpointReason, StoredCheckpoint } from '../../application/audit-log';
import type { AuditEntry } from '../../domain/audit-entry';
import type { Checkpoint } from '../../domain/checkpoint';

const MICROSECONDS = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

// The stored columns in the shape the hash covers; the time exactly as it was hashed.
const ENTRY = `seq::int8::text AS seq, id::text AS id, to_char(at AT TIME ZONE 'UTC', ${MICROSECONDS}) AS at,
  actor_kind, actor_id, actor_name, action, target_type, target_id, target_name, before, after,
  request_id, prev_hash, hash`;

interface EntryRow {
  seq: string;
  id: string;
  at: string;
  actor_kind: string;
  actor_id: string | null;
  actor_name: string;
  action: string;
  target_type: string;
  target_id: string | null;
  target_name: string | null;
  before: AuditEntry['before'];
  after: AuditEntry['after'];
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

const CHECKPOINT = `seq::text AS seq, hash, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
  key_id AS "keyId", public_key AS "publicKey", signature, reason`;

@Injectable()
export class SqlAuditLog extends AuditLog {
  constructor(private readonly sql: SqlExecutor) {
    super();
  }

  async search(filter: AuditSearch): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const bind = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.actor !== undefined) {
      const actor = bind(filter.actor);
      where.push(`(actor_name = ${actor} OR actor_id = ${actor})`);
    }
    if (filter.actorKind !== undefined) where.push(`actor_kind = ${bind(filter.actorKind)}`);
    if (filter.action !== undefined) {
      where.push(
        filter.action.endsWith('*')
          ? `starts_with(action, ${bind(filter.action.slice(0, -1))})`
          : `action = ${bind(filter.action)}`,
      );
    }
    if (filter.targetType !== undefined) where.push(`target_type = ${bind(filter.targetType)}`);
    if (filter.targetId !== undefined) where.push(`target_id = ${bind(filter.targetId)}`);
    if (filter.from !== undefined) where.push(`at >= ${bind(filter.from)}`);
    if (filter.to !== undefined) where.push(`at < ${bind(filter.to)}`);
    if (filter.beforeSeq !== undefined) where.push(`seq < ${bind(filter.beforeSeq)}`);
    const rows = await this.sql.query<EntryRow>(
      `SELECT ${ENTRY} FROM audit_entry
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY audit_entry.seq DESC LIMIT ${bind(filter.limit)}`,
      params,
    );
    return rows.map(toEntry);
  }

  async entriesAfter(afterSeq: number, limit: number, upToSeq?: number): Promise<AuditEntry[]> {
    const rows = await this.sql.query<EntryRow>(
      `SELECT ${ENTRY} FROM audit_entry
        WHERE seq > $1 AND ($3::bigint IS NULL OR seq <= $3)
        ORDER BY audit_entry.seq LIMIT $2`,
      [afterSeq, limit, upToSeq ?? null],
    );
    return rows.map(toEntry);
  }

  async seqRange(from: Date | null, to: Date | null): Promise<{ first: number; last: number } | null> {
    const [row] = await this.sql.query<{ first: string | null; last: string | null }>(
      `SELECT min(seq)::text AS first, max(seq)::text AS last FROM audit_entry
        WHERE ($1::timestamptz IS NULL OR at >= $1) AND ($2::timestamptz IS NULL OR at < $2)`,
      [from, to],
    );
    return row?.first && row.last ? { first: Number(row.first), last: Number(row.last) } : null;
  }

  async countByAction(from: Date, to: Date): Promise<{ action: string; count: number }[]> {
    return this.sql.query<{ action: string; count: number }>(
      `SELECT action, count(*)::int AS count FROM audit_entry WHERE at >= $1 AND at < $2
        GROUP BY action ORDER BY count(*) DESC, action`,
      [from, to],
    );
  }

  async head(sql: SqlExecutor = this.sql): Promise<{ seq: number; hash: string }> {
    const [row] = await sql.query<{ seq: string; hash: string }>(
      `SELECT seq::text AS seq, hash FROM audit_chain_head WHERE id`,
    );
    if (!row) throw new Error('audit_chain_head is missing: the audit migration did not run');
    return { seq: Number(row.seq), hash: row.hash };
  }

  async hashAt(seq: number): Promise<string | null> {
    const [row] = await this.sql.query<{ hash: string }>(`SELECT hash FROM audit_entry WHERE seq = $1`, [
      seq,
    ]);
    return row?.hash ?? null;
  }

  async checkpoints(): Promise<StoredCheckpoint[]> {
    const rows = await this.sql.query<StoredCheckpoint & { seq: string }>(
      `SELECT ${CHECKPOINT} FROM audit_checkpoint ORDER BY audit_checkpoint.seq, audit_checkpoint.at`,
    );
    return rows.map((row) => ({ ...row, seq: Number(row.seq) }));
  }

  async latestCheckpoint(
    reason?: CheckpointReason,
    sql: SqlExecutor = this.sql,
  ): Promise<StoredCheckpoint | null> {
    const [row] = await sql.query<StoredCheckpoint & { seq: string }>(
      `SELECT ${CHECKPOINT} FROM audit_checkpoint WHERE ($1::text IS NULL OR reason = $1)
        ORDER BY audit_checkpoint.at DESC LIMIT 1`,
      [reason ?? null],
    );
    return row ? { ...row, seq: Number(row.seq) } : null;
  }

  async appendCheckpoint(sql: SqlExecutor, checkpoint: Checkpoint, reason: CheckpointReason): Promise<void> {
    await sql.query(
      `INSERT INTO audit_checkpoint (seq, hash, at, reason, key_id, public_key, signature)
       VALUES ($1, $2, $3::timestamptz, $4, $5, $6, $7)`,
      [
        checkpoint.seq,
        checkpoint.hash,
        checkpoint.at,
        reason,
        checkpoint.keyId,
        checkpoint.publicKey,
        checkpoint.signature,
      ],
    );
  }
}

function toEntry(row: EntryRow): AuditEntry {
  return {
    seq: Number(row.seq),
    id: row.id,
    at: row.at,
    actor: { kind: row.actor_kind, id: row.actor_id, name: row.actor_name },
    action: row.action,
    target: { type: row.target_type, id: row.target_id, name: row.target_name },
    before: row.before,
    after: row.after,
    requestId: row.request_id,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
