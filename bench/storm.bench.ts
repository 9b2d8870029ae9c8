/**
 * `npm run bench`: intake during an alert storm, each figure beside its limit measured in the same
 * run on the same machine, then the ratio. No pass/fail threshold lives here (targets are in
 * docs/benchmarks.md). Every phase has a deadline (BENCH_PHASE_SECONDS), so a slow build still
 * finishes and reports how far it got.
 *
 *  1. limits: a bare Node.js HTTP server answering the storm's requests; PostgreSQL inserting the
 *     storm's rows (the alert store's own statement); kafkajs consuming the storm's topic;
 *  2. the storm curve: BENCH_STORM_ALERTS (100,000) single-alert webhooks, the same detection on
 *     400 hosts within one correlation window, 50 concurrent clients; the rate of each successive
 *     10,000;
 *  3. single-alert webhooks with autocannon (50 connections): requests/s, p50, p99;
 *  4. the same storm on one host;
 *  5. Kafka intake: one ingestor draining the storm's topic;
 *  6. peak RSS (VmHWM) of every process; the figures go to bench/results/<date>.json.
 * Rampart runs as separate processes (dist/, like `npm start`), on fresh databases of the
 * PostgreSQL at 127.0.0.1:5432 (BENCH_PG_URL to choose another).
 */
import 'reflect-metadata';

import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

import autocannon from 'autocannon';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

import { alertIdentity, buildSampleAlert, normalizeAlert, type NormalizedAlert } from '@rampart/alerts';
import { dataSourceOptions, SqlExecutor } from '@rampart/database';

// The alert store's own insert, the limit the platform's inserts are measured against: reached
// the way the schema-agreement test reaches entities (modules do not export their adapters).
// eslint-disable-next-line no-restricted-imports
import { SqlAlertStore } from '../libs/alerts/src/infrastructure/sql-alert.store';
import { freePort } from '../test/support/free-port';
import { withBenchDatabase } from './bench-database';

const ROOT = path.join(__dirname, '..', '..');
const STORM = Number(process.env.BENCH_STORM_ALERTS ?? 100_000);
const HOSTS = 400;
const SEGMENT = Math.max(1, Math.floor(STORM / 10));
const CLIENTS = 50;
const ONE_HOST = Number(process.env.BENCH_ONE_HOST_ALERTS ?? 20_000);
const PHASE_SECONDS = Number(process.env.BENCH_PHASE_SECONDS ?? 90);
/**
 * The storm curve's own deadline: longer than the other phases, so that several 10,000-alert
 * segments complete even on a slow machine, and short enough for `npm run bench` to finish within
 * 15 minutes; a storm it stops says how far it got.
 */
const STORM_SECONDS = Number(process.env.BENCH_STORM_SECONDS ?? 180);
const AUTOCANNON_SECONDS = Number(process.env.BENCH_AUTOCANNON_SECONDS ?? 10);
/** Phases to run (limits, storm, cannon, onehost, kafka, kafka2: two ingestors); all by default. */
const PHASES = new Set(
  (process.env.BENCH_PHASES ?? 'limits,storm,cannon,onehost,kafka,kafka2')
    .split(',')
    .map((phase) => phase.trim()),
);
/** When set, every Rampart process writes a V8 CPU profile there (node --cpu-prof). */
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF_DIR;
/** Extra Node.js arguments for every Rampart process (a preloaded probe, for instance). */
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');
const ADMIN_KEY = `rk_bench_${randomBytes(24).toString('base64url')}`;
const T0 = Date.parse('2026-11-01T00:00:00Z');
const WINDOW_MS = 30 * 60_000;

interface Figures {
  [name: string]: unknown;
}
const figures: Figures = {};
const rss: Record<string, number> = {};

// ---------------------------------------------------------------------------------------------
// The storm: the same detection (Elastic, execution, medium) on `hosts` hosts, all within one
// correlation window, as single-alert webhook bodies.

