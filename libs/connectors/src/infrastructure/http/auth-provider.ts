import { TokenCache } from './token-cache';

/** Adds credentials to a request and says whether a fresh credential is worth one more try. */
export interface AuthProvider {
  headers(): Promise<Record<string, string>>;
  /** Called when the vendor rejected the credential; true = a refreshed one may work. */
  invalidate(): boolean;
  /** Current secret values, so the transport can scrub them from any vendor text. */
  secrets(): string[];
}

/** OAuth2 bearer token from a token endpoint, cached and refreshed. */
export class BearerTokenAuth implements AuthProvider {
  constructor(private readonly cache: TokenCache) {}

  async headers(): Promise<Record<string, string>> {
    return { Authorization: `Bearer ${await this.cache.get()}` };
  }

  invalidate(): boolean {
    this.cache.invalidate();
    return true;
  }

  secrets(): string[] {
    const token = this.cache.current();
    return token ? [token] : [];
  }
}

/** A long-lived API token in a fixed header (FortiGate `Bearer`, Okta `SSWS`): nothing to refresh. */
export class StaticHeaderAuth implements AuthProvider {
  readonly #header: string;
  readonly #value: string;
  readonly #secret: string;

  constructor(header: string, value: string, secret: string) {
    this.#header = header;
    this.#value = value;
    this.#secret = secret;
  }

  async headers(): Promise<Record<string, string>> {
    return { [this.#header]: this.#value };
  }

  invalidate(): boolean {
    return false;
  }

  secrets(): string[] {
    return [this.#secret];
  }
}
