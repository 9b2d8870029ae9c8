import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

import { SqlExecutor, TransactionRunner } from '../application/sql-executor';

class EntityManagerExecutor extends SqlExecutor {
  constructor(private readonly manager: EntityManager) {
    super();
  }

  async query<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return (await this.manager.query(sql, parameters)) as T[];
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
    return (await this.dataSource.query(sql, parameters)) as T[];
  }
}
