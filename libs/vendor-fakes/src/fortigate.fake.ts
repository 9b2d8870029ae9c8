import { FakeRequest, FakeResponse, FakeServer } from './fake-server';

/*
 * FortiGate (FortiOS REST API) fake: firewall address objects and groups, the banned-IP
 * (quarantine) list, SSL-VPN sessions and user groups.
 *
 * Verified (demisto/content FortiGate test data):
 *   - banned/select answer shape {results:[{ip_address, expires, created, source, ipv6}], ...}
 *   - CMDB write envelope {http_method, revision, mkey, status:"success", http_status, vdom, path,
 *     name, serial, version, build}
 * Partly verified (several independent clients):
 *   - Authorization: Bearer <api token>, ?vdom=
 *   - POST monitor/user/banned/add_users {ip_addresses, expiry (s, 0 = until cleared)},
 *     clear_users {ip_addresses}
 *   - POST cmdb/firewall/address {name, type: ipmask, subnet}; duplicate -> HTTP 500 error -5
 *   - POST cmdb/firewall/addrgrp/{grp}/member {name}; DELETE .../member/{name}
 *   - GET monitor/vpn/ssl -> results[].{user_name, remote_host, last_login_time, index,
 *     subsessions[].{index, aip}}; POST monitor/vpn/ssl/delete {type: subsession|websession, index}
 *   - PUT cmdb/user/group/{grp} {member:[{name}]} replaces the member list
 *   - POST cmdb/user/group/{grp}/member {name}; DELETE .../member/{name} (the same child-table
 *     calls as for address groups)
 * Assumed:
 *   - 401 body for a bad token; 404 envelope for a missing object; 424 when deleting an address
 *     still referenced by a group; add_users on an already banned IP just succeeds
 *   - last_login_time as epoch seconds; no documented rate limit (injected 429s use Retry-After)
 */

export interface FakeSslVpnSession {
  index: number;
  user_name: string;
  remote_host: string;
  last_login_time: number;
  subsessions: Array<{ index: number; aip: string; in_bytes: number; out_bytes: number }>;
}

export interface FortiGateFakeOptions {
  apiToken?: string;
  vdom?: string;
  addressGroups?: string[];
  userGroups?: Record<string, string[]>;
  sessions?: Array<Omit<FakeSslVpnSession, 'index' | 'subsessions'> & { subsessions?: number }>;
}

interface Address {
  name: string;
  type: string;
  subnet: string;
  comment: string;
}

export class FortiGateFake extends FakeServer {
  readonly vendor = 'Fortinet FortiGate';
  readonly apiToken: string;
  readonly vdom: string;
  readonly addresses = new Map<string, Address>();
  readonly addressGroups = new Map<string, string[]>();
  readonly banned = new Map<string, { created: number; expires: number }>();
  readonly userGroups = new Map<string, string[]>();
  readonly sessions: FakeSslVpnSession[] = [];
  /** State changes by kind. */
  readonly changes = {
    addressCreated: 0,
    addressDeleted: 0,
    memberAdded: 0,
    memberRemoved: 0,
    banned: 0,
    cleared: 0,
    sessionsEnded: 0,
    groupWrites: 0,
  };
  private tokenRevoked = false;
  private nextIndex = 1;
  private revision = 1;

