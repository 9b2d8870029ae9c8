import 'reflect-metadata';

import { setFlagsFromString } from 'node:v8';

import { INITIAL_ADMIN_USERNAME } from '@rampart/auth';
import { AppConfig, ConfigError } from '@rampart/config';
import { EmbeddedPostgresError } from '@rampart/database';

import { startRampart } from './bootstrap';

/** The one entry point: `npm start`, and every container of docker-compose.yml (SOAR_ROLES picks the roles). */
async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = AppConfig.fromEnvironment();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  limitHeapGrowth(config.env.SOAR_HEAP_GROWTH_PERCENT);
  const rampart = await startRampart(config);
  // A graceful stop: the Kafka consumer commits its batch and leaves its group, HTTP drains,
  // then the embedded PostgreSQL (if any) shuts down cleanly. SIGHUP (the terminal closed) too.
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      if (stopping) return;
      stopping = true;
      process.stdout.write(`\n${signal}: stopping Rampart...\n`);
      rampart.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`error while stopping: ${String(error)}\n`);
          process.exit(1);
        },
      );
    });
  }
  const auth = config.env.SOAR_ADMIN_API_KEY
    ? 'use the key in SOAR_ADMIN_API_KEY'
    : rampart.adminKeyFile
      ? `the admin API key is in ${rampart.adminKeyFile}`
      : 'use an admin API key issued earlier';
  const signIn = config.env.SOAR_ADMIN_PASSWORD
    ? 'the password is SOAR_ADMIN_PASSWORD'
    : rampart.adminPasswordFile
      ? `the initial password is in ${rampart.adminPasswordFile}`
      : 'or with an account issued earlier';
  process.stdout.write(
    [
      '',
      `Rampart is ready on ${rampart.url}`,
      `  Sign in to the console: ${rampart.url}/login as ${INITIAL_ADMIN_USERNAME}; ${signIn}`,
      `  API: Authorization: Bearer <api key>; ${auth}`,
      `  e.g. curl -H "Authorization: Bearer $(cat ${rampart.adminKeyFile ?? '<key file>'})" ${rampart.url}/api/v1/incidents`,
      `  Send demo alerts: npm run demo    API description: ${rampart.url}/api/docs`,
      `  Roles: ${config.env.SOAR_ROLES.join(', ')}; Kafka intake: ${config.kafkaEnabled ? config.env.KAFKA_BROKERS.join(',') : 'off (set KAFKA_BROKERS)'}`,
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  // Problems the operator can fix are said plainly; anything else keeps its stack for a bug report.
  if (error instanceof ConfigError) {
    process.stderr.write(`Rampart failed to start. ${error.message}\n`);
    process.exit(78);
  }
  if (error instanceof EmbeddedPostgresError) {
    process.stderr.write(`Rampart failed to start: ${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(
    `Rampart failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});

/**
 * Bounds how far the heap grows between full collections (`SOAR_HEAP_GROWTH_PERCENT`). Left to
 * itself, V8 lets a process allocating fast grow its heap to up to four times what is live before
 * collecting it in full: during an alert storm, 814 MB resident for under 200 MB of live objects. V8
 * reads this flag each time it sets the next limit, so it holds when set at start, whatever
 * command line started the process (npm start, a container, the benchmark).
 */
function limitHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
