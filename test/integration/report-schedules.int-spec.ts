import { createServer, type Server } from 'node:http';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ConsoleLogger } from '@nestjs/common';
import request from 'supertest';

import { AppConfig } from '@rampart/config';
import { ReportScheduler, RunDueSchedulesUseCase } from '@rampart/reports';

import { type RunningRampart, startRampart } from '../../apps/api/src/bootstrap';
import { eventually } from '../support/connector-support';
import { TEST_MASTER_KEY } from '../support/rampart-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

// Two replicas of the scheduler on one database: every period of a schedule is exported exactly
// once (one report, one file, one webhook delivery, one audit entry), whoever claims it.
const ADMIN_KEY = 'rk_schedules_admin_key_000000000000000';
const SIGNING_KEY = 'e'.repeat(64);
let db: TestDatabase;
let exportDir: string;
const dataDirs: string[] = [];
const replicas: RunningRampart[] = [];
let webhook: Server;
let webhookUrl: string;
const received: { reportId: string; sha256: string; checkpoint: string }[] = [];
let refuseNext = 1;

beforeAll(async () => {
  db = await createTestDatabase('schedules');
  exportDir = mkdtempSync(path.join(os.tmpdir(), 'rampart-exports-'));
  webhook = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      // The first delivery fails once: the scheduler retries it.
      if (refuseNext > 0) {
        refuseNext -= 1;
        res.writeHead(503).end();
        return;
      }
      received.push({
        reportId: String(req.headers['x-rampart-report-id']),
        sha256: String(req.headers['x-rampart-report-sha256']),
        checkpoint: String(req.headers['x-rampart-audit-checkpoint']),
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
  webhookUrl = `http://127.0.0.1:${(webhook.address() as { port: number }).port}/exports`;
  for (let replica = 0; replica < 2; replica += 1) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), `rampart-replica-${replica}-`));
    dataDirs.push(dataDir);
    const config = AppConfig.fromEnvironment({
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: db.url,
      SOAR_DATA_DIR: dataDir,
      SOAR_ADMIN_API_KEY: ADMIN_KEY,
      SOAR_MASTER_KEY: TEST_MASTER_KEY,
      SOAR_AUDIT_SIGNING_KEY: SIGNING_KEY,
      SOAR_ROLES: 'api,engine',
      REPORT_EXPORT_DIR: exportDir,
      REPORT_SCHEDULER_INTERVAL: '1s',
    });
    const running = await startRampart(config, new ConsoleLogger({ logLevels: ['error'] }));
    running.app.get(RunDueSchedulesUseCase).retry = { delaysMs: [100, 100] };
    replicas.push(running);
  }
});

afterAll(async () => {
  for (const replica of replicas) await replica.stop();
  await new Promise((resolve) => webhook?.close(resolve));
  await db?.drop();
  for (const dir of [exportDir, ...dataDirs]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('scheduled exports with two scheduler replicas', () => {
  it('exports each period exactly once, to the directory and the webhook, audited', async () => {
    const [first] = replicas;
    await request(first?.app.getHttpServer())
      .post('/api/v1/report-schedules')
      .set({ Authorization: `Bearer ${ADMIN_KEY}` })
      .send({
        name: 'every-2s',
        kind: 'containment_register',
        format: 'csv',
        cron: '*/2 * * * * *',
        webhookUrl,
      })
      .expect(201);
    // Both replicas' schedulers tick every second (the lease holder runs). Drive the claim path of
    // both replicas at once as well, as two lease holders overlapping would.
    await eventually(async () => {
      await Promise.all(
        replicas.map((replica, index) =>
          replica.app.get(RunDueSchedulesUseCase).execute(`test-replica-${index}`),
        ),
      );
      const [row] = await db.query<{ done: number }>(
        `SELECT count(*)::int AS done FROM report_schedule_run WHERE state = 'succeeded'`,
      );
      return (row?.done ?? 0) >= 4 ? true : undefined;
    }, 60_000);
    for (const replica of replicas) await replica.app.get(ReportScheduler).onApplicationShutdown();

    const runs = await db.query<{
      period_end: Date;
      report_id: string | null;
      claimed_by: string;
      state: string;
    }>(`SELECT period_end, report_id::text, claimed_by, state FROM report_schedule_run ORDER BY period_end`);
    expect(runs.every((run) => run.state === 'succeeded')).toBe(true);
    const reports = await db.query<{ id: string }>(
      `SELECT id::text FROM report WHERE schedule_id IS NOT NULL`,
    );
    expect(reports.map((report) => report.id).sort()).toEqual(runs.map((run) => run.report_id).sort());
    // One file per period, named by the period's end.
    const files = readdirSync(path.join(exportDir, 'every-2s')).filter((file) => !file.endsWith('.partial'));
    expect(files).toHaveLength(runs.length);
    expect(new Set(files.map((file) => file.slice(0, 17))).size).toBe(runs.length);
    // One delivery per report, after a retry of the first; each carries the signed checkpoint.
    expect(received.map((delivery) => delivery.reportId).sort()).toEqual(
      reports.map((report) => report.id).sort(),
    );
    const checkpoint = JSON.parse(Buffer.from(received[0]?.checkpoint ?? '', 'base64').toString('utf8'));
    expect(checkpoint).toMatchObject({ seq: expect.any(Number), signature: expect.any(String) });
    const exported = await db.query(`SELECT 1 FROM audit_entry WHERE action = 'report.exported'`);
    expect(exported).toHaveLength(runs.length);
    const verification = await request(first?.app.getHttpServer())
      .get('/api/v1/audit/verify')
      .set({ Authorization: `Bearer ${ADMIN_KEY}` })
      .expect(200);
    expect(verification.body).toMatchObject({ valid: true });
  });
});
