import { HttpStatus } from '@nestjs/common';

import { ApiError } from '@rampart/web';

import { ReportError, type ReportErrorCode } from '../../application/report-error';

const STATUS: Record<ReportErrorCode, HttpStatus> = {
  invalid_request: HttpStatus.BAD_REQUEST,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  managed_by_file: HttpStatus.CONFLICT,
};

/** Runs `work`, answering a ReportError as the API error it stands for; `where` names the field's place. */
export async function answeringReportErrors<T>(
  work: () => Promise<T>,
  where: Record<string, 'body' | 'query' | 'param'> = {},
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ReportError) {
      const field = error.field === undefined ? undefined : `${where[error.field] ?? 'body'}.${error.field}`;
      throw new ApiError(STATUS[error.code], error.code, error.message, field ? { field } : {});
    }
    throw error;
  }
}
