import { ActionOutcome, OperationOptions, outcome } from '../../domain/action-outcome';
import { invalidRequest } from '../../domain/connector-error';
import { path, pathSegment } from '../../domain/safe-path';
import { SessionList, VpnConnector, VpnSession } from '../../domain/vpn-connector';
import { StaticHeaderAuth } from '../http/auth-provider';
import {
  asArray,
  asDate,
  asRecord,
  asString,
  CHECK_NAME,
  checkOperationOptions,
  createTransport,
  found,
  guard,
  HttpConnectorSettings,
} from '../http/http-connector';
import { HttpTransport } from '../http/http-transport';
import { resolveRuntime } from '../http/runtime';
import {
  FORTIOS_DUPLICATE_ENTRY,
  firstResult,
  fortiOsErrorCode,
  fortiOsProtocol,
} from './fortigate-protocol';

export interface FortiGateSslVpnSettings extends HttpConnectorSettings {
  credentials: { apiToken: string };
  vdom?: string;
  /** Firewall user group whose members the SSL-VPN policies refuse (or confine). */
  quarantineGroup?: string;
}

export const DEFAULT_FORTIGATE_QUARANTINE_GROUP = 'rampart-quarantine';

interface RawSession {
  user: string;
  index: string;
  subsessions: string[];
  session: VpnSession;
}

/**
 * FortiGate SSL-VPN: sessions from `monitor/vpn/ssl`, kicked with `monitor/vpn/ssl/delete`;
 * quarantine is membership of a local user group (`cmdb/user/group`). Members are added and removed
 * one at a time through the group's `member` child table, never by rewriting the whole list, so a
 * concurrent change by another replica or an administrator is never overwritten.
 */
export class FortiGateSslVpnAdapter extends VpnConnector {
  override readonly type = 'fortigate-sslvpn';
  override readonly name: string;
  readonly #transport: HttpTransport;
  readonly #vdom: string;
  readonly #group: string;

