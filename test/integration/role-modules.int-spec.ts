import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

import { REPO_ROOT } from '../support/rampart-app';

const DIST = path.join(REPO_ROOT, 'dist', 'apps', 'api', 'src');

/** Code that only some roles run, by the path its files load from. */
const ROLE_CODE = {
  console: '/dist/libs/console/',
  reports: '/dist/libs/reports/',
  pdfkit: '/node_modules/pdfkit/',
  playbookEngine: '/dist/apps/engine/',
  kafkaIntake: '/dist/apps/ingestor/',
} as const;

/**
 * Loads what `npm start` loads for SOAR_ROLES=`roles` (the bootstrap, then the application module
 * for those roles) in a fresh Node.js process, and tells which role code it loaded.
 */
function loadedFor(roles: string): Record<keyof typeof ROLE_CODE, boolean> {
  const script = `
    require('reflect-metadata');
    require(${JSON.stringify(path.join(DIST, 'bootstrap.js'))});
    const { AppConfig } = require('@rampart/config');
    const { AppModule } = require(${JSON.stringify(path.join(DIST, 'app.module.js'))});
    const config = AppConfig.fromEnvironment({ SOAR_ROLES: ${JSON.stringify(roles)}, KAFKA_BROKERS: '127.0.0.1:9' });
    AppModule.forRoot({ config, databaseUrl: 'postgres://127.0.0.1:9/none', masterKey: Buffer.alloc(32), auditSigningKey: Buffer.alloc(32) });
    const files = Object.keys(require.cache);
    const code = ${JSON.stringify(ROLE_CODE)};
    process.stdout.write(JSON.stringify(Object.fromEntries(
      Object.entries(code).map(([name, where]) => [name, files.some((file) => file.includes(where))]),
    )));`;
  const output = execFileSync(
    process.execPath,
    ['-r', path.join(REPO_ROOT, 'scripts', 'register-paths.js'), '-e', script],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  );
  return JSON.parse(output) as Record<keyof typeof ROLE_CODE, boolean>;
}

describe('each process loads the code of its own roles only', () => {
  beforeAll(() => {
    if (!existsSync(path.join(DIST, 'app.module.js')))
      throw new Error(`${DIST} is missing: run \`npm run build\` (npm test does it in pretest)`);
  });

  it('an ingestor loads the Kafka intake, not the console, reports, PDF or playbook engine code', () => {
    expect(loadedFor('ingestor')).toEqual({
      console: false,
      reports: false,
      pdfkit: false,
      playbookEngine: false,
      kafkaIntake: true,
    });
  });

  it('the API loads the console and reports, not the Kafka intake or the engine', () => {
    expect(loadedFor('api')).toEqual({
      console: true,
      reports: true,
      pdfkit: true,
      playbookEngine: false,
      kafkaIntake: false,
    });
  });

  it('all roles in one process load all of it', () => {
    expect(loadedFor('api,ingestor,engine')).toEqual({
      console: true,
      reports: true,
      pdfkit: true,
      playbookEngine: true,
      kafkaIntake: true,
    });
  });
});
