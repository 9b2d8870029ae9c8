import { createHash } from 'node:crypto';

/**
 * Keys that PostgreSQL indexes (alert identities, entity keys) must stay well under a B-tree
 * entry's limit (about 2.7 kB): one oversized value from a SIEM would otherwise fail its whole
 * batch, and on Kafka block its partition.
 */
export const MAX_KEY_BYTES = 512;

/** The key itself when short enough; otherwise its start and a SHA-256 of the whole, still unique. */
export function boundedKey(key: string): string {
  if (Buffer.byteLength(key, 'utf8') <= MAX_KEY_BYTES) return key;
  return `${key.slice(0, 64)}#sha256:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}
