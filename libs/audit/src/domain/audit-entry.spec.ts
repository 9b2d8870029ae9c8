import { entryHash, GENESIS_HASH, hashedText } from './audit-entry';

// The documented hashing, pinned: anyone recomputing a hash from docs/audit.md must get these bytes.
describe('entry hash', () => {
  const entry = {
    seq: 1,
    id: '6f1c1f7e-2b8a-4c1e-9d3a-0a1b2c3d4e5f',
    at: '2026-11-30T12:00:00.123456Z',
    actor: { kind: 'api_key', id: 'k-1', name: 'ops' },
    action: 'intake_source.created',
    target: { type: 'intake_source', id: 'siem-a', name: 'siem-a' },
    before: null,
    after: { signed: true, note: 'é€😀' },
    requestId: 'req-1',
    prevHash: GENESIS_HASH,
  };

  it('covers the RFC 8785 canonical JSON of every field but the hash', () => {
    expect(hashedText(entry)).toBe(
      '{"action":"intake_source.created","actor":{"id":"k-1","kind":"api_key","name":"ops"},' +
        '"after":{"note":"é€😀","signed":true},"at":"2026-11-30T12:00:00.123456Z","before":null,' +
        '"id":"6f1c1f7e-2b8a-4c1e-9d3a-0a1b2c3d4e5f","prevHash":"' +
        GENESIS_HASH +
        '","requestId":"req-1","seq":1,"target":{"id":"siem-a","name":"siem-a","type":"intake_source"},"v":1}',
    );
  });

  it('is the SHA-256 of that text, and changes with any field', () => {
    expect(entryHash(entry)).toMatch(/^[0-9a-f]{64}$/);
    expect(entryHash(entry)).toBe(entryHash({ ...entry, after: { signed: true, note: 'é€😀' } }));
    expect(entryHash({ ...entry, actor: { ...entry.actor, name: 'ops2' } })).not.toBe(entryHash(entry));
    expect(entryHash({ ...entry, prevHash: 'f'.repeat(64) })).not.toBe(entryHash(entry));
  });
});
