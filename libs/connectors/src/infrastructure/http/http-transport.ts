import axios, { AxiosInstance } from 'axios';

import { isEgressDenied } from '@rampart/egress';
import { retryDelayMs } from '@rampart/resilience';

import { CircuitBreaker } from '../../domain/circuit-breaker';
import { ConnectorError, ConnectorErrorCode } from '../../domain/connector-error';
import { parseRetryAfter } from '../../domain/retry-policy';
import { AuthProvider } from './auth-provider';
import { ResolvedRuntime } from './runtime';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  /** Built with `path\`\``: literal parts we wrote, encoded parameter values. '' = the base URL. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  /** Exact bytes to send (e.g. a body that is signed). */
  raw?: { contentType: string; text: string };
  headers?: Record<string, string>;
  /** Whether to add the auth provider's headers (default true). */
  auth?: boolean;
  /**
   * Non-2xx answers the adapter interprets itself instead of retrying or mapping them: a list of
   * statuses, or a predicate (e.g. FortiOS "-5 already exists", which comes as HTTP 500).
   */
  accept?: number[] | ((response: HttpResponse) => boolean);
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Raw body text. */
  text: string;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  json: unknown;
}

/** Vendor-specific reading of responses; all optional. */
/** What a vendor's error body says: its own code and message, each only when present. */
export interface VendorIssue {
  vendorCode?: string;
  message?: string;
}

export function vendorIssue(vendorCode: string | undefined, message: string | undefined): VendorIssue {
  return {
    ...(vendorCode === undefined ? {} : { vendorCode }),
    ...(message === undefined ? {} : { message }),
  };
}

export interface VendorProtocol {
  /**
   * Errors hidden in a 2xx (PAN-OS answers `status="error"` with HTTP 200) or auth failures
   * spelled differently than 401.
   */
  classify?(response: HttpResponse): 'auth' | ConnectorError | undefined;
  /** Vendor error code and message from an error body. */
  describeError?(response: HttpResponse): VendorIssue;
  /** Wait the vendor asks for on 429, in ms from `nowMs`; default reads `Retry-After`. */
  retryAfterMs?(response: HttpResponse, nowMs: number): number | undefined;
}

export interface HttpTransportOptions {
  connector: string;
  baseUrl: string;
  runtime: ResolvedRuntime;
  breaker: CircuitBreaker;
  auth?: AuthProvider;
  protocol?: VendorProtocol;
  /** Secret values to scrub from any vendor text that reaches an error message. */
  secrets?: () => string[];
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * The only way adapters talk HTTP. It pins every request to the instance's base URL, applies the
 * per-attempt timeout, retries 5xx / 429 / network errors with jittered backoff (honouring the
 * vendor's wait), refreshes credentials once on 401, feeds the circuit breaker, and turns every
 * failure into a {@link ConnectorError} that carries no secret.
 */
export class HttpTransport {
  readonly #axios: AxiosInstance;
  readonly #options: HttpTransportOptions;
  readonly #origin: string;
  readonly #basePath: string;

  constructor(options: HttpTransportOptions) {
    this.#options = options;
    const base = parseBaseUrl(options.baseUrl);
    this.#origin = base.origin;
    this.#basePath = base.basePath;
    this.#axios = axios.create({
      maxRedirects: 0,
      proxy: false,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      maxContentLength: MAX_BODY_BYTES,
      maxBodyLength: MAX_BODY_BYTES,
      // Every connection goes through the egress policy's agents (resolved address checked).
      httpAgent: options.runtime.egress.httpAgent,
      httpsAgent: options.runtime.egress.httpsAgent,
    });
  }

  get breaker(): CircuitBreaker {
    return this.#options.breaker;
  }

