import { HttpException, HttpStatus } from '@nestjs/common';

/** The body of every error the API answers: a stable code, a readable message, the field at fault. */
export interface ApiErrorBody {
  statusCode: number;
  code: string;
  message: string;
  field?: string;
  details?: unknown;
  errorId?: string;
}

export class ApiError extends HttpException {
  constructor(
    status: HttpStatus,
    code: string,
    message: string,
    extra: { field?: string; details?: unknown } = {},
  ) {
    super({ statusCode: status, code, message, ...extra } satisfies ApiErrorBody, status);
  }
}