  constructor(settings: FortiGateSslVpnSettings) {
    super();
    this.name = settings.name;
    this.#vdom = settings.vdom ?? 'root';
    this.#group = settings.quarantineGroup ?? DEFAULT_FORTIGATE_QUARANTINE_GROUP;
    pathSegment(this.#group, 'quarantineGroup');
    const token = settings.credentials.apiToken;
    this.#transport = createTransport(settings, {
      connector: this.type,
      runtime: resolveRuntime(settings.runtime, settings.resilience),
      auth: new StaticHeaderAuth('Authorization', `Bearer ${token}`, token),
      protocol: fortiOsProtocol,
    });
  }

  listSessions(user: string): Promise<SessionList> {
    return guard(this.type, 'listSessions', async () => ({
      supported: true,
      sessions: (await this.sessions(checkUser(user), 'listSessions')).map((raw) => raw.session),
    }));
  }

  disconnectSessions(user: string, options?: OperationOptions): Promise<ActionOutcome> {
    return guard(this.type, 'disconnectSessions', async () => {
      checkOperationOptions(options);
      const sessions = await this.sessions(checkUser(user), 'disconnectSessions');
      if (sessions.length === 0) return outcome('already_in_state', options, { details: { sessions: 0 } });
      for (const session of sessions) {
        // Tunnel-mode logins carry subsessions; web-mode ones are ended by their own index.
        const targets =
          session.subsessions.length > 0
            ? session.subsessions.map((index) => ({ type: 'subsession', index: Number(index) }))
            : [{ type: 'websession', index: Number(session.index) }];
        for (const body of targets) {
          await this.#transport.request(
            {
              method: 'POST',
              path: '/api/v2/monitor/vpn/ssl/delete',
              query: { vdom: this.#vdom },
              json: body,
            },
            'disconnectSessions',
          );
        }
      }
      return outcome('changed', options, {
        details: { sessions: sessions.length, ids: sessions.map((session) => session.index) },
      });
    });
  }

  ensureQuarantined(user: string, options?: OperationOptions): Promise<ActionOutcome> {
    return guard(this.type, 'ensureQuarantined', async () => {
      checkOperationOptions(options);
      const name = checkUser(user);
      if ((await this.members('ensureQuarantined')).includes(name)) {
        return outcome('already_in_state', options, { vendorRef: this.#group });
      }
      const response = await this.#transport.request(
        {
          method: 'POST',
          path: path`/api/v2/cmdb/user/group/${this.#group}/member`,
          query: { vdom: this.#vdom },
          json: { name },
          // -5: somebody else added the member between our read and this write.
          accept: (answer) => fortiOsErrorCode(answer) === FORTIOS_DUPLICATE_ENTRY,
        },
        'ensureQuarantined',
      );
      const added = fortiOsErrorCode(response) !== FORTIOS_DUPLICATE_ENTRY;
      return outcome(added ? 'changed' : 'already_in_state', options, { vendorRef: this.#group });
    });
  }

  ensureReleased(user: string, options?: OperationOptions): Promise<ActionOutcome> {
    return guard(this.type, 'ensureReleased', async () => {
      checkOperationOptions(options);
      const name = checkUser(user);
      if (!(await this.members('ensureReleased')).includes(name)) {
        return outcome('already_in_state', options, { vendorRef: this.#group });
      }
      const response = await this.#transport.request(
        {
          method: 'DELETE',
          path: path`/api/v2/cmdb/user/group/${this.#group}/member/${name}`,
          query: { vdom: this.#vdom },
          // 404: somebody else removed the member between our read and this write.
          accept: [404],
        },
        'ensureReleased',
      );
      return outcome(response.status === 404 ? 'already_in_state' : 'changed', options, {
        vendorRef: this.#group,
      });
    });
  }

  checkConnection(): Promise<string> {
    return guard(this.type, 'checkConnection', async () => {
      await this.sessions(CHECK_NAME, 'checkConnection');
      if (!(await found(() => this.members('checkConnection')))) {
        throw invalidRequest(`user group "${this.#group}" does not exist in vdom ${this.#vdom}`);
      }
      return `the API token is accepted, SSL-VPN sessions can be read and user group "${this.#group}" exists`;
    });
  }

  isQuarantined(user: string): Promise<boolean> {
    return guard(this.type, 'isQuarantined', async () =>
      (await this.members('isQuarantined')).includes(checkUser(user)),
    );
  }

  private async sessions(user: string, operation: string): Promise<RawSession[]> {
    const response = await this.#transport.request(
      { method: 'GET', path: '/api/v2/monitor/vpn/ssl', query: { vdom: this.#vdom } },
      operation,
    );
    return asArray(asRecord(response.json).results)
      .map(asRecord)
      .filter((entry) => asString(entry.user_name)?.toLowerCase() === user.toLowerCase())
      .map((entry) => {
        const subsessions = asArray(entry.subsessions).map(asRecord);
        const index = asString(entry.index) ?? '';
        const session: VpnSession = { user: asString(entry.user_name) ?? user, id: index };
        const remote = asString(entry.remote_host);
        const assigned = asString(subsessions[0]?.aip);
        const login = entry.last_login_time;
        const started = typeof login === 'number' ? new Date(login * 1000) : asDate(login);
        if (remote) session.remoteAddress = remote;
        if (assigned) session.assignedAddress = assigned;
        if (started) session.startedAt = started;
        return {
          user: session.user,
          index,
          subsessions: subsessions
            .map((sub) => asString(sub.index))
            .filter((value): value is string => value !== undefined),
          session,
        };
      });
  }

  private async members(operation: string): Promise<string[]> {
    const response = await this.#transport.request(
      { method: 'GET', path: path`/api/v2/cmdb/user/group/${this.#group}`, query: { vdom: this.#vdom } },
      operation,
    );
    return asArray(firstResult(response).member)
      .map((member) => asString(asRecord(member).name))
      .filter((name): name is string => name !== undefined);
  }
}

/** User names only travel in bodies here, but get the same checks as path parameters. */
function checkUser(user: string): string {
  if (typeof user !== 'string' || user.trim() === '' || user.length > 64) {
    throw invalidRequest('user must be a user name of at most 64 characters');
  }
  pathSegment(user.trim(), 'user');
  return user.trim();
}
