import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { assertReachableByOthers, reclaimDataDirectory } from './embedded-postgres';
import { processStartTime, readOwner, removeOwner, writeOwner } from './postmaster-ownership';

describe('assertReachableByOthers', () => {
  const base = mkdtempSync(path.join(os.tmpdir(), 'rampart-reach-'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('accepts a path every directory of which others may enter', () => {
    chmodSync(base, 0o755);
    const open = path.join(base, 'open', 'data');
    mkdirSync(open, { recursive: true, mode: 0o755 });
    expect(() => assertReachableByOthers([open])).not.toThrow();
  });

  it('names the private directory on the way and what to do', () => {
    const closed = path.join(base, 'private');
    mkdirSync(path.join(closed, 'data'), { recursive: true });
    chmodSync(closed, 0o700);
    expect(() => assertReachableByOthers([path.join(closed, 'data')])).toThrow(
      new RegExp(`cannot enter ${closed} \\(mode 700\\).*DATABASE_URL`),
    );
  });
});

describe('reclaimDataDirectory', () => {
  const base = mkdtempSync(path.join(os.tmpdir(), 'rampart-pid-'));
  const dataDir = path.join(base, 'postgres');
  mkdirSync(dataDir);
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('refuses a data directory whose postmaster.pid names a live process it does not own, saying what to do', async () => {
    writeFileSync(path.join(dataDir, 'postmaster.pid'), `${process.pid}\n${dataDir}\n`);
    await expect(reclaimDataDirectory(dataDir)).rejects.toThrow(
      `the embedded PostgreSQL data directory ${dataDir} is in use by process ${process.pid}: ` +
        'is another Rampart running with the same SOAR_DATA_DIR? Stop it, or choose another SOAR_DATA_DIR.',
    );
  });

  it('refuses it too while the Rampart that owns it lives', async () => {
    writeOwner(dataDir, {
      pid: process.pid,
      startedAt: processStartTime(process.pid),
      postmasterPid: process.pid,
      watchdogPid: null,
    });
    await expect(reclaimDataDirectory(dataDir)).rejects.toThrow('is in use by process');
    removeOwner(dataDir);
  });

  it('stops a postmaster whose Rampart is gone, and goes on', async () => {
    // A stand-in for the orphaned postmaster, and a Rampart pid that no longer exists.
    const orphan = spawn(process.execPath, ['-e', 'setInterval(() => undefined, 1000)'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => orphan.once('exit', resolve));
    writeFileSync(path.join(dataDir, 'postmaster.pid'), `${orphan.pid}\n${dataDir}\n`);
    writeOwner(dataDir, {
      pid: 2147483646,
      startedAt: null,
      postmasterPid: orphan.pid as number,
      watchdogPid: null,
    });
    const told: string[] = [];
    await reclaimDataDirectory(dataDir, (message) => told.push(message));
    await exited;
    expect(told).toEqual([
      expect.stringContaining(`stopped the embedded PostgreSQL (process ${orphan.pid})`),
    ]);
    expect(readOwner(dataDir)).toBeNull();
  });

  it('lets a stale pid file (a crashed server) and a fresh directory through', async () => {
    writeFileSync(path.join(dataDir, 'postmaster.pid'), '2147483646\n');
    await expect(reclaimDataDirectory(dataDir)).resolves.toBeUndefined();
    await expect(reclaimDataDirectory(path.join(base, 'never-initialised'))).resolves.toBeUndefined();
  });
});
