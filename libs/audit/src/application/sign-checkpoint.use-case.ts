import { Injectable } from '@nestjs/common';

import { SqlExecutor, TransactionRunner } from '@rampart/database';

import type { Checkpoint } from '../domain/checkpoint';
import { AuditLog, type CheckpointReason } from './audit-log';
import { CheckpointSigner } from './checkpoint-signer';

// One key for "who signs the periodic checkpoint now": a transaction-scoped advisory lock.
const PERIODIC_LOCK = 'rampart:audit-checkpoint';

/** Signs the chain head (or a given entry) and keeps the checkpoint in the trail's own store. */
@Injectable()
export class SignCheckpointUseCase {
  constructor(
    private readonly log: AuditLog,
    private readonly signer: CheckpointSigner,
    private readonly transactions: TransactionRunner,
  ) {}

  /** A checkpoint over entry `seq` (default: the head), kept with `reason`. */
  async execute(reason: CheckpointReason, at?: { seq: number; hash: string }): Promise<Checkpoint> {
    return this.transactions.run((sql) => this.signAndKeep(sql, reason, at));
  }

  /**
   * The periodic checkpoint: in one replica at a time (the holder of an advisory lock for the
   * transaction), and only when the last one is older than `intervalMs` and the chain has grown.
   * null when nothing was signed.
   */
  async periodic(intervalMs: number): Promise<Checkpoint | null> {
    return this.transactions.run(async (sql) => {
      const [lock] = await sql.query<{ locked: boolean }>(
        `SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked`,
        [PERIODIC_LOCK],
      );
      if (!lock?.locked) return null;
      const last = await this.log.latestCheckpoint('periodic', sql);
      if (last && Date.now() - Date.parse(last.at) < intervalMs) return null;
      const head = await this.log.head(sql);
      if (head.seq === 0 || (last && last.seq === head.seq)) return null;
      return this.signAndKeep(sql, 'periodic', head);
    });
  }

  private async signAndKeep(
    sql: SqlExecutor,
    reason: CheckpointReason,
    at?: { seq: number; hash: string },
  ): Promise<Checkpoint> {
    const point = at ?? (await this.log.head(sql));
    const checkpoint = this.signer.sign({ ...point, at: new Date().toISOString() });
    await this.log.appendCheckpoint(sql, checkpoint, reason);
    return checkpoint;
  }
}
