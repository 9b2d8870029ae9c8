import request from 'supertest';

import { buildSampleAlert } from '@rampart/alerts';
import { type Permission, roleHas, USER_ROLES, type UserRole } from '@rampart/auth';

import { createUser, type SignedInSession, signIn } from '../support/auth-support';
import { bearer } from '../support/connector-support';
import { startTestRampart, type TestRampart } from '../support/rampart-app';

// Every console page: 200 (HTML) for each role that may see it, 403 for each that may not, a
// redirect to the sign-in page without a session; and a Content-Security-Policy without inline
// script. The pages hold real data (an incident from a webhook alert) so their views render it.
let rampart: TestRampart;
const sessions = new Map<UserRole, SignedInSession>();
const PASSWORD = 'console passphrase 0123';
let incidentId = '';
let liveStream: { reader: ReadableStreamDefaultReader<Uint8Array>; controller: AbortController } | undefined;

beforeAll(async () => {
  rampart = await startTestRampart();
  for (const role of USER_ROLES) {
    await createUser(rampart, { username: `console-${role}`, role, password: PASSWORD });
    sessions.set(role, await signIn(rampart, `console-${role}`, PASSWORD));
  }
  const alert = buildSampleAlert('elastic', {
    id: 'console-pages-1',
    time: new Date(),
    host: 'web-console-01',
    severity: 'high',
  });
  await request(rampart.url)
    .post('/api/v1/alerts')
    .set(bearer(rampart.adminKey))
    .send(alert as object)
    .expect(202);
  const incidents = await request(rampart.url)
    .get('/api/v1/incidents')
    .set(bearer(rampart.adminKey))
    .expect(200);
  incidentId = incidents.body.items[0].id as string;
});

afterAll(async () => {
  await rampart.stop();
  // The server ended the stream when it stopped (what was still in flight is read first).
  if (liveStream) {
    const { reader } = liveStream;
    const ended = (async () => {
      for (;;) {
        const chunk = await reader.read().catch(() => ({ done: true }));
        if (chunk.done) return true;
      }
    })();
    const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000).unref());
    expect(await Promise.race([ended, timeout])).toBe(true);
    liveStream.controller.abort();
  }
});

const PAGES: { path: () => string; permission: Permission }[] = [
  { path: () => '/', permission: 'incidents:read' },
  {
    path: () => '/?status=new,acknowledged&severity=high&q=web&sort=severity&dir=asc',
    permission: 'incidents:read',
  },
  {
    path: () => '/?status=new&status=acknowledged&severity=high&severity=low&q=%231',
    permission: 'incidents:read',
  },
  { path: () => `/incidents/${incidentId}`, permission: 'incidents:read' },
  { path: () => `/incidents/${incidentId}/dry-run?playbook=contain-brute-force`, permission: 'runs:start' },
  { path: () => '/approvals', permission: 'runs:read' },
  { path: () => '/actions', permission: 'actions:read' },
  { path: () => '/reports', permission: 'reports:read' },
  { path: () => '/overview', permission: 'incidents:read' },
  { path: () => '/playbooks', permission: 'playbooks:read' },
  { path: () => '/playbooks/block-malicious-source-ip', permission: 'playbooks:read' },
  { path: () => '/audit', permission: 'audit:read' },
  {
    path: () => '/audit?actor=SOAR_ADMIN_API_KEY&action=incident.*&from=2026-01-01&to=2030-01-01',
    permission: 'audit:read',
  },
  { path: () => '/audit/verify', permission: 'audit:read' },
  { path: () => '/admin/users', permission: 'users:read' },
  { path: () => '/admin/api-keys', permission: 'api_keys:read' },
  { path: () => '/admin/connectors', permission: 'connectors:read' },
  { path: () => '/admin/protected-assets', permission: 'protected_assets:read' },
];

