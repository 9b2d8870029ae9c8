/** Small pure formatting for the console's views: times, durations, labels. */

/** `2026-11-30 08:31 UTC`: minutes are what an analyst compares; the tooltip keeps the ISO time. */
export function shortTime(value: Date | string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function isoTime(value: Date | string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

/** `3h 05m`, `12m 40s`, `8s`: how long, for expiries and time-to-contain. */
export function duration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (days > 0) return `${days}d ${String(hours).padStart(2, '0')}h`;
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`;
  if (minutes > 0) return `${minutes}m ${String(rest).padStart(2, '0')}s`;
  return `${rest}s`;
}

/** What is left until `at`, or how long ago it passed. */
export function untilOrAgo(at: Date | string | null | undefined, now: Date): string {
  if (at === null || at === undefined) return 'never';
  const ms = new Date(at).getTime() - now.getTime();
  return ms >= 0 ? `in ${duration(ms)}` : `${duration(-ms)} ago`;
}

/** A CSS class for a severity name (the class list is ours; the name only picks one of them). */
export function severityClass(severity: string): string {
  const known = ['critical', 'fatal', 'high', 'medium', 'low', 'informational', 'unknown'];
  return `sev sev-${known.includes(severity) ? severity : 'other'}`;
}
