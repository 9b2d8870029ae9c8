import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every process caches API-key authentications and intake-source bindings (NotifiedCache); a
 * change to what they were read from notifies `rampart_credentials_changed` at its commit, and
 * every process empties its caches. Triggers, not the application, notify, so a change made with
 * plain SQL is seen too. On api_key only the columns a cached authentication holds count: the
 * last-used time, written as keys are used, must not empty the caches. Statement-level, with the
 * table as payload: PostgreSQL folds identical notifications of one transaction into one.
 */
export class CredentialsChangedNotifications1766000000000 implements MigrationInterface {
  name = 'CredentialsChangedNotifications1766000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION notify_credentials_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('rampart_credentials_changed', TG_TABLE_NAME);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER api_key_credentials_changed
        AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF revoked_at, expires_at, role, secret_hash, name
        ON api_key FOR EACH STATEMENT EXECUTE FUNCTION notify_credentials_changed()`);
    for (const table of ['intake_source', 'intake_source_key']) {
      await queryRunner.query(`
        CREATE TRIGGER ${table}_credentials_changed
          AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
          ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION notify_credentials_changed()`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['api_key', 'intake_source', 'intake_source_key']) {
      await queryRunner.query(`DROP TRIGGER IF EXISTS ${table}_credentials_changed ON ${table}`);
    }
    await queryRunner.query(`DROP FUNCTION IF EXISTS notify_credentials_changed()`);
  }
}
