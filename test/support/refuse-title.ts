import type { TestDatabase } from './test-database';

/**
 * Makes this test database refuse alerts with `title`, as PostgreSQL refuses data it cannot store
 * (SQLSTATE 22023): a real database error, for the paths that must isolate such an alert.
 * Returns the undo.
 */
export async function refuseAlertTitle(database: TestDatabase, title: string): Promise<() => Promise<void>> {
  await database.query(`
    CREATE FUNCTION refuse_title() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.title = ${quoteLiteral(title)} THEN
        RAISE EXCEPTION 'title refused for this test' USING ERRCODE = '22023';
      END IF;
      RETURN NEW;
    END $$`);
  await database.query(
    'CREATE TRIGGER refuse_title BEFORE INSERT ON alert FOR EACH ROW EXECUTE FUNCTION refuse_title()',
  );
  return async () => {
    await database.query('DROP TRIGGER refuse_title ON alert');
    await database.query('DROP FUNCTION refuse_title()');
  };
}

function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
