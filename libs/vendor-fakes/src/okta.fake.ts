import { randomBytes } from 'node:crypto';

import { FakeRequest, FakeResponse, FakeServer } from './fake-server';

/*
 * Okta management API fake (users, user sessions, groups).
 *
 * Verified (developer.okta.com, help.okta.com):
 *   - error body {errorCode, errorSummary, errorLink, errorId, errorCauses}; E0000011 invalid
 *     token (401), E0000007 not found (404), E0000047 rate limit (429)
 *   - rate-limit headers X-Rate-Limit-Limit / -Remaining / -Reset (UTC epoch seconds)
 *   - add / remove user to group answers 204 (Workflows cards)
 * Partly verified:
 *   - DELETE /api/v1/users/{id}/sessions?oauthTokens=true -> 204 (Okta Java SDK revokeUserSessions)
 *   - PUT / DELETE /api/v1/groups/{groupId}/users/{userId}; GET /api/v1/users/{id}/groups
 *   - GET /api/v1/users/{id or login}; GET /api/v1/groups/{groupId} -> {id, type, profile.name}
 * Assumed:
 *   - Authorization: SSWS <token> is the only auth accepted here (no OAuth service apps)
 *   - group listing is not paginated (one page)
 */

export interface FakeOktaUser {
  id: string;
  status: string;
  profile: { login: string; email: string; firstName: string; lastName: string };
}

export interface OktaFakeOptions {
  apiToken?: string;
  users?: Array<{ login: string; id?: string; sessions?: number }>;
  groups?: Array<{ id: string; name: string; members?: string[] }>;
}

export class OktaFake extends FakeServer {
  readonly vendor = 'Okta';
  readonly apiToken: string;
  readonly users = new Map<string, FakeOktaUser>();
  /** Active IdP sessions per user id. */
  readonly sessions = new Map<string, number>();
  readonly groups = new Map<string, { name: string; members: Set<string> }>();
  readonly changes = { sessionsRevoked: 0, groupAdds: 0, groupRemoves: 0 };
  private tokenRevoked = false;

  constructor(options: OktaFakeOptions = {}) {
    super();
    this.apiToken = options.apiToken ?? '00fakeOktaApiToken0000000000000000000000';
    for (const user of options.users ?? []) {
      const id = user.id ?? `00u${randomBytes(8).toString('hex')}`;
      const [first = 'Test', last = 'User'] = user.login.split('@')[0]?.split('.') ?? [];
      this.users.set(id, {
        id,
        status: 'ACTIVE',
        profile: { login: user.login, email: user.login, firstName: first, lastName: last },
      });
      this.sessions.set(id, user.sessions ?? 0);
    }
    for (const group of options.groups ?? []) {
      this.groups.set(group.id, { name: group.name, members: new Set(group.members ?? []) });
    }
    const api = (handler: (request: FakeRequest) => FakeResponse) => (request: FakeRequest) =>
      this.authed(request, handler);
    this.route(
      'GET',
      '/api/v1/users/:user',
      'users.get',
      api((r) => this.getUser(r)),
    );
    this.route(
      'DELETE',
      '/api/v1/users/:user/sessions',
      'users.sessions.delete',
      api((r) => this.clearSessions(r)),
    );
    this.route(
      'GET',
      '/api/v1/users/:user/groups',
      'users.groups',
      api((r) => this.userGroups(r)),
    );
    this.route(
      'GET',
      '/api/v1/groups/:group',
      'groups.get',
      api((r) => this.getGroup(r)),
    );
    this.route(
      'PUT',
      '/api/v1/groups/:group/users/:user',
      'groups.users.add',
      api((r) => this.addToGroup(r)),
    );
    this.route(
      'DELETE',
      '/api/v1/groups/:group/users/:user',
      'groups.users.remove',
      api((r) => this.removeFromGroup(r)),
    );
  }

