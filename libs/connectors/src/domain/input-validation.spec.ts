import { assertHostname, parseNetworkTarget } from './network-target';
import { path, pathSegment } from './safe-path';

describe('network targets', () => {
  it('canonicalises IPs and CIDRs', () => {
    expect(parseNetworkTarget('10.1.2.3')).toMatchObject({ family: 4, cidr: '10.1.2.3/32', isHost: true });
    expect(parseNetworkTarget(' 10.1.2.3/24 ')).toMatchObject({
      address: '10.1.2.0',
      prefix: 24,
      isHost: false,
    });
    expect(parseNetworkTarget('2001:DB8::1')).toMatchObject({
      family: 6,
      address: '2001:db8::1',
      isHost: true,
    });
    expect(parseNetworkTarget('0.0.0.0/0')).toMatchObject({ cidr: '0.0.0.0/0' });
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
  ])('refuses %p', (value) => {
    expect(() => parseNetworkTarget(value)).toThrow(expect.objectContaining({ code: 'invalid_request' }));
  });

  it('accepts DNS-shaped host names only', () => {
    expect(assertHostname('WS-042.corp.example')).toBe('ws-042.corp.example');
    for (const bad of ["x' or 1 eq 1", 'a b', '', 'http://x']) {
      expect(() => assertHostname(bad)).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    }
  });
});

describe('safe paths', () => {
  it('encodes parameter values into single segments', () => {
    expect(path`/api/v1/users/${'alice@example.com'}/sessions`).toBe(
      '/api/v1/users/alice%40example.com/sessions',
    );
    expect(pathSegment('a/b?c#d')).toBe('a%2Fb%3Fc%23d');
    expect(pathSegment(42)).toBe('42');
  });

  it.each(['..', '../etc', 'a/../b', 'https://evil.example/x', '/absolute', '\\\\server', 'a\u0000b', ''])(
    'refuses %p',
    (value) => {
      expect(() => pathSegment(value)).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    },
  );
});
