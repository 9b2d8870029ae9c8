import { Injectable } from '@nestjs/common';

import { GENESIS_HASH } from '../domain/audit-entry';
import type { Checkpoint } from '../domain/checkpoint';
import { EXPORT_FORMAT, type ExportHeader } from '../domain/verify-export';
import { AuditLog } from './audit-log';
import { CheckpointSigner } from './checkpoint-signer';
import { SignCheckpointUseCase } from './sign-checkpoint.use-case';

export interface AuditExport {
  /** NDJSON, see {@link ExportHeader}. */
  content: string;
  entries: number;
  checkpoint: Checkpoint;
}

const PAGE = 2_000;

/**
 * The trail of a period as a self-verifying NDJSON document: the entries written in [from, to)
 * with their hashes, closed by a checkpoint signed now over the last of them, which
 * `npm run audit:verify -- <file>` checks offline.
 */
@Injectable()
export class ExportAuditTrailUseCase {
  constructor(
    private readonly log: AuditLog,
    private readonly signer: CheckpointSigner,
    private readonly checkpoints: SignCheckpointUseCase,
  ) {}

  async execute(period: { from: Date | null; to: Date | null }): Promise<AuditExport> {
    const range = await this.log.seqRange(period.from, period.to);
    const lines: string[] = [];
    let last = { seq: 0, hash: GENESIS_HASH };
    if (range) {
      let after = range.first - 1;
      while (after < range.last) {
        const page = await this.log.entriesAfter(after, PAGE, range.last);
        if (page.length === 0) break;
        for (const entry of page) lines.push(JSON.stringify({ type: 'entry', ...entry }));
        const end = page[page.length - 1] as { seq: number; hash: string };
        after = end.seq;
        last = { seq: end.seq, hash: end.hash };
      }
    } else {
      // No entry in the period: the checkpoint vouches for the chain as it stood before it.
      const before = await this.log.seqRange(null, period.from);
      if (before) last = { seq: before.last, hash: (await this.log.hashAt(before.last)) ?? GENESIS_HASH };
    }
    const checkpoint = await this.checkpoints.execute('export', last);
    const header: ExportHeader = {
      type: 'header',
      format: EXPORT_FORMAT,
      exportedAt: new Date().toISOString(),
      period: { from: period.from?.toISOString() ?? null, to: period.to?.toISOString() ?? null },
      canonicalization: 'RFC 8785',
      hash: 'SHA-256',
      signature: 'Ed25519',
      publicKey: this.signer.publicKey,
      keyId: this.signer.keyId,
      entries: lines.length,
    };
    const content = [
      JSON.stringify(header),
      ...lines,
      JSON.stringify({ type: 'checkpoint', ...checkpoint }),
      '',
    ].join('\n');
    return { content, entries: lines.length, checkpoint };
  }
}
