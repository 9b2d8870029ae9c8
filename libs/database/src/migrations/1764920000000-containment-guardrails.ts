import { MigrationInterface, QueryRunner } from 'typeorm';

const STATES = `'pending', 'succeeded', 'failed', 'rolled_back', 'rollback_failed', 'expired'`;

/**
 * Guardrails: protected assets (never acted on), and two more action states: `refused` (a
 * protected asset stopped it; no vendor call) and `joined` (the same change was already in force or
 * in flight: the request joined that action instead of acting twice).
 */
export class ContainmentGuardrails1764920000000 implements MigrationInterface {
  name = 'ContainmentGuardrails1764920000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE containment_action
        DROP CONSTRAINT containment_action_state_check,
        ADD CONSTRAINT containment_action_state_check CHECK (state IN (${STATES}, 'refused', 'joined')),
        ADD COLUMN joined_action_id uuid,
        ADD CONSTRAINT fk_containment_action_joined_action FOREIGN KEY (joined_action_id)
          REFERENCES containment_action (id)`);
    // The active action of a target, found when another request for the same change arrives.
    await queryRunner.query(
      `CREATE INDEX ix_containment_action_target ON containment_action (connector_instance_id, operation, target)
        WHERE rollback_of IS NULL AND state IN ('pending', 'succeeded')`,
    );
    // Blast-radius windows count recent actions by operation.
    await queryRunner.query(
      `CREATE INDEX ix_containment_action_operation_time ON containment_action (operation, requested_at)`,
    );
    await queryRunner.query(`
      CREATE TABLE protected_asset (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('cidr', 'host', 'user', 'tag')),
        value text NOT NULL,
        operations text[],
        reason text,
        source text NOT NULL DEFAULT 'api' CHECK (source IN ('api', 'file')),
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_protected_asset_kind_value UNIQUE (kind, value)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS protected_asset`);
    await queryRunner.query(`DROP INDEX IF EXISTS ix_containment_action_operation_time`);
    await queryRunner.query(`DROP INDEX IF EXISTS ix_containment_action_target`);
    await queryRunner.query(`DELETE FROM containment_action WHERE state IN ('refused', 'joined')`);
    await queryRunner.query(`
      ALTER TABLE containment_action
        DROP CONSTRAINT fk_containment_action_joined_action,
        DROP COLUMN joined_action_id,
        DROP CONSTRAINT containment_action_state_check,
        ADD CONSTRAINT containment_action_state_check CHECK (state IN (${STATES}))`);
  }
}
