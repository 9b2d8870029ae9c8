import { ActionOutcome, OperationOptions, outcome } from '../../domain/action-outcome';
import { ConnectorError, ConnectorErrorCode, invalidRequest } from '../../domain/connector-error';
import { BlockOptions, BlockState, FirewallConnector } from '../../domain/firewall-connector';
import { NetworkTarget, parseNetworkTarget } from '../../domain/network-target';
import { AuthProvider, BearerTokenAuth, StaticHeaderAuth } from '../http/auth-provider';
import {
  CHECK_ADDRESS,
  checkOperationOptions,
  createTransport,
  guard,
  HttpConnectorSettings,
} from '../http/http-connector';
import { HttpResponse, HttpTransport, VendorProtocol, vendorIssue } from '../http/http-transport';
import { resolveRuntime } from '../http/runtime';
import { TokenCache } from '../http/token-cache';
import { attr, child, children, parseXml, responseMessage, text, xmlEscape } from './panos-xml';

export interface PanOsSettings extends HttpConnectorSettings {
  /** Either a ready API key, or a user and password for `type=keygen` (refreshed when rejected). */
  credentials: { apiKey?: string; username?: string; password?: string };
  /** The tag the dynamic address group matches on. */
  tag?: string;
  /** Panorama: serial of the firewall to register on. */
  target?: string;
  vsys?: string;
  /** Survive a firewall reboot (`persistent="1"`). */
  persistent?: boolean;
}

export const DEFAULT_PANOS_TAG = 'rampart-blocked';
/** PAN-OS caps a tag timeout at 30 days. */
export const PANOS_MAX_TIMEOUT_SECONDS = 2_592_000;
const TAG = /^[A-Za-z0-9_.-]{1,127}$/;
const KEY_LIFETIME_SECONDS = 365 * 24 * 3600;

/** `<response status="error" code="N">` in any HTTP status; 403 / "Invalid credential" is auth. */
export const panOsProtocol: VendorProtocol = {
  classify(response: HttpResponse) {
    const root = child(parseXml(response.text), 'response');
    const status = attr(root, 'status');
    if (response.status === 403 || (status === 'error' && isAuthMessage(root))) return 'auth';
    if (status === 'error' && response.status < 300) {
      const code = attr(root, 'code');
      const message = responseMessage(root) ?? 'PAN-OS returned an error';
      return new ConnectorError(ConnectorErrorCode.VendorError, `PAN-OS error: ${message.slice(0, 300)}`, {
        vendorStatus: response.status,
        ...(code ? { vendorCode: code } : {}),
        retryable: false,
      });
    }
    return undefined;
  },
  describeError(response: HttpResponse) {
    const root = child(parseXml(response.text), 'response');
    return vendorIssue(attr(root, 'code') || undefined, responseMessage(root) || undefined);
  },
};

function isAuthMessage(root: Record<string, unknown>): boolean {
  return attr(root, 'code') === '403' || /invalid credential/i.test(responseMessage(root) ?? '');
}

/**
 * PAN-OS XML API, dynamic address group via User-ID tag registration: register / unregister the
 * IP with our tag (optionally with a tag timeout), read back with `show object registered-ip`. No
 * commit is needed: the DAG and its security rule are set up once by the firewall admin.
 */
export class PanOsFirewallAdapter extends FirewallConnector {
  override readonly type = 'panos';
  override readonly name: string;
  readonly #transport: HttpTransport;
  readonly #tag: string;
  readonly #scope: Record<string, string>;
  readonly #persistent: boolean;
  readonly #clock: () => number;

  constructor(settings: PanOsSettings) {
    super();
    this.name = settings.name;
    this.#tag = settings.tag ?? DEFAULT_PANOS_TAG;
    if (!TAG.test(this.#tag)) throw invalidRequest('tag must be 1-127 characters of A-Z a-z 0-9 _ . -');
    this.#scope = {};
    if (settings.target) this.#scope.target = settings.target;
    if (settings.vsys) this.#scope.vsys = settings.vsys;
    this.#persistent = settings.persistent ?? true;
    const runtime = resolveRuntime(settings.runtime, settings.resilience);
    this.#clock = runtime.clock;
    const { apiKey, username, password } = settings.credentials;
    const secrets = (): string[] => [apiKey, username, password].filter((value): value is string => !!value);
    let auth: AuthProvider;
    if (apiKey) {
      auth = new StaticHeaderAuth('X-PAN-KEY', apiKey, apiKey);
    } else if (username && password) {
      const keygen = createTransport(settings, {
        connector: this.type,
        runtime,
        protocol: panOsProtocol,
        secrets,
      });
      auth = new BearerTokenAuth(
        new TokenCache(
          async () => ({
            token: await this.keygen(keygen, username, password),
            expiresInSeconds: KEY_LIFETIME_SECONDS,
          }),
          runtime.clock,
        ),
      );
      auth = panKeyHeader(auth);
    } else {
      throw invalidRequest('credentials need apiKey, or username and password');
    }
    this.#transport = createTransport(settings, {
      connector: this.type,
      runtime,
      auth,
      protocol: panOsProtocol,
      secrets,
    });
  }

