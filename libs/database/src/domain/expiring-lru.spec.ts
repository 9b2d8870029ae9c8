import { ExpiringLru } from './expiring-lru';

describe('ExpiringLru', () => {
  it('answers an entry until its end, and drops it from then on', () => {
    const cache = new ExpiringLru<string, string>(10);
    cache.set('a', 'alpha', 1_000, 0);
    expect(cache.get('a', 999)).toBe('alpha');
    expect(cache.get('a', 1_000)).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.get('a', 0)).toBeUndefined();
  });

  it('keeps nothing whose end is not after now (an expired key, a lifetime of 0 or NaN)', () => {
    const cache = new ExpiringLru<string, number>(10);
    cache.set('past', 1, 500, 1_000);
    cache.set('now', 2, 1_000, 1_000);
    cache.set('nan', 3, Number.NaN, 1_000);
    expect(cache.size).toBe(0);
    cache.set('kept', 4, 1_001, 1_000);
    cache.set('kept', 5, 1_000, 1_000);
    expect(cache.get('kept', 1_000)).toBeUndefined();
  });

  it('holds at most maxEntries, evicting the least recently used first', () => {
    const cache = new ExpiringLru<string, number>(3);
    for (const [index, key] of ['a', 'b', 'c'].entries()) cache.set(key, index, 10_000, 0);
    expect(cache.get('a', 1)).toBe(0);
    cache.set('d', 3, 10_000, 2);
    expect(cache.size).toBe(3);
    expect(cache.get('b', 3)).toBeUndefined();
    expect([cache.get('a', 3), cache.get('c', 3), cache.get('d', 3)]).toEqual([0, 2, 3]);
    // Setting a key again replaces it without evicting another.
    cache.set('a', 9, 10_000, 4);
    expect(cache.size).toBe(3);
    expect(cache.get('a', 5)).toBe(9);
  });

  it('stays bounded under many distinct keys', () => {
    const cache = new ExpiringLru<number, number>(100);
    for (let key = 0; key < 10_000; key += 1) cache.set(key, key, 1_000, 0);
    expect(cache.size).toBe(100);
    expect(cache.get(9_999, 1)).toBe(9_999);
    expect(cache.get(0, 1)).toBeUndefined();
  });

  it('empties on clear, and refuses a bound below one', () => {
    const cache = new ExpiringLru<string, number>(2);
    cache.set('a', 1, 100, 0);
    cache.clear();
    expect(cache.get('a', 1)).toBeUndefined();
    expect(() => new ExpiringLru(0)).toThrow(RangeError);
  });
});
