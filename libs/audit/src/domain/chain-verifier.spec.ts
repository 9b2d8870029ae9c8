import { randomUUID } from 'node:crypto';

import { type AuditEntry, entryHash, GENESIS_HASH } from './audit-entry';
import { ChainVerifier } from './chain-verifier';

function chain(length: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq += 1) {
    const content = {
      seq,
      id: randomUUID(),
      at: `2026-01-01T00:00:${String(seq).padStart(2, '0')}.000001Z`,
      actor: { kind: 'api_key', id: 'k1', name: 'ops' },
      action: 'incident.updated',
      target: { type: 'incident', id: `i${seq}`, name: null },
      before: { status: 'new' },
      after: { status: 'acknowledged' },
      requestId: null,
      prevHash,
    };
    prevHash = entryHash(content);
    entries.push({ ...content, hash: prevHash });
  }
  return entries;
}

function verify(entries: AuditEntry[]): ChainVerifier {
  const verifier = new ChainVerifier();
  for (const entry of entries) verifier.push(entry);
  return verifier;
}

describe('ChainVerifier', () => {
  it('accepts an untouched chain and ends at its last hash', () => {
    const entries = chain(5);
    const verifier = verify(entries);
    expect(verifier.firstBreak).toBeUndefined();
    expect(verifier.verified).toBe(5);
    expect(verifier.last).toEqual({ seq: 5, hash: entries[4]?.hash });
  });

  it('names the changed entry when its content no longer gives its hash', () => {
    const entries = chain(5);
    (entries[2] as AuditEntry).after = { status: 'closed' };
    expect(verify(entries).firstBreak).toMatchObject({ seq: 3, reason: 'hash_mismatch' });
  });

  it('names the entry after one whose hash was recomputed to cover a change', () => {
    const entries = chain(5);
    const forged = { ...(entries[1] as AuditEntry), action: 'incident.closed' };
    const { hash: _old, ...content } = forged;
    entries[1] = { ...forged, hash: entryHash(content) };
    expect(verify(entries).firstBreak).toMatchObject({ seq: 3, reason: 'previous_hash_mismatch' });
  });

  it('names the missing sequence number when an entry was deleted', () => {
    const entries = chain(5);
    entries.splice(3, 1);
    expect(verify(entries).firstBreak).toMatchObject({ seq: 4, reason: 'sequence_gap' });
  });

  it('verifies a period from its anchor', () => {
    const entries = chain(6).slice(3);
    const first = entries[0] as AuditEntry;
    const verifier = new ChainVerifier({ seq: first.seq, prevHash: first.prevHash });
    for (const entry of entries) verifier.push(entry);
    expect(verifier.firstBreak).toBeUndefined();
    expect(verifier.verified).toBe(3);
  });
});
