import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { INestApplication, Logger, LoggerService, LogLevel } from '@nestjs/common';
import { ConsoleLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

import { ApiKeyService } from '@rampart/auth';
import { AppConfig, ConfigError } from '@rampart/config';
import { startEmbeddedPostgres } from '@rampart/database';
import { ALERT_INTAKE_PATH } from '@rampart/intake';
import { Metrics } from '@rampart/metrics';
import { parseMasterKey } from '@rampart/secrets';
import { bodyParsers } from '@rampart/web';

import { AppModule } from './app.module';
import { httpMetrics } from './metrics/http-metrics';

export interface RunningRampart {
  app: INestApplication;
  url: string;
  /** The admin key generated on first start; undefined when it came from SOAR_ADMIN_API_KEY or earlier. */
  adminKeyFile: string | null;
  stop(): Promise<void>;
}

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

export function createLogger(config: AppConfig): LoggerService {
  const upTo = LEVELS.indexOf(config.env.LOG_LEVEL);
  return new ConsoleLogger({ logLevels: LEVELS.slice(0, upTo + 1), json: config.env.LOG_FORMAT === 'json' });
}

/**
 * Brings the platform up: PostgreSQL (embedded under SOAR_DATA_DIR unless DATABASE_URL is set),
 * migrations, the roles of SOAR_ROLES, an admin API key, and the HTTP server.
 */
export async function startRampart(
  config: AppConfig,
  logger: LoggerService = createLogger(config),
): Promise<RunningRampart> {
  const log = new Logger('Rampart');
  Logger.overrideLogger(logger);
  const dataDir = path.resolve(config.env.SOAR_DATA_DIR);
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });

  let stopPostgres: () => Promise<void> = async () => undefined;
  let databaseUrl = config.env.DATABASE_URL;
  if (!databaseUrl) {
    log.log(`DATABASE_URL is not set: starting the embedded PostgreSQL in ${path.join(dataDir, 'postgres')}`);
    const embedded = await startEmbeddedPostgres({
      dataDir: path.join(dataDir, 'postgres'),
      port: config.env.EMBEDDED_PG_PORT,
      onReclaim: (message) => log.warn(message),
    });
    databaseUrl = embedded.url;
    stopPostgres = embedded.stop;
  }

  // Whatever fails from here on, the embedded PostgreSQL is stopped again: a failed start must not
  // leave a server holding the data directory.
  let app: INestApplication | undefined;
  try {
    const masterKey = loadMasterKey(config, dataDir, log);
    const created = await NestFactory.create(AppModule.forRoot({ config, databaseUrl, masterKey }), {
      bodyParser: false,
      logger,
      abortOnError: false,
    });
    app = created;
    created.use(httpMetrics(created.get(Metrics)));
    created.use(bodyParsers({ limitBytes: config.env.SOAR_MAX_BODY_BYTES, rawPaths: [ALERT_INTAKE_PATH] }));
    await created.init();
    const adminKeyFile = await ensureAdminKey(created.get(ApiKeyService), config, dataDir, log);
    await listen(created, config);
    const address = created.getHttpServer().address() as { port: number };
    return {
      app: created,
      url: `http://localhost:${address.port}`,
      adminKeyFile,
      async stop() {
        await created.close();
        await stopPostgres();
      },
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await stopPostgres();
    throw error;
  }
}

/** A port already taken is a configuration problem, said as one. */
async function listen(app: INestApplication, config: AppConfig): Promise<void> {
  try {
    await app.listen(config.env.PORT, config.env.HOST);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EADDRINUSE') {
      throw new ConfigError([
        {
          variable: 'PORT',
          message: `${config.env.HOST}:${config.env.PORT} is already in use (another Rampart?); choose a free port`,
        },
      ]);
    }
    throw error;
  }
}

function loadMasterKey(config: AppConfig, dataDir: string, log: Logger): Buffer {
  if (config.env.SOAR_MASTER_KEY) return parseMasterKey(config.env.SOAR_MASTER_KEY);
  const file = path.join(dataDir, 'master.key');
  if (!existsSync(file)) {
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
    log.warn(
      `SOAR_MASTER_KEY is not set: generated one in ${file}. Set SOAR_MASTER_KEY in production and keep it safe.`,
    );
  }
  return parseMasterKey(readFileSync(file, 'utf8').trim());
}

/**
 * SOAR_ADMIN_API_KEY seeds an admin key for automation. Without it, the first start generates
 * one and keeps it in a file only the owner can read, so a newcomer can log in at once.
 */
async function ensureAdminKey(
  keys: ApiKeyService,
  config: AppConfig,
  dataDir: string,
  log: Logger,
): Promise<string | null> {
  if (config.env.SOAR_ADMIN_API_KEY) {
    await keys.ensureKey('SOAR_ADMIN_API_KEY', 'admin', config.env.SOAR_ADMIN_API_KEY);
    return null;
  }
  const file = path.join(dataDir, 'admin-api-key');
  if ((await keys.countActive('admin')) === 0) {
    const issued = await keys.issue('generated admin key', 'admin');
    writeFileSync(file, `${issued.key}\n`, { mode: 0o600 });
    log.log(`generated an admin API key in ${file}`);
  }
  return existsSync(file) ? file : null;
}
