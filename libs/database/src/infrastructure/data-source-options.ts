import { DataSourceOptions } from 'typeorm';

import { MIGRATIONS } from '../migrations';

/**
 * One place that says how Rampart talks to PostgreSQL. Migrations always run; `synchronize` never.
 */
export function dataSourceOptions(
  url: string,
  entities: DataSourceOptions['entities'] = [],
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations: MIGRATIONS,
    migrationsRun: true,
    migrationsTransactionMode: 'each',
    synchronize: false,
    // Entities' uuid keys default to gen_random_uuid() (pgcrypto, created by the first migration);
    // without this TypeORM would install uuid-ossp on every start.
    uuidExtension: 'pgcrypto',
    // Errors reach the caller (and the HTTP error filter's log); TypeORM's own log would print
    // statement parameters, which may hold alert data.
    logging: false,
    // JIT off for Rampart's sessions: its statements are short, and when PostgreSQL's statistics
    // are missing or stale (autovacuum off or behind during a storm) their estimated cost crosses
    // jit_above_cost and each one spends 15 ms compiling to save microseconds (measured under
    // the correlation lock in the storm benchmark). A startup parameter: a pooler in front of
    // PostgreSQL must accept the `options` startup parameter.
    extra: { max: 10, application_name: 'rampart', options: '-c jit=off' },
  };
}
