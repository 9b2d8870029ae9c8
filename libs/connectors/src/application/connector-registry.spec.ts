import { CrowdStrikeFake, testRuntime } from '@rampart/vendor-fakes';

import { ConnectorError } from '../domain/connector-error';
import { ConnectorInstance } from '../domain/connector-instance';
import { EdrConnector } from '../domain/edr-connector';
import { FirewallConnector } from '../domain/firewall-connector';
import { NotifyConnector } from '../domain/notify-connector';
import { VpnConnector } from '../domain/vpn-connector';
import {
  createConnector,
  createEdrConnector,
  createFirewallConnector,
  validateConnectorInstance,
} from './connector-registry';

function instance(overrides: Partial<ConnectorInstance>): ConnectorInstance {
  return {
    id: 'c1',
    name: 'Falcon prod',
    type: 'crowdstrike',
    capability: 'edr',
    baseUrl: 'https://api.crowdstrike.com',
    credentials: { clientId: 'id-123', clientSecret: 'secret-456' },
    options: {},
    ...overrides,
  };
}

describe('connector registry', () => {
  it.each([
    ['panos', 'firewall', { apiKey: 'k' }, {}, FirewallConnector],
    ['fortigate', 'firewall', { apiToken: 't' }, { mode: 'banned-ip' }, FirewallConnector],
    ['crowdstrike', 'edr', { clientId: 'a', clientSecret: 'b' }, {}, EdrConnector],
    [
      'mde',
      'edr',
      { tenantId: 't', clientId: 'a', clientSecret: 'b' },
      { isolationType: 'Selective' },
      EdrConnector,
    ],
    ['fortigate-sslvpn', 'vpn', { apiToken: 't' }, { quarantineGroup: 'q' }, VpnConnector],
    ['okta', 'vpn', { apiToken: 't' }, { quarantineGroupId: '00g123' }, VpnConnector],
    ['webhook', 'notify', { bearerToken: 'b' }, { template: '{{title}}' }, NotifyConnector],
    ['slack', 'notify', { webhookPath: '/services/T1/B2/abc' }, {}, NotifyConnector],
  ] as const)('builds %s as a %s connector', (type, capability, credentials, options, kind) => {
    const connector = createConnector(
      instance({ type, capability, credentials: { ...credentials }, options: { ...options } }),
    );
    expect(connector).toBeInstanceOf(kind);
    expect(connector.toJSON()).toEqual({ type, capability, name: 'Falcon prod' });
  });

  it('reports every field-level problem without echoing values', () => {
    const bad = instance({
      capability: 'firewall',
      baseUrl: 'http://10.0.0.5',
      credentials: { clientId: 'id-123', unexpected: 'leaky-secret-789' },
      options: { timeoutMs: 5, nonsense: true },
    });
    const issues = validateConnectorInstance(bad);
    expect(issues.map((issue) => issue.path).sort()).toEqual(
      [
        'baseUrl',
        'capability',
        'credentials',
        'credentials.clientSecret',
        'options',
        'options.timeoutMs',
      ].sort(),
    );
    const failure = (() => {
      try {
        createConnector(bad);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(failure).toBeInstanceOf(ConnectorError);
    expect(failure).toMatchObject({ code: 'invalid_request', retryable: false });
    expect(JSON.stringify(failure)).not.toContain('leaky-secret-789');
    expect(JSON.stringify(failure)).not.toContain('id-123');
  });

  it('refuses base URLs with credentials, queries or other schemes', () => {
    for (const baseUrl of ['https://user:pw@host', 'https://host/api?x=1', 'ftp://host', 'not a url']) {
      expect(validateConnectorInstance(instance({ baseUrl }))).toEqual([
        expect.objectContaining({ path: 'baseUrl' }),
      ]);
    }
    expect(
      validateConnectorInstance(
        instance({ baseUrl: 'http://10.0.0.5', options: { allowInsecureHttp: true } }),
      ),
    ).toEqual([]);
  });

  it('refuses retry options that together make no valid retry policy', () => {
    expect(
      validateConnectorInstance(instance({ options: { backoffBaseMs: 5_000, backoffMaxMs: 100 } })),
    ).toEqual([
      expect.objectContaining({ path: 'options', message: expect.stringMatching(/^retry: maxDelayMs/) }),
    ]);
    expect(
      validateConnectorInstance(instance({ options: { backoffBaseMs: 100, backoffMaxMs: 5_000 } })),
    ).toEqual([]);
  });

  it('refuses a connector of the wrong capability for the caller', () => {
    expect(() => createFirewallConnector(instance({}))).toThrow(
      expect.objectContaining({ code: 'invalid_request' }),
    );
  });

  it('builds a working adapter from a stored instance, with injected runtime and options', async () => {
    const fake = new CrowdStrikeFake({ devices: [{ device_id: 'abc123', hostname: 'db-01' }] });
    await fake.start();
    try {
      const runtime = testRuntime();
      const edr = createEdrConnector(
        instance({
          baseUrl: fake.baseUrl,
          credentials: { clientId: fake.clientId, clientSecret: fake.clientSecret },
          options: { retries: 1, backoffBaseMs: 1 },
        }),
        { runtime },
      );
      fake.failNext(2, { kind: 'status', status: 500 });
      await expect(edr.getContainmentState('abc123')).rejects.toMatchObject({ code: 'unavailable' });
      expect(runtime.sleeps).toHaveLength(1);
      await expect(edr.resolveHost({ hostname: 'db-01' })).resolves.toMatchObject({ deviceId: 'abc123' });
    } finally {
      await fake.stop();
    }
  });
});
