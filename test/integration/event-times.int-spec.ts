// Finding 14 of the hardening issue: impossible event times (CEF rt=99999999999999999999, year 5138;
// numeric junk as 1970) were stored as the alert's time. An implausible time now falls back to
// the arrival time, and the alert says so (timeFallback).
import request from 'supertest';

import { buildSampleAlert } from '@rampart/alerts';

import { startTestRampart, type TestRampart } from '../support/rampart-app';

let rampart: TestRampart;
const auth = () => ({ Authorization: `Bearer ${rampart.adminKey}` });

beforeAll(async () => {
  rampart = await startTestRampart();
});

afterAll(async () => {
  await rampart.stop();
});

describe('implausible event times', () => {
  it('dates such alerts by their arrival and says so in the answer, the row and the incident', async () => {
    const now = new Date();
    const cef = (id: string, rt: string) =>
      (buildSampleAlert('cef', { id, time: now, host: `host-${id}` }) as string).replace(
        /rt=\d+/,
        `rt=${rt}`,
      );
    const ahead = new Date(now.getTime() + 365 * 24 * 3600_000);
    const before = Date.now();
    const lines = await request(rampart.url)
      .post('/api/v1/alerts')
      .set(auth())
      .set('Content-Type', 'text/plain')
      .send([cef('y5138', '99999999999999999999'), cef('y1970', '12345')].join('\n'))
      .expect(202);
    const json = await request(rampart.url)
      .post('/api/v1/alerts')
      .set(auth())
      .send([
        buildSampleAlert('elastic', { id: 'next-year', time: ahead, host: 'host-next-year' }),
        buildSampleAlert('wazuh', { id: 'on-time', time: now, host: 'host-on-time' }),
      ])
      .expect(202);
    const items = [...lines.body.items, ...json.body.items] as { status: string; timeFallback?: string }[];
    expect(items.map((item) => [item.status, item.timeFallback ?? null])).toEqual([
      ['accepted', 'implausible'],
      ['accepted', 'implausible'],
      ['accepted', 'implausible'],
      ['accepted', null],
    ]);
    const rows = await rampart.db.query<{ host: string; event_time: Date; time_fallback: string | null }>(
      `SELECT e.value AS host, a.event_time, a.time_fallback
         FROM alert a JOIN alert_entity e ON e.alert_id = a.id AND e.type = 'host'
        ORDER BY e.value`,
    );
    for (const row of rows) {
      if (row.host === 'host-on-time') {
        expect(row).toMatchObject({ time_fallback: null, event_time: now });
      } else {
        expect(row.time_fallback).toBe('implausible');
        expect(row.event_time.getTime()).toBeGreaterThanOrEqual(before - 1000);
        expect(row.event_time.getTime()).toBeLessThanOrEqual(Date.now());
      }
    }
    expect(rows).toHaveLength(4);
    const incidents = await request(rampart.url).get('/api/v1/incidents').set(auth()).expect(200);
    const details = await Promise.all(
      (incidents.body.items as { id: string }[]).map(
        async (incident) =>
          (await request(rampart.url).get(`/api/v1/incidents/${incident.id}`).set(auth()).expect(200)).body,
      ),
    );
    const fallbacks = details.flatMap((detail) =>
      (detail.alerts as { timeFallback: string | null }[]).map((alert) => alert.timeFallback),
    );
    expect(fallbacks.sort()).toEqual(['implausible', 'implausible', 'implausible', null]);
  });
});
