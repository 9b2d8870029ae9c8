import { randomBytes } from 'node:crypto';

import { Client } from 'pg';

/**
 * Runs `work` on a fresh, empty database of the PostgreSQL at 127.0.0.1:5432 (BENCH_PG_URL to
 * choose another), dropped afterwards unless BENCH_KEEP_DATABASES=1 (to read its tables and plans
 * after a run; the name is printed).
 */
export async function withBenchDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  const adminUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `rampart_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return await work(url.toString());
  } finally {
    if (process.env.BENCH_KEEP_DATABASES === '1') console.log(`  (database ${name} kept)`);
    else await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
