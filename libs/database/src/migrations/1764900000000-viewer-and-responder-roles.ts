import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two more roles for API keys (and, later, users): `viewer` (reads) and `responder` (contains).
 * Containment moves from analyst to responder, so existing analyst keys that executed actions
 * are promoted to responder: nobody loses what they could do the day before.
 */
export class ViewerAndResponderRoles1764900000000 implements MigrationInterface {
  name = 'ViewerAndResponderRoles1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE api_key
        DROP CONSTRAINT api_key_role_check,
        ADD CONSTRAINT api_key_role_check
          CHECK (role IN ('viewer', 'analyst', 'responder', 'auditor', 'admin', 'ingest'))`);
    await queryRunner.query(`
      UPDATE api_key k SET role = 'responder'
       WHERE k.role = 'analyst'
         AND EXISTS (SELECT 1 FROM containment_action a WHERE a.requested_by = k.name)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE api_key SET role = 'analyst' WHERE role = 'responder'`);
    await queryRunner.query(`UPDATE api_key SET role = 'auditor' WHERE role = 'viewer'`);
    await queryRunner.query(`
      ALTER TABLE api_key
        DROP CONSTRAINT api_key_role_check,
        ADD CONSTRAINT api_key_role_check CHECK (role IN ('admin', 'analyst', 'auditor', 'ingest'))`);
  }
}
