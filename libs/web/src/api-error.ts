import { HttpException, HttpStatus } from '@nestjs/common';

/** The body of every error the API answers: a stable code, a readable message, the field at fault. */
export interface ApiErrorBody {
  statusCode: number;
  code: string;
  message: string;
  field?: string;
  details?: unknown;
  errorId?: string;
  /** With 429 and 503: when to ask again (also sent as the `Retry-After` header). */
  retryAfterSeconds?: number;
}

export class ApiError extends HttpException {
  constructor(
    status: HttpStatus,
    code: string,
    message: string,
    extra: { field?: string; details?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super({ statusCode: status, code, message, ...extra } satisfies ApiErrorBody, status);
  }
}
