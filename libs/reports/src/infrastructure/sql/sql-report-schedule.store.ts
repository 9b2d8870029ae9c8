import { Injectable } from '@nestjs/common';

import { SqlExecutor } from '@rampart/database';

import {
  type ReportSchedule,
  type ReportScheduleDefinition,
  ReportScheduleStore,
  type ScheduleRun,
} from '../../application/report-schedule-store';

const SCHEDULE = `id::text AS id, name, kind, format, cron, timezone, to_directory AS "toDirectory",
  webhook_url AS "webhookUrl", enabled, source,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "createdAt",
  to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "updatedAt"`;

const RUN = `schedule_id::text AS "scheduleId",
  to_char(period_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "periodStart",
  to_char(period_end AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "periodEnd",
  claimed_by AS "claimedBy", state, attempts, report_id::text AS "reportId", delivery, error`;

@Injectable()
export class SqlReportScheduleStore extends ReportScheduleStore {
  constructor(private readonly sql: SqlExecutor) {
    super();
  }

  list(): Promise<ReportSchedule[]> {
    return this.sql.query<ReportSchedule>(`SELECT ${SCHEDULE} FROM report_schedule ORDER BY name`);
  }

  async lockForFile(sql: SqlExecutor): Promise<void> {
    await sql.query(`SELECT pg_advisory_xact_lock(hashtext('rampart:report-schedules-file'))`);
  }

  async findByName(name: string, sql: SqlExecutor = this.sql): Promise<ReportSchedule | null> {
    const [row] = await sql.query<ReportSchedule>(
      `SELECT ${SCHEDULE} FROM report_schedule WHERE name = $1 FOR UPDATE`,
      [name],
    );
    return row ?? null;
  }

  async insert(
    sql: SqlExecutor,
    definition: ReportScheduleDefinition,
    source: 'api' | 'file',
  ): Promise<ReportSchedule | null> {
    const [row] = await sql.query<ReportSchedule>(
      `INSERT INTO report_schedule (name, kind, format, cron, timezone, to_directory, webhook_url, enabled, source, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, clock_timestamp())
       ON CONFLICT ON CONSTRAINT uq_report_schedule_name DO NOTHING
       RETURNING ${SCHEDULE}`,
      [...parameters(definition), source],
    );
    return row ?? null;
  }

  async update(
    sql: SqlExecutor,
    definition: ReportScheduleDefinition,
    source: 'api' | 'file',
  ): Promise<ReportSchedule> {
    const [row] = await sql.query<ReportSchedule>(
      `UPDATE report_schedule
          SET kind = $2, format = $3, cron = $4, timezone = $5, to_directory = $6, webhook_url = $7, enabled = $8,
              source = $9, updated_at = clock_timestamp()
        WHERE name = $1
       RETURNING ${SCHEDULE}`,
      [...parameters(definition), source],
    );
    return row as ReportSchedule;
  }

  async delete(sql: SqlExecutor, name: string): Promise<ReportSchedule | null> {
    const [row] = await sql.query<ReportSchedule>(
      `DELETE FROM report_schedule WHERE name = $1 RETURNING ${SCHEDULE}`,
      [name],
    );
    return row ?? null;
  }

  async claim(
    scheduleId: string,
    period: { start: Date; end: Date },
    holder: string,
    staleAfterMs: number,
  ): Promise<boolean> {
    const rows = await this.sql.query(
      `INSERT INTO report_schedule_run (schedule_id, period_start, period_end, claimed_by)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT ON CONSTRAINT pk_report_schedule_run DO UPDATE
          SET claimed_by = EXCLUDED.claimed_by, claimed_at = clock_timestamp(),
              attempts = report_schedule_run.attempts + 1
        WHERE report_schedule_run.state = 'running'
          AND report_schedule_run.claimed_at < clock_timestamp() - make_interval(secs => $5::double precision / 1000)
       RETURNING schedule_id`,
      [scheduleId, period.start, period.end, holder, staleAfterMs],
    );
    return rows.length === 1;
  }

  async finish(
    sql: SqlExecutor,
    scheduleId: string,
    periodEnd: Date,
    outcome: Pick<ScheduleRun, 'state' | 'reportId' | 'delivery' | 'error'>,
  ): Promise<void> {
    await sql.query(
      `UPDATE report_schedule_run
          SET state = $3, report_id = $4, delivery = $5::jsonb, error = $6, finished_at = clock_timestamp()
        WHERE schedule_id = $1 AND period_end = $2`,
      [
        scheduleId,
        periodEnd,
        outcome.state,
        outcome.reportId,
        JSON.stringify(outcome.delivery),
        outcome.error,
      ],
    );
  }

  runs(scheduleId: string, limit: number): Promise<ScheduleRun[]> {
    return this.sql.query<ScheduleRun>(
      `SELECT ${RUN} FROM report_schedule_run WHERE schedule_id = $1
        ORDER BY report_schedule_run.period_end DESC LIMIT $2`,
      [scheduleId, limit],
    );
  }
}

function parameters(definition: ReportScheduleDefinition): unknown[] {
  return [
    definition.name,
    definition.kind,
    definition.format,
    definition.cron,
    definition.timezone,
    definition.toDirectory,
    definition.webhookUrl,
    definition.enabled,
  ];
}
