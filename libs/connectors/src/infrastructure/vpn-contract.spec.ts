import { inspect } from 'node:util';

import {
  FakeServer,
  FortiGateFake,
  OktaFake,
  testResilience,
  TestRuntime,
  testRuntime,
} from '@rampart/vendor-fakes';

import { ConnectorErrorCode } from '../domain/connector-error';
import { VpnConnector } from '../domain/vpn-connector';
import { FortiGateSslVpnAdapter } from './fortigate/fortigate-sslvpn.adapter';
import { ResilienceOptions } from './http/runtime';
import { OktaVpnAdapter } from './okta/okta-vpn.adapter';

interface VpnHarness {
  fake: FakeServer;
  create(
    runtime: TestRuntime,
    resilience?: ResilienceOptions,
    credentials?: Record<string, string>,
  ): VpnConnector;
  credentials: Record<string, string>;
  user: string;
  /** Whether the vendor can enumerate sessions (and so answer already_in_state on a repeat). */
  listsSessions: boolean;
  sessionsInFake(): number;
  quarantinedInFake(): boolean;
  changes(): number;
  revokeCredential(): void;
}

function fortigate(): VpnHarness {
  const fake = new FortiGateFake({
    sessions: [
      { user_name: 'alice', remote_host: '198.51.100.10', last_login_time: 1_700_000_000, subsessions: 2 },
      { user_name: 'bob', remote_host: '198.51.100.11', last_login_time: 1_700_000_100 },
    ],
    userGroups: { 'rampart-quarantine': ['contractor-1'] },
  });
  const credentials = { apiToken: fake.apiToken };
  return {
    fake,
    credentials,
    user: 'alice',
    listsSessions: true,
    create: (runtime, resilience = testResilience(), creds = credentials) =>
      new FortiGateSslVpnAdapter({
        name: 'fgt-vpn',
        baseUrl: fake.baseUrl,
        credentials: creds as typeof credentials,
        runtime,
        resilience,
      }),
    sessionsInFake: () => fake.sessions.filter((session) => session.user_name === 'alice').length,
    quarantinedInFake: () => fake.userGroups.get('rampart-quarantine')?.includes('alice') ?? false,
    changes: () => fake.changes.sessionsEnded + fake.changes.groupWrites,
    revokeCredential: () => fake.revokeToken(),
  };
}

function okta(): VpnHarness {
  const fake = new OktaFake({
    users: [
      { login: 'alice@example.com', id: '00u1alice', sessions: 2 },
      { login: 'bob@example.com', id: '00u2bob', sessions: 1 },
    ],
    groups: [{ id: '00gquarantine', name: 'Rampart Quarantine' }],
  });
  const credentials = { apiToken: fake.apiToken };
  return {
    fake,
    credentials,
    user: 'alice@example.com',
    listsSessions: false,
    create: (runtime, resilience = testResilience(), creds = credentials) =>
      new OktaVpnAdapter({
        name: 'okta',
        baseUrl: fake.baseUrl,
        credentials: creds as typeof credentials,
        quarantineGroupId: '00gquarantine',
        runtime,
        resilience,
      }),
    sessionsInFake: () => fake.sessions.get('00u1alice') ?? 0,
    quarantinedInFake: () => fake.inGroup('00gquarantine', 'alice@example.com'),
    changes: () => fake.changes.sessionsRevoked + fake.changes.groupAdds + fake.changes.groupRemoves,
    revokeCredential: () => fake.revokeToken(),
  };
}

