import { durationStats, humanDuration } from './duration-stats';

describe('durationStats', () => {
  it('gives the mean and percentiles interpolated between ranks', () => {
    expect(durationStats([10, 20, 30, 40])).toEqual({
      count: 4,
      meanMs: 25,
      p50Ms: 25,
      p90Ms: 37,
      p95Ms: 39,
      maxMs: 40,
    });
    expect(durationStats([7])).toMatchObject({ meanMs: 7, p50Ms: 7, p95Ms: 7 });
    expect(durationStats([])).toMatchObject({ count: 0, meanMs: null });
  });

  it('writes durations for people with their two largest units', () => {
    expect(humanDuration(93_784_000)).toBe('1d 2h');
    expect(humanDuration(3_600_000)).toBe('1h');
    expect(humanDuration(61_000)).toBe('1m 1s');
    expect(humanDuration(0)).toBe('0s');
    expect(humanDuration(null)).toBe('—');
  });
});
