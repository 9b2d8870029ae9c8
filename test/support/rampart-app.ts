import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ConsoleLogger, type INestApplication, type LoggerService } from '@nestjs/common';

import { AppConfig } from '@rampart/config';
import { FAKES_EGRESS_ALLOW } from '@rampart/vendor-fakes';

import { startRampart } from '../../apps/api/src/bootstrap';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface TestRampart {
  url: string;
  /** The Nest application, for reaching a provider directly (e.g. to run a background job now). */
  app: INestApplication;
  adminKey: string;
  db: TestDatabase;
  dataDir: string;
  stop(): Promise<void>;
}

export const REPO_ROOT = path.join(__dirname, '..', '..');
export const TEST_MASTER_KEY = 'f'.repeat(64);

export interface TestRampartOptions {
  /** Receives everything the platform logs (default: errors only, to the console). */
  logger?: LoggerService;
  /** Runs on the fresh database before the platform connects to it (e.g. session settings). */
  prepareDatabase?: (db: TestDatabase) => Promise<void>;
}

/**
 * The whole platform in this process, on a fresh database and a free port, with egress to
 * loopback allowed (the vendor fakes).
 */
export async function startTestRampart(
  env: Record<string, string> = {},
  options: TestRampartOptions = {},
): Promise<TestRampart> {
  const db = await createTestDatabase('app');
  await options.prepareDatabase?.(db);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rampart-app-'));
  const adminKey = `rk_test_${randomBytes(24).toString('base64url')}`;
  const config = AppConfig.fromEnvironment({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: db.url,
    SOAR_DATA_DIR: dataDir,
    SOAR_ADMIN_API_KEY: adminKey,
    SOAR_MASTER_KEY: TEST_MASTER_KEY,
    CORRELATION_RULES_DIR: path.join(REPO_ROOT, 'rules', 'correlation'),
    SOAR_ROLES: 'api,engine',
    // The vendor fakes listen on loopback; a test of the egress policy itself sets this to ''.
    SOAR_EGRESS_ALLOW: FAKES_EGRESS_ALLOW.join(','),
    ...env,
  });
  const rampart = await startRampart(config, options.logger ?? new ConsoleLogger({ logLevels: ['error'] }));
  return {
    url: rampart.url,
    app: rampart.app,
    adminKey,
    db,
    dataDir,
    async stop() {
      await rampart.stop();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