function stormBodies(count: number, hosts: number, tag: string): string[] {
  return Array.from({ length: count }, (_, index) => {
    const host = index % hosts;
    return JSON.stringify(
      buildSampleAlert('elastic', {
        id: `${tag}-${index}`,
        title: 'Suspicious PowerShell execution',
        time: new Date(T0 + Math.floor((index * (WINDOW_MS - 60_000)) / count)),
        host: `storm-host-${host}`,
        srcIp: `198.18.${(host >> 8) & 255}.${host & 255}`,
        user: `user-${host}`,
        severity: 'medium',
        tacticId: 'TA0002',
      }),
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Processes

interface Child {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

/** Peak resident set of a process so far (VmHWM), in MB. */
function peakRssMb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
    return Math.round(kb / 1024);
  } catch {
    return 0;
  }
}

function notePeak(name: string, pid: number | undefined): void {
  rss[name] = Math.max(rss[name] ?? 0, peakRssMb(pid));
}

async function startProcess(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
  timeoutMs = 90_000,
): Promise<Child> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`not ready within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      // Only the tail is kept: enough to say why a process died.
      output = (output + chunk.toString()).slice(-20_000);
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] ?? '');
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before it was ready:\n${output}`));
    });
  });
  let stopping = false;
  child.once('exit', (code, signal) => {
    // A process that dies under load makes every later figure of its phase meaningless: say so.
    if (!stopping) console.error(`${args.at(-1)} exited (${code ?? signal}) during the run:\n${output}`);
  });
  return {
    child,
    url,
    async stop() {
      stopping = true;
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

async function startRampart(databaseUrl: string, env: Record<string, string>): Promise<Child> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rampart-bench-'));
  const started = await startProcess(
    [
      ...(CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`] : []),
      ...NODE_ARGS,
      '-r',
      path.join(ROOT, 'scripts', 'register-paths.js'),
      path.join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js'),
    ],
    {
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      SOAR_DATA_DIR: dataDir,
      SOAR_ADMIN_API_KEY: ADMIN_KEY,
      SOAR_MASTER_KEY: 'b'.repeat(64),
      CORRELATION_RULES_DIR: path.join(ROOT, 'rules', 'correlation'),
      LOG_LEVEL: 'warn',
      // The one Rampart setting the benchmark passes on, to weigh memory against throughput.
      ...(process.env.SOAR_HEAP_GROWTH_PERCENT === undefined
        ? {}
        : { SOAR_HEAP_GROWTH_PERCENT: process.env.SOAR_HEAP_GROWTH_PERCENT }),
      ...env,
    },
    /Rampart is ready on (\S+)/,
  );
  return {
    ...started,
    async stop() {
      await started.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A bare Node.js server that reads each body, parses it as JSON and answers 202. */
async function startBareServer(): Promise<Child> {
  const script = `
    const http = require('node:http');
    const server = http.createServer((request, response) => {
      const chunks = [];
      request.on('data', (chunk) => chunks.push(chunk));
      request.on('end', () => {
        let accepted = 0;
        try { JSON.parse(Buffer.concat(chunks).toString('utf8')); accepted = 1; } catch {}
        const body = JSON.stringify({ accepted, duplicate: 0, rejected: 1 - accepted, items: [] });
        response.writeHead(202, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        response.end(body);
      });
    });
    server.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port));`;
  return startProcess(['-e', script], {}, /listening on (\S+)/);
}

async function withDatabase<T>(work: (url: string) => Promise<T>, migrate = false): Promise<T> {
  return withBenchDatabase(async (url) => {
    if (migrate) {
      const dataSource = new DataSource(dataSourceOptions(url));
      await dataSource.initialize();
      await dataSource.destroy();
    }
    return work(url);
  });
}

// ---------------------------------------------------------------------------------------------
// The storm client: `clients` keep-alive connections, each sending the next body as soon as its
// previous request was answered.

interface StormRun {
  sent: number;
  accepted: number;
  seconds: number;
  /** Alerts per second of each successive segment. */
  segments: number[];
  p50Ms: number;
  p99Ms: number;
  complete: boolean;
}

async function storm(
  baseUrl: string,
  bodies: string[],
  clients: number,
  deadlineSeconds: number,
): Promise<StormRun> {
  const target = new URL('/api/v1/alerts', baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const started = process.hrtime.bigint();
  const deadline = Date.now() + deadlineSeconds * 1000;
  const boundaries: number[] = [];
  const latencies: number[] = [];
  let next = 0;
  let done = 0;
  let accepted = 0;
  const post = (body: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = http.request(
        target,
        {
          method: 'POST',
          agent,
          headers: {
            Authorization: `Bearer ${ADMIN_KEY}`,
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(body),
          },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < bodies.length && Date.now() < deadline) {
        const body = bodies[next++] as string;
        const sent = process.hrtime.bigint();
        const answer = await post(body);
        if (answer.status !== 202)
          throw new Error(`intake answered ${answer.status}: ${answer.text.slice(0, 300)}`);
        accepted += (JSON.parse(answer.text) as { accepted?: number }).accepted ?? 0;
        latencies.push(Number(process.hrtime.bigint() - sent) / 1e6);
        done += 1;
        if (done % SEGMENT === 0) boundaries.push(Number(process.hrtime.bigint() - started) / 1e9);
      }
    }),
  );
  agent.destroy();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const segments = boundaries.map(
    (at, index) => SEGMENT / (at - (index === 0 ? 0 : (boundaries[index - 1] as number))),
  );
  return {
    sent: done,
    accepted,
    seconds,
    segments,
    p50Ms: latencies[Math.floor(latencies.length * 0.5)] ?? 0,
    p99Ms: latencies[Math.floor(latencies.length * 0.99)] ?? 0,
    complete: done === bodies.length,
  };
}

async function singleAlertLoad(baseUrl: string, tag: string) {
  let counter = 0;
  const result = await autocannon({
    url: new URL('/api/v1/alerts', baseUrl).toString(),
    connections: CLIENTS,
    duration: AUTOCANNON_SECONDS,
    requests: [
      {
        method: 'POST',
        headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
        setupRequest: (request) => {
          const index = counter++;
          const host = index % HOSTS;
          return {
            ...request,
            body: JSON.stringify(
              buildSampleAlert('elastic', {
                id: `${tag}-${index}`,
                title: 'Suspicious PowerShell execution',
                time: new Date(T0 + 2 * WINDOW_MS + (index % 1000) * 1000),
                host: `cannon-host-${host}`,
                severity: 'medium',
                tacticId: 'TA0002',
              }),
            ),
          };
        },
      },
    ],
  });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

// ---------------------------------------------------------------------------------------------
// Where the time goes: the group commit's own metrics, read from the process's /metrics.

interface StageTotals {
  transactions: number;
  alerts: number;
  /** Seconds summed per stage: insert, lock_wait, correlate, commit. */
  seconds: Record<string, number>;
}

async function stageTotals(baseUrl: string): Promise<StageTotals> {
  const totals: StageTotals = { transactions: 0, alerts: 0, seconds: {} };
  try {
    const response = await fetch(new URL('/metrics', baseUrl), {
      headers: { Authorization: `Bearer ${ADMIN_KEY}` },
    });
    const text = await response.text();
    for (const line of text.split('\n')) {
      const stage = /^rampart_group_commit_stage_duration_seconds_sum\{stage="(\w+)"\} (\S+)/.exec(line);
      if (stage) totals.seconds[stage[1] as string] = Number(stage[2]);
      const alerts = /^rampart_group_commit_alerts_(sum|count)\{[^}]*\} (\S+)/.exec(line);
      if (alerts?.[1] === 'sum') totals.alerts += Number(alerts[2]);
      if (alerts?.[1] === 'count') totals.transactions += Number(alerts[2]);
    }
  } catch {
    // A process that died has no metrics; its phase already says so.
  }
  return totals;
}

/** The stages between two readings, per transaction, and the share of `seconds` the lock was held. */
function stageBreakdown(before: StageTotals, after: StageTotals, seconds: number) {
  const transactions = after.transactions - before.transactions;
  const per = (stage: string) =>
    transactions > 0
      ? (((after.seconds[stage] ?? 0) - (before.seconds[stage] ?? 0)) * 1000) / transactions
      : 0;
  const held = ['correlate', 'commit'].reduce(
    (sum, stage) => sum + (after.seconds[stage] ?? 0) - (before.seconds[stage] ?? 0),
    0,
  );
  return {
    transactions,
    alertsPerTransaction: transactions > 0 ? (after.alerts - before.alerts) / transactions : 0,
    insertMs: per('insert'),
    lockWaitMs: per('lock_wait'),
    correlateMs: per('correlate'),
    commitMs: per('commit'),
    lockHeldShare: seconds > 0 ? held / seconds : 0,
  };
}

function describeStages(stages: ReturnType<typeof stageBreakdown>): string {
  if (stages.transactions === 0) return '  (no group-commit transactions measured)';
  return (
    `  ${stages.transactions.toLocaleString('en')} transactions of ${stages.alertsPerTransaction.toFixed(1)} alerts; ` +
    `per transaction: insert ${stages.insertMs.toFixed(1)} ms, lock wait ${stages.lockWaitMs.toFixed(1)} ms, ` +
    `correlate under the lock ${stages.correlateMs.toFixed(1)} ms, commit ${stages.commitMs.toFixed(1)} ms; ` +
    `lock held ${(stages.lockHeldShare * 100).toFixed(0)}% of the time`
  );
}

// ---------------------------------------------------------------------------------------------
// Limits

async function postgresInsertLimit(bodies: string[]): Promise<{ perSecond: number; alerts: number }> {
  const alerts: { identity: string; alert: NormalizedAlert }[] = [];
  for (const body of bodies) {
    const result = normalizeAlert(JSON.parse(body));
    if (result.ok) alerts.push({ identity: alertIdentity(result.alert), alert: result.alert });
  }
  return withDatabase(async (url) => {
    const client = new Client({ connectionString: url });
    await client.connect();
    const sql = new (class extends SqlExecutor {
      async query<T>(text: string, parameters: unknown[] = []): Promise<T[]> {
        return (await client.query(text, parameters)).rows as T[];
      }
    })();
    const store = new SqlAlertStore();
    const deadline = Date.now() + PHASE_SECONDS * 1000;
    const started = process.hrtime.bigint();
    let inserted = 0;
    try {
      for (let offset = 0; offset < alerts.length && Date.now() < deadline; offset += 500) {
        const batch = alerts.slice(offset, offset + 500).sort((a, b) => (a.identity < b.identity ? -1 : 1));
        await client.query('BEGIN');
        inserted += (await store.insertNew(sql, batch, 'webhook')).length;
        await client.query('COMMIT');
      }
    } finally {
      await client.end();
    }
    return { perSecond: inserted / (Number(process.hrtime.bigint() - started) / 1e9), alerts: inserted };
  }, true);
}

async function kafkaConsumeLimit(kafka: Kafka, topic: string, count: number): Promise<number> {
  const consumer = kafka.consumer({ groupId: `bench-raw-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let seen = 0;
  let first: bigint | null = null;
  let last = process.hrtime.bigint();
  const finished = new Promise<void>((resolve) => {
    void consumer.run({
      eachBatch: async ({ batch }) => {
        first ??= process.hrtime.bigint();
        seen += batch.messages.length;
        last = process.hrtime.bigint();
        if (seen >= count) resolve();
      },
    });
  });
  const deadline = new Promise<void>((resolve) => setTimeout(resolve, PHASE_SECONDS * 1000).unref());
  await Promise.race([finished, deadline]);
  await consumer.disconnect();
  return seen / (Number(last - (first ?? last)) / 1e9 || 1);
}

// ---------------------------------------------------------------------------------------------

/** The 1-minute load average beside each figure: the machine is shared. */
function loadAverage(): string {
  return (os.loadavg()[0] ?? 0).toFixed(1);
}

function rounded(value: number): string {
  return Math.round(value).toLocaleString('en');
}

function ratio(value: number, limit: number): string {
  return limit > 0 ? (value / limit).toFixed(2) : 'n/a';
}

async function main(): Promise<void> {
  const benchStarted = Date.now();
  const tag = `s${Date.now().toString(36)}`;
  const bodies = stormBodies(STORM, HOSTS, tag);
  console.log(
    `storm: ${STORM.toLocaleString('en')} single-alert webhooks, ${HOSTS} hosts, one 30-minute window, ${CLIENTS} clients`,
  );

  // Limits first, on an idle machine.
  const none = { sent: 0, accepted: 0, seconds: 0, segments: [], p50Ms: 0, p99Ms: 0, complete: false };
  const noCannon = { requestsPerSecond: 0, p50Ms: 0, p99Ms: 0, non2xx: 0, errors: 0 };
  let bareStorm: StormRun = none;
  let bareCannon = noCannon;
  let insert = { perSecond: 0, alerts: 0 };
  if (PHASES.has('limits')) {
    const bare = await startBareServer();
    bareStorm = await storm(bare.url, bodies, CLIENTS, PHASE_SECONDS);
    bareCannon = await singleAlertLoad(bare.url, `${tag}-bare`);
    notePeak('bare http server', bare.child.pid);
    await bare.stop();
    console.log(
      `limit, bare Node.js HTTP server: ${rounded(bareStorm.sent / bareStorm.seconds)} requests/s (storm client); autocannon ${rounded(bareCannon.requestsPerSecond)} requests/s, p50 ${bareCannon.p50Ms} ms, p99 ${bareCannon.p99Ms} ms`,
    );
    insert = await postgresInsertLimit(bodies);
    console.log(
      `limit, PostgreSQL inserting the storm's rows (alert store statement, 500 a transaction): ${rounded(insert.perSecond)} alerts/s`,
    );
  }
  const bareRate = bareStorm.seconds > 0 ? bareStorm.sent / bareStorm.seconds : 0;

  // The platform: the storm curve.
  const noStages = stageBreakdown(
    { transactions: 0, alerts: 0, seconds: {} },
    { transactions: 0, alerts: 0, seconds: {} },
    0,
  );
  const skipped = { run: none, cannon: noCannon, stormStages: noStages, cannonStages: noStages };
  const webhook = !(PHASES.has('storm') || PHASES.has('cannon'))
    ? skipped
    : await withDatabase(async (url) => {
        const rampart = await startRampart(url, { SOAR_ROLES: 'api' });
        try {
          const atStart = await stageTotals(rampart.url);
          const run = PHASES.has('storm') ? await storm(rampart.url, bodies, CLIENTS, STORM_SECONDS) : none;
          notePeak('rampart api (storm)', rampart.child.pid);
          const afterStorm = await stageTotals(rampart.url);
          const cannon = PHASES.has('cannon')
            ? await singleAlertLoad(rampart.url, `${tag}-cannon`)
            : noCannon;
          notePeak('rampart api (storm, then autocannon)', rampart.child.pid);
          const afterCannon = await stageTotals(rampart.url);
          return {
            run,
            cannon,
            stormStages: stageBreakdown(atStart, afterStorm, run.seconds),
            cannonStages: stageBreakdown(
              afterStorm,
              afterCannon,
              PHASES.has('cannon') ? AUTOCANNON_SECONDS : 0,
            ),
          };
        } finally {
          await rampart.stop();
        }
      });
  const curve = webhook.run.segments;
  const stormRate = webhook.run.seconds > 0 ? webhook.run.sent / webhook.run.seconds : 0;
  if (!PHASES.has('storm')) console.log('storm: skipped (BENCH_PHASES)');
  else {
    console.log(
      `storm curve, alerts/s per successive ${SEGMENT.toLocaleString('en')} alerts (load: ${loadAverage()}):`,
    );
    curve.forEach((rate, index) =>
      console.log(`  ${((index + 1) * SEGMENT).toLocaleString('en').padStart(8)}: ${rounded(rate)}`),
    );
    console.log(
      `storm: ${webhook.run.sent.toLocaleString('en')} of ${STORM.toLocaleString('en')} alerts in ${webhook.run.seconds.toFixed(1)} s` +
        `${webhook.run.complete ? '' : ` (stopped at the ${STORM_SECONDS} s deadline)`}, ${rounded(stormRate)} alerts/s, ` +
        `p50 ${webhook.run.p50Ms.toFixed(0)} ms, p99 ${webhook.run.p99Ms.toFixed(0)} ms; ` +
        `${webhook.run.complete ? 'last' : `last completed (${curve.length} of 10)`}/first segment ` +
        `${curve.length > 1 ? ratio(curve[curve.length - 1] as number, curve[0] as number) : 'n/a'}`,
    );
    console.log(
      `  ratio to the bare HTTP server: ${ratio(stormRate, bareRate)}; to PostgreSQL's insert rate: ${ratio(stormRate, insert.perSecond)}`,
    );
    console.log(describeStages(webhook.stormStages));
  }
  if (!PHASES.has('cannon')) console.log('single-alert webhooks: skipped (BENCH_PHASES)');
  else {
    console.log(
      `single-alert webhooks, autocannon ${CLIENTS} connections ${AUTOCANNON_SECONDS} s (load: ${loadAverage()}): ${rounded(webhook.cannon.requestsPerSecond)} requests/s, ` +
        `p50 ${webhook.cannon.p50Ms} ms, p99 ${webhook.cannon.p99Ms} ms (non-2xx ${webhook.cannon.non2xx}); ratio to the bare server ${ratio(webhook.cannon.requestsPerSecond, bareCannon.requestsPerSecond)}`,
    );
    console.log(describeStages(webhook.cannonStages));
  }

  let oneHost: StormRun = none;
  let oneHostStages: ReturnType<typeof stageBreakdown> | null = null;
  if (PHASES.has('onehost')) {
    oneHost = await withDatabase(async (url) => {
      const rampart = await startRampart(url, { SOAR_ROLES: 'api' });
      try {
        const atStart = await stageTotals(rampart.url);
        const run = await storm(rampart.url, stormBodies(ONE_HOST, 1, `${tag}-one`), CLIENTS, PHASE_SECONDS);
        notePeak('rampart api (one-host storm)', rampart.child.pid);
        oneHostStages = stageBreakdown(atStart, await stageTotals(rampart.url), run.seconds);
        return run;
      } finally {
        await rampart.stop();
      }
    });
  }
  const oneHostRate = oneHost.seconds > 0 ? oneHost.sent / oneHost.seconds : 0;
  if (!PHASES.has('onehost')) console.log('one-host storm: skipped (BENCH_PHASES)');
  else
    console.log(
      `one-host storm (load: ${loadAverage()}): ${oneHost.sent.toLocaleString('en')} alerts on one host, ${rounded(oneHostRate)} alerts/s` +
        `${oneHost.complete ? '' : ` (stopped at the ${PHASE_SECONDS} s deadline)`}, p99 ${oneHost.p99Ms.toFixed(0)} ms; ratio to the 400-host storm ${ratio(oneHostRate, stormRate)}`,
    );
  if (oneHostStages) console.log(describeStages(oneHostStages));

  let kafkaFigures: Record<string, unknown> = { skipped: true };
  if (process.env.BENCH_KAFKA !== '0' && PHASES.has('kafka'))
    kafkaFigures = await benchKafka(bodies, insert.perSecond);

  notePeak('bench driver', process.pid);
  console.log(
    `peak RSS: ${Object.entries(rss)
      .map(([name, mb]) => `${name} ${mb} MB`)
      .join('; ')}`,
  );
  Object.assign(figures, {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    load: os.loadavg(),
    storm: {
      alerts: STORM,
      hosts: HOSTS,
      clients: CLIENTS,
      ...webhook.run,
      perSecond: stormRate,
      stages: webhook.stormStages,
    },
    limits: {
      bareHttpStormPerSecond: bareRate,
      bareHttpAutocannon: bareCannon,
      postgresInsertPerSecond: insert.perSecond,
    },
    singleAlertWebhook: { ...webhook.cannon, stages: webhook.cannonStages },
    oneHostStorm: { ...oneHost, perSecond: oneHostRate, stages: oneHostStages },
    kafka: kafkaFigures,
    peakRssMb: rss,
    benchSeconds: (Date.now() - benchStarted) / 1000,
  });
  const directory = path.join(ROOT, 'bench', 'results');
  mkdirSync(directory, { recursive: true });
  const file = path.join(directory, `${new Date().toISOString().slice(0, 19).replace(/:/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
  console.log(
    `figures written to ${path.relative(ROOT, file)} (${Math.round((Date.now() - benchStarted) / 1000)} s)`,
  );
}

async function benchKafka(bodies: string[], insertPerSecond: number): Promise<Record<string, unknown>> {
  const kafkaDir = mkdtempSync(path.join(os.tmpdir(), 'rampart-bench-kafka-'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const script = require(path.join(ROOT, 'scripts', 'kafka.js')) as typeof import('../scripts/kafka');
  const broker = await script.startKafka({
    port: await freePort(),
    controllerPort: await freePort(),
    dataDir: kafkaDir,
    fresh: true,
  });
  try {
    const topic = `bench-storm-${Date.now()}`;
    const kafka = new Kafka({
      clientId: 'rampart-bench',
      brokers: [broker.brokers],
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    for (let offset = 0; offset < bodies.length; offset += 1000) {
      await producer.send({
        topic,
        messages: bodies
          .slice(offset, offset + 1000)
          .map((value, index) => ({ key: String(offset + index), value })),
      });
    }
    await producer.disconnect();
    const consumeLimit = await kafkaConsumeLimit(kafka, topic, bodies.length);
    console.log(
      `limit, kafkajs consuming the storm's topic (6 partitions, no processing): ${rounded(consumeLimit)} records/s`,
    );

    // One ingestor, then two in one consumer group (each its own process, 3 partitions each), each
    // time on a fresh database draining the whole topic from the start.
    const drain = (ingestors: number) =>
      withDatabase(async (url) => {
        const db = new Client({ connectionString: url });
        await db.connect();
        const groupId = `bench-${ingestors}-${Date.now()}`;
        const processes: Child[] = [];
        try {
          for (let index = 0; index < ingestors; index++) {
            processes.push(
              await startRampart(url, {
                SOAR_ROLES: 'ingestor',
                KAFKA_BROKERS: broker.brokers,
                KAFKA_ALERTS_TOPIC: topic,
                KAFKA_GROUP_ID: groupId,
              }),
            );
          }
          const atStart = await Promise.all(processes.map((child) => stageTotals(child.url)));
          // Timed from the first stored alert: start-up and joining the group are not throughput.
          let first: bigint | null = null;
          let firstCount = 0;
          let stored = 0;
          const deadline = Date.now() + PHASE_SECONDS * 1000;
          while (stored < bodies.length && Date.now() < deadline) {
            const [row] = (await db.query('SELECT count(*)::int AS n FROM alert')).rows as { n: number }[];
            stored = row?.n ?? 0;
            if (first === null && stored > 0) {
              first = process.hrtime.bigint();
              firstCount = stored;
            }
            processes.forEach((child, index) =>
              notePeak(
                ingestors === 1 ? 'rampart ingestor' : `rampart ingestor ${index + 1} of 2`,
                child.child.pid,
              ),
            );
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
          const seconds = Number(process.hrtime.bigint() - (first ?? process.hrtime.bigint())) / 1e9;
          const stages = await Promise.all(
            processes.map(async (child, index) =>
              stageBreakdown(atStart[index]!, await stageTotals(child.url), seconds),
            ),
          );
          return {
            ingestors,
            stored,
            perSecond: (stored - firstCount) / (seconds || 1),
            complete: stored >= bodies.length,
            load: loadAverage(),
            stages,
          };
        } finally {
          for (const child of processes) await child.stop();
          await db.end();
        }
      });
    const describe = (intake: Awaited<ReturnType<typeof drain>>) => {
      console.log(
        `kafka intake (load: ${intake.load}): ${rounded(intake.perSecond)} alerts/s stored and correlated (${intake.stored.toLocaleString('en')} alerts` +
          `${intake.complete ? '' : `, stopped at the ${PHASE_SECONDS} s deadline`}, ${intake.ingestors === 1 ? 'one ingestor' : `${intake.ingestors} ingestors`}); ratio to kafkajs consume-only ${ratio(intake.perSecond, consumeLimit)}, ` +
          `to PostgreSQL's insert rate ${ratio(intake.perSecond, insertPerSecond)}`,
      );
      for (const stages of intake.stages) console.log(describeStages(stages));
    };
    const intake = await drain(1);
    describe(intake);
    let twoIngestors: Awaited<ReturnType<typeof drain>> | null = null;
    if (PHASES.has('kafka2')) {
      twoIngestors = await drain(2);
      describe(twoIngestors);
      console.log(`  two ingestors / one: ${ratio(twoIngestors.perSecond, intake.perSecond)}`);
    }
    notePeak('kafka broker (JVM)', broker.pid);
    return { consumeOnlyPerSecond: consumeLimit, ...intake, twoIngestors };
  } finally {
    await broker.stop();
    rmSync(kafkaDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
