import { cronProblem, latestPeriod } from './schedule-period';

describe('latestPeriod', () => {
  it('covers the period from the firing before the latest one to it', () => {
    expect(latestPeriod('0 1 * * *', 'UTC', new Date('2026-03-10T12:00:00Z'))).toEqual({
      start: new Date('2026-03-09T01:00:00Z'),
      end: new Date('2026-03-10T01:00:00Z'),
    });
  });

  it('counts a firing exactly at now as reached', () => {
    expect(latestPeriod('0 * * * *', 'UTC', new Date('2026-03-10T12:00:00Z')).end).toEqual(
      new Date('2026-03-10T12:00:00Z'),
    );
  });

  it('reads the time zone', () => {
    expect(latestPeriod('0 6 * * *', 'Europe/Paris', new Date('2026-01-15T12:00:00Z')).end).toEqual(
      new Date('2026-01-15T05:00:00Z'),
    );
  });
});

describe('cronProblem', () => {
  it('names what is wrong', () => {
    expect(cronProblem('0 1 * * *', 'UTC')).toBeNull();
    expect(cronProblem('*/2 * * * * *', 'UTC')).toBeNull();
    expect(cronProblem('every day', 'UTC')).toMatch(/^cron:/);
    expect(cronProblem('61 * * * *', 'UTC')).toMatch(/^cron:/);
    expect(cronProblem('0 1 * * *', 'Mars/Olympus')).toMatch(/^timezone:/);
  });
});
