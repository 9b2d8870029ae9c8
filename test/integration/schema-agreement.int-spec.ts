import { DataSource } from 'typeorm';

import { dataSourceOptions } from '@rampart/database';

import { ALL_ENTITIES } from '../support/all-entities';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

// The migrations own the schema; the entities only describe it. If the two drift apart, TypeORM's
// schema builder has something to say: its pending statements are the diff.
let db: TestDatabase;
let dataSource: DataSource;

beforeAll(async () => {
  db = await createTestDatabase('schema');
  dataSource = new DataSource({ ...dataSourceOptions(db.url, ALL_ENTITIES), migrationsRun: false });
  await dataSource.initialize();
});

afterAll(async () => {
  if (dataSource?.isInitialized) await dataSource.destroy();
  await db?.drop();
});

describe('entities and migrations', () => {
  it('describe the same schema', async () => {
    const sql = await dataSource.driver.createSchemaBuilder().log();
    const statements = sql.upQueries.map((query) => query.query);
    expect(statements.join(';\n')).toBe('');
  });

  // The schema builder matches checks by name only and never compares primary key or single-column
  // unique constraint names, so those are compared with the catalog here.
  it('name every constraint and write every check as the migration does', async () => {
    const tables = dataSource.entityMetadatas.map((entity) => entity.tableName);
    const described: string[] = [];
    for (const entity of dataSource.entityMetadatas) {
      const table = entity.tableName;
      described.push(`${table} p ${entity.primaryColumns[0]?.primaryKeyConstraintName ?? '(unnamed)'}`);
      described.push(...entity.uniques.map((unique) => `${table} u ${unique.name}`));
      described.push(...entity.foreignKeys.map((foreignKey) => `${table} f ${foreignKey.name}`));
      for (const check of entity.checks) {
        described.push(`${table} c ${check.name} ${await checkDefinition(table, check.expression ?? '')}`);
      }
    }
    const migrated = await db.query<{ line: string }>(
      `SELECT conrelid::regclass::text || ' ' || contype::text || ' ' || conname
              || CASE WHEN contype = 'c' THEN ' ' || pg_get_constraintdef(oid) ELSE '' END AS line
         FROM pg_constraint
        WHERE contype IN ('p', 'u', 'f', 'c') AND conrelid::regclass::text = ANY ($1)`,
      [tables],
    );
    expect(described.sort()).toEqual(migrated.map((row) => row.line).sort());
  });

  it('leave no migration pending', async () => {
    await expect(dataSource.showMigrations()).resolves.toBe(false);
  });
});

/** The entity's check expression as PostgreSQL prints it back, to compare with the migrated one. */
async function checkDefinition(table: string, expression: string): Promise<string> {
  const runner = dataSource.createQueryRunner();
  await runner.startTransaction();
  try {
    await runner.query(`CREATE TEMPORARY TABLE check_probe (LIKE "${table}")`);
    await runner.query(`ALTER TABLE check_probe ADD CONSTRAINT check_probe CHECK (${expression})`);
    const rows = (await runner.query(
      `SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint
        WHERE conname = 'check_probe' AND conrelid = 'check_probe'::regclass`,
    )) as { definition: string }[];
    return rows[0]?.definition ?? '(none)';
  } finally {
    await runner.rollbackTransaction();
    await runner.release();
  }
}
