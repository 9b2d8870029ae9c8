import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Connector instances (credentials sealed with SOAR_MASTER_KEY), containment actions as records
 * (the unique idempotency key is what keeps an action from being sent twice), and job leases for
 * jobs that must run in one replica at a time (the action sweeper).
 */
export class ConnectorInstancesAndContainmentActions1764748800000 implements MigrationInterface {
  name = 'ConnectorInstancesAndContainmentActions1764748800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE connector_instance (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        type text NOT NULL,
        capability text NOT NULL CHECK (capability IN ('firewall', 'edr', 'vpn', 'notify')),
        base_url text NOT NULL,
        credentials_sealed text NOT NULL,
        credential_fields text[] NOT NULL DEFAULT '{}',
        options jsonb NOT NULL DEFAULT '{}',
        source text NOT NULL DEFAULT 'api' CHECK (source IN ('api', 'file')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_connector_instance_name UNIQUE (name)
      )`);

    await queryRunner.query(`
      CREATE TABLE containment_action (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        connector_instance_id uuid,
        connector_name text NOT NULL,
        capability text NOT NULL CHECK (capability IN ('firewall', 'edr', 'vpn', 'notify')),
        operation text NOT NULL CHECK (operation IN ('block_ip', 'unblock_ip', 'isolate_host', 'release_host',
          'disconnect_sessions', 'quarantine_user', 'release_user', 'notify')),
        target text NOT NULL,
        idempotency_key text NOT NULL,
        incident_id uuid,
        requested_by text NOT NULL,
        requested_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        reason text,
        state text NOT NULL DEFAULT 'pending'
          CHECK (state IN ('pending', 'succeeded', 'failed', 'rolled_back', 'rollback_failed', 'expired')),
        outcome text CHECK (outcome IN ('changed', 'already_in_state')),
        vendor_ref text,
        error_code text,
        error_message text,
        expires_at timestamptz,
        completed_at timestamptz,
        rolled_back_at timestamptz,
        rollback_of uuid,
        details jsonb NOT NULL DEFAULT '{}',
        CONSTRAINT uq_containment_action_idempotency_key UNIQUE (idempotency_key),
        CONSTRAINT fk_containment_action_connector_instance FOREIGN KEY (connector_instance_id)
          REFERENCES connector_instance (id) ON DELETE SET NULL,
        CONSTRAINT fk_containment_action_incident FOREIGN KEY (incident_id) REFERENCES incident (id),
        CONSTRAINT fk_containment_action_rollback_of FOREIGN KEY (rollback_of) REFERENCES containment_action (id)
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_containment_action_requested ON containment_action (requested_at DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_containment_action_connector ON containment_action (connector_name, requested_at DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_containment_action_incident ON containment_action (incident_id) WHERE incident_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_containment_action_rollback_of ON containment_action (rollback_of) WHERE rollback_of IS NOT NULL`,
    );
    // The sweeper's two queues: active actions that are due, and actions a crash left pending.
    await queryRunner.query(
      `CREATE INDEX ix_containment_action_due ON containment_action (expires_at) WHERE state = 'succeeded' AND expires_at IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_containment_action_pending ON containment_action (requested_at) WHERE state = 'pending'`,
    );

    await queryRunner.query(`
      CREATE TABLE job_lease (
        name text PRIMARY KEY,
        holder text NOT NULL,
        acquired_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS job_lease`);
    await queryRunner.query(`DROP TABLE IF EXISTS containment_action`);
    await queryRunner.query(`DROP TABLE IF EXISTS connector_instance`);
  }
}
