import request from 'supertest';

import { buildSampleAlert } from '@rampart/alerts';
import { signWebhook } from '@rampart/intake';

import { startTestRampart, type TestRampart } from '../support/rampart-app';
import { refuseAlertTitle } from '../support/refuse-title';

let rampart: TestRampart;
const auth = () => ({ Authorization: `Bearer ${rampart.adminKey}` });
const T0 = new Date('2026-11-20T10:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

async function countAlerts(): Promise<number> {
  const [row] = await rampart.db.query<{ count: string }>('SELECT count(*)::text AS count FROM alert');
  return Number(row?.count);
}

beforeAll(async () => {
  rampart = await startTestRampart();
});

afterAll(async () => {
  await rampart.stop();
});

describe('POST /api/v1/alerts', () => {
  it('turns alerts of mixed formats into correlated incidents', async () => {
    const alerts = [
      buildSampleAlert('elastic', {
        id: 'w-1',
        time: at(0),
        host: 'web-01',
        srcIp: '203.0.113.7',
        severity: 'high',
      }),
      buildSampleAlert('wazuh', {
        id: 'w-2',
        time: at(2),
        host: 'web-01',
        user: 'alice',
        severity: 'medium',
      }),
      buildSampleAlert('suricata', {
        id: 'w-3',
        time: at(3),
        srcIp: '203.0.113.7',
        dstIp: '10.1.2.3',
        severity: 'low',
      }),
      buildSampleAlert('ocsf', { id: 'w-4', time: at(1), host: 'db-09', severity: 'critical' }),
    ];
    const response = await request(rampart.url).post('/api/v1/alerts').set(auth()).send(alerts).expect(202);
    expect(response.body).toMatchObject({ accepted: 4, duplicate: 0, rejected: 0 });

    const list = await request(rampart.url).get('/api/v1/incidents').set(auth()).expect(200);
    const incidents = list.body.items as { alertCount: number; title: string; id: string }[];
    expect(incidents.map((incident) => incident.alertCount).sort()).toEqual([1, 3]);

    const web = incidents.find((incident) => incident.alertCount === 3) as { id: string };
    const detail = await request(rampart.url).get(`/api/v1/incidents/${web.id}`).set(auth()).expect(200);
    expect(detail.body.alerts).toHaveLength(3);
    expect(detail.body.entities.map((entity: { key: string }) => entity.key)).toEqual(
      expect.arrayContaining(['host:web-01', 'ip:203.0.113.7', 'user:alice']),
    );
    expect(detail.body.timeline[0]).toMatchObject({ kind: 'opened', actor: 'correlation' });
  });

  it('commits concurrent requests together, answering each after its alerts are stored', async () => {
    const alerts = Array.from({ length: 40 }, (_, index) =>
      buildSampleAlert('elastic', { id: `join-${index}`, time: at(100 + index), host: `join-${index % 4}` }),
    );
    const answers = await Promise.all(
      alerts.map((alert) =>
        request(rampart.url)
          .post('/api/v1/alerts')
          .set(auth())
          .send(alert as object),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(alerts.map(() => 202));
    const ids = answers.map((answer) => answer.body.items[0].alertId as string);
    // Each answer's alert is stored, and linked to its incident, when the answer comes.
    const stored = await rampart.db.query<{ transactions: number; linked: number }>(
      `SELECT count(DISTINCT a.xmin::text)::int AS transactions, count(ia.alert_id)::int AS linked
         FROM alert a LEFT JOIN incident_alert ia ON ia.alert_id = a.id WHERE a.id = ANY($1::uuid[])`,
      [ids],
    );
    expect(stored[0]?.linked).toBe(40);
    // Forty requests, fewer transactions: those that arrived while one ran joined the next.
    expect(stored[0]?.transactions).toBeLessThan(40);
  });

  it('counts a redelivered alert as a duplicate and opens nothing new', async () => {
    const alert = buildSampleAlert('splunk', { id: 'dup-1', time: at(5), host: 'mail-01', severity: 'low' });
    const first = await request(rampart.url)
      .post('/api/v1/alerts')
      .set(auth())
      .send(alert as object)
      .expect(202);
    expect(first.body).toMatchObject({ accepted: 1, duplicate: 0 });
    const before = await countAlerts();
    const again = await request(rampart.url)
      .post('/api/v1/alerts')
      .set(auth())
      .send([alert, alert])
      .expect(202);
    expect(again.body).toMatchObject({ accepted: 0, duplicate: 2, rejected: 0 });
    expect(await countAlerts()).toBe(before);
  });

  it('never joins alerts through the sensor that reported them', async () => {
    // Two unrelated flows seen by one IDS sensor (Suricata's `host` is the sensor's name).
    const alerts = [
      buildSampleAlert('suricata', {
        id: 'sensor-1',
        time: at(20),
        host: 'ids-dmz-01',
        srcIp: '192.0.2.10',
        dstIp: '198.51.100.20',
      }),
      buildSampleAlert('suricata', {
        id: 'sensor-2',
        time: at(21),
        host: 'ids-dmz-01',
        srcIp: '192.0.2.11',
        dstIp: '198.51.100.21',
      }),
    ];
    await request(rampart.url).post('/api/v1/alerts').set(auth()).send(alerts).expect(202);
    const first = await request(rampart.url)
      .get('/api/v1/incidents?entity=ip:192.0.2.10')
      .set(auth())
      .expect(200);
    const second = await request(rampart.url)
      .get('/api/v1/incidents?entity=ip:192.0.2.11')
      .set(auth())
      .expect(200);
    expect(first.body.items).toHaveLength(1);
    expect(second.body.items).toHaveLength(1);
    expect(first.body.items[0].id).not.toBe(second.body.items[0].id);
    const detail = await request(rampart.url)
      .get(`/api/v1/incidents/${first.body.items[0].id}`)
      .set(auth())
      .expect(200);
    expect(detail.body.alerts[0].entities).toContainEqual({
      type: 'host',
      value: 'ids-dmz-01',
      role: 'observer',
    });
  });

  it('stores an alert whose id and entity values exceed what PostgreSQL can index', async () => {
    const alert = buildSampleAlert('elastic', { id: 'x', time: at(30), host: 'long-01' }) as Record<
      string,
      unknown
    >;
    // Random text: PostgreSQL compresses long index entries, so a repeated character would fit.
    const noise = (length: number) =>
      Array.from({ length }, () => String.fromCodePoint(0x4e00 + Math.floor(Math.random() * 0x5000))).join(
        '',
      );
    alert['kibana.alert.uuid'] = `uuid-${noise(3000)}`;
    alert['url'] = { full: `https://example.test/${noise(2000)}` };
    const response = await request(rampart.url).post('/api/v1/alerts').set(auth()).send(alert).expect(202);
    expect(response.body).toMatchObject({ accepted: 1 });
    const again = await request(rampart.url).post('/api/v1/alerts').set(auth()).send(alert).expect(202);
    expect(again.body).toMatchObject({ duplicate: 1 });

    // A value past the key bound but short enough for a query string is still found by ?entity=.
    const medium = buildSampleAlert('elastic', { id: 'medium-url', time: at(31), host: 'long-02' }) as Record<
      string,
      unknown
    >;
    const url = `https://example.test/${noise(300)}`;
    medium['url'] = { full: url };
    await request(rampart.url).post('/api/v1/alerts').set(auth()).send(medium).expect(202);
    const byUrl = await request(rampart.url)
      .get('/api/v1/incidents')
      .query({ entity: `url:${url}` })
      .set(auth())
      .expect(200);
    expect(byUrl.body.items).toEqual([
      expect.objectContaining({ title: expect.stringContaining('long-02') }),
    ]);
  });

  it('refuses an alert nested deeper than any SIEM nests, and keeps the rest of its batch', async () => {
    const good = buildSampleAlert('wazuh', { id: 'beside-deep', time: at(40), host: 'deep-02' });
    const deep = buildSampleAlert('elastic', { id: 'deep', time: at(40), host: 'deep-01' });
    const depth = 20_000;
    const body = JSON.stringify([good, deep]).replace(
      /}]$/,
      `,"deep":${'['.repeat(depth)}${']'.repeat(depth)}}]`,
    );
    const response = await request(rampart.url)
      .post('/api/v1/alerts')
      .set(auth())
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(202);
    expect(response.body).toMatchObject({ accepted: 1, rejected: 1 });
    expect(response.body.items[1]).toMatchObject({ status: 'rejected', code: 'invalid_alert' });
  });

  it('stores text with unpaired UTF-16 surrogates, which PostgreSQL refuses as is', async () => {
    const alert = buildSampleAlert('elastic', { id: 'surrogate', time: at(41), host: 'utf-01' }) as Record<
      string,
      unknown
    >;
    alert['kibana.alert.reason'] = 'broken \ud800 text';
    const response = await request(rampart.url)
      .post('/api/v1/alerts')
      .set(auth())
      .set('Content-Type', 'application/json')
      // JSON.stringify writes the unpaired surrogate as the escape \ud800, as a SIEM's serializer might.
      .send(JSON.stringify(alert))
      .expect(202);
    expect(response.body).toMatchObject({ accepted: 1 });
    const [stored] = await rampart.db.query<{ reason: string }>(
      "SELECT raw->>'kibana.alert.reason' AS reason FROM alert WHERE external_id = 'surrogate'",
    );
    expect(stored?.reason).toBe('broken \ufffd text');
  });

  it('rejects only the alert PostgreSQL refuses to store and keeps the rest of its batch', async () => {
    const allowAgain = await refuseAlertTitle(rampart.db, 'poison pill');
    try {
      const alerts = [
        buildSampleAlert('wazuh', { id: 'poison-ok-1', time: at(42), host: 'poison-host' }),
        buildSampleAlert('elastic', {
          id: 'poison',
          time: at(42),
          host: 'poison-host',
          title: 'poison pill',
        }),
        buildSampleAlert('splunk', { id: 'poison-ok-2', time: at(43), host: 'poison-host' }),
      ];
      const response = await request(rampart.url).post('/api/v1/alerts').set(auth()).send(alerts).expect(202);
      expect(response.body).toMatchObject({ accepted: 2, rejected: 1 });
      expect(response.body.items[1]).toMatchObject({
        status: 'rejected',
        code: 'storage_rejected',
        reason: expect.stringContaining('title refused for this test'),
      });
      const incidents = await request(rampart.url)
        .get('/api/v1/incidents?entity=host:poison-host')
        .set(auth())
        .expect(200);
      expect(incidents.body.items).toEqual([expect.objectContaining({ alertCount: 2 })]);
    } finally {
      await allowAgain();
    }
  });

  it('accepts CEF lines as text', async () => {
    const line = buildSampleAlert('cef', {
      id: 'cef-1',
      time: at(6),
      host: 'fw-01',
      srcIp: '198.51.100.4',
      dstIp: '10.9.9.9',
    });
    const response = await request(rampart.url)
      .post('/api/v1/alerts')
      .set(auth())
      .set('Content-Type', 'text/plain')
      .send(`${String(line)}\n`)
      .expect(202);
    expect(response.body).toMatchObject({ accepted: 1 });
  });

  it('reports per-item reasons when only part of a batch is readable', async () => {
    const good = buildSampleAlert('wazuh', { id: 'mixed-1', time: at(7), host: 'app-02' });
    const response = await request(rampart.url)
      .post('/api/v1/alerts')
      .set(auth())
      .send([good, { hello: 'world' }])
      .expect(202);
    expect(response.body).toMatchObject({ accepted: 1, rejected: 1 });
    expect(response.body.items[1]).toMatchObject({ index: 1, status: 'rejected', code: 'unknown_format' });
  });

  describe('refuses bad input with a 4xx naming the problem, stores nothing and keeps serving', () => {
    let before: number;
    beforeEach(async () => {
      before = await countAlerts();
    });
    afterEach(async () => {
      expect(await countAlerts()).toBe(before);
      await request(rampart.url).get('/health/ready').expect(200);
    });

    it('malformed JSON', async () => {
      const response = await request(rampart.url)
        .post('/api/v1/alerts')
        .set(auth())
        .set('Content-Type', 'application/json')
        .send('{"kibana.alert.uuid": ')
        .expect(400);
      expect(response.body).toMatchObject({ code: 'malformed_json', field: 'body' });
    });

    it('an unknown format', async () => {
      const response = await request(rampart.url)
        .post('/api/v1/alerts')
        .set(auth())
        .send({ hello: 'world' })
        .expect(422);
      expect(response.body).toMatchObject({ code: 'unknown_format', accepted: 0, rejected: 1 });
    });

    it('a format parameter that does not exist', async () => {
      const response = await request(rampart.url)
        .post('/api/v1/alerts?format=qradar')
        .set(auth())
        .send({ a: 1 })
        .expect(400);
      expect(response.body).toMatchObject({ code: 'validation_failed', field: 'query.format' });
    });

    it('an oversize body', async () => {
      const response = await request(rampart.url)
        .post('/api/v1/alerts')
        .set(auth())
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ padding: 'x'.repeat(1024 * 1024 + 10) }))
        .expect(413);
      expect(response.body).toMatchObject({ code: 'payload_too_large' });
    });

    it('a missing API key', async () => {
      const response = await request(rampart.url).post('/api/v1/alerts').send({ a: 1 }).expect(401);
      expect(response.body).toMatchObject({ code: 'missing_api_key' });
    });

    it('a wrong API key', async () => {
      const response = await request(rampart.url)
        .post('/api/v1/alerts')
        .set('Authorization', 'Bearer rk_not_a_key')
        .send({ a: 1 })
        .expect(401);
      expect(response.body).toMatchObject({ code: 'invalid_api_key' });
    });
  });
});

