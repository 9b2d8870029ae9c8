import request from 'supertest';

import { type Permission, ROLES, roleHas, type Role, USER_ROLES } from '@rampart/auth';

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
        if (allowed === refused || response.status === 401 || response.status >= 500) {
          mismatches.push(
            `${route.method} ${path} as ${caller}: ${response.status}, expected ${allowed ? 'allowed' : '403'}`,
          );
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});
