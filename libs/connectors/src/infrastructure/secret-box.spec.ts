import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';

import { ConnectorSecretBox } from './secret-box';

describe('ConnectorSecretBox', () => {
  const key = randomBytes(32);
  const box = ConnectorSecretBox.fromMasterKey(key.toString('base64'));
  const credentials = { clientId: 'falcon-client', clientSecret: 'Sup3r-s3cret-value' };

  it('round-trips credentials with a fresh IV each time and no plaintext in the envelope', () => {
    const first = box.seal('inst-1', credentials);
    const second = box.seal('inst-1', credentials);
    expect(first).not.toBe(second);
    expect(first).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(first).not.toContain('Sup3r');
    expect(box.open('inst-1', first)).toEqual(credentials);
  });

  it('accepts the key as hex too', () => {
    const hexBox = ConnectorSecretBox.fromMasterKey(key.toString('hex'));
    expect(hexBox.open('inst-1', box.seal('inst-1', credentials))).toEqual(credentials);
  });

  it('refuses tampered ciphertext, IV and tag', () => {
    const sealed = box.seal('inst-1', credentials);
    for (const part of [1, 2, 3]) {
      const parts = sealed.split('.');
      const bytes = Buffer.from(parts[part] ?? '', 'base64url');
      bytes[0] = (bytes[0] ?? 0) ^ 0x01;
      parts[part] = bytes.toString('base64url');
      expect(() => box.open('inst-1', parts.join('.'))).toThrow(
        expect.objectContaining({ code: 'auth_failed' }),
      );
    }
  });

  it('refuses a wrong key', () => {
    const other = ConnectorSecretBox.fromMasterKey(randomBytes(32).toString('hex'));
    expect(() => other.open('inst-1', box.seal('inst-1', credentials))).toThrow(
      expect.objectContaining({ code: 'auth_failed' }),
    );
  });

  it('refuses a blob sealed for another instance', () => {
    expect(() => box.open('inst-2', box.seal('inst-1', credentials))).toThrow(
      expect.objectContaining({ code: 'auth_failed' }),
    );
  });

  it('refuses master keys that are not 32 bytes', () => {
    expect(() => ConnectorSecretBox.fromMasterKey('too-short')).toThrow(
      expect.objectContaining({ code: 'invalid_request' }),
    );
  });

  it('never shows the key when serialised or inspected, nor secrets in its errors', () => {
    expect(JSON.stringify({ box }) + inspect(box, { showHidden: true })).not.toContain(key.toString('hex'));
    const failure = (() => {
      try {
        box.open('inst-1', 'v1.garbage.garbage.garbage');
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(JSON.stringify(failure)).not.toContain('garbage');
  });
});
