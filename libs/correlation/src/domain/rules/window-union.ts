// Both functions rely on one fact: a window can always slide right until it starts on an event
// without losing any event, so the windows starting at each distinct event time cover every
// satisfying window there is. That keeps the union exact while the scan stays linear.

/**
 * Indices of the events that lie in at least one window of length `withinMs` (both ends
 * inclusive) holding `count` or more events. `times` must be sorted ascending.
 */
export function thresholdUnion(times: readonly number[], withinMs: number, count: number): number[] {
  const marked: number[] = [];
  let end = 0;
  let covered = 0;
  for (let start = 0; start < times.length; start = nextTime(times, start)) {
    const startTime = times[start]!;
    end = Math.max(end, start);
    while (end < times.length && times[end]! - startTime <= withinMs) end++;
    if (end - start >= count) covered = markRange(marked, Math.max(start, covered), end);
  }
  return marked;
}

/**
 * Indices of the events that lie in at least one window of length `withinMs` whose events carry
 * `count` or more distinct values. `times` must be sorted ascending; `values[i]` are event i's.
 */
export function distinctCountUnion(
  times: readonly number[],
  values: readonly (readonly string[])[],
  withinMs: number,
  count: number,
): number[] {
  const marked: number[] = [];
  const inWindow = new Map<string, number>();
  let left = 0;
  let end = 0;
  let covered = 0;
  for (let start = 0; start < times.length; start = nextTime(times, start)) {
    const startTime = times[start]!;
    for (; end < times.length && times[end]! - startTime <= withinMs; end++) {
      for (const value of values[end]!) inWindow.set(value, (inWindow.get(value) ?? 0) + 1);
    }
    for (; left < start; left++) {
      for (const value of values[left]!) {
        const remaining = inWindow.get(value)! - 1;
        if (remaining === 0) inWindow.delete(value);
        else inWindow.set(value, remaining);
      }
    }
    if (inWindow.size >= count) covered = markRange(marked, Math.max(start, covered), end);
  }
  return marked;
}

/** The first index after `index` with a later time: windows start once per distinct time. */
export function nextTime(times: readonly number[], index: number): number {
  let next = index + 1;
  while (next < times.length && times[next] === times[index]) next++;
  return next;
}

function markRange(marked: number[], from: number, to: number): number {
  for (let index = from; index < to; index++) marked.push(index);
  return Math.max(from, to);
}
