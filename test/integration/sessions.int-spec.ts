import { createHash } from 'node:crypto';

import request from 'supertest';

import { createUser, sessionCookieOf, signIn } from '../support/auth-support';
import { bearer } from '../support/connector-support';
import { startTestRampart, type TestRampart } from '../support/rampart-app';

// Console sessions: cookie flags, CSRF on every state change, logout, idle and absolute
// timeouts, and login throttling per account and per client address. X-Forwarded-For (trusted
// from loopback here) lets one test machine be several client addresses.
let rampart: TestRampart;
const NOWHERE = '00000000-0000-4000-8000-000000000000';
const PASSWORD = 'a long passphrase for tests';

beforeAll(async () => {
  rampart = await startTestRampart({
    SOAR_LOGIN_MAX_FAILURES: '3',
    SOAR_LOGIN_MAX_FAILURES_PER_ADDRESS: '5',
    SOAR_LOGIN_LOCKOUT: '10m',
    SOAR_SESSION_IDLE_TIMEOUT: '20m',
    SOAR_SESSION_ABSOLUTE_TIMEOUT: '8h',
    SOAR_TRUST_PROXY: 'loopback',
  });
  for (const [username, role] of [
    ['alice', 'analyst'],
    ['bob', 'responder'],
    ['carol', 'admin'],
    ['dave', 'viewer'],
    ['erin', 'auditor'],
  ] as const) {
    await createUser(rampart, { username, role, password: PASSWORD });
  }
});

afterAll(async () => {
  await rampart.stop();
});

let address = 0;
/** A client address of its own, so throttling in one test does not reach another. */
const from = () => ({ 'X-Forwarded-For': `198.51.100.${++address}` });
const login = (username: string, password: string, headers: Record<string, string> = {}) =>
  request(rampart.url).post('/api/v1/auth/login').set(headers).send({ username, password });
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('signing in', () => {
  it('sets an httpOnly, SameSite=Lax cookie, Secure unless the browser speaks plain http to localhost', async () => {
    const local = await signIn(rampart, 'alice', PASSWORD, from());
    expect(local.setCookie).toMatch(
      /^rampart_session=[\w-]{43}; Max-Age=(?:28800|2879\d); Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/,
    );

    const named = await signIn(rampart, 'alice', PASSWORD, { ...from(), Host: 'rampart.example.com' });
    expect(named.setCookie).toMatch(
      /^__Host-rampart_session=[\w-]{43}; Max-Age=(?:28800|2879\d); Path=\/; .*HttpOnly; Secure; SameSite=Lax$/,
    );

    const proxied = await signIn(rampart, 'alice', PASSWORD, { ...from(), 'X-Forwarded-Proto': 'https' });
    expect(proxied.setCookie).toMatch(/^__Host-rampart_session=.*; Secure; SameSite=Lax$/);

    const answer = await login('alice', PASSWORD, from()).expect(200);
    expect(Object.keys(answer.body).sort()).toEqual(['csrfToken', 'expiresAt', 'user']);
    expect(answer.body.user).toEqual({ id: expect.any(String), username: 'alice', role: 'analyst' });
    expect(answer.text).not.toContain('argon2');

    const who = await request(rampart.url)
      .get('/api/v1/auth/session')
      .set('Cookie', named.cookie)
      .expect(200);
    expect(who.body).toMatchObject({
      kind: 'user',
      name: 'alice',
      role: 'analyst',
      csrfToken: named.csrfToken,
    });
    expect(who.headers['cache-control']).toBe('no-store');
  });

  it('keeps only a hash of the session id', async () => {
    const session = await signIn(rampart, 'dave', PASSWORD, from());
    const secret = session.cookie.split('=')[1] as string;
    const rows = await rampart.db.query<{ secret_hash: string }>(
      `SELECT s.secret_hash FROM user_session s JOIN user_account u ON u.id = s.user_id WHERE u.username = 'dave'`,
    );
    expect(rows.map((row) => row.secret_hash)).toContain(sha256(secret));
    expect(JSON.stringify(rows)).not.toContain(secret);
  });

  it('answers an unknown user exactly like a wrong password', async () => {
    const wrong = await login('alice', 'not the password at all', from()).expect(401);
    const unknown = await login('nobody-here', 'not the password at all', from()).expect(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.body).toMatchObject({ code: 'invalid_credentials' });
  });

  it('refuses a sign-in posted from another site', async () => {
    await login('alice', PASSWORD, { ...from(), 'Sec-Fetch-Site': 'cross-site' })
      .expect(403)
      .expect((response) => expect(response.body).toMatchObject({ code: 'cross_site_request' }));
    await login('alice', PASSWORD, { ...from(), Origin: 'https://evil.example' }).expect(403);
    await login('alice', PASSWORD, { ...from(), 'Sec-Fetch-Site': 'same-origin' }).expect(200);
  });
});

