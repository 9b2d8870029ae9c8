// Findings 11, 12 and 13 of the hardening issue: request fields with NUL or lone surrogates, forged
// cursors naming impossible dates, and intake paths spelled differently each answered a 500 or a
// misleading reason. Each now has a 4xx that names the field.
import request from 'supertest';

import { buildSampleAlert } from '@rampart/alerts';

import { startTestRampart, type TestRampart } from '../support/rampart-app';

let rampart: TestRampart;
const auth = () => ({ Authorization: `Bearer ${rampart.adminKey}` });
let incidentId: string;

beforeAll(async () => {
  rampart = await startTestRampart();
  await request(rampart.url)
    .post('/api/v1/alerts')
    .set(auth())
    .send(buildSampleAlert('wazuh', { id: 'hostile-requests-1', time: new Date(), host: 'h1' }) as object)
    .expect(202);
  const list = await request(rampart.url).get('/api/v1/incidents').set(auth()).expect(200);
  incidentId = list.body.items[0].id as string;
});

afterAll(async () => {
  await rampart.stop();
});

describe('text fields with NUL or unpaired surrogates (finding 11)', () => {
  it.each([
    ['/api/v1/incidents?entity=host%3Aa%00b', 'query.entity'],
    ['/api/v1/incidents?assignee=al%00ice', 'query.assignee'],
    ['/api/v1/actions?connector=fw%00', 'query.connector'],
  ])('GET %s answers 400 naming %s', async (path, field) => {
    const response = await request(rampart.url).get(path).set(auth()).expect(400);
    expect(response.body).toMatchObject({ code: 'invalid_text', field });
  });

  it.each([
    ['\u0000', 'NUL'],
    ['\ud800', 'a lone high surrogate'],
    ['\udc00', 'a lone low surrogate'],
  ])('answers 400 for %j (%s) in a body field, naming the field', async (character) => {
    const patch = await request(rampart.url)
      .patch(`/api/v1/incidents/${incidentId}`)
      .set(auth())
      .set('Content-Type', 'application/json')
      .send(`{"assignee":${JSON.stringify(`bob${character}`)}}`)
      .expect(400);
    expect(patch.body).toMatchObject({ code: 'invalid_text', field: 'body.assignee' });
    for (const [field, body] of [
      [
        'body.reason',
        { connector: 'fw', operation: 'block_ip', target: '203.0.113.9', reason: `r${character}` },
      ],
      ['body.target', { connector: 'slack', operation: 'notify', target: `#soc${character}` }],
    ] as const) {
      const response = await request(rampart.url)
        .post('/api/v1/actions')
        .set(auth())
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(body))
        .expect(400);
      expect(response.body).toMatchObject({ code: 'invalid_text', field });
    }
  });
});

describe('forged cursors (finding 12)', () => {
  const forged = (t: string) =>
    Buffer.from(JSON.stringify({ t, id: '0b0e6f5c-8d7a-4c3b-9a1e-2f4d6b8c0a1e' })).toString('base64url');

  it.each(['2024-02-30T00:00:00.000000Z', '9999-99-99T00:00:00.000000Z'])(
    'answers 400 invalid_cursor for a cursor naming %s',
    async (time) => {
      const alerts = await request(rampart.url)
        .get(`/api/v1/incidents/${incidentId}/alerts`)
        .query({ cursor: forged(time) })
        .set(auth())
        .expect(400);
      expect(alerts.body).toMatchObject({ code: 'invalid_cursor', field: 'query.cursor' });
      const actions = await request(rampart.url)
        .get('/api/v1/actions')
        .query({ cursor: forged(time) })
        .set(auth())
        .expect(400);
      expect(actions.body).toMatchObject({ code: 'invalid_cursor' });
    },
  );
});

describe('the intake path spelled otherwise (finding 13)', () => {
  it.each(['/api/v1/alerts/', '/API/v1/alerts', '/api/V1/Alerts/'])(
    'POST %s answers 404 naming the intake path, not empty_payload',
    async (path) => {
      const response = await request(rampart.url)
        .post(path)
        .set(auth())
        .send(buildSampleAlert('wazuh', { id: 'slash', time: new Date(), host: 'h' }) as object)
        .expect(404);
      expect(response.body).toMatchObject({ code: 'not_found' });
      expect(response.body.message).toContain('POST /api/v1/alerts');
    },
  );
});

describe('one unreadable line among NDJSON and CEF lines', () => {
  it('rejects that line alone and stores the alerts on the other lines', async () => {
    const line = (id: string) =>
      JSON.stringify(buildSampleAlert('suricata', { id, time: new Date(), host: id }));
    const cef = buildSampleAlert('cef', { id: 'ndjson-cef', time: new Date(), host: 'ndjson-cef' }) as string;
    const response = await request(rampart.url)
      .post('/api/v1/alerts')
      .set(auth())
      .set('Content-Type', 'application/x-ndjson')
      .send([line('ndjson-1'), '{"truncated": ', cef, line('ndjson-2')].join('\n'))
      .expect(202);
    expect(response.body).toMatchObject({ accepted: 3, rejected: 1 });
    expect(response.body.items[1]).toMatchObject({
      status: 'rejected',
      code: 'malformed_json',
      reason: expect.stringContaining('line 2'),
    });
  });
});
