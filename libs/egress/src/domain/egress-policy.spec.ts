import { EgressAllowListError, EgressPolicy } from './egress-policy';

const strict = EgressPolicy.strict();
const reason = (policy: EgressPolicy, host: string, address?: string) =>
  (address === undefined ? policy.checkHost(host) : policy.checkAddress(address, host))?.reason ?? null;

describe('the default egress policy', () => {
  it.each([
    ['169.254.169.254', 'linkLocal'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['[::ffff:a9fe:a9fe]', 'linkLocal'],
    ['64:ff9b::a9fe:a9fe', 'linkLocal (embedded in rfc6052)'],
    ['2002:7f00:1::1', 'loopback (embedded in 6to4)'],
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['100.100.100.200', 'carrierGradeNat'],
    ['fd00:ec2::254', 'uniqueLocal'],
    ['fe80::1', 'linkLocal'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['192.0.2.1', 'reserved'],
  ])('refuses the literal %p (%s)', (host, why) => {
    expect(reason(strict, host)).toBe(why);
  });

  it('refuses metadata host names, and names that resolve to refused addresses', () => {
    expect(reason(strict, 'metadata.google.internal')).toBe('a cloud metadata service name');
    expect(reason(strict, 'Metadata.Google.Internal.')).toBe('a cloud metadata service name');
    expect(reason(strict, '127.0.0.1.nip.io', '127.0.0.1')).toBe('loopback');
    expect(reason(strict, 'vendor.example', '::ffff:10.0.0.1')).toBe('private');
  });

  it('lets public unicast through', () => {
    expect(reason(strict, '203.0.114.1')).toBeNull();
    expect(reason(strict, 'api.crowdstrike.com', '34.211.2.1')).toBeNull();
    expect(reason(strict, 'api.example', '2606:4700::1111')).toBeNull();
    expect(reason(strict, '64:ff9b::808:808')).toBeNull();
  });
});

describe('SOAR_EGRESS_ALLOW', () => {
  const policy = EgressPolicy.fromAllowList([
    '127.0.0.0/8',
    '10.20.0.0/16',
    'fw.corp.example',
    '*.lab.example',
  ]);

  it('opts CIDRs and host names in, and nothing else', () => {
    expect(reason(policy, '127.0.0.1')).toBeNull();
    expect(reason(policy, 'localhost', '127.0.0.1')).toBeNull();
    expect(reason(policy, '10.20.3.4')).toBeNull();
    expect(reason(policy, '10.21.0.1')).toBe('private');
    expect(reason(policy, 'fw.corp.example', '10.99.0.1')).toBeNull();
    expect(reason(policy, 'edr.lab.example', '192.168.7.7')).toBeNull();
    expect(reason(policy, 'lab.example', '192.168.7.7')).toBe('private');
    expect(reason(policy, '169.254.169.254')).toBe('linkLocal');
    expect(reason(policy, 'metadata.google.internal')).toBe('a cloud metadata service name');
  });

  it('refuses an entry that is neither a CIDR nor a host name, naming it', () => {
    expect(() => EgressPolicy.fromAllowList(['10.0.0.0/33'])).toThrow(EgressAllowListError);
    expect(() => EgressPolicy.fromAllowList(['http://x'])).toThrow('"http://x" is not a CIDR');
  });
});
