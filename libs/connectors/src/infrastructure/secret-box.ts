import { parseMasterKey, SecretBox } from '@rampart/secrets';

import { ConnectorError, ConnectorErrorCode } from '../domain/connector-error';

/**
 * Seals a connector instance's credentials (a JSON object of strings) under SOAR_MASTER_KEY with
 * AES-256-GCM, using the platform's {@link SecretBox} (random 12-byte IV, auth tag, versioned
 * envelope `v1.<iv>.<tag>.<ciphertext>` in base64url). The instance id is sealed inside the blob
 * and checked on open, so a ciphertext copied onto another instance's row does not decrypt
 * into it.
 */
export class ConnectorSecretBox {
  readonly #box: SecretBox;

  constructor(box: SecretBox) {
    this.#box = box;
  }

  /** From a 32-byte master key given as 64 hex characters or base64. */
  static fromMasterKey(masterKey: string): ConnectorSecretBox {
    try {
      return new ConnectorSecretBox(new SecretBox(parseMasterKey(masterKey)));
    } catch {
      throw new ConnectorError(
        ConnectorErrorCode.InvalidRequest,
        'SOAR_MASTER_KEY must be 32 bytes as hex or base64',
        {
          retryable: false,
        },
      );
    }
  }

  seal(instanceId: string, credentials: Record<string, string>): string {
    return this.#box.seal(JSON.stringify({ v: 1, instanceId, credentials }));
  }

  open(instanceId: string, envelope: string): Record<string, string> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(this.#box.open(envelope));
    } catch {
      throw unreadable();
    }
    const blob = parsed as { v?: unknown; instanceId?: unknown; credentials?: unknown };
    if (blob.v !== 1 || blob.instanceId !== instanceId || !isStringRecord(blob.credentials))
      throw unreadable();
    return { ...blob.credentials };
  }

  toJSON(): string {
    return '[ConnectorSecretBox]';
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '[ConnectorSecretBox]';
  }
}

function unreadable(): ConnectorError {
  // Same answer for a wrong key, tampering or a blob of another instance: nothing to learn from it.
  return new ConnectorError(
    ConnectorErrorCode.AuthFailed,
    'stored connector credentials could not be decrypted (wrong SOAR_MASTER_KEY, tampered, or not this instance)',
    { retryable: false },
  );
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.values(value as Record<string, unknown>).every((item) => typeof item === 'string')
  );
}
