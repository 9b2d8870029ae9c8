import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API keys bound to an intake source: a delivery made with such a key is that source's, whether
 * or not it names it, and must be signed when the source signs; a source with bound keys takes
 * deliveries from those keys only. Each alert records the source it came from. (No foreign key to
 * api_key: keys are revoked, not deleted, and the intake library stays apart from auth's tables.)
 */
export class IntakeSourceKeys1765000100000 implements MigrationInterface {
  name = 'IntakeSourceKeys1765000100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE intake_source_key (
        api_key_id uuid NOT NULL,
        source_name text NOT NULL,
        CONSTRAINT pk_intake_source_key PRIMARY KEY (api_key_id),
        CONSTRAINT fk_intake_source_key_source FOREIGN KEY (source_name) REFERENCES intake_source (name)
          ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX ix_intake_source_key_source ON intake_source_key (source_name)`);
    await queryRunner.query(`ALTER TABLE alert ADD COLUMN intake_source text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE alert DROP COLUMN intake_source`);
    await queryRunner.query(`DROP TABLE intake_source_key`);
  }
}
