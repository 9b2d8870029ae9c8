import { alertIdentity, contentFingerprint } from './alert-identity';
import { canonicalJson } from './canonical-json';
import { normalizeAlert } from './normalize-alert';
import type { NormalizedAlert } from './normalized-alert';

function normalized(input: unknown): NormalizedAlert {
  const result = normalizeAlert(input, { receivedAt: new Date('2024-01-01T00:00:00Z') });
  if (!result.ok) throw new Error(result.error.message);
  return result.alert;
}

describe('alertIdentity', () => {
  it('is source|externalId when the vendor gave an id', () => {
    const alert = normalized({
      class_uid: 2004,
      time: 1,
      finding_info: { uid: 'f-1', title: 't' },
      metadata: { product: { name: 'GuardDuty' } },
    });
    expect(alertIdentity(alert)).toBe('ocsf:guardduty|f-1');
  });

  it('fingerprints the raw content when there is no id, whatever the key order', () => {
    const a = normalized({
      rule: { level: 3, description: 'd' },
      agent: { name: 'h' },
      timestamp: '2017 Jan 05 14:11:21',
    });
    const b = normalized({
      timestamp: '2017 Jan 05 14:11:21',
      agent: { name: 'h' },
      rule: { description: 'd', level: 3 },
    });
    expect(alertIdentity(a)).toMatch(/^fp\|[0-9a-f]{64}$/);
    expect(alertIdentity(a)).toBe(alertIdentity(b));
  });

  it('tells apart alerts that differ in content', () => {
    const a = normalized('CEF:0|v|p|1|c|n|5|src=1.2.3.4');
    const b = normalized('CEF:0|v|p|1|c|n|5|src=1.2.3.5');
    expect(alertIdentity(a)).not.toBe(alertIdentity(b));
  });

  it('ignores the syslog prefix and trailing whitespace of a CEF line', () => {
    const direct = normalized('CEF:0|v|p|1|c|n|5|src=1.2.3.4');
    const relayed = normalized('<134>Aug  3 10:49:35 relay-2 CEF:0|v|p|1|c|n|5|src=1.2.3.4  \n');
    expect(alertIdentity(relayed)).toBe(alertIdentity(direct));
  });

  it('hashes canonical JSON with sorted keys at every level', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: 'x', u: undefined })).toBe(
      '{"a":"x","b":[{"c":2,"d":1}]}',
    );
    expect(contentFingerprint({ a: 1, b: 2 })).toBe(contentFingerprint({ b: 2, a: 1 }));
  });

  it('fingerprints a very deeply nested alert without overflowing the stack', () => {
    const deep = JSON.parse(`${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`) as unknown;
    expect(contentFingerprint(deep)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('writes a cycle as null instead of throwing', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    expect(canonicalJson(cyclic)).toBe('{"a":1,"self":null}');
  });
});
