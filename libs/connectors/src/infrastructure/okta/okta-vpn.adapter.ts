import { ActionOutcome, OperationOptions, outcome } from '../../domain/action-outcome';
import { ConnectorErrorCode, invalidRequest } from '../../domain/connector-error';
import { parseEpochSecondsHeader } from '../../domain/retry-policy';
import { path, pathSegment } from '../../domain/safe-path';
import { SessionList, VpnConnector } from '../../domain/vpn-connector';
import { StaticHeaderAuth } from '../http/auth-provider';
import {
  asArray,
  asRecord,
  asString,
  checkOperationOptions,
  createTransport,
  found,
  guard,
  HttpConnectorSettings,
} from '../http/http-connector';
import { HttpResponse, HttpTransport, VendorProtocol, vendorIssue } from '../http/http-transport';
import { resolveRuntime } from '../http/runtime';

export interface OktaSettings extends HttpConnectorSettings {
  /** An Okta API token (`Authorization: SSWS <token>`). */
  credentials: { apiToken: string };
  /** Id of the group whose members sign-on policies deny (or step up). */
  quarantineGroupId: string;
  /** Also revoke OIDC / OAuth refresh and access tokens when ending sessions (default true). */
  revokeOAuthTokens?: boolean;
}

/** Okta errors `{errorCode, errorSummary, ...}`; 429 says when to come back in `X-Rate-Limit-Reset` (epoch s). */
export const oktaProtocol: VendorProtocol = {
  describeError(response: HttpResponse) {
    const body = asRecord(response.json);
    return vendorIssue(asString(body.errorCode), asString(body.errorSummary));
  },
  retryAfterMs(response: HttpResponse, nowMs: number) {
    return parseEpochSecondsHeader(response.headers['x-rate-limit-reset'], nowMs);
  },
};

/**
 * Okta as the "VPN" identity plane: end a user's IdP sessions (`DELETE /users/{id}/sessions`) and
 * keep them in a quarantine group that policies act on. Okta cannot list a user's sessions, so
 * `listSessions` reports `supported: false` and session revocation always reports `changed`
 * (the vendor call itself is idempotent).
 */
export class OktaVpnAdapter extends VpnConnector {
  override readonly type = 'okta';
  override readonly name: string;
  readonly #transport: HttpTransport;
  readonly #groupId: string;
  readonly #revokeOAuthTokens: boolean;

  constructor(settings: OktaSettings) {
    super();
    this.name = settings.name;
    this.#groupId = settings.quarantineGroupId;
    pathSegment(this.#groupId, 'quarantineGroupId');
    this.#revokeOAuthTokens = settings.revokeOAuthTokens ?? true;
    const token = settings.credentials.apiToken;
    this.#transport = createTransport(settings, {
      connector: this.type,
      runtime: resolveRuntime(settings.runtime, settings.resilience),
      auth: new StaticHeaderAuth('Authorization', `SSWS ${token}`, token),
      protocol: oktaProtocol,
    });
  }

  checkConnection(): Promise<string> {
    return guard(this.type, 'checkConnection', async () => {
      const group = () =>
        this.#transport.request(
          { method: 'GET', path: path`/api/v1/groups/${this.#groupId}` },
          'checkConnection',
        );
      if (!(await found(group))) throw invalidRequest(`quarantine group ${this.#groupId} does not exist`);
      return `the API token is accepted and quarantine group ${this.#groupId} exists`;
    });
  }

  async listSessions(user: string): Promise<SessionList> {
    checkUser(user);
    return { supported: false, sessions: [] };
  }

  disconnectSessions(user: string, options?: OperationOptions): Promise<ActionOutcome> {
    return guard(this.type, 'disconnectSessions', async () => {
      checkOperationOptions(options);
      const userId = await this.userId(user, 'disconnectSessions');
      await this.#transport.request(
        {
          method: 'DELETE',
          path: path`/api/v1/users/${userId}/sessions`,
          query: { oauthTokens: this.#revokeOAuthTokens },
        },
        'disconnectSessions',
      );
      return outcome('changed', options, {
        vendorRef: userId,
        details: { sessionsKnown: false, oauthTokensRevoked: this.#revokeOAuthTokens },
      });
    });
  }

  ensureQuarantined(user: string, options?: OperationOptions): Promise<ActionOutcome> {
    return guard(this.type, 'ensureQuarantined', async () => {
      checkOperationOptions(options);
      const userId = await this.userId(user, 'ensureQuarantined');
      if (await this.member(userId, 'ensureQuarantined'))
        return outcome('already_in_state', options, { vendorRef: this.#groupId });
      await this.#transport.request(
        { method: 'PUT', path: path`/api/v1/groups/${this.#groupId}/users/${userId}` },
        'ensureQuarantined',
      );
      return outcome('changed', options, { vendorRef: this.#groupId, details: { userId } });
    });
  }

  ensureReleased(user: string, options?: OperationOptions): Promise<ActionOutcome> {
    return guard(this.type, 'ensureReleased', async () => {
      checkOperationOptions(options);
      const userId = await this.userId(user, 'ensureReleased');
      if (!(await this.member(userId, 'ensureReleased')))
        return outcome('already_in_state', options, { vendorRef: this.#groupId });
      await this.#transport.request(
        { method: 'DELETE', path: path`/api/v1/groups/${this.#groupId}/users/${userId}` },
        'ensureReleased',
      );
      return outcome('changed', options, { vendorRef: this.#groupId, details: { userId } });
    });
  }

  isQuarantined(user: string): Promise<boolean> {
    return guard(this.type, 'isQuarantined', async () =>
      this.member(await this.userId(user, 'isQuarantined'), 'isQuarantined'),
    );
  }

  /** Users are addressed by id or login; the id is what group and session calls take. */
  private async userId(user: string, operation: string): Promise<string> {
    const response = await this.#transport.request(
      { method: 'GET', path: path`/api/v1/users/${checkUser(user)}` },
      operation,
    );
    const id = asString(asRecord(response.json).id);
    if (!id)
      throw this.#transport.error(ConnectorErrorCode.VendorError, 'user answer without an id', operation);
    return id;
  }

  private async member(userId: string, operation: string): Promise<boolean> {
    const response = await this.#transport.request(
      { method: 'GET', path: path`/api/v1/users/${userId}/groups` },
      operation,
    );
    return asArray(response.json).some((group) => asString(asRecord(group).id) === this.#groupId);
  }
}

function checkUser(user: string): string {
  if (typeof user !== 'string' || user.trim() === '' || user.length > 256) {
    throw invalidRequest('user must be an Okta user id or login');
  }
  return user.trim();
}
