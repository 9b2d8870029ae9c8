import { Injectable, Logger } from '@nestjs/common';

import { AuditTrail, systemActor } from '@rampart/audit';
import { TransactionRunner } from '@rampart/database';

import { latestPeriod } from '../domain/schedule-period';
import { GenerateReportUseCase } from './generate-report.use-case';
import { ExportDirectory, ReportWebhook } from './report-delivery';
import { type ReportSchedule, ReportScheduleStore } from './report-schedule-store';
import type { ReportView } from './report-store';

export interface WebhookRetry {
  /** Pauses before the second, third... attempt. */
  delaysMs: number[];
}

export const DEFAULT_WEBHOOK_RETRY: WebhookRetry = { delaysMs: [2_000, 10_000, 30_000] };
/** A run still `running` this long after its claim belongs to a replica that died: taken over. */
const STALE_RUN_MS = 15 * 60_000;
const ACTOR = systemActor('report-scheduler');

/**
 * One pass of the scheduler: for each enabled schedule, the period its latest firing covers is
 * claimed (once across all replicas), its report generated, written to the export directory and/or
 * POSTed to the webhook (with retries), and the export audited with where it went.
 */
@Injectable()
export class RunDueSchedulesUseCase {
  private readonly logger = new Logger('ReportScheduler');
  retry: WebhookRetry = DEFAULT_WEBHOOK_RETRY;

  constructor(
    private readonly schedules: ReportScheduleStore,
    private readonly generate: GenerateReportUseCase,
    private readonly directory: ExportDirectory,
    private readonly webhook: ReportWebhook,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditTrail,
  ) {}

  /** Answers how many periods this replica ran. */
  async execute(holder: string, now: Date = new Date()): Promise<number> {
    let ran = 0;
    for (const schedule of await this.schedules.list()) {
      if (!schedule.enabled) continue;
      const period = latestPeriod(schedule.cron, schedule.timezone, now);
      // A schedule created after its latest firing starts with the next one.
      if (period.end.getTime() < Date.parse(schedule.createdAt)) continue;
      if (!(await this.schedules.claim(schedule.id, period, holder, STALE_RUN_MS))) continue;
      ran += 1;
      await this.run(schedule, period);
    }
    return ran;
  }

  private async run(schedule: ReportSchedule, period: { start: Date; end: Date }): Promise<void> {
    let report: ReportView | undefined;
    const delivery: Record<string, unknown> = {};
    let error: string | null = null;
    try {
      report = await this.generate.execute({
        kind: schedule.kind,
        format: schedule.format,
        from: period.start,
        to: period.end,
        scheduleId: schedule.id,
        actor: ACTOR,
      });
      const content = (await this.generate.content(report.id)) as Buffer;
      const fileName = `${period.end.toISOString().replaceAll(':', '')}-${report.fileName}`;
      if (schedule.toDirectory) delivery.file = await this.directory.write(schedule.name, fileName, content);
      if (schedule.webhookUrl) {
        delivery.webhook = await this.postWithRetries(schedule.webhookUrl, report, content);
        const result = delivery.webhook as { delivered: boolean; error?: string };
        if (!result.delivered) error = `webhook: ${result.error ?? 'not delivered'}`;
      }
    } catch (failure) {
      error = failure instanceof Error ? failure.message : String(failure);
    }
    const state = error === null ? 'succeeded' : 'failed';
    if (error !== null)
      this.logger.warn(`schedule ${schedule.name}, period to ${period.end.toISOString()}: ${error}`);
    await this.transactions.run(async (sql) => {
      await this.schedules.finish(sql, schedule.id, period.end, {
        state,
        reportId: report?.id ?? null,
        delivery,
        error,
      });
      await this.audit.record(sql, {
        action: state === 'succeeded' ? 'report.exported' : 'report.export_failed',
        target: { type: 'report', id: report?.id ?? null, name: report?.fileName ?? schedule.name },
        after: {
          schedule: schedule.name,
          period: { from: period.start.toISOString(), to: period.end.toISOString() },
          delivery,
          sha256: report?.sha256 ?? null,
          checkpoint: report ? { seq: report.checkpoint.seq, hash: report.checkpoint.hash } : null,
          error,
        },
        actor: ACTOR,
      });
    });
  }

  private async postWithRetries(
    url: string,
    report: ReportView,
    content: Buffer,
  ): Promise<{ delivered: boolean; attempts: number; status?: number; error?: string }> {
    let last: { status?: number; error?: string } = {};
    const attempts = this.retry.delaysMs.length + 1;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      try {
        const status = await this.webhook.post(url, report, content);
        if (status >= 200 && status < 300) return { delivered: true, attempts: attempt, status };
        last = { status, error: `answered ${status}` };
        // A 4xx other than 408 and 429 will not change by asking again.
        if (status >= 400 && status < 500 && status !== 408 && status !== 429) break;
      } catch (failure) {
        last = { error: failure instanceof Error ? failure.message : String(failure) };
      }
      const delay = this.retry.delaysMs[attempt - 1];
      if (delay !== undefined && attempt < attempts)
        await new Promise((resolve) => setTimeout(resolve, delay));
    }
    return { delivered: false, attempts, ...last };
  }
}
