import { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS = `'incident_metrics', 'containment_register', 'audit_integrity', 'access_review', 'audit_trail'`;
const FORMATS = `'html', 'pdf', 'csv', 'json', 'ndjson'`;

/**
 * Generated reports (their bytes, hash and the signed audit checkpoint they carry), report
 * schedules (cron, from the API or REPORT_SCHEDULES_FILE), and one run per schedule and period:
 * its primary key is the claim that makes a period run once across any number of replicas.
 */
export class ReportsAndSchedules1765200000001 implements MigrationInterface {
  name = 'ReportsAndSchedules1765200000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE report_schedule (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN (${KINDS})),
        format text NOT NULL CHECK (format IN (${FORMATS})),
        cron text NOT NULL,
        timezone text NOT NULL DEFAULT 'UTC',
        to_directory boolean NOT NULL DEFAULT true,
        webhook_url text,
        enabled boolean NOT NULL DEFAULT true,
        source text NOT NULL DEFAULT 'api' CHECK (source IN ('api', 'file')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_report_schedule_name UNIQUE (name)
      )`);

    await queryRunner.query(`
      CREATE TABLE report (
        id uuid PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN (${KINDS})),
        format text NOT NULL CHECK (format IN (${FORMATS})),
        period_from timestamptz NOT NULL,
        period_to timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        requested_by text NOT NULL,
        schedule_id uuid,
        file_name text NOT NULL,
        content_type text NOT NULL,
        size_bytes integer NOT NULL,
        sha256 text NOT NULL,
        checkpoint jsonb NOT NULL,
        content bytea NOT NULL,
        CONSTRAINT fk_report_schedule FOREIGN KEY (schedule_id) REFERENCES report_schedule (id) ON DELETE SET NULL
      )`);
    await queryRunner.query(`CREATE INDEX ix_report_created ON report (created_at DESC, id DESC)`);

    await queryRunner.query(`
      CREATE TABLE report_schedule_run (
        schedule_id uuid NOT NULL,
        period_end timestamptz NOT NULL,
        period_start timestamptz NOT NULL,
        claimed_by text NOT NULL,
        claimed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        state text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'succeeded', 'failed')),
        attempts integer NOT NULL DEFAULT 1,
        report_id uuid,
        delivery jsonb NOT NULL DEFAULT '{}',
        error text,
        finished_at timestamptz,
        CONSTRAINT pk_report_schedule_run PRIMARY KEY (schedule_id, period_end),
        CONSTRAINT fk_report_schedule_run_schedule FOREIGN KEY (schedule_id)
          REFERENCES report_schedule (id) ON DELETE CASCADE,
        CONSTRAINT fk_report_schedule_run_report FOREIGN KEY (report_id) REFERENCES report (id) ON DELETE SET NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS report_schedule_run`);
    await queryRunner.query(`DROP TABLE IF EXISTS report`);
    await queryRunner.query(`DROP TABLE IF EXISTS report_schedule`);
  }
}
