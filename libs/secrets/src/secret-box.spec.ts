import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';

import { parseMasterKey, SecretBox, SecretBoxError } from './secret-box';

describe('SecretBox', () => {
  const key = randomBytes(32);
  const box = new SecretBox(key);

  it('opens what it sealed, with a fresh IV each time', () => {
    const first = box.seal('s3cret-value');
    const second = box.seal('s3cret-value');
    expect(first).not.toEqual(second);
    expect(first).not.toContain('s3cret');
    expect(box.open(first)).toBe('s3cret-value');
  });

  it('refuses tampered ciphertext', () => {
    const sealed = box.seal('value');
    const parts = sealed.split('.');
    const ciphertext = Buffer.from(parts[3] as string, 'base64url');
    ciphertext[0] = (ciphertext[0] as number) ^ 1;
    parts[3] = ciphertext.toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow(SecretBoxError);
  });

  it('refuses another key', () => {
    expect(() => new SecretBox(randomBytes(32)).open(box.seal('value'))).toThrow(/wrong SOAR_MASTER_KEY/);
  });

  it('never shows its key when serialised or inspected', () => {
    expect(JSON.stringify({ box })).not.toContain(key.toString('hex'));
    expect(inspect(box)).not.toContain(key.toString('hex'));
    expect(inspect(box)).not.toContain(key.toString('base64'));
  });

  it('parses hex and base64 master keys of 32 bytes only', () => {
    expect(parseMasterKey(key.toString('hex'))).toEqual(key);
    expect(parseMasterKey(key.toString('base64'))).toEqual(key);
    expect(() => parseMasterKey('abcd')).toThrow(SecretBoxError);
  });
});
