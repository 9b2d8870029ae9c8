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

describe('boundedKey and unstorable characters', () => {
  it('answers the key as the database stores it: NUL and lone surrogates as U+FFFD', () => {
    expect(boundedKey('elastic|id\u0000x')).toBe('elastic|id\ufffdx');
    expect(boundedKey('wazuh|\ud800')).toBe('wazuh|\ufffd');
  });

  it('never cuts a long key inside a surrogate pair', () => {
    const key = `${'a'.repeat(63)}${'😀'.repeat(300)}`;
    const bounded = boundedKey(key);
    expect(bounded.startsWith(`${'a'.repeat(63)}\ufffd#sha256:`)).toBe(true);
  });
});
