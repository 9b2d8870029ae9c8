import { spawn } from 'node:child_process';
import path from 'node:path';

import { REPO_ROOT } from './rampart-app';

const MODULE = path.join(
  REPO_ROOT,
  'dist',
  'libs',
  'database',
  'src',
  'infrastructure',
  'embedded-postgres.js',
);

export interface EmbeddedPostgresProcess {
  url: string;
  /** Stops PostgreSQL (a fast shutdown) and waits until it is down. */
  stop(): Promise<void>;
}

/**
 * The embedded PostgreSQL (dist/, as `npm start` runs it) in a child process that a test owns and
 * can stop and start again on the same data: Jest cannot load the ES module that ships it.
 */
export async function startEmbeddedPostgresProcess(
  dataDir: string,
  port: number,
): Promise<EmbeddedPostgresProcess> {
  const script = `
    const { startEmbeddedPostgres } = require(${JSON.stringify(MODULE)});
    startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, port: ${port} }).then((handle) => {
      console.log('ready ' + handle.url);
      process.on('SIGTERM', () => handle.stop().then(() => process.exit(0)));
    }, (error) => { console.error(error); process.exit(1); });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`PostgreSQL did not start:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /ready (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`PostgreSQL exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
