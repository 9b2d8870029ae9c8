import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';

import { DataRejectedError, isDataRejection } from '../application/data-rejected.error';
import { SqlExecutor, TransactionRunner } from '../application/sql-executor';
import { storableParameters } from '../domain/storable-parameters';

/**
 * Every statement of the application passes here. Parameters cross the sanitizing boundary
 * ({@link storableParameters}). TypeORM answers UPDATE and DELETE with `[rows, count]` unless asked
 * for a structured result; asking for it gives every statement the same shape: its rows
 * (RETURNING included).
 */
async function rowsOf<T>(runner: QueryRunner, sql: string, parameters: unknown[]): Promise<T[]> {
  try {
    const result = await runner.query(sql, storableParameters(sql, parameters), true);
    return (result.records ?? []) as T[];
  } catch (error) {
    const driverError = (error as { driverError?: { code?: unknown; message?: string } }).driverError;
    if (isDataRejection(driverError?.code)) {
      throw new DataRejectedError(driverError.code, driverError.message ?? 'data rejected');
    }
    throw error;
  }
}

class EntityManagerExecutor extends SqlExecutor {
  constructor(private readonly manager: EntityManager) {
    super();
  }

  query<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return rowsOf<T>(this.manager.queryRunner as QueryRunner, sql, parameters);
  }
}

@Injectable()
export class TypeormTransactionRunner extends TransactionRunner {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  run<T>(work: (sql: SqlExecutor) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(new EntityManagerExecutor(manager)));
  }
}

@Injectable()
export class TypeormSqlExecutor extends SqlExecutor {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async query<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    const runner = this.dataSource.createQueryRunner();
    try {
      return await rowsOf<T>(runner, sql, parameters);
    } finally {
      await runner.release();
    }
  }
}
