import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

/** Reads a 32-byte key given as 64 hex characters or base64 (the SOAR_MASTER_KEY forms). */
export function parseMasterKey(text: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32)
    throw new SecretBoxError('the master key must be 32 bytes (64 hex characters or base64)');
  return key;
}

/**
 * AES-256-GCM for secrets at rest (connector credentials, intake HMAC secrets). The envelope is
 * `v1.<iv>.<tag>.<ciphertext>` in base64url: versioned so the algorithm or key can rotate later.
 * `toJSON`/`inspect` never show the key.
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new SecretBoxError('the master key must be 32 bytes');
    this.#key = Buffer.from(masterKey);
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  open(envelope: string): string {
    const [version, iv, tag, ciphertext] = envelope.split('.');
    if (version !== VERSION || !iv || !tag || ciphertext === undefined) {
      throw new SecretBoxError('not a sealed secret (expected v1.<iv>.<tag>.<ciphertext>)');
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      // Never echo the envelope or the crypto error: both may help an attacker.
      throw new SecretBoxError('the secret could not be decrypted: wrong SOAR_MASTER_KEY or tampered data');
    }
  }

  toJSON(): string {
    return '[SecretBox]';
  }
}
