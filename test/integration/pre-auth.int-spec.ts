import request from 'supertest';

import { OpenApiDocumentBuilder } from '../../apps/api/src/openapi/openapi-document';
import { bearer } from '../support/connector-support';
import { rawExchange } from '../support/raw-http';
import { startTestRampart, type TestRampart } from '../support/rampart-app';

// Issue 9 finding 3: a megabyte of nested `[` sent without credentials was parsed (400
// malformed_json) before the request was refused, and pushed authenticated intake from 21 ms to
// seconds. Now the caller is resolved from the headers alone and the body is never read.
let rampart: TestRampart;
const NESTED = Buffer.alloc(1024 * 1024, '[');
const NOWHERE = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
  rampart = await startTestRampart();
});

afterAll(async () => {
  await rampart.stop();
});

function nonPublicRoutes() {
  return (
    rampart.app
      .get(OpenApiDocumentBuilder)
      .routes()
      // Console pages (GET, no body) redirect to sign-in instead: console-pages.int-spec.ts.
      .filter((route) => !route.public && !route.browserPage)
      .map((route) => ({
        method: route.method.toUpperCase(),
        path: route.path.replace(/\{(\w+)\}/g, (_all, name: string) =>
          /id$/i.test(name) ? NOWHERE : 'nothing',
        ),
      }))
  );
}

const jsonHeaders = { 'Content-Type': 'application/json' };

describe('authentication before the body', () => {
  it('answers 401 to an unauthenticated megabyte of nested JSON on every non-public route, without parsing it', async () => {
    const routes = nonPublicRoutes();
    expect(routes.length).toBeGreaterThan(20);
    const wrong: string[] = [];
    for (const route of routes) {
      for (const [credentials, code] of [
        [{}, 'missing_api_key'],
        [bearer('rk_not_a_key_at_all'), 'invalid_api_key'],
        [{ Cookie: 'rampart_session=forged' }, 'session_expired'],
      ] as const) {
        const answer = await rawExchange(rampart.url, {
          ...route,
          headers: { ...jsonHeaders, ...credentials },
          body: NESTED,
        });
        const body = answer.text.slice(answer.text.indexOf('\r\n\r\n') + 4);
        if (answer.status !== 401 || !body.includes(`"code":"${code}"`) || !answer.closed) {
          wrong.push(
            `${route.method} ${route.path} ${code}: ${answer.status} closed=${answer.closed} ${body.slice(0, 120)}`,
          );
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('answers before the body has arrived, then closes the connection instead of draining it', async () => {
    const answer = await rawExchange(rampart.url, {
      method: 'POST',
      path: '/api/v1/incidents/' + NOWHERE,
      headers: { ...jsonHeaders, 'Content-Length': String(NESTED.length) },
      body: NESTED,
      // Only a sixteenth of the promised body is ever sent: a server waiting for it would hang.
      sendBytes: 64 * 1024,
    });
    expect(answer.status).toBe(401);
    expect(answer.closed).toBe(true);
    expect(answer.text).toMatch(/^connection: close\r$/im);
    expect(answer.bodyBytesWritten).toBeLessThan(NESTED.length);
  });

  it('never invites the body of an unauthenticated client that waits for 100 Continue', async () => {
    const anonymous = await rawExchange(rampart.url, {
      method: 'POST',
      path: '/api/v1/alerts',
      headers: { ...jsonHeaders, Expect: '100-continue', 'Content-Length': String(NESTED.length) },
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.text).not.toContain('100 Continue');

    const authenticated = await rawExchange(
      rampart.url,
      {
        method: 'POST',
        path: '/api/v1/alerts',
        headers: {
          ...jsonHeaders,
          ...bearer(rampart.adminKey),
          Expect: '100-continue',
          'Content-Length': '2',
        },
      },
      { settleMs: 200, timeoutMs: 10_000 },
    );
    expect(authenticated.text).toMatch(/^HTTP\/1\.1 100 Continue/);
  });

  it('refuses JSON nested deeper than 64 levels from an authenticated caller before parsing it', async () => {
    const deep = await request(rampart.url)
      .patch(`/api/v1/incidents/${NOWHERE}`)
      .set(bearer(rampart.adminKey))
      .set(jsonHeaders)
      .send(NESTED.toString());
    expect(deep.status).toBe(400);
    expect(deep.body).toMatchObject({ code: 'json_too_deep', field: 'body' });

    const sixtyFive = `${'{"a":'.repeat(65)}1${'}'.repeat(65)}`;
    const refused = await request(rampart.url)
      .patch(`/api/v1/incidents/${NOWHERE}`)
      .set(bearer(rampart.adminKey))
      .set(jsonHeaders)
      .send(sixtyFive);
    expect(refused.body).toMatchObject({ code: 'json_too_deep' });

    const sixtyFour = `${'{"a":'.repeat(64)}1${'}'.repeat(64)}`;
    const parsed = await request(rampart.url)
      .patch(`/api/v1/incidents/${NOWHERE}`)
      .set(bearer(rampart.adminKey))
      .set(jsonHeaders)
      .send(sixtyFour);
    expect(parsed.body).toMatchObject({ code: 'validation_failed' });
  });

  it('keeps bodies small where no credentials are needed (the sign-in form)', async () => {
    const answer = await rawExchange(rampart.url, {
      method: 'POST',
      path: '/api/v1/auth/login',
      headers: jsonHeaders,
      body: NESTED,
    });
    expect(answer.status).toBe(413);
    expect(answer.text).toContain('"code":"payload_too_large"');
    expect(answer.closed).toBe(true);
  });

  it('puts security headers on every answer, refusals included', async () => {
    for (const answer of [
      await request(rampart.url).get('/api/v1/incidents'),
      await request(rampart.url).get('/health/live'),
      await request(rampart.url).get('/login'),
      await request(rampart.url).get('/api/v1/incidents/x').set(bearer(rampart.adminKey)),
    ]) {
      const csp = answer.headers['content-security-policy'] as string;
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(answer.headers['strict-transport-security']).toContain('max-age=');
      expect(answer.headers['x-powered-by']).toBeUndefined();
    }
  });
});
