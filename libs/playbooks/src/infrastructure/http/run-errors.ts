import { HttpStatus } from '@nestjs/common';

import { ApiError } from '@rampart/web';

import { RunError } from '../../application/runs/decide-approval.use-case';
import { RunStartError } from '../../application/runs/start-run.use-case';
import { InvalidRunCursorError } from '../sql/sql-run.queries';

const STATUS: Record<RunError['code'] | RunStartError['code'], HttpStatus> = {
  run_not_found: HttpStatus.NOT_FOUND,
  approval_not_found: HttpStatus.NOT_FOUND,
  incident_not_found: HttpStatus.NOT_FOUND,
  playbook_not_found: HttpStatus.NOT_FOUND,
  playbook_invalid: HttpStatus.CONFLICT,
  approval_ambiguous: HttpStatus.CONFLICT,
  approval_closed: HttpStatus.CONFLICT,
  run_finished: HttpStatus.CONFLICT,
  not_an_approver: HttpStatus.FORBIDDEN,
};

/** Runs `work`, answering run and approval refusals with their status, code and field. */
export async function answeringRunErrors<T>(
  work: () => Promise<T>,
  fields: { playbook?: string } = {},
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RunError) {
      throw new ApiError(
        STATUS[error.code],
        error.code,
        error.message,
        error.field ? { field: error.field } : {},
      );
    }
    if (error instanceof RunStartError) {
      const field = error.code === 'incident_not_found' ? 'param.id' : (fields.playbook ?? 'body.playbook');
      throw new ApiError(STATUS[error.code], error.code, error.message, { field });
    }
    if (error instanceof InvalidRunCursorError) {
      throw new ApiError(HttpStatus.BAD_REQUEST, 'invalid_cursor', error.message, { field: 'query.cursor' });
    }
    throw error;
  }
}
