import request from 'supertest';

import { ActionSweeper } from '@rampart/containment';
import { Metrics } from '@rampart/metrics';
import { PanOsFake } from '@rampart/vendor-fakes';

import { addApiKey, bearer, createConnector } from '../support/connector-support';
import { startTestRampart, type TestRampart } from '../support/rampart-app';

// The containment lifecycle under abuse: reserved idempotency keys, undo records that cannot be
// poisoned, a sweeper that sets a failing action aside, leases instead of transactions held across
// vendor calls, replays that differ, and rate-limited vendor-state reads.
const responderKey = 'rk_responder_key_for_lease_tests_0000';
const panos = new PanOsFake();
let rampart: TestRampart;

const responder = () => bearer(responderKey);
const api = () => request(rampart.url);
const execute = (body: Record<string, unknown>) => api().post('/api/v1/actions').set(responder()).send(body);
const block = (target: string, extra: Record<string, unknown> = {}) =>
  execute({ connector: 'edge-fw', operation: 'block_ip', target, ...extra });

beforeAll(async () => {
  await panos.start();
  rampart = await startTestRampart();
  await addApiKey(rampart, 'responder', responderKey);
  await createConnector(rampart, {
    name: 'edge-fw',
    type: 'panos',
    baseUrl: panos.baseUrl,
    credentials: { apiKey: panos.apiKey },
  });
  await createConnector(rampart, {
    name: 'hanging-fw',
    type: 'panos',
    baseUrl: panos.baseUrl,
    credentials: { apiKey: panos.apiKey },
    options: { timeoutMs: 1_500, retries: 0 },
  });
});

afterAll(async () => {
  await rampart?.stop();
  await panos.stop();
});

afterEach(() => panos.clearFaults());