  async request(request: HttpRequest, operation: string): Promise<HttpResponse> {
    const { runtime, breaker } = this.#options;
    if (!breaker.tryAcquire()) {
      throw this.error(
        ConnectorErrorCode.CircuitOpen,
        'circuit breaker is open; vendor calls paused',
        operation,
        {
          retryAfterMs: breaker.retryInMs(),
        },
      );
    }
    let retries = 0;
    let refreshed = false;
    for (;;) {
      let authHeaders: Record<string, string> = {};
      if (request.auth !== false && this.#options.auth) {
        try {
          authHeaders = await this.#options.auth.headers();
        } catch (failure) {
          // The token endpoint failed; it already retried. Only an unreachable issuer says
          // anything about vendor health.
          const error = failure instanceof ConnectorError ? failure : undefined;
          if (error?.code === ConnectorErrorCode.Unavailable || error?.code === ConnectorErrorCode.Timeout) {
            breaker.onFailure();
          } else {
            breaker.onNeutral();
          }
          if (error) throw error.withContext(this.#options.connector, operation);
          throw this.error(ConnectorErrorCode.AuthFailed, 'could not obtain a token', operation);
        }
      }
      let response: HttpResponse;
      try {
        response = await this.send(request, authHeaders);
      } catch (failure) {
        if (isEgressDenied(failure)) {
          // A policy decision, not a vendor failure: no retry, and the breaker is not fed.
          breaker.onNeutral();
          throw this.error(
            ConnectorErrorCode.Unavailable,
            'destination refused by the egress policy (see SOAR_EGRESS_ALLOW)',
            operation,
            { retryable: false },
          );
        }
        const timedOut = failure instanceof AttemptTimeout;
        const canRetry = (!timedOut || runtime.retry.retryOnTimeout) && retries < runtime.retry.maxRetries;
        if (canRetry) {
          retries += 1;
          await runtime.sleep(retryDelayMs(runtime.retry, retries, runtime.random));
          continue;
        }
        breaker.onFailure();
        throw timedOut
          ? this.error(ConnectorErrorCode.Timeout, `no answer within ${runtime.timeoutMs} ms`, operation)
          : this.error(
              ConnectorErrorCode.Unavailable,
              `vendor unreachable (${networkCode(failure)})`,
              operation,
            );
      }

      const verdict = this.#options.protocol?.classify?.(response);
      const authRejected = response.status === 401 || verdict === 'auth';
      if (authRejected && request.auth !== false && !refreshed && this.#options.auth?.invalidate()) {
        // One fresh credential per call: a token that expired early or was revoked is replaced,
        // a wrong secret fails on the second answer.
        refreshed = true;
        continue;
      }
      const accepted = isAccepted(request, response);
      if (response.status === 429 && !accepted) {
        const waitMs = this.retryAfter(response);
        if (waitMs !== undefined && waitMs > runtime.retry.maxRetryAfterMs) {
          breaker.onNeutral();
          throw this.vendorError(ConnectorErrorCode.RateLimited, response, operation, {
            retryAfterMs: waitMs,
          });
        }
        if (retries < runtime.retry.maxRetries) {
          retries += 1;
          await runtime.sleep(waitMs ?? retryDelayMs(runtime.retry, retries, runtime.random));
          continue;
        }
        breaker.onNeutral();
        throw this.vendorError(
          ConnectorErrorCode.RateLimited,
          response,
          operation,
          waitMs === undefined ? {} : { retryAfterMs: waitMs },
        );
      }
      if (response.status >= 500 && !accepted) {
        if (retries < runtime.retry.maxRetries) {
          retries += 1;
          const asked = this.retryAfter(response);
          const waitMs =
            asked !== undefined && asked <= runtime.retry.maxRetryAfterMs
              ? asked
              : retryDelayMs(runtime.retry, retries, runtime.random);
          await runtime.sleep(waitMs);
          continue;
        }
        breaker.onFailure();
        throw this.vendorError(ConnectorErrorCode.Unavailable, response, operation);
      }

      // The vendor answered: whatever it said, it is up.
      breaker.onSuccess();
      if (authRejected) throw this.vendorError(ConnectorErrorCode.AuthFailed, response, operation);
      if (verdict instanceof ConnectorError) throw verdict.withContext(this.#options.connector, operation);
      if ((response.status >= 200 && response.status < 300) || accepted) {
        return response;
      }
      throw this.vendorError(statusCode(response.status), response, operation);
    }
  }

  /** Error with this connector's name, vendor text scrubbed of secrets. */
  error(
    code: ConnectorErrorCode,
    message: string,
    operation: string,
    init: { vendorStatus?: number; vendorCode?: string; retryAfterMs?: number; retryable?: boolean } = {},
  ): ConnectorError {
    return new ConnectorError(code, this.redact(message), {
      ...init,
      connector: this.#options.connector,
      operation,
    });
  }

  /** Error for a vendor answer, using the protocol's reading of the body. */
  vendorError(
    code: ConnectorErrorCode,
    response: HttpResponse,
    operation: string,
    init: { retryAfterMs?: number; retryable?: boolean } = {},
  ): ConnectorError {
    const described = this.#options.protocol?.describeError?.(response) ?? {};
    const vendorText = described.message ? `: ${truncate(described.message)}` : '';
    const errorInit: {
      vendorStatus: number;
      vendorCode?: string;
      retryAfterMs?: number;
      retryable?: boolean;
    } = {
      vendorStatus: response.status,
      ...init,
    };
    if (described.vendorCode !== undefined) errorInit.vendorCode = this.redact(described.vendorCode);
    return this.error(
      code,
      `${CODE_TEXT[code]} (HTTP ${response.status})${vendorText}`,
      operation,
      errorInit,
    );
  }

  redact(text: string): string {
    const secrets = [...(this.#options.secrets?.() ?? []), ...(this.#options.auth?.secrets() ?? [])];
    let out = text;
    for (const secret of secrets) {
      if (secret.length >= 4) out = out.split(secret).join('***');
    }
    return out;
  }

  private retryAfter(response: HttpResponse): number | undefined {
    const now = this.#options.runtime.clock();
    return (
      this.#options.protocol?.retryAfterMs?.(response, now) ??
      parseRetryAfter(response.headers['retry-after'], now)
    );
  }

  private async send(request: HttpRequest, authHeaders: Record<string, string>): Promise<HttpResponse> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      ...request.headers,
      ...authHeaders,
    };
    let data: string | undefined;
    if (request.json !== undefined) {
      data = JSON.stringify(request.json);
      headers['Content-Type'] = 'application/json';
    } else if (request.form !== undefined) {
      data = new URLSearchParams(request.form).toString();
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
    } else if (request.raw !== undefined) {
      data = request.raw.text;
      headers['Content-Type'] = request.raw.contentType;
    }
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.#options.runtime.timeoutMs);
    try {
      const response = await this.#axios.request<string>({
        method: request.method,
        url: this.url(request),
        headers,
        data,
        signal: controller.signal,
      });
      const text = typeof response.data === 'string' ? response.data : '';
      return {
        status: response.status,
        headers: flattenHeaders(response.headers),
        text,
        json: parseJson(text),
      };
    } catch (failure) {
      if (timedOut) throw new AttemptTimeout();
      throw failure;
    } finally {
      clearTimeout(timer);
    }
  }