  constructor(options: FortiGateFakeOptions = {}) {
    super();
    this.apiToken = options.apiToken ?? 'fake-fortios-api-token';
    this.vdom = options.vdom ?? 'root';
    for (const group of options.addressGroups ?? ['rampart-blocklist']) this.addressGroups.set(group, []);
    for (const [group, members] of Object.entries(options.userGroups ?? { 'rampart-quarantine': [] })) {
      this.userGroups.set(group, [...members]);
    }
    for (const session of options.sessions ?? []) this.addSession(session);

    const api = (handler: (request: FakeRequest) => FakeResponse) => (request: FakeRequest) =>
      this.authed(request, handler);
    this.route(
      'GET',
      '/api/v2/cmdb/firewall/address/:name',
      'address.get',
      api((r) => this.getAddress(r)),
    );
    this.route(
      'POST',
      '/api/v2/cmdb/firewall/address',
      'address.create',
      api((r) => this.createAddress(r)),
    );
    this.route(
      'DELETE',
      '/api/v2/cmdb/firewall/address/:name',
      'address.delete',
      api((r) => this.deleteAddress(r)),
    );
    this.route(
      'GET',
      '/api/v2/cmdb/firewall/addrgrp/:group',
      'addrgrp.get',
      api((r) => this.getGroup(r)),
    );
    this.route(
      'POST',
      '/api/v2/cmdb/firewall/addrgrp/:group/member',
      'addrgrp.member.add',
      api((r) => this.addMember(r)),
    );
    this.route(
      'DELETE',
      '/api/v2/cmdb/firewall/addrgrp/:group/member/:name',
      'addrgrp.member.delete',
      api((r) => this.removeMember(r)),
    );
    this.route(
      'GET',
      '/api/v2/monitor/user/banned/select',
      'banned.select',
      api(() => this.bannedList()),
    );
    this.route(
      'POST',
      '/api/v2/monitor/user/banned/add_users',
      'banned.add',
      api((r) => this.ban(r)),
    );
    this.route(
      'POST',
      '/api/v2/monitor/user/banned/clear_users',
      'banned.clear',
      api((r) => this.unban(r)),
    );
    this.route(
      'GET',
      '/api/v2/monitor/vpn/ssl',
      'sslvpn.list',
      api(() => this.listSessions()),
    );
    this.route(
      'POST',
      '/api/v2/monitor/vpn/ssl/delete',
      'sslvpn.delete',
      api((r) => this.deleteSession(r)),
    );
    this.route(
      'GET',
      '/api/v2/cmdb/user/group/:group',
      'usergroup.get',
      api((r) => this.getUserGroup(r)),
    );
    this.route(
      'PUT',
      '/api/v2/cmdb/user/group/:group',
      'usergroup.put',
      api((r) => this.putUserGroup(r)),
    );
    this.route(
      'POST',
      '/api/v2/cmdb/user/group/:group/member',
      'usergroup.member.add',
      api((r) => this.addUserGroupMember(r)),
    );
    this.route(
      'DELETE',
      '/api/v2/cmdb/user/group/:group/member/:name',
      'usergroup.member.delete',
      api((r) => this.removeUserGroupMember(r)),
    );
  }

  addSession(session: Omit<FakeSslVpnSession, 'index' | 'subsessions'> & { subsessions?: number }): void {
    const index = this.nextIndex++;
    const subsessions = Array.from({ length: session.subsessions ?? 1 }, (_, offset) => ({
      index: index * 100 + offset,
      aip: `10.212.134.${(index % 200) + 10 + offset}`,
      in_bytes: 1024,
      out_bytes: 2048,
    }));
    this.sessions.push({ ...session, index, subsessions });
  }

  /** Simulate an administrator revoking the API token. */
  revokeToken(): void {
    this.tokenRevoked = true;
  }

  isBannedIp(ip: string): boolean {
    this.expireBans();
    return this.banned.has(ip);
  }

  groupMembers(group: string): string[] {
    return [...(this.addressGroups.get(group) ?? [])];
  }

  protected override faultResponse(status: number): FakeResponse {
    return { status, body: this.envelope('GET', {}, { status: 'error', http_status: status }) };
  }

  private authed(request: FakeRequest, handler: (request: FakeRequest) => FakeResponse): FakeResponse {
    const header = String(request.headers.authorization ?? '');
    const token = header.startsWith('Bearer ') ? header.slice(7) : request.query.get('access_token');
    if (this.tokenRevoked || token !== this.apiToken) {
      return { status: 401, body: { http_status: 401, status: 'error', message: 'Unauthorized' } };
    }
    const vdom = request.query.get('vdom') ?? 'root';
    if (vdom !== this.vdom)
      return {
        status: 404,
        body: this.envelope(request.method, {}, { status: 'error', http_status: 404, vdom }),
      };
    return handler(request);
  }

  private getAddress(request: FakeRequest): FakeResponse {
    const address = this.addresses.get(request.params.name ?? '');
    if (!address) return this.notFound(request, 'firewall', 'address');
    return {
      status: 200,
      body: this.envelope('GET', { path: 'firewall', name: 'address', results: [address] }),
    };
  }

  private createAddress(request: FakeRequest): FakeResponse {
    const body = (request.json ?? {}) as Partial<Address>;
    if (typeof body.name !== 'string' || body.name === '' || typeof body.subnet !== 'string') {
      return {
        status: 400,
        body: this.envelope(
          'POST',
          { path: 'firewall', name: 'address' },
          { status: 'error', http_status: 400, error: -651 },
        ),
      };
    }
    if (this.addresses.has(body.name)) {
      return {
        status: 500,
        body: this.envelope(
          'POST',
          { path: 'firewall', name: 'address' },
          { status: 'error', http_status: 500, error: -5 },
        ),
      };
    }
    this.addresses.set(body.name, {
      name: body.name,
      type: body.type ?? 'ipmask',
      subnet: body.subnet,
      comment: body.comment ?? '',
    });
    this.changes.addressCreated += 1;
    return this.written('POST', 'firewall', 'address', body.name);
  }

