import { Client } from 'pg';
import { DataSource } from 'typeorm';

import { dataSourceOptions } from '@rampart/database';

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates `template` afresh with every migration applied, ready to be cloned per test file. */
export async function migrateTemplateDatabase(adminUrl: string, template: string): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${template}`);
  } finally {
    await admin.end();
  }
  const dataSource = new DataSource(dataSourceOptions(databaseUrl(adminUrl, template)));
  await dataSource.initialize();
  await dataSource.destroy();
}
