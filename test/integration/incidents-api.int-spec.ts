import request from 'supertest';

import { buildSampleAlert } from '@rampart/alerts';
import { hashApiKey } from '@rampart/auth';

import { startTestRampart, type TestRampart } from '../support/rampart-app';

let rampart: TestRampart;
const T0 = new Date('2026-11-21T08:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const admin = () => ({ Authorization: `Bearer ${rampart.adminKey}` });
const keys = {
  analyst: 'rk_analyst_key_for_incident_tests_000',
  ingest: 'rk_ingest_key_for_incident_tests_0000',
};

beforeAll(async () => {
  rampart = await startTestRampart();
  for (const [role, key] of Object.entries(keys)) {
    await rampart.db.query('INSERT INTO api_key (name, prefix, secret_hash, role) VALUES ($1, $2, $3, $4)', [
      `${role} key`,
      key.slice(0, 8),
      hashApiKey(key),
      role,
    ]);
  }
  // Five separate hosts, five incidents; host-3 is critical.
  const alerts = [0, 1, 2, 3, 4].map((index) =>
    buildSampleAlert('elastic', {
      id: `inc-${index}`,
      time: at(index * 120),
      host: `host-${index}`,
      severity: index === 3 ? 'critical' : 'low',
    }),
  );
  for (const alert of alerts) {
    await request(rampart.url)
      .post('/api/v1/alerts')
      .set(admin())
      .send(alert as object)
      .expect(202);
  }
});

afterAll(async () => {
  await rampart.stop();
});

describe('GET /api/v1/incidents', () => {
  it('pages with a cursor through every incident exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string> = { limit: '2', ...(cursor ? { cursor } : {}) };
      const page = await request(rampart.url).get('/api/v1/incidents').query(query).set(admin()).expect(200);
      seen.push(...page.body.items.map((item: { id: string }) => item.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
  });

  it('filters by severity, entity and time', async () => {
    const critical = await request(rampart.url)
      .get('/api/v1/incidents?severity=critical')
      .set(admin())
      .expect(200);
    expect(critical.body.items.map((item: { title: string }) => item.title)).toEqual([
      expect.stringContaining('host-3'),
    ]);

    const byEntity = await request(rampart.url)
      .get('/api/v1/incidents?entity=host:host-1')
      .set(admin())
      .expect(200);
    expect(byEntity.body.items).toHaveLength(1);
    const byValue = await request(rampart.url)
      .get('/api/v1/incidents?entity=HOST-2')
      .set(admin())
      .expect(200);
    expect(byValue.body.items).toHaveLength(1);

    const window = await request(rampart.url)
      .get('/api/v1/incidents')
      .query({ from: at(100).toISOString(), to: at(300).toISOString() })
      .set(admin())
      .expect(200);
    expect(window.body.items).toHaveLength(2);
  });

  it('searches titles by every word given, or finds one incident by #number; wildcards are literal', async () => {
    const search = (q: string) =>
      request(rampart.url).get('/api/v1/incidents').query({ q }).set(admin()).expect(200);
    const words = await search('HOST-3 sample');
    expect(words.body.items.map((item: { title: string }) => item.title)).toEqual([
      expect.stringContaining('host-3'),
    ]);
    const number = words.body.items[0].number as number;
    expect((await search(`#${number}`)).body.items.map((item: { number: number }) => item.number)).toEqual([
      number,
    ]);
    expect((await search('host-3 nowhere')).body.items).toEqual([]);
    // `_` and `%` would match anything as LIKE wildcards; here they are characters of the title.
    expect((await search('inc_3')).body.items).toEqual([]);
    expect((await search('%')).body.items).toEqual([]);
  });

  it('names a bad filter', async () => {
    const response = await request(rampart.url).get('/api/v1/incidents?status=open').set(admin()).expect(400);
    expect(response.body).toMatchObject({ code: 'validation_failed', field: 'query.status.0' });
    const cursor = await request(rampart.url).get('/api/v1/incidents?cursor=bogus').set(admin()).expect(400);
    expect(cursor.body).toMatchObject({ code: 'invalid_cursor' });
  });
});

describe('PATCH /api/v1/incidents/:id', () => {
  async function anIncident(): Promise<string> {
    const list = await request(rampart.url)
      .get('/api/v1/incidents?status=new&limit=1')
      .set(admin())
      .expect(200);
    return list.body.items[0].id as string;
  }

  it('moves along the lifecycle, stamps the times and writes the timeline', async () => {
    const id = await anIncident();
    const analyst = { Authorization: `Bearer ${keys.analyst}` };
    const acknowledged = await request(rampart.url)
      .patch(`/api/v1/incidents/${id}`)
      .set(analyst)
      .send({ status: 'acknowledged', assignee: 'alice' })
      .expect(200);
    expect(acknowledged.body).toMatchObject({ status: 'acknowledged', assignee: 'alice' });
    expect(acknowledged.body.acknowledgedAt).not.toBeNull();

    const contained = await request(rampart.url)
      .patch(`/api/v1/incidents/${id}`)
      .set(analyst)
      .send({ status: 'contained' })
      .expect(200);
    expect(contained.body.containedAt).not.toBeNull();
    const kinds = contained.body.timeline.map((entry: { kind: string }) => entry.kind);
    expect(kinds).toEqual(['opened', 'status_changed', 'assigned', 'status_changed']);
    expect(contained.body.timeline[1]).toMatchObject({ actor: 'analyst key' });
  });

  it('refuses a transition the lifecycle does not allow', async () => {
    const id = await anIncident();
    await request(rampart.url)
      .patch(`/api/v1/incidents/${id}`)
      .set(admin())
      .send({ status: 'contained' })
      .expect(200);
    const response = await request(rampart.url)
      .patch(`/api/v1/incidents/${id}`)
      .set(admin())
      .send({ status: 'new' })
      .expect(409);
    expect(response.body).toMatchObject({ code: 'invalid_transition', field: 'body.status' });
    expect(response.body.message).toContain('contained to new');
  });

  it('refuses unknown fields and empty changes', async () => {
    const id = await anIncident();
    const unknown = await request(rampart.url)
      .patch(`/api/v1/incidents/${id}`)
      .set(admin())
      .send({ owner: 'x' })
      .expect(400);
    expect(unknown.body).toMatchObject({ code: 'validation_failed' });
    await request(rampart.url).patch(`/api/v1/incidents/${id}`).set(admin()).send({}).expect(400);
    const notFound = await request(rampart.url)
      .patch('/api/v1/incidents/00000000-0000-4000-8000-000000000000')
      .set(admin())
      .send({ status: 'acknowledged' })
      .expect(404);
    expect(notFound.body).toMatchObject({ code: 'not_found' });
  });

  it('lets an ingest key send alerts but not read or change incidents', async () => {
    const ingest = { Authorization: `Bearer ${keys.ingest}` };
    const response = await request(rampart.url).get('/api/v1/incidents').set(ingest).expect(403);
    expect(response.body).toMatchObject({ code: 'forbidden' });
    await request(rampart.url)
      .post('/api/v1/alerts')
      .set(ingest)
      .send(buildSampleAlert('wazuh', { id: 'ingest-ok', time: at(900), host: 'edge-1' }) as object)
      .expect(202);
  });
});

describe('GET /api/v1/incidents/:id/alerts', () => {
  it('pages through every alert of a big incident, which the detail shows only the start of', async () => {
    // Two alerts per second, so the (time, id) cursor has ties to break.
    const storm = Array.from({ length: 1205 }, (_, index) =>
      buildSampleAlert('wazuh', {
        id: `storm-${index}`,
        time: new Date(T0.getTime() + 86_400_000 + Math.floor(index / 2) * 1000),
        host: 'big-host',
      }),
    );
    for (let start = 0; start < storm.length; start += 500) {
      await request(rampart.url)
        .post('/api/v1/alerts')
        .set(admin())
        .send(storm.slice(start, start + 500))
        .expect(202);
    }
    const list = await request(rampart.url)
      .get('/api/v1/incidents?entity=host:big-host')
      .set(admin())
      .expect(200);
    const id = list.body.items[0].id as string;
    expect(list.body.items[0].alertCount).toBe(1205);

    const detail = await request(rampart.url).get(`/api/v1/incidents/${id}`).set(admin()).expect(200);
    expect(detail.body.alerts).toHaveLength(1000);
    expect(detail.body.alertsNextCursor).toEqual(expect.any(String));

    const seen: { id: string; time: string }[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string> = { limit: '400', ...(cursor ? { cursor } : {}) };
      const page = await request(rampart.url)
        .get(`/api/v1/incidents/${id}/alerts`)
        .query(query)
        .set({ Authorization: `Bearer ${keys.analyst}` })
        .expect(200);
      seen.push(...(page.body.items as { id: string; time: string }[]));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(1205);
    expect(new Set(seen.map((alert) => alert.id)).size).toBe(1205);
    const order = seen.map((alert) => `${alert.time}|${alert.id}`);
    expect(order).toEqual([...order].sort());
    expect(seen.slice(0, 1000).map((alert) => alert.id)).toEqual(
      (detail.body.alerts as { id: string }[]).map((alert) => alert.id),
    );

    const rest = await request(rampart.url)
      .get(`/api/v1/incidents/${id}/alerts?cursor=${detail.body.alertsNextCursor}&limit=1000`)
      .set(admin())
      .expect(200);
    expect(rest.body.items).toHaveLength(205);

    const bad = await request(rampart.url)
      .get(`/api/v1/incidents/${id}/alerts?cursor=nope`)
      .set(admin())
      .expect(400);
    expect(bad.body).toMatchObject({ code: 'invalid_cursor', field: 'query.cursor' });
    await request(rampart.url)
      .get('/api/v1/incidents/00000000-0000-4000-8000-000000000000/alerts')
      .set(admin())
      .expect(404);
  });
});

describe('POST /api/v1/incidents/:id/comments', () => {
  it('adds a comment that the detail lists and the timeline notes, by the caller', async () => {
    const list = await request(rampart.url).get('/api/v1/incidents?limit=1').set(admin()).expect(200);
    const id = list.body.items[0].id as string;
    const analyst = { Authorization: `Bearer ${keys.analyst}` };
    const created = await request(rampart.url)
      .post(`/api/v1/incidents/${id}/comments`)
      .set(analyst)
      .send({ text: '  Checked with the host owner: not a test.  ' })
      .expect(201);
    expect(created.body).toMatchObject({
      author: 'analyst key',
      body: 'Checked with the host owner: not a test.',
    });
    const detail = await request(rampart.url).get(`/api/v1/incidents/${id}`).set(admin()).expect(200);
    expect(detail.body.comments).toEqual([created.body]);
    expect(detail.body.timeline.at(-1)).toMatchObject({ kind: 'commented', actor: 'analyst key' });
  });

  it('refuses an empty comment, an unknown incident and a viewer', async () => {
    const list = await request(rampart.url).get('/api/v1/incidents?limit=1').set(admin()).expect(200);
    const id = list.body.items[0].id as string;
    const empty = await request(rampart.url)
      .post(`/api/v1/incidents/${id}/comments`)
      .set(admin())
      .send({ text: '   ' })
      .expect(400);
    expect(empty.body).toMatchObject({ code: 'validation_failed', field: 'body.text' });
    const missing = await request(rampart.url)
      .post('/api/v1/incidents/00000000-0000-4000-8000-000000000000/comments')
      .set(admin())
      .send({ text: 'hello' })
      .expect(404);
    expect(missing.body).toMatchObject({ code: 'not_found', field: 'param.id' });
    await request(rampart.url)
      .post(`/api/v1/incidents/${id}/comments`)
      .set({ Authorization: `Bearer ${keys.ingest}` })
      .send({ text: 'hello' })
      .expect(403);
  });
});

describe('the incident_event outbox', () => {
  async function eventsOf(id: string) {
    return rampart.db.query<{ kind: string; actor: string; payload: Record<string, unknown> }>(
      'SELECT kind, actor, payload FROM incident_event WHERE incident_id = $1 ORDER BY seq',
      [id],
    );
  }

  it('records every change by correlation and by analysts, with actor and what changed', async () => {
    const host = 'outbox-host';
    const first = buildSampleAlert('elastic', { id: 'outbox-0', time: at(2000), host, severity: 'low' });
    await request(rampart.url)
      .post('/api/v1/alerts')
      .set(admin())
      .send(first as object)
      .expect(202);
    const list = await request(rampart.url)
      .get(`/api/v1/incidents?entity=host:${host}`)
      .set(admin())
      .expect(200);
    const id = list.body.items[0].id as string;
    // Five more medium alerts on the host: alerts added, then the burst rule matches and escalates.
    const burst = [1, 2, 3, 4, 5].map((index) =>
      buildSampleAlert('wazuh', { id: `outbox-${index}`, time: at(2000 + index), host, severity: 'medium' }),
    );
    await request(rampart.url).post('/api/v1/alerts').set(admin()).send(burst).expect(202);
    await request(rampart.url)
      .patch(`/api/v1/incidents/${id}`)
      .set(admin())
      .send({ status: 'acknowledged', assignee: 'bob', severity: 'critical' })
      .expect(200);
    await request(rampart.url)
      .post(`/api/v1/incidents/${id}/comments`)
      .set(admin())
      .send({ text: 'on it' })
      .expect(201);

    const events = await eventsOf(id);
    expect(events.map((event) => event.kind)).toEqual([
      'created',
      'updated',
      'rule_matched',
      'severity_changed',
      'status_changed',
      'assignee_changed',
      'severity_changed',
      'commented',
    ]);
    expect(events[0]).toMatchObject({ actor: 'correlation', payload: { alertCount: 1, severityId: 2 } });
    expect(events[1]).toMatchObject({ payload: { alertsAdded: 5 } });
    expect(events[2]).toMatchObject({
      payload: { ruleId: 'repeated-alerts-on-host', groupKey: `host:${host}` },
    });
    expect(events[4]).toMatchObject({
      actor: 'SOAR_ADMIN_API_KEY',
      payload: { from: 'new', to: 'acknowledged' },
    });
    expect(events[5]).toMatchObject({ payload: { from: null, to: 'bob' } });
    expect(events[6]).toMatchObject({ payload: { to: 5 } });
  });

  it('records a merge on both incidents', async () => {
    const a = buildSampleAlert('elastic', {
      id: 'merge-a',
      time: at(3000),
      host: 'merge-a',
      srcIp: '192.0.2.71',
    });
    const b = buildSampleAlert('elastic', {
      id: 'merge-b',
      time: at(3001),
      host: 'merge-b',
      srcIp: '192.0.2.72',
    });
    await request(rampart.url).post('/api/v1/alerts').set(admin()).send([a, b]).expect(202);
    // One alert on host merge-b from merge-a's address bridges the two incidents.
    const both = buildSampleAlert('elastic', {
      id: 'merge-both',
      time: at(3002),
      host: 'merge-b',
      srcIp: '192.0.2.71',
    });
    await request(rampart.url)
      .post('/api/v1/alerts')
      .set(admin())
      .send(both as object)
      .expect(202);
    const merged = await rampart.db.query<{ id: string; merged_into_id: string }>(
      "SELECT id::text, merged_into_id::text FROM incident WHERE status = 'merged' AND title LIKE '%merge-%'",
    );
    expect(merged).toHaveLength(1);
    const [row] = merged as { id: string; merged_into_id: string }[];
    expect((await eventsOf(row!.id)).at(-1)).toMatchObject({
      kind: 'merged',
      payload: { mergedIntoId: row!.merged_into_id },
    });
    expect((await eventsOf(row!.merged_into_id)).map((event) => event.kind)).toContain('merged');
  });
});

describe('correlation rules and incidents that leave the open statuses', () => {
  it('no longer counts the alerts of a resolved incident, though it has seen them', async () => {
    const host = 'resolved-host';
    // The fifth alert lies amid the first four: what this process read for them covers it.
    const alert = (index: number) =>
      buildSampleAlert('elastic', {
        id: `resolved-${index}`,
        time: at(index === 4 ? 4001.5 : 4000 + index),
        host,
        severity: 'medium',
      });
    // Four alerts: one short of the burst rule (5 within 10 minutes), which this process has read.
    await request(rampart.url).post('/api/v1/alerts').set(admin()).send([0, 1, 2, 3].map(alert)).expect(202);
    const first = await request(rampart.url)
      .get(`/api/v1/incidents?entity=host:${host}`)
      .set(admin())
      .expect(200);
    const resolvedId = first.body.items[0].id as string;
    await request(rampart.url)
      .patch(`/api/v1/incidents/${resolvedId}`)
      .set(admin())
      .send({ status: 'resolved' })
      .expect(200);

    await request(rampart.url)
      .post('/api/v1/alerts')
      .set(admin())
      .send(alert(4) as object)
      .expect(202);
    const open = await request(rampart.url)
      .get(`/api/v1/incidents?entity=host:${host}&status=new`)
      .set(admin())
      .expect(200);
    expect(open.body.items).toHaveLength(1);
    const detail = await request(rampart.url)
      .get(`/api/v1/incidents/${open.body.items[0].id}`)
      .set(admin())
      .expect(200);
    expect(detail.body.ruleMatches).toEqual([]);
    expect(detail.body.alertCount).toBe(1);
    const resolved = await request(rampart.url)
      .get(`/api/v1/incidents/${resolvedId}`)
      .set(admin())
      .expect(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', alertCount: 4 });
  });
});
