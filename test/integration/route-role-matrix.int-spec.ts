import request from 'supertest';

import { AccessDenialAudit, type Permission, ROLES, roleHas, type Role, USER_ROLES } from '@rampart/auth';

import { OpenApiDocumentBuilder } from '../../apps/api/src/openapi/openapi-document';
import { createUser, type SignedInSession, signIn } from '../support/auth-support';
import { addApiKey, bearer } from '../support/connector-support';
import { startTestRampart, type TestRampart } from '../support/rampart-app';

// Every route the server answers, called with a key of every role and with a console session of
// every role a person can hold: the guard answers 403 exactly when PERMISSION_MATRIX says the role
// lacks the route's permission, and 401 without credentials (a console page: 303 to sign-in). The requests carry no valid body and
// name nothing that exists, so an allowed call ends in 400 or 404 (or a harmless read) and changes
// nothing.
let rampart: TestRampart;
const keys = Object.fromEntries(ROLES.map((role) => [role, `rk_matrix_${role}_key_0000000000000000`]));
const sessions = new Map<Role, SignedInSession>();
const PASSWORD = 'matrix passphrase 0123';

beforeAll(async () => {
  rampart = await startTestRampart();
  for (const role of ROLES) if (role !== 'admin') await addApiKey(rampart, role, keys[role] as string);
  keys.admin = rampart.adminKey;
  for (const role of USER_ROLES) {
    await createUser(rampart, { username: `matrix-${role}`, role, password: PASSWORD });
    sessions.set(role, await signIn(rampart, `matrix-${role}`, PASSWORD));
  }
});

afterAll(async () => {
  await rampart.stop();
});

const NOWHERE = '00000000-0000-4000-8000-000000000000';
/** `GET /api/v1/incidents/:id`: how the audit trail names a route. */
const routeName = (route: { method: string; path: string }) =>
  `${route.method.toUpperCase()} ${route.path.replace(/\{(\w+)\}/g, ':$1')}`;
/** What the walk was refused: 401 per route, 403 per route and caller. */
const refusedAnonymously = new Set<string>();
const forbidden = new Map<string, string>();

function concrete(path: string): string {
  return path.replace(/\{(\w+)\}/g, (_all, name: string) => (/id$/i.test(name) ? NOWHERE : 'no-such-thing'));
}

describe('route x role matrix', () => {
  it('answers 401 to every non-public route without credentials, 403 exactly where the matrix says so', async () => {
    const routes = rampart.app
      .get(OpenApiDocumentBuilder)
      .routes()
      .filter((route) => !route.public);
    expect(routes.length).toBeGreaterThan(10);
    const mismatches: string[] = [];
    for (const route of routes) {
      const path = concrete(route.path);
      const call = (headers: Record<string, string> = {}) =>
        request(rampart.url)[route.method as 'get' | 'post' | 'put' | 'patch' | 'delete'](path).set(headers);
      const anonymous = await call();
      // A console page sends a browser to the sign-in page instead (libs/console).
      const refusedAnonymous = route.browserPage ? 303 : 401;
      if (anonymous.status !== refusedAnonymous)
        mismatches.push(`${route.method} ${path} anonymous: ${anonymous.status}`);
      else refusedAnonymously.add(routeName(route));
      const callers: [string, Role, Record<string, string>][] = [
        ...ROLES.map((role): [string, Role, Record<string, string>] => [
          `key ${role}`,
          role,
          bearer(keys[role] as string),
        ]),
        ...[...sessions].map(([role, session]): [string, Role, Record<string, string>] => [
          `session ${role}`,
          role,
          { Cookie: session.cookie, 'X-CSRF-Token': session.csrfToken },
        ]),
      ];
      for (const [caller, role, headers] of callers) {
        const response = await call(headers);
        const allowed = roleHas(role, route.permission as Permission);
        const refused = response.status === 403;
        if (refused) forbidden.set(`${routeName(route)} ${caller}`, caller);
        if (allowed === refused || response.status === 401 || response.status >= 500) {
          mismatches.push(
            `${route.method} ${path} as ${caller}: ${response.status}, expected ${allowed ? 'allowed' : '403'}`,
          );
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('audits every 401 and 403 once per route and caller, and a flood as one summary per window', async () => {
    const denials = rampart.app.get(AccessDenialAudit);
    await denials.settled();
    const entries = await rampart.db.query<{
      route: string;
      status: number;
      actor_kind: string;
      actor_name: string;
      count: number;
    }>(
      `SELECT target_id AS route, (after->>'status')::int AS status, actor_kind, actor_name,
              (after->>'count')::int AS count
         FROM audit_entry WHERE action = 'access.denied' ORDER BY seq`,
    );
    const unauthenticated = entries.filter((entry) => entry.status === 401);
    expect(unauthenticated.map((entry) => entry.route).sort()).toEqual([...refusedAnonymously].sort());
    expect(unauthenticated.every((entry) => entry.actor_kind === 'anonymous' && entry.count === 1)).toBe(
      true,
    );
    const refused = entries.filter((entry) => entry.status === 403);
    expect(refused).toHaveLength(forbidden.size);
    expect(new Set(refused.map((entry) => `${entry.route} ${entry.actor_name}`)).size).toBe(forbidden.size);
    expect(refused.every((entry) => entry.actor_kind !== 'anonymous' && entry.count === 1)).toBe(true);

    // A flood on one route within the window adds nothing at once, then one summary with the count.
    const before = entries.length;
    for (let i = 0; i < 60; i += 1) await request(rampart.url).get('/api/v1/incidents').expect(401);
    await denials.settled();
    const [{ n } = { n: 0 }] = await rampart.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_entry WHERE action = 'access.denied'`,
    );
    expect(n).toBe(before);
    await denials.flush(Date.now() + 61_000);
    const summaries = await rampart.db.query<{ route: string; count: number; summary: boolean }>(
      `SELECT target_id AS route, (after->>'count')::int AS count, (after->>'summary')::boolean AS summary
         FROM audit_entry WHERE action = 'access.denied' ORDER BY seq OFFSET $1`,
      [before],
    );
    expect(summaries).toEqual([{ route: 'GET /api/v1/incidents', count: 60, summary: true }]);
  });
});