  private deleteAddress(request: FakeRequest): FakeResponse {
    const name = request.params.name ?? '';
    if (!this.addresses.has(name)) return this.notFound(request, 'firewall', 'address');
    if ([...this.addressGroups.values()].some((members) => members.includes(name))) {
      return {
        status: 424,
        body: this.envelope(
          'DELETE',
          { path: 'firewall', name: 'address', mkey: name },
          { status: 'error', http_status: 424, error: -23 },
        ),
      };
    }
    this.addresses.delete(name);
    this.changes.addressDeleted += 1;
    return this.written('DELETE', 'firewall', 'address', name);
  }

  private getGroup(request: FakeRequest): FakeResponse {
    const group = request.params.group ?? '';
    const members = this.addressGroups.get(group);
    if (!members) return this.notFound(request, 'firewall', 'addrgrp');
    return {
      status: 200,
      body: this.envelope('GET', {
        path: 'firewall',
        name: 'addrgrp',
        results: [{ name: group, member: members.map((name) => ({ name, q_origin_key: name })) }],
      }),
    };
  }

  private addMember(request: FakeRequest): FakeResponse {
    const group = request.params.group ?? '';
    const members = this.addressGroups.get(group);
    if (!members) return this.notFound(request, 'firewall', 'addrgrp');
    const name = String((request.json as { name?: unknown } | undefined)?.name ?? '');
    if (!this.addresses.has(name)) {
      return {
        status: 424,
        body: this.envelope(
          'POST',
          { path: 'firewall', name: 'addrgrp' },
          { status: 'error', http_status: 424, error: -3 },
        ),
      };
    }
    if (members.includes(name)) {
      return {
        status: 500,
        body: this.envelope(
          'POST',
          { path: 'firewall', name: 'addrgrp' },
          { status: 'error', http_status: 500, error: -5 },
        ),
      };
    }
    members.push(name);
    this.changes.memberAdded += 1;
    return this.written('POST', 'firewall', 'addrgrp', group);
  }

  private removeMember(request: FakeRequest): FakeResponse {
    const members = this.addressGroups.get(request.params.group ?? '');
    const name = request.params.name ?? '';
    if (!members || !members.includes(name)) return this.notFound(request, 'firewall', 'addrgrp');
    members.splice(members.indexOf(name), 1);
    this.changes.memberRemoved += 1;
    return this.written('DELETE', 'firewall', 'addrgrp', request.params.group ?? '');
  }

  private bannedList(): FakeResponse {
    this.expireBans();
    const results = [...this.banned.entries()].map(([ip, ban]) => ({
      ip_address: ip,
      created: ban.created,
      expires: ban.expires,
      source: 'Administrative',
      ipv6: ip.includes(':') ? 1 : 0,
    }));
    return {
      status: 200,
      body: this.envelope('GET', { path: 'user', name: 'banned', action: 'select', results }),
    };
  }

  private ban(request: FakeRequest): FakeResponse {
    const body = (request.json ?? {}) as { ip_addresses?: unknown; expiry?: unknown };
    if (!Array.isArray(body.ip_addresses)) return this.invalid(request);
    const now = Math.floor(Date.now() / 1000);
    const expiry = typeof body.expiry === 'number' ? body.expiry : 0;
    for (const ip of body.ip_addresses) {
      if (typeof ip !== 'string') return this.invalid(request);
      if (!this.banned.has(ip)) this.changes.banned += 1;
      this.banned.set(ip, { created: now, expires: expiry > 0 ? now + expiry : 0 });
    }
    return {
      status: 200,
      body: this.envelope('POST', { path: 'user', name: 'banned', action: 'add_users' }),
    };
  }

  private unban(request: FakeRequest): FakeResponse {
    const body = (request.json ?? {}) as { ip_addresses?: unknown };
    if (!Array.isArray(body.ip_addresses)) return this.invalid(request);
    for (const ip of body.ip_addresses) {
      if (typeof ip === 'string' && this.banned.delete(ip)) this.changes.cleared += 1;
    }
    return {
      status: 200,
      body: this.envelope('POST', { path: 'user', name: 'banned', action: 'clear_users' }),
    };
  }

  private listSessions(): FakeResponse {
    return {
      status: 200,
      body: this.envelope('GET', { path: 'vpn', name: 'ssl', action: 'select', results: this.sessions }),
    };
  }

