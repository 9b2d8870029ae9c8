import { distinctCountUnion, thresholdUnion } from './window-union';
import { seededRandom } from './seeded-random';

// Reference definitions, straight from the semantics and deliberately slow: an event is in the
// union when some window [start, start + within] holds it and satisfies the rule. Only the
// windows starting at an event time or at `within` before one need trying: any other window
// holds the same events as one of those.
function windowStarts(times: number[], withinMs: number): number[] {
  return times.flatMap((time) => [time, time - withinMs]);
}

function referenceUnion(
  times: number[],
  withinMs: number,
  satisfied: (inside: number[]) => boolean,
): number[] {
  const marked = new Set<number>();
  for (const start of windowStarts(times, withinMs)) {
    const inside = times.flatMap((time, index) => (time >= start && time <= start + withinMs ? [index] : []));
    if (satisfied(inside)) inside.forEach((index) => marked.add(index));
  }
  return [...marked].sort((a, b) => a - b);
}

describe('thresholdUnion', () => {
  it('handles the edges', () => {
    expect(thresholdUnion([], 10, 1)).toEqual([]);
    expect(thresholdUnion([5], 10, 1)).toEqual([0]);
    expect(thresholdUnion([0, 10, 20], 10, 2)).toEqual([0, 1, 2]);
    expect(thresholdUnion([0, 11, 22], 10, 2)).toEqual([]);
    expect(thresholdUnion([3, 3, 3], 0, 3)).toEqual([0, 1, 2]);
  });

  it('agrees with the reference on random inputs', () => {
    const random = seededRandom(11);
    for (let round = 0; round < 500; round++) {
      const times = randomTimes(random);
      const withinMs = Math.floor(random() * 8);
      const count = 1 + Math.floor(random() * 4);
      expect(thresholdUnion(times, withinMs, count)).toEqual(
        referenceUnion(times, withinMs, (inside) => inside.length >= count),
      );
    }
  });
});

describe('distinctCountUnion', () => {
  it('counts values, not events', () => {
    expect(distinctCountUnion([0, 1, 2], [['a'], ['a'], ['b']], 10, 2)).toEqual([0, 1, 2]);
    expect(distinctCountUnion([0, 1, 2], [['a'], ['a'], ['a']], 10, 2)).toEqual([]);
    expect(distinctCountUnion([0, 1], [['a', 'b'], ['a']], 10, 2)).toEqual([0, 1]);
  });

  it('agrees with the reference on random inputs', () => {
    const random = seededRandom(12);
    for (let round = 0; round < 500; round++) {
      const times = randomTimes(random);
      const values = times.map(() =>
        Array.from({ length: Math.floor(random() * 3) }, () => 'abcd'[Math.floor(random() * 4)] as string),
      );
      const withinMs = Math.floor(random() * 8);
      const count = 1 + Math.floor(random() * 3);
      const distinct = (inside: number[]) => new Set(inside.flatMap((index) => values[index] ?? [])).size;
      expect(distinctCountUnion(times, values, withinMs, count)).toEqual(
        referenceUnion(times, withinMs, (inside) => distinct(inside) >= count),
      );
    }
  });
});

function randomTimes(random: () => number): number[] {
  return Array.from({ length: Math.floor(random() * 12) }, () => Math.floor(random() * 20)).sort(
    (a, b) => a - b,
  );
}
