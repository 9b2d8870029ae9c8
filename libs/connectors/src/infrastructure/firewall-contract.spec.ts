import { inspect } from 'node:util';

import {
  FakeServer,
  FortiGateFake,
  PanOsFake,
  testResilience,
  TestRuntime,
  testRuntime,
} from '@rampart/vendor-fakes';

import { ConnectorErrorCode } from '../domain/connector-error';
import { FirewallConnector } from '../domain/firewall-connector';
import { FortiGateFirewallAdapter, FortiGateBlockMode } from './fortigate/fortigate-firewall.adapter';
import { ResilienceOptions } from './http/runtime';
import { PanOsFirewallAdapter } from './panos/panos-firewall.adapter';

interface FirewallHarness {
  fake: FakeServer;
  create(
    runtime: TestRuntime,
    resilience?: ResilienceOptions,
    credentials?: Record<string, string>,
  ): FirewallConnector;
  credentials: Record<string, string>;
  target: string;
  blockedInFake(target: string): boolean;
  /** Vendor-side state changes so far. */
  changes(): number;
  /** Invalidate the credential in use; `refreshable` says whether the adapter can get a new one. */
  expireCredential(): void;
  refreshable: boolean;
  credentialsIssued(): number;
}

function panos(): FirewallHarness {
  const fake = new PanOsFake();
  const credentials = { username: fake.username, password: fake.password };
  return {
    fake,
    credentials,
    target: '203.0.113.7',
    create: (runtime, resilience = testResilience(), creds = credentials) =>
      new PanOsFirewallAdapter({
        name: 'pa-test',
        baseUrl: fake.baseUrl,
        credentials: creds,
        runtime,
        resilience,
      }),
    blockedInFake: (target) => fake.tagsOf(target).includes('rampart-blocked'),
    changes: () => fake.changes.register + fake.changes.unregister,
    expireCredential: () => fake.expireKeys(),
    refreshable: true,
    credentialsIssued: () => fake.keys.issued,
  };
}

function fortigate(mode: FortiGateBlockMode): () => FirewallHarness {
  return () => {
    const fake = new FortiGateFake();
    const credentials = { apiToken: fake.apiToken };
    const target = mode === 'banned-ip' ? '198.51.100.23' : '198.51.100.0/24';
    return {
      fake,
      credentials,
      target,
      create: (runtime, resilience = testResilience(), creds = credentials) =>
        new FortiGateFirewallAdapter({
          name: 'fgt-test',
          baseUrl: fake.baseUrl,
          credentials: creds as typeof credentials,
          mode,
          runtime,
          resilience,
        }),
      blockedInFake: (value) =>
        mode === 'banned-ip'
          ? fake.isBannedIp(value)
          : fake.groupMembers('rampart-blocklist').includes(`rampart_${value.replace('/', '_')}`),
      changes: () => Object.values(fake.changes).reduce((sum, count) => sum + count, 0),
      expireCredential: () => fake.revokeToken(),
      refreshable: false,
      credentialsIssued: () => 0,
    };
  };
}

