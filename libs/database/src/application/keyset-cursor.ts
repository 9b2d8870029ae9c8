/**
 * Opaque cursors for keyset paging on a (timestamptz, uuid) pair. The time travels as text with
 * PostgreSQL's microseconds, which a JavaScript Date would drop (and a page would then repeat or
 * skip rows sharing a millisecond).
 */

/** The SQL for `column`'s value as cursor text, `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
export function keysetCursorTime(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

export function encodeKeysetCursor(time: string, id: string): string {
  return Buffer.from(JSON.stringify({ t: time, id })).toString('base64url');
}

/** The position a cursor of {@link encodeKeysetCursor} names, or undefined for anything else. */
export function decodeKeysetCursor(cursor: string): { time: string; id: string } | undefined {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      t?: unknown;
      id?: unknown;
    } | null;
    if (
      typeof value?.t === 'string' &&
      isCursorTime(value.t) &&
      typeof value.id === 'string' &&
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value.id)
    ) {
      return { time: value.t, id: value.id };
    }
  } catch {
    // not base64url JSON: not ours
  }
  return undefined;
}

/**
 * `YYYY-MM-DDTHH:MM:SS.ffffffZ` naming a real instant: PostgreSQL refuses 2024-02-30 or month 99
 * (a data error, which a forged cursor must not turn into a 500).
 */
function isCursorTime(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{6}Z$/.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (year < 1 || hour > 23 || minute > 59 || second > 59) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
