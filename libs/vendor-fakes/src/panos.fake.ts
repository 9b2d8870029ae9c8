import { FakeRequest, FakeResponse, FakeServer, FakeTokenIssuer } from './fake-server';
import { attr, child, children, parseXml, text, xmlEscape } from './panos-xml';

/*
 * PAN-OS XML API fake (User-ID tag registration for dynamic address groups).
 *
 * Verified (pan.dev "automating IP blocking" tutorial):
 *   - type=user-id with a <uid-message> <register>/<unregister> of <entry ip> <tag><member timeout>;
 *     timeout in seconds, 0 = never, max 2592000; persistent attribute; single IPs only
 *   - success answer <response status="success"><result><uid-response>...</uid-response></result>
 *   - type=op <show><object><registered-ip><all/></registered-ip></object></show> lists
 *     <entry ip from_agent persistent><tag><member>..</member></tag></entry> and <count>
 * Partly verified:
 *   - type=keygen user/password -> <result><key>; key in X-PAN-KEY header or key= parameter
 *   - re-registering an already registered tag is a no-op
 * Assumed:
 *   - a rejected key answers HTTP 403 <response status="error" code="403"> "Invalid Credential"
 *   - malformed cmd: <response status="error" code="18"> (error code table not verified)
 *   - no documented rate limit: injected 429s use Retry-After
 *   - keys expire only when the test says so (PAN-OS key lifetime is an admin setting)
 */

interface Registration {
  timeoutSeconds: number;
  registeredAt: number;
  persistent: boolean;
}

export interface PanOsFakeOptions {
  username?: string;
  password?: string;
  /** A pre-shared API key that is always valid (besides generated ones). */
  apiKey?: string;
}

export class PanOsFake extends FakeServer {
  readonly vendor = 'Palo Alto Networks PAN-OS';
  readonly username: string;
  readonly password: string;
  readonly apiKey: string;
  readonly keys = new FakeTokenIssuer(365 * 24 * 3600);
  /** ip -> tag -> registration. */
  readonly registered = new Map<string, Map<string, Registration>>();
  /** Registrations and unregistrations that changed state. */
  readonly changes = { register: 0, unregister: 0 };
  /** Every registration the fake received (whether it changed state or not), in order, with its time. */
  readonly registrations: { ip: string; tag: string; at: number }[] = [];
  private staticKeyValid = true;

  constructor(options: PanOsFakeOptions = {}) {
    super();
    this.username = options.username ?? 'rampart-api';
    this.password = options.password ?? 'fake-panos-password';
    this.apiKey = options.apiKey ?? 'LUFRPT1fakepanoskey==';
    const kind = (request: FakeRequest): string => param(request, 'type') ?? 'unknown';
    const faultable = (request: FakeRequest): boolean => param(request, 'type') !== 'keygen';
    this.route('POST', '/api/', kind, (request) => this.api(request), { faultable });
    this.route('GET', '/api/', kind, (request) => this.api(request), { faultable });
  }

  /** Tags currently registered on an IP (timeouts applied). */
  tagsOf(ip: string): string[] {
    this.expire();
    return [...(this.registered.get(ip)?.keys() ?? [])];
  }

  /** Invalidate every key handed out so far, and the static one. */
  expireKeys(): void {
    this.keys.expireAll();
    this.staticKeyValid = false;
  }

  protected override faultResponse(status: number): FakeResponse {
    return xml(status, '<response status="error"><msg><line>Internal server error</line></msg></response>');
  }

  private api(request: FakeRequest): FakeResponse {
    const type = param(request, 'type');
    if (type === 'keygen') return this.keygen(request);
    const key = String(request.headers['x-pan-key'] ?? '') || param(request, 'key');
    const valid = (key === this.apiKey && this.staticKeyValid) || this.keys.isValid(key);
    if (!valid) {
      return xml(
        403,
        '<response status="error" code="403"><result><msg>Invalid Credential</msg></result></response>',
      );
    }
    const cmd = param(request, 'cmd') ?? '';
    if (type === 'user-id') return this.userId(cmd);
    if (type === 'op') return this.op(cmd);
    return xml(
      200,
      `<response status="error" code="12"><msg><line>type ${xmlEscape(type ?? '')} not supported by the fake</line></msg></response>`,
    );
  }

