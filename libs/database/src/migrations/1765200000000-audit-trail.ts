import { MigrationInterface, QueryRunner } from 'typeorm';

const GENESIS_HASH = '0'.repeat(64);

/**
 * The audit trail: hash-chained entries, the chain head (next sequence number and last hash, one
 * row locked by each append) and signed checkpoints of the head. Entries and checkpoints are
 * append-only inside PostgreSQL: a trigger refuses UPDATE, DELETE and TRUNCATE, whoever asks.
 */
export class AuditTrail1765200000000 implements MigrationInterface {
  name = 'AuditTrail1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE audit_entry (
        seq bigint PRIMARY KEY,
        id uuid NOT NULL,
        at timestamptz NOT NULL,
        actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'api_key', 'system', 'anonymous')),
        actor_id text,
        actor_name text NOT NULL,
        action text NOT NULL,
        target_type text NOT NULL,
        target_id text,
        target_name text,
        before jsonb,
        after jsonb,
        request_id text,
        prev_hash text NOT NULL,
        hash text NOT NULL,
        CONSTRAINT uq_audit_entry_id UNIQUE (id)
      )`);
    await queryRunner.query(`CREATE INDEX ix_audit_entry_at ON audit_entry (at, seq)`);
    await queryRunner.query(`CREATE INDEX ix_audit_entry_action ON audit_entry (action, seq)`);
    await queryRunner.query(`CREATE INDEX ix_audit_entry_actor ON audit_entry (actor_name, seq)`);
    await queryRunner.query(
      `CREATE INDEX ix_audit_entry_target ON audit_entry (target_type, target_id, seq)`,
    );

    await queryRunner.query(`
      CREATE TABLE audit_chain_head (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        seq bigint NOT NULL,
        hash text NOT NULL
      )`);
    await queryRunner.query(`INSERT INTO audit_chain_head (id, seq, hash) VALUES (true, 0, $1)`, [
      GENESIS_HASH,
    ]);

    await queryRunner.query(`
      CREATE TABLE audit_checkpoint (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint NOT NULL,
        hash text NOT NULL,
        at timestamptz NOT NULL,
        reason text NOT NULL CHECK (reason IN ('periodic', 'export')),
        key_id text NOT NULL,
        public_key text NOT NULL,
        signature text NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX ix_audit_checkpoint_seq ON audit_checkpoint (seq)`);
    await queryRunner.query(`CREATE INDEX ix_audit_checkpoint_at ON audit_checkpoint (reason, at)`);

    await queryRunner.query(`
      CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    for (const table of ['audit_entry', 'audit_checkpoint']) {
      await queryRunner.query(`
        CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()`);
      await queryRunner.query(`
        CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS audit_checkpoint`);
    await queryRunner.query(`DROP TABLE IF EXISTS audit_chain_head`);
    await queryRunner.query(`DROP TABLE IF EXISTS audit_entry`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS audit_refuse_change()`);
  }
}