describe('CSRF', () => {
  it('refuses a state change made with a session unless it carries the session’s token', async () => {
    const session = await signIn(rampart, 'alice', PASSWORD, from());
    const patch = () =>
      request(rampart.url)
        .patch(`/api/v1/incidents/${NOWHERE}`)
        .set('Cookie', session.cookie)
        .send({ status: 'acknowledged' });

    const missing = await patch().expect(403);
    expect(missing.body).toMatchObject({ code: 'csrf_token_missing', field: 'header.X-CSRF-Token' });
    const forged = await patch().set('X-CSRF-Token', 'x'.repeat(43)).expect(403);
    expect(forged.body).toMatchObject({ code: 'csrf_token_invalid' });
    const other = await signIn(rampart, 'alice', PASSWORD, from());
    await patch().set('X-CSRF-Token', other.csrfToken).expect(403);
    // With its own token, the request reaches the route (which finds no such incident).
    await patch().set('X-CSRF-Token', session.csrfToken).expect(404);
    // Reads need no token, and API keys (not cookie-borne) need none either.
    await request(rampart.url).get('/api/v1/incidents').set('Cookie', session.cookie).expect(200);
    await request(rampart.url)
      .patch(`/api/v1/incidents/${NOWHERE}`)
      .set(bearer(rampart.adminKey))
      .send({ status: 'acknowledged' })
      .expect(404);
  });

  it('takes the token from the _csrf field of a plain form', async () => {
    const admin = await signIn(rampart, 'carol', PASSWORD, from());
    const form = (fields: Record<string, string>) =>
      request(rampart.url).post('/api/v1/users').set('Cookie', admin.cookie).type('form').send(fields);
    const user = { username: 'frank', role: 'viewer', password: PASSWORD };
    await form(user).expect(403);
    const created = await form({ ...user, _csrf: admin.csrfToken }).expect(201);
    expect(created.body).toMatchObject({ username: 'frank', role: 'viewer' });
  });
});

