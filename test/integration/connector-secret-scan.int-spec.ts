import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import request from 'supertest';

import { ActionSweeper } from '@rampart/containment';
import { CrowdStrikeFake, FortiGateFake, OktaFake, PanOsFake, WebhookFake } from '@rampart/vendor-fakes';

import { CapturingLogger } from '../support/capturing-logger';
import { addApiKey, bearer, eventually } from '../support/connector-support';
import { startTestRampart, type TestRampart } from '../support/rampart-app';

// Runs the connector and action flows (success, vendor refusals, validation errors, expiry, the
// connectors file) with every log line and every HTTP answer captured, then looks for each
// credential value, in clear and in base64, in all of it.
const secret = (label: string) => `${label}-${randomBytes(18).toString('base64url')}`;

const panos = new PanOsFake({
  username: secret('pan-user'),
  password: secret('pan-pw'),
  apiKey: secret('pan-key'),
});
const fortigate = new FortiGateFake({
  apiToken: secret('forti-token'),
  sessions: [{ user_name: 'bob', remote_host: '198.51.100.11', last_login_time: 1_700_000_000 }],
});
const crowdstrike = new CrowdStrikeFake({
  clientId: secret('cs-id'),
  clientSecret: secret('cs-secret'),
  devices: [{ device_id: 'b2c3d4e5f60718293a4b5c6d7e8f90a1', hostname: 'db-01', local_ip: '10.1.5.10' }],
  settleAfterReads: 0,
});
const okta = new OktaFake({
  apiToken: secret('okta-token'),
  users: [{ login: 'carol@example.com', id: '00u3carol' }],
  groups: [{ id: '00gquarantine', name: 'Rampart Quarantine' }],
});
const webhook = new WebhookFake({ mode: 'json', bearerToken: secret('hook-bearer') });
const slack = new WebhookFake({
  mode: 'slack',
  hookPath: `/services/T0SCAN/B0SCAN/${randomBytes(12).toString('hex')}`,
});
const signingSecret = secret('hook-signing');
const wrongPassword = secret('wrong-pw');
const refusedSecrets = [secret('refused-id'), secret('refused-extra')];
const fileToken = { name: 'RAMPART_SCAN_FORTI_TOKEN', value: fortigate.apiToken };

const logger = new CapturingLogger();
const responses: string[] = [];
const directory = mkdtempSync(path.join(os.tmpdir(), 'rampart-secret-scan-'));
const responderKey = 'rk_responder_key_for_secret_scan_0000';
let rampart: TestRampart;

async function call(method: 'get' | 'post' | 'put' | 'delete', route: string, body?: object, key?: string) {
  const agent = request(rampart.url);
  let pending = agent[method](route).set(bearer(key ?? rampart.adminKey));
  if (body !== undefined) pending = pending.send(body);
  const response = await pending;
  responses.push(`${response.status} ${JSON.stringify(response.headers)} ${response.text}`);
  return response;
}

beforeAll(async () => {
  await Promise.all([panos, fortigate, crowdstrike, okta, webhook, slack].map((fake) => fake.start()));
  const file = path.join(directory, 'connectors.yaml');
  writeFileSync(
    file,
    [
      'connectors:',
      '  - name: vpn',
      '    type: fortigate-sslvpn',
      `    baseUrl: ${fortigate.baseUrl}`,
      '    credentials:',
      `      apiToken: \${${fileToken.name}}`,
    ].join('\n'),
  );
  rampart = await startTestRampart(
    { CONNECTORS_FILE: file, LOG_LEVEL: 'verbose', [fileToken.name]: fileToken.value },
    { logger },
  );
  await addApiKey(rampart, 'responder', responderKey);
});

afterAll(async () => {
  await rampart?.stop();
  await Promise.all([panos, fortigate, crowdstrike, okta, webhook, slack].map((fake) => fake.stop()));
  rmSync(directory, { recursive: true, force: true });
});

