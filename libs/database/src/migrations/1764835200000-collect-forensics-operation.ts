import { MigrationInterface, QueryRunner } from 'typeorm';

const BEFORE = `'block_ip', 'unblock_ip', 'isolate_host', 'release_host',
  'disconnect_sessions', 'quarantine_user', 'release_user', 'notify'`;

/** Containment actions may also collect an EDR forensic package (`collect_forensics`). */
export class CollectForensicsOperation1764835200000 implements MigrationInterface {
  name = 'CollectForensicsOperation1764835200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE containment_action
        DROP CONSTRAINT containment_action_operation_check,
        ADD CONSTRAINT containment_action_operation_check
          CHECK (operation IN (${BEFORE}, 'collect_forensics'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Records of collections stay history; only the narrower check cannot hold them.
    await queryRunner.query(`DELETE FROM containment_action WHERE operation = 'collect_forensics'`);
    await queryRunner.query(`
      ALTER TABLE containment_action
        DROP CONSTRAINT containment_action_operation_check,
        ADD CONSTRAINT containment_action_operation_check CHECK (operation IN (${BEFORE}))`);
  }
}
