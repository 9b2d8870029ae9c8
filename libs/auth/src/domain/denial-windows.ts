/** What a refused request is counted by: why, which route, and who (an address or a key / user id). */
export interface DenialKey {
  /** `401 missing_api_key`, `403 forbidden`... */
  reason: string;
  /** `GET /api/v1/audit`: the route pattern (never the raw path, which a client chooses freely). */
  route: string;
  source: string;
  /** Who was refused, when known (kept from the first refusal; not part of the key). */
  actor?: { kind: 'user' | 'api_key' | 'system' | 'anonymous'; id: string | null; name: string };
}

/** A summary of the refusals counted after the first of a window. */
export interface DenialSummary {
  key: DenialKey;
  count: number;
  from: number;
  to: number;
}

/** Sources beyond the bound are counted together under this one. */
export const MANY_SOURCES = '*';

/**
 * Aggregates refused requests so that an unauthenticated flood cannot grow the audit chain (or
 * memory) without bound: the first refusal of a (reason, route, source) is recorded at once; the
 * ones after it, within `windowMs`, are counted and recorded as one summary when the window ends.
 * A key that keeps being refused gets one summary per window; a key that went quiet for a whole
 * window is forgotten, and its next refusal is recorded at once again. At most `maxKeys` keys are
 * tracked: further sources of a (reason, route) are counted under the source `*`.
 */
export class DenialWindows {
  private readonly windows = new Map<string, { key: DenialKey; from: number; count: number }>();

  constructor(
    readonly windowMs: number,
    private readonly maxKeys: number,
  ) {}

  /** `record`: the first refusal of its window, to be recorded now; `counted`: in the next summary. */
  hit(key: DenialKey, now: number): 'record' | 'counted' {
    let tracked = key;
    let id = idOf(tracked);
    if (!this.windows.has(id) && this.windows.size >= this.maxKeys) {
      tracked = { reason: key.reason, route: key.route, source: MANY_SOURCES };
      id = idOf(tracked);
    }
    const window = this.windows.get(id);
    if (window) {
      window.count += 1;
      return 'counted';
    }
    this.windows.set(id, { key: tracked, from: now, count: 0 });
    return 'record';
  }

  /** The summaries of the windows that ended by `now` (with refusals counted); quiet keys are forgotten. */
  due(now: number): DenialSummary[] {
    const summaries: DenialSummary[] = [];
    for (const [id, window] of this.windows) {
      if (window.from + this.windowMs > now) continue;
      if (window.count === 0) {
        this.windows.delete(id);
        continue;
      }
      summaries.push({ key: window.key, count: window.count, from: window.from, to: now });
      window.from = now;
      window.count = 0;
    }
    return summaries;
  }

  /** Every window's refusals, summarised now (at shutdown). */
  drain(now: number): DenialSummary[] {
    const summaries = [...this.windows.values()]
      .filter((window) => window.count > 0)
      .map((window) => ({ key: window.key, count: window.count, from: window.from, to: now }));
    this.windows.clear();
    return summaries;
  }

  get size(): number {
    return this.windows.size;
  }
}

function idOf(key: DenialKey): string {
  return `${key.reason}\u0000${key.route}\u0000${key.source}`;
}