describe.each([
  ['fortigate-sslvpn', fortigate],
  ['okta', okta],
])('VPN contract: %s', (_name, makeHarness) => {
  let harness: VpnHarness;
  let runtime: TestRuntime;
  let vpn: VpnConnector;

  beforeEach(async () => {
    harness = makeHarness();
    await harness.fake.start();
    runtime = testRuntime();
    vpn = harness.create(runtime);
  });

  afterEach(async () => {
    await harness.fake.stop();
  });

  it('lists and disconnects sessions, and a repeat changes nothing at the vendor', async () => {
    const listed = await vpn.listSessions(harness.user);
    expect(listed.supported).toBe(harness.listsSessions);
    if (harness.listsSessions) expect(listed.sessions).toHaveLength(harness.sessionsInFake());

    const ended = await vpn.disconnectSessions(harness.user, { idempotencyKey: 'run-3:kick' });
    expect(ended).toMatchObject({ status: 'changed', idempotencyKey: 'run-3:kick' });
    expect(harness.sessionsInFake()).toBe(0);

    const changes = harness.changes();
    const again = await vpn.disconnectSessions(harness.user);
    expect(again.status).toBe(harness.listsSessions ? 'already_in_state' : 'changed');
    expect(harness.changes()).toBe(changes);
  });

  it('checks the connection with read-only calls, and fails a revoked token with auth_failed', async () => {
    const changes = harness.changes();
    await expect(vpn.checkConnection()).resolves.toMatch(/API token is accepted/);
    expect(harness.changes()).toBe(changes);
    expect(harness.sessionsInFake()).toBeGreaterThan(0);

    harness.revokeCredential();
    await expect(vpn.checkConnection()).rejects.toMatchObject({ code: ConnectorErrorCode.AuthFailed });
  });

  it('quarantines, reports it, is idempotent, and releases', async () => {
    await expect(vpn.isQuarantined(harness.user)).resolves.toBe(false);
    await expect(vpn.ensureQuarantined(harness.user)).resolves.toMatchObject({ status: 'changed' });
    expect(harness.quarantinedInFake()).toBe(true);
    await expect(vpn.isQuarantined(harness.user)).resolves.toBe(true);

    const changes = harness.changes();
    await expect(vpn.ensureQuarantined(harness.user)).resolves.toMatchObject({ status: 'already_in_state' });
    expect(harness.changes()).toBe(changes);

    await expect(vpn.ensureReleased(harness.user)).resolves.toMatchObject({ status: 'changed' });
    expect(harness.quarantinedInFake()).toBe(false);
    await expect(vpn.ensureReleased(harness.user)).resolves.toMatchObject({ status: 'already_in_state' });
    expect(harness.changes()).toBe(changes + 1);
  });

  it('fails with auth_failed, once, when the API token is revoked (static tokens cannot refresh)', async () => {
    harness.revokeCredential();
    const before = harness.fake.callLog.length;
    await expect(vpn.isQuarantined(harness.user)).rejects.toMatchObject({
      code: ConnectorErrorCode.AuthFailed,
      retryable: false,
      vendorStatus: 401,
    });
    expect(harness.fake.callLog.length).toBe(before + 1);
  });

  it('retries 5xx and then succeeds', async () => {
    harness.fake.failNext(2, { kind: 'status', status: 500 });
    await expect(vpn.ensureQuarantined(harness.user)).resolves.toMatchObject({ status: 'changed' });
    expect(runtime.sleeps).toHaveLength(2);
  });

  it('waits as long as the 429 asks, then succeeds', async () => {
    // The reset header is wall-clock epoch seconds: bring the test clock to now, however long the
    // suite took to get here on a loaded machine.
    runtime.advance(Date.now() - runtime.now());
    harness.fake.failNext(1, { kind: 'rate_limit', retryAfterSeconds: 5 });
    await expect(vpn.isQuarantined(harness.user)).resolves.toBe(false);
    expect(runtime.sleeps).toHaveLength(1);
    // Okta's X-Rate-Limit-Reset is epoch seconds: good to the second.
    expect(runtime.sleeps[0]).toBeGreaterThanOrEqual(4_000);
    expect(runtime.sleeps[0]).toBeLessThanOrEqual(6_000);
  });

  it('times out when the vendor hangs', async () => {
    vpn = harness.create(runtime, testResilience({ timeoutMs: 100 }));
    harness.fake.failNext(1, { kind: 'hang' });
    await expect(vpn.disconnectSessions(harness.user)).rejects.toMatchObject({
      code: ConnectorErrorCode.Timeout,
    });
  });

  it('opens the circuit after N failed calls and half-opens after the cool-down', async () => {
    vpn = harness.create(
      runtime,
      testResilience({ retry: { maxRetries: 0 }, breaker: { failureThreshold: 2, coolDownMs: 10_000 } }),
    );
    harness.fake.failNext(2, { kind: 'status', status: 503 });
    await expect(vpn.isQuarantined(harness.user)).rejects.toMatchObject({ code: 'unavailable' });
    await expect(vpn.isQuarantined(harness.user)).rejects.toMatchObject({ code: 'unavailable' });
    const calls = harness.fake.callLog.length;
    await expect(vpn.isQuarantined(harness.user)).rejects.toMatchObject({ code: 'circuit_open' });
    expect(harness.fake.callLog.length).toBe(calls);
    runtime.advance(10_000);
    await expect(vpn.isQuarantined(harness.user)).resolves.toBe(false);
  });

  it('keeps the API token out of errors and serialised adapters', async () => {
    const bad = harness.create(runtime, testResilience(), { apiToken: 'wrong-token-value-123' });
    const failure = await bad.isQuarantined(harness.user).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: ConnectorErrorCode.AuthFailed });
    const surfaces = [
      JSON.stringify(failure),
      inspect(failure),
      JSON.stringify(vpn),
      inspect(vpn, { showHidden: true }),
      String(bad),
    ].join('\n');
    for (const secret of [...Object.values(harness.credentials), 'wrong-token-value-123'])
      expect(surfaces).not.toContain(secret);
  });

  it('refuses user values that would leave the API path', async () => {
    for (const user of ['../admins', '', 'x\u0000y']) {
      await expect(vpn.ensureQuarantined(user)).rejects.toMatchObject({
        code: ConnectorErrorCode.InvalidRequest,
      });
    }
  });
});

