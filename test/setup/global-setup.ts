/**
 * Starts the real infrastructure the integration tests need, once per `npm test`:
 * - PostgreSQL: the machine's server on 127.0.0.1:5432 when reachable (TEST_PG_URL overrides),
 *   otherwise an embedded one; a template database is migrated once and every test file clones it.
 * - Kafka: a single-node KRaft broker from scripts/kafka.js on its own ports (TEST_KAFKA_BROKERS
 *   points at an existing one instead).
 * What it starts is stopped by global-teardown.ts.
 */
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Client } from 'pg';
import { register } from 'tsconfig-paths';

import { freePort } from '../support/free-port';

register({ baseUrl: path.join(__dirname, '..', '..'), paths: { '@rampart/*': ['libs/*/src/index.ts'] } });

// Required after register(): the template module imports @rampart/database through the alias.
const { migrateTemplateDatabase } =
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('../support/template-database') as typeof import('../support/template-database');

export type Stopper = () => Promise<void>;
const stoppers: Stopper[] = [];
(globalThis as { __rampartStoppers?: Stopper[] }).__rampartStoppers = stoppers;

async function reachable(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function startPostgres(): Promise<string> {
  const candidate = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  if (await reachable(candidate)) return candidate;
  // require, not import(): the path alias is resolved by tsconfig-paths, which hooks require only.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startEmbeddedPostgres } = require('@rampart/database') as typeof import('@rampart/database');
  const dataDir = path.join(os.tmpdir(), `rampart-test-pg-${process.pid}`);
  const handle = await startEmbeddedPostgres({
    dataDir,
    port: await freePort(),
    database: 'postgres_admin',
  });
  stoppers.push(async () => {
    await handle.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return handle.url;
}

async function startKafka(): Promise<string> {
  if (process.env.TEST_KAFKA_BROKERS) return process.env.TEST_KAFKA_BROKERS;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const script = require(
    path.join(__dirname, '..', '..', 'scripts', 'kafka.js'),
  ) as typeof import('../../scripts/kafka');
  const dataDir = path.join(os.tmpdir(), `rampart-test-kafka-${process.pid}`);
  const broker = await script.startKafka({
    port: await freePort(),
    controllerPort: await freePort(),
    dataDir,
    fresh: true,
  });
  stoppers.push(async () => {
    await broker.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return broker.brokers;
}

export default async function globalSetup(): Promise<void> {
  const [adminUrl, brokers] = await Promise.all([startPostgres(), startKafka()]);
  const template = `rampart_template_${process.pid}`;
  await migrateTemplateDatabase(adminUrl, template);
  stoppers.push(async () => {
    const client = new Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await client.end();
  });
  process.env.TEST_PG_ADMIN_URL = adminUrl;
  process.env.TEST_PG_TEMPLATE = template;
  process.env.TEST_KAFKA_BROKERS = brokers;
}
