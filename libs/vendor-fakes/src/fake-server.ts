import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** What the next calls to a fake's API routes do instead of answering normally. */
export type FakeFault =
  | { kind: 'status'; status: number; body?: string }
  | { kind: 'rate_limit'; retryAfterSeconds: number }
  | { kind: 'hang' };

export interface FakeRequest {
  method: string;
  /** Path without query, still percent-encoded. */
  path: string;
  /** Decoded route parameters. */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  rawBody: string;
  /** Parsed JSON body (undefined if not JSON). */
  json: unknown;
  /** Parsed form body (empty if not a form). */
  form: URLSearchParams;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  /** Object = JSON; string = sent as is. */
  body?: unknown;
}

export type FakeHandler = (request: FakeRequest) => FakeResponse | Promise<FakeResponse>;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  kind: string | ((request: FakeRequest) => string);
  handler: FakeHandler;
  /** Whether injected faults apply (token endpoints are exempt). */
  faultable: boolean | ((request: FakeRequest) => boolean);
}

/**
 * Base of the vendor fakes: a loopback HTTP server with a route table, call counters per kind
 * of call, and fault injection (next N API calls fail with a status, a rate limit or a hang).
 * Vendor subclasses add their routes, state and auth rules.
 */
export abstract class FakeServer {
  abstract readonly vendor: string;
  /** Every call that arrived, by kind (including faulted and rejected ones). */
  readonly calls: Record<string, number> = {};
  /** Chronological log of call kinds, for asserting order. */
  readonly callLog: string[] = [];
  /** Every answer waits this long first, as a real vendor across a network would. */
  latencyMs = 0;

  private readonly routes: Route[] = [];
  private readonly faults: FakeFault[] = [];
  private readonly afterHooks: { kind: string; action: () => void }[] = [];
  private server: Server | undefined;
  private url = '';

  get baseUrl(): string {
    return this.url;
  }

  /** Count of calls of one kind. */
  count(kind: string): number {
    return this.calls[kind] ?? 0;
  }

