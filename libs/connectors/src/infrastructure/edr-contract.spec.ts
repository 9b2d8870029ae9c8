import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';

import {
  CrowdStrikeFake,
  FakeServer,
  MdeFake,
  testResilience,
  TestRuntime,
  testRuntime,
} from '@rampart/vendor-fakes';

import { ConnectorError, ConnectorErrorCode } from '../domain/connector-error';
import { EdrConnector } from '../domain/edr-connector';
import { CrowdStrikeEdrAdapter } from './crowdstrike/crowdstrike-edr.adapter';
import { ResilienceOptions } from './http/runtime';
import { MdeEdrAdapter } from './mde/mde-edr.adapter';

/** What the shared EDR contract needs to know about one vendor. */
interface EdrHarness {
  name: string;
  fake: FakeServer;
  create(
    runtime: TestRuntime,
    resilience?: ResilienceOptions,
    credentials?: Record<string, string>,
  ): EdrConnector;
  deviceId: string;
  hostname: string;
  ip: string;
  /** Vendor-side state changes made so far (accepted contain / release requests). */
  changes(): number;
  /** Whether the fake considers the device contained or containing. */
  containedInFake(): boolean;
  expireTokens(): void;
  tokensIssued(): number;
  /** Count of API (non-token) calls that reached the fake. */
  apiCalls(): number;
  credentials: Record<string, string>;
  /** Precision of the vendor's rate-limit header: epoch seconds are only good to a second. */
  retryAfterToleranceMs: number;
  /** Forensic collections the vendor has accepted. */
  collectionsInFake(): number;
  /**
   * Whether the vendor can find an earlier collection by its idempotency key, so a repeat starts
   * none (MDE: the key is in the action comment). Falcon RTR cannot: there, the action record's
   * unique key is what keeps a replayed step from collecting twice.
   */
  findsEarlierCollection: boolean;
}