describe('signed intake sources', () => {
  const secret = 'a-long-shared-hmac-secret-for-tests';
  const body = () =>
    JSON.stringify(
      buildSampleAlert('elastic', { id: `signed-${Math.random()}`, time: at(9), host: 'sig-01' }),
    );
  const post = (payload: string, headers: Record<string, string>) =>
    request(rampart.url)
      .post('/api/v1/alerts')
      .set(auth())
      .set('Content-Type', 'application/json')
      .set('X-Soar-Source', 'siem-east')
      .set(headers)
      .send(payload);

  beforeAll(async () => {
    const response = await request(rampart.url)
      .put('/api/v1/intake-sources/siem-east')
      .set(auth())
      .send({ hmacSecret: secret })
      .expect(200);
    expect(response.body).toMatchObject({ name: 'siem-east', signed: true });
    expect(JSON.stringify(response.body)).not.toContain(secret);
  });

  it('accepts a delivery signed over timestamp and body', async () => {
    const payload = body();
    const timestamp = String(Math.floor(Date.now() / 1000));
    const response = await post(payload, {
      'X-Soar-Timestamp': timestamp,
      'X-Soar-Signature': signWebhook(secret, timestamp, payload),
    }).expect(202);
    expect(response.body).toMatchObject({ accepted: 1 });
  });

  it('refuses a wrong signature', async () => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const response = await post(body(), {
      'X-Soar-Timestamp': timestamp,
      'X-Soar-Signature': signWebhook('wrong', timestamp, 'x'),
    }).expect(401);
    expect(response.body).toMatchObject({ code: 'bad_signature', field: 'X-Soar-Signature' });
  });

  it('refuses a replayed signature', async () => {
    const payload = body();
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers = {
      'X-Soar-Timestamp': timestamp,
      'X-Soar-Signature': signWebhook(secret, timestamp, payload),
    };
    await post(payload, headers).expect(202);
    const replay = await post(payload, headers).expect(401);
    expect(replay.body).toMatchObject({ code: 'replayed_signature' });
  });

  it('refuses a stale timestamp', async () => {
    const payload = body();
    const timestamp = String(Math.floor(Date.now() / 1000) - 3600);
    const response = await post(payload, {
      'X-Soar-Timestamp': timestamp,
      'X-Soar-Signature': signWebhook(secret, timestamp, payload),
    }).expect(401);
    expect(response.body).toMatchObject({ code: 'stale_timestamp', field: 'X-Soar-Timestamp' });
  });

  it('refuses an unsigned delivery from a signing source', async () => {
    const response = await post(body(), {}).expect(401);
    expect(response.body).toMatchObject({ code: 'missing_signature' });
  });

  it('never returns the secret when listing sources', async () => {
    const response = await request(rampart.url).get('/api/v1/intake-sources').set(auth()).expect(200);
    expect(JSON.stringify(response.body)).not.toContain(secret);
    expect(response.body.items).toEqual([expect.objectContaining({ name: 'siem-east', signed: true })]);
  });
});

