import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Containment actions are claimed with leases instead of row locks held across vendor calls: who
 * holds an action and until when. Also the expiry asked for (a replay with another expiry is a
 * different request) and when the vendor was last asked about the action (reads are rate-limited).
 */
export class ContainmentActionLeases1764910000000 implements MigrationInterface {
  name = 'ContainmentActionLeases1764910000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE containment_action
        ADD COLUMN lease_holder text,
        ADD COLUMN lease_expires_at timestamptz,
        ADD COLUMN expires_in_seconds integer,
        ADD COLUMN vendor_state_read_at timestamptz`);
    // Existing timed actions: the expiry they were given, as near as the record tells.
    await queryRunner.query(`
      UPDATE containment_action
         SET expires_in_seconds = GREATEST(1, round(extract(epoch FROM expires_at - requested_at)))::integer
       WHERE expires_at IS NOT NULL AND rollback_of IS NULL`);
    // A pending action is held by its executor until the lease runs out; then the reconciliation
    // may claim it. Rows from before leases count as expired at once.
    await queryRunner.query(`DROP INDEX ix_containment_action_pending`);
    await queryRunner.query(
      `CREATE INDEX ix_containment_action_pending ON containment_action (lease_expires_at) WHERE state = 'pending'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX ix_containment_action_pending`);
    await queryRunner.query(
      `CREATE INDEX ix_containment_action_pending ON containment_action (requested_at) WHERE state = 'pending'`,
    );
    await queryRunner.query(`
      ALTER TABLE containment_action
        DROP COLUMN vendor_state_read_at,
        DROP COLUMN expires_in_seconds,
        DROP COLUMN lease_expires_at,
        DROP COLUMN lease_holder`);
  }
}
