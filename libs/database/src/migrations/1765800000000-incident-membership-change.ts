import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What each change of open-incident membership did, by version: the alerts a correlation batch
 * added to open incidents and the merges it made, or that membership changed otherwise (an
 * incident left or re-entered an open status). A process holding rule state at version v catches
 * up with the changes after v by reading these rows and the alerts they name, instead of reading
 * every alert its state was built from again. Old rows are pruned as new ones come.
 */
export class IncidentMembershipChange1765800000000 implements MigrationInterface {
  name = 'IncidentMembershipChange1765800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE incident_membership_change (
        version bigint PRIMARY KEY,
        alert_ids uuid[] NOT NULL,
        merges jsonb NOT NULL,
        everything boolean NOT NULL DEFAULT false,
        changed_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS incident_membership_change`);
  }
}
