import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The worst alert severity of an incident, kept as alerts join (and incidents merge), so that
 * refreshing an incident's severity after a batch no longer reads every alert it holds.
 */
export class IncidentIncrementalAggregates1765400000001 implements MigrationInterface {
  name = 'IncidentIncrementalAggregates1765400000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE incident ADD COLUMN max_alert_severity_id smallint NOT NULL DEFAULT 1`,
    );
    await queryRunner.query(`
      UPDATE incident i SET max_alert_severity_id = worst.severity_id
        FROM (SELECT ia.incident_id, max(a.severity_id) AS severity_id
                FROM incident_alert ia JOIN alert a ON a.id = ia.alert_id
               GROUP BY ia.incident_id) worst
       WHERE i.id = worst.incident_id`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE incident DROP COLUMN max_alert_severity_id`);
  }
}
