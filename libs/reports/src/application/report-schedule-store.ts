import type { SqlExecutor } from '@rampart/database';

import type { ReportFormat, ReportKind } from '../domain/report-kind';

export interface ReportScheduleDefinition {
  name: string;
  kind: ReportKind;
  format: ReportFormat;
  cron: string;
  timezone: string;
  /** Write each export under REPORT_EXPORT_DIR/<name>/. */
  toDirectory: boolean;
  /** POST each export there (with retries). */
  webhookUrl: string | null;
  enabled: boolean;
}

export interface ReportSchedule extends ReportScheduleDefinition {
  id: string;
  source: 'api' | 'file';
  createdAt: string;
  updatedAt: string;
}

export interface ScheduleRun {
  scheduleId: string;
  periodStart: string;
  periodEnd: string;
  claimedBy: string;
  state: 'running' | 'succeeded' | 'failed';
  attempts: number;
  reportId: string | null;
  delivery: Record<string, unknown>;
  error: string | null;
}

export abstract class ReportScheduleStore {
  abstract list(): Promise<ReportSchedule[]>;
  /** Holds, until `sql`'s transaction ends, the right to apply REPORT_SCHEDULES_FILE (one replica at a time). */
  abstract lockForFile(sql: SqlExecutor): Promise<void>;
  abstract findByName(name: string, sql?: SqlExecutor): Promise<ReportSchedule | null>;
  /** null when the name is taken. */
  abstract insert(
    sql: SqlExecutor,
    definition: ReportScheduleDefinition,
    source: 'api' | 'file',
  ): Promise<ReportSchedule | null>;
  abstract update(
    sql: SqlExecutor,
    definition: ReportScheduleDefinition,
    source: 'api' | 'file',
  ): Promise<ReportSchedule>;
  abstract delete(sql: SqlExecutor, name: string): Promise<ReportSchedule | null>;
  /**
   * Claims the schedule's run for the period ending at `period.end`: true for exactly one caller
   * across replicas (the run's primary key), or for a caller taking over a run left `running` by
   * a replica that died more than `staleAfterMs` ago.
   */
  abstract claim(
    scheduleId: string,
    period: { start: Date; end: Date },
    holder: string,
    staleAfterMs: number,
  ): Promise<boolean>;
  abstract finish(
    sql: SqlExecutor,
    scheduleId: string,
    periodEnd: Date,
    outcome: Pick<ScheduleRun, 'state' | 'reportId' | 'delivery' | 'error'>,
  ): Promise<void>;
  abstract runs(scheduleId: string, limit: number): Promise<ScheduleRun[]>;
}
