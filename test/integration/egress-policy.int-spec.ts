// Finding 7 of the hardening issue: connector destinations were not restricted (metadata
// addresses and names, private ranges, loopback ports, an http:// MDE tokenUrl), and `check`
// answered differently by error, so it could scan ports. Every connection now goes through the
// egress policy, checked on the address actually connected to, and a check that cannot reach its
// destination answers one way whatever the reason.
import net from 'node:net';

import request from 'supertest';

import { freePort } from '../support/free-port';
import { bearer } from '../support/connector-support';
import { startTestRampart, type TestRampart } from '../support/rampart-app';

/** The one answer of a check that cannot reach its destination, whatever the reason. */
const UNREACHABLE = {
  code: 'unreachable',
  message: "the connector's destination could not be reached",
  retryable: true,
};

const okta = (name: string, baseUrl: string, options: Record<string, unknown> = {}) => ({
  name,
  type: 'okta',
  baseUrl,
  credentials: { apiToken: 'okta-token-for-egress-tests' },
  options: { quarantineGroupId: '00gquarantine', timeoutMs: 500, retries: 0, ...options },
});

describe('with no allow-list (SOAR_EGRESS_ALLOW unset)', () => {
  let rampart: TestRampart;
  beforeAll(async () => {
    rampart = await startTestRampart({ SOAR_EGRESS_ALLOW: '' });
  });
  afterAll(async () => {
    await rampart.stop();
  });

  it.each([
    ['http://169.254.169.254', { allowInsecureHttp: true }],
    ['https://[::ffff:169.254.169.254]', {}],
    ['https://[::ffff:a9fe:a9fe]', {}],
    ['https://[64:ff9b::a9fe:a9fe]', {}],
    ['https://metadata.google.internal', {}],
    ['https://10.0.0.5', {}],
    ['https://192.168.1.1:8443', {}],
    ['http://127.0.0.1:6379', {}],
    ['http://[::1]:22', {}],
  ])('refuses baseUrl %s, naming the field', async (baseUrl, options) => {
    const response = await request(rampart.url)
      .post('/api/v1/connectors')
      .set(bearer(rampart.adminKey))
      .send(okta('ssrf', baseUrl, options))
      .expect(400);
    expect(response.body).toMatchObject({ field: 'body.baseUrl' });
    expect(response.body.message).toContain('egress policy');
  });

  it('holds an MDE tokenUrl to the same rules: https, and an allowed destination', async () => {
    const mde = (tokenUrl: string) => ({
      name: 'mde-ssrf',
      type: 'mde',
      baseUrl: 'https://api.securitycenter.microsoft.com',
      credentials: { tenantId: 't', clientId: 'c', clientSecret: 's' },
      options: { tokenUrl },
    });
    for (const tokenUrl of ['http://login.example.test/token', 'https://169.254.169.254/token']) {
      const response = await request(rampart.url)
        .post('/api/v1/connectors')
        .set(bearer(rampart.adminKey))
        .send(mde(tokenUrl))
        .expect(400);
      expect(response.body).toMatchObject({ field: 'body.options.tokenUrl' });
    }
  });

  it('refuses, at connection time, a name that resolves to loopback: nothing reaches the listener', async () => {
    let connections = 0;
    const listener = net.createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    try {
      const port = (listener.address() as net.AddressInfo).port;
      await request(rampart.url)
        .post('/api/v1/connectors')
        .set(bearer(rampart.adminKey))
        .send(okta('by-name', `http://localhost:${port}`))
        .expect(201);
      const check = await request(rampart.url)
        .post('/api/v1/connectors/by-name/check')
        .set(bearer(rampart.adminKey))
        .expect(200);
      expect(check.body).toMatchObject({ status: 'failed', error: UNREACHABLE });
      expect(connections).toBe(0);
    } finally {
      await new Promise((resolve) => listener.close(resolve));
    }
  });
});

describe('a connector check that cannot reach its destination', () => {
  let rampart: TestRampart;
  let silent: net.Server;
  const held = new Set<net.Socket>();
  beforeAll(async () => {
    // Loopback allowed, as for the vendor fakes.
    rampart = await startTestRampart();
    // Accepts, never answers: "filtered", as far as a client can tell.
    silent = net.createServer((socket) => void held.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
    await rampart.stop();
  });

  it('answers the same for a closed port, a silent port and a name that does not resolve', async () => {
    const closed = await freePort();
    const silentPort = (silent.address() as net.AddressInfo).port;
    const targets = {
      closed: `http://127.0.0.1:${closed}`,
      silent: `http://127.0.0.1:${silentPort}`,
      unresolvable: 'http://unresolvable.invalid',
    };
    const answers: unknown[] = [];
    for (const [name, baseUrl] of Object.entries(targets)) {
      await request(rampart.url)
        .post('/api/v1/connectors')
        .set(bearer(rampart.adminKey))
        .send(okta(`probe-${name}`, baseUrl, { allowInsecureHttp: true }))
        .expect(201);
      const check = await request(rampart.url)
        .post(`/api/v1/connectors/probe-${name}/check`)
        .set(bearer(rampart.adminKey))
        .expect(200);
      answers.push(check.body.error);
    }
    expect(answers).toEqual([answers[0], answers[0], answers[0]]);
    // ...and the same as a destination the egress policy refuses (above).
    expect(answers[0]).toEqual(UNREACHABLE);
  });
});
