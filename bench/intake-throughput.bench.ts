/**
 * `npm run bench`: intake throughput on this machine.
 *  1. normalization alone (pure): mixed-format alerts per second;
 *  2. end to end over HTTP: alerts per second stored and correlated into incidents, on a fresh
 *     database of the PostgreSQL at 127.0.0.1:5432 (BENCH_PG_URL to choose another);
 *  3. end to end over Kafka: a backlog on a 6-partition topic drained by one ingestor, on a broker
 *     that scripts/kafka.js starts on free ports (BENCH_KAFKA=0 skips it).
 * Prints figures and the ratio of the two; no pass/fail threshold lives here.
 */
import 'reflect-metadata';

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ConsoleLogger } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';

import { ALERT_FORMATS, alertIdentity, buildSampleAlert, normalizeAlert } from '@rampart/alerts';
import { AppConfig } from '@rampart/config';

import { startRampart } from '../apps/api/src/bootstrap';
import { freePort } from '../test/support/free-port';
import { withBenchDatabase } from './bench-database';

const NORMALIZE_COUNT = 60_000;
const HTTP_COUNT = Number(process.env.BENCH_ALERTS ?? 20_000);
const BATCH = 500;
const CONCURRENCY = 4;
const KAFKA_COUNT = Number(process.env.BENCH_KAFKA_ALERTS ?? 30_000);

function sampleAlerts(count: number, tag: string): unknown[] {
  const start = Date.parse('2026-11-01T00:00:00Z');
  return Array.from({ length: count }, (_, index) => {
    // BENCH_SHAPE=one-host: an alert storm on a single host (one ever-growing incident).
    const group = process.env.BENCH_SHAPE === 'one-host' ? 0 : Math.floor(index / 50);
    return buildSampleAlert(ALERT_FORMATS[index % ALERT_FORMATS.length] as (typeof ALERT_FORMATS)[number], {
      id: `${tag}-${index}`,
      title: `bench alert ${index}`,
      time: new Date(start + group * 3_600_000 + (index % 50) * 10_000),
      host: `bench-host-${group}`,
      srcIp: `198.18.${(group >> 8) & 255}.${group & 255}`,
      user: `user-${group}`,
      severity: 'medium',
    });
  });
}

function benchNormalize(): number {
  const inputs = sampleAlerts(NORMALIZE_COUNT, 'norm').map((alert) =>
    typeof alert === 'string' ? alert : JSON.parse(JSON.stringify(alert)),
  );
  const started = process.hrtime.bigint();
  let ok = 0;
  for (const input of inputs) {
    const result = normalizeAlert(input);
    if (result.ok && alertIdentity(result.alert)) ok += 1;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (ok !== inputs.length) throw new Error(`only ${ok} of ${inputs.length} normalized`);
  return inputs.length / seconds;
}

async function benchHttp(): Promise<{ perSecond: number; incidents: number; p95BatchMs: number }> {
  return withBenchDatabase(async (databaseUrl) => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rampart-bench-'));
    const adminKey = `rk_bench_${randomBytes(24).toString('base64url')}`;
    const config = AppConfig.fromEnvironment({
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      SOAR_DATA_DIR: dataDir,
      SOAR_ADMIN_API_KEY: adminKey,
      SOAR_MASTER_KEY: 'b'.repeat(64),
      SOAR_ROLES: 'api',
    });
    const rampart = await startRampart(config, new ConsoleLogger({ logLevels: ['error'] }));
    try {
      const bodies: string[] = [];
      const alerts = sampleAlerts(HTTP_COUNT, `http-${Date.now()}`);
      for (let offset = 0; offset < alerts.length; offset += BATCH) {
        bodies.push(JSON.stringify(alerts.slice(offset, offset + BATCH)));
      }
      const durations: number[] = [];
      let next = 0;
      let accepted = 0;
      const started = process.hrtime.bigint();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < bodies.length) {
            const body = bodies[next++] as string;
            const sent = process.hrtime.bigint();
            const response = await fetch(`${rampart.url}/api/v1/alerts`, {
              method: 'POST',
              headers: { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' },
              body,
            });
            const result = (await response.json()) as { accepted?: number };
            if (response.status !== 202) throw new Error(`intake answered ${response.status}`);
            accepted += result.accepted ?? 0;
            durations.push(Number(process.hrtime.bigint() - sent) / 1e6);
          }
        }),
      );
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (accepted !== HTTP_COUNT) throw new Error(`accepted ${accepted} of ${HTTP_COUNT}`);
      const list = await fetch(`${rampart.url}/api/v1/incidents?limit=1`, {
        headers: { Authorization: `Bearer ${adminKey}` },
      });
      const newest = ((await list.json()) as { items: { number: number }[] }).items[0];
      durations.sort((a, b) => a - b);
      return {
        perSecond: HTTP_COUNT / seconds,
        incidents: newest?.number ?? 0,
        p95BatchMs: durations[Math.floor(durations.length * 0.95)] ?? 0,
      };
    } finally {
      await rampart.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
}