  private url(request: HttpRequest): string {
    if (request.path !== '' && !request.path.startsWith('/')) {
      throw this.error(
        ConnectorErrorCode.InvalidRequest,
        'request path must be relative to the base URL',
        'request',
      );
    }
    const query = Object.entries(request.query ?? {})
      .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
      .map(([key, value]) => `${encodeQuery(key)}=${encodeQuery(String(value))}`)
      .join('&');
    return `${this.#origin}${this.#basePath}${request.path}${query ? `?${query}` : ''}`;
  }
}

class AttemptTimeout extends Error {}

function isAccepted(request: HttpRequest, response: HttpResponse): boolean {
  if (request.accept === undefined) return false;
  return typeof request.accept === 'function'
    ? request.accept(response)
    : request.accept.includes(response.status);
}

const CODE_TEXT: Record<ConnectorErrorCode, string> = {
  [ConnectorErrorCode.AuthFailed]: 'vendor rejected the credentials',
  [ConnectorErrorCode.NotFound]: 'vendor object not found',
  [ConnectorErrorCode.RateLimited]: 'vendor rate limit hit',
  [ConnectorErrorCode.Timeout]: 'vendor did not answer in time',
  [ConnectorErrorCode.Unavailable]: 'vendor unavailable',
  [ConnectorErrorCode.InvalidRequest]: 'vendor refused the request',
  [ConnectorErrorCode.VendorError]: 'vendor error',
  [ConnectorErrorCode.CircuitOpen]: 'circuit breaker is open',
};

function statusCode(status: number): ConnectorErrorCode {
  if (status === 401 || status === 403) return ConnectorErrorCode.AuthFailed;
  if (status === 404) return ConnectorErrorCode.NotFound;
  if (status === 400 || status === 405 || status === 413 || status === 422)
    return ConnectorErrorCode.InvalidRequest;
  return ConnectorErrorCode.VendorError;
}

/** Split a configured base URL into origin and path prefix; refuses anything but plain http(s). */
export function parseBaseUrl(baseUrl: string): { origin: string; basePath: string } {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ConnectorError(ConnectorErrorCode.InvalidRequest, 'baseUrl is not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConnectorError(ConnectorErrorCode.InvalidRequest, 'baseUrl must be http(s)');
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new ConnectorError(
      ConnectorErrorCode.InvalidRequest,
      'baseUrl must not carry credentials, query or fragment',
    );
  }
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
}

function encodeQuery(value: string): string {
  // `$` stays literal for OData (`$filter`); everything else is percent-encoded.
  return encodeURIComponent(value).replace(/%24/g, '$');
}

function flattenHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers && typeof headers === 'object') {
    for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
      if (value !== undefined && value !== null)
        out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    }
  }
  return out;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function networkCode(failure: unknown): string {
  const code = (failure as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z_]+$/.test(code) ? code : 'network error';
}

function truncate(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}
