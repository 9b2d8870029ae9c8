import request from 'supertest';

import { buildSampleAlert } from '@rampart/alerts';
import { ActionSweeper } from '@rampart/containment';
import { CrowdStrikeFake, FortiGateFake, OktaFake, PanOsFake, WebhookFake } from '@rampart/vendor-fakes';

import { addApiKey, bearer, createConnector, eventually } from '../support/connector-support';
import { startTestRampart, type TestRampart } from '../support/rampart-app';

// Containment actions end to end: the API, PostgreSQL, the sweeper and the vendor fakes on loopback.
const DEVICE_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const responderKey = 'rk_responder_key_for_action_tests_000';
const auditorKey = 'rk_auditor_key_for_action_tests_00000';

const panos = new PanOsFake();
const fortigate = new FortiGateFake();
// Containment settles on the next read, so a rollback finds the host contained (not pending).
const crowdstrike = new CrowdStrikeFake({
  devices: [{ device_id: DEVICE_ID, hostname: 'ws-042', local_ip: '10.1.2.42' }],
  settleAfterReads: 0,
});
const okta = new OktaFake({
  users: [{ login: 'alice@example.com', id: '00u1alice', sessions: 2 }],
  groups: [{ id: '00gquarantine', name: 'Rampart Quarantine' }],
});
const webhook = new WebhookFake({ mode: 'json' });
let rampart: TestRampart;

const responder = () => bearer(responderKey);
const api = () => request(rampart.url);

interface ActionBody {
  id: string;
  state: string;
  outcome: string | null;
  errorCode: string | null;
  expiresAt: string | null;
  rolledBackAt: string | null;
  requestedBy: string;
  details: Record<string, unknown>;
  rollbacks?: Array<{ operation: string; state: string; requestedBy: string; rollbackOf: string }>;
}

const execute = (body: Record<string, unknown>) => api().post('/api/v1/actions').set(responder()).send(body);
const getAction = async (id: string) =>
  (await api().get(`/api/v1/actions/${id}`).set(responder()).expect(200)).body as ActionBody;

beforeAll(async () => {
  await Promise.all([panos.start(), fortigate.start(), crowdstrike.start(), okta.start(), webhook.start()]);
  // Vendor-state reads are rate-limited per action; these tests follow one action closely.
  rampart = await startTestRampart({ ACTION_VENDOR_STATE_INTERVAL: '0s' });
  await addApiKey(rampart, 'responder', responderKey);
  await addApiKey(rampart, 'auditor', auditorKey);
  await createConnector(rampart, {
    name: 'edge-fw',
    type: 'panos',
    baseUrl: panos.baseUrl,
    credentials: { username: panos.username, password: panos.password },
  });
  await createConnector(rampart, {
    name: 'dc-fw',
    type: 'fortigate',
    baseUrl: fortigate.baseUrl,
    credentials: { apiToken: fortigate.apiToken },
  });
  await createConnector(rampart, {
    name: 'falcon',
    type: 'crowdstrike',
    baseUrl: crowdstrike.baseUrl,
    credentials: { clientId: crowdstrike.clientId, clientSecret: crowdstrike.clientSecret },
    options: { forensicsScript: 'rampart-forensics' },
  });
  await createConnector(rampart, {
    name: 'okta',
    type: 'okta',
    baseUrl: okta.baseUrl,
    credentials: { apiToken: okta.apiToken },
    options: { quarantineGroupId: '00gquarantine' },
  });
  await createConnector(rampart, {
    name: 'soc-hook',
    type: 'webhook',
    baseUrl: webhook.endpoint,
    credentials: {},
  });
});

afterAll(async () => {
  await rampart?.stop();
  await Promise.all([panos.stop(), fortigate.stop(), crowdstrike.stop(), okta.stop(), webhook.stop()]);
});

