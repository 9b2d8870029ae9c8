import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whether an alert is dated by its own time or by its arrival, and why: `missing`, `unreadable`
 * or `implausible` (before 2000, after 2099, or more than a day after it arrived); null = its own.
 */
export class AlertTimeFallback1765000000000 implements MigrationInterface {
  name = 'AlertTimeFallback1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE alert ADD COLUMN time_fallback text
        CONSTRAINT alert_time_fallback_check CHECK (time_fallback IN ('missing', 'unreadable', 'implausible'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE alert DROP COLUMN time_fallback`);
  }
}
