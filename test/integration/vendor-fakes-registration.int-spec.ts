import request from 'supertest';

import { registerFakeConnectors, type RunningFake, startAllFakes } from '@rampart/vendor-fakes';

import { bearer } from '../support/connector-support';
import { startTestRampart, type TestRampart } from '../support/rampart-app';

// `npm run fakes -- --register`: the newcomer's path to containment end to end.
let rampart: TestRampart;
let fakes: RunningFake[];
let stopFakes: () => Promise<void>;

beforeAll(async () => {
  ({ fakes, stop: stopFakes } = await startAllFakes({ basePort: 0 }));
  rampart = await startTestRampart();
});

afterAll(async () => {
  await rampart?.stop();
  await stopFakes?.();
});

const admin = () => bearer(rampart.adminKey);

describe('registering the vendor fakes with a running Rampart', () => {
  it('creates one instance per connector type, every one passing its connection check', async () => {
    const registered = await registerFakeConnectors(fakes, { url: rampart.url, adminKey: rampart.adminKey });
    expect(registered.map(({ name }) => name).sort()).toEqual([
      'fake-falcon',
      'fake-fortigate',
      'fake-fortigate-vpn',
      'fake-mde',
      'fake-okta',
      'fake-panos',
      'fake-slack',
      'fake-webhook',
    ]);
    expect(new Set(registered.map(({ result }) => result))).toEqual(new Set(['created']));

    for (const { name } of registered) {
      const check = await request(rampart.url)
        .post(`/api/v1/connectors/${name}/check`)
        .set(admin())
        .expect(200);
      const expected = name === 'fake-slack' || name === 'fake-webhook' ? 'not_checkable' : 'ok';
      expect({ name, status: check.body.status }).toEqual({ name, status: expected });
    }
  });

  it('contains through every capability with the seeded devices and users', async () => {
    const act = (body: Record<string, unknown>) =>
      request(rampart.url).post('/api/v1/actions').set(admin()).send(body).expect(201);
    const results = await Promise.all([
      act({ connector: 'fake-panos', operation: 'block_ip', target: '203.0.113.9', expiresInSeconds: 300 }),
      act({ connector: 'fake-fortigate', operation: 'block_ip', target: '203.0.113.0/24' }),
      act({ connector: 'fake-mde', operation: 'isolate_host', target: 'desktop-test' }),
      act({ connector: 'fake-falcon', operation: 'collect_forensics', target: 'db-01' }),
      act({ connector: 'fake-fortigate-vpn', operation: 'disconnect_sessions', target: 'alice' }),
      act({ connector: 'fake-okta', operation: 'quarantine_user', target: 'bob@example.com' }),
      act({ connector: 'fake-slack', operation: 'notify', target: 'Rampart demo' }),
    ]);
    expect(
      results.map((result) => [result.body.connectorName, result.body.state, result.body.outcome]),
    ).toEqual([
      ['fake-panos', 'succeeded', 'changed'],
      ['fake-fortigate', 'succeeded', 'changed'],
      ['fake-mde', 'succeeded', 'changed'],
      ['fake-falcon', 'succeeded', 'changed'],
      ['fake-fortigate-vpn', 'succeeded', 'changed'],
      ['fake-okta', 'succeeded', 'changed'],
      ['fake-slack', 'succeeded', 'changed'],
    ]);
  });

  it('updates the instances when registered again (new ports after a restart of the fakes)', async () => {
    const again = await registerFakeConnectors(fakes, { url: rampart.url, adminKey: rampart.adminKey });
    expect(new Set(again.map(({ result }) => result))).toEqual(new Set(['updated']));
  });
});