describe('credentials', () => {
  it('appear in no log line, no HTTP answer and nowhere in clear in the database', async () => {
    const connectors = [
      {
        name: 'edge-fw',
        type: 'panos',
        baseUrl: panos.baseUrl,
        credentials: { username: panos.username, password: panos.password },
      },
      { name: 'key-fw', type: 'panos', baseUrl: panos.baseUrl, credentials: { apiKey: panos.apiKey } },
      {
        name: 'bad-fw',
        type: 'panos',
        baseUrl: panos.baseUrl,
        credentials: { username: panos.username, password: wrongPassword },
      },
      {
        name: 'dc-fw',
        type: 'fortigate',
        baseUrl: fortigate.baseUrl,
        credentials: { apiToken: fortigate.apiToken },
      },
      {
        name: 'falcon',
        type: 'crowdstrike',
        baseUrl: crowdstrike.baseUrl,
        credentials: { clientId: crowdstrike.clientId, clientSecret: crowdstrike.clientSecret },
      },
      {
        name: 'okta',
        type: 'okta',
        baseUrl: okta.baseUrl,
        credentials: { apiToken: okta.apiToken },
        options: { quarantineGroupId: '00gquarantine' },
      },
      {
        name: 'soc-hook',
        type: 'webhook',
        baseUrl: webhook.endpoint,
        credentials: { bearerToken: webhook.bearerToken as string, signingSecret },
      },
      { name: 'slack', type: 'slack', baseUrl: slack.baseUrl, credentials: { webhookPath: slack.hookPath } },
    ];
    for (const connector of connectors)
      expect((await call('post', '/api/v1/connectors', connector)).status).toBe(201);

    // Refused configurations carrying secrets.
    const refused = await call('post', '/api/v1/connectors', {
      name: 'refused',
      type: 'crowdstrike',
      baseUrl: crowdstrike.baseUrl,
      credentials: { clientId: refusedSecrets[0], extra: refusedSecrets[1] },
    });
    expect(refused.status).toBe(400);
    expect((await call('post', '/api/v1/connectors', { ...connectors[0], name: 'edge-fw' })).status).toBe(
      409,
    );
    expect(
      (
        await call('put', '/api/v1/connectors/soc-hook', {
          type: 'webhook',
          baseUrl: webhook.endpoint,
          options: { includeData: false },
        })
      ).status,
    ).toBe(200);
    await call('get', '/api/v1/connectors');
    for (const connector of connectors) await call('get', `/api/v1/connectors/${connector.name}`);

    // Actions that succeed, fail at the vendor, expire and are rolled back.
    rampart.app.get(ActionSweeper).setIntervalMs(200);
    const actions = [
      { connector: 'edge-fw', operation: 'block_ip', target: '203.0.113.10', expiresInSeconds: 1 },
      { connector: 'key-fw', operation: 'block_ip', target: '203.0.113.11' },
      { connector: 'bad-fw', operation: 'block_ip', target: '203.0.113.12' },
      { connector: 'dc-fw', operation: 'block_ip', target: '10.9.0.0/16' },
      { connector: 'falcon', operation: 'isolate_host', target: 'db-01' },
      { connector: 'okta', operation: 'quarantine_user', target: 'carol@example.com' },
      { connector: 'soc-hook', operation: 'notify', target: 'Rampart isolated db-01', reason: 'scan' },
      { connector: 'slack', operation: 'notify', target: 'Rampart isolated db-01' },
      { connector: 'vpn', operation: 'disconnect_sessions', target: 'bob' },
    ];
    const ids: Record<string, string> = {};
    for (const action of actions) {
      const response = await call('post', '/api/v1/actions', action, responderKey);
      expect(response.status).toBe(201);
      ids[action.connector] = response.body.id;
    }
    expect(
      (await call('get', `/api/v1/actions/${ids['bad-fw']}`, undefined, responderKey)).body,
    ).toMatchObject({
      state: 'failed',
      errorCode: 'auth_failed',
    });
    for (const name of ['falcon', 'okta', 'dc-fw']) {
      const rolledBack = await call('post', `/api/v1/actions/${ids[name]}/rollback`, {}, responderKey);
      expect(rolledBack.body.state).toBe('rolled_back');
    }
    await eventually(async () => {
      const action = await call('get', `/api/v1/actions/${ids['edge-fw']}`, undefined, responderKey);
      return action.body.state === 'expired' ? true : undefined;
    });
    expect(webhook.received).toHaveLength(1);
    expect(slack.received).toHaveLength(1);
    await call('get', '/api/v1/actions?limit=200', undefined, responderKey);
    expect((await call('delete', '/api/v1/connectors/bad-fw')).status).toBe(204);

    const secrets = [
      panos.username,
      panos.password,
      panos.apiKey,
      wrongPassword,
      fortigate.apiToken,
      crowdstrike.clientId,
      crowdstrike.clientSecret,
      okta.apiToken,
      webhook.bearerToken as string,
      signingSecret,
      slack.hookPath,
      ...refusedSecrets,
    ];
    const [database] = await rampart.db.query<{ dump: string }>(
      `SELECT (SELECT coalesce(string_agg(c::text, E'\\n'), '') FROM connector_instance c) || E'\\n' ||
              (SELECT coalesce(string_agg(a::text, E'\\n'), '') FROM containment_action a) AS dump`,
    );
    const places = { logs: logger.text(), responses: responses.join('\n'), database: database?.dump ?? '' };
    expect(logger.lines.length).toBeGreaterThan(10);
    expect(places.database).toContain('v1.');

    const found: string[] = [];
    for (const value of secrets) {
      const forms = [value, Buffer.from(value).toString('base64'), Buffer.from(value).toString('base64url')];
      for (const [place, text] of Object.entries(places)) {
        if (forms.some((form) => text.includes(form))) found.push(`${value.slice(0, 8)}... in ${place}`);
      }
    }
    expect(found).toEqual([]);
  });
});