  ensureBlocked(target: string, options?: BlockOptions): Promise<ActionOutcome> {
    return guard(this.type, 'ensureBlocked', async () => {
      checkOperationOptions(options);
      const address = this.hostTarget(target);
      const timeout = options?.expiresInSeconds ?? 0;
      if (!Number.isInteger(timeout) || timeout < 0 || timeout > PANOS_MAX_TIMEOUT_SECONDS) {
        throw invalidRequest(`expiresInSeconds must be an integer 0-${PANOS_MAX_TIMEOUT_SECONDS}`);
      }
      const expiresAt = timeout > 0 ? new Date(this.#clock() + timeout * 1000) : undefined;
      if ((await this.registered(address, 'ensureBlocked')).blocked) {
        return outcome('already_in_state', options, {
          vendorRef: this.#tag,
          details: { ip: address.address },
        });
      }
      const entry =
        `<entry ip="${xmlEscape(address.address)}" persistent="${this.#persistent ? 1 : 0}">` +
        `<tag><member timeout="${timeout}">${xmlEscape(this.#tag)}</member></tag></entry>`;
      await this.userId(`<register>${entry}</register>`, 'ensureBlocked');
      return outcome('changed', options, {
        vendorRef: this.#tag,
        details: { ip: address.address, timeoutSeconds: timeout },
        ...(expiresAt ? { expiresAt } : {}),
      });
    });
  }

  ensureUnblocked(target: string, options?: OperationOptions): Promise<ActionOutcome> {
    return guard(this.type, 'ensureUnblocked', async () => {
      checkOperationOptions(options);
      const address = this.hostTarget(target);
      if (!(await this.registered(address, 'ensureUnblocked')).blocked) {
        return outcome('already_in_state', options, {
          vendorRef: this.#tag,
          details: { ip: address.address },
        });
      }
      const entry = `<entry ip="${xmlEscape(address.address)}"><tag><member>${xmlEscape(this.#tag)}</member></tag></entry>`;
      await this.userId(`<unregister>${entry}</unregister>`, 'ensureUnblocked');
      return outcome('changed', options, { vendorRef: this.#tag, details: { ip: address.address } });
    });
  }

  checkConnection(): Promise<string> {
    return guard(this.type, 'checkConnection', async () => {
      await this.registered(this.hostTarget(CHECK_ADDRESS), 'checkConnection');
      return 'the API key is accepted and registered IPs can be read';
    });
  }

  isBlocked(target: string): Promise<BlockState> {
    return guard(this.type, 'isBlocked', () => this.registered(this.hostTarget(target), 'isBlocked'));
  }

  private hostTarget(target: string): NetworkTarget {
    const parsed = parseNetworkTarget(target);
    // User-ID registration takes single addresses; a range belongs in a static address object.
    if (!parsed.isHost)
      throw invalidRequest('PAN-OS tag registration blocks single addresses, not CIDR ranges');
    return parsed;
  }

  private async registered(address: NetworkTarget, operation: string): Promise<BlockState> {
    const response = await this.#transport.request(
      {
        method: 'POST',
        path: '/api/',
        form: {
          type: 'op',
          cmd: '<show><object><registered-ip><all></all></registered-ip></object></show>',
          ...this.#scope,
        },
      },
      operation,
    );
    const result = child(child(parseXml(response.text), 'response'), 'result');
    const entry = children(result, 'entry').find(
      (candidate) => attr(candidate, 'ip')?.toLowerCase() === address.address,
    );
    const tags = children(child(entry, 'tag'), 'member').map(text);
    return tags.includes(this.#tag) ? { blocked: true, vendorRef: this.#tag } : { blocked: false };
  }

  private async userId(payload: string, operation: string): Promise<void> {
    const cmd = `<uid-message><version>2.0</version><type>update</type><payload>${payload}</payload></uid-message>`;
    await this.#transport.request(
      { method: 'POST', path: '/api/', form: { type: 'user-id', cmd, ...this.#scope } },
      operation,
    );
  }

  private async keygen(transport: HttpTransport, user: string, password: string): Promise<string> {
    // POST keeps the password out of URLs and access logs.
    const response = await transport.request(
      { method: 'POST', path: '/api/', form: { type: 'keygen', user, password }, auth: false },
      'keygen',
    );
    const key = text(child(child(parseXml(response.text), 'response'), 'result').key);
    if (!key) throw transport.error(ConnectorErrorCode.VendorError, 'keygen answer without a key', 'keygen');
    return key;
  }
}

/** The generated key goes in `X-PAN-KEY`, not in the query string. */
function panKeyHeader(inner: AuthProvider): AuthProvider {
  return {
    async headers() {
      const bearer = (await inner.headers()).Authorization ?? '';
      return { 'X-PAN-KEY': bearer.replace(/^Bearer /, '') };
    },
    invalidate: () => inner.invalidate(),
    secrets: () => inner.secrets(),
  };
}
