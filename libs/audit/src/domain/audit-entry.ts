import { createHash } from 'node:crypto';

import { canonicalize, type JsonValue } from './canonical-json';

/** The previous hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** One entry of the trail as stored, exported and hashed. */
export interface AuditEntry {
  seq: number;
  id: string;
  /** UTC with microseconds, `2026-01-31T12:00:00.123456Z`, as PostgreSQL keeps it. */
  at: string;
  actor: { kind: string; id: string | null; name: string };
  action: string;
  target: { type: string; id: string | null; name: string | null };
  before: JsonValue;
  after: JsonValue;
  requestId: string | null;
  prevHash: string;
  hash: string;
}

/**
 * The bytes an entry's hash covers: its RFC 8785 canonical JSON, every field but the hash itself,
 * under a format version. Documented in docs/audit.md, so anyone can recompute it.
 */
export function hashedText(entry: Omit<AuditEntry, 'hash'>): string {
  const { seq, id, at, actor, action, target, before, after, requestId, prevHash } = entry;
  return canonicalize({
    v: 1,
    seq,
    id,
    at,
    actor: { kind: actor.kind, id: actor.id, name: actor.name },
    action,
    target: { type: target.type, id: target.id, name: target.name },
    before,
    after,
    requestId,
    prevHash,
  });
}

/** SHA-256 (hex) of {@link hashedText}: links the entry to `prevHash`, the hash before it. */
export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256').update(hashedText(entry), 'utf8').digest('hex');
}
