import type { SqlExecutor } from '@rampart/database';

import type { AuditEntry } from '../domain/audit-entry';
import type { Checkpoint } from '../domain/checkpoint';

export interface AuditSearch {
  /** Actor name or id. */
  actor?: string;
  actorKind?: AuditEntry['actor']['kind'];
  /** Exact, or a prefix when it ends with `*` (`incident.*`). */
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
  limit: number;
  /** Entries before this sequence number (keyset paging, newest first). */
  beforeSeq?: number;
}

export type CheckpointReason = 'periodic' | 'export';

export interface StoredCheckpoint extends Checkpoint {
  reason: CheckpointReason;
}

/** The read side of the trail, and the checkpoint store. */
export abstract class AuditLog {
  /** Newest first. */
  abstract search(filter: AuditSearch): Promise<AuditEntry[]>;
  /** Entries with seq > `afterSeq` (and <= `upToSeq`), in sequence order. */
  abstract entriesAfter(afterSeq: number, limit: number, upToSeq?: number): Promise<AuditEntry[]>;
  /** The sequence numbers of the entries written in [from, to): null when none. */
  abstract seqRange(from: Date | null, to: Date | null): Promise<{ first: number; last: number } | null>;
  /** Entries in [from, to) by action. */
  abstract countByAction(from: Date, to: Date): Promise<{ action: string; count: number }[]>;
  /** The chain head as committed: last seq (0 when empty) and its hash. */
  abstract head(sql?: SqlExecutor): Promise<{ seq: number; hash: string }>;
  /** The hash of entry `seq`, as stored. */
  abstract hashAt(seq: number): Promise<string | null>;
  abstract checkpoints(): Promise<StoredCheckpoint[]>;
  abstract latestCheckpoint(reason?: CheckpointReason, sql?: SqlExecutor): Promise<StoredCheckpoint | null>;
  abstract appendCheckpoint(
    sql: SqlExecutor,
    checkpoint: Checkpoint,
    reason: CheckpointReason,
  ): Promise<void>;
}
