const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 } as const;

// Units must appear largest first and at most once, so every duration has one reading ("1m30s",
// never "30s1m"); a non-canonical amount such as "90s" is still accepted.
const DURATION_PATTERN = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/**
 * Parses a duration such as `90s`, `10m` or `1h30m` (units d, h, m, s) into milliseconds, the one
 * syntax for environment variables (CORRELATION_WINDOW) and correlation rules (`within`).
 * Returns null for anything else, including zero.
 */
export function parseDuration(text: string): number | null {
  const match = DURATION_PATTERN.exec(text.trim());
  if (!match || match[0] === '') return null;
  const [, days, hours, minutes, seconds] = match;
  const ms =
    Number(days ?? 0) * UNIT_MS.d +
    Number(hours ?? 0) * UNIT_MS.h +
    Number(minutes ?? 0) * UNIT_MS.m +
    Number(seconds ?? 0) * UNIT_MS.s;
  return ms > 0 && Number.isSafeInteger(ms) ? ms : null;
}

/** Formats milliseconds in the canonical syntax: 5400000 -> `1h30m`. */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0s';
  let rest = Math.round(ms / 1_000) * 1_000;
  let text = '';
  for (const [unit, size] of Object.entries(UNIT_MS)) {
    const amount = Math.floor(rest / size);
    if (amount > 0) text += `${amount}${unit}`;
    rest -= amount * size;
  }
  return text || '0s';
}
