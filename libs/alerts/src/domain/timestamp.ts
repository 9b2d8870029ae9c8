// Timestamp forms seen in SIEM alerts. Parsed by anchored, linear regexes on bounded input rather
// than Date.parse, whose accepted forms differ between engines (and "+0000" offsets, microseconds
// or "2017 Jan 05" are exactly where they differ).

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
// Wazuh/OSSEC legacy: "2017 Jan 05 14:11:21".
const YEAR_MONTH_DAY = /^(\d{4}) ([A-Za-z]{3}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})$/;
// CEF rt/end/start date forms: "Aug 03 2022 10:49:35", "Aug 3 2022 10:49:35.038 UTC", "... +02:00".
const MONTH_DAY_YEAR =
  /^([A-Za-z]{3}) {1,2}(\d{1,2}) (\d{4}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(?: (UTC|GMT|Z|[+-]\d{2}:?\d{2}))?$/;

/**
 * The span of event times taken as real: no SIEM alert predates 2000 (epoch 0, 1970, is junk
 * such as `rt=5`), and none is dated in the next century (`rt=99999999999999999999` read as
 * nanoseconds is the year 5138). Outside it, a time is implausible.
 */
export const EARLIEST_EVENT_TIME = new Date(Date.UTC(2000, 0, 1));
export const LATEST_EVENT_TIME = new Date(Date.UTC(2100, 0, 1));
/** How far after its arrival an alert may be dated: clock skew between a SIEM and Rampart. */
export const MAX_EVENT_TIME_SKEW_MS = 24 * 60 * 60 * 1000;

/**
 * Whether `time` can be when an alert's activity happened: within the span above and, when the
 * arrival time is given, not more than {@link MAX_EVENT_TIME_SKEW_MS} after it.
 */
export function isPlausibleEventTime(time: Date, receivedAt: Date | null = null): boolean {
  const ms = time.getTime();
  if (!(ms >= EARLIEST_EVENT_TIME.getTime() && ms < LATEST_EVENT_TIME.getTime())) return false;
  return receivedAt === null || ms <= receivedAt.getTime() + MAX_EVENT_TIME_SKEW_MS;
}

const MONTHS: ReadonlyMap<string, number> = new Map(
  ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((m, i) => [m, i]),
);

/**
 * Reads a timestamp from an alert field: a Date, epoch seconds/milliseconds/microseconds/
 * nanoseconds (number or numeric string; the unit is inferred from the magnitude), ISO 8601 with
 * or without a colon in the offset, Wazuh's legacy "2017 Jan 05 14:11:21", or CEF's
 * "Aug 03 2022 10:49:35[.SSS] [zone]". A time without a zone is read as UTC. Null when unreadable.
 */
export function parseTimestamp(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'number') return fromEpoch(value);
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text === '' || text.length > 48) return null;
  if (/^\d+(?:\.\d+)?$/.test(text)) return fromEpoch(Number(text));

  const iso = ISO.exec(text);
  if (iso !== null) {
    const [, y, mo, d, h, mi, s, fraction, zone] = iso;
    return build(
      +y!,
      +mo! - 1,
      +d!,
      +h!,
      +mi!,
      s === undefined ? 0 : +s,
      millis(fraction),
      offsetMinutes(zone),
    );
  }
  const legacy = YEAR_MONTH_DAY.exec(text);
  if (legacy !== null) {
    const [, y, mon, d, h, mi, s] = legacy;
    const month = MONTHS.get(mon!.toLowerCase());
    return month === undefined ? null : build(+y!, month, +d!, +h!, +mi!, +s!, 0, 0);
  }
  const cef = MONTH_DAY_YEAR.exec(text);
  if (cef !== null) {
    const [, mon, d, y, h, mi, s, fraction, zone] = cef;
    const month = MONTHS.get(mon!.toLowerCase());
    return month === undefined
      ? null
      : build(+y!, month, +d!, +h!, +mi!, +s!, millis(fraction), offsetMinutes(zone));
  }
  return null;
}

/**
 * Epoch time in an unknown unit. Below 1e11 it is seconds (1e11 s is the year 5138, 1e11 ms is
 * 1973), below 1e14 milliseconds, below 1e17 microseconds, otherwise nanoseconds.
 */
export function fromEpoch(value: number): Date | null {
  if (!Number.isFinite(value) || value < 0) return null;
  let ms: number;
  if (value < 1e11) ms = value * 1000;
  else if (value < 1e14) ms = value;
  else if (value < 1e17) ms = value / 1000;
  else ms = value / 1e6;
  const date = new Date(Math.round(ms));
  return Number.isNaN(date.getTime()) ? null : date;
}

function millis(fraction: string | undefined): number {
  if (fraction === undefined) return 0;
  return Number(fraction.slice(0, 3).padEnd(3, '0'));
}

function offsetMinutes(zone: string | undefined): number | null {
  if (zone === undefined || zone === 'Z' || zone === 'z' || zone === 'UTC' || zone === 'GMT') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (hours > 23 || minutes > 59) return null;
  return sign * (hours * 60 + minutes);
}

function build(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
  offset: number | null,
): Date | null {
  if (offset === null || month > 11 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return null;
  const utc = Date.UTC(year, month, day, hour, minute, second, ms) - offset * 60_000;
  const date = new Date(utc);
  if (Number.isNaN(date.getTime())) return null;
  // Date.UTC rolls 31 February over into March; such a date is not the one written.
  const check = new Date(Date.UTC(year, month, day));
  return check.getUTCDate() === day ? date : null;
}
