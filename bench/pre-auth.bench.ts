/**
 * `npm run bench`, second part: what unauthenticated clients cost the authenticated ones (issue 9
 * finding 3). One intake client sends small authenticated batches one after another and its
 * latency is measured alone, then while 8 unauthenticated clients send 1 MB bodies of nested `[`
 * to a JSON route as fast as they can (each waits for its answer, then starts again), then while 8 clients do the same with a wrong API key (a database lookup
 * each). The hostile clients run on a worker thread, so their own work does not sit on the event
 * loop that serves Rampart. Prints p50/p99 of each run; no pass/fail threshold lives here.
 */
import 'reflect-metadata';

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

import { ConsoleLogger } from '@nestjs/common';

import { buildSampleAlert } from '@rampart/alerts';
import { AppConfig } from '@rampart/config';

import { startRampart } from '../apps/api/src/bootstrap';
import { rawExchange } from '../test/support/raw-http';
import { withBenchDatabase } from './bench-database';

const REQUESTS = Number(process.env.BENCH_PRE_AUTH_REQUESTS ?? 300);
const ALERTS_PER_REQUEST = 10;
const HOSTILE_CLIENTS = 8;
const HOSTILE_BODY = Buffer.alloc(1024 * 1024, '[');

interface Latency {
  p50: number;
  p99: number;
  max: number;
}

interface HostileLoad {
  requests: number;
  statuses: Map<number, number>;
  /** Body bytes handed to the kernel per request before the answer came (not all were read). */
  meanBodyBytesWritten: number;
}

function percentiles(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;
  return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}

/** The authenticated intake client: REQUESTS batches, one after another, each timed. */
async function intakeLatency(url: string, key: string, tag: string): Promise<Latency> {
  const samples: number[] = [];
  const start = Date.parse('2026-11-01T00:00:00Z');
  for (let request = 0; request < REQUESTS; request++) {
    const alerts = Array.from({ length: ALERTS_PER_REQUEST }, (_, index) =>
      buildSampleAlert('elastic', {
        id: `${tag}-${request}-${index}`,
        title: `pre-auth bench ${request}`,
        time: new Date(start + request * 1000),
        host: `pre-auth-host-${request % 40}`,
        severity: 'low',
      }),
    );
    const sent = process.hrtime.bigint();
    const response = await fetch(`${url}/api/v1/alerts`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(alerts),
    });
    await response.arrayBuffer();
    if (response.status !== 202) throw new Error(`intake answered ${response.status}`);
    samples.push(Number(process.hrtime.bigint() - sent) / 1e6);
  }
  return percentiles(samples);
}

/** Clients sending a megabyte of `[` in a loop, reconnecting whenever the server hangs up. */
function hostileClients(url: string, headers: Record<string, string>): { stop(): Promise<HostileLoad> } {
  let running = true;
  const load: HostileLoad = { requests: 0, statuses: new Map(), meanBodyBytesWritten: 0 };
  let written = 0;
  const clients = Array.from({ length: HOSTILE_CLIENTS }, async () => {
    while (running) {
      const answer = await rawExchange(
        url,
        {
          // A JSON route (intake reads raw bytes): where a body read before authentication was parsed.
          method: 'PATCH',
          path: '/api/v1/incidents/00000000-0000-4000-8000-000000000000',
          headers: { 'Content-Type': 'application/json', ...headers },
          body: HOSTILE_BODY,
        },
        { settleMs: 1_000, timeoutMs: 30_000 },
      ).catch(() => null);
      if (!answer) continue;
      load.requests += 1;
      written += answer.bodyBytesWritten;
      load.statuses.set(answer.status, (load.statuses.get(answer.status) ?? 0) + 1);
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.all(clients);
      load.meanBodyBytesWritten = load.requests > 0 ? written / load.requests : 0;
      return load;
    },
  };
}

/** The hostile clients on a worker thread: started with the work, stopped by a message. */
function hostileWorker(url: string, headers: Record<string, string>): { stop(): Promise<HostileLoad> } {
  const worker = new Worker(__filename, { workerData: { url, headers } });
  const done = new Promise<HostileLoad>((resolve, reject) => {
    worker.once('message', (load: Omit<HostileLoad, 'statuses'> & { statuses: [number, number][] }) =>
      resolve({ ...load, statuses: new Map(load.statuses) }),
    );
    worker.once('error', reject);
  });
  return {
    async stop() {
      worker.postMessage('stop');
      const load = await done;
      await worker.terminate();
      return load;
    },
  };
}

function runAsWorker(): void {
  const { url, headers } = workerData as { url: string; headers: Record<string, string> };
  const clients = hostileClients(url, headers);
  parentPort?.once('message', () => {
    void clients.stop().then((load) => parentPort?.postMessage({ ...load, statuses: [...load.statuses] }));
  });
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const describeLatency = (latency: Latency) =>
  `p50 ${ms(latency.p50)}, p99 ${ms(latency.p99)}, max ${ms(latency.max)}`;
const describeLoad = (load: HostileLoad, seconds: number) =>
  `${load.requests} hostile requests (${Math.round(load.requests / seconds)}/s), answers ${[...load.statuses]
    .map(([status, count]) => `${status}: ${count}`)
    .join(
      ', ',
    )}, ${Math.round(load.meanBodyBytesWritten / 1024)} KiB of each 1024 KiB body sent before the answer`;

async function main(): Promise<void> {
  await withBenchDatabase(async (databaseUrl) => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rampart-bench-pre-auth-'));
    const key = `rk_bench_${randomBytes(24).toString('base64url')}`;
    const config = AppConfig.fromEnvironment({
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      SOAR_DATA_DIR: dataDir,
      SOAR_ADMIN_API_KEY: key,
      SOAR_ADMIN_PASSWORD: randomBytes(18).toString('base64url'),
      SOAR_MASTER_KEY: 'b'.repeat(64),
      SOAR_ROLES: 'api',
    });
    const rampart = await startRampart(config, new ConsoleLogger({ logLevels: ['error'] }));
    try {
      const url = rampart.url.replace('localhost', '127.0.0.1');
      await intakeLatency(url, key, 'warm-up');
      const alone = await intakeLatency(url, key, 'alone');
      console.log(
        `pre-auth: authenticated intake alone: ${describeLatency(alone)} (${REQUESTS} requests of ${ALERTS_PER_REQUEST} alerts, one client)`,
      );

      for (const [label, headers] of [
        ['no credentials', {}],
        ['a wrong API key', { Authorization: 'Bearer rk_bench_not_a_key_0000000000000000' }],
      ] as const) {
        const hostile = hostileWorker(url, headers);
        const started = process.hrtime.bigint();
        const loaded = await intakeLatency(url, key, `loaded-${label.replace(/\W/g, '')}`);
        const load = await hostile.stop();
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        console.log(
          `pre-auth: authenticated intake with ${HOSTILE_CLIENTS} clients sending 1 MB with ${label}: ` +
            `${describeLatency(loaded)}; ratio p50 ${(loaded.p50 / alone.p50).toFixed(2)}, p99 ${(loaded.p99 / alone.p99).toFixed(2)}; ` +
            describeLoad(load, seconds),
        );
      }
    } finally {
      await rampart.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
}

if (isMainThread) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  runAsWorker();
}
