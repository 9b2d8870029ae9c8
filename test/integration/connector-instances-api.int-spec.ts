import request from 'supertest';

import { PanOsFake } from '@rampart/vendor-fakes';

import { addApiKey, bearer } from '../support/connector-support';
import { startTestRampart, type TestRampart } from '../support/rampart-app';

// Admin API for connector instances: credentials are write-only, sealed at rest, never answered.
const panos = new PanOsFake({ password: 'panos-pw-3f9a1c7e5b2d', apiKey: 'panos-key-8e4b2a6c0d1f' });
const analystKey = 'rk_analyst_key_for_connector_tests_00';
let rampart: TestRampart;
const responses: string[] = [];

/** Every answer is kept, to check at the end that no credential was ever in one. */
async function call(method: 'get' | 'post' | 'put' | 'delete', path: string, body?: object, key?: string) {
  const agent = request(rampart.url);
  let pending = agent[method](path).set(bearer(key ?? rampart.adminKey));
  if (body !== undefined) pending = pending.send(body);
  const response = await pending;
  responses.push(response.text);
  return response;
}

const edgeFirewall = () => ({
  name: 'edge-fw',
  type: 'panos',
  baseUrl: panos.baseUrl,
  credentials: { username: panos.username, password: panos.password },
  options: { tag: 'rampart-blocked' },
});

beforeAll(async () => {
  await panos.start();
  rampart = await startTestRampart();
  await addApiKey(rampart, 'analyst', analystKey);
});

afterAll(async () => {
  await rampart?.stop();
  await panos.stop();
});

