import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { JobLease } from './application/job-lease';
import { SqlExecutor, TransactionRunner } from './application/sql-executor';
import { dataSourceOptions } from './infrastructure/data-source-options';
import { JobLeaseEntity } from './infrastructure/job-lease.entity';
import { SqlJobLease } from './infrastructure/sql-job-lease';
import { TypeormSqlExecutor, TypeormTransactionRunner } from './infrastructure/typeorm-transaction.runner';

/**
 * PostgreSQL for the whole process: runs pending migrations at start and provides the
 * transaction port and the job lease (single-runner jobs). Feature modules register their entities with `TypeOrmModule.forFeature`.
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
      ],
      exports: [TransactionRunner, SqlExecutor, JobLease],
    };
  }
}
