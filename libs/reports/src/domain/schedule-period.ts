import { CronExpressionParser } from 'cron-parser';

/** The period a schedule's latest firing covers: from the firing before it to it. */
export interface SchedulePeriod {
  start: Date;
  end: Date;
}

/**
 * The latest firing of `cron` (5 fields, or 6 with seconds) at or before `now`, in `timezone`, and
 * the period it reports on: [previous firing, that firing). A daily `0 1 * * *` run at 01:00 covers
 * the 24 hours before it.
 */
export function latestPeriod(cron: string, timezone: string, now: Date): SchedulePeriod {
  // Just after `now`, so that a firing exactly at `now` counts as reached.
  const expression = CronExpressionParser.parse(cron, {
    currentDate: new Date(now.getTime() + 1),
    tz: timezone,
  });
  const end = expression.prev().toDate();
  const start = expression.prev().toDate();
  return { start, end };
}

/** Why `cron` in `timezone` cannot be used, or null when it can. */
export function cronProblem(cron: string, timezone: string): string | null {
  try {
    Intl.DateTimeFormat('en', { timeZone: timezone });
  } catch {
    return `timezone: unknown time zone "${timezone}"`;
  }
  const fields = cron.trim().split(/\s+/).length;
  if (fields < 5 || fields > 6)
    return 'cron: five fields (minute hour day month weekday), or six with seconds first';
  try {
    const { start, end } = latestPeriod(cron, timezone, new Date());
    if (!(start.getTime() < end.getTime())) return 'cron: does not fire regularly';
  } catch (error) {
    return `cron: ${error instanceof Error ? error.message : String(error)}`;
  }
  return null;
}