describe('/api/v1/connectors', () => {
  it('creates an instance and answers it with credential field names only', async () => {
    const created = await call('post', '/api/v1/connectors', edgeFirewall());
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      name: 'edge-fw',
      type: 'panos',
      capability: 'firewall',
      baseUrl: panos.baseUrl,
      options: { tag: 'rampart-blocked' },
      credentialFields: ['password', 'username'],
      source: 'api',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });

    const list = await call('get', '/api/v1/connectors');
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([created.body]);
    expect((await call('get', '/api/v1/connectors/edge-fw')).body).toEqual(created.body);

    const [row] = await rampart.db.query<{ sealed: string; fields: string[] }>(
      `SELECT credentials_sealed AS sealed, credential_fields AS fields FROM connector_instance WHERE name = 'edge-fw'`,
    );
    expect(row?.sealed).toMatch(/^v1\./);
    expect(row?.sealed).not.toContain(panos.password);
    expect(row?.fields).toEqual(['password', 'username']);
  });

  it('refuses a taken name and names every field a bad instance gets wrong', async () => {
    const taken = await call('post', '/api/v1/connectors', edgeFirewall());
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ code: 'connector_name_taken', field: 'body.name' });

    const invalid = await call('post', '/api/v1/connectors', {
      name: 'falcon',
      type: 'crowdstrike',
      baseUrl: 'http://falcon.example.com',
      credentials: { clientId: 'falcon-client-id-0001' },
      options: { memberCid: 'not a cid!' },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ code: 'invalid_connector', field: 'body.credentials.clientSecret' });
    expect(invalid.body.details.map((detail: { field: string }) => detail.field).sort()).toEqual([
      'body.baseUrl',
      'body.credentials.clientSecret',
      'body.options.memberCid',
    ]);

    const badName = await call('post', '/api/v1/connectors', { ...edgeFirewall(), name: 'edge fw/1' });
    expect(badName.body).toMatchObject({ code: 'invalid_connector', field: 'body.name' });
    const badType = await call('post', '/api/v1/connectors', {
      ...edgeFirewall(),
      name: 'x',
      type: 'checkpoint',
    });
    expect(badType.body).toMatchObject({ code: 'validation_failed', field: 'body.type' });
    const mismatch = await call('post', '/api/v1/connectors', {
      ...edgeFirewall(),
      name: 'y',
      capability: 'edr',
    });
    expect(mismatch.body).toMatchObject({ code: 'invalid_connector', field: 'body.capability' });
  });

  it('updates an instance, keeping the stored credentials when none are given', async () => {
    const before = (await call('get', '/api/v1/connectors/edge-fw')).body;
    const updated = await call('put', '/api/v1/connectors/edge-fw', {
      type: 'panos',
      baseUrl: panos.baseUrl,
      options: { tag: 'soc-blocked' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      options: { tag: 'soc-blocked' },
      credentialFields: ['password', 'username'],
    });
    expect(Date.parse(updated.body.updatedAt)).toBeGreaterThan(Date.parse(before.updatedAt));

    // The kept credentials still work: the block reaches the fake under the new tag.
    const block = await call('post', '/api/v1/actions', {
      connector: 'edge-fw',
      operation: 'block_ip',
      target: '192.0.2.77',
    });
    expect(block.body).toMatchObject({ state: 'succeeded', outcome: 'changed' });
    expect(panos.tagsOf('192.0.2.77')).toEqual(['soc-blocked']);

    const switched = await call('put', '/api/v1/connectors/edge-fw', {
      type: 'fortigate',
      baseUrl: panos.baseUrl,
    });
    expect(switched.body).toMatchObject({ code: 'invalid_connector', field: 'body.credentials' });
    const rotated = await call('put', '/api/v1/connectors/edge-fw', {
      type: 'panos',
      baseUrl: panos.baseUrl,
      credentials: { apiKey: panos.apiKey },
    });
    expect(rotated.body.credentialFields).toEqual(['apiKey']);

    const missing = await call('put', '/api/v1/connectors/nope', { type: 'panos', baseUrl: panos.baseUrl });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'connector_not_found', field: 'param.name' });
  });

  it('is for admins only', async () => {
    expect((await call('get', '/api/v1/connectors', undefined, analystKey)).status).toBe(403);
    expect((await call('post', '/api/v1/connectors', edgeFirewall(), analystKey)).status).toBe(403);
    expect((await call('post', '/api/v1/connectors/edge-fw/check', undefined, analystKey)).status).toBe(403);
  });

  it('checks an instance with read-only vendor calls and says what failed', async () => {
    const registrations = panos.count('user-id');
    const ok = await call('post', '/api/v1/connectors/edge-fw/check');
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({
      connector: 'edge-fw',
      type: 'panos',
      status: 'ok',
      checked: 'the API key is accepted and registered IPs can be read',
      durationMs: expect.any(Number),
    });
    expect(panos.count('user-id')).toBe(registrations);

    await call('post', '/api/v1/connectors', {
      ...edgeFirewall(),
      name: 'stale-fw',
      credentials: { apiKey: 'panos-key-revoked-000000' },
    });
    const failed = await call('post', '/api/v1/connectors/stale-fw/check');
    expect(failed.body).toMatchObject({
      connector: 'stale-fw',
      status: 'failed',
      error: { code: 'auth_failed', retryable: false, vendorStatus: 403 },
    });
    await call('delete', '/api/v1/connectors/stale-fw');

    await call('post', '/api/v1/connectors', {
      name: 'soc-hook',
      type: 'webhook',
      baseUrl: 'http://127.0.0.1:9/hook',
      credentials: {},
    });
    const notify = await call('post', '/api/v1/connectors/soc-hook/check');
    expect(notify.body).toMatchObject({ status: 'not_checkable', type: 'webhook' });
    await call('delete', '/api/v1/connectors/soc-hook');

    const missing = await call('post', '/api/v1/connectors/nope/check');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'connector_not_found', field: 'param.name' });
  });

  it('deletes an instance whose actions need it no more', async () => {
    await call('post', '/api/v1/connectors', { ...edgeFirewall(), name: 'spare-fw' });
    expect((await call('delete', '/api/v1/connectors/spare-fw')).status).toBe(204);
    expect((await call('get', '/api/v1/connectors/spare-fw')).status).toBe(404);
    expect((await call('delete', '/api/v1/connectors/spare-fw')).body).toMatchObject({
      code: 'connector_not_found',
    });
  });

  it('never answered a credential', () => {
    const secrets = [panos.password, panos.apiKey, 'falcon-client-id-0001'];
    const everything = responses.join('\n');
    for (const secret of secrets) {
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain(Buffer.from(secret).toString('base64'));
    }
  });
});
