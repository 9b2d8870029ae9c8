import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { INestApplication, Logger, LoggerService, LogLevel } from '@nestjs/common';
import { ConsoleLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

import { AuthenticationMiddleware, EnsureInitialAdminUseCase, INITIAL_ADMIN_USERNAME } from '@rampart/auth';
import type { AuthenticatedRequest } from '@rampart/auth';
import { AppConfig, ConfigError } from '@rampart/config';
import { startEmbeddedPostgres } from '@rampart/database';
import { ALERT_INTAKE_PATH } from '@rampart/intake';
import { Metrics } from '@rampart/metrics';
import { parseMasterKey } from '@rampart/secrets';
import { bodyParsers, requestContext, RouteMatcher, securityHeaders } from '@rampart/web';

import { AppModule } from './app.module';
import { httpMetrics } from './metrics/http-metrics';
import { RouteCatalog } from './routes/route-catalog';

/** Bodies of requests without credentials (public routes: the sign-in form) stay small. */
const ANONYMOUS_BODY_LIMIT = 16 * 1024;
/** Deeper JSON is refused before it is parsed (alerts deeper than 64 levels are refused too). */
const MAX_JSON_DEPTH = 64;

export interface RunningRampart {
  app: INestApplication;
  url: string;
  /** The admin key generated on first start; undefined when it came from SOAR_ADMIN_API_KEY or earlier. */
  adminKeyFile: string | null;
  /** Where the generated password of user `admin` is kept (null with SOAR_ADMIN_PASSWORD or none). */
  adminPasswordFile: string | null;
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
    const masterKey = loadKey('SOAR_MASTER_KEY', 'master.key', config, dataDir, log);
    const auditSigningKey = loadKey('SOAR_AUDIT_SIGNING_KEY', 'audit-signing.key', config, dataDir, log);
    const modules = AppModule.forRoot({ config, databaseUrl, masterKey, auditSigningKey });
    const created = await NestFactory.create(modules, {
      bodyParser: false,
      logger,
      abortOnError: false,
    });
    app = created;
    mountEdge(created, config);
    await created.init();
    const initialAdmin = created.get(EnsureInitialAdminUseCase);
    const adminKeyFile = await ensureAdminKey(initialAdmin, config, dataDir, log);
    const adminPasswordFile = await ensureAdminUser(initialAdmin, config, dataDir, log);
    await listen(created, config);
    const address = created.getHttpServer().address() as { port: number };
    return {
      app: created,
      url: `http://localhost:${address.port}`,
      adminKeyFile,
      adminPasswordFile,
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

/**
 * What every request meets before the router, in this order: metrics, security headers,
 * authentication (headers only; a request for a non-public route without valid credentials is
 * answered 401 here and its body never read), then body parsing for those who got through.
 */
function mountEdge(app: INestApplication, config: AppConfig): void {
  const express = app.getHttpAdapter().getInstance() as {
    disable(setting: string): void;
    set(setting: string, value: unknown): void;
  };
  express.disable('x-powered-by');
  if (config.env.SOAR_TRUST_PROXY !== undefined) express.set('trust proxy', config.env.SOAR_TRUST_PROXY);
  // A client that waits for "100 Continue" before sending its body gets it only once authenticated.
  const server = app.getHttpServer() as import('node:http').Server;
  server.on('checkContinue', (request, response) => server.emit('request', request, response));

  const routes = app.get(RouteCatalog);
  let publicRoutes: RouteMatcher | undefined;
  let allRoutes: RouteMatcher | undefined;
  let browserPages: RouteMatcher | undefined;
  app.use(httpMetrics(app.get(Metrics)));
  app.use(securityHeaders());
  // Console pages pass without credentials too: the guard still requires their permission, and
  // the console turns its refusal into a redirect to the sign-in page instead of a JSON 401.
  app.use(
    app.get(AuthenticationMiddleware).handler({
      isPublic: (method, path) =>
        (publicRoutes ??= routes.publicRoutes()).matches(method, path) ||
        (browserPages ??= routes.browserPages()).matches(method, path),
      routeOf: (method, path) => (allRoutes ??= new RouteMatcher(routes.routes())).find(method, path)?.path,
    }),
  );
  app.use(
    bodyParsers({
      limitBytes: config.env.SOAR_MAX_BODY_BYTES,
      anonymousLimitBytes: ANONYMOUS_BODY_LIMIT,
      authenticated: (request) => (request as AuthenticatedRequest).principal !== undefined,
      rawRoutes: new RouteMatcher([{ method: 'POST', path: ALERT_INTAKE_PATH }]),
      maxJsonDepth: MAX_JSON_DEPTH,
    }),
  );
  // After the body parsers: their stream callbacks would lose the request's async context.
  app.use(requestContext());
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

/**
 * A 32-byte key from its variable, or generated on first start into a file of the data directory
 * that only the owner can read (the master key, the audit signing key).
 */
function loadKey(
  variable: 'SOAR_MASTER_KEY' | 'SOAR_AUDIT_SIGNING_KEY',
  fileName: string,
  config: AppConfig,
  dataDir: string,
  log: Logger,
): Buffer {
  const configured = config.env[variable];
  if (configured) return parseMasterKey(configured);
  const file = path.join(dataDir, fileName);
  if (!existsSync(file)) {
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
    log.warn(
      `${variable} is not set: generated one in ${file}. Set ${variable} in production and keep it safe.`,
    );
  }
  return parseMasterKey(readFileSync(file, 'utf8').trim());
}

/**
 * SOAR_ADMIN_API_KEY seeds an admin key for automation. Without it, the first start generates
 * one and keeps it in a file only the owner can read, so a newcomer can use the API at once.
 */
async function ensureAdminKey(
  initialAdmin: EnsureInitialAdminUseCase,
  config: AppConfig,
  dataDir: string,
  log: Logger,
): Promise<string | null> {
  if (config.env.SOAR_ADMIN_API_KEY) {
    await initialAdmin.ensureAdminKey(config.env.SOAR_ADMIN_API_KEY);
    return null;
  }
  const file = path.join(dataDir, 'admin-api-key');
  const generated = await initialAdmin.generateAdminKeyIfNone();
  if (generated) {
    writeFileSync(file, `${generated}\n`, { mode: 0o600 });
    log.log(`generated an admin API key in ${file}`);
  }
  return existsSync(file) ? file : null;
}

/**
 * The console's first sign-in: user `admin` with SOAR_ADMIN_PASSWORD, or, when no enabled admin
 * user exists, with a generated password kept in a file only the owner can read.
 */
async function ensureAdminUser(
  initialAdmin: EnsureInitialAdminUseCase,
  config: AppConfig,
  dataDir: string,
  log: Logger,
): Promise<string | null> {
  const result = await initialAdmin.ensureAdminUser(config.env.SOAR_ADMIN_PASSWORD);
  if (result.passwordSetFromConfiguration) {
    log.log(`user ${INITIAL_ADMIN_USERNAME}: password set from SOAR_ADMIN_PASSWORD`);
  }
  if (config.env.SOAR_ADMIN_PASSWORD) return null;
  const file = path.join(dataDir, 'admin-password');
  if (result.generatedPassword) {
    writeFileSync(file, `${result.generatedPassword}\n`, { mode: 0o600 });
    log.log(`generated the password of user ${INITIAL_ADMIN_USERNAME} in ${file}`);
  }
  return existsSync(file) ? file : null;
}