  userByLogin(login: string): FakeOktaUser | undefined {
    return [...this.users.values()].find((user) => user.profile.login.toLowerCase() === login.toLowerCase());
  }

  inGroup(groupId: string, login: string): boolean {
    const user = this.userByLogin(login);
    return !!user && !!this.groups.get(groupId)?.members.has(user.id);
  }

  revokeToken(): void {
    this.tokenRevoked = true;
  }

  protected override rateLimitResponse(retryAfterSeconds: number): FakeResponse {
    return {
      status: 429,
      headers: {
        'X-Rate-Limit-Limit': '600',
        'X-Rate-Limit-Remaining': '0',
        'X-Rate-Limit-Reset': String(Math.ceil(Date.now() / 1000) + retryAfterSeconds),
      },
      body: error('E0000047', 'API call exceeded rate limit due to too many requests.'),
    };
  }

  protected override faultResponse(status: number): FakeResponse {
    return { status, body: error('E0000009', 'Internal Server Error') };
  }

  private authed(request: FakeRequest, handler: (request: FakeRequest) => FakeResponse): FakeResponse {
    if (this.tokenRevoked || String(request.headers.authorization ?? '') !== `SSWS ${this.apiToken}`) {
      return { status: 401, body: error('E0000011', 'Invalid token provided') };
    }
    return handler(request);
  }

  private find(idOrLogin: string): FakeOktaUser | undefined {
    return this.users.get(idOrLogin) ?? this.userByLogin(idOrLogin);
  }

  private getUser(request: FakeRequest): FakeResponse {
    const user = this.find(request.params.user ?? '');
    return user ? { status: 200, body: user } : notFound(`${request.params.user} (User)`);
  }

  private getGroup(request: FakeRequest): FakeResponse {
    const id = request.params.group ?? '';
    const group = this.groups.get(id);
    if (!group) return notFound(`${id} (UserGroup)`);
    return {
      status: 200,
      body: { id, type: 'OKTA_GROUP', profile: { name: group.name, description: null } },
    };
  }

  private clearSessions(request: FakeRequest): FakeResponse {
    const user = this.users.get(request.params.user ?? '');
    if (!user) return notFound(`${request.params.user} (User)`);
    const active = this.sessions.get(user.id) ?? 0;
    this.changes.sessionsRevoked += active;
    this.sessions.set(user.id, 0);
    return { status: 204 };
  }

  private userGroups(request: FakeRequest): FakeResponse {
    const user = this.users.get(request.params.user ?? '');
    if (!user) return notFound(`${request.params.user} (User)`);
    const groups = [...this.groups.entries()]
      .filter(([, group]) => group.members.has(user.id))
      .map(([id, group]) => ({ id, type: 'OKTA_GROUP', profile: { name: group.name, description: null } }));
    return { status: 200, body: groups };
  }

  private addToGroup(request: FakeRequest): FakeResponse {
    const group = this.groups.get(request.params.group ?? '');
    const user = this.users.get(request.params.user ?? '');
    if (!group || !user) return notFound('(UserGroup)');
    if (!group.members.has(user.id)) this.changes.groupAdds += 1;
    group.members.add(user.id);
    return { status: 204 };
  }

  private removeFromGroup(request: FakeRequest): FakeResponse {
    const group = this.groups.get(request.params.group ?? '');
    const user = this.users.get(request.params.user ?? '');
    if (!group || !user) return notFound('(UserGroup)');
    if (group.members.delete(user.id)) this.changes.groupRemoves += 1;
    return { status: 204 };
  }
}

function error(code: string, summary: string): Record<string, unknown> {
  return {
    errorCode: code,
    errorSummary: summary,
    errorLink: code,
    errorId: `oae${randomBytes(10).toString('hex')}`,
    errorCauses: [],
  };
}

function notFound(what: string): FakeResponse {
  return { status: 404, body: error('E0000007', `Not found: Resource not found: ${what}`) };
}
