import { parseNetworkTarget } from '@rampart/connectors';
import { parseDuration } from '@rampart/config';

import {
  canonicalAssetValue,
  parseBlastRadiusLimits,
  type ProtectedAsset,
  protectingAsset,
} from './guardrails';

const asset = (
  kind: ProtectedAsset['kind'],
  value: string,
  operations: ProtectedAsset['operations'] = null,
) => ({
  id: `${kind}:${value}`,
  kind,
  value,
  operations,
  reason: null,
  source: 'api' as const,
});

const protects = (
  assets: ProtectedAsset[],
  operation: Parameters<typeof protectingAsset>[1]['operation'],
  target: string,
  tags: string[] = [],
) => protectingAsset(assets, { operation, target, tags }, parseNetworkTarget)?.id;

describe('protectingAsset', () => {
  const assets = [
    asset('cidr', '10.0.0.53/32'),
    asset('cidr', '192.168.10.0/24'),
    asset('host', 'dc01'),
    asset('user', 'administrator'),
    asset('tag', 'crown-jewel'),
    asset('host', 'build01', ['isolate_host']),
  ];

  it('protects addresses inside and networks overlapping a protected range', () => {
    expect(protects(assets, 'block_ip', '10.0.0.53')).toBe('cidr:10.0.0.53/32');
    expect(protects(assets, 'block_ip', '10.0.0.0/24')).toBe('cidr:10.0.0.53/32');
    expect(protects(assets, 'block_ip', '192.168.10.77')).toBe('cidr:192.168.10.0/24');
    expect(protects(assets, 'isolate_host', '192.168.10.77')).toBe('cidr:192.168.10.0/24');
    expect(protects(assets, 'block_ip', '10.0.0.54')).toBeUndefined();
    expect(protects(assets, 'block_ip', '192.168.11.1')).toBeUndefined();
  });

  it('protects an address in its IPv6 forms too: IPv4-mapped, NAT64 and 6to4', () => {
    expect(protects(assets, 'block_ip', '::ffff:10.0.0.53')).toBe('cidr:10.0.0.53/32');
    expect(protects(assets, 'block_ip', '64:ff9b::a00:35')).toBe('cidr:10.0.0.53/32');
    expect(protects(assets, 'block_ip', '2002:a00:35::/48')).toBe('cidr:10.0.0.53/32');
    expect(protects(assets, 'block_ip', '64:ff9b::c0a8:a4d')).toBe('cidr:192.168.10.0/24');
    expect(protects(assets, 'block_ip', '64:ff9b::a00:36')).toBeUndefined();
  });

  it('protects a host by its short and fully qualified names, a user under any domain spelling', () => {
    expect(protects(assets, 'isolate_host', 'dc01')).toBe('host:dc01');
    expect(protects(assets, 'isolate_host', 'dc01.corp.example')).toBe('host:dc01');
    expect(protects(assets, 'isolate_host', 'dc011')).toBeUndefined();
    expect(protects(assets, 'quarantine_user', 'CORP\\Administrator')).toBe('user:administrator');
    expect(protects(assets, 'disconnect_sessions', 'administrator@corp.example')).toBe('user:administrator');
    expect(protects(assets, 'quarantine_user', 'admin')).toBeUndefined();
  });

  it('protects by tag, honours per-asset operations, and never guards undos or notices', () => {
    expect(protects(assets, 'isolate_host', 'ws-1', ['Crown-Jewel'])).toBe('tag:crown-jewel');
    expect(protects(assets, 'isolate_host', 'build01')).toBe('host:build01');
    expect(
      protectingAsset(
        [asset('host', 'build01', ['block_ip'])],
        { operation: 'isolate_host', target: 'build01', tags: [] },
        parseNetworkTarget,
      ),
    ).toBeUndefined();
    expect(protects(assets, 'unblock_ip', '10.0.0.53')).toBeUndefined();
    expect(protects(assets, 'release_host', 'dc01')).toBeUndefined();
    expect(protects(assets, 'notify', 'dc01')).toBeUndefined();
  });
});

describe('canonicalAssetValue', () => {
  it('writes CIDRs in canonical form and names lower-case, and refuses what is not one', () => {
    expect(canonicalAssetValue('cidr', '10.1.2.3/24', parseNetworkTarget)).toEqual({
      ok: true,
      value: '10.1.2.0/24',
    });
    expect(canonicalAssetValue('host', ' DC01 ', parseNetworkTarget)).toEqual({ ok: true, value: 'dc01' });
    expect(canonicalAssetValue('cidr', 'dc01', parseNetworkTarget)).toMatchObject({ ok: false });
    expect(canonicalAssetValue('user', 'a\u0000b', parseNetworkTarget)).toMatchObject({ ok: false });
  });
});

describe('parseBlastRadiusLimits', () => {
  it('reads global windows and per-incident limits, and says what is wrong', () => {
    expect(parseBlastRadiusLimits('isolate_host=10/1h, isolate_host=3/incident', parseDuration)).toEqual({
      limits: [
        { operation: 'isolate_host', scope: 'global', max: 10, windowMs: 3_600_000 },
        { operation: 'isolate_host', scope: 'incident', max: 3, windowMs: null },
      ],
      problems: [],
    });
    expect(parseBlastRadiusLimits('none', parseDuration)).toEqual({ limits: [], problems: [] });
    const bad = parseBlastRadiusLimits('notify=1/1h,block_ip=5/soon,isolate_host', parseDuration);
    expect(bad.limits).toEqual([]);
    expect(bad.problems).toHaveLength(3);
  });
});
