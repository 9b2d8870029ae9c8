import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What an analyst needs of an alert: the threat the vendor named, its labelled custom fields and
 * the original bytes as received (its NDJSON or CEF line, its element of a JSON array, its Kafka
 * record). Severity 0 is OCSF's Unknown: an alert whose source said nothing we can rank, and an
 * incident made only of such alerts.
 */
export class AlertFidelity1765100000000 implements MigrationInterface {
  name = 'AlertFidelity1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE alert
        ADD COLUMN threat_name text,
        ADD COLUMN custom_fields jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN original text,
        DROP CONSTRAINT alert_severity_id_check,
        ADD CONSTRAINT alert_severity_id_check CHECK (severity_id BETWEEN 0 AND 5)`);
    await queryRunner.query(`
      ALTER TABLE incident
        DROP CONSTRAINT incident_severity_id_check,
        ADD CONSTRAINT incident_severity_id_check CHECK (severity_id BETWEEN 0 AND 5)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE incident SET severity_id = 1 WHERE severity_id = 0`);
    await queryRunner.query(`UPDATE alert SET severity_id = 1 WHERE severity_id = 0`);
    await queryRunner.query(`
      ALTER TABLE incident
        DROP CONSTRAINT incident_severity_id_check,
        ADD CONSTRAINT incident_severity_id_check CHECK (severity_id BETWEEN 1 AND 5)`);
    await queryRunner.query(`
      ALTER TABLE alert
        DROP CONSTRAINT alert_severity_id_check,
        ADD CONSTRAINT alert_severity_id_check CHECK (severity_id BETWEEN 1 AND 5),
        DROP COLUMN original,
        DROP COLUMN custom_fields,
        DROP COLUMN threat_name`);
  }
}
