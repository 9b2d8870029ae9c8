// Findings 6 and 15 of the hardening issue: an admin could point a connector elsewhere (baseUrl,
// MDE tokenUrl) without re-entering its secrets, and a check then sent them to a listener; and a
// notify template that cannot compile was accepted at create, failing every notify after.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import request from 'supertest';

import { OktaFake } from '@rampart/vendor-fakes';

import { bearer } from '../support/connector-support';
import { startTestRampart, type TestRampart } from '../support/rampart-app';

const okta = new OktaFake();
let rampart: TestRampart;
let listener: http.Server;
let listenerUrl: string;
const heard: { path: string; authorization: string | undefined }[] = [];
const admin = () => bearer(rampart.adminKey);

beforeAll(async () => {
  await okta.start();
  listener = http.createServer((incoming, response) => {
    heard.push({ path: incoming.url ?? '', authorization: incoming.headers.authorization });
    response.end('{}');
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  listenerUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  rampart = await startTestRampart();
});

afterAll(async () => {
  await rampart.stop();
  listener.closeAllConnections();
  await new Promise((resolve) => listener.close(resolve));
  await okta.stop();
});

describe('moving a connector without its credentials (finding 6)', () => {
  const definition = {
    type: 'okta',
    baseUrl: '',
    credentials: { apiToken: okta.apiToken },
    options: { quarantineGroupId: '00gquarantine' },
  };

  it('refuses a new baseUrl unless the credentials are given again, and nothing reaches the new place', async () => {
    await request(rampart.url)
      .post('/api/v1/connectors')
      .set(admin())
      .send({ ...definition, name: 'idp', baseUrl: okta.baseUrl })
      .expect(201);
    const { credentials: _kept, ...withoutCredentials } = definition;
    const moved = await request(rampart.url)
      .put('/api/v1/connectors/idp')
      .set(admin())
      .send({ ...withoutCredentials, baseUrl: listenerUrl })
      .expect(400);
    expect(moved.body).toMatchObject({ field: 'body.credentials' });
    expect(moved.body.message).toContain('baseUrl');
    await request(rampart.url).post('/api/v1/connectors/idp/check').set(admin()).expect(200);
    expect(heard).toEqual([]);

    // Same destination, no credentials: still fine (options change only).
    await request(rampart.url)
      .put('/api/v1/connectors/idp')
      .set(admin())
      .send({
        ...withoutCredentials,
        baseUrl: okta.baseUrl,
        options: { ...definition.options, timeoutMs: 5000 },
      })
      .expect(200);
    // With the credentials entered again, the move is the admin's to make.
    await request(rampart.url)
      .put('/api/v1/connectors/idp')
      .set(admin())
      .send({
        ...definition,
        baseUrl: listenerUrl,
        credentials: { apiToken: 'a-new-token-for-the-new-place' },
      })
      .expect(200);
  });

  it('refuses a new MDE tokenUrl (where the client secret goes) without the credentials', async () => {
    const mde = {
      type: 'mde',
      baseUrl: 'https://api.securitycenter.microsoft.com',
      credentials: { tenantId: 'tenant', clientId: 'client', clientSecret: 'client-secret-never-moved' },
      options: { tokenUrl: 'https://login.microsoftonline.com/tenant/oauth2/token' },
    };
    await request(rampart.url)
      .post('/api/v1/connectors')
      .set(admin())
      .send({ ...mde, name: 'edr' })
      .expect(201);
    const { credentials: _kept, ...withoutCredentials } = mde;
    const moved = await request(rampart.url)
      .put('/api/v1/connectors/edr')
      .set(admin())
      .send({ ...withoutCredentials, options: { tokenUrl: `${listenerUrl}/token`, allowInsecureHttp: true } })
      .expect(400);
    expect(moved.body).toMatchObject({ field: 'body.credentials' });
    expect(moved.body.message).toContain('options.tokenUrl');
  });
});

describe('notify templates (finding 15)', () => {
  it.each(['{{#if}}', '{{#if}}{{/if}}', '{{#each}}x{{/each}}'])(
    'refuses %p at create and at update, naming options.template',
    async (template) => {
      const webhook = (options: Record<string, unknown>) => ({
        type: 'webhook',
        baseUrl: `${listenerUrl}/hook`,
        credentials: {},
        options: { allowInsecureHttp: true, ...options },
      });
      const created = await request(rampart.url)
        .post('/api/v1/connectors')
        .set(admin())
        .send({ ...webhook({ template }), name: 'notify-bad' })
        .expect(400);
      expect(created.body).toMatchObject({ field: 'body.options.template' });
      const name = `notify-${Math.random().toString(36).slice(2, 8)}`;
      await request(rampart.url)
        .post('/api/v1/connectors')
        .set(admin())
        .send({ ...webhook({}), name })
        .expect(201);
      const updated = await request(rampart.url)
        .put(`/api/v1/connectors/${name}`)
        .set(admin())
        .send({ ...webhook({ template }), credentials: {} })
        .expect(400);
      expect(updated.body).toMatchObject({ field: 'body.options.template' });
    },
  );
});
