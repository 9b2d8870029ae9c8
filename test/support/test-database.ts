import { randomBytes } from 'node:crypto';

import { Client } from 'pg';

import { databaseUrl } from './template-database';

export interface TestDatabase {
  url: string;
  name: string;
  /** Runs one statement on this database (for assertions); parameters are bound. */
  query<T = Record<string, unknown>>(sql: string, parameters?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file, cloned from the template that global-setup
 * migrated, so files run in parallel and start clean.
 */
export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
  const adminUrl = requiredEnv('TEST_PG_ADMIN_URL');
  const template = requiredEnv('TEST_PG_TEMPLATE');
  const name = `rampart_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(adminUrl, name);
  const client = new Client({ connectionString: url });
  await client.connect();
  return {
    url,
    name,
    async query<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
      return (await client.query(sql, parameters)).rows as T[];
    },
    async drop() {
      await client.end();
      const dropper = new Client({ connectionString: adminUrl });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set: run integration tests through \`npm test\` (jest global setup)`);
  return value;
}

export function kafkaBrokers(): string[] {
  return requiredEnv('TEST_KAFKA_BROKERS').split(',');
}
