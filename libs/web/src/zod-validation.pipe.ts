import { HttpStatus, PipeTransform } from '@nestjs/common';
import type { z } from 'zod';

import { ApiError } from './api-error';

/** Validates a body, query or param against a zod schema; the 400 names every bad field. */
export class ZodValidationPipe<T extends z.ZodType> implements PipeTransform<unknown, z.output<T>> {
  /** Public: the OpenAPI document is built from the same schemas that validate. */
  constructor(
    readonly schema: T,
    readonly where: 'body' | 'query' | 'param' = 'body',
  ) {}

  transform(value: unknown): z.output<T> {
    const parsed = this.schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const issues = parsed.error.issues.map((issue) => ({
      field: [this.where, ...issue.path.map(String)].join('.'),
      message: issue.message,
    }));
    const first = issues[0] as { field: string; message: string };
    throw new ApiError(HttpStatus.BAD_REQUEST, 'validation_failed', `${first.field}: ${first.message}`, {
      field: first.field,
      details: issues,
    });
  }
}
