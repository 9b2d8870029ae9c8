import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { assertReachableByOthers } from './embedded-postgres';

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
