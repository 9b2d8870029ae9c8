import { ExpiringLru } from '../domain/expiring-lru';
import { DatabaseNotifications } from './database-notifications';

export interface NotifiedCacheOptions {
  /** The LISTEN channel whose every notification empties the cache (written by triggers). */
  channel: string;
  /** At most this many entries; the least recently used go first. */
  maxEntries: number;
  /**
   * The longest an entry is kept, notified or not: the bound on staleness should a notification
   * be lost while the listening connection still looks alive (a half-open TCP connection).
   */
  ttlMs: number;
  /** The clock in ms (Date.now unless a test gives another). */
  now?: () => number;
}

/** What a load found, and how long it may be kept: at most the cache's ttlMs; 0 or less, not at all. */
export interface Loaded<V> {
  value: V;
  keepForMs: number;
}

/**
 * An in-process read-through cache of rows that any process may change, emptied by a
 * LISTEN/NOTIFY channel that triggers on those rows notify. It serves entries only while the
 * channel is listened to: while the connection is being set up or is lost, every read loads (a
 * change made then would go unnoticed), and the reconnection empties it.
 *
 * A load that was under way when the cache was emptied is not kept: it may have read the row
 * before the change that emptied it (each emptying starts a new generation, and a load keeps its
 * result only in the generation it started in). Concurrent reads of one key share one load.
 *
 * The process that commits a change also calls {@link clear} right after the commit, so that its
 * own next request does not wait for the notification to come back.
 */
export class NotifiedCache<K, V extends NonNullable<unknown> | null> {
  private readonly entries: ExpiringLru<K, V>;
  private readonly loading = new Map<K, Promise<Loaded<V>>>();
  private readonly now: () => number;
  private generation = 0;
  private unsubscribe: (() => void) | null = null;
  private closed = false;

  constructor(
    private readonly notifications: DatabaseNotifications,
    private readonly options: NotifiedCacheOptions,
  ) {
    this.entries = new ExpiringLru(options.maxEntries);
    this.now = options.now ?? Date.now;
  }

  /** The cached value of `key`, else what `load` finds (kept when the cache can be trusted). */
  async read(key: K, load: () => Promise<Loaded<V>>): Promise<V> {
    if (!this.serving()) return (await load()).value;
    const cached = this.entries.get(key, this.now());
    if (cached !== undefined) return cached;
    const pending = this.loading.get(key) ?? this.startLoad(key, load);
    return (await pending).value;
  }

  /** Empties the cache; loads under way are not kept. */
  clear(): void {
    this.generation += 1;
    this.entries.clear();
    this.loading.clear();
  }

  /** Stops listening; later reads all load. */
  close(): void {
    this.closed = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private startLoad(key: K, load: () => Promise<Loaded<V>>): Promise<Loaded<V>> {
    const generation = this.generation;
    const started = load();
    this.loading.set(key, started);
    const settled = () => {
      if (this.loading.get(key) === started) this.loading.delete(key);
    };
    void started.then((loaded) => {
      settled();
      if (generation !== this.generation || !this.serving()) return;
      const now = this.now();
      this.entries.set(key, loaded.value, now + Math.min(this.options.ttlMs, loaded.keepForMs), now);
    }, settled);
    return started;
  }

  private serving(): boolean {
    if (this.closed) return false;
    // Subscribed at the first read, not at construction: a process that never reads opens no
    // listening connection for it.
    this.unsubscribe ??= this.notifications.subscribe(this.options.channel, () => this.clear());
    return this.notifications.isListening(this.options.channel);
  }
}
