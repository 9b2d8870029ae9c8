import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { DatabaseNotifications } from './application/database-notifications';
import { JobLease } from './application/job-lease';
import { SqlExecutor, TransactionRunner } from './application/sql-executor';
import { dataSourceOptions } from './infrastructure/data-source-options';
import { JobLeaseEntity } from './infrastructure/job-lease.entity';
import { PgNotificationListener } from './infrastructure/pg-notification.listener';
import { SqlJobLease } from './infrastructure/sql-job-lease';
import { TypeormSqlExecutor, TypeormTransactionRunner } from './infrastructure/typeorm-transaction.runner';

/**
 * PostgreSQL for the whole process: runs pending migrations at start and provides the
 * transaction port, the job lease (single-runner jobs) and LISTEN/NOTIFY wake-ups. Feature modules
 * register their entities with `TypeOrmModule.forFeature`.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(url: string): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRoot({ ...dataSourceOptions(url), autoLoadEntities: true }),
        TypeOrmModule.forFeature([JobLeaseEntity]),
      ],
      providers: [
        { provide: TransactionRunner, useClass: TypeormTransactionRunner },
        { provide: SqlExecutor, useClass: TypeormSqlExecutor },
        { provide: JobLease, useClass: SqlJobLease },
        { provide: DatabaseNotifications, useFactory: () => new PgNotificationListener(url) },
      ],
      exports: [TransactionRunner, SqlExecutor, JobLease, DatabaseNotifications],
    };
  }
}
