import { Injectable } from '@nestjs/common';

import type { AuditEntry } from '../domain/audit-entry';
import { SIGNATURE_ALGORITHM } from '../domain/checkpoint';
import { AuditLog, AuditSearch, StoredCheckpoint } from './audit-log';
import { CheckpointSigner } from './checkpoint-signer';

export interface AuditPage {
  items: AuditEntry[];
  /** Continues the search with older entries; absent on the last page. */
  nextCursor?: string;
}

/** Read side of the trail: search, checkpoints and the public key that verifies them. */
@Injectable()
export class AuditQueries {
  constructor(
    private readonly log: AuditLog,
    private readonly signer: CheckpointSigner,
  ) {}

  async search(filter: Omit<AuditSearch, 'beforeSeq'>, cursor?: string): Promise<AuditPage> {
    const beforeSeq = cursor === undefined ? undefined : decodeCursor(cursor);
    const items = await this.log.search({ ...filter, beforeSeq, limit: filter.limit + 1 });
    const page = items.slice(0, filter.limit);
    const last = page[page.length - 1];
    return items.length > filter.limit && last
      ? { items: page, nextCursor: encodeCursor(last.seq) }
      : { items: page };
  }

  publicKey(): { algorithm: string; publicKey: string; keyId: string } {
    return { algorithm: SIGNATURE_ALGORITHM, publicKey: this.signer.publicKey, keyId: this.signer.keyId };
  }

  /** Entries written in [from, to), by action. */
  countByAction(from: Date, to: Date): Promise<{ action: string; count: number }[]> {
    return this.log.countByAction(from, to);
  }

  latestCheckpoint(): Promise<StoredCheckpoint | null> {
    return this.log.latestCheckpoint();
  }
}

export class InvalidAuditCursorError extends Error {}

function encodeCursor(seq: number): string {
  return Buffer.from(`seq:${seq}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^seq:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new InvalidAuditCursorError('not a cursor of this search');
  return Number(match[1]);
}
