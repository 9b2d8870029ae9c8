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
});
