import { FakeRequest, FakeResponse, FakeServer } from './fake-server';

/*
 * Webhook receivers.
 *
 * Slack incoming webhook (api.slack.com "Sending messages using incoming webhooks"):
 *   - Verified: POST JSON {text, ...} to https://hooks.slack.com/services/T/B/X; 200 with body "ok"
 *   - Partly verified: errors as a bare token in a text body: 400 invalid_payload / no_text,
 *     403 action_prohibited, 404 no_service, 410 channel_is_archived; 429 with Retry-After
 * Generic JSON webhook: our own contract (any 2xx = delivered); Standard Webhooks headers when
 * the sender signs.
 */

export interface ReceivedMessage {
  path: string;
  headers: Record<string, string>;
  body: unknown;
  rawBody: string;
}

export interface WebhookFakeOptions {
  mode: 'slack' | 'json';
  /** Slack: the secret hook path that exists; JSON: the path the receiver listens on. */
  hookPath?: string;
  /** JSON: require this bearer token. */
  bearerToken?: string;
}

export class WebhookFake extends FakeServer {
  readonly vendor: string;
  readonly received: ReceivedMessage[] = [];
  readonly mode: 'slack' | 'json';
  readonly hookPath: string;
  readonly bearerToken: string | undefined;

  constructor(options: WebhookFakeOptions) {
    super();
    this.mode = options.mode;
    this.vendor = options.mode === 'slack' ? 'Slack incoming webhook' : 'JSON webhook receiver';
    this.hookPath =
      options.hookPath ??
      (options.mode === 'slack' ? '/services/T0FAKE001/B0FAKE002/fakeWebhookSecret123' : '/hooks/rampart');
    this.bearerToken = options.bearerToken;
    this.route('POST', /^\/.*$/, 'message', (request) =>
      this.mode === 'slack' ? this.slack(request) : this.json(request),
    );
  }

  /** URL adapters use: the Slack host, or the full JSON receiver URL. */
  get endpoint(): string {
    return this.mode === 'slack' ? this.baseUrl : `${this.baseUrl}${this.hookPath}`;
  }

  protected override rateLimitResponse(retryAfterSeconds: number): FakeResponse {
    return {
      status: 429,
      headers: { 'Retry-After': String(retryAfterSeconds), 'Content-Type': 'text/plain' },
      body: 'rate_limited',
    };
  }

  protected override faultResponse(status: number): FakeResponse {
    return { status, headers: { 'Content-Type': 'text/plain' }, body: 'internal_error' };
  }

  private slack(request: FakeRequest): FakeResponse {
    if (request.path !== this.hookPath) return text(404, 'no_service');
    const body = request.json as { text?: unknown; blocks?: unknown } | undefined;
    if (!body) return text(400, 'invalid_payload');
    if (typeof body.text !== 'string' || body.text === '') return text(400, 'no_text');
    this.record(request);
    return text(200, 'ok');
  }

  private json(request: FakeRequest): FakeResponse {
    if (request.path !== this.hookPath) return { status: 404, body: { error: 'not found' } };
    if (this.bearerToken !== undefined && request.headers.authorization !== `Bearer ${this.bearerToken}`) {
      return { status: 401, body: { error: 'unauthorized' } };
    }
    if (request.json === undefined) return { status: 400, body: { error: 'expected JSON' } };
    this.record(request);
    return { status: 202, body: { received: true } };
  }

  private record(request: FakeRequest): void {
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(request.headers))
      if (typeof value === 'string') headers[key] = value;
    this.received.push({ path: request.path, headers, body: request.json, rawBody: request.rawBody });
  }
}

function text(status: number, body: string): FakeResponse {
  return { status, headers: { 'Content-Type': 'text/html' }, body };
}
