import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The incident event feed hands events out in sequence order behind a fence (a transaction-level
 * advisory lock: writers hold it shared from their first event to their commit, the reader takes
 * it exclusively), no longer behind the cluster's oldest running transaction, which let any long
 * transaction in any database of the server hold delivery back. The writing transaction's id is
 * no longer needed: saved cursors (`<xid>:<seq>`) become the sequence number below the first event
 * they had not passed, so that nothing is skipped and little is read again.
 */
export class IncidentEventFence1765900000000 implements MigrationInterface {
  name = 'IncidentEventFence1765900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      UPDATE engine_cursor c
         SET cursor = COALESCE(
               (SELECT min(e.seq) - 1 FROM incident_event e
                 WHERE (e.xid, e.seq) > (split_part(c.cursor, ':', 1)::bigint, split_part(c.cursor, ':', 2)::bigint)),
               (SELECT max(e.seq) FROM incident_event e),
               0)::text,
             updated_at = now()
       WHERE c.cursor ~ '^[0-9]{1,19}:[0-9]{1,19}$'`);
    await queryRunner.query(`DROP INDEX IF EXISTS ix_incident_event_xid_seq`);
    await queryRunner.query(`ALTER TABLE incident_event DROP COLUMN xid`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE incident_event ADD COLUMN xid bigint NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE incident_event ALTER COLUMN xid DROP DEFAULT`);
    await queryRunner.query(`CREATE INDEX ix_incident_event_xid_seq ON incident_event (xid, seq)`);
    await queryRunner.query(
      `UPDATE engine_cursor SET cursor = '0:' || cursor WHERE cursor ~ '^[0-9]{1,19}$'`,
    );
  }
}
