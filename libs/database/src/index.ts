export { DataRejectedError, isDataRejection } from './application/data-rejected.error';
export { decodeKeysetCursor, encodeKeysetCursor, keysetCursorTime } from './application/keyset-cursor';
export { SqlExecutor, TransactionRunner } from './application/sql-executor';
export { DatabaseModule } from './database.module';
export { dataSourceOptions } from './infrastructure/data-source-options';
export { EmbeddedPostgresError, startEmbeddedPostgres } from './infrastructure/embedded-postgres';
export type { EmbeddedPostgresHandle, EmbeddedPostgresOptions } from './infrastructure/embedded-postgres';
export { MIGRATIONS } from './migrations';
