import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Console accounts and sessions, login throttling, and API keys that expire and say who issued
 * them. Users hold one of the people's roles (never `ingest`); usernames are stored lower-case.
 * Sessions and throttle counters are keyed by what the request carries (a hash of the cookie's
 * secret, an account or address), so every replica sees the same state.
 */
export class UsersSessionsAndApiKeyLifecycle1765300000000 implements MigrationInterface {
  name = 'UsersSessionsAndApiKeyLifecycle1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE user_account (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        username text NOT NULL,
        display_name text,
        role text NOT NULL,
        auth_source text NOT NULL DEFAULT 'local',
        password_hash text,
        oidc_issuer text,
        oidc_subject text,
        disabled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        last_login_at timestamptz,
        CONSTRAINT user_account_pkey PRIMARY KEY (id),
        CONSTRAINT uq_user_account_username UNIQUE (username),
        CONSTRAINT uq_user_account_oidc_identity UNIQUE (oidc_issuer, oidc_subject),
        CONSTRAINT user_account_role_check CHECK (role IN ('viewer', 'analyst', 'responder', 'auditor', 'admin')),
        CONSTRAINT user_account_username_check CHECK (username = lower(username) AND length(username) BETWEEN 1 AND 128),
        CONSTRAINT user_account_auth_source_check CHECK (
          (auth_source = 'local' AND password_hash IS NOT NULL AND oidc_subject IS NULL)
          OR (auth_source = 'oidc' AND password_hash IS NULL))
      )`);

    await queryRunner.query(`
      CREATE TABLE user_session (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        secret_hash text NOT NULL,
        user_id uuid NOT NULL,
        method text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        client_address text,
        user_agent text,
        CONSTRAINT user_session_pkey PRIMARY KEY (id),
        CONSTRAINT uq_user_session_secret_hash UNIQUE (secret_hash),
        CONSTRAINT fk_user_session_user FOREIGN KEY (user_id) REFERENCES user_account (id) ON DELETE CASCADE,
        CONSTRAINT user_session_method_check CHECK (method IN ('password', 'oidc'))
      )`);
    await queryRunner.query(`CREATE INDEX ix_user_session_user ON user_session (user_id)`);
    await queryRunner.query(`CREATE INDEX ix_user_session_expires ON user_session (expires_at)`);

    await queryRunner.query(`
      CREATE TABLE login_throttle (
        key text NOT NULL,
        failures integer NOT NULL,
        window_started_at timestamptz NOT NULL,
        locked_until timestamptz,
        CONSTRAINT login_throttle_pkey PRIMARY KEY (key)
      )`);

    await queryRunner.query(`
      ALTER TABLE api_key
        ADD COLUMN expires_at timestamptz,
        ADD COLUMN created_by text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE api_key DROP COLUMN created_by, DROP COLUMN expires_at`);
    await queryRunner.query(`DROP TABLE login_throttle`);
    await queryRunner.query(`DROP TABLE user_session`);
    await queryRunner.query(`DROP TABLE user_account`);
  }
}
