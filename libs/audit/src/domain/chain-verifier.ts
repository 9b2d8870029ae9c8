import { type AuditEntry, entryHash, GENESIS_HASH } from './audit-entry';

export type ChainBreakReason =
  /** The entry's content no longer gives its hash: the entry itself was changed. */
  | 'hash_mismatch'
  /** The entry does not point at the hash of the one before: an entry before it was replaced. */
  | 'previous_hash_mismatch'
  /** A sequence number is missing or repeated: entries were deleted or inserted. */
  | 'sequence_gap';

export interface ChainBreak {
  /** The first entry that does not hold (for a gap: the sequence number that was expected). */
  seq: number;
  reason: ChainBreakReason;
  message: string;
}

/**
 * Recomputes a chain entry by entry, in sequence order, without holding it in memory (a long trail
 * is read page by page). Stops counting at the first break: what follows cannot be trusted.
 */
export class ChainVerifier {
  private expectedSeq: number;
  private previousHash: string;
  private count = 0;
  private broken: ChainBreak | undefined;
  private readonly hashes = new Map<number, string>();

  /**
   * By default the chain starts at seq 1 from the genesis hash. An export of a period starts
   * later, anchored on the previous hash its first entry names (`anchor`).
   */
  constructor(
    anchor: { seq: number; prevHash: string } = { seq: 1, prevHash: GENESIS_HASH },
    private readonly remember: (seq: number) => boolean = () => false,
  ) {
    this.expectedSeq = anchor.seq;
    this.previousHash = anchor.prevHash;
  }

  /** false once the chain is broken (further entries are ignored). */
  push(entry: AuditEntry): boolean {
    if (this.broken) return false;
    if (entry.seq !== this.expectedSeq) {
      return this.fail(
        Math.min(entry.seq, this.expectedSeq),
        'sequence_gap',
        `expected entry ${this.expectedSeq}, found ${entry.seq}`,
      );
    }
    if (entry.prevHash !== this.previousHash) {
      return this.fail(
        entry.seq,
        'previous_hash_mismatch',
        `entry ${entry.seq} does not follow the entry before it`,
      );
    }
    const { hash, ...content } = entry;
    if (entryHash(content) !== hash) {
      return this.fail(entry.seq, 'hash_mismatch', `entry ${entry.seq} was changed after it was written`);
    }
    this.count += 1;
    this.expectedSeq += 1;
    this.previousHash = hash;
    if (this.remember(entry.seq)) this.hashes.set(entry.seq, hash);
    return true;
  }

  /** Declares the chain broken from outside (a checkpoint or the head disagrees). */
  fail(seq: number, reason: ChainBreakReason, message: string): false {
    this.broken ??= { seq, reason, message };
    return false;
  }

  get firstBreak(): ChainBreak | undefined {
    return this.broken;
  }

  /** Entries verified before any break. */
  get verified(): number {
    return this.count;
  }

  /** The last verified entry: its seq and hash. */
  get last(): { seq: number; hash: string } {
    return { seq: this.expectedSeq - 1, hash: this.previousHash };
  }

  /** The verified hash at `seq`, if it was asked to be remembered. */
  hashAt(seq: number): string | undefined {
    return this.hashes.get(seq);
  }
}
