/**
 * The narrow port application code uses to run set-based SQL inside a transaction, without
 * depending on TypeORM. Parameters are always bound ($1, $2, ...), never interpolated.
 */
export abstract class SqlExecutor {
  abstract query<T = Record<string, unknown>>(sql: string, parameters?: unknown[]): Promise<T[]>;
}

export abstract class TransactionRunner {
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  abstract run<T>(work: (sql: SqlExecutor) => Promise<T>): Promise<T>;
}