describe('sessions end', () => {
  it('at logout, which needs the token and clears the cookie', async () => {
    const session = await signIn(rampart, 'bob', PASSWORD, from());
    await request(rampart.url).post('/api/v1/auth/logout').set('Cookie', session.cookie).expect(403);
    const out = await request(rampart.url)
      .post('/api/v1/auth/logout')
      .set('Cookie', session.cookie)
      .set('X-CSRF-Token', session.csrfToken)
      .expect(204);
    expect(sessionCookieOf(out.headers['set-cookie'])).toMatch(
      /^rampart_session=; .*Expires=Thu, 01 Jan 1970/,
    );
    const after = await request(rampart.url)
      .get('/api/v1/auth/session')
      .set('Cookie', session.cookie)
      .expect(401);
    expect(after.body).toMatchObject({ code: 'session_expired' });
    expect(sessionCookieOf(after.headers['set-cookie'])).toMatch(/Expires=Thu, 01 Jan 1970/);
  });

  it('after the idle timeout, and at the absolute end however busy', async () => {
    const idle = await signIn(rampart, 'bob', PASSWORD, from());
    const busy = await signIn(rampart, 'bob', PASSWORD, from());
    const session = (cookie: string) =>
      request(rampart.url).get('/api/v1/auth/session').set('Cookie', cookie);
    await session(idle.cookie).expect(200);
    await rampart.db.query(
      `UPDATE user_session SET last_seen_at = now() - interval '21 minutes' WHERE secret_hash = $1`,
      [sha256(idle.cookie.split('=')[1] as string)],
    );
    const idled = await session(idle.cookie).expect(401);
    expect(idled.body).toMatchObject({ code: 'session_expired' });

    await rampart.db.query(
      `UPDATE user_session SET expires_at = now() - interval '1 second', last_seen_at = now() WHERE secret_hash = $1`,
      [sha256(busy.cookie.split('=')[1] as string)],
    );
    const ended = await session(busy.cookie).expect(401);
    expect(ended.body).toMatchObject({ code: 'session_expired' });
  });

  it('when an admin disables the user, and on a password change (but the session that made it)', async () => {
    const first = await signIn(rampart, 'erin', PASSWORD, from());
    const second = await signIn(rampart, 'erin', PASSWORD, from());
    const newPassword = 'another long passphrase';
    await request(rampart.url)
      .post('/api/v1/auth/password')
      .set('Cookie', first.cookie)
      .set('X-CSRF-Token', first.csrfToken)
      .send({ currentPassword: 'wrong wrong wrong', newPassword })
      .expect(401);
    await request(rampart.url)
      .post('/api/v1/auth/password')
      .set('Cookie', first.cookie)
      .set('X-CSRF-Token', first.csrfToken)
      .send({ currentPassword: PASSWORD, newPassword: 'short' })
      .expect(400)
      .expect((response) =>
        expect(response.body).toMatchObject({ code: 'weak_password', field: 'body.newPassword' }),
      );
    await request(rampart.url)
      .post('/api/v1/auth/password')
      .set('Cookie', first.cookie)
      .set('X-CSRF-Token', first.csrfToken)
      .send({ currentPassword: PASSWORD, newPassword })
      .expect(204);
    await request(rampart.url).get('/api/v1/auth/session').set('Cookie', first.cookie).expect(200);
    await request(rampart.url).get('/api/v1/auth/session').set('Cookie', second.cookie).expect(401);
    await login('erin', PASSWORD, from()).expect(401);
    const fresh = await signIn(rampart, 'erin', newPassword, from());

    const [erin] = await rampart.db.query<{ id: string }>(
      `SELECT id::text FROM user_account WHERE username = 'erin'`,
    );
    await request(rampart.url)
      .patch(`/api/v1/users/${erin?.id}`)
      .set(bearer(rampart.adminKey))
      .send({ disabled: true })
      .expect(200);
    await request(rampart.url).get('/api/v1/auth/session').set('Cookie', fresh.cookie).expect(401);
    await request(rampart.url).get('/api/v1/auth/session').set('Cookie', first.cookie).expect(401);
    await login('erin', newPassword, from()).expect(401);
  });
});

