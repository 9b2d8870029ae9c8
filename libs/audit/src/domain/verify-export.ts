import type { AuditEntry } from './audit-entry';
import { GENESIS_HASH } from './audit-entry';
import { type ChainBreakReason, ChainVerifier } from './chain-verifier';
import { type Checkpoint, checkpointSignatureValid } from './checkpoint';

export const EXPORT_FORMAT = 'rampart-audit-export/1';

/** First line of an export. */
export interface ExportHeader {
  type: 'header';
  format: typeof EXPORT_FORMAT;
  exportedAt: string;
  /** The period asked for; entries are those whose time falls in it. */
  period: { from: string | null; to: string | null };
  canonicalization: 'RFC 8785';
  hash: 'SHA-256';
  signature: 'Ed25519';
  publicKey: string;
  keyId: string;
  entries: number;
}

/**
 * An export is NDJSON: the header, one `{"type":"entry",...}` line per entry in sequence order,
 * and last a `{"type":"checkpoint",...}` signed over the last entry (or over the head before the
 * period when it holds none).
 */
export type ExportLine =
  ExportHeader | ({ type: 'entry' } & AuditEntry) | ({ type: 'checkpoint' } & Checkpoint);

export interface ExportVerification {
  valid: boolean;
  entries: number;
  /** Sequence numbers covered, when there are entries. */
  firstSeq?: number;
  lastSeq?: number;
  /** Whether the first entry follows the genesis (the export holds the whole trail from its start). */
  fromGenesis: boolean;
  firstBrokenSeq?: number;
  reason?: ChainBreakReason | 'checkpoint_invalid' | 'checkpoint_mismatch' | 'malformed';
  message: string;
  checkpoint?: { seq: number; keyId: string; signatureValid: boolean };
}

/**
 * Checks an exported trail with no database: every entry's hash, every link, and the signed
 * checkpoint over the last entry. `trustedPublicKey` (base64) pins the signer; without it the
 * export's own key is used, which proves integrity but not origin.
 */
export function verifyExportLines(lines: Iterable<string>, trustedPublicKey?: string): ExportVerification {
  let header: ExportHeader | undefined;
  let checkpoint: Checkpoint | undefined;
  let verifier: ChainVerifier | undefined;
  let firstSeq: number | undefined;
  let fromGenesis = false;
  let lineNumber = 0;
  const malformed = (message: string): ExportVerification => ({
    valid: false,
    entries: verifier?.verified ?? 0,
    fromGenesis,
    reason: 'malformed',
    message: `line ${lineNumber}: ${message}`,
  });
  for (const text of lines) {
    lineNumber += 1;
    if (text.trim() === '') continue;
    let line: ExportLine;
    try {
      line = JSON.parse(text) as ExportLine;
    } catch {
      return malformed('not JSON');
    }
    if (!header) {
      if (line.type !== 'header' || line.format !== EXPORT_FORMAT)
        return malformed(`expected a ${EXPORT_FORMAT} header`);
      header = line;
      continue;
    }
    if (checkpoint) return malformed('nothing may follow the checkpoint');
    if (line.type === 'entry') {
      const { type: _type, ...entry } = line;
      if (!verifier) {
        firstSeq = entry.seq;
        fromGenesis = entry.seq === 1 && entry.prevHash === GENESIS_HASH;
        verifier = new ChainVerifier({ seq: entry.seq, prevHash: entry.prevHash });
      }
      verifier.push(entry);
    } else if (line.type === 'checkpoint') {
      const { type: _type, ...signed } = line;
      checkpoint = signed;
    } else {
      return malformed(`unexpected line type ${String((line as { type?: unknown }).type)}`);
    }
  }
  if (!header) return malformed('empty export');
  if (!checkpoint) return malformed('the export ends without its checkpoint (truncated?)');
  const entries = verifier?.verified ?? 0;
  const signatureValid = checkpointSignatureValid(checkpoint, trustedPublicKey ?? header.publicKey);
  const base = {
    entries,
    fromGenesis,
    ...(firstSeq !== undefined ? { firstSeq, lastSeq: verifier?.last.seq } : {}),
    checkpoint: { seq: checkpoint.seq, keyId: checkpoint.keyId, signatureValid },
  };
  const broken = verifier?.firstBreak;
  if (broken) {
    return {
      ...base,
      valid: false,
      firstBrokenSeq: broken.seq,
      reason: broken.reason,
      message: broken.message,
    };
  }
  if (!signatureValid) {
    return {
      ...base,
      valid: false,
      reason: 'checkpoint_invalid',
      message: trustedPublicKey
        ? 'the checkpoint is not signed by the trusted key'
        : 'the checkpoint signature does not verify',
    };
  }
  if (verifier && (checkpoint.seq !== verifier.last.seq || checkpoint.hash !== verifier.last.hash)) {
    return {
      ...base,
      valid: false,
      firstBrokenSeq: Math.min(checkpoint.seq, verifier.last.seq + 1),
      reason: 'checkpoint_mismatch',
      message: `the signed checkpoint names entry ${checkpoint.seq}, the export ends at ${verifier.last.seq} with another hash`,
    };
  }
  if (header.entries !== entries) {
    return {
      ...base,
      valid: false,
      reason: 'malformed',
      message: `the header announces ${header.entries} entries, found ${entries}`,
    };
  }
  return {
    ...base,
    valid: true,
    message: `${entries} entries verified; checkpoint signed by key ${checkpoint.keyId}`,
  };
}