  /** The next `times` API calls get `fault` instead of their normal answer. */
  failNext(times: number, fault: FakeFault): this {
    for (let index = 0; index < times; index += 1) this.faults.push(fault);
    return this;
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /**
   * Runs `action` once, right after the next call of `kind` is handled and before its answer is
   * sent: how a test makes "somebody else changed the vendor between our read and our write"
   * happen deterministically.
   */
  afterNext(kind: string, action: () => void): this {
    this.afterHooks.push({ kind, action });
    return this;
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = createServer((request, response) => {
      void this.dispatch(request, response);
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    this.url = `http://${host}:${address.port}${this.basePath()}`;
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    // Hanging requests hold their sockets open; end them so close() returns.
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Path prefix the fake's base URL carries (e.g. a webhook path); '' by default. */
  protected basePath(): string {
    return '';
  }

  /** Headers a rate-limit fault answers with, in the vendor's own spelling. */
  protected rateLimitResponse(retryAfterSeconds: number): FakeResponse {
    return {
      status: 429,
      headers: { 'Retry-After': String(retryAfterSeconds) },
      body: { error: 'Too Many Requests' },
    };
  }

  /** Answer for a 5xx fault, in the vendor's error shape. */
  protected faultResponse(status: number, body?: string): FakeResponse {
    return { status, body: body ?? { error: 'injected failure' } };
  }

  protected route(
    method: string,
    pattern: string | RegExp,
    kind: string | ((request: FakeRequest) => string),
    handler: FakeHandler,
    options: { faultable?: boolean | ((request: FakeRequest) => boolean) } = {},
  ): void {
    const names: string[] = [];
    const regex =
      typeof pattern === 'string'
        ? new RegExp(
            `^${pattern
              .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
              .replace(/:([A-Za-z]+)/g, (_match, name: string) => {
                names.push(name);
                return '([^/]+)';
              })}$`,
          )
        : pattern;
    this.routes.push({ method, pattern: regex, names, kind, handler, faultable: options.faultable ?? true });
  }

  private async dispatch(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const rawBody = await readBody(request);
    const url = new URL(request.url ?? '/', 'http://fake');
    const prefix = this.basePath();
    const fullPath = url.pathname;
    const path = prefix && fullPath.startsWith(prefix) ? fullPath.slice(prefix.length) : fullPath;
    const route = this.routes.find(
      (candidate) => candidate.method === request.method && candidate.pattern.test(path),
    );
    if (!route) {
      this.countCall('unrouted');
      send(response, { status: 404, body: { error: `no route ${request.method} ${path}` } });
      return;
    }
    const match = route.pattern.exec(path);
    const params: Record<string, string> = {};
    route.names.forEach((name, index) => {
      params[name] = decodeURIComponent(match?.[index + 1] ?? '');
    });
    for (const [name, value] of Object.entries(match?.groups ?? {}))
      params[name] = decodeURIComponent(value ?? '');
    const contentType = String(request.headers['content-type'] ?? '');
    const fakeRequest: FakeRequest = {
      method: request.method ?? 'GET',
      path,
      params,
      query: url.searchParams,
      headers: request.headers,
      rawBody,
      json: contentType.includes('json') ? safeJson(rawBody) : undefined,
      form: contentType.includes('x-www-form-urlencoded')
        ? new URLSearchParams(rawBody)
        : new URLSearchParams(),
    };
    const kind = typeof route.kind === 'function' ? route.kind(fakeRequest) : route.kind;
    this.countCall(kind);
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    if (typeof route.faultable === 'function' ? route.faultable(fakeRequest) : route.faultable) {
      const fault = this.faults.shift();
      if (fault?.kind === 'hang') return; // never answered; the client's timeout ends it
      if (fault?.kind === 'rate_limit')
        return send(response, this.rateLimitResponse(fault.retryAfterSeconds));
      if (fault?.kind === 'status') return send(response, this.faultResponse(fault.status, fault.body));
    }
    try {
      const answer = await route.handler(fakeRequest);
      const hook = this.afterHooks.findIndex((candidate) => candidate.kind === kind);
      if (hook >= 0) this.afterHooks.splice(hook, 1)[0]?.action();
      send(response, answer);
    } catch (failure) {
      send(response, {
        status: 500,
        body: { error: failure instanceof Error ? failure.message : 'fake failure' },
      });
    }
  }

  private countCall(kind: string): void {
    this.calls[kind] = (this.calls[kind] ?? 0) + 1;
    this.callLog.push(kind);
  }
}

/**
 * Bearer tokens a fake hands out, with expiry on the fake's clock; tests can expire or revoke
 * them to exercise refresh.
 */
export class FakeTokenIssuer {
  private readonly tokens = new Map<string, number>();

  constructor(
    private readonly lifetimeSeconds: number,
    private readonly clock: () => number = Date.now,
  ) {}

  issue(): { token: string; expiresIn: number } {
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, this.clock() + this.lifetimeSeconds * 1000);
    return { token, expiresIn: this.lifetimeSeconds };
  }

  isValid(token: string | undefined): boolean {
    if (token === undefined) return false;
    const expiresAt = this.tokens.get(token);
    return expiresAt !== undefined && this.clock() < expiresAt;
  }

  /** Expire every token handed out so far (a long pause, or the vendor revoking them). */
  expireAll(): void {
    for (const token of this.tokens.keys()) this.tokens.set(token, 0);
  }

  get issued(): number {
    return this.tokens.size;
  }
}

export function bearerToken(request: FakeRequest): string | undefined {
  const header = String(request.headers.authorization ?? '');
  return header.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
}

function send(response: ServerResponse, answer: FakeResponse): void {
  const headers: Record<string, string> = { ...answer.headers };
  let body = '';
  if (typeof answer.body === 'string') {
    body = answer.body;
  } else if (answer.body !== undefined) {
    body = JSON.stringify(answer.body);
    headers['Content-Type'] ??= 'application/json';
  }
  response.writeHead(answer.status, headers);
  response.end(body);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', () => resolve(''));
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