describe('POST /api/v1/actions', () => {
  it('blocks once per idempotency key: a replay answers the stored record without a vendor call', async () => {
    const body = {
      connector: 'edge-fw',
      operation: 'block_ip',
      target: '203.0.113.7',
      expiresInSeconds: 3600,
      idempotencyKey: 'case-17:block-attacker',
      reason: 'brute force from this address',
    };
    const first = await execute(body).expect(201);
    expect(first.body).toMatchObject({
      state: 'succeeded',
      outcome: 'changed',
      operation: 'block_ip',
      target: '203.0.113.7',
      connectorName: 'edge-fw',
      capability: 'firewall',
      idempotencyKey: 'case-17:block-attacker',
      reason: 'brute force from this address',
    });
    const expiresIn = Date.parse(first.body.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(3_500_000);
    expect(expiresIn).toBeLessThanOrEqual(3_600_000);
    expect(panos.tagsOf('203.0.113.7')).toEqual(['rampart-blocked']);
    expect(panos.changes.register).toBe(1);
    const callsBefore = panos.callLog.length;

    const replay = await execute(body).expect(200);
    expect(replay.body).toEqual(first.body);
    expect(panos.changes.register).toBe(1);
    expect(panos.callLog.length).toBe(callsBefore);

    const reused = await execute({ ...body, target: '203.0.113.8' }).expect(409);
    expect(reused.body).toMatchObject({ code: 'idempotency_key_reused', field: 'body.idempotencyKey' });
    expect(panos.callLog.length).toBe(callsBefore);
  });

  it('refuses what it cannot carry out, before recording anything', async () => {
    const cases: Array<[Record<string, unknown>, number, string, string]> = [
      [
        { connector: 'nope', operation: 'block_ip', target: '192.0.2.1' },
        404,
        'connector_not_found',
        'body.connector',
      ],
      [
        { connector: 'falcon', operation: 'block_ip', target: '192.0.2.1' },
        400,
        'unsupported_operation',
        'body.operation',
      ],
      [
        { connector: 'edge-fw', operation: 'block_ip', target: 'not-an-ip' },
        400,
        'invalid_target',
        'body.target',
      ],
      [
        { connector: 'dc-fw', operation: 'block_ip', target: '0.0.0.0/0' },
        400,
        'invalid_target',
        'body.target',
      ],
      [
        { connector: 'dc-fw', operation: 'block_ip', target: '169.254.169.254' },
        400,
        'invalid_target',
        'body.target',
      ],
      [
        { connector: 'soc-hook', operation: 'notify', target: 'hello', expiresInSeconds: 60 },
        400,
        'expiry_not_supported',
        'body.expiresInSeconds',
      ],
      [
        {
          connector: 'edge-fw',
          operation: 'block_ip',
          target: '192.0.2.1',
          incidentId: '00000000-0000-4000-8000-000000000000',
        },
        404,
        'incident_not_found',
        'body.incidentId',
      ],
      [
        { connector: 'edge-fw', operation: 'launch_missiles', target: '192.0.2.1' },
        400,
        'validation_failed',
        'body.operation',
      ],
    ];
    for (const [body, status, code, field] of cases) {
      const response = await execute(body);
      expect({ status: response.status, code: response.body.code, field: response.body.field }).toEqual({
        status,
        code,
        field,
      });
    }
    const [row] = await rampart.db.query<{ count: string }>(
      `SELECT count(*)::text AS count FROM containment_action
        WHERE target IN ('192.0.2.1', 'hello', '0.0.0.0/0', '169.254.169.254')`,
    );
    expect(row?.count).toBe('0');
    const broad = await execute({ connector: 'dc-fw', operation: 'block_ip', target: '0.0.0.0/0' });
    expect(broad.body.message).toBe(
      'target must be a /8 or narrower IPv4 range (0.0.0.0/0 is too broad to block) for block_ip',
    );
    expect(fortigate.changes.addressCreated).toBe(0);
  });

  it('lets auditors read actions but not execute them', async () => {
    await api().get('/api/v1/actions').set(bearer(auditorKey)).expect(200);
    const refused = await api()
      .post('/api/v1/actions')
      .set(bearer(auditorKey))
      .send({ connector: 'edge-fw', operation: 'block_ip', target: '192.0.2.9' })
      .expect(403);
    expect(refused.body.code).toBe('forbidden');
  });

  it('records a vendor failure as a failed action with the connector error code', async () => {
    panos.failNext(10, { kind: 'status', status: 400 });
    try {
      const failed = await execute({
        connector: 'edge-fw',
        operation: 'block_ip',
        target: '192.0.2.50',
      }).expect(201);
      expect(failed.body).toMatchObject({ state: 'failed', errorCode: 'invalid_request', outcome: null });
      expect(failed.body.errorMessage).toEqual(expect.any(String));
    } finally {
      panos.clearFaults();
    }
  });

  it('leaves an action whose call timed out pending: the vendor may have acted', async () => {
    await createConnector(rampart, {
      name: 'slow-fw',
      type: 'panos',
      baseUrl: panos.baseUrl,
      credentials: { apiKey: panos.apiKey },
      options: { timeoutMs: 200, retries: 0 },
    });
    panos.failNext(1, { kind: 'hang' });
    try {
      const timedOut = await execute({
        connector: 'slow-fw',
        operation: 'block_ip',
        target: '192.0.2.60',
      }).expect(201);
      expect(timedOut.body).toMatchObject({ state: 'pending', errorCode: 'timeout', completedAt: null });
      const audited = await rampart.db.query<{ action: string; state: string; errorCode: string | null }>(
        `SELECT action, after->>'state' AS state, after->>'errorCode' AS "errorCode"
           FROM audit_entry WHERE target_id = $1 ORDER BY seq`,
        [timedOut.body.id],
      );
      expect(audited).toEqual([
        { action: 'action.requested', state: 'pending', errorCode: null },
        { action: 'action.outcome_unknown', state: 'pending', errorCode: 'timeout' },
      ]);
    } finally {
      panos.clearFaults();
    }
  });
});

describe('the action sweeper', () => {
  it('lifts an expiring block at its expiry and records it as expired', async () => {
    rampart.app.get(ActionSweeper).setIntervalMs(250);
    const block = await execute({
      connector: 'dc-fw',
      operation: 'block_ip',
      target: '198.51.100.23',
      expiresInSeconds: 2,
      idempotencyKey: 'case-18:block',
    }).expect(201);
    expect(block.body.state).toBe('succeeded');
    expect(fortigate.groupMembers('rampart-blocklist')).toEqual([expect.stringContaining('198.51.100.23')]);

    const expired = await eventually(async () => {
      const action = await getAction(block.body.id);
      return action.state === 'expired' ? action : undefined;
    });
    expect(Date.parse(expired.rolledBackAt ?? '')).toBeGreaterThanOrEqual(Date.parse(block.body.expiresAt));
    expect(fortigate.groupMembers('rampart-blocklist')).toEqual([]);
    expect(fortigate.changes.memberRemoved).toBe(1);
    expect(expired.rollbacks).toEqual([
      expect.objectContaining({
        operation: 'unblock_ip',
        state: 'succeeded',
        requestedBy: 'system:action-sweeper',
        rollbackOf: block.body.id,
      }),
    ]);
  });

  it('reconciles an action a crash left pending by asking the vendor, never by calling again', async () => {
    // The vendor already shows the block: the crash came after the call landed.
    panos.registered.set(
      '203.0.113.99',
      new Map([['rampart-blocked', { timeoutSeconds: 0, registeredAt: Date.now(), persistent: true }]]),
    );
    const [instance] = await rampart.db.query<{ id: string }>(
      `SELECT id::text FROM connector_instance WHERE name = 'edge-fw'`,
    );
    const insertPending = async (target: string, key: string) => {
      const [row] = await rampart.db.query<{ id: string }>(
        `INSERT INTO containment_action (connector_instance_id, connector_name, capability, operation, target,
            idempotency_key, requested_by, requested_at, state)
         VALUES ($1, 'edge-fw', 'firewall', 'block_ip', $2, $3, 'responder key', now() - interval '10 minutes', 'pending')
         RETURNING id::text`,
        [instance?.id, target, key],
      );
      return row?.id as string;
    };
    const landed = await insertPending('203.0.113.99', 'crash:landed');
    const lost = await insertPending('203.0.113.100', 'crash:lost');
    const changesBefore = { ...panos.changes };
    const blockCallsBefore = panos.count('user-id');

    const sweeper = rampart.app.get(ActionSweeper);
    const settled = await eventually(async () => {
      await sweeper.runOnce();
      const [a, b] = [await getAction(landed), await getAction(lost)];
      return a.state !== 'pending' && b.state !== 'pending' ? [a, b] : undefined;
    });
    expect(settled[0]).toMatchObject({
      state: 'succeeded',
      outcome: 'already_in_state',
      details: { reconciled: true },
    });
    expect(settled[1]).toMatchObject({ state: 'failed', errorCode: 'not_applied' });
    expect(panos.count('user-id')).toBe(blockCallsBefore);
    expect(panos.changes).toEqual(changesBefore);
    // Each resolution is one audit entry, by the sweeper, in the transaction that wrote it.
    const audited = await rampart.db.query<{ target: string; action: string; actor: string; state: string }>(
      `SELECT target_id AS target, action, actor_kind || ':' || actor_name AS actor, after->>'state' AS state
         FROM audit_entry WHERE target_id = ANY($1::text[]) ORDER BY seq`,
      [[landed, lost]],
    );
    expect(audited).toEqual(
      expect.arrayContaining([
        { target: landed, action: 'action.reconciled', actor: 'system:sweeper', state: 'succeeded' },
        { target: lost, action: 'action.reconciled', actor: 'system:sweeper', state: 'failed' },
      ]),
    );
    expect(audited).toHaveLength(2);

    // The replayed request answers the reconciled record, still without a vendor call.
    const replay = await execute({
      connector: 'edge-fw',
      operation: 'block_ip',
      target: '203.0.113.99',
      idempotencyKey: 'crash:landed',
    });
    expect(replay.status).toBe(200);
    expect(replay.body.id).toBe(landed);
    expect(panos.count('user-id')).toBe(blockCallsBefore);
  });
});

describe('POST /api/v1/actions/:id/rollback', () => {
  it('undoes an isolation once and records the rollback; a second rollback changes nothing', async () => {
    const isolate = await execute({
      connector: 'falcon',
      operation: 'isolate_host',
      target: 'WS-042',
      idempotencyKey: 'case-19:isolate',
    }).expect(201);
    expect(isolate.body).toMatchObject({
      state: 'succeeded',
      target: 'ws-042',
      details: { deviceId: DEVICE_ID },
    });
    expect(crowdstrike.accepted.contain).toBe(1);

    const rolledBack = await api()
      .post(`/api/v1/actions/${isolate.body.id}/rollback`)
      .set(responder())
      .send({ reason: 'false positive' })
      .expect(200);
    expect(rolledBack.body).toMatchObject({ state: 'rolled_back', rolledBackAt: expect.any(String) });
    expect(rolledBack.body.rollbacks).toEqual([
      expect.objectContaining({
        operation: 'release_host',
        state: 'succeeded',
        rollbackOf: isolate.body.id,
        reason: 'false positive',
      }),
    ]);
    expect(crowdstrike.accepted.lift_containment).toBe(1);

    const again = await api()
      .post(`/api/v1/actions/${isolate.body.id}/rollback`)
      .set(responder())
      .expect(200);
    expect(again.body).toMatchObject({ state: 'rolled_back', rolledBackAt: rolledBack.body.rolledBackAt });
    expect(again.body.rollbacks).toHaveLength(1);
    expect(crowdstrike.accepted.lift_containment).toBe(1);
  });

  it('answers 409 for actions that cannot be undone', async () => {
    const notify = await execute({
      connector: 'soc-hook',
      operation: 'notify',
      target: 'Host ws-042 isolated',
    }).expect(201);
    expect(notify.body.state).toBe('succeeded');
    expect(webhook.received).toHaveLength(1);
    const refused = await api()
      .post(`/api/v1/actions/${notify.body.id}/rollback`)
      .set(responder())
      .expect(409);
    expect(refused.body).toMatchObject({ code: 'action_not_reversible', field: 'param.id' });

    const disconnect = await execute({
      connector: 'okta',
      operation: 'disconnect_sessions',
      target: 'alice@example.com',
    }).expect(201);
    expect(disconnect.body.state).toBe('succeeded');
    expect(okta.changes.sessionsRevoked).toBe(2);
    const refusedToo = await api()
      .post(`/api/v1/actions/${disconnect.body.id}/rollback`)
      .set(responder())
      .expect(409);
    expect(refusedToo.body.code).toBe('action_not_reversible');

    const failed = await execute({
      connector: 'okta',
      operation: 'quarantine_user',
      target: 'nobody@example.com',
    }).expect(201);
    expect(failed.body).toMatchObject({ state: 'failed', errorCode: 'not_found' });
    const inactive = await api()
      .post(`/api/v1/actions/${failed.body.id}/rollback`)
      .set(responder())
      .expect(409);
    expect(inactive.body.code).toBe('action_not_active');

    await api()
      .post('/api/v1/actions/00000000-0000-4000-8000-000000000000/rollback')
      .set(responder())
      .expect(404);
  });
});

describe('collect_forensics', () => {
  it('starts one collection per idempotency key and records the vendor job; it cannot expire or be undone', async () => {
    const body = {
      connector: 'falcon',
      operation: 'collect_forensics',
      target: 'WS-042',
      idempotencyKey: 'case-31:forensics',
      reason: 'suspected credential theft',
    };
    const started = await execute(body).expect(201);
    expect(crowdstrike.rtrCommands).toHaveLength(1);
    expect(started.body).toMatchObject({
      operation: 'collect_forensics',
      capability: 'edr',
      target: 'ws-042',
      state: 'succeeded',
      outcome: 'changed',
      vendorRef: crowdstrike.rtrCommands[0]?.cloudRequestId,
      details: { deviceId: DEVICE_ID, script: 'rampart-forensics' },
    });

    const replay = await execute(body).expect(200);
    expect(replay.body.id).toBe(started.body.id);
    expect(crowdstrike.rtrCommands).toHaveLength(1);

    const expiring = await execute({ ...body, idempotencyKey: 'case-31:f2', expiresInSeconds: 60 }).expect(
      400,
    );
    expect(expiring.body).toMatchObject({ code: 'expiry_not_supported', field: 'body.expiresInSeconds' });
    const undo = await api().post(`/api/v1/actions/${started.body.id}/rollback`).set(responder()).expect(409);
    expect(undo.body.code).toBe('action_not_reversible');
  });

  it('is refused, with nothing recorded, on an EDR instance not set up for forensics', async () => {
    await createConnector(rampart, {
      name: 'falcon-bare',
      type: 'crowdstrike',
      baseUrl: crowdstrike.baseUrl,
      credentials: { clientId: crowdstrike.clientId, clientSecret: crowdstrike.clientSecret },
    });
    const refused = await execute({
      connector: 'falcon-bare',
      operation: 'collect_forensics',
      target: 'WS-042',
      idempotencyKey: 'case-32:forensics',
    }).expect(400);
    expect(refused.body).toMatchObject({ code: 'unsupported_operation', field: 'body.operation' });
    expect(refused.body.message).toContain('forensicsScript');
    const recorded = await api().get('/api/v1/actions?connector=falcon-bare').set(responder()).expect(200);
    expect(recorded.body.items).toEqual([]);
    await api().delete('/api/v1/connectors/falcon-bare').set(bearer(rampart.adminKey)).expect(204);
  });
});

describe('GET /api/v1/actions/:id/vendor-state', () => {
  const vendorState = (id: string) =>
    api().get(`/api/v1/actions/${id}/vendor-state`).set(bearer(auditorKey)).expect(200);

  it('follows a forensic collection until the vendor has the package', async () => {
    const started = await execute({
      connector: 'falcon',
      operation: 'collect_forensics',
      target: 'WS-042',
      idempotencyKey: 'case-41:forensics',
    }).expect(201);
    const running = await vendorState(started.body.id);
    expect(running.body).toMatchObject({
      actionId: started.body.id,
      connector: 'falcon',
      operation: 'collect_forensics',
      observed: 'unknown',
      vendorStatus: 'pending',
      checkedAt: expect.any(String),
    });
    expect((await vendorState(started.body.id)).body).toMatchObject({
      observed: 'applied',
      vendorStatus: 'complete',
    });
  });

  it('shows a block in force, and no longer in force once rolled back, without changing the record', async () => {
    const block = await execute({
      connector: 'dc-fw',
      operation: 'block_ip',
      target: '203.0.113.144',
      idempotencyKey: 'case-42:block',
    }).expect(201);
    expect((await vendorState(block.body.id)).body.observed).toBe('applied');
    await api().post(`/api/v1/actions/${block.body.id}/rollback`).set(responder()).expect(200);
    expect((await vendorState(block.body.id)).body.observed).toBe('not_applied');
    expect((await getAction(block.body.id)).state).toBe('rolled_back');

    const notify = await execute({ connector: 'soc-hook', operation: 'notify', target: 'fyi' }).expect(201);
    expect((await vendorState(notify.body.id)).body.observed).toBe('indeterminate');

    const missing = await api()
      .get('/api/v1/actions/00000000-0000-4000-8000-000000000000/vendor-state')
      .set(responder())
      .expect(404);
    expect(missing.body).toMatchObject({ code: 'action_not_found', field: 'param.id' });
  });
});

describe('GET /api/v1/actions', () => {
  it('filters by connector and state and pages with a cursor', async () => {
    const blocks = await api()
      .get('/api/v1/actions?connector=edge-fw&state=succeeded')
      .set(responder())
      .expect(200);
    expect(blocks.body.items.map((item: { target: string }) => item.target).sort()).toEqual([
      '203.0.113.7',
      '203.0.113.99',
    ]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string> = { limit: '2', ...(cursor ? { cursor } : {}) };
      const page = await api().get('/api/v1/actions').query(query).set(responder()).expect(200);
      seen.push(...page.body.items.map((item: { id: string }) => item.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    const [row] = await rampart.db.query<{ count: string }>(
      'SELECT count(*)::text AS count FROM containment_action',
    );
    expect(seen).toHaveLength(Number(row?.count));
    expect(new Set(seen).size).toBe(seen.length);

    const bad = await api().get('/api/v1/actions?cursor=bogus').set(responder()).expect(400);
    expect(bad.body).toMatchObject({ code: 'invalid_cursor', field: 'query.cursor' });
  });

  it('keeps a connector whose actions still need it from being deleted, unless forced for permanent ones', async () => {
    const refused = await api()
      .delete('/api/v1/connectors/edge-fw')
      .set(bearer(rampart.adminKey))
      .expect(409);
    expect(refused.body.code).toBe('connector_in_use');
    expect(refused.body.message).toMatch(/expiring/);

    // An isolation without expiry is in force: deleting falcon would leave no way to roll it back.
    await execute({
      connector: 'falcon',
      operation: 'isolate_host',
      target: 'WS-042',
      idempotencyKey: 'case-23:isolate',
    }).expect(201);
    const permanent = await api()
      .delete('/api/v1/connectors/falcon')
      .set(bearer(rampart.adminKey))
      .expect(409);
    expect(permanent.body).toMatchObject({ code: 'connector_in_use', field: 'param.name' });
    expect(permanent.body.message).toContain('1 action still in force without an expiry');
    expect(permanent.body.message).toContain('force=true');
    const badFlag = await api()
      .delete('/api/v1/connectors/falcon?force=yes')
      .set(bearer(rampart.adminKey))
      .expect(400);
    expect(badFlag.body.field).toBe('query.force');

    await api().delete('/api/v1/connectors/falcon?force=true').set(bearer(rampart.adminKey)).expect(204);
    expect(crowdstrike.accepted.lift_containment).toBe(1);
    const history = await api().get('/api/v1/actions?connector=falcon').set(responder()).expect(200);
    expect(history.body.items.length).toBeGreaterThan(0);
    expect(history.body.items[0].connectorInstanceId).toBeNull();
  });
});

describe('GET /metrics', () => {
  it('counts settled actions by operation, state and result', async () => {
    const { text } = await api().get('/metrics').set(responder()).expect(200);
    expect(text).toMatch(
      /rampart_containment_actions_total\{operation="block_ip",state="succeeded",result="changed"\} [1-9]/,
    );
    expect(text).toMatch(
      /rampart_containment_actions_total\{operation="release_host",state="succeeded",result="changed"\} [1-9]/,
    );
    expect(text).toMatch(
      /rampart_containment_actions_total\{operation="[a-z_]+",state="failed",result="[a-z_]+"\} [1-9]/,
    );
  });
});

describe('actions taken for an incident', () => {
  it('appear in the incident detail', async () => {
    const alert = buildSampleAlert('wazuh', {
      id: 'action-incident-1',
      time: new Date(),
      host: 'web-77',
      srcIp: '198.51.100.77',
    });
    await api()
      .post('/api/v1/alerts')
      .set(responder())
      .send(alert as object)
      .expect(202);
    const list = await api().get('/api/v1/incidents?entity=host:web-77').set(responder()).expect(200);
    const incidentId = list.body.items[0].id as string;

    const action = await execute({
      connector: 'edge-fw',
      operation: 'block_ip',
      target: '198.51.100.77',
      incidentId,
      idempotencyKey: `incident:${incidentId}:block`,
    }).expect(201);

    const detail = await api().get(`/api/v1/incidents/${incidentId}`).set(responder()).expect(200);
    expect(detail.body.actions).toEqual([
      expect.objectContaining({
        id: action.body.id,
        connector: 'edge-fw',
        operation: 'block_ip',
        state: 'succeeded',
      }),
    ]);
  });
});
