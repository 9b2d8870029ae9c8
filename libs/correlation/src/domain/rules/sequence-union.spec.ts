import { sequenceUnion } from './sequence-union';
import { seededRandom } from './seeded-random';

// The reference enumerates every chain, which is exponential: fine for a handful of events.
function referenceUnion(times: number[], masks: number[], stepCount: number, withinMs: number): number[] {
  const marked = new Set<number>();
  const extend = (chain: number[]): void => {
    const step = chain.length;
    if (step === stepCount) {
      if (times[chain[stepCount - 1]!]! - times[chain[0]!]! <= withinMs)
        chain.forEach((index) => marked.add(index));
      return;
    }
    times.forEach((time, index) => {
      const previous = chain[step - 1];
      if (((masks[index]! >> step) & 1) === 0 || chain.includes(index)) return;
      if (previous !== undefined && time < times[previous]!) return;
      extend([...chain, index]);
    });
  };
  extend([]);
  return [...marked].sort((a, b) => a - b);
}

describe('sequenceUnion', () => {
  it('follows the steps in time order', () => {
    expect(sequenceUnion([0, 5], [0b01, 0b10], 2, 10)).toEqual([0, 1]);
    expect(sequenceUnion([0, 5], [0b10, 0b01], 2, 10)).toEqual([]);
    expect(sequenceUnion([0, 11], [0b01, 0b10], 2, 10)).toEqual([]);
  });

  it('lets events with equal times fill steps in either order, one step each', () => {
    expect(sequenceUnion([3, 3], [0b10, 0b01], 2, 0)).toEqual([0, 1]);
    expect(sequenceUnion([3], [0b11], 2, 0)).toEqual([]);
    expect(sequenceUnion([3, 3, 3], [0b111, 0b011, 0b001], 3, 0)).toEqual([0, 1, 2]);
    expect(sequenceUnion([3, 3, 3], [0b001, 0b001, 0b110], 3, 0)).toEqual([]);
  });

  it('stays fast on a burst of identical events at one instant', () => {
    const size = 20_000;
    const marked = sequenceUnion(new Array<number>(size).fill(0), new Array<number>(size).fill(0b111), 3, 0);
    expect(marked).toHaveLength(size);
  });

  it('agrees with the reference on random inputs', () => {
    const random = seededRandom(13);
    for (let round = 0; round < 1_000; round++) {
      const stepCount = 2 + Math.floor(random() * 3);
      const size = Math.floor(random() * 8);
      const times = Array.from({ length: size }, () => Math.floor(random() * 12)).sort((a, b) => a - b);
      // Mostly one step per event, sometimes several, never none.
      const masks = times.map(() => {
        let mask = 1 << Math.floor(random() * stepCount);
        if (random() < 0.3) mask |= 1 << Math.floor(random() * stepCount);
        return mask;
      });
      const withinMs = Math.floor(random() * 10);
      expect(sequenceUnion(times, masks, stepCount, withinMs)).toEqual(
        referenceUnion(times, masks, stepCount, withinMs),
      );
    }
  });
});
