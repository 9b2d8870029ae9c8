import {
  canonicalIp,
  embeddedIpv4Networks,
  ipv4Netmask,
  ipv4PrefixFromNetmask,
  isUnspecifiedIp,
  networkContains,
  networksOverlap,
  parseIpNetwork,
  type IpNetwork,
} from './ip';

describe('canonicalIp', () => {
  it.each([
    ['192.168.1.146', '192.168.1.146'],
    [' 10.0.0.1 ', '10.0.0.1'],
    ['0.0.0.0', '0.0.0.0'],
    ['255.255.255.255', '255.255.255.255'],
  ])('keeps IPv4 %p as %p', (input, expected) => {
    expect(canonicalIp(input)).toBe(expected);
  });

  it.each([
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['2001:DB8::BAD:1', '2001:db8::bad:1'],
    ['::1', '::1'],
    ['::', '::'],
    ['1::', '1::'],
    ['fe80::1%eth0', 'fe80::1'],
    ['[2001:db8::1]', '2001:db8::1'],
    ['2001:db8:0:0:0:0:2:1', '2001:db8::2:1'],
    ['0:0:0:0:0:0:0:0', '::'],
  ])('writes IPv6 %p in RFC 5952 form %p', (input, expected) => {
    expect(canonicalIp(input)).toBe(expected);
  });

  it.each([
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['::FFFF:c000:0201', '192.0.2.1'],
  ])('turns IPv4-mapped %p into IPv4 %p', (input, expected) => {
    expect(canonicalIp(input)).toBe(expected);
  });

  it.each([
    '-',
    '',
    'xxx.xxx.x.x',
    '1.2.3',
    '1.2.3.4.5',
    '1.2.3.256',
    '01.2.3.4',
    '1.2.3.4/32',
    '1.2.3.4:80',
    '1:2:3:4:5:6:7:8:9',
    '1::2::3',
    '12345::1',
    'g::1',
    ':1:2:3:4:5:6:7',
    'example.com',
    '1'.repeat(100),
  ])('rejects %p', (input) => {
    expect(canonicalIp(input)).toBeNull();
  });

  it('recognises the unspecified addresses', () => {
    expect(isUnspecifiedIp('0.0.0.0')).toBe(true);
    expect(isUnspecifiedIp('::')).toBe(true);
    expect(isUnspecifiedIp('10.0.0.1')).toBe(false);
  });
});

describe('canonicalIp and spellings other parsers read differently', () => {
  it.each(['127.1', '0x7f.0.0.1', '010.0.0.1', '2130706433', '0177.0.0.1', '::ffff:010.0.0.1'])(
    'is no address: %p',
    (input) => {
      expect(canonicalIp(input)).toBeNull();
    },
  );

  it('gives one form to every spelling of an IPv6 address', () => {
    expect(canonicalIp('2001:DB8::1')).toBe(canonicalIp('2001:0db8::0001'));
    expect(canonicalIp('::ffff:127.0.0.1')).toBe('127.0.0.1');
  });
});

describe('parseIpNetwork', () => {
  const cidr = (text: string) => parseIpNetwork(text)?.cidr ?? null;

  it('clears host bits and writes the canonical address', () => {
    expect(cidr(' 10.1.2.3/24 ')).toBe('10.1.2.0/24');
    expect(cidr('2001:0DB8::0001')).toBe('2001:db8::1/128');
    expect(cidr('2001:db8:1:2::/32')).toBe('2001:db8::/32');
  });

  it('reads IPv4-mapped networks of prefix 96 or more as the IPv4 networks they are', () => {
    expect(cidr('::ffff:0:0/96')).toBe('0.0.0.0/0');
    expect(cidr('::ffff:127.0.0.1')).toBe('127.0.0.1/32');
    expect(cidr('::ffff:a9fe:0/112')).toBe('169.254.0.0/16');
    expect(parseIpNetwork('::ffff:0:0/95')?.family).toBe(6);
  });

  it.each([
    '',
    'host.example',
    '10.0.0.1/33',
    '10.0.0.1/',
    '10.0.0.1/8/8',
    '1.2.3',
    '2001:db8::/129',
    '10.0.0.01',
    '[::1]/128',
  ])('refuses %p', (input) => {
    expect(parseIpNetwork(input)).toBeNull();
  });

  it('compares networks', () => {
    const net = (text: string) => parseIpNetwork(text) as IpNetwork;
    expect(networkContains(net('10.0.0.0/8'), net('10.1.0.0/16'))).toBe(true);
    expect(networkContains(net('10.1.0.0/16'), net('10.0.0.0/8'))).toBe(false);
    expect(networkContains(net('10.0.0.0/8'), { family: 4, text: '10.9.9.9' })).toBe(true);
    expect(networksOverlap(net('10.1.0.0/16'), net('10.0.0.0/8'))).toBe(true);
    expect(networksOverlap(net('10.0.0.0/8'), net('2001:db8::/32'))).toBe(false);
  });
});

describe('embeddedIpv4Networks', () => {
  const embedded = (text: string) =>
    embeddedIpv4Networks(parseIpNetwork(text) as IpNetwork).map((n) => n.cidr);

  it('finds the IPv4 address inside NAT64, SIIT and 6to4 forms', () => {
    expect(embedded('64:ff9b::a9fe:a9fe')).toEqual(['169.254.169.254/32']);
    expect(embedded('::ffff:0:7f00:1')).toEqual(['127.0.0.1/32']);
    expect(embedded('2002:7f00:1::/48')).toEqual(['127.0.0.1/32']);
  });

  it('reaches all of IPv4 from a network wider than the part carrying it', () => {
    expect(embedded('64:ff9b::/64')).toContain('0.0.0.0/0');
  });

  it('finds none in ordinary IPv6 or in IPv4', () => {
    expect(embedded('2001:db8::1')).toEqual([]);
    expect(embedded('10.0.0.1')).toEqual([]);
  });
});

describe('netmasks', () => {
  it('converts prefixes and netmasks', () => {
    expect(ipv4Netmask(24)).toBe('255.255.255.0');
    expect(ipv4Netmask(0)).toBe('0.0.0.0');
    expect(ipv4Netmask(32)).toBe('255.255.255.255');
    expect(ipv4PrefixFromNetmask('255.255.240.0')).toBe(20);
    expect(ipv4PrefixFromNetmask('255.0.255.0')).toBeUndefined();
  });
});
