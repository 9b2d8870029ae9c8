import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { assertNotInUse, assertReachableByOthers } from './embedded-postgres';

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

describe('assertNotInUse', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rampart-pid-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses a data directory whose postmaster.pid names a live process, saying what to do', () => {
    writeFileSync(path.join(dataDir, 'postmaster.pid'), `${process.pid}\n${dataDir}\n`);
    expect(() => assertNotInUse(dataDir)).toThrow(
      `the embedded PostgreSQL data directory ${dataDir} is in use by process ${process.pid}: ` +
        'is another Rampart running with the same SOAR_DATA_DIR? Stop it, or choose another SOAR_DATA_DIR.',
    );
  });

  it('lets a stale pid file (a crashed server) and a fresh directory through', () => {
    writeFileSync(path.join(dataDir, 'postmaster.pid'), '2147483646\n');
    expect(() => assertNotInUse(dataDir)).not.toThrow();
    expect(() => assertNotInUse(path.join(dataDir, 'never-initialised'))).not.toThrow();
  });
});