describe('reserved idempotency keys', () => {
  it('refuses undo: and run: keys from API callers, in any letter case', async () => {
    for (const key of ['undo:5f0c8e52-59f4-4a4e-9f0e-0d5b3f1c2a77:1', 'UNDO:x', 'run:r1:block', 'Run:x']) {
      const refused = await block('203.0.113.201', { idempotencyKey: key }).expect(400);
      expect(refused.body).toMatchObject({ code: 'invalid_idempotency_key', field: 'body.idempotencyKey' });
    }
    const [count] = await rampart.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM containment_action WHERE target = '203.0.113.201'`,
    );
    expect(count?.n).toBe(0);
  });

  it('records a rollback even when its first undo key was taken by an older row', async () => {
    const blocked = await block('203.0.113.202', { idempotencyKey: 'case-50:block' }).expect(201);
    // A row from before keys were reserved, holding the key the first undo would take.
    await rampart.db.query(
      `INSERT INTO containment_action (connector_name, capability, operation, target, idempotency_key, requested_by, state)
       VALUES ('edge-fw', 'firewall', 'block_ip', '198.51.100.9', $1, 'legacy', 'failed')`,
      [`undo:${blocked.body.id}:1`],
    );
    const rolledBack = await api()
      .post(`/api/v1/actions/${blocked.body.id}/rollback`)
      .set(responder())
      .expect(200);
    expect(rolledBack.body.state).toBe('rolled_back');
    const detail = await api().get(`/api/v1/actions/${blocked.body.id}`).set(responder()).expect(200);
    expect(detail.body.rollbacks).toEqual([
      expect.objectContaining({ idempotencyKey: `undo:${blocked.body.id}:2`, state: 'succeeded' }),
    ]);
    expect(panos.tagsOf('203.0.113.202')).toEqual([]);
  });
});

describe('the sweeper', () => {
  it('sets aside an action it cannot handle, says so, and lifts the others', async () => {
    const poisoned = await block('203.0.113.203', {
      expiresInSeconds: 1,
      idempotencyKey: 'case-51:a',
    }).expect(201);
    const healthy = await block('203.0.113.204', { expiresInSeconds: 1, idempotencyKey: 'case-51:b' }).expect(
      201,
    );
    // Recording the poisoned action's undo fails inside PostgreSQL, as a bug or bad data would.
    await rampart.db.query(`
      CREATE FUNCTION refuse_poisoned_undo() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'poisoned'; END $$`);
    await rampart.db.query(
      `CREATE TRIGGER refuse_poisoned_undo BEFORE INSERT ON containment_action FOR EACH ROW
         WHEN (NEW.rollback_of = '${poisoned.body.id}'::uuid) EXECUTE FUNCTION refuse_poisoned_undo()`,
    );
    try {
      await rampart.db.query(
        `UPDATE containment_action SET expires_at = now() - interval '1 second' WHERE id = ANY($1::uuid[])`,
        [[poisoned.body.id, healthy.body.id]],
      );
      const metrics = rampart.app.get(Metrics);
      const failuresBefore = (await metrics.containmentSweepFailures.get()).values[0]?.value ?? 0;
      const report = await rampart.app.get(ActionSweeper).runOnce();
      expect(report.expiry).toMatchObject({ expired: 1, isolated: 1 });

      const [lifted, setAside] = await Promise.all(
        [healthy.body.id, poisoned.body.id].map(
          async (id) => (await api().get(`/api/v1/actions/${id}`).set(responder()).expect(200)).body,
        ),
      );
      expect(lifted.state).toBe('expired');
      expect(setAside.state).toBe('succeeded');
      expect(setAside.details.lastExpiryError).toMatchObject({ error: expect.stringContaining('poisoned') });
      expect((await metrics.containmentSweepFailures.get()).values).toEqual([
        expect.objectContaining({ labels: { job: 'expiry' }, value: failuresBefore + 1 }),
      ]);
      // Set aside: the next pass does not hammer it.
      expect((await rampart.app.get(ActionSweeper).runOnce()).expiry).toMatchObject({ isolated: 0 });
    } finally {
      await rampart.db.query(`DROP TRIGGER refuse_poisoned_undo ON containment_action`);
      await rampart.db.query(`DROP FUNCTION refuse_poisoned_undo()`);
    }
  });
});

describe('no transaction is open during a vendor call', () => {
  it('keeps the pool free while more undos than connections wait on a hanging vendor', async () => {
    const targets = Array.from({ length: 12 }, (_, index) => `192.0.2.${100 + index}`);
    const actions = [];
    for (const target of targets) {
      actions.push(
        (
          await execute({
            connector: 'hanging-fw',
            operation: 'block_ip',
            target,
            idempotencyKey: `case-52:${target}`,
          }).expect(201)
        ).body as { id: string },
      );
    }
    panos.failNext(targets.length, { kind: 'hang' });
    const readsBefore = panos.count('op');
    const finished: string[] = [];
    const rollbacks = actions.map((action) =>
      api()
        .post(`/api/v1/actions/${action.id}/rollback`)
        .set(responder())
        .then((response) => {
          finished.push('rollback');
          return response;
        }),
    );
    // Wait until every rollback reached the vendor (each first reads the block), then ask the
    // database what it is doing.
    for (let waited = 0; panos.count('op') < readsBefore + targets.length && waited < 100; waited += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const open = await rampart.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'rampart' AND state LIKE 'idle in transaction%'`,
    );
    expect(open[0]?.n).toBe(0);
    // The 10-connection pool still serves others while 12 vendor calls hang.
    await api().get('/api/v1/actions?limit=1').set(responder()).expect(200);
    finished.push('read');
    const answers = await Promise.all(rollbacks);
    expect(finished[0]).toBe('read');
    expect(answers.map((answer) => answer.body.state)).toEqual(targets.map(() => 'rollback_failed'));
  });
});

describe('replays', () => {
  it('answers 409 when a key is reused with another expiry, reason or incident', async () => {
    const first = { idempotencyKey: 'case-53:block', expiresInSeconds: 600, reason: 'scanner' };
    await block('203.0.113.205', first).expect(201);
    expect((await block('203.0.113.205', first).expect(200)).body.target).toBe('203.0.113.205');
    for (const changed of [
      { expiresInSeconds: 1200 },
      { expiresInSeconds: undefined },
      { reason: 'another reason' },
      { incidentId: '00000000-0000-4000-8000-000000000001' },
    ]) {
      const conflict = await block('203.0.113.205', { ...first, ...changed }).expect(409);
      expect(conflict.body).toMatchObject({ code: 'idempotency_key_reused', field: 'body.idempotencyKey' });
    }
  });
});

describe('GET /api/v1/actions/:id/vendor-state', () => {
  it('asks the vendor at most once per interval and action, answering 429 with Retry-After between', async () => {
    const blocked = await block('203.0.113.206', { idempotencyKey: 'case-54:block' }).expect(201);
    const before = panos.count('op');
    await api().get(`/api/v1/actions/${blocked.body.id}/vendor-state`).set(responder()).expect(200);
    const again = await api()
      .get(`/api/v1/actions/${blocked.body.id}/vendor-state`)
      .set(responder())
      .expect(429);
    expect(again.body).toMatchObject({ code: 'vendor_state_rate_limited', retryAfterSeconds: 5 });
    expect(again.headers['retry-after']).toBe('5');
    expect(panos.count('op')).toBe(before + 1);
  });
});