describe('login throttling', () => {
  it('locks an account after repeated failures, from any address, answering 429 with Retry-After', async () => {
    await createUser(rampart, { username: 'grace', role: 'viewer', password: PASSWORD });
    await login('grace', 'wrong password one', from()).expect(401);
    await login('grace', 'wrong password two', from()).expect(401);
    const locked = await login('grace', 'wrong password three', from()).expect(429);
    expect(locked.body).toMatchObject({ code: 'login_locked' });
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(590);
    expect(retryAfter).toBeLessThanOrEqual(600);
    // Locked means locked: the right password is not even checked.
    await login('grace', PASSWORD, from()).expect(429);
    await login('GRACE', PASSWORD, from()).expect(429);
    // Others are not affected.
    await signIn(rampart, 'dave', PASSWORD, from());

    // Audited: each failure (anonymous, named with the username tried), then the lock; the refusals
    // while locked are not entries of their own; no password anywhere in the trail.
    const audited = await rampart.db.query<{ action: string; actor: string; reason: string | null }>(
      `SELECT action, actor_kind || ':' || actor_name AS actor, after->>'reason' AS reason
         FROM audit_entry WHERE target_name = 'grace' AND action LIKE 'login.%' ORDER BY seq`,
    );
    expect(audited).toEqual([
      { action: 'login.failed', actor: 'anonymous:grace', reason: 'wrong_password' },
      { action: 'login.failed', actor: 'anonymous:grace', reason: 'wrong_password' },
      { action: 'login.failed', actor: 'anonymous:grace', reason: 'wrong_password' },
      { action: 'login.locked', actor: 'anonymous:grace', reason: null },
    ]);
    const [leaked] = await rampart.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_entry
        WHERE concat(before::text, after::text, actor_name, target_name) ILIKE '%wrong password%'
           OR concat(before::text, after::text, actor_name, target_name) LIKE $1`,
      [`%${PASSWORD}%`],
    );
    expect(leaked?.n).toBe(0);

    await rampart.db.query(
      `UPDATE login_throttle SET locked_until = now() - interval '1 second' WHERE key = 'account:grace'`,
    );
    await signIn(rampart, 'grace', PASSWORD, from());
  });

  it('locks a client address that tries many accounts, and only that address', async () => {
    const attacker = from();
    for (const username of ['u1', 'u2', 'u3', 'u4'])
      await login(username, 'guess guess guess', attacker).expect(401);
    await login('u5', 'guess guess guess', attacker).expect(429);
    const refused = await login('alice', PASSWORD, attacker).expect(429);
    expect(refused.body).toMatchObject({ code: 'login_locked' });
    const elsewhere = await login('alice', PASSWORD, from()).expect(200);
    expect(elsewhere.body.user).toMatchObject({ username: 'alice' });
  });

  it('lets an admin lift a lockout by setting a new password', async () => {
    const { id } = await createUser(rampart, { username: 'heidi', role: 'viewer', password: PASSWORD });
    for (let i = 0; i < 3; i++) await login('heidi', `wrong password ${i}`, from());
    const locked = await login('heidi', PASSWORD, from()).expect(429);
    expect(locked.body).toMatchObject({ code: 'login_locked' });
    const newPassword = 'a fresh passphrase, set by an admin';
    await request(rampart.url)
      .patch(`/api/v1/users/${id}`)
      .set(bearer(rampart.adminKey))
      .send({ password: newPassword })
      .expect(200);
    await login('heidi', newPassword, from()).expect(200);
  });
});

describe('in a browser, without script', () => {
  it('signs in from the HTML form and out again', async () => {
    const page = await request(rampart.url).get('/login?returnTo=/incidents').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<label for="username">Username</label>');
    expect(page.text).toContain('<label for="password">Password</label>');
    expect(page.text).toContain('<input type="hidden" name="returnTo" value="/incidents">');
    expect(page.text).not.toMatch(/<script|style=/);

    const failed = await request(rampart.url)
      .post('/api/v1/auth/login')
      .set(from())
      .type('form')
      .send({ username: 'alice', password: 'not it at all', returnTo: '/incidents' })
      .expect(401);
    expect(failed.text).toContain('<p role="alert">unknown username or wrong password</p>');

    const signedIn = await request(rampart.url)
      .post('/api/v1/auth/login')
      .set(from())
      .type('form')
      .send({ username: 'alice', password: PASSWORD, returnTo: '/incidents' })
      .expect(303);
    expect(signedIn.headers.location).toBe('/incidents');
    const cookie = (sessionCookieOf(signedIn.headers['set-cookie']) ?? '').split(';')[0] as string;

    const home = await request(rampart.url).get('/').set('Cookie', cookie).expect(200);
    expect(home.text).toContain('Signed in as <strong>alice</strong> (analyst)');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(home.text)?.[1] as string;
    await request(rampart.url).get('/login').set('Cookie', cookie).expect(303).expect('Location', '/');

    const out = await request(rampart.url)
      .post('/api/v1/auth/logout')
      .set('Cookie', cookie)
      .type('form')
      .send({ _csrf: csrf })
      .expect(303);
    expect(out.headers.location).toBe('/login?reason=signed_out');
    await request(rampart.url).get('/').set('Cookie', cookie).expect(303).expect('Location', '/login');
  });

  it('never sends a browser elsewhere after sign-in', async () => {
    for (const returnTo of ['//evil.example/', 'https://evil.example/', '/\\evil.example']) {
      const response = await request(rampart.url)
        .post('/api/v1/auth/login')
        .set(from())
        .type('form')
        .send({ username: 'alice', password: PASSWORD, returnTo })
        .expect(303);
      expect(response.headers.location).toBe('/');
    }
  });
});
