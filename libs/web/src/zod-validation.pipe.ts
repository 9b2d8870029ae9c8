import { HttpStatus, PipeTransform } from '@nestjs/common';
import type { z } from 'zod';

import { hasUnstorableText } from '@rampart/text';

import { ApiError } from './api-error';

/**
 * Validates a body, query or param against a zod schema; the 400 names every bad field. Before
 * the schema, any text (value or key) holding a NUL or an unpaired UTF-16 surrogate is refused
 * with a 400 naming its field: no request field has a use for them, and stored they would
 * only come back as U+FFFD.
 */
export class ZodValidationPipe<T extends z.ZodType> implements PipeTransform<unknown, z.output<T>> {
  /** Public: the OpenAPI document is built from the same schemas that validate. */
  constructor(
    readonly schema: T,
    readonly where: 'body' | 'query' | 'param' = 'body',
  ) {}

  transform(value: unknown): z.output<T> {
    const unstorable = unstorablePath(value, [this.where]);
    if (unstorable !== undefined) {
      const field = unstorable.join('.');
      throw new ApiError(
        HttpStatus.BAD_REQUEST,
        'invalid_text',
        `${field}: must not contain NUL characters or unpaired UTF-16 surrogates`,
        { field },
      );
    }
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

/** The path of the first string or key holding unstorable text; iterative, so depth cannot overflow. */
function unstorablePath(root: unknown, base: string[]): string[] | undefined {
  const stack: { value: unknown; path: string[] }[] = [{ value: root, path: base }];
  while (stack.length > 0) {
    const { value, path } = stack.pop() as { value: unknown; path: string[] };
    if (typeof value === 'string') {
      if (hasUnstorableText(value)) return path;
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (hasUnstorableText(key)) return [...path, key.replace(/[^\x20-\x7e]/g, '?')];
        stack.push({ value: item, path: [...path, key] });
      }
    }
  }
  return undefined;
}
