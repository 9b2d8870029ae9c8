/**
 * Every process caches what authenticating an API key and placing a webhook delivery read from
 * the database (api_key, intake_source, intake_source_key). Triggers on those tables notify this
 * channel at the commit of any change that matters (migration 1766000000000), and every process
 * empties its caches then; the process that made the change empties its own right after the
 * commit, without waiting for the notification.
 */
export const CREDENTIALS_CHANGED_CHANNEL = 'rampart_credentials_changed';

/**
 * The longest an entry is trusted, notified or not. It only matters if a notification is lost
 * while the listening connection still looks alive (a half-open TCP connection, until the next
 * reconnection); otherwise the notification ends the entry within milliseconds. 10 s keeps the
 * database out of a busy key's requests (one lookup per key, process and 10 s) and bounds how long
 * such a rare loss can let a revoked key in.
 */
export const CREDENTIALS_CACHE_TTL_MS = 10_000;

/** Entries per cache, at most (least recently used go first): memory stays a few MiB. */
export const CREDENTIALS_CACHE_MAX_ENTRIES = 10_000;

/**
 * How long an authentication may be kept at most, the TTL aside: a usable key until it expires
 * (by the database's clock, so a skewed local clock does not stretch it), so its expiry is seen
 * at once; a revoked or expired key for as long as the TTL allows (only a change, which notifies,
 * can bring it back).
 */
export function apiKeyCacheLifetimeMs(key: {
  revoked: boolean;
  expired: boolean;
  expiresInMs: number | null;
}): number {
  if (key.revoked || key.expired || key.expiresInMs === null) return Number.POSITIVE_INFINITY;
  return key.expiresInMs;
}
