import { Injectable, Logger } from '@nestjs/common';

import type { ChainBreakReason } from '../domain/chain-verifier';
import { ChainVerifier } from '../domain/chain-verifier';
import { checkpointSignatureValid } from '../domain/checkpoint';
import { AuditLog } from './audit-log';
import { CheckpointSigner } from './checkpoint-signer';

export interface AuditVerification {
  valid: boolean;
  /** Entries whose hash and link were recomputed and hold (all of them when valid). */
  entries: number;
  head: { seq: number; hash: string };
  firstBrokenSeq?: number;
  reason?: ChainBreakReason | 'checkpoint_mismatch' | 'checkpoint_invalid' | 'head_mismatch';
  message: string;
  checkpoints: {
    total: number;
    /** Signed by their key and matching the recomputed chain. */
    valid: number;
    /** Signed by another key than the current one (a rotated key). */
    otherKeys: number;
    latest: { seq: number; at: string; keyId: string } | null;
  };
  durationMs: number;
}

const PAGE = 2_000;
const PROGRESS_EVERY = 100_000;

/**
 * Recomputes the whole chain from the first entry, page by page: every hash, every link, the
 * head, and every signed checkpoint. The first entry that does not hold is named.
 */
@Injectable()
export class VerifyAuditTrailUseCase {
  private readonly logger = new Logger('AuditVerification');

  constructor(
    private readonly log: AuditLog,
    private readonly signer: CheckpointSigner,
  ) {}

  async execute(onProgress?: (entries: number) => void): Promise<AuditVerification> {
    const started = performance.now();
    const head = await this.log.head();
    const checkpoints = await this.log.checkpoints();
    const atCheckpoint = new Set(checkpoints.map((checkpoint) => checkpoint.seq));
    const verifier = new ChainVerifier(undefined, (seq) => atCheckpoint.has(seq));
    let after = 0;
    for (;;) {
      const page = await this.log.entriesAfter(after, PAGE, head.seq);
      for (const entry of page) if (!verifier.push(entry)) break;
      if (verifier.firstBreak || page.length < PAGE) break;
      after = (page[page.length - 1] as { seq: number }).seq;
      if (after % PROGRESS_EVERY < PAGE) {
        onProgress?.(verifier.verified);
        this.logger.log(`verified ${verifier.verified} of ${head.seq} audit entries`);
      }
    }
    let valid = 0;
    let otherKeys = 0;
    let problem: { seq: number; reason: AuditVerification['reason']; message: string } | undefined;
    if (!verifier.firstBreak && (verifier.last.seq !== head.seq || verifier.last.hash !== head.hash)) {
      problem = {
        seq: verifier.last.seq + 1,
        reason: 'head_mismatch',
        message: `the chain head is entry ${head.seq}, but the entries end at ${verifier.last.seq}: entries were removed`,
      };
    }
    for (const checkpoint of checkpoints) {
      if (checkpoint.keyId !== this.signer.keyId) otherKeys += 1;
      const verifiedHash = verifier.hashAt(checkpoint.seq);
      if (!checkpointSignatureValid(checkpoint)) {
        problem ??= {
          seq: checkpoint.seq,
          reason: 'checkpoint_invalid',
          message: `the checkpoint of entry ${checkpoint.seq} (${checkpoint.at}) has an invalid signature`,
        };
      } else if (verifiedHash !== undefined && verifiedHash !== checkpoint.hash) {
        problem ??= {
          seq: checkpoint.seq,
          reason: 'checkpoint_mismatch',
          message: `entry ${checkpoint.seq} no longer has the hash signed at ${checkpoint.at}: the trail was rewritten`,
        };
      } else if (verifiedHash !== undefined) {
        valid += 1;
      }
    }
    const latest = checkpoints[checkpoints.length - 1];
    const summary = {
      entries: verifier.verified,
      head,
      checkpoints: {
        total: checkpoints.length,
        valid,
        otherKeys,
        latest: latest ? { seq: latest.seq, at: latest.at, keyId: latest.keyId } : null,
      },
      durationMs: Math.round(performance.now() - started),
    };
    const broken = verifier.firstBreak;
    if (broken) {
      return {
        ...summary,
        valid: false,
        firstBrokenSeq: broken.seq,
        reason: broken.reason,
        message: broken.message,
      };
    }
    if (problem) {
      return {
        ...summary,
        valid: false,
        firstBrokenSeq: problem.seq,
        reason: problem.reason,
        message: problem.message,
      };
    }
    return {
      ...summary,
      valid: true,
      message: `${verifier.verified} entries and ${valid} signed checkpoints verified`,
    };
  }
}
