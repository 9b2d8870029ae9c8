import { createHash, createPublicKey, verify } from 'node:crypto';

import { canonicalize } from './canonical-json';

/** A signed statement that the chain's entry `seq` has hash `hash`. */
export interface Checkpoint {
  seq: number;
  hash: string;
  at: string;
  /** First 16 hex characters of the SHA-256 of the raw public key. */
  keyId: string;
  /** Raw Ed25519 public key, base64. */
  publicKey: string;
  /** Ed25519 signature of {@link checkpointText}, base64. */
  signature: string;
}

export const SIGNATURE_ALGORITHM = 'Ed25519';

/** What a checkpoint's signature covers: RFC 8785 JSON of its seq, hash, time and key id. */
export function checkpointText(checkpoint: Pick<Checkpoint, 'seq' | 'hash' | 'at' | 'keyId'>): string {
  const { seq, hash, at, keyId } = checkpoint;
  return canonicalize({ v: 1, seq, hash, at, keyId });
}

export function keyIdOf(rawPublicKey: Buffer): string {
  return createHash('sha256').update(rawPublicKey).digest('hex').slice(0, 16);
}

// DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the 32 raw key bytes follow.
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * Whether the checkpoint is signed by its key; with `trustedPublicKey` (base64), also that the key
 * is that one: an export could otherwise carry a key of the forger's choosing.
 */
export function checkpointSignatureValid(checkpoint: Checkpoint, trustedPublicKey?: string): boolean {
  const raw = Buffer.from(checkpoint.publicKey, 'base64');
  if (raw.length !== 32 || keyIdOf(raw) !== checkpoint.keyId) return false;
  if (trustedPublicKey !== undefined && trustedPublicKey !== checkpoint.publicKey) return false;
  try {
    const key = createPublicKey({
      key: Buffer.concat([SPKI_ED25519_PREFIX, raw]),
      format: 'der',
      type: 'spki',
    });
    return verify(
      null,
      Buffer.from(checkpointText(checkpoint), 'utf8'),
      key,
      Buffer.from(checkpoint.signature, 'base64'),
    );
  } catch {
    return false;
  }
}
