import { barChart, incidentsPerDay, median, timeToContain } from './charts';

describe('console charts', () => {
  it('counts incidents per UTC day, oldest first, with empty days at zero', () => {
    const now = new Date('2026-11-30T10:00:00Z');
    const bars = incidentsPerDay(
      ['2026-11-30T01:00:00Z', '2026-11-30T09:00:00Z', '2026-11-28T23:59:59Z', '2026-10-01T00:00:00Z'],
      now,
      3,
    );
    expect(bars).toEqual([
      { label: '11-28', value: 1 },
      { label: '11-29', value: 0 },
      { label: '11-30', value: 2 },
    ]);
  });

  it('buckets time to contain', () => {
    const minutes = (m: number) => m * 60_000;
    expect(
      timeToContain([minutes(5), minutes(20), minutes(90), minutes(600), minutes(3000)]).map((b) => b.value),
    ).toEqual([1, 1, 1, 1, 1]);
    expect(median([minutes(5), minutes(20), minutes(90)])).toBe(minutes(20));
    expect(median([])).toBeNull();
  });

  it('draws bars scaled to the largest, with escaped text and an accessible name', () => {
    const svg = barChart({
      id: 'c1',
      title: 'Incidents <per> day',
      description: 'a & b',
      bars: [
        { label: 'a', value: 2 },
        { label: '"b"', value: 4 },
      ],
      width: 100,
      height: 100,
    });
    expect(svg).toContain('role="img" aria-labelledby="c1-title c1-desc"');
    expect(svg).toContain('Incidents &#60;per&#62; day');
    expect(svg).toContain('&#34;b&#34;');
    expect(svg).not.toMatch(/style=|<script/);
    const heights = [...svg.matchAll(/<rect class="bar"[^>]* height="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(heights[1]).toBeCloseTo((heights[0] as number) * 2, 0);
  });
});
