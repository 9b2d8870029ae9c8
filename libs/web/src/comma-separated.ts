import { z } from 'zod';

/** A query parameter holding a comma list (`?status=new,acknowledged`), each item validated. */
export function commaSeparated<T extends z.ZodType<string, string>>(item: T) {
  return z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).min(1));
}
