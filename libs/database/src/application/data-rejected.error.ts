/**
 * PostgreSQL refused the data itself (SQLSTATE class 22, data exception, or 54, program limit
 * exceeded): sending the same rows again can never succeed, unlike a lost connection or a
 * deadlock. Callers isolate the offending row instead of retrying the batch forever.
 */
export class DataRejectedError extends Error {
  constructor(
    readonly sqlState: string,
    message: string,
  ) {
    super(message);
    this.name = 'DataRejectedError';
  }
}

export function isDataRejection(sqlState: unknown): sqlState is string {
  return typeof sqlState === 'string' && /^(22|54)[0-9A-Z]{3}$/.test(sqlState);
}