  private keygen(request: FakeRequest): FakeResponse {
    if (param(request, 'user') !== this.username || param(request, 'password') !== this.password) {
      return xml(
        403,
        '<response status="error" code="403"><result><msg>Invalid Credential</msg></result></response>',
      );
    }
    return xml(
      200,
      `<response status="success"><result><key>${this.keys.issue().token}</key></result></response>`,
    );
  }

  private userId(cmd: string): FakeResponse {
    const message = child(parseXml(cmd), 'uid-message');
    const payload = child(message, 'payload');
    if (text(message.type) !== 'update' || (!('register' in payload) && !('unregister' in payload))) {
      return xml(
        200,
        '<response status="error" code="18"><msg><line>Malformed uid-message</line></msg></response>',
      );
    }
    this.expire();
    for (const entry of children(child(payload, 'register'), 'entry')) {
      const ip = attr(entry, 'ip');
      if (!ip) continue;
      const tags = this.registered.get(ip) ?? new Map<string, Registration>();
      for (const member of children(child(entry, 'tag'), 'member')) {
        const tag = text(member);
        if (!tag) continue;
        this.registrations.push({ ip, tag, at: Date.now() });
        if (!tags.has(tag)) this.changes.register += 1;
        tags.set(tag, {
          timeoutSeconds: Number(attr(member, 'timeout') ?? 0),
          registeredAt: Date.now(),
          persistent: attr(entry, 'persistent') !== '0',
        });
      }
      this.registered.set(ip, tags);
    }
    for (const entry of children(child(payload, 'unregister'), 'entry')) {
      const ip = attr(entry, 'ip');
      const tags = ip ? this.registered.get(ip) : undefined;
      if (!ip || !tags) continue;
      for (const member of children(child(entry, 'tag'), 'member')) {
        const tag = text(member);
        if (tag && tags.delete(tag)) this.changes.unregister += 1;
      }
      if (tags.size === 0) this.registered.delete(ip);
    }
    return xml(
      200,
      '<response status="success"><result><uid-response><version>2.0</version><payload>' +
        '<register></register><unregister></unregister></payload></uid-response></result></response>',
    );
  }

  private op(cmd: string): FakeResponse {
    const registeredIp = child(child(child(parseXml(cmd), 'show'), 'object'), 'registered-ip');
    if (!('all' in registeredIp)) {
      return xml(
        200,
        '<response status="error" code="17"><msg><line>show object: unsupported in the fake</line></msg></response>',
      );
    }
    this.expire();
    const entries = [...this.registered.entries()].map(([ip, tags]) => {
      const persistent = [...tags.values()].some((registration) => registration.persistent) ? 1 : 0;
      const members = [...tags.keys()].map((tag) => `<member>${xmlEscape(tag)}</member>`).join('');
      return `<entry ip="${xmlEscape(ip)}" from_agent="0" persistent="${persistent}"><tag>${members}</tag></entry>`;
    });
    return xml(
      200,
      `<response status="success"><result>${entries.join('')}<count>${entries.length}</count></result></response>`,
    );
  }

  private expire(): void {
    const now = Date.now();
    for (const [ip, tags] of this.registered) {
      for (const [tag, registration] of tags) {
        if (
          registration.timeoutSeconds > 0 &&
          now >= registration.registeredAt + registration.timeoutSeconds * 1000
        )
          tags.delete(tag);
      }
      if (tags.size === 0) this.registered.delete(ip);
    }
  }
}

function param(request: FakeRequest, name: string): string | undefined {
  return request.form.get(name) ?? request.query.get(name) ?? undefined;
}

function xml(status: number, body: string): FakeResponse {
  return { status, headers: { 'Content-Type': 'application/xml; charset=UTF-8' }, body };
}
