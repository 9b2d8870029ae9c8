import request from 'supertest';

import { startTestRampart, type TestRampart } from '../support/rampart-app';

// What issue 10 promises an analyst, end to end through the webhook: one machine seen by three
// products meets in one incident, one user written three ways meets in one incident, two local
// accounts of the same name on two machines do not; and every stored alert answers with its own
// bytes, as an OCSF finding, and through search.
let rampart: TestRampart;
const auth = () => ({ Authorization: `Bearer ${rampart.adminKey}` });

beforeAll(async () => {
  rampart = await startTestRampart();
});

afterAll(async () => {
  await rampart.stop();
});

interface IncidentDetail {
  id: string;
  alerts: { id: string; format: string; title: string; threatName: string | null; customFields: unknown[] }[];
  entities: { key: string }[];
}

async function post(body: string, contentType = 'application/json') {
  const response = await request(rampart.url)
    .post('/api/v1/alerts')
    .set(auth())
    .set('Content-Type', contentType)
    .send(body)
    .expect(202);
  return response.body as { accepted: number; items: { status: string; alertId?: string }[] };
}

/** The incident each alert ended in. */
async function incidentsOf(alertIds: string[]): Promise<string[]> {
  const rows = await rampart.db.query<{ alertId: string; incidentId: string }>(
    `SELECT alert_id::text AS "alertId", incident_id::text AS "incidentId" FROM incident_alert WHERE alert_id = ANY($1::uuid[])`,
    [alertIds],
  );
  const byAlert = new Map(rows.map((row) => [row.alertId, row.incidentId]));
  return alertIds.map((id) => byAlert.get(id) ?? 'none');
}

const acceptedIds = (result: { items: { status: string; alertId?: string }[] }) =>
  result.items.map((item) => {
    expect(item.status).toBe('accepted');
    return item.alertId as string;
  });

describe('correlation across sources', () => {
  it('puts one machine seen by Elastic (host.ip), Suricata and CEF into one incident', async () => {
    const elastic = {
      '@timestamp': '2026-11-20T08:00:00.000Z',
      message: 'Malicious Behavior Detection Alert: Suspicious PowerShell Download',
      event: {
        kind: 'alert',
        module: 'endpoint',
        dataset: 'endpoint.alerts',
        id: 'fid-host-1',
        severity: 73,
      },
      host: { name: 'fin-ws-17', ip: ['10.44.0.17', 'fe80::1', '127.0.0.1'] },
    };
    const suricata = {
      timestamp: '2026-11-20T08:03:00.000000+0000',
      flow_id: 812345678901234,
      event_type: 'alert',
      src_ip: '10.44.0.17',
      src_port: 50123,
      dest_ip: '198.51.100.80',
      dest_port: 443,
      proto: 'TCP',
      tx_id: 0,
      alert: {
        signature_id: 2030001,
        signature: 'ET MALWARE Beacon',
        category: 'A Network Trojan was detected',
        severity: 1,
      },
    };
    const cef =
      'CEF:0|Check Point|VPN-1 & FireWall-1|Check Point|Log|https|Unknown|act=Drop cp_severity=High rt=1795161900000 src=10.44.0.17 dst=198.51.100.80 dpt=443';
    const ids = [
      ...acceptedIds(await post(JSON.stringify([elastic, suricata]))),
      ...acceptedIds(await post(cef, 'text/plain')),
    ];
    const incidents = await incidentsOf(ids);
    expect(new Set(incidents).size).toBe(1);

    const detail = (
      await request(rampart.url).get(`/api/v1/incidents/${incidents[0]}`).set(auth()).expect(200)
    ).body as IncidentDetail;
    expect(detail.alerts.map((alert) => alert.format).sort()).toEqual(['cef', 'elastic', 'suricata']);
    expect(detail.entities.map((entity) => entity.key)).toContain('ip:10.44.0.17');
    // Loopback and link-local addresses of the host never become entities.
    expect(detail.entities.map((entity) => entity.key)).not.toContain('ip:127.0.0.1');
  });

  it('puts CORP\\jdoe, jdoe@corp.example.com and jdoe (domain CORP) into one incident', async () => {
    const cef =
      'CEF:0|F-Secure|Computer Protection Premium and EDR||deepGuard.blocked|DeepGuard event|4|msg=blocked rt=1795162800000 suser=CORP\\\\jdoe shost=ws-a';
    const ocsf = {
      class_uid: 2004,
      activity_id: 1,
      category_uid: 2,
      severity_id: 3,
      time: 1795162920000,
      metadata: { version: '1.3.0', product: { name: 'Okta', vendor_name: 'Okta' } },
      finding_info: { uid: 'fid-user-2', title: 'Suspicious sign-in' },
      actor: { user: { name: 'jdoe@corp.example.com' } },
    };
    const elastic = {
      '@timestamp': '2026-11-20T08:25:00.000Z',
      message: 'Credential Access Alert',
      event: { kind: 'alert', module: 'endpoint', id: 'fid-user-3' },
      host: { name: 'ws-b' },
      user: { name: 'jdoe', domain: 'CORP' },
    };
    const ids = [
      ...acceptedIds(await post(cef, 'text/plain')),
      ...acceptedIds(await post(JSON.stringify([ocsf, elastic]))),
    ];
    const incidents = await incidentsOf(ids);
    expect(new Set(incidents).size).toBe(1);
    const detail = (
      await request(rampart.url).get(`/api/v1/incidents/${incidents[0]}`).set(auth()).expect(200)
    ).body as IncidentDetail;
    expect(detail.entities.map((entity) => entity.key)).toContain('user:corp\\jdoe');
  });

  it('keeps WS1\\admin and WS2\\admin, local accounts of two machines, in two incidents', async () => {
    const line = (machine: string, minute: number) =>
      `CEF:0|F-Secure|Computer Protection Premium and EDR||deepGuard.blocked|DeepGuard event|4|msg=blocked rt=${1795168800000 + minute * 60_000} suser=${machine}\\\\admin`;
    const ids = acceptedIds(await post(`${line('WS1', 0)}\n${line('WS2', 1)}`, 'text/plain'));
    const incidents = await incidentsOf(ids);
    expect(incidents[0]).not.toBe(incidents[1]);
  });
});

