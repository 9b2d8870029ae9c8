import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One counter that every change of open-incident membership raises (a correlation batch, an
 * incident leaving or re-entering an open status), so that a process caching what correlation
 * rules read can tell whether anything else changed it since.
 */
export class IncidentMembershipVersion1765400000002 implements MigrationInterface {
  name = 'IncidentMembershipVersion1765400000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE incident_membership (
        id smallint PRIMARY KEY CHECK (id = 1),
        version bigint NOT NULL
      )`);
    await queryRunner.query(`INSERT INTO incident_membership (id, version) VALUES (1, 0)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS incident_membership`);
  }
}
