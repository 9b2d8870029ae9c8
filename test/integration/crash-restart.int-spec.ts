// Finding 10 of the hardening issue: after a SIGKILL of the zero-setup Rampart, its embedded
// PostgreSQL ran on as an orphan and the next `npm start` refused ("data directory ... is in use
// by process N") until someone killed it by hand. Now a watchdog stops the orphan soon after its
// Rampart dies, and a start that still finds one left by a vanished Rampart stops it and goes on.
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import request from 'supertest';

import { buildSampleAlert } from '@rampart/alerts';

import { eventually } from '../support/connector-support';
import { freePort } from '../support/free-port';
import { type RampartProcess, startRampartProcess } from '../support/rampart-process';

// As root, the embedded PostgreSQL's `postgres` user must be able to enter the data directory.
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rampart-crash-restart-'));
chmodSync(dataDir, 0o755);
const pgDir = path.join(dataDir, 'postgres');
let running: RampartProcess | undefined;

afterAll(async () => {
  await running?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function postmasterPid(): number {
  return Number(readFileSync(path.join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

async function sendAlert(url: string, id: string): Promise<void> {
  const key = readFileSync(path.join(dataDir, 'admin-api-key'), 'utf8').trim();
  await request(url)
    .post('/api/v1/alerts')
    .set({ Authorization: `Bearer ${key}` })
    .send(buildSampleAlert('wazuh', { id, time: new Date(), host: id }) as object)
    .expect(202);
}

async function alertCount(url: string): Promise<number> {
  const key = readFileSync(path.join(dataDir, 'admin-api-key'), 'utf8').trim();
  const incidents = await request(url)
    .get('/api/v1/incidents')
    .set({ Authorization: `Bearer ${key}` })
    .expect(200);
  return (incidents.body.items as { alertCount: number }[]).reduce((sum, item) => sum + item.alertCount, 0);
}

describe('a SIGKILLed zero-setup Rampart', () => {
  it('leaves no PostgreSQL behind for long, and starts again on the same data directory unattended', async () => {
    const env = { EMBEDDED_PG_PORT: String(await freePort()), SOAR_ROLES: 'api' };
    running = await startRampartProcess(env, { dataDir, zeroSetup: true });
    await sendAlert(running.url, 'before-crash-1');
    const postmaster = postmasterPid();

    await running.kill();
    running = undefined;
    // The watchdog gives the orphan a fast shutdown as soon as its Rampart is gone.
    await eventually(async () => (alive(postmaster) ? undefined : true), 30_000);

    running = await startRampartProcess(env, { dataDir, zeroSetup: true });
    expect(await alertCount(running.url)).toBe(1);
    await sendAlert(running.url, 'after-restart-1');
  });

  it('stops a postmaster orphaned with its watchdog, on the next start', async () => {
    const env = { EMBEDDED_PG_PORT: String(await freePort()), SOAR_ROLES: 'api' };
    if (!running) running = await startRampartProcess(env, { dataDir, zeroSetup: true });
    const owner = JSON.parse(readFileSync(`${pgDir}.owner.json`, 'utf8')) as { watchdogPid: number };
    const postmaster = postmasterPid();
    // The worst case: the Rampart and its watchdog both killed (say, the whole cgroup but PostgreSQL).
    process.kill(owner.watchdogPid, 'SIGKILL');
    await running.kill();
    running = undefined;
    expect(alive(postmaster)).toBe(true);

    running = await startRampartProcess(env, { dataDir, zeroSetup: true });
    expect(running.output()).toContain(`stopped the embedded PostgreSQL (process ${postmaster})`);
    expect(alive(postmaster)).toBe(false);
    expect(await alertCount(running.url)).toBe(2);
  });
});
