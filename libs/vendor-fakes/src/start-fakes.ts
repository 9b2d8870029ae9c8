import { CrowdStrikeFake } from './crowdstrike.fake';
import { FakeServer } from './fake-server';
import { FortiGateFake } from './fortigate.fake';
import { MdeFake } from './mde.fake';
import { OktaFake } from './okta.fake';
import { PanOsFake } from './panos.fake';
import { FAKES_EGRESS_ALLOW } from './test-runtime';
import { WebhookFake } from './webhook.fake';

export interface RunningFake {
  vendor: string;
  /** Base URL an adapter instance is configured with. */
  baseUrl: string;
  /** Connector type(s) this fake serves. */
  types: string[];
  /** The fake's (fake) credentials and seeded objects, for local configuration. */
  notes: Record<string, string>;
  /** Connector instances that use this fake, as `POST /api/v1/connectors` bodies. */
  connectors: FakeConnector[];
  server: FakeServer;
}

export interface FakeConnector {
  name: string;
  type: string;
  baseUrl: string;
  credentials: Record<string, string>;
  options?: Record<string, unknown>;
}

export interface StartFakesOptions {
  /** First port; fakes take consecutive ports from here (default 18001). 0 = random ports. */
  basePort?: number;
  host?: string;
}

/** Start every vendor fake, seeded with a few devices, users and sessions. */
export async function startAllFakes(
  options: StartFakesOptions = {},
): Promise<{ fakes: RunningFake[]; stop: () => Promise<void> }> {
  const basePort = options.basePort ?? 18001;
  const host = options.host ?? '127.0.0.1';
  const panos = new PanOsFake();
  const fortigate = new FortiGateFake({
    sessions: [
      {
        user_name: 'alice',
        remote_host: '198.51.100.10',
        last_login_time: Math.floor(Date.now() / 1000) - 3600,
        subsessions: 2,
      },
      {
        user_name: 'bob',
        remote_host: '198.51.100.11',
        last_login_time: Math.floor(Date.now() / 1000) - 600,
      },
    ],
    userGroups: { 'rampart-quarantine': [], 'vpn-users': ['alice', 'bob', 'carol'] },
  });
  const crowdstrike = new CrowdStrikeFake({
    devices: [
      { device_id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', hostname: 'ws-042', local_ip: '10.1.2.42' },
      {
        device_id: 'b2c3d4e5f60718293a4b5c6d7e8f90a1',
        hostname: 'db-01',
        local_ip: '10.1.5.10',
        platform_name: 'Linux',
      },
    ],
  });
  const mde = new MdeFake({
    machines: [
      {
        id: '7b1f4967d9728e5aa3c06a9e617a22a4a5a17378',
        computerDnsName: 'desktop-test',
        lastIpAddress: '10.3.0.7',
      },
      {
        id: '1e5bc9d7e413ddd7902c2932e418702b84d0cc07',
        computerDnsName: 'srv-web-01.corp.example',
        lastIpAddress: '10.3.1.20',
      },
    ],
  });
  const okta = new OktaFake({
    users: [
      { login: 'alice@example.com', id: '00u1alice', sessions: 2 },
      { login: 'bob@example.com', id: '00u2bob', sessions: 1 },
      { login: 'carol@example.com', id: '00u3carol' },
    ],
    groups: [{ id: '00gquarantine', name: 'Rampart Quarantine' }],
  });
  const slack = new WebhookFake({ mode: 'slack' });
  const webhook = new WebhookFake({ mode: 'json' });

  const plan: Array<{
    server: FakeServer;
    types: string[];
    notes: () => Record<string, string>;
    connectors: () => FakeConnector[];
    url?: () => string;
  }> = [
    {
      server: panos,
      types: ['panos'],
      notes: () => ({ username: panos.username, password: panos.password, apiKey: panos.apiKey }),
      connectors: () => [
        {
          name: 'fake-panos',
          type: 'panos',
          baseUrl: panos.baseUrl,
          credentials: { username: panos.username, password: panos.password },
        },
      ],
    },
    {
      server: fortigate,
      types: ['fortigate', 'fortigate-sslvpn'],
      notes: () => ({
        apiToken: fortigate.apiToken,
        addressGroup: 'rampart-blocklist',
        quarantineGroup: 'rampart-quarantine',
        vpnUsers: 'alice, bob',
      }),
      connectors: () => [
        {
          name: 'fake-fortigate',
          type: 'fortigate',
          baseUrl: fortigate.baseUrl,
          credentials: { apiToken: fortigate.apiToken },
        },
        {
          name: 'fake-fortigate-vpn',
          type: 'fortigate-sslvpn',
          baseUrl: fortigate.baseUrl,
          credentials: { apiToken: fortigate.apiToken },
        },
      ],
    },
    {
      server: crowdstrike,
      types: ['crowdstrike'],
      notes: () => ({
        clientId: crowdstrike.clientId,
        clientSecret: crowdstrike.clientSecret,
        hosts: 'ws-042 (10.1.2.42), db-01 (10.1.5.10)',
        forensicsScript: 'rampart-forensics',
      }),
      connectors: () => [
        {
          name: 'fake-falcon',
          type: 'crowdstrike',
          baseUrl: crowdstrike.baseUrl,
          credentials: { clientId: crowdstrike.clientId, clientSecret: crowdstrike.clientSecret },
          options: { forensicsScript: 'rampart-forensics' },
        },
      ],
    },
    {
      server: mde,
      types: ['mde'],
      notes: () => ({
        tenantId: mde.tenantId,
        clientId: mde.clientId,
        clientSecret: mde.clientSecret,
        tokenUrl: mde.tokenUrl(),
        machines: 'desktop-test (10.3.0.7), srv-web-01.corp.example (10.3.1.20)',
      }),
      connectors: () => [
        {
          name: 'fake-mde',
          type: 'mde',
          baseUrl: mde.baseUrl,
          credentials: { tenantId: mde.tenantId, clientId: mde.clientId, clientSecret: mde.clientSecret },
          options: { tokenUrl: mde.tokenUrl() },
        },
      ],
    },
    {
      server: okta,
      types: ['okta'],
      notes: () => ({
        apiToken: okta.apiToken,
        quarantineGroupId: '00gquarantine',
        users: 'alice@example.com, bob@example.com, carol@example.com',
      }),
      connectors: () => [
        {
          name: 'fake-okta',
          type: 'okta',
          baseUrl: okta.baseUrl,
          credentials: { apiToken: okta.apiToken },
          options: { quarantineGroupId: '00gquarantine' },
        },
      ],
    },
    {
      server: slack,
      types: ['slack'],
      notes: () => ({ webhookPath: slack.hookPath }),
      connectors: () => [
        {
          name: 'fake-slack',
          type: 'slack',
          baseUrl: slack.baseUrl,
          credentials: { webhookPath: slack.hookPath },
        },
      ],
    },
    {
      server: webhook,
      types: ['webhook'],
      notes: () => ({}),
      connectors: () => [
        { name: 'fake-webhook', type: 'webhook', baseUrl: webhook.endpoint, credentials: {} },
      ],
      url: () => webhook.endpoint,
    },
  ];

  const fakes: RunningFake[] = [];
  try {
    for (const [index, entry] of plan.entries()) {
      await entry.server.start(basePort === 0 ? 0 : basePort + index, host);
      fakes.push({
        vendor: entry.server.vendor,
        baseUrl: entry.url ? entry.url() : entry.server.baseUrl,
        types: entry.types,
        notes: entry.notes(),
        connectors: entry.connectors(),
        server: entry.server,
      });
    }
  } catch (failure) {
    await Promise.all(fakes.map((fake) => fake.server.stop()));
    throw failure;
  }
  return { fakes, stop: async () => void (await Promise.all(fakes.map((fake) => fake.server.stop()))) };
}

export interface Registration {
  name: string;
  result: 'created' | 'updated';
}

/**
 * Creates (or, when the name is taken, updates) every fake's connector instances in a running
 * Rampart through its admin API. Fails on the first refusal, with Rampart's answer.
 */
export async function registerFakeConnectors(
  fakes: RunningFake[],
  rampart: { url: string; adminKey: string },
): Promise<Registration[]> {
  const headers = { authorization: `Bearer ${rampart.adminKey}`, 'content-type': 'application/json' };
  const registrations: Registration[] = [];
  for (const connector of fakes.flatMap((fake) => fake.connectors)) {
    const created = await fetch(`${rampart.url}/api/v1/connectors`, {
      method: 'POST',
      headers,
      body: JSON.stringify(connector),
    });
    if (created.status === 201) {
      registrations.push({ name: connector.name, result: 'created' });
      continue;
    }
    const refusal = (await created.json().catch(() => ({}))) as { code?: string; message?: string };
    if (created.status !== 409 || refusal.code !== 'connector_name_taken') {
      const hint = refusal.message?.includes('egress policy')
        ? `; the fakes listen on loopback: start Rampart with SOAR_EGRESS_ALLOW=${FAKES_EGRESS_ALLOW.join(',')}`
        : '';
      throw new Error(
        `${connector.name}: ${created.status} ${refusal.code ?? ''} ${refusal.message ?? ''}`.trim() + hint,
      );
    }
    const { name, ...definition } = connector;
    const updated = await fetch(`${rampart.url}/api/v1/connectors/${encodeURIComponent(name)}`, {
      method: 'PUT',
      headers,
      body: JSON.stringify(definition),
    });
    if (updated.status !== 200) throw new Error(`${name}: ${updated.status} ${await updated.text()}`);
    registrations.push({ name, result: 'updated' });
  }
  return registrations;
}