describe.each([
  ['panos', panos],
  ['fortigate address-group', fortigate('address-group')],
  ['fortigate banned-ip', fortigate('banned-ip')],
])('firewall contract: %s', (_name, makeHarness) => {
  let harness: FirewallHarness;
  let runtime: TestRuntime;
  let firewall: FirewallConnector;

  beforeEach(async () => {
    harness = makeHarness();
    await harness.fake.start();
    runtime = testRuntime();
    firewall = harness.create(runtime);
  });

  afterEach(async () => {
    await harness.fake.stop();
  });

  it('checks the connection with read-only calls, and fails a rejected credential with auth_failed', async () => {
    const changes = harness.changes();
    await expect(firewall.checkConnection()).resolves.toMatch(/accepted/);
    expect(harness.changes()).toBe(changes);

    const wrong = Object.fromEntries(
      Object.entries(harness.credentials).map(([key, value]) => [key, `${value}-wrong`]),
    );
    await expect(harness.create(runtime, testResilience(), wrong).checkConnection()).rejects.toMatchObject({
      code: ConnectorErrorCode.AuthFailed,
    });
  });

  it('blocks, reports the block, is idempotent, and unblocks', async () => {
    await expect(firewall.isBlocked(harness.target)).resolves.toMatchObject({ blocked: false });
    const blocked = await firewall.ensureBlocked(harness.target, {
      idempotencyKey: 'run-9:block',
      expiresInSeconds: 3600,
    });
    expect(blocked).toMatchObject({ status: 'changed', idempotencyKey: 'run-9:block' });
    expect(blocked.expiresAt?.getTime()).toBe(runtime.now() + 3_600_000);
    expect(harness.blockedInFake(harness.target)).toBe(true);
    await expect(firewall.isBlocked(harness.target)).resolves.toMatchObject({ blocked: true });

    const changes = harness.changes();
    await expect(
      firewall.ensureBlocked(harness.target, { idempotencyKey: 'run-9:block' }),
    ).resolves.toMatchObject({
      status: 'already_in_state',
    });
    expect(harness.changes()).toBe(changes);

    await expect(firewall.ensureUnblocked(harness.target)).resolves.toMatchObject({ status: 'changed' });
    expect(harness.blockedInFake(harness.target)).toBe(false);
    await expect(firewall.isBlocked(harness.target)).resolves.toMatchObject({ blocked: false });
    const afterUndo = harness.changes();
    await expect(firewall.ensureUnblocked(harness.target)).resolves.toMatchObject({
      status: 'already_in_state',
    });
    expect(harness.changes()).toBe(afterUndo);
  });

  it('handles a rejected credential: refreshes once where it can, else auth_failed', async () => {
    await firewall.isBlocked(harness.target);
    harness.expireCredential();
    if (harness.refreshable) {
      const issued = harness.credentialsIssued();
      await expect(firewall.isBlocked(harness.target)).resolves.toMatchObject({ blocked: false });
      expect(harness.credentialsIssued()).toBe(issued + 1);
    } else {
      const before = harness.fake.callLog.length;
      await expect(firewall.isBlocked(harness.target)).rejects.toMatchObject({
        code: ConnectorErrorCode.AuthFailed,
        retryable: false,
        vendorStatus: 401,
      });
      expect(harness.fake.callLog.length).toBe(before + 1);
    }
  });

  it('retries 5xx and then succeeds', async () => {
    harness.fake.failNext(2, { kind: 'status', status: 502 });
    await expect(firewall.ensureBlocked(harness.target)).resolves.toMatchObject({ status: 'changed' });
    expect(runtime.sleeps).toHaveLength(2);
    expect(harness.blockedInFake(harness.target)).toBe(true);
  });

  it('waits as long as Retry-After asks on 429, then succeeds', async () => {
    harness.fake.failNext(1, { kind: 'rate_limit', retryAfterSeconds: 4 });
    await expect(firewall.isBlocked(harness.target)).resolves.toMatchObject({ blocked: false });
    expect(runtime.sleeps).toEqual([4_000]);
  });

  it('times out when the firewall hangs', async () => {
    firewall = harness.create(runtime, testResilience({ timeoutMs: 100 }));
    harness.fake.failNext(1, { kind: 'hang' });
    await expect(firewall.ensureBlocked(harness.target)).rejects.toMatchObject({
      code: ConnectorErrorCode.Timeout,
    });
  });

  it('opens the circuit after N failed calls and half-opens after the cool-down', async () => {
    firewall = harness.create(
      runtime,
      testResilience({ retry: { maxRetries: 0 }, breaker: { failureThreshold: 3, coolDownMs: 2_000 } }),
    );
    await firewall.isBlocked(harness.target);
    harness.fake.failNext(3, { kind: 'status', status: 503 });
    for (let call = 0; call < 3; call += 1) {
      await expect(firewall.isBlocked(harness.target)).rejects.toMatchObject({
        code: ConnectorErrorCode.Unavailable,
      });
    }
    await expect(firewall.isBlocked(harness.target)).rejects.toMatchObject({
      code: ConnectorErrorCode.CircuitOpen,
    });
    runtime.advance(1_999);
    await expect(firewall.isBlocked(harness.target)).rejects.toMatchObject({
      code: ConnectorErrorCode.CircuitOpen,
    });
    runtime.advance(1);
    await expect(firewall.isBlocked(harness.target)).resolves.toMatchObject({ blocked: false });
  });

  it('refuses targets that are not IPs or CIDRs', async () => {
    for (const target of ['evil.example.com', '../../api', '10.0.0.1/33', '']) {
      await expect(firewall.ensureBlocked(target)).rejects.toMatchObject({
        code: ConnectorErrorCode.InvalidRequest,
      });
    }
    expect(harness.changes()).toBe(0);
  });

  it('keeps credentials out of errors and serialised adapters', async () => {
    const wrong = Object.fromEntries(
      Object.entries(harness.credentials).map(([key, value]) => [key, `${value}-wrong`]),
    );
    const bad = harness.create(runtime, testResilience(), wrong);
    const failure = await bad.isBlocked(harness.target).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: ConnectorErrorCode.AuthFailed });
    const surfaces = [
      JSON.stringify(failure),
      String(failure),
      inspect(failure),
      JSON.stringify(firewall),
      inspect(bad, { showHidden: true }),
    ].join('\n');
    for (const secret of [...Object.values(harness.credentials), ...Object.values(wrong)])
      expect(surfaces).not.toContain(secret);
  });
});

