/** The constraint a PostgreSQL foreign-key violation (23503) names, as TypeORM passes it on. */
export function violatedForeignKey(error: unknown): string | undefined {
  const failure = error as {
    driverError?: { code?: unknown; constraint?: unknown };
    code?: unknown;
    constraint?: unknown;
  };
  const driver = failure?.driverError ?? failure;
  return driver?.code === '23503' && typeof driver.constraint === 'string' ? driver.constraint : undefined;
}

/** The constraint a PostgreSQL unique violation (23505) names, as TypeORM passes it on. */
export function uniqueViolation(error: unknown): string | undefined {
  const failure = error as {
    driverError?: { code?: unknown; constraint?: unknown };
    code?: unknown;
    constraint?: unknown;
  };
  const driver = failure?.driverError ?? failure;
  return driver?.code === '23505' && typeof driver.constraint === 'string' ? driver.constraint : undefined;
}