describe('FortiGate SSL-VPN quarantine group', () => {
  const fake = new FortiGateFake({ userGroups: { 'rampart-quarantine': ['contractor-1'] } });
  let vpn: VpnConnector;

  beforeAll(async () => {
    await fake.start();
    vpn = new FortiGateSslVpnAdapter({
      name: 'fgt-vpn',
      baseUrl: fake.baseUrl,
      credentials: { apiToken: fake.apiToken },
      runtime: testRuntime(),
      resilience: testResilience(),
    });
  });

  afterAll(async () => {
    await fake.stop();
  });

  it('never loses a member to a concurrent quarantine: members are added one by one, not rewritten', async () => {
    const results = await Promise.all(['alice', 'bob', 'carol'].map((user) => vpn.ensureQuarantined(user)));
    expect(results.map((result) => result.status)).toEqual(['changed', 'changed', 'changed']);
    expect([...(fake.userGroups.get('rampart-quarantine') ?? [])].sort()).toEqual([
      'alice',
      'bob',
      'carol',
      'contractor-1',
    ]);
    expect(fake.count('usergroup.put')).toBe(0);

    await Promise.all(['alice', 'bob'].map((user) => vpn.ensureReleased(user)));
    expect(fake.userGroups.get('rampart-quarantine')).toEqual(['contractor-1', 'carol']);
  });

  it('reports already_in_state when another writer removed the member between its read and its write', async () => {
    const group = fake.userGroups.get('rampart-quarantine') ?? [];
    fake.afterNext('usergroup.get', () => group.splice(group.indexOf('carol'), 1));
    await expect(vpn.ensureReleased('carol')).resolves.toMatchObject({ status: 'already_in_state' });
    expect(fake.count('usergroup.member.delete')).toBe(3);
  });

  it('reports already_in_state when another writer added the member between its read and its write', async () => {
    const group = fake.userGroups.get('rampart-quarantine') ?? [];
    // Our GET sees the group without dave; an administrator adds dave before our POST lands.
    fake.afterNext('usergroup.get', () => group.push('dave'));
    await expect(vpn.ensureQuarantined('dave')).resolves.toMatchObject({ status: 'already_in_state' });
    expect(fake.count('usergroup.member.add')).toBe(4);
    expect(group.filter((member) => member === 'dave')).toHaveLength(1);
  });
});

describe('VPN checks name a quarantine group that does not exist', () => {
  const fortigate = new FortiGateFake({ userGroups: {} });
  const okta = new OktaFake({ groups: [] });

  beforeAll(async () => {
    await Promise.all([fortigate.start(), okta.start()]);
  });

  afterAll(async () => {
    await Promise.all([fortigate.stop(), okta.stop()]);
  });

  it('fortigate-sslvpn', async () => {
    const vpn = new FortiGateSslVpnAdapter({
      name: 'fgt-vpn',
      baseUrl: fortigate.baseUrl,
      credentials: { apiToken: fortigate.apiToken },
      runtime: testRuntime(),
      resilience: testResilience(),
    });
    await expect(vpn.checkConnection()).rejects.toMatchObject({
      code: ConnectorErrorCode.InvalidRequest,
      message: 'user group "rampart-quarantine" does not exist in vdom root',
    });
  });

  it('okta', async () => {
    const vpn = new OktaVpnAdapter({
      name: 'okta',
      baseUrl: okta.baseUrl,
      credentials: { apiToken: okta.apiToken },
      quarantineGroupId: '00gmissing',
      runtime: testRuntime(),
      resilience: testResilience(),
    });
    await expect(vpn.checkConnection()).rejects.toMatchObject({
      code: ConnectorErrorCode.InvalidRequest,
      message: 'quarantine group 00gmissing does not exist',
    });
  });
});
