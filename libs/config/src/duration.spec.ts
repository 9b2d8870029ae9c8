import { formatDuration, parseDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    ['1d2h3m4s', 93_784_000],
    ['90m', 5_400_000],
  ])('reads %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '0s', '0m0s', '10', '10 m', '10min', '1.5h', '-5m', '30m1h', '1h1h', 'm', '10M', '1w'])(
    'rejects %j',
    (text) => {
      expect(parseDuration(text)).toBeNull();
    },
  );
});

describe('formatDuration', () => {
  it.each([
    [90_000, '1m30s'],
    [600_000, '10m'],
    [5_400_000, '1h30m'],
    [86_400_000, '1d'],
    [93_784_000, '1d2h3m4s'],
  ])('writes %d as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('round-trips what it writes', () => {
    for (const ms of [1_000, 59_000, 61_000, 3_599_000, 3_601_000, 90_061_000]) {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
  });
});
