import {
  capabilityOf,
  CONTAINMENT_OPERATIONS,
  isReversible,
  normalizeTarget,
  operationsOf,
  undoOperationOf,
} from './containment-operation';

describe('containment operations', () => {
  it('map to one capability each, and only blocks, isolations and quarantines are undone', () => {
    expect(operationsOf('firewall')).toEqual(['block_ip', 'unblock_ip']);
    expect(operationsOf('edr')).toEqual(['isolate_host', 'release_host', 'collect_forensics']);
    expect(operationsOf('vpn')).toEqual(['disconnect_sessions', 'quarantine_user', 'release_user']);
    expect(operationsOf('notify')).toEqual(['notify']);
    expect(CONTAINMENT_OPERATIONS.filter(isReversible)).toEqual([
      'block_ip',
      'isolate_host',
      'quarantine_user',
    ]);
    expect(undoOperationOf('block_ip')).toBe('unblock_ip');
    expect(undoOperationOf('isolate_host')).toBe('release_host');
    expect(undoOperationOf('quarantine_user')).toBe('release_user');
    expect(undoOperationOf('notify')).toBeUndefined();
    expect(undoOperationOf('collect_forensics')).toBeUndefined();
    expect(capabilityOf('disconnect_sessions')).toBe('vpn');
  });

  it.each([
    ['block_ip', ' 203.0.113.7 ', '203.0.113.7'],
    ['block_ip', '10.1.2.3/24', '10.1.2.0/24'],
    ['block_ip', '2001:DB8::1', '2001:db8::1'],
    ['isolate_host', 'WS-042.corp.example', 'ws-042.corp.example'],
    ['isolate_host', '10.1.2.42', '10.1.2.42'],
    ['collect_forensics', 'WS-042', 'ws-042'],
    ['quarantine_user', ' alice@example.com ', 'alice@example.com'],
    ['notify', 'Host isolated', 'Host isolated'],
  ] as const)('spells %s of %p as %p', (operation, target, expected) => {
    expect(normalizeTarget(operation, target)).toEqual({ ok: true, target: expected });
  });

  it.each([
    ['block_ip', 'host.example'],
    ['block_ip', '10.0.0.1/33'],
    ['isolate_host', "x' or 1 eq 1"],
    ['release_user', ''],
    ['release_user', 'a\u0000b'],
    ['notify', '   '],
  ] as const)('refuses %s of %p', (operation, target) => {
    expect(normalizeTarget(operation, target)).toMatchObject({ ok: false, problem: expect.any(String) });
  });

  it.each([
    ['0.0.0.0/0', 'must be a /8 or narrower IPv4 range (0.0.0.0/0 is too broad to block)'],
    ['10.0.0.0/7', 'must be a /8 or narrower IPv4 range (10.0.0.0/7 is too broad to block)'],
    ['2001:db8::/16', 'must be a /32 or narrower IPv6 range (2001::/16 is too broad to block)'],
    ['0.0.0.0', 'must not be "this network" (0.0.0.0/32): never an attacker\'s address'],
    ['127.0.0.53', "must not be loopback (127.0.0.53/32): never an attacker's address"],
    [
      '169.254.169.254',
      "must not be link-local (and cloud metadata) (169.254.169.254/32): never an attacker's address",
    ],
    ['224.0.0.251', "must not be multicast (224.0.0.251/32): never an attacker's address"],
    [
      '255.255.255.255',
      "must not be reserved or broadcast (255.255.255.255/32): never an attacker's address",
    ],
    ['169.0.0.0/8', "must not be link-local (and cloud metadata) (169.0.0.0/8): never an attacker's address"],
    ['::1', "must not be loopback (::1/128): never an attacker's address"],
    ['::', "must not be the unspecified address (::/128): never an attacker's address"],
    ['FE80::1:2', "must not be link-local (fe80::1:2/128): never an attacker's address"],
    ['ff02::1', "must not be multicast (ff02::1/128): never an attacker's address"],
  ])('will not block %p: %s', (target, problem) => {
    expect(normalizeTarget('block_ip', target)).toEqual({ ok: false, problem });
  });

  it.each([
    '10.0.0.0/8',
    '192.168.1.0/24',
    '203.0.113.7',
    '2001:db8::/32',
    '::ffff:203.0.113.7',
    '2001:db8::1',
  ])('blocks %p', (target) => {
    expect(normalizeTarget('block_ip', target)).toMatchObject({ ok: true });
  });

  it('always lets an unblock through, so an earlier mistake can be undone', () => {
    expect(normalizeTarget('unblock_ip', '0.0.0.0/0')).toEqual({ ok: true, target: '0.0.0.0/0' });
    expect(normalizeTarget('unblock_ip', '127.0.0.1')).toEqual({ ok: true, target: '127.0.0.1' });
  });
});
