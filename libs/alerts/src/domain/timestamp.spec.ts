import { isPlausibleEventTime, parseTimestamp } from './timestamp';

function iso(value: unknown): string | null {
  return parseTimestamp(value)?.toISOString() ?? null;
}

describe('parseTimestamp', () => {
  it.each([
    ['2018-10-03T14:42:44.836744+0000', '2018-10-03T14:42:44.836Z'],
    ['2021-02-01T20:58:44.830+0000', '2021-02-01T20:58:44.830Z'],
    ['2024-06-05T09:15:24.000+00:00', '2024-06-05T09:15:24.000Z'],
    ['2023-09-19T11:05:22.487-04:00', '2023-09-19T15:05:22.487Z'],
    ['2026-03-31T08:10:54.778Z', '2026-03-31T08:10:54.778Z'],
    ['2024-01-02 03:04:05', '2024-01-02T03:04:05.000Z'],
    ['2017 Jan 05 14:11:21', '2017-01-05T14:11:21.000Z'],
    ['Aug 03 2022 10:49:35', '2022-08-03T10:49:35.000Z'],
    ['Aug  3 2022 10:49:35.038 UTC', '2022-08-03T10:49:35.038Z'],
    ['Aug 03 2022 12:49:35 +02:00', '2022-08-03T10:49:35.000Z'],
  ])('reads %p', (input, expected) => {
    expect(iso(input)).toBe(expected);
  });

  it('infers the epoch unit from the magnitude', () => {
    expect(iso(1723564700)).toBe('2024-08-13T15:58:20.000Z');
    expect(iso(1695135922487)).toBe('2023-09-19T15:05:22.487Z');
    expect(iso(1695135922487123)).toBe('2023-09-19T15:05:22.487Z');
    expect(iso('1717578924.000')).toBe('2024-06-05T09:15:24.000Z');
    expect(iso(1717578924.417)).toBe('2024-06-05T09:15:24.417Z');
  });

  it.each([
    'year-month-dayThours:minuts:seconds+0000',
    '2024-02-30T00:00:00Z',
    '2024-13-01T00:00:00Z',
    'Foo 03 2022 10:49:35',
    'Aug 03 10:49:35',
    '',
    '9'.repeat(1000),
    -5,
    Number.NaN,
    null,
    {},
  ])('rejects %p', (input) => {
    expect(parseTimestamp(input)).toBeNull();
  });
});

describe('isPlausibleEventTime', () => {
  const arrival = new Date('2026-11-30T12:00:00Z');

  it('takes times from 2000 up to a day after arrival', () => {
    expect(isPlausibleEventTime(new Date('2000-01-01T00:00:00Z'), arrival)).toBe(true);
    expect(isPlausibleEventTime(new Date('2026-12-01T11:59:59Z'), arrival)).toBe(true);
    expect(isPlausibleEventTime(new Date('2099-12-31T23:59:59Z'))).toBe(true);
  });

  it('refuses 1970 junk, far-future years and times over a day ahead of arrival', () => {
    expect(isPlausibleEventTime(parseTimestamp('5') as Date)).toBe(false);
    expect(isPlausibleEventTime(parseTimestamp('99999999999999999999') as Date)).toBe(false);
    expect(isPlausibleEventTime(new Date('2100-01-01T00:00:00Z'))).toBe(false);
    expect(isPlausibleEventTime(new Date('2026-12-01T12:00:01Z'), arrival)).toBe(false);
  });
});