function crowdStrike(): EdrHarness {
  const fake = new CrowdStrikeFake({
    devices: [{ device_id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', hostname: 'ws-042', local_ip: '10.1.2.42' }],
  });
  const credentials = { clientId: fake.clientId, clientSecret: fake.clientSecret };
  return {
    name: 'crowdstrike',
    fake,
    credentials,
    deviceId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    hostname: 'ws-042',
    ip: '10.1.2.42',
    create: (runtime, resilience = testResilience(), creds = credentials) =>
      new CrowdStrikeEdrAdapter({
        name: 'falcon-test',
        baseUrl: fake.baseUrl,
        credentials: creds as typeof credentials,
        forensicsScript: 'rampart-forensics',
        runtime,
        resilience,
      }),
    changes: () => (fake.accepted.contain ?? 0) + (fake.accepted.lift_containment ?? 0),
    collectionsInFake: () => fake.rtrCommands.length,
    findsEarlierCollection: false,
    containedInFake: () =>
      ['contained', 'containment_pending'].includes(fake.status('a1b2c3d4e5f60718293a4b5c6d7e8f90') ?? ''),
    expireTokens: () => fake.tokens.expireAll(),
    tokensIssued: () => fake.tokens.issued,
    apiCalls: () => fake.callLog.filter((kind) => kind !== 'token').length,
    retryAfterToleranceMs: 1_000,
  };
}

function mde(): EdrHarness {
  const fake = new MdeFake({
    machines: [
      {
        id: '7b1f4967d9728e5aa3c06a9e617a22a4a5a17378',
        computerDnsName: 'desktop-test',
        lastIpAddress: '10.3.0.7',
      },
    ],
  });
  const credentials = { tenantId: fake.tenantId, clientId: fake.clientId, clientSecret: fake.clientSecret };
  return {
    name: 'mde',
    fake,
    credentials,
    deviceId: '7b1f4967d9728e5aa3c06a9e617a22a4a5a17378',
    hostname: 'desktop-test',
    ip: '10.3.0.7',
    create: (runtime, resilience = testResilience(), creds = credentials) =>
      new MdeEdrAdapter({
        name: 'mde-test',
        baseUrl: fake.baseUrl,
        tokenUrl: fake.tokenUrl(),
        credentials: creds as typeof credentials,
        runtime,
        resilience,
      }),
    changes: () => fake.acceptedActions(['Isolate', 'Unisolate']),
    collectionsInFake: () => fake.acceptedActions(['CollectInvestigationPackage']),
    findsEarlierCollection: true,
    containedInFake: () => fake.isolated('7b1f4967d9728e5aa3c06a9e617a22a4a5a17378'),
    expireTokens: () => fake.tokens.expireAll(),
    tokensIssued: () => fake.tokens.issued,
    apiCalls: () => fake.callLog.filter((kind) => kind !== 'token').length,
    retryAfterToleranceMs: 0,
  };
}

describe.each([
  ['crowdstrike', crowdStrike],
  ['mde', mde],
])('EDR contract: %s', (_name, makeHarness) => {
  let harness: EdrHarness;
  let runtime: TestRuntime;
  let edr: EdrConnector;

  beforeEach(async () => {
    harness = makeHarness();
    await harness.fake.start();
    runtime = testRuntime();
    edr = harness.create(runtime);
  });

  afterEach(async () => {
    await harness.fake.stop();
  });

  it('resolves a host by name and by IP to the vendor device id', async () => {
    await expect(edr.resolveHost({ hostname: harness.hostname })).resolves.toMatchObject({
      deviceId: harness.deviceId,
    });
    await expect(edr.resolveHost({ ip: harness.ip })).resolves.toMatchObject({ deviceId: harness.deviceId });
    await expect(edr.resolveHost({ hostname: 'no-such-host' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('contains, reports the state, is idempotent, and releases', async () => {
    const contained = await edr.ensureContained(harness.deviceId, { idempotencyKey: 'run-1:step-2' });
    expect(contained).toMatchObject({ status: 'changed', idempotencyKey: 'run-1:step-2' });
    expect(harness.containedInFake()).toBe(true);
    expect(['containing', 'contained']).toContain((await edr.getContainmentState(harness.deviceId)).status);

    const changes = harness.changes();
    const again = await edr.ensureContained(harness.deviceId, { idempotencyKey: 'run-1:step-2' });
    expect(again.status).toBe('already_in_state');
    expect(harness.changes()).toBe(changes);

    // Let the pending state settle, then lift.
    expect((await edr.getContainmentState(harness.deviceId)).status).toBe('contained');
    const released = await edr.ensureReleased(harness.deviceId);
    expect(released.status).toBe('changed');
    expect(harness.containedInFake()).toBe(false);
    expect(['releasing', 'normal']).toContain((await edr.getContainmentState(harness.deviceId)).status);
    const releasedAgain = await edr.ensureReleased(harness.deviceId);
    expect(releasedAgain.status).toBe('already_in_state');
    expect(harness.changes()).toBe(changes + 1);
  });

  it('checks the connection with read-only calls, and fails a rejected secret with auth_failed', async () => {
    const changes = harness.changes();
    await expect(edr.checkConnection()).resolves.toMatch(/token is issued/);
    expect(harness.changes()).toBe(changes);
    expect(harness.collectionsInFake()).toBe(0);

    const bad = harness.create(runtime, testResilience(), {
      ...harness.credentials,
      clientSecret: 'clientSecret-WRONG-s3cr3t',
    });
    await expect(bad.checkConnection()).rejects.toMatchObject({ code: ConnectorErrorCode.AuthFailed });
  });

  it('starts a forensic package collection, identified by the vendor job', async () => {
    expect(edr.supportsForensics).toBe(true);
    const started = await edr.collectForensics(harness.deviceId, { idempotencyKey: 'case-7:forensics' });
    expect(started).toMatchObject({ status: 'changed', idempotencyKey: 'case-7:forensics' });
    expect(started.vendorRef).toEqual(expect.any(String));
    expect(harness.collectionsInFake()).toBe(1);
    // Collecting does not contain the host.
    expect(harness.containedInFake()).toBe(false);

    const again = await edr.collectForensics(harness.deviceId, { idempotencyKey: 'case-7:forensics' });
    if (harness.findsEarlierCollection) {
      expect(again).toMatchObject({ status: 'already_in_state', vendorRef: started.vendorRef });
      expect(harness.collectionsInFake()).toBe(1);
    } else {
      expect(again.status).toBe('changed');
      expect(harness.collectionsInFake()).toBe(2);
    }
  });

  it('follows a forensic collection until the vendor has the package', async () => {
    const started = await edr.collectForensics(harness.deviceId, { idempotencyKey: 'case-8:forensics' });
    const jobRef = started.vendorRef as string;
    await expect(edr.forensicsJob(jobRef)).resolves.toMatchObject({ jobRef, state: 'running' });
    await expect(edr.forensicsJob(jobRef)).resolves.toMatchObject({ jobRef, state: 'completed' });
    await expect(edr.forensicsJob('../machines')).rejects.toMatchObject({
      code: ConnectorErrorCode.InvalidRequest,
    });
    await expect(edr.forensicsJob(randomUUID())).rejects.toMatchObject({ code: ConnectorErrorCode.NotFound });
  });

  it('refuses a forensic collection on an unknown device without starting one', async () => {
    const unknown = harness.name === 'mde' ? 'f'.repeat(40) : 'f'.repeat(32);
    await expect(edr.collectForensics(unknown)).rejects.toMatchObject({ code: ConnectorErrorCode.NotFound });
    expect(harness.collectionsInFake()).toBe(0);
  });

  it('refreshes an expired token once on 401', async () => {
    await edr.getContainmentState(harness.deviceId);
    expect(harness.tokensIssued()).toBe(1);
    harness.expireTokens();
    await expect(edr.getContainmentState(harness.deviceId)).resolves.toMatchObject({ status: 'normal' });
    expect(harness.tokensIssued()).toBe(2);
  });

  it('refreshes a token before it expires by the clock', async () => {
    await edr.getContainmentState(harness.deviceId);
    const apiCalls = harness.apiCalls();
    runtime.advance(2 * 60 * 60 * 1000);
    await edr.getContainmentState(harness.deviceId);
    expect(harness.tokensIssued()).toBe(2);
    // No call was wasted on a 401.
    expect(harness.apiCalls()).toBe(apiCalls + 1);
  });

  it('retries 5xx and then succeeds', async () => {
    harness.fake.failNext(2, { kind: 'status', status: 503 });
    await expect(edr.getContainmentState(harness.deviceId)).resolves.toMatchObject({ status: 'normal' });
    expect(runtime.sleeps).toHaveLength(2);
  });

  it('gives up on persistent 5xx with a retryable unavailable error', async () => {
    harness.fake.failNext(3, { kind: 'status', status: 502 });
    await expect(edr.getContainmentState(harness.deviceId)).rejects.toMatchObject({
      code: ConnectorErrorCode.Unavailable,
      retryable: true,
      vendorStatus: 502,
    });
  });

  it('waits as long as the 429 asks, then succeeds', async () => {
    harness.fake.failNext(1, { kind: 'rate_limit', retryAfterSeconds: 7 });
    await expect(edr.getContainmentState(harness.deviceId)).resolves.toMatchObject({ status: 'normal' });
    expect(runtime.sleeps).toHaveLength(1);
    const waited = runtime.sleeps[0] ?? 0;
    expect(waited).toBeGreaterThanOrEqual(7_000 - harness.retryAfterToleranceMs);
    expect(waited).toBeLessThanOrEqual(7_000 + harness.retryAfterToleranceMs);
  });

  it('fails fast with rate_limited when the vendor asks for too long a wait', async () => {
    harness.fake.failNext(1, { kind: 'rate_limit', retryAfterSeconds: 3_600 });
    await expect(edr.getContainmentState(harness.deviceId)).rejects.toMatchObject({
      code: ConnectorErrorCode.RateLimited,
      retryable: true,
    });
    expect(runtime.sleeps).toHaveLength(0);
  });

  it('times out when the vendor hangs', async () => {
    edr = harness.create(runtime, testResilience({ timeoutMs: 100 }));
    harness.fake.failNext(1, { kind: 'hang' });
    await expect(edr.getContainmentState(harness.deviceId)).rejects.toMatchObject({
      code: ConnectorErrorCode.Timeout,
      retryable: true,
    });
  });

  it('opens the circuit after N failed calls and half-opens after the cool-down', async () => {
    edr = harness.create(
      runtime,
      testResilience({ retry: { maxRetries: 0 }, breaker: { failureThreshold: 2, coolDownMs: 5_000 } }),
    );
    await edr.getContainmentState(harness.deviceId); // token fetched, breaker closed
    harness.fake.failNext(2, { kind: 'status', status: 500 });
    await expect(edr.getContainmentState(harness.deviceId)).rejects.toMatchObject({ code: 'unavailable' });
    await expect(edr.getContainmentState(harness.deviceId)).rejects.toMatchObject({ code: 'unavailable' });
    const calls = harness.apiCalls();
    await expect(edr.getContainmentState(harness.deviceId)).rejects.toMatchObject({
      code: ConnectorErrorCode.CircuitOpen,
      retryable: true,
    });
    expect(harness.apiCalls()).toBe(calls);
    runtime.advance(5_000);
    await expect(edr.getContainmentState(harness.deviceId)).resolves.toMatchObject({ status: 'normal' });
    await expect(edr.getContainmentState(harness.deviceId)).resolves.toMatchObject({ status: 'normal' });
  });

  it('maps rejected credentials to auth_failed and never leaks a secret', async () => {
    const wrong = Object.fromEntries(
      Object.keys(harness.credentials).map((key) => [key, `${key}-WRONG-s3cr3t`]),
    );
    const bad = harness.create(runtime, testResilience(), {
      ...harness.credentials,
      ...pick(wrong, 'clientSecret'),
    });
    const failure = await bad.getContainmentState(harness.deviceId).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConnectorError);
    expect(failure).toMatchObject({ code: ConnectorErrorCode.AuthFailed, retryable: false });

    await edr.ensureContained(harness.deviceId);
    const secrets = [...Object.values(harness.credentials), 'clientSecret-WRONG-s3cr3t'];
    const surfaces = [
      JSON.stringify(failure),
      String(failure),
      inspect(failure, { depth: 10 }),
      (failure as Error).stack ?? '',
      JSON.stringify(edr),
      JSON.stringify(bad),
      String(edr),
      inspect(edr, { depth: 10, showHidden: true }),
    ].join('\n');
    for (const secret of secrets) expect(surfaces).not.toContain(secret);
  });

  it('refuses device ids that try to leave the API path', async () => {
    for (const id of ['../../oauth2/token', 'http://evil.example/x']) {
      await expect(edr.ensureContained(id)).rejects.toMatchObject({ code: 'invalid_request' });
    }
    expect(harness.changes()).toBe(0);
  });
});

describe('crowdstrike forensics through Real Time Response', () => {
  const deviceId = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
  const fake = new CrowdStrikeFake({
    devices: [{ device_id: deviceId, hostname: 'ws-042' }],
    rtrScripts: ['rampart-forensics'],
  });
  const adapter = (forensicsScript?: string) =>
    new CrowdStrikeEdrAdapter({
      name: 'falcon-test',
      baseUrl: fake.baseUrl,
      credentials: { clientId: fake.clientId, clientSecret: fake.clientSecret },
      ...(forensicsScript !== undefined ? { forensicsScript } : {}),
      runtime: testRuntime(),
      resilience: testResilience(),
    });

  beforeAll(async () => {
    await fake.start();
  });

  afterAll(async () => {
    await fake.stop();
  });

  it('runs the configured cloud script in an RTR session opened for that device, queued if offline', async () => {
    const started = await adapter('rampart-forensics').collectForensics(deviceId, {
      idempotencyKey: 'inc-42:forensics',
    });
    const [command] = fake.rtrCommands.slice(-1);
    expect(command).toMatchObject({
      deviceId,
      baseCommand: 'runscript',
      commandString: 'runscript -CloudFile="rampart-forensics" -CommandLine="rampart:inc-42:forensics"',
    });
    expect(fake.rtrSessions.get(command?.sessionId ?? '')).toBe(deviceId);
    expect(started).toMatchObject({
      status: 'changed',
      vendorRef: command?.cloudRequestId,
      details: { sessionId: command?.sessionId, script: 'rampart-forensics', queuedOffline: true },
    });
  });

  it('is unsupported without a forensicsScript, and says which option to set, before any call', async () => {
    const calls = fake.callLog.length;
    const edr = adapter();
    expect(edr.supportsForensics).toBe(false);
    await expect(edr.collectForensics(deviceId)).rejects.toMatchObject({
      code: ConnectorErrorCode.InvalidRequest,
      retryable: false,
      message: expect.stringContaining('forensicsScript'),
    });
    expect(fake.callLog.length).toBe(calls);
  });

  it('fails with invalid_request when the script is not in the RTR library', async () => {
    const commands = fake.rtrCommands.length;
    await expect(adapter('missing-script').collectForensics(deviceId)).rejects.toMatchObject({
      code: ConnectorErrorCode.InvalidRequest,
      vendorStatus: 400,
    });
    expect(fake.rtrCommands.length).toBe(commands);
  });

  it('reports a script that failed on the host with what it wrote to stderr', async () => {
    const failing = new CrowdStrikeFake({
      devices: [{ device_id: deviceId, hostname: 'ws-042' }],
      rtrScriptErrors: { 'broken-collector': 'Access is denied.' },
    });
    await failing.start();
    try {
      const edr = new CrowdStrikeEdrAdapter({
        name: 'falcon-test',
        baseUrl: failing.baseUrl,
        credentials: { clientId: failing.clientId, clientSecret: failing.clientSecret },
        forensicsScript: 'broken-collector',
        runtime: testRuntime(),
        resilience: testResilience(),
      });
      const started = await edr.collectForensics(deviceId);
      await edr.forensicsJob(started.vendorRef as string);
      await expect(edr.forensicsJob(started.vendorRef as string)).resolves.toEqual({
        jobRef: started.vendorRef,
        state: 'failed',
        vendorStatus: 'complete',
        detail: 'Access is denied.',
      });
    } finally {
      await failing.stop();
    }
  });

  it('refuses a script name that could break out of the command string', () => {
    expect(() => adapter('x" -Raw=```rm```')).toThrow(/forensicsScript/);
  });
});

describe('crowdstrike containment still pending at the vendor', () => {
  const deviceId = 'c1b2c3d4e5f60718293a4b5c6d7e8f90';

  it('releases once the pending containment settles, instead of calling it done', async () => {
    // Settles on the second read: the first release attempt meets containment_pending (409).
    const fake = new CrowdStrikeFake({
      devices: [{ device_id: deviceId, hostname: 'ws-7', local_ip: '10.1.2.7' }],
    });
    await fake.start();
    try {
      const falcon = new CrowdStrikeEdrAdapter({
        name: 'falcon-pending',
        baseUrl: fake.baseUrl,
        credentials: { clientId: fake.clientId, clientSecret: fake.clientSecret },
        runtime: testRuntime(),
        resilience: testResilience(),
      });
      await falcon.ensureContained(deviceId);
      expect(fake.status(deviceId)).toBe('containment_pending');
      const released = await falcon.ensureReleased(deviceId);
      expect(released.status).toBe('changed');
      expect(fake.accepted.lift_containment).toBe(1);
      expect(['lift_containment_pending', 'normal']).toContain(fake.status(deviceId));
    } finally {
      await fake.stop();
    }
  });

  it('fails retryably when the vendor keeps the opposite action pending', async () => {
    const fake = new CrowdStrikeFake({
      devices: [{ device_id: deviceId, hostname: 'ws-7', local_ip: '10.1.2.7' }],
      settleAfterReads: 100,
    });
    await fake.start();
    try {
      const falcon = new CrowdStrikeEdrAdapter({
        name: 'falcon-stuck',
        baseUrl: fake.baseUrl,
        credentials: { clientId: fake.clientId, clientSecret: fake.clientSecret },
        runtime: testRuntime(),
        resilience: testResilience(),
      });
      await falcon.ensureContained(deviceId);
      const error = await falcon.ensureReleased(deviceId).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConnectorError);
      expect(error).toMatchObject({ code: ConnectorErrorCode.Unavailable, retryable: true });
      expect(fake.accepted.lift_containment ?? 0).toBe(0);
    } finally {
      await fake.stop();
    }
  });
});

function pick(record: Record<string, string>, key: string): Record<string, string> {
  return record[key] === undefined ? {} : { [key]: record[key] };
}