  private deleteSession(request: FakeRequest): FakeResponse {
    const body = (request.json ?? {}) as { type?: unknown; index?: unknown };
    const index = Number(body.index);
    let found = -1;
    if (body.type === 'subsession') {
      found = this.sessions.findIndex((session) => session.subsessions.some((sub) => sub.index === index));
      const session = this.sessions[found];
      if (session) {
        session.subsessions = session.subsessions.filter((sub) => sub.index !== index);
        if (session.subsessions.length > 0) found = -2; // still connected through other tunnels
      }
    } else if (body.type === 'websession') {
      found = this.sessions.findIndex((session) => session.index === index);
    } else {
      return this.invalid(request);
    }
    if (found === -1) return this.notFound(request, 'vpn', 'ssl');
    if (found >= 0) this.sessions.splice(found, 1);
    this.changes.sessionsEnded += 1;
    return { status: 200, body: this.envelope('POST', { path: 'vpn', name: 'ssl', action: 'delete' }) };
  }

  private getUserGroup(request: FakeRequest): FakeResponse {
    const group = request.params.group ?? '';
    const members = this.userGroups.get(group);
    if (!members) return this.notFound(request, 'user', 'group');
    return {
      status: 200,
      body: this.envelope('GET', {
        path: 'user',
        name: 'group',
        results: [
          {
            name: group,
            'group-type': 'firewall',
            member: members.map((name) => ({ name, q_origin_key: name })),
          },
        ],
      }),
    };
  }

  private putUserGroup(request: FakeRequest): FakeResponse {
    const group = request.params.group ?? '';
    if (!this.userGroups.has(group)) return this.notFound(request, 'user', 'group');
    const member = (request.json as { member?: unknown } | undefined)?.member;
    if (!Array.isArray(member)) return this.invalid(request);
    this.userGroups.set(
      group,
      member.map((entry) => String((entry as { name?: unknown }).name ?? '')),
    );
    this.changes.groupWrites += 1;
    return this.written('PUT', 'user', 'group', group);
  }

  private addUserGroupMember(request: FakeRequest): FakeResponse {
    const group = request.params.group ?? '';
    const members = this.userGroups.get(group);
    if (!members) return this.notFound(request, 'user', 'group');
    const name = (request.json as { name?: unknown } | undefined)?.name;
    if (typeof name !== 'string' || name === '') return this.invalid(request);
    if (members.includes(name)) {
      return {
        status: 500,
        body: this.envelope(
          'POST',
          { path: 'user', name: 'group' },
          { status: 'error', http_status: 500, error: -5 },
        ),
      };
    }
    members.push(name);
    this.changes.groupWrites += 1;
    return this.written('POST', 'user', 'group', group);
  }

  private removeUserGroupMember(request: FakeRequest): FakeResponse {
    const group = request.params.group ?? '';
    const members = this.userGroups.get(group);
    const name = request.params.name ?? '';
    if (!members || !members.includes(name)) return this.notFound(request, 'user', 'group');
    members.splice(members.indexOf(name), 1);
    this.changes.groupWrites += 1;
    return this.written('DELETE', 'user', 'group', group);
  }

  private expireBans(): void {
    const now = Date.now() / 1000;
    for (const [ip, ban] of this.banned) if (ban.expires > 0 && ban.expires <= now) this.banned.delete(ip);
  }

  private written(method: string, path: string, name: string, mkey: string): FakeResponse {
    const old = this.revision++;
    return {
      status: 200,
      body: this.envelope(method, {
        path,
        name,
        mkey,
        revision: String(this.revision),
        old_revision: String(old),
        revision_changed: true,
      }),
    };
  }

  private notFound(request: FakeRequest, path: string, name: string): FakeResponse {
    return {
      status: 404,
      body: this.envelope(request.method, { path, name }, { status: 'error', http_status: 404 }),
    };
  }

  private invalid(request: FakeRequest): FakeResponse {
    return {
      status: 400,
      body: this.envelope(request.method, {}, { status: 'error', http_status: 400, error: -1 }),
    };
  }

  private envelope(
    method: string,
    fields: Record<string, unknown>,
    outcome: Record<string, unknown> = {},
  ): Record<string, unknown> {
    return {
      http_method: method,
      ...fields,
      vdom: this.vdom,
      status: 'success',
      http_status: 200,
      serial: 'FGVMFAKE00000001',
      version: 'v7.2.5',
      build: 1517,
      ...outcome,
    };
  }
}
