import { nextTime } from './window-union';

/**
 * Indices of the events that lie on at least one satisfying chain: one distinct event per step,
 * each satisfying its step, times non-decreasing along the steps, last minus first at most
 * `withinMs`. `times` must be sorted ascending; bit s of `stepMasks[i]` says event i satisfies
 * step s.
 *
 * Events with equal times may fill their steps in any order, so a chain is cut into time
 * buckets, each filling a contiguous run of steps. A forward pass finds, for every bucket and
 * step, the latest possible start of a chain ending before it; a backward pass the earliest
 * possible end of a chain continuing after it. A run of steps in a bucket is then on a satisfying
 * chain exactly when latest start and earliest end around it fit the window.
 */
export function sequenceUnion(
  times: readonly number[],
  stepMasks: readonly number[],
  stepCount: number,
  withinMs: number,
): number[] {
  const buckets: Bucket[] = [];
  for (let from = 0; from < times.length;) {
    const to = nextTime(times, from);
    buckets.push({ time: times[from]!, from, to, runs: fillableRuns(stepMasks.slice(from, to), stepCount) });
    from = to;
  }

  const latestStartBefore: Float64Array[] = [];
  let latestStart = new Float64Array(stepCount).fill(-Infinity);
  for (const bucket of buckets) {
    latestStartBefore.push(latestStart);
    const next = latestStart.slice();
    for (const [first, last] of bucket.runs) {
      const start = first === 0 ? bucket.time : latestStart[first - 1]!;
      if (start > next[last]!) next[last] = start;
    }
    latestStart = next;
  }

  const earliestEndAfter: Float64Array[] = new Array<Float64Array>(buckets.length);
  let earliestEnd = new Float64Array(stepCount).fill(Infinity);
  for (let index = buckets.length - 1; index >= 0; index--) {
    const bucket = buckets[index]!;
    earliestEndAfter[index] = earliestEnd;
    const next = earliestEnd.slice();
    for (const [first, last] of bucket.runs) {
      const end = last === stepCount - 1 ? bucket.time : earliestEnd[last + 1]!;
      if (end < next[first]!) next[first] = end;
    }
    earliestEnd = next;
  }

  const marked: number[] = [];
  buckets.forEach((bucket, index) => {
    let usableSteps = 0;
    for (const [first, last] of bucket.runs) {
      const start = first === 0 ? bucket.time : latestStartBefore[index]![first - 1]!;
      const end = last === stepCount - 1 ? bucket.time : earliestEndAfter[index]![last + 1]!;
      if (end - start <= withinMs) usableSteps |= stepRange(first, last);
    }
    // Any event satisfying one step of a fillable run can take that step over from the event
    // that had it, so every such event is on some satisfying chain.
    for (let event = bucket.from; event < bucket.to; event++) {
      if ((stepMasks[event]! & usableSteps) !== 0) marked.push(event);
    }
  });
  return marked;
}

interface Bucket {
  time: number;
  from: number;
  to: number;
  /** [first, last] step runs that distinct events of this bucket can fill together. */
  runs: [number, number][];
}

function fillableRuns(masks: readonly number[], stepCount: number): [number, number][] {
  // Events with the same mask are interchangeable, and no run needs more than stepCount of them:
  // capping keeps a burst of identical alerts at one instant from slowing the matching down.
  const slots: number[] = [];
  const copies = new Map<number, number>();
  for (const mask of masks) {
    const seen = copies.get(mask) ?? 0;
    if (seen < stepCount) {
      slots.push(mask);
      copies.set(mask, seen + 1);
    }
  }
  const runs: [number, number][] = [];
  for (let first = 0; first < stepCount; first++) {
    const stepOfSlot = new Int32Array(slots.length).fill(-1);
    for (let last = first; last < stepCount; last++) {
      if (!assignStep(last, slots, stepOfSlot, new Uint8Array(slots.length))) break;
      runs.push([first, last]);
    }
  }
  return runs;
}

// One augmenting-path step of bipartite matching (steps to events): the run grows one step at a
// time and stays fillable as long as every new step finds an event.
function assignStep(
  step: number,
  slots: readonly number[],
  stepOfSlot: Int32Array,
  visited: Uint8Array,
): boolean {
  for (let slot = 0; slot < slots.length; slot++) {
    if (((slots[slot]! >> step) & 1) === 0 || visited[slot] === 1) continue;
    visited[slot] = 1;
    const holder = stepOfSlot[slot]!;
    if (holder === -1 || assignStep(holder, slots, stepOfSlot, visited)) {
      stepOfSlot[slot] = step;
      return true;
    }
  }
  return false;
}

function stepRange(first: number, last: number): number {
  return ((1 << (last - first + 1)) - 1) << first;
}
