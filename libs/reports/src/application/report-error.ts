export type ReportErrorCode = 'invalid_request' | 'not_found' | 'conflict' | 'managed_by_file';

/** A report, schedule or export request that cannot be served; mapped to HTTP at the edge. */
export class ReportError extends Error {
  constructor(
    readonly code: ReportErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ReportError';
  }
}
