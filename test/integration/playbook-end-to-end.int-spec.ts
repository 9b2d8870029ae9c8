import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import request from 'supertest';

import { buildSampleAlert } from '@rampart/alerts';

import { bearer, eventually } from '../support/connector-support';
import { REPO_ROOT } from '../support/rampart-app';
import { type RampartProcess, startRampartProcess } from '../support/rampart-process';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

// Issue 6's end-to-end acceptance, the way a newcomer runs it: Rampart's own entry point, the
// vendor fakes registered by `scripts/fakes.js --register`, the shipped playbooks (the block kept 4 s
// instead of 24 h, so the test can see it lifted), an alert in by webhook.
const ADMIN_KEY = 'rk_test_process_admin_key_0123456789';
const dir = mkdtempSync(path.join(os.tmpdir(), 'rampart-e2e-playbooks-'));
let rampart: RampartProcess;
let db: TestDatabase;
let fakes: ChildProcess | undefined;

beforeAll(async () => {
  cpSync(path.join(REPO_ROOT, 'playbooks'), dir, { recursive: true });
  const file = path.join(dir, 'block-malicious-source-ip.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('default: 24h', 'default: 4s'));
  db = await createTestDatabase('playbook_e2e');
  rampart = await startRampartProcess({
    DATABASE_URL: db.url,
    PLAYBOOKS_DIR: dir,
    SOAR_EGRESS_ALLOW: '127.0.0.0/8,::1/128',
    ACTION_SWEEP_INTERVAL: '1s',
    ACTION_VENDOR_STATE_INTERVAL: '0s',
  });
  fakes = spawn(
    process.execPath,
    [path.join(REPO_ROOT, 'scripts', 'fakes.js'), `--register=${rampart.url}`, '--base-port=0'],
    { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', SOAR_ADMIN_API_KEY: ADMIN_KEY }, stdio: 'pipe' },
  );
  let output = '';
  fakes.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  fakes.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await eventually(
    async () => (output.includes('Connector instances in Rampart') ? true : undefined),
    60_000,
  );
}, 120_000);

afterAll(async () => {
  if (fakes && fakes.exitCode === null) {
    const exited = new Promise((resolve) => fakes?.once('exit', resolve));
    fakes.kill('SIGTERM');
    await exited;
  }
  await rampart?.stop();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const api = () => request(rampart.url);
const admin = bearer(ADMIN_KEY);

describe('a shipped playbook end to end, with the vendor fakes registered', () => {
  it('blocks the attacker at every firewall fake when the alert arrives, and lifts the blocks at expiry', async () => {
    await api()
      .post('/api/v1/alerts')
      .set(admin)
      .send(
        buildSampleAlert('suricata', {
          id: 'e2e-scanner',
          time: new Date(),
          srcIp: '203.0.113.77',
          dstIp: '10.20.30.40',
          severity: 'high',
          tacticId: 'TA0043',
        }) as object,
      )
      .expect(202);
    const incidents = await api().get('/api/v1/incidents?entity=ip:203.0.113.77').set(admin).expect(200);
    expect(incidents.body.items).toHaveLength(1);

    const run = await eventually(async () => {
      const list = await api().get('/api/v1/runs?playbook=block-malicious-source-ip').set(admin);
      const found = list.body.items?.[0];
      if (!found || found.status === 'running') return undefined;
      return (await api().get(`/api/v1/runs/${found.id}`).set(admin).expect(200)).body;
    }, 60_000);
    expect(run).toMatchObject({
      status: 'succeeded',
      incidentId: incidents.body.items[0].id,
      startedBy: 'trigger',
    });
    const blocks = run.actions.filter((action: { operation: string }) => action.operation === 'block_ip');
    expect(blocks.map((action: { connector: string }) => action.connector).sort()).toEqual([
      'fake-fortigate',
      'fake-panos',
    ]);

    for (const block of blocks) {
      expect(block).toMatchObject({ target: '203.0.113.77', state: 'succeeded' });
      const state = await api().get(`/api/v1/actions/${block.actionId}/vendor-state`).set(admin).expect(200);
      expect(state.body.observed).toBe('applied');
    }
    // The playbook marked its incident contained once the block took: time to contain is known.
    const incident = await api().get(`/api/v1/incidents/${run.incidentId}`).set(admin).expect(200);
    expect(incident.body).toMatchObject({ status: 'contained', containedAt: expect.any(String) });
    expect(incident.body.comments).toEqual([
      expect.objectContaining({
        author: 'playbook:block-malicious-source-ip',
        body: '203.0.113.77 blocked at every firewall for 4 seconds.',
      }),
    ]);

    for (const block of blocks) {
      const lifted = await eventually(async () => {
        const action = await api().get(`/api/v1/actions/${block.actionId}`).set(admin).expect(200);
        return action.body.state === 'expired' ? action.body : undefined;
      }, 60_000);
      expect(lifted.rollbacks).toEqual([
        expect.objectContaining({ operation: 'unblock_ip', state: 'succeeded' }),
      ]);
      const state = await api().get(`/api/v1/actions/${block.actionId}/vendor-state`).set(admin).expect(200);
      expect(state.body.observed).toBe('not_applied');
    }
  });
});
