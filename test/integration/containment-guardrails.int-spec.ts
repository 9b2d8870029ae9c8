import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import request from 'supertest';

import { PanOsFake } from '@rampart/vendor-fakes';

import { addApiKey, bearer, createConnector } from '../support/connector-support';
import { startTestRampart, type TestRampart } from '../support/rampart-app';

// Guardrails on every containment action: protected assets (API and file) are refused and recorded
// as refused without a vendor call; a blast-radius limit asks for an approval; two requests for the
// same change end in one effective action.
const responderKey = 'rk_responder_key_for_guardrail_tests0';
const panos = new PanOsFake();
const dir = mkdtempSync(path.join(os.tmpdir(), 'rampart-guardrails-'));
const assetsFile = path.join(dir, 'protected.yaml');
let rampart: TestRampart;

const api = () => request(rampart.url);
const execute = (body: Record<string, unknown>) =>
  api()
    .post('/api/v1/actions')
    .set(bearer(responderKey))
    .send({ connector: 'edge-fw', operation: 'block_ip', ...body });

beforeAll(async () => {
  writeFileSync(assetsFile, 'protected:\n  - { kind: cidr, value: 10.0.0.53, reason: internal resolver }\n');
  await panos.start();
  rampart = await startTestRampart({ PROTECTED_ASSETS_FILE: assetsFile, GUARDRAIL_LIMITS: 'block_ip=3/1h' });
  await addApiKey(rampart, 'responder', responderKey);
  await createConnector(rampart, {
    name: 'edge-fw',
    type: 'panos',
    baseUrl: panos.baseUrl,
    credentials: { apiKey: panos.apiKey },
  });
});

afterAll(async () => {
  await rampart?.stop();
  await panos.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('protected assets', () => {
  it('refuses an action on a protected asset, records it as refused, and calls no vendor', async () => {
    const admin = bearer(rampart.adminKey);
    const added = await api()
      .post('/api/v1/protected-assets')
      .set(admin)
      .send({ kind: 'cidr', value: '198.51.100.0/28', reason: 'partner VPN' })
      .expect(201);
    expect(added.body).toMatchObject({ kind: 'cidr', value: '198.51.100.0/28', source: 'api' });
    await api()
      .post('/api/v1/protected-assets')
      .set(admin)
      .send({ kind: 'cidr', value: '198.51.100.0/28' })
      .expect(409);

    const callsBefore = panos.count('user-id') + panos.count('op');
    for (const [target, rule] of [
      ['198.51.100.7', '198.51.100.0/28'],
      ['10.0.0.53', '10.0.0.53/32'],
    ] as const) {
      const refused = await execute({ target, idempotencyKey: `guard:${target}` }).expect(409);
      expect(refused.body).toMatchObject({
        code: 'protected_asset',
        field: 'body.target',
        details: {
          rule: { kind: 'cidr', value: rule },
          action: { state: 'refused', errorCode: 'protected_asset' },
        },
      });
    }
    expect(panos.count('user-id') + panos.count('op')).toBe(callsBefore);
    const refusedRows = await rampart.db.query<{ target: string }>(
      `SELECT target FROM containment_action WHERE state = 'refused' ORDER BY target`,
    );
    expect(refusedRows.map((row) => row.target)).toEqual(['10.0.0.53', '198.51.100.7']);

    await api().get('/api/v1/protected-assets').set(bearer(responderKey)).expect(200);
    await api()
      .post('/api/v1/protected-assets')
      .set(bearer(responderKey))
      .send({ kind: 'host', value: 'mine' })
      .expect(403);
    const all = await api().get('/api/v1/protected-assets').set(admin).expect(200);
    const fromFile = all.body.items.find((item: { source: string }) => item.source === 'file');
    expect(fromFile).toMatchObject({ kind: 'cidr', value: '10.0.0.53/32', reason: 'internal resolver' });
    await api().delete(`/api/v1/protected-assets/${fromFile.id}`).set(admin).expect(409);
    await api().delete(`/api/v1/protected-assets/${added.body.id}`).set(admin).expect(204);
    await execute({ target: '198.51.100.7', idempotencyKey: 'guard:after-unprotect' }).expect(201);
  });
});

describe('the protected assets file', () => {
  it('is audited when applying it changed what is protected, by the configuration', async () => {
    const entries = await rampart.db.query<{ actor: string; after: { assets: { value: string }[] } }>(
      `SELECT actor_kind || ':' || actor_name AS actor, after FROM audit_entry
        WHERE action = 'protected_asset.file_applied'`,
    );
    expect(entries).toEqual([
      {
        actor: 'system:config',
        after: {
          assets: [{ kind: 'cidr', value: '10.0.0.53/32', operations: null, reason: 'internal resolver' }],
        },
      },
    ]);
  });
});

describe('one effective action per change', () => {
  it('joins concurrent requests for the same block into one vendor change, lasting as long as the longest', async () => {
    const changesBefore = panos.changes.register;
    const answers = await Promise.all(
      [60, 3600, 600].map((seconds, index) =>
        execute({ target: '203.0.113.80', expiresInSeconds: seconds, idempotencyKey: `join:${index}` }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201]);
    const states = answers.map((answer) => answer.body.state).sort();
    expect(states).toEqual(['joined', 'joined', 'succeeded']);
    expect(panos.changes.register - changesBefore).toBe(1);
    const active = answers.find((answer) => answer.body.state === 'succeeded')?.body;
    for (const joined of answers.filter((answer) => answer.body.state === 'joined')) {
      expect(joined.body.joinedActionId).toBe(active.id);
    }
    const [row] = await rampart.db.query<{ seconds: number }>(
      `SELECT round(extract(epoch FROM expires_at - requested_at))::int AS seconds FROM containment_action WHERE id = $1`,
      [active.id],
    );
    expect(row?.seconds).toBeGreaterThanOrEqual(3599);
  });
});

describe('blast radius', () => {
  it('asks for an approval beyond the limit and records nothing', async () => {
    const [before] = await rampart.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM containment_action
        WHERE operation = 'block_ip' AND rollback_of IS NULL AND state IN ('pending', 'succeeded')`,
    );
    const room = 3 - (before?.n ?? 0);
    for (let index = 0; index < room; index += 1) {
      await execute({ target: `192.0.2.${10 + index}`, idempotencyKey: `radius:${index}` }).expect(201);
    }
    const over = await execute({ target: '192.0.2.99', idempotencyKey: 'radius:over' }).expect(409);
    expect(over.body).toMatchObject({
      code: 'blast_radius_exceeded',
      details: { limit: { operation: 'block_ip', max: 3, scope: 'global' }, count: 3 },
    });
    const [recorded] = await rampart.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM containment_action WHERE idempotency_key = 'radius:over'`,
    );
    expect(recorded?.n).toBe(0);
  });
});
