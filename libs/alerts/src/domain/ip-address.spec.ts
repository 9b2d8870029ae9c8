import { canonicalIp, isUnspecifiedIp } from './ip-address';

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
