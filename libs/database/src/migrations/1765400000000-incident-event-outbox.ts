import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The incident outbox: every change of an incident appends an `incident_event` row in the
 * transaction of the change. `xid` is the writing transaction's id (pg_current_xact_id as a
 * bigint): a reader hands out only events of transactions older than every transaction still
 * running, so an event whose transaction commits late is never skipped. Comments get a table.
 */
export class IncidentEventOutbox1765400000000 implements MigrationInterface {
  name = 'IncidentEventOutbox1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE incident_event (
        seq bigint GENERATED ALWAYS AS IDENTITY,
        xid bigint NOT NULL,
        incident_id uuid NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('created', 'updated', 'merged', 'status_changed', 'severity_changed',
                                           'assignee_changed', 'rule_matched', 'commented')),
        payload jsonb NOT NULL DEFAULT '{}',
        actor text NOT NULL,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT pk_incident_event PRIMARY KEY (seq)
      )`);
    await queryRunner.query(`CREATE INDEX ix_incident_event_xid_seq ON incident_event (xid, seq)`);
    await queryRunner.query(`CREATE INDEX ix_incident_event_incident ON incident_event (incident_id)`);

    await queryRunner.query(`
      CREATE TABLE incident_comment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
        author text NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_incident_comment_incident_created ON incident_comment (incident_id, created_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS incident_comment`);
    await queryRunner.query(`DROP TABLE IF EXISTS incident_event`);
  }
}