async function benchKafka(): Promise<{ perSecond: number; incidents: number; startupSeconds: number }> {
  const kafkaDir = mkdtempSync(path.join(os.tmpdir(), 'rampart-bench-kafka-'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const script = require(
    path.join(__dirname, '..', '..', 'scripts', 'kafka.js'),
  ) as typeof import('../scripts/kafka');
  const broker = await script.startKafka({
    port: await freePort(),
    controllerPort: await freePort(),
    dataDir: kafkaDir,
    fresh: true,
  });
  try {
    const topic = `bench-alerts-${Date.now()}`;
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
    const alerts = sampleAlerts(KAFKA_COUNT, `kafka-${Date.now()}`);
    for (let offset = 0; offset < alerts.length; offset += 1000) {
      await producer.send({
        topic,
        messages: alerts.slice(offset, offset + 1000).map((alert, index) => ({
          key: String(offset + index),
          value: typeof alert === 'string' ? alert : JSON.stringify(alert),
        })),
      });
    }
    await producer.disconnect();

    return await withBenchDatabase(async (databaseUrl) => {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rampart-bench-'));
      const config = AppConfig.fromEnvironment({
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: databaseUrl,
        SOAR_DATA_DIR: dataDir,
        SOAR_ADMIN_API_KEY: `rk_bench_${randomBytes(24).toString('base64url')}`,
        SOAR_MASTER_KEY: 'b'.repeat(64),
        SOAR_ROLES: 'ingestor',
        KAFKA_BROKERS: broker.brokers,
        KAFKA_ALERTS_TOPIC: topic,
        KAFKA_GROUP_ID: `bench-${Date.now()}`,
      });
      const db = new Client({ connectionString: databaseUrl });
      await db.connect();
      const started = process.hrtime.bigint();
      const rampart = await startRampart(config, new ConsoleLogger({ logLevels: ['error'] }));
      try {
        // Timed from the first stored alert: start-up and joining the group are not throughput.
        let first: bigint | null = null;
        let firstCount = 0;
        for (;;) {
          const [row] = (await db.query('SELECT count(*)::int AS n FROM alert')).rows as { n: number }[];
          const stored = row?.n ?? 0;
          if (first === null && stored > 0) {
            first = process.hrtime.bigint();
            firstCount = stored;
          }
          if (stored >= KAFKA_COUNT) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const seconds = Number(process.hrtime.bigint() - (first ?? started)) / 1e9;
        const startupSeconds = Number((first ?? started) - started) / 1e9;
        const [incidents] = (
          await db.query("SELECT count(*)::int AS n FROM incident WHERE status <> 'merged'")
        ).rows as { n: number }[];
        return {
          perSecond: (KAFKA_COUNT - firstCount) / seconds,
          incidents: incidents?.n ?? 0,
          startupSeconds,
        };
      } finally {
        await rampart.stop();
        await db.end();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  } finally {
    await broker.stop();
    rmSync(kafkaDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const normalizePerSecond = benchNormalize();
  console.log(
    `normalize + identity: ${Math.round(normalizePerSecond).toLocaleString('en')} alerts/s (${NORMALIZE_COUNT} mixed-format alerts, one core)`,
  );
  const http = await benchHttp();
  console.log(
    `webhook intake end to end: ${Math.round(http.perSecond).toLocaleString('en')} alerts/s stored and correlated ` +
      `(${HTTP_COUNT} alerts in batches of ${BATCH}, ${CONCURRENCY} concurrent requests; p95 batch ${Math.round(http.p95BatchMs)} ms; ${http.incidents} incidents)`,
  );
  console.log(
    `ratio webhook end to end / normalization alone: ${(http.perSecond / normalizePerSecond).toFixed(3)}`,
  );
  if (process.env.BENCH_KAFKA === '0') return;
  const kafka = await benchKafka();
  console.log(
    `kafka intake end to end: ${Math.round(kafka.perSecond).toLocaleString('en')} alerts/s stored and correlated ` +
      `(a backlog of ${KAFKA_COUNT} alerts on 6 partitions, one ingestor; first alert stored ${kafka.startupSeconds.toFixed(1)} s after start; ${kafka.incidents} incidents)`,
  );
  console.log(`ratio kafka / webhook end to end: ${(kafka.perSecond / http.perSecond).toFixed(2)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
