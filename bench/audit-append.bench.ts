/**
 * `npm run bench:audit`: what the audit trail costs a transaction, with concurrent writers.
 * Each transaction updates one row of its writer (the change being recorded), with and without an
 * audit entry appended last. The chain head is locked from the append to the commit, so appends
 * serialize: the figures show how far that caps throughput and stretches latency as writers grow.
 * On a fresh database of the PostgreSQL at 127.0.0.1:5432 (BENCH_PG_URL to choose another).
 */
import 'reflect-metadata';

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ConsoleLogger } from '@nestjs/common';
import { Client } from 'pg';

import { AuditTrail } from '@rampart/audit';
import { AppConfig } from '@rampart/config';
import { TransactionRunner } from '@rampart/database';

import { startRampart } from '../apps/api/src/bootstrap';

const TRANSACTIONS_PER_WRITER = Number(process.env.BENCH_AUDIT_TRANSACTIONS ?? 300);
const WRITERS = [1, 4, 8];

interface Figures {
  perSecond: number;
  p50Ms: number;
  p95Ms: number;
}

async function main(): Promise<void> {
  const adminUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `rampart_bench_audit_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rampart-bench-audit-'));
  try {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const config = AppConfig.fromEnvironment({
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: url.toString(),
      SOAR_DATA_DIR: dataDir,
      SOAR_ADMIN_API_KEY: `rk_bench_${randomBytes(24).toString('base64url')}`,
      SOAR_MASTER_KEY: 'b'.repeat(64),
      SOAR_ROLES: 'api',
    });
    const rampart = await startRampart(config, new ConsoleLogger({ logLevels: ['error'] }));
    try {
      const transactions = rampart.app.get(TransactionRunner);
      const audit = rampart.app.get(AuditTrail);
      const bench = new Client({ connectionString: url.toString() });
      await bench.connect();
      await bench.query(`CREATE TABLE bench_counter (writer int PRIMARY KEY, value int NOT NULL)`);
      await bench.query(`INSERT INTO bench_counter SELECT g, 0 FROM generate_series(0, 63) g`);
      await bench.end();
      console.log(
        `audit append cost, ${TRANSACTIONS_PER_WRITER} transactions per writer (pool of 10 connections)`,
      );
      console.log('writers | without audit: tx/s  p50  p95 | with audit: tx/s  p50  p95');
      for (const writers of WRITERS) {
        const plain = await run(writers, async (writer) =>
          transactions.run(async (sql) => {
            await sql.query(`UPDATE bench_counter SET value = value + 1 WHERE writer = $1`, [writer]);
          }),
        );
        const audited = await run(writers, async (writer) =>
          transactions.run(async (sql) => {
            await sql.query(`UPDATE bench_counter SET value = value + 1 WHERE writer = $1`, [writer]);
            await audit.record(sql, {
              action: 'bench.updated',
              target: { type: 'bench_counter', id: String(writer) },
              before: { value: 'n' },
              after: { value: 'n+1' },
              actor: { kind: 'system', id: null, name: 'bench' },
            });
          }),
        );
        console.log(
          `${String(writers).padStart(7)} | ${format(plain)} | ${format(audited)}  (${Math.round((100 * audited.perSecond) / plain.perSecond)}% of the throughput)`,
        );
      }
    } finally {
      await rampart.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function run(writers: number, transaction: (writer: number) => Promise<void>): Promise<Figures> {
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (let index = 0; index < TRANSACTIONS_PER_WRITER; index += 1) {
        const begun = performance.now();
        await transaction(writer);
        latencies.push(performance.now() - begun);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (fraction: number) => latencies[Math.floor(fraction * (latencies.length - 1))] as number;
  return { perSecond: latencies.length / seconds, p50Ms: at(0.5), p95Ms: at(0.95) };
}

function format(figures: Figures): string {
  return `${figures.perSecond.toFixed(0).padStart(6)} ${figures.p50Ms.toFixed(1).padStart(5)}ms ${figures.p95Ms.toFixed(1).padStart(5)}ms`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
