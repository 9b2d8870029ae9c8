import { createHash } from 'node:crypto';

import { storableText } from '@rampart/text';

/**
 * Keys that PostgreSQL indexes (alert identities, entity keys) must stay well under a B-tree
 * entry's limit (about 2.7 kB): one oversized value from a SIEM would otherwise fail its whole
 * batch, and on Kafka block its partition.
 */
export const MAX_KEY_BYTES = 512;

/**
 * The key itself when short enough; otherwise its start and a SHA-256 of the whole, still unique.
 * Always storable text (NUL and unpaired surrogates as U+FFFD, as the database boundary would
 * store them), so that a key held in memory is the very key read back from the database.
 */
export function boundedKey(key: string): string {
  const text = storableText(key);
  if (Buffer.byteLength(text, 'utf8') <= MAX_KEY_BYTES) return text;
  // The cut may split a surrogate pair: the prefix is made storable again.
  return `${storableText(text.slice(0, 64))}#sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}