describe('console pages', () => {
  it('answer 200 with HTML to each role that may see them and 403 to the others', async () => {
    const wrong: string[] = [];
    for (const page of PAGES) {
      for (const role of USER_ROLES) {
        const session = sessions.get(role) as SignedInSession;
        const response = await request(rampart.url).get(page.path()).set('Cookie', session.cookie);
        const expected = roleHas(role, page.permission) ? 200 : 403;
        if (response.status !== expected || !/text\/html/.test(String(response.headers['content-type']))) {
          wrong.push(`${page.path()} as ${role}: ${response.status} ${response.text.slice(0, 200)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('redirect to the sign-in page without a session, and come back after it', async () => {
    for (const page of PAGES) {
      const response = await request(rampart.url).get(page.path()).expect(303);
      const path = page.path();
      expect(response.headers.location).toBe(
        path === '/' ? '/login' : `/login?returnTo=${encodeURIComponent(path)}`,
      );
    }
  });

  it('show the incident an alert opened, with its severity at a glance', async () => {
    const session = sessions.get('analyst') as SignedInSession;
    const queue = await request(rampart.url).get('/').set('Cookie', session.cookie).expect(200);
    expect(queue.text).toContain(`href="/incidents/${incidentId}"`);
    expect(queue.text).toContain('class="sev sev-high"');
    const detail = await request(rampart.url)
      .get(`/incidents/${incidentId}`)
      .set('Cookie', session.cookie)
      .expect(200);
    expect(detail.text).toContain('web-console-01');
    expect(detail.text).toContain('<label for="comment-text">Comment</label>');
    const viewer = await request(rampart.url)
      .get(`/incidents/${incidentId}`)
      .set('Cookie', (sessions.get('viewer') as SignedInSession).cookie)
      .expect(200);
    expect(viewer.text).not.toContain('comment-text');
    expect(viewer.text).not.toContain('Run a playbook');
  });

  it('shows each role only the sections it may open', async () => {
    const nav = async (role: UserRole) => {
      const page = await request(rampart.url)
        .get('/')
        .set('Cookie', (sessions.get(role) as SignedInSession).cookie)
        .expect(200);
      return [...page.text.matchAll(/<li><a href="([^"]+)"/g)].map((match) => match[1]);
    };
    expect(await nav('viewer')).toEqual(['/', '/overview', '/approvals', '/actions', '/playbooks']);
    expect(await nav('auditor')).toEqual(
      expect.arrayContaining(['/audit', '/reports', '/admin/users', '/admin/api-keys']),
    );
    expect(await nav('auditor')).not.toContain('/admin/connectors');
    expect(await nav('admin')).toContain('/admin/protected-assets');
  });

  it('draws the charts as inline SVG and verifies the audit trail on demand', async () => {
    const cookie = (sessions.get('auditor') as SignedInSession).cookie;
    const overview = await request(rampart.url).get('/overview').set('Cookie', cookie).expect(200);
    expect(overview.text).toContain('<svg class="chart"');
    expect(overview.text).toMatch(/<strong>1<\/strong> incidents opened/);
    const verify = await request(rampart.url).get('/audit/verify').set('Cookie', cookie).expect(200);
    expect(verify.text).toContain('<strong>Valid.</strong>');
    const keys = await request(rampart.url).get('/admin/api-keys').set('Cookie', cookie).expect(200);
    expect(keys.text).toContain('SOAR_ADMIN_API_KEY');
    expect(keys.text).not.toContain(rampart.adminKey);
    expect(keys.text).not.toContain('Issue an API key');
  });

  it('answers a bad filter with a 400 page naming the problem', async () => {
    const cookie = (sessions.get('analyst') as SignedInSession).cookie;
    const response = await request(rampart.url).get('/?severity=dreadful').set('Cookie', cookie).expect(400);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.text).toContain('severity');
  });

  it('streams committed incident changes as server-sent events, and ends them when the server stops', async () => {
    const session = sessions.get('viewer') as SignedInSession;
    await request(rampart.url).get('/console/events').set('Cookie', session.cookie).expect(406);
    const controller = new AbortController();
    const stream = await fetch(`${rampart.url}/console/events`, {
      headers: { Cookie: session.cookie, Accept: 'text/event-stream' },
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let received = '';
    const until = async (pattern: RegExp) => {
      while (!pattern.test(received)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${pattern}: ${received}`);
        received += decoder.decode(value, { stream: true });
      }
    };
    await until(/event: ready/);
    await request(rampart.url)
      .post('/api/v1/alerts')
      .set(bearer(rampart.adminKey))
      .send(
        buildSampleAlert('elastic', {
          id: 'console-pages-live',
          time: new Date(),
          host: 'web-console-live',
          severity: 'low',
        }) as object,
      )
      .expect(202);
    await until(/event: incident\ndata: \{"kind":"created"/);
    const created = /event: incident\ndata: (\{"kind":"created"[^\n]*)/.exec(received)?.[1] as string;
    const incidents = await request(rampart.url)
      .get('/api/v1/incidents?entity=host:web-console-live')
      .set(bearer(rampart.adminKey))
      .expect(200);
    expect(JSON.parse(created)).toMatchObject({ kind: 'created', incidentId: incidents.body.items[0].id });
    // Left open on purpose: afterAll's stop() must end it rather than wait for it.
    liveStream = { reader, controller };
  });

  it('shows hostile alert text as text, never as markup', async () => {
    const hostile = '<img src=x onerror=alert(1)><script>alert(2)</script>{{constructor}}';
    await request(rampart.url)
      .post('/api/v1/alerts')
      .set(bearer(rampart.adminKey))
      .send(
        buildSampleAlert('elastic', {
          id: 'console-pages-hostile',
          time: new Date(),
          host: 'web-console-hostile',
          severity: 'medium',
          title: hostile,
        }) as object,
      )
      .expect(202);
    const list = await request(rampart.url)
      .get('/api/v1/incidents?entity=host:web-console-hostile')
      .set(bearer(rampart.adminKey))
      .expect(200);
    const cookie = (sessions.get('analyst') as SignedInSession).cookie;
    for (const path of ['/', `/incidents/${list.body.items[0].id as string}`]) {
      const page = await request(rampart.url).get(path).set('Cookie', cookie).expect(200);
      expect(page.text).not.toContain('<img src=x');
      expect(page.text).not.toContain('<script>alert(2)');
      expect(page.text).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;&lt;script&gt;alert(2)');
    }
  });

  it('sends a Content-Security-Policy without inline script or style', async () => {
    const session = sessions.get('admin') as SignedInSession;
    const response = await request(rampart.url).get('/').set('Cookie', session.cookie).expect(200);
    const csp = String(response.headers['content-security-policy']);
    const directive = (name: string) =>
      csp
        .split(';')
        .map((part) => part.trim())
        .find((part) => part.startsWith(`${name} `)) ?? '';
    expect(directive('script-src')).toBe("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(response.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(response.text).not.toMatch(/\sstyle=|\son[a-z]+=/);
    const htmx = await request(rampart.url).get('/console/assets/htmx.min.js').expect(200);
    expect(htmx.headers['content-type']).toMatch(/javascript/);
    await request(rampart.url).get('/console/assets/..%2Fpackage.json').expect(404);
  });
});
