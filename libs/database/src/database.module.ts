import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { DatabaseNotifications } from './application/database-notifications';
import { SqlExecutor, TransactionRunner } from './application/sql-executor';
import { dataSourceOptions } from './infrastructure/data-source-options';
import { PgNotificationListener } from './infrastructure/pg-notification.listener';
import { TypeormSqlExecutor, TypeormTransactionRunner } from './infrastructure/typeorm-transaction.runner';

/**
 * PostgreSQL for the whole process: runs pending migrations at start and provides the
 * transaction port, and LISTEN/NOTIFY wake-ups. Feature modules register their entities with `TypeOrmModule.forFeature`.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(url: string): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [TypeOrmModule.forRoot({ ...dataSourceOptions(url), autoLoadEntities: true })],
      providers: [
        { provide: TransactionRunner, useClass: TypeormTransactionRunner },
        { provide: SqlExecutor, useClass: TypeormSqlExecutor },
        { provide: DatabaseNotifications, useFactory: () => new PgNotificationListener(url) },
      ],
      exports: [TransactionRunner, SqlExecutor, DatabaseNotifications],
    };
  }
}
