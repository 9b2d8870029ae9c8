import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alerts, their entities, incidents (with links, entities, rule matches and timeline), API keys,
 * intake sources and the webhook replay guard.
 */
export class InitialIntakeSchema1764144000000 implements MigrationInterface {
  name = 'InitialIntakeSchema1764144000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);

    await queryRunner.query(`
      CREATE TABLE alert (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        identity text NOT NULL,
        format text NOT NULL,
        source text NOT NULL,
        external_id text,
        title text NOT NULL,
        description text,
        severity_id smallint NOT NULL CHECK (severity_id BETWEEN 1 AND 5),
        vendor_severity text,
        rule_id text,
        rule_name text,
        tactics jsonb NOT NULL DEFAULT '[]',
        techniques jsonb NOT NULL DEFAULT '[]',
        entities jsonb NOT NULL DEFAULT '[]',
        raw jsonb NOT NULL,
        event_time timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        intake text NOT NULL CHECK (intake IN ('kafka', 'webhook')),
        CONSTRAINT uq_alert_identity UNIQUE (identity)
      )`);
    await queryRunner.query(`CREATE INDEX ix_alert_event_time ON alert (event_time)`);

    await queryRunner.query(`
      CREATE TABLE alert_entity (
        alert_id uuid NOT NULL REFERENCES alert (id) ON DELETE CASCADE,
        entity_key text NOT NULL,
        type text NOT NULL,
        value text NOT NULL,
        role text NOT NULL,
        event_time timestamptz NOT NULL,
        CONSTRAINT pk_alert_entity PRIMARY KEY (alert_id, entity_key, role)
      )`);
    await queryRunner.query(`CREATE INDEX ix_alert_entity_key_time ON alert_entity (entity_key, event_time)`);

    await queryRunner.query(`CREATE SEQUENCE incident_number_seq`);
    await queryRunner.query(`
      CREATE TABLE incident (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number bigint NOT NULL DEFAULT nextval('incident_number_seq'),
        title text NOT NULL,
        status text NOT NULL DEFAULT 'new'
          CHECK (status IN ('new', 'acknowledged', 'contained', 'resolved', 'closed', 'merged')),
        severity_id smallint NOT NULL CHECK (severity_id BETWEEN 1 AND 5),
        assignee text,
        alert_count integer NOT NULL DEFAULT 0,
        first_seen timestamptz NOT NULL,
        last_seen timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        acknowledged_at timestamptz,
        contained_at timestamptz,
        resolved_at timestamptz,
        closed_at timestamptz,
        merged_into_id uuid REFERENCES incident (id),
        CONSTRAINT uq_incident_number UNIQUE (number)
      )`);
    await queryRunner.query(`CREATE INDEX ix_incident_status_number ON incident (status, number DESC)`);
    await queryRunner.query(`CREATE INDEX ix_incident_created ON incident (created_at)`);
    await queryRunner.query(`CREATE INDEX ix_incident_last_seen ON incident (last_seen)`);

    await queryRunner.query(`
      CREATE TABLE incident_alert (
        alert_id uuid PRIMARY KEY REFERENCES alert (id) ON DELETE CASCADE,
        incident_id uuid NOT NULL REFERENCES incident (id),
        linked_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX ix_incident_alert_incident ON incident_alert (incident_id)`);

    await queryRunner.query(`
      CREATE TABLE incident_entity (
        incident_id uuid NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
        entity_key text NOT NULL,
        type text NOT NULL,
        value text NOT NULL,
        alert_count integer NOT NULL,
        first_seen timestamptz NOT NULL,
        last_seen timestamptz NOT NULL,
        CONSTRAINT pk_incident_entity PRIMARY KEY (incident_id, entity_key)
      )`);
    await queryRunner.query(`CREATE INDEX ix_incident_entity_key ON incident_entity (entity_key)`);

    await queryRunner.query(`
      CREATE TABLE incident_rule_match (
        incident_id uuid NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
        rule_id text NOT NULL,
        group_key text NOT NULL,
        rule_name text NOT NULL,
        severity_id smallint NOT NULL,
        summary text NOT NULL,
        alert_ids uuid[] NOT NULL,
        first_time timestamptz NOT NULL,
        last_time timestamptz NOT NULL,
        matched_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_incident_rule_match PRIMARY KEY (incident_id, rule_id, group_key)
      )`);

    await queryRunner.query(`
      CREATE TABLE incident_timeline (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        kind text NOT NULL,
        actor text NOT NULL,
        message text NOT NULL,
        data jsonb NOT NULL DEFAULT '{}'
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_incident_timeline_incident_at ON incident_timeline (incident_id, at)`,
    );

    await queryRunner.query(`
      CREATE TABLE api_key (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        prefix text NOT NULL,
        secret_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'analyst', 'auditor', 'ingest')),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz,
        CONSTRAINT uq_api_key_secret_hash UNIQUE (secret_hash)
      )`);

    await queryRunner.query(`
      CREATE TABLE intake_source (
        name text PRIMARY KEY,
        hmac_secret text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await queryRunner.query(`
      CREATE TABLE webhook_replay_guard (
        signature_hash text PRIMARY KEY,
        source text NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_webhook_replay_guard_expires ON webhook_replay_guard (expires_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'webhook_replay_guard',
      'intake_source',
      'api_key',
      'incident_timeline',
      'incident_rule_match',
      'incident_entity',
      'incident_alert',
      'incident',
      'alert_entity',
      'alert',
    ]) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await queryRunner.query(`DROP SEQUENCE IF EXISTS incident_number_seq`);
  }
}
