import { boundedKey, MAX_KEY_BYTES } from './bounded-key';

describe('boundedKey', () => {
  it('keeps short keys as they are', () => {
    expect(boundedKey('host:web-01')).toBe('host:web-01');
  });

  it('shortens long keys, counting bytes not characters, and stays unique and stable', () => {
    const long = `url:https://example.test/${'€'.repeat(400)}`;
    const other = `${long}x`;
    expect(Buffer.byteLength(boundedKey(long))).toBeLessThanOrEqual(MAX_KEY_BYTES);
    expect(boundedKey(long)).toMatch(/^url:https:\/\/example\.test\/€+#sha256:[0-9a-f]{64}$/);
    expect(boundedKey(long)).toBe(boundedKey(long));
    expect(boundedKey(long)).not.toBe(boundedKey(other));
  });
});