describe('GET /metrics', () => {
  it('counts what intake received, for Prometheus', async () => {
    const response = await request(rampart.url).get('/metrics').set(auth()).expect(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.text).toMatch(
      /rampart_alerts_received_total\{intake="webhook",result="accepted"\} [1-9]/,
    );
    expect(response.text).toMatch(/rampart_incidents_total\{change="opened"\} [1-9]/);
    expect(response.text).toContain('rampart_ingest_batch_duration_seconds_bucket');
  });

  it('counts HTTP answers by route pattern, never by raw path', async () => {
    const alert = buildSampleAlert('wazuh', { id: 'metrics-1', time: at(5), host: 'metrics-host' });
    await request(rampart.url)
      .post('/api/v1/alerts')
      .set(auth())
      .send(alert as object)
      .expect(202);
    await request(rampart.url).get('/api/v1/incidents/00000000-0000-4000-8000-000000000001').set(auth());
    await request(rampart.url).get('/no/such/route/42').set(auth()).expect(404);
    const { text } = await request(rampart.url).get('/metrics').set(auth()).expect(200);
    expect(text).toMatch(
      /rampart_http_requests_total\{method="GET",route="\/api\/v1\/incidents\/:id",status="404"\} [1-9]/,
    );
    expect(text).toMatch(
      /rampart_http_requests_total\{method="POST",route="\/api\/v1\/alerts",status="202"\} [1-9]/,
    );
    expect(text).toMatch(/rampart_http_requests_total\{method="GET",route="unmatched",status="404"\} [1-9]/);
    expect(text).toContain(
      'rampart_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/api/v1/incidents/:id"}',
    );
    expect(text).not.toContain('00000000-0000-4000-8000-000000000001');
    expect(text).not.toContain('/no/such/route');
    // Refused by the body parser, before routing: still counted.
    await request(rampart.url)
      .post('/api/v1/incidents')
      .set(auth())
      .set('content-type', 'application/json')
      .send('{not json');
    const after = (await request(rampart.url).get('/metrics').set(auth())).text;
    expect(after).toMatch(
      /rampart_http_requests_total\{method="POST",route="unmatched",status="400"\} [1-9]/,
    );
  });

  it('needs a key', async () => {
    const response = await request(rampart.url).get('/metrics').expect(401);
    expect(response.body).toMatchObject({ code: 'missing_api_key' });
  });
});
