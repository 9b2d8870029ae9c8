import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import request from 'supertest';

import { buildSampleAlert } from '@rampart/alerts';

import { createUser, signIn } from '../support/auth-support';
import { addApiKey, bearer, eventually } from '../support/connector-support';
import { startTestRampart, type TestRampart } from '../support/rampart-app';

// API keys for SIEMs and automation, and user accounts, managed through the API.
let rampart: TestRampart;
const PASSWORD = 'a long passphrase for tests';
const AUDITOR_KEY = 'rk_accounts_auditor_key_00000000000';
const NOWHERE = '00000000-0000-4000-8000-000000000000';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

beforeAll(async () => {
  rampart = await startTestRampart();
  await addApiKey(rampart, 'auditor', AUDITOR_KEY);
});

afterAll(async () => {
  await rampart.stop();
});

const admin = () => bearer(rampart.adminKey);
const issue = (body: Record<string, unknown>) =>
  request(rampart.url).post('/api/v1/api-keys').set(admin()).send(body);

describe('API keys', () => {
  it('are issued with one role, shown once, stored hashed, and listed without their secret', async () => {
    const issued = await issue({ name: 'splunk-prod', role: 'ingest', expiresIn: '90d' }).expect(201);
    const key = issued.body.key as string;
    expect(key).toMatch(/^rk_[\w-]{43}$/);
    expect(issued.body).toMatchObject({
      name: 'splunk-prod',
      role: 'ingest',
      prefix: key.slice(0, 8),
      state: 'active',
      createdBy: 'SOAR_ADMIN_API_KEY',
      lastUsedAt: null,
      revokedAt: null,
    });
    const days = (Date.parse(issued.body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThanOrEqual(90);

    const stored = await rampart.db.query<{ secret_hash: string }>(
      `SELECT secret_hash FROM api_key WHERE id = $1`,
      [issued.body.id],
    );
    expect(stored).toEqual([{ secret_hash: sha256(key) }]);

    // The role is its scope: it sends alerts and nothing else.
    const alert = buildSampleAlert('wazuh', { id: 'key-lifecycle-1', time: new Date(), host: 'keys-01' });
    await request(rampart.url)
      .post('/api/v1/alerts')
      .set(bearer(key))
      .send(alert as object)
      .expect(202);
    await request(rampart.url).get('/api/v1/incidents').set(bearer(key)).expect(403);

    const list = await request(rampart.url).get('/api/v1/api-keys').set(bearer(AUDITOR_KEY)).expect(200);
    expect(list.text).not.toContain(key);
    expect(list.text).not.toContain(sha256(key));
    const listed = (list.body.items as { id: string; lastUsedAt: string | null }[]).find(
      (item) => item.id === issued.body.id,
    );
    expect(listed?.lastUsedAt).not.toBeNull();
    expect(Object.keys(listed ?? {}).sort()).toEqual(
      [
        'createdAt',
        'createdBy',
        'expiresAt',
        'id',
        'lastUsedAt',
        'name',
        'prefix',
        'revokedAt',
        'role',
        'state',
      ].sort(),
    );
    const one = await request(rampart.url).get(`/api/v1/api-keys/${issued.body.id}`).set(admin()).expect(200);
    expect(one.body).not.toHaveProperty('key');
  });

  it('are refused from the moment they are revoked, and stay listed as revoked', async () => {
    const { body } = await issue({ name: 'automation', role: 'analyst' }).expect(201);
    await request(rampart.url).get('/api/v1/incidents').set(bearer(body.key)).expect(200);
    const revoked = await request(rampart.url).delete(`/api/v1/api-keys/${body.id}`).set(admin()).expect(200);
    expect(revoked.body).toMatchObject({ state: 'revoked', revokedAt: expect.any(String) });
    const refused = await request(rampart.url).get('/api/v1/incidents').set(bearer(body.key)).expect(401);
    expect(refused.body).toMatchObject({ code: 'api_key_revoked' });
    const again = await request(rampart.url).delete(`/api/v1/api-keys/${body.id}`).set(admin()).expect(200);
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
    const list = await request(rampart.url).get('/api/v1/api-keys').set(admin()).expect(200);
    expect(list.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: body.id, state: 'revoked' })]),
    );
  });

  it('are refused once expired', async () => {
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const { body } = await issue({ name: 'short-lived', role: 'viewer', expiresAt }).expect(201);
    expect(body.expiresAt).toBe(expiresAt);
    await request(rampart.url).get('/api/v1/incidents').set(bearer(body.key)).expect(200);
    await rampart.db.query(`UPDATE api_key SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      body.id,
    ]);
    // A change made with SQL on another connection reaches the platform's authentication cache as
    // a notification (trigger on api_key), which arrives asynchronously: milliseconds, but not
    // necessarily before the next request. So the refusal is awaited, for at most 2 s.
    const refused = await eventually(
      async () => {
        const response = await request(rampart.url).get('/api/v1/incidents').set(bearer(body.key));
        return response.status === 401 ? response : undefined;
      },
      2_000,
      20,
    );
    expect(refused.body).toMatchObject({ code: 'api_key_expired' });
    const listed = await request(rampart.url).get(`/api/v1/api-keys/${body.id}`).set(admin()).expect(200);
    expect(listed.body.state).toBe('expired');
  });

  it('refuse bad requests, naming the field', async () => {
    const past = await issue({ name: 'x', role: 'viewer', expiresAt: '2020-01-01T00:00:00Z' }).expect(400);
    expect(past.body).toMatchObject({ code: 'invalid_expiry', field: 'body.expiresAt' });
    const both = await issue({
      name: 'x',
      role: 'viewer',
      expiresAt: '2030-01-01T00:00:00Z',
      expiresIn: '1d',
    }).expect(400);
    expect(both.body).toMatchObject({ field: 'body.expiresIn' });
    const role = await issue({ name: 'x', role: 'superuser' }).expect(400);
    expect(role.body).toMatchObject({ field: 'body.role' });
    const id = await request(rampart.url).delete('/api/v1/api-keys/not-a-uuid').set(admin()).expect(400);
    expect(id.body).toMatchObject({ code: 'validation_failed', field: 'param' });
    const missing = await request(rampart.url).delete(`/api/v1/api-keys/${NOWHERE}`).set(admin()).expect(404);
    expect(missing.body).toMatchObject({ code: 'api_key_not_found' });
    const auditor = await request(rampart.url)
      .post('/api/v1/api-keys')
      .set(bearer(AUDITOR_KEY))
      .send({ name: 'x', role: 'admin' })
      .expect(403);
    expect(auditor.body).toMatchObject({ code: 'forbidden' });
  });
});

describe('users', () => {
  it('has an initial admin whose generated password is kept in the data directory, owner-only', async () => {
    const file = path.join(rampart.dataDir, 'admin-password');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const session = await signIn(rampart, 'admin', readFileSync(file, 'utf8').trim());
    const who = await request(rampart.url)
      .get('/api/v1/auth/session')
      .set('Cookie', session.cookie)
      .expect(200);
    expect(who.body).toMatchObject({ name: 'admin', role: 'admin' });
  });

  it('are created with a role of a person, a unique lower-case name and a strong password, never shown again', async () => {
    const created = await request(rampart.url)
      .post('/api/v1/users')
      .set(admin())
      .send({ username: 'Ivan', displayName: 'Ivan K.', role: 'analyst', password: PASSWORD })
      .expect(201);
    expect(created.body).toMatchObject({
      username: 'ivan',
      role: 'analyst',
      authSource: 'local',
      disabled: false,
    });
    expect(created.text).not.toMatch(/argon|password/i);

    const refusals: [Record<string, unknown>, number, string][] = [
      [{ username: 'IVAN', role: 'viewer', password: PASSWORD }, 409, 'body.username'],
      [{ username: 'siem', role: 'ingest', password: PASSWORD }, 400, 'body.role'],
      [{ username: 'judy', role: 'viewer', password: 'short' }, 400, 'body.password'],
      [{ username: 'judy', role: 'viewer' }, 400, 'body.password'],
      [{ username: 'judy', role: 'viewer', authSource: 'oidc', password: PASSWORD }, 400, 'body.password'],
      [{ username: ' bad name', role: 'viewer', password: PASSWORD }, 400, 'body.username'],
    ];
    for (const [body, status, field] of refusals) {
      const response = await request(rampart.url).post('/api/v1/users').set(admin()).send(body);
      expect([JSON.stringify(body), response.status, response.body.field]).toEqual([
        JSON.stringify(body),
        status,
        field,
      ]);
    }
    const list = await request(rampart.url).get('/api/v1/users').set(bearer(AUDITOR_KEY)).expect(200);
    expect((list.body.items as { username: string }[]).map((user) => user.username)).toEqual(
      expect.arrayContaining(['admin', 'ivan']),
    );
  });

  it('get a new role at once, sessions included', async () => {
    const { id } = await createUser(rampart, { username: 'kate', role: 'viewer', password: PASSWORD });
    const session = await signIn(rampart, 'kate', PASSWORD);
    const patchIncident = () =>
      request(rampart.url)
        .patch(`/api/v1/incidents/${NOWHERE}`)
        .set('Cookie', session.cookie)
        .set('X-CSRF-Token', session.csrfToken)
        .send({ status: 'acknowledged' });
    await patchIncident().expect(403);
    await request(rampart.url)
      .patch(`/api/v1/users/${id}`)
      .set(admin())
      .send({ role: 'analyst' })
      .expect(200);
    const allowed = await patchIncident().expect(404);
    expect(allowed.body).toMatchObject({ statusCode: 404 });
  });

  it('keep one enabled admin: the last can be neither demoted, disabled nor deleted', async () => {
    const users = await request(rampart.url).get('/api/v1/users').set(admin()).expect(200);
    const first = (users.body.items as { id: string; username: string }[]).find(
      (user) => user.username === 'admin',
    );
    for (const call of [
      request(rampart.url).patch(`/api/v1/users/${first?.id}`).set(admin()).send({ role: 'viewer' }),
      request(rampart.url).patch(`/api/v1/users/${first?.id}`).set(admin()).send({ disabled: true }),
      request(rampart.url).delete(`/api/v1/users/${first?.id}`).set(admin()),
    ]) {
      const response = await call;
      expect([response.status, response.body.code]).toEqual([409, 'last_admin']);
    }
    const second = await createUser(rampart, { username: 'leo', role: 'admin', password: PASSWORD });
    await request(rampart.url)
      .patch(`/api/v1/users/${first?.id}`)
      .set(admin())
      .send({ role: 'auditor' })
      .expect(200);
    const last = await request(rampart.url).delete(`/api/v1/users/${second.id}`).set(admin()).expect(409);
    expect(last.body).toMatchObject({ code: 'last_admin' });
  });

  it('take their sessions with them when deleted', async () => {
    const { id } = await createUser(rampart, { username: 'mallory', role: 'viewer', password: PASSWORD });
    const session = await signIn(rampart, 'mallory', PASSWORD);
    await request(rampart.url).delete(`/api/v1/users/${id}`).set(admin()).expect(204);
    const gone = await request(rampart.url)
      .get('/api/v1/auth/session')
      .set('Cookie', session.cookie)
      .expect(401);
    expect(gone.body).toMatchObject({ code: 'session_expired' });
    const missing = await request(rampart.url).get(`/api/v1/users/${id}`).set(admin()).expect(404);
    expect(missing.body).toMatchObject({ code: 'user_not_found' });
  });
});