describe('GET /api/v1/alerts/:id', () => {
  it("returns the normalized alert and the alert's own bytes from a JSON array, as received", async () => {
    const first =
      '{"timestamp":"2026-11-20T09:00:00.000000+0000","flow_id":912345678901234567,"event_type":"alert","src_ip":"10.9.9.9","dest_ip":"10.9.9.10","tx_id":0,"alert":{"signature_id":1,"signature":"First", "severity":2}}';
    const second =
      '{ "event_type" : "alert", "timestamp":"2026-11-20T09:01:00.000000+0000","flow_id":2,"src_ip":"10.9.9.9","tx_id":0,"alert":{"signature_id":2,"signature":"Second"} }';
    const [firstId, secondId] = acceptedIds(await post(`[\n  ${first},\n  ${second}\n]`));
    const one = await request(rampart.url).get(`/api/v1/alerts/${firstId}`).set(auth()).expect(200);
    expect(one.body.original).toBe(first);
    expect(one.body.alert).toMatchObject({ format: 'suricata', title: 'First', severity: 'medium' });
    // The uint64 flow id stays exact in the identity as in the original bytes.
    expect(one.body.alert.externalId).toBe('912345678901234567:1:0');
    const two = await request(rampart.url).get(`/api/v1/alerts/${secondId}`).set(auth()).expect(200);
    expect(two.body.original).toBe(second);
  });

  it('keeps each CEF line of a body as its own original, and the labelled custom fields', async () => {
    const lines = [
      'CEF:0|Check Point|VPN-1 & FireWall-1|Check Point|Log|https|Unknown|act=Drop cp_severity=Very-High c6a2=fd00::555 c6a2Label=Source IPv6 Address cn2=5 cn2Label=Duration in Seconds rt=1795172400000',
      'CEF:0|F-Secure|Computer Protection Premium and EDR||manualScanning.deleted|Manual Scanning event|4|cs2=EICAR_Test_File cs2Label=Malware rt=1795172460000',
    ];
    const [checkPoint, withSecure] = acceptedIds(await post(lines.join('\r\n'), 'text/plain'));
    const cp = (await request(rampart.url).get(`/api/v1/alerts/${checkPoint}`).set(auth()).expect(200)).body;
    expect(cp.original).toBe(lines[0]);
    expect(cp.alert).toMatchObject({ severity: 'critical', vendorSeverity: 'Unknown (Very-High)' });
    expect(cp.alert.customFields).toEqual([
      { key: 'c6a2', label: 'Source IPv6 Address', value: 'fd00::555' },
      { key: 'cn2', label: 'Duration in Seconds', value: '5' },
    ]);
    expect(cp.alert.entities).toContainEqual({ type: 'ip', value: 'fd00::555', role: 'source' });
    const ws = (await request(rampart.url).get(`/api/v1/alerts/${withSecure}`).set(auth()).expect(200)).body;
    expect(ws.alert).toMatchObject({ title: 'EICAR_Test_File', threatName: 'EICAR_Test_File' });
  });

  it('answers ?as=ocsf with a Detection Finding (class 2004)', async () => {
    const [id] = acceptedIds(
      await post(
        'CEF:0|FORCEPOINT|Firewall|6.6.1|70018|Connection_Allowed|5|src=10.37.205.252 dst=10.1.1.40 rt=Jan 17 2020 08:52:09 cs1Label=RuleID cs1=2097157.1',
        'text/plain',
      ),
    );
    const finding = (await request(rampart.url).get(`/api/v1/alerts/${id}?as=ocsf`).set(auth()).expect(200))
      .body;
    expect(finding).toMatchObject({
      class_uid: 2004,
      category_uid: 2,
      activity_id: 1,
      type_uid: 200401,
      severity_id: 3,
      time: Date.parse('2020-01-17T08:52:09Z'),
      finding_info: { title: 'Connection_Allowed', analytic: { uid: '70018', name: 'Connection_Allowed' } },
      metadata: { version: expect.any(String), uid: id },
      unmapped: { custom_fields: [{ key: 'cs1', label: 'RuleID', value: '2097157.1' }] },
    });
    expect(finding.observables).toContainEqual({
      name: 'ip.source',
      type_id: 2,
      type: 'IP Address',
      value: '10.37.205.252',
    });
  });

  it('answers 404 for an alert that does not exist and 400 for an id that is not one', async () => {
    await request(rampart.url)
      .get('/api/v1/alerts/00000000-0000-4000-8000-000000000000')
      .set(auth())
      .expect(404);
    const bad = await request(rampart.url).get('/api/v1/alerts/nope').set(auth()).expect(400);
    expect(bad.body).toMatchObject({ code: 'validation_failed', field: 'param' });
  });
});

