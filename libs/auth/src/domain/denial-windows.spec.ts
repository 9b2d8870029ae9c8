import { DenialWindows, MANY_SOURCES } from './denial-windows';

const key = (source = '203.0.113.7') => ({
  reason: '401 missing_api_key',
  route: 'GET /api/v1/audit',
  source,
});

describe('DenialWindows', () => {
  it('records the first refusal at once and summarises the rest of its window as one count', () => {
    const windows = new DenialWindows(60_000, 100);
    expect(windows.hit(key(), 0)).toBe('record');
    for (let i = 1; i <= 500; i += 1) expect(windows.hit(key(), i)).toBe('counted');
    expect(windows.due(59_999)).toEqual([]);
    expect(windows.due(60_000)).toEqual([{ key: key(), count: 500, from: 0, to: 60_000 }]);
  });

  it('gives a key that keeps being refused one summary per window, and forgets a quiet one', () => {
    const windows = new DenialWindows(1_000, 100);
    windows.hit(key(), 0);
    windows.hit(key(), 10);
    expect(windows.due(1_000)).toHaveLength(1);
    expect(windows.hit(key(), 1_500)).toBe('counted');
    expect(windows.due(2_000)).toEqual([{ key: key(), count: 1, from: 1_000, to: 2_000 }]);
    expect(windows.due(3_000)).toEqual([]);
    expect(windows.size).toBe(0);
    expect(windows.hit(key(), 3_001)).toBe('record');
  });

  it('counts sources beyond its bound together, so a flood from many addresses stays bounded', () => {
    const windows = new DenialWindows(1_000, 3);
    const answers = Array.from({ length: 1_000 }, (_, i) => windows.hit(key(`198.51.100.${i}`), i));
    // Three sources, then one window for all the others.
    expect(answers.filter((answer) => answer === 'record')).toHaveLength(4);
    expect(windows.size).toBe(4);
    expect(windows.drain(1_000)).toEqual([{ key: key(MANY_SOURCES), count: 996, from: 3, to: 1_000 }]);
  });
});
