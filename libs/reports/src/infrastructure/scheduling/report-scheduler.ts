import { readFileSync } from 'node:fs';

import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { parse } from 'yaml';
import { z } from 'zod';

import { AppConfig, ConfigError } from '@rampart/config';
import { JobLease, LeasedPeriodicJob, type PassResult } from '@rampart/database';

import { ManageReportSchedulesUseCase } from '../../application/manage-report-schedules.use-case';
import { RunDueSchedulesUseCase } from '../../application/run-due-schedules.use-case';
import { REPORT_FORMATS, REPORT_KINDS } from '../../domain/report-kind';

export const scheduleDefinition = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/i, 'letters, digits, . _ - (at most 63)'),
  kind: z.enum(REPORT_KINDS),
  format: z.enum(REPORT_FORMATS),
  cron: z
    .string()
    .min(9)
    .max(120)
    .describe('five fields (minute hour day month weekday), or six with seconds'),
  timezone: z.string().min(1).max(64).default('UTC'),
  toDirectory: z.boolean().default(true).describe('write each export under REPORT_EXPORT_DIR/<name>/'),
  webhookUrl: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .nullable()
    .default(null)
    .describe('POST each export here, with retries'),
  enabled: z.boolean().default(true),
});

const schedulesFile = z.strictObject({ schedules: z.array(scheduleDefinition).default([]) });

export const REPORT_SCHEDULER_JOB = 'report-scheduler';

/**
 * The engine role's report scheduler: applies REPORT_SCHEDULES_FILE at start, then every
 * REPORT_SCHEDULER_INTERVAL runs the schedules whose period is due, in the replica holding the
 * `report-scheduler` lease. The lease spares the others the work; exactly-once comes from the
 * claim of each period (RunDueSchedulesUseCase), which holds even when two holders overlap.
 */
@Injectable()
export class ReportScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ReportScheduler');
  private readonly job: LeasedPeriodicJob<number>;

  constructor(
    lease: JobLease,
    private readonly config: AppConfig,
    due: RunDueSchedulesUseCase,
    private readonly manage: ManageReportSchedulesUseCase,
  ) {
    this.job = new LeasedPeriodicJob(lease, {
      name: REPORT_SCHEDULER_JOB,
      intervalMs: config.env.REPORT_SCHEDULER_INTERVAL,
      run: () => due.execute(this.job.holder),
      onError: (error) =>
        this.logger.error(`scheduler pass failed: ${error instanceof Error ? error.message : String(error)}`),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.hasRole('engine')) return;
    const file = this.config.env.REPORT_SCHEDULES_FILE;
    if (file) await this.manage.applyFile(readSchedulesFile(file));
    this.job.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }

  /** One pass now (or the one already running), if this replica holds the lease. */
  runOnce(): Promise<PassResult<number>> {
    return this.job.runOnce();
  }
}

/** The declared schedules; a file that cannot be read or is wrong stops start-up, naming the problem. */
function readSchedulesFile(file: string): z.output<typeof scheduleDefinition>[] {
  let document: unknown;
  try {
    document = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError([
      {
        variable: 'REPORT_SCHEDULES_FILE',
        message: `${file}: ${error instanceof Error ? error.message : String(error)}`,
      },
    ]);
  }
  const parsed = schedulesFile.safeParse(document ?? {});
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: 'REPORT_SCHEDULES_FILE',
        message: `${file}: ${issue.path.join('.')}: ${issue.message}`,
      })),
    );
  }
  return parsed.data.schedules;
}