describe('GET /api/v1/alerts', () => {
  it('searches by entity, format, severity, source, text and time, newest first, a page at a time', async () => {
    const lines = [0, 1, 2].map(
      (minute) =>
        `CEF:0|FORCEPOINT|Firewall|6.6.1|72714|ECA_Metadata_login|7|src=192.0.2.${minute + 1} suser=search-user rt=${1795176000000 + minute * 60_000}`,
    );
    const ids = acceptedIds(await post(lines.join('\n'), 'text/plain'));

    const byEntity = await request(rampart.url)
      .get('/api/v1/alerts')
      .query({ entity: 'user:search-user', limit: 2 })
      .set(auth())
      .expect(200);
    expect(byEntity.body.items.map((item: { id: string }) => item.id)).toEqual([ids[2], ids[1]]);
    expect(byEntity.body.nextCursor).toEqual(expect.any(String));
    const next = await request(rampart.url)
      .get('/api/v1/alerts')
      .query({ entity: 'user:search-user', limit: 2, cursor: byEntity.body.nextCursor })
      .set(auth())
      .expect(200);
    expect(next.body).toEqual({ items: [expect.objectContaining({ id: ids[0] })], nextCursor: null });

    const filtered = await request(rampart.url)
      .get('/api/v1/alerts')
      .query({
        format: 'cef',
        severity: 'high',
        source: 'cef:forcepoint:firewall',
        q: 'eca_metadata',
        from: new Date(1795176060000).toISOString(),
        to: new Date(1795176060000).toISOString(),
      })
      .set(auth())
      .expect(200);
    expect(filtered.body.items.map((item: { id: string }) => item.id)).toEqual([ids[1]]);

    const none = await request(rampart.url)
      .get('/api/v1/alerts')
      .query({ severity: 'unknown', q: 'eca_metadata' })
      .set(auth());
    expect(none.body.items).toEqual([]);
  });

  it('refuses a cursor it did not issue and a severity that is not one, naming the field', async () => {
    const cursor = await request(rampart.url)
      .get('/api/v1/alerts')
      .query({ cursor: 'garbage' })
      .set(auth())
      .expect(400);
    expect(cursor.body).toMatchObject({ code: 'invalid_cursor', field: 'query.cursor' });
    const severity = await request(rampart.url)
      .get('/api/v1/alerts')
      .query({ severity: 'urgent' })
      .set(auth())
      .expect(400);
    expect(severity.body.field).toMatch(/^query\.severity/);
  });
});
