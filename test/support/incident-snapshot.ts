import { sortGroups } from './alert-dataset';
import type { TestDatabase } from './test-database';

/** The open incidents as sorted lists of alert titles: what correlation produced, id-free. */
export async function incidentGroups(db: TestDatabase): Promise<string[][]> {
  const rows = await db.query<{ titles: string[] }>(
    `SELECT array_agg(a.title ORDER BY a.title) AS titles
       FROM incident i JOIN incident_alert ia ON ia.incident_id = i.id JOIN alert a ON a.id = ia.alert_id
      WHERE i.status <> 'merged'
      GROUP BY i.id`,
  );
  return sortGroups(rows.map((row) => row.titles));
}

export async function countOf(db: TestDatabase, sql: string): Promise<number> {
  const [row] = await db.query<{ count: string }>(sql);
  return Number(row?.count ?? 0);
}
