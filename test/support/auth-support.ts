import request from 'supertest';

import type { UserRole } from '@rampart/auth';

import { bearer } from './connector-support';
import type { TestRampart } from './rampart-app';

export interface SignedInSession {
  /** The Cookie header to send. */
  cookie: string;
  csrfToken: string;
  /** The Set-Cookie line as the server wrote it. */
  setCookie: string;
}

/** Creates a local user through the admin API. */
export async function createUser(
  rampart: TestRampart,
  user: { username: string; role: UserRole; password: string },
): Promise<{ id: string }> {
  const response = await request(rampart.url)
    .post('/api/v1/users')
    .set(bearer(rampart.adminKey))
    .send({ ...user, authSource: 'local' });
  if (response.status !== 201) throw new Error(`creating user failed: ${response.status} ${response.text}`);
  return response.body as { id: string };
}

/** Signs in with a password (JSON) and answers the session's cookie and CSRF token. */
export async function signIn(
  rampart: TestRampart,
  username: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<SignedInSession> {
  const response = await request(rampart.url)
    .post('/api/v1/auth/login')
    .set(headers)
    .send({ username, password });
  if (response.status !== 200) throw new Error(`sign-in failed: ${response.status} ${response.text}`);
  const setCookie = sessionCookieOf(response.headers['set-cookie']);
  if (!setCookie) throw new Error(`sign-in set no session cookie: ${JSON.stringify(response.headers)}`);
  return {
    cookie: setCookie.split(';')[0] as string,
    csrfToken: (response.body as { csrfToken: string }).csrfToken,
    setCookie,
  };
}

/** The session cookie among Set-Cookie lines, if any. */
export function sessionCookieOf(setCookie: unknown): string | undefined {
  const lines = Array.isArray(setCookie)
    ? (setCookie as string[])
    : typeof setCookie === 'string'
      ? [setCookie]
      : [];
  return lines.find((line) => /^(__Host-)?rampart_session=/.test(line));
}
