// Finding 8 of the hardening issue: the block_ip guard was bypassed with IPv6 forms of IPv4, and
// IPv6 spellings of one address became separate blocks.
import { normalizeTarget } from './containment-operation';

describe('block_ip targets in IPv6 forms of IPv4', () => {
  it.each([
    ['::ffff:127.0.0.1', 'loopback (127.0.0.1/32)'],
    ['::ffff:169.254.169.254', 'link-local (and cloud metadata) (169.254.169.254/32)'],
    [
      '64:ff9b::a9fe:a9fe',
      'link-local (and cloud metadata) (64:ff9b::a9fe:a9fe/128, which embeds 169.254.169.254/32)',
    ],
    ['2002:7f00:1::/48', 'loopback (2002:7f00:1::/48, which embeds 127.0.0.1/32)'],
  ])('refuses %p as %s', (target, what) => {
    expect(normalizeTarget('block_ip', target)).toEqual({
      ok: false,
      problem: `must not be ${what}: never an attacker's address`,
    });
  });

  it('refuses ::ffff:0:0/96, which is all of IPv4', () => {
    expect(normalizeTarget('block_ip', '::ffff:0:0/96')).toEqual({
      ok: false,
      problem: 'must be a /8 or narrower IPv4 range (0.0.0.0/0 is too broad to block)',
    });
  });

  it('refuses a NAT64 range wide enough to reach every IPv4 address', () => {
    expect(normalizeTarget('block_ip', '64:ff9b::/64')).toMatchObject({ ok: false });
  });

  it('writes every spelling of an IPv6 address or network the same way', () => {
    const targets = ['2001:DB8::1', '2001:0db8::0001', '2001:db8:0:0:0:0:0:1'].map((t) =>
      normalizeTarget('block_ip', t),
    );
    expect(targets).toEqual([0, 1, 2].map(() => ({ ok: true, target: '2001:db8::1' })));
    expect(normalizeTarget('block_ip', '2001:DB8:0:0:1::/64')).toEqual({ ok: true, target: '2001:db8::/64' });
    expect(normalizeTarget('block_ip', '::ffff:203.0.113.7')).toEqual({ ok: true, target: '203.0.113.7' });
  });

  it('takes no IPv4 spelling but four decimal parts', () => {
    for (const target of ['127.1', '0x7f.0.0.1', '2130706433', '010.0.0.1']) {
      expect(normalizeTarget('block_ip', target)).toMatchObject({ ok: false });
    }
  });
});
