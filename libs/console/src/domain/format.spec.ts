import { duration, severityClass, shortTime, untilOrAgo } from './format';

describe('console formatting', () => {
  it('shows times to the minute in UTC', () => {
    expect(shortTime('2026-11-30T08:31:59.123Z')).toBe('2026-11-30 08:31 UTC');
    expect(shortTime(null)).toBe('');
    expect(shortTime('not a time')).toBe('');
  });

  it('says durations the short way', () => {
    expect(duration(8_000)).toBe('8s');
    expect(duration(760_000)).toBe('12m 40s');
    expect(duration(3 * 3600_000 + 5 * 60_000)).toBe('3h 05m');
    expect(duration(2 * 86_400_000 + 3600_000)).toBe('2d 01h');
  });

  it('tells an expiry ahead from one passed', () => {
    const now = new Date('2026-11-30T08:00:00Z');
    expect(untilOrAgo('2026-11-30T09:00:00Z', now)).toBe('in 1h 00m');
    expect(untilOrAgo('2026-11-30T07:59:00Z', now)).toBe('1m 00s ago');
    expect(untilOrAgo(null, now)).toBe('never');
  });

  it('picks severity classes from our own list only', () => {
    expect(severityClass('high')).toBe('sev sev-high');
    expect(severityClass('" onmouseover="x')).toBe('sev sev-other');
  });
});
