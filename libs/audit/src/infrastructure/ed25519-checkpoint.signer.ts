import { createPrivateKey, createPublicKey, KeyObject, sign } from 'node:crypto';

import { CheckpointSigner } from '../application/checkpoint-signer';
import { type Checkpoint, checkpointText, keyIdOf } from '../domain/checkpoint';

// DER prefix of an Ed25519 PKCS#8 private key (RFC 8410); the 32-byte seed follows.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * Signs checkpoints with the Ed25519 key whose 32-byte seed is SOAR_AUDIT_SIGNING_KEY (or the one
 * generated into the data directory). The seed never leaves this object.
 */
export class Ed25519CheckpointSigner extends CheckpointSigner {
  readonly #privateKey: KeyObject;
  readonly publicKey: string;
  readonly keyId: string;

  constructor(seed: Buffer) {
    super();
    if (seed.length !== 32) throw new Error('the audit signing key must be 32 bytes');
    this.#privateKey = createPrivateKey({
      key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
      format: 'der',
      type: 'pkcs8',
    });
    const raw = createPublicKey(this.#privateKey).export({ format: 'der', type: 'spki' }).subarray(-32);
    this.publicKey = raw.toString('base64');
    this.keyId = keyIdOf(raw);
  }

  sign(point: { seq: number; hash: string; at: string }): Checkpoint {
    const unsigned = { ...point, keyId: this.keyId };
    const signature = sign(null, Buffer.from(checkpointText(unsigned), 'utf8'), this.#privateKey);
    return { ...unsigned, publicKey: this.publicKey, signature: signature.toString('base64') };
  }

  toJSON(): Record<string, string> {
    return { keyId: this.keyId };
  }
}
