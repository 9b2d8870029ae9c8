import { apiKeyCacheLifetimeMs, CREDENTIALS_CACHE_TTL_MS } from './credentials-cache';

describe('apiKeyCacheLifetimeMs', () => {
  const key = { revoked: false, expired: false, expiresInMs: null as number | null };

  it('ends a usable key with an expiry at that expiry, as the database counts it', () => {
    expect(apiKeyCacheLifetimeMs({ ...key, expiresInMs: 1_500 })).toBe(1_500);
    expect(apiKeyCacheLifetimeMs({ ...key, expiresInMs: 0.5 })).toBe(0.5);
  });

  it('leaves keys without expiry, revoked and expired keys to the TTL (only a notified change alters them)', () => {
    expect(apiKeyCacheLifetimeMs(key)).toBe(Number.POSITIVE_INFINITY);
    expect(apiKeyCacheLifetimeMs({ ...key, revoked: true, expiresInMs: 5 })).toBe(Number.POSITIVE_INFINITY);
    expect(apiKeyCacheLifetimeMs({ ...key, expired: true, expiresInMs: -5 })).toBe(Number.POSITIVE_INFINITY);
  });

  it('keeps the TTL under the minute the last-used time is kept to (hits do not write it)', () => {
    expect(CREDENTIALS_CACHE_TTL_MS).toBeGreaterThan(0);
    expect(CREDENTIALS_CACHE_TTL_MS).toBeLessThanOrEqual(60_000);
  });
});
