import { DatabaseNotifications } from './database-notifications';
import { type Loaded, NotifiedCache } from './notified-cache';

/** The port as a test drives it: listening or not, and notifications sent by hand. */
class ScriptedNotifications extends DatabaseNotifications {
  listening = true;
  readonly subscribers = new Map<string, Set<() => void>>();

  subscribe(channel: string, onWake: () => void): () => void {
    const set = this.subscribers.get(channel) ?? new Set();
    this.subscribers.set(channel, set);
    set.add(onWake);
    return () => set.delete(onWake);
  }

  isListening(): boolean {
    return this.listening;
  }

  notify(channel: string): void {
    for (const onWake of this.subscribers.get(channel) ?? []) onWake();
  }
}

function setup(ttlMs = 10_000, maxEntries = 100) {
  const notifications = new ScriptedNotifications();
  let now = 0;
  const cache = new NotifiedCache<string, string | null>(notifications, {
    channel: 'test_changed',
    maxEntries,
    ttlMs,
    now: () => now,
  });
  const loads: string[] = [];
  const load =
    (value: string | null, keepForMs = Number.POSITIVE_INFINITY) =>
    async (): Promise<Loaded<string | null>> => {
      loads.push(String(value));
      return { value, keepForMs };
    };
  return { notifications, cache, loads, load, advance: (ms: number) => (now += ms) };
}

describe('NotifiedCache', () => {
  it('answers from memory until the TTL, then loads again', async () => {
    const { cache, loads, load, advance } = setup(10_000);
    await expect(cache.read('k', load('v1'))).resolves.toBe('v1');
    advance(9_999);
    await expect(cache.read('k', load('v2'))).resolves.toBe('v1');
    advance(1);
    await expect(cache.read('k', load('v3'))).resolves.toBe('v3');
    expect(loads).toEqual(['v1', 'v3']);
  });

  it('ends an entry at the lifetime its load gave when that is shorter (a key expiring)', async () => {
    const { cache, load, advance } = setup(10_000);
    await cache.read('k', load('usable', 1_500));
    advance(1_499);
    await expect(cache.read('k', load('expired'))).resolves.toBe('usable');
    advance(1);
    await expect(cache.read('k', load('expired'))).resolves.toBe('expired');
  });

  it('never keeps what its load says not to (an unknown key)', async () => {
    const { cache, loads, load } = setup();
    await cache.read('guess', load(null, 0));
    await cache.read('guess', load(null, 0));
    expect(loads).toEqual(['null', 'null']);
    expect(cache.size).toBe(0);
  });

  it('is emptied by every notification on its channel, and only on it', async () => {
    const { notifications, cache, load } = setup();
    await cache.read('k', load('before'));
    notifications.notify('other_channel');
    await expect(cache.read('k', load('after'))).resolves.toBe('before');
    notifications.notify('test_changed');
    await expect(cache.read('k', load('after'))).resolves.toBe('after');
  });

  it('serves nothing while the channel is not listened to, and keeps nothing loaded then', async () => {
    const { notifications, cache, loads, load } = setup();
    await cache.read('k', load('cached'));
    notifications.listening = false;
    await expect(cache.read('k', load('live-1'))).resolves.toBe('live-1');
    await expect(cache.read('k', load('live-2'))).resolves.toBe('live-2');
    // The reconnection wakes the subscribers (PgNotificationListener), which empties the cache.
    notifications.listening = true;
    notifications.notify('test_changed');
    await expect(cache.read('k', load('fresh'))).resolves.toBe('fresh');
    await expect(cache.read('k', load('unused'))).resolves.toBe('fresh');
    expect(loads).toEqual(['cached', 'live-1', 'live-2', 'fresh']);
  });

  it('does not keep a load that was under way when a change emptied it (it may predate the change)', async () => {
    const { notifications, cache, load } = setup();
    let finish: (loaded: Loaded<string>) => void = () => undefined;
    const slow = cache.read('k', () => new Promise<Loaded<string>>((resolve) => (finish = resolve)));
    notifications.notify('test_changed');
    finish({ value: 'read before the change', keepForMs: Number.POSITIVE_INFINITY });
    await expect(slow).resolves.toBe('read before the change');
    await expect(cache.read('k', load('read after'))).resolves.toBe('read after');
  });

  it('does not keep a load that ends while the channel is not listened to', async () => {
    const { notifications, cache, load } = setup();
    let finish: (loaded: Loaded<string>) => void = () => undefined;
    const slow = cache.read('k', () => new Promise<Loaded<string>>((resolve) => (finish = resolve)));
    notifications.listening = false;
    finish({ value: 'old', keepForMs: Number.POSITIVE_INFINITY });
    await slow;
    notifications.listening = true;
    await expect(cache.read('k', load('new'))).resolves.toBe('new');
  });

  it('shares one load between concurrent reads of a key, but not across an emptying', async () => {
    const { notifications, cache } = setup();
    let calls = 0;
    const finishers: ((loaded: Loaded<string>) => void)[] = [];
    const load = () => {
      calls += 1;
      return new Promise<Loaded<string>>((resolve) => finishers.push(resolve));
    };
    const first = cache.read('k', load);
    const second = cache.read('k', load);
    notifications.notify('test_changed');
    const third = cache.read('k', load);
    expect(calls).toBe(2);
    finishers[0]?.({ value: 'old', keepForMs: Number.POSITIVE_INFINITY });
    finishers[1]?.({ value: 'new', keepForMs: Number.POSITIVE_INFINITY });
    await expect(Promise.all([first, second, third])).resolves.toEqual(['old', 'old', 'new']);
  });

  it('lets a failed load fail its readers and keeps nothing of it', async () => {
    const { cache, load } = setup();
    await expect(cache.read('k', () => Promise.reject(new Error('database down')))).rejects.toThrow(
      'database down',
    );
    await expect(cache.read('k', load('back'))).resolves.toBe('back');
  });

  it('stays within its bound, and stops listening when closed', async () => {
    const { notifications, cache, load } = setup(10_000, 3);
    for (const key of ['a', 'b', 'c', 'd', 'e']) await cache.read(key, load(key));
    expect(cache.size).toBe(3);
    expect(notifications.subscribers.get('test_changed')?.size).toBe(1);
    cache.close();
    expect(notifications.subscribers.get('test_changed')?.size).toBe(0);
    expect(cache.size).toBe(0);
  });
});
