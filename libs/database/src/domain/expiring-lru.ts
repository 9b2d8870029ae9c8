/**
 * A bounded map whose entries each end at their own time: at most `maxEntries` entries, the least
 * recently used going first when a new one needs room. Pure: the caller passes the time (ms).
 */
export class ExpiringLru<K, V> {
  // A Map iterates in insertion order; an entry read is moved to the end, so the first is the
  // least recently used.
  private readonly entries = new Map<K, { value: V; endsAt: number }>();

  constructor(private readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1)
      throw new RangeError(`maxEntries must be a positive integer, not ${maxEntries}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The value while its entry lasts (`now` before its end); an ended entry is dropped. */
  get(key: K, now: number): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    if (now >= entry.endsAt) return undefined;
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Keeps `value` until `endsAt` (not at all when that is not after `now`). */
  set(key: K, value: V, endsAt: number, now: number): void {
    this.entries.delete(key);
    if (!(endsAt > now)) return;
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, endsAt });
  }

  clear(): void {
    this.entries.clear();
  }
}
