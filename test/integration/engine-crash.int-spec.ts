import request from 'supertest';

import { buildSampleAlert } from '@rampart/alerts';
import { PanOsFake } from '@rampart/vendor-fakes';

import { bearer, eventually } from '../support/connector-support';
import { type RampartProcess, startRampartProcess } from '../support/rampart-process';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

// Durable runs against real process deaths: 200 incidents trigger the shipped
// block-malicious-source-ip playbook; both engine processes are SIGKILLed while runs are in flight
// (the firewall fake answers slowly, so calls are cut mid-way), two fresh engines take over, and
// in the end every run has succeeded and the firewall received each block exactly once (counted
// from the fake's own record of registrations).
const RUNS = 200;
const ADMIN_KEY = 'rk_test_process_admin_key_0123456789';
const panos = new PanOsFake();
let db: TestDatabase;
const processes: RampartProcess[] = [];

const sources = Array.from({ length: RUNS }, (_, index) =>
  index < 200 ? `198.51.100.${index + 1}` : `203.0.113.${index - 199}`,
);

function env(roles: string): Record<string, string> {
  return {
    DATABASE_URL: db.url,
    SOAR_ROLES: roles,
    SOAR_EGRESS_ALLOW: '127.0.0.0/8',
    ACTION_CALL_LEASE: '8s',
    ACTION_SWEEP_INTERVAL: '1s',
    ENGINE_CONCURRENCY: '8',
  };
}

async function start(roles: string): Promise<RampartProcess> {
  const started = await startRampartProcess(env(roles));
  processes.push(started);
  return started;
}

beforeAll(async () => {
  // Slow enough that a kill finds calls in flight.
  panos.latencyMs = 250;
  await panos.start();
  db = await createTestDatabase('engine_crash');
});

afterAll(async () => {
  for (const process of processes) await process.kill().catch(() => undefined);
  await panos.stop();
  await db?.drop();
});

describe('engine workers killed with SIGKILL while 200 runs are in flight', () => {
  it('resume every run to completion, and each block reaches the firewall exactly once', async () => {
    const api = await start('api');
    const firstEngines = [await start('engine'), await start('engine')];
    const admin = () => request(api.url);
    await admin()
      .post('/api/v1/connectors')
      .set(bearer(ADMIN_KEY))
      .send({ name: 'edge-fw', type: 'panos', baseUrl: panos.baseUrl, credentials: { apiKey: panos.apiKey } })
      .expect(201);

    // 200 unrelated incidents: a distinct external source and internal destination each.
    const now = Date.now();
    const alerts = sources.map((srcIp, index) =>
      buildSampleAlert('suricata', {
        id: `crash-${index}`,
        time: new Date(now - 1000 + index),
        srcIp,
        dstIp: `10.77.${Math.floor(index / 250)}.${(index % 250) + 1}`,
        severity: 'high',
        tacticId: 'TA0001',
      }),
    );
    for (let start = 0; start < alerts.length; start += 25) {
      await admin()
        .post('/api/v1/alerts')
        .set(bearer(ADMIN_KEY))
        .send(alerts.slice(start, start + 25))
        .expect(202);
    }

    // Kill both engines once some blocks went out and calls are in flight (their actions pending).
    await eventually(
      async () => {
        if (panos.registrations.length < 40) return undefined;
        const [inFlight] = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM containment_action WHERE state = 'pending'`,
        );
        return (inFlight?.n ?? 0) >= 4 ? true : undefined;
      },
      60_000,
      10,
    );
    await Promise.all(firstEngines.map((engine) => engine.kill()));
    const atKill = panos.registrations.length;
    expect(atKill).toBeLessThan(RUNS);
    // Calls were cut mid-way: their actions are pending, to be reconciled by asking the vendor.
    const [cut] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM containment_action WHERE state = 'pending'`,
    );
    expect(cut?.n).toBeGreaterThan(0);

    await start('engine');
    await start('engine');
    const runs = await eventually(async () => {
      const rows = await db.query<{ status: string; n: number }>(
        `SELECT status, count(*)::int AS n FROM playbook_run
            WHERE playbook_id = 'block-malicious-source-ip' GROUP BY status`,
      );
      const byStatus = Object.fromEntries(rows.map((row) => [row.status, row.n]));
      return byStatus.succeeded === RUNS ? byStatus : undefined;
    }, 180_000);
    expect(runs).toEqual({ succeeded: RUNS });

    const perSource = new Map<string, number>();
    for (const registration of panos.registrations) {
      perSource.set(registration.ip, (perSource.get(registration.ip) ?? 0) + 1);
    }
    expect([...perSource.keys()].sort()).toEqual([...sources].sort());
    expect([...perSource.entries()].filter(([, count]) => count !== 1)).toEqual([]);
    const actions = await db.query<{ state: string; n: number }>(
      `SELECT state, count(*)::int AS n FROM containment_action
        WHERE operation = 'block_ip' AND rollback_of IS NULL GROUP BY state ORDER BY state`,
    );
    expect(actions.filter((row) => row.state === 'succeeded').reduce((sum, row) => sum + row.n, 0)).toBe(
      RUNS,
    );
  });
});
