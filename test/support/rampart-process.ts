import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { REPO_ROOT, TEST_MASTER_KEY } from './rampart-app';

const MAIN = path.join(REPO_ROOT, 'dist', 'apps', 'api', 'src', 'main.js');

export interface RampartProcess {
  child: ChildProcess;
  /** Where it listens, as it printed it. */
  url: string;
  output(): string;
  /** Graceful: SIGTERM, wait for exit. */
  stop(): Promise<void>;
  /** A crash: SIGKILL, no chance to commit or clean up. */
  kill(): Promise<void>;
  /**
   * Ctrl-C at a terminal: SIGINT to every process of its process group (started with
   * `ownProcessGroup`); resolves with its exit code once it exited.
   */
  interrupt(): Promise<number | null>;
}

/**
 * The real entry point (`npm start`'s dist/apps/api/src/main.js) in a child process, so a test can
 * run several replicas or crash one with SIGKILL. `npm test` builds dist first (pretest).
 */
export async function startRampartProcess(
  env: Record<string, string>,
  options: {
    /** SOAR_DATA_DIR to use and keep (a restart test); by default a fresh one removed at stop. */
    dataDir?: string;
    /** Like `npm start` on a new machine: no SOAR_MASTER_KEY, no SOAR_ADMIN_API_KEY. */
    zeroSetup?: boolean;
    /** Leads a process group of its own, as a command run at a terminal does (see `interrupt`). */
    ownProcessGroup?: boolean;
  } = {},
): Promise<RampartProcess> {
  if (!existsSync(MAIN))
    throw new Error(`${MAIN} is missing: run \`npm run build\` (npm test does it in pretest)`);
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'rampart-proc-'));
  const keys = options.zeroSetup
    ? {}
    : { SOAR_MASTER_KEY: TEST_MASTER_KEY, SOAR_ADMIN_API_KEY: 'rk_test_process_admin_key_0123456789' };
  const child = spawn(process.execPath, ['-r', path.join(REPO_ROOT, 'scripts', 'register-paths.js'), MAIN], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      SOAR_DATA_DIR: dataDir,
      ...keys,
      CORRELATION_RULES_DIR: path.join(REPO_ROOT, 'rules', 'correlation'),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.ownProcessGroup ?? false,
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Rampart did not start within 60 s:\n${output}`)),
      60_000,
    );
    const check = () => {
      if (output.includes('Rampart is ready on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Rampart exited with ${code} before it was ready:\n${output}`));
    });
  });
  const cleanup = () => {
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  const url = /Rampart is ready on (\S+)/.exec(output)?.[1] ?? '';
  return {
    child,
    url,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      cleanup();
    },
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
      cleanup();
    },
    async interrupt() {
      if (!options.ownProcessGroup) throw new Error('interrupt() needs ownProcessGroup');
      if (child.exitCode === null) process.kill(-(child.pid as number), 'SIGINT');
      await exited;
      cleanup();
      return child.exitCode;
    },
  };
}
