// Findings 4 and 5 of the hardening issue: the replay guard remembered signatures as spelled, so
// `SHA256=` or upper-case hex replayed a delivery; and a key could skip its source's signing by
// not naming the source. Signatures are now remembered in one spelling, API keys are bound to
// sources, and each alert records its source.
import { createHash } from 'node:crypto';

import request from 'supertest';

import { buildSampleAlert } from '@rampart/alerts';
import { hashApiKey } from '@rampart/auth';
import { signWebhook } from '@rampart/intake';

import { addApiKey, bearer } from '../support/connector-support';
import { startTestRampart, type TestRampart } from '../support/rampart-app';

let rampart: TestRampart;
const secret = 'bound-source-secret-0123456789';
const SIEM_KEY = 'rk_test_bound_siem_key_0123456789abcdef';
const OTHER_KEY = 'rk_test_other_ingest_key_0123456789abcd';
let n = 0;
const alert = () =>
  JSON.stringify(
    buildSampleAlert('wazuh', { id: `src-${n++}-${Date.now()}`, time: new Date(), host: 'src' }),
  );
const now = () => String(Math.floor(Date.now() / 1000));

function post(key: string, payload: string, headers: Record<string, string> = {}) {
  return request(rampart.url)
    .post('/api/v1/alerts')
    .set(bearer(key))
    .set('Content-Type', 'application/json')
    .set(headers)
    .send(payload);
}

beforeAll(async () => {
  rampart = await startTestRampart();
  await addApiKey(rampart, 'ingest', SIEM_KEY);
  await addApiKey(rampart, 'ingest', OTHER_KEY);
  const [siem] = await rampart.db.query<{ id: string }>(
    'SELECT id::text FROM api_key WHERE secret_hash = $1',
    [hashApiKey(SIEM_KEY)],
  );
  const admin = bearer(rampart.adminKey);
  const bound = await request(rampart.url)
    .put('/api/v1/intake-sources/siem-bound')
    .set(admin)
    .send({ hmacSecret: secret, apiKeyIds: [siem?.id] })
    .expect(200);
  expect(bound.body).toMatchObject({ name: 'siem-bound', signed: true, apiKeyIds: [siem?.id] });
  await request(rampart.url)
    .put('/api/v1/intake-sources/plain')
    .set(admin)
    .send({ hmacSecret: null })
    .expect(200);
});

afterAll(async () => {
  await rampart.stop();
});

describe('the replay guard and letter case (finding 4)', () => {
  it('accepts a signed delivery once, whatever the case of its scheme and hex', async () => {
    const payload = alert();
    const timestamp = now();
    const signature = signWebhook(secret, timestamp, payload);
    const hex = signature.slice('sha256='.length);
    await post(SIEM_KEY, payload, { 'X-Soar-Timestamp': timestamp, 'X-Soar-Signature': signature }).expect(
      202,
    );
    for (const form of [`SHA256=${hex}`, `sha256=${hex.toUpperCase()}`, `Sha256=${hex.toUpperCase()}`]) {
      const replay = await post(SIEM_KEY, payload, {
        'X-Soar-Timestamp': timestamp,
        'X-Soar-Signature': form,
      });
      expect(replay.status).toBe(401);
      expect(replay.body).toMatchObject({ code: 'replayed_signature' });
    }
    const guard = await rampart.db.query<{ signature_hash: string }>(
      'SELECT signature_hash FROM webhook_replay_guard WHERE source = $1',
      ['siem-bound'],
    );
    expect(guard.map((row) => row.signature_hash)).toContain(
      createHash('sha256').update(`siem-bound:${signature}`).digest('hex'),
    );
  });
});

describe('keys bound to sources (finding 5)', () => {
  it('refuses an unsigned delivery from a bound key that names no source', async () => {
    const response = await post(SIEM_KEY, alert()).expect(401);
    expect(response.body).toMatchObject({ code: 'missing_signature', field: 'X-Soar-Signature' });
  });

  it('takes a signed delivery from a bound key without X-Soar-Source, and records the source', async () => {
    const payload = alert();
    const timestamp = now();
    const response = await post(SIEM_KEY, payload, {
      'X-Soar-Timestamp': timestamp,
      'X-Soar-Signature': signWebhook(secret, timestamp, payload),
    }).expect(202);
    const [row] = await rampart.db.query<{ intake_source: string }>(
      'SELECT intake_source FROM alert WHERE id = $1',
      [response.body.items[0].alertId],
    );
    expect(row?.intake_source).toBe('siem-bound');
  });

  it('refuses a bound key naming another source, and another key naming the bound source', async () => {
    const wrongSource = await post(SIEM_KEY, alert(), { 'X-Soar-Source': 'plain' }).expect(403);
    expect(wrongSource.body).toMatchObject({ code: 'source_mismatch', field: 'X-Soar-Source' });
    const payload = alert();
    const timestamp = now();
    const otherKey = await post(OTHER_KEY, payload, {
      'X-Soar-Source': 'siem-bound',
      'X-Soar-Timestamp': timestamp,
      'X-Soar-Signature': signWebhook(secret, timestamp, payload),
    }).expect(403);
    expect(otherKey.body).toMatchObject({ code: 'source_mismatch' });
  });

  it('records a named unsigned source on its alerts, and none when the delivery names none', async () => {
    const named = await post(OTHER_KEY, alert(), { 'X-Soar-Source': 'plain' }).expect(202);
    const unnamed = await post(OTHER_KEY, alert()).expect(202);
    const rows = await rampart.db.query<{ id: string; intake_source: string | null }>(
      'SELECT id::text, intake_source FROM alert WHERE id = ANY($1::uuid[])',
      [[named.body.items[0].alertId, unnamed.body.items[0].alertId]],
    );
    expect(Object.fromEntries(rows.map((row) => [row.id, row.intake_source]))).toEqual({
      [named.body.items[0].alertId]: 'plain',
      [unnamed.body.items[0].alertId]: null,
    });
  });
});