describe('PAN-OS specifics', () => {
  const fake = new PanOsFake();
  beforeAll(() => fake.start());
  afterAll(() => fake.stop());

  it('uses a static API key in X-PAN-KEY and registers the tag timeout', async () => {
    const runtime = testRuntime();
    const firewall = new PanOsFirewallAdapter({
      name: 'pa',
      baseUrl: fake.baseUrl,
      credentials: { apiKey: fake.apiKey },
      tag: 'soar-quarantine',
      runtime,
      resilience: testResilience(),
    });
    await firewall.ensureBlocked('192.0.2.44', { expiresInSeconds: 600 });
    expect(fake.tagsOf('192.0.2.44')).toEqual(['soar-quarantine']);
    expect(fake.count('keygen')).toBe(0);
    await expect(firewall.ensureBlocked('192.0.2.0/24')).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(firewall.ensureBlocked('192.0.2.45', { expiresInSeconds: 2_592_001 })).rejects.toMatchObject(
      {
        code: 'invalid_request',
      },
    );
  });
});

describe('FortiGate specifics', () => {
  const fake = new FortiGateFake();
  beforeAll(() => fake.start());
  afterAll(() => fake.stop());

  it('reuses an address object left by an interrupted run (-5) and records expiry in its comment', async () => {
    const firewall = new FortiGateFirewallAdapter({
      name: 'fgt',
      baseUrl: fake.baseUrl,
      credentials: { apiToken: fake.apiToken },
      runtime: testRuntime(),
      resilience: testResilience(),
    });
    fake.addresses.set('rampart_192.0.2.9_32', {
      name: 'rampart_192.0.2.9_32',
      type: 'ipmask',
      subnet: '192.0.2.9 255.255.255.255',
      comment: '',
    });
    const result = await firewall.ensureBlocked('192.0.2.9', {
      expiresInSeconds: 60,
      idempotencyKey: 'r1:s1',
    });
    expect(result).toMatchObject({ status: 'changed', vendorRef: 'rampart_192.0.2.9_32' });
    expect(fake.groupMembers('rampart-blocklist')).toContain('rampart_192.0.2.9_32');

    await firewall.ensureBlocked('192.0.2.10', { expiresInSeconds: 60, idempotencyKey: 'r1:s2' });
    expect(fake.addresses.get('rampart_192.0.2.10_32')?.comment).toMatch(
      /^\[rampart:r1:s2\] blocked by Rampart expires=/,
    );
    const state = await firewall.isBlocked('192.0.2.10');
    expect(state.expiresAt).toBeInstanceOf(Date);
  });
});

describe('fortigate address-group check', () => {
  const fake = new FortiGateFake({ addressGroups: ['other-group'] });

  beforeAll(async () => {
    await fake.start();
  });

  afterAll(async () => {
    await fake.stop();
  });

  it('names an address group that does not exist', async () => {
    const firewall = new FortiGateFirewallAdapter({
      name: 'fgt-test',
      baseUrl: fake.baseUrl,
      credentials: { apiToken: fake.apiToken },
      runtime: testRuntime(),
      resilience: testResilience(),
    });
    await expect(firewall.checkConnection()).rejects.toMatchObject({
      code: ConnectorErrorCode.InvalidRequest,
      message: 'address group "rampart-blocklist" does not exist in vdom root',
    });
  });
});
