import { Clock } from './runtime';

export interface IssuedToken {
  token: string;
  /** Lifetime the issuer announced (`expires_in`). */
  expiresInSeconds: number;
}

/**
 * Caches one bearer token: refreshed shortly before it expires, on demand after a 401, and
 * fetched once for concurrent callers.
 */
export class TokenCache {
  private token: string | undefined;
  private refreshAt = 0;
  private inFlight: Promise<string> | undefined;

  constructor(
    private readonly fetchToken: () => Promise<IssuedToken>,
    private readonly clock: Clock,
    private readonly maxSkewMs = 60_000,
  ) {}

  async get(): Promise<string> {
    if (this.token !== undefined && this.clock() < this.refreshAt) return this.token;
    this.inFlight ??= this.fetchToken()
      .then((issued) => {
        const lifetimeMs = Math.max(0, issued.expiresInSeconds * 1000);
        // Refresh a little early so a token never expires in flight; short-lived tokens get a
        // proportionally shorter margin.
        this.refreshAt = this.clock() + lifetimeMs - Math.min(this.maxSkewMs, lifetimeMs / 2);
        this.token = issued.token;
        return issued.token;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  /** Drop the cached token, e.g. after the vendor answered 401 to it. */
  invalidate(): void {
    this.token = undefined;
    this.refreshAt = 0;
  }

  /** The token in use, for redaction only. */
  current(): string | undefined {
    return this.token;
  }
}
