import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { freePort } from '../support/free-port';
import { REPO_ROOT } from '../support/rampart-app';
import { type RampartProcess, startRampartProcess } from '../support/rampart-process';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

// OIDC sign-in end to end: the real entry point (dist/, `npm test` builds it) against a real
// OpenID Connect provider (oidc-provider) on loopback, both in their own processes, driven the
// way a browser is: redirects followed by hand, cookies kept per server.
const CLIENT_ID = 'rampart-console';
const CLIENT_SECRET = 'oidc-test-client-secret-0123456789';
const ADMIN_KEY = 'rk_test_process_admin_key_0123456789';

let db: TestDatabase;
let workDir: string;
let accountsFile: string;
let provider: ChildProcess;
let issuer: string;
let rampart: RampartProcess;

const ACCOUNTS = {
  'sub-alice': {
    preferred_username: 'alice',
    name: 'Alice A.',
    email: 'alice@example.test',
    groups: ['soc-analysts'],
  },
  'sub-bob': { preferred_username: 'bob', email: 'bob@example.test', groups: ['soc-analysts', 'soc-admins'] },
  'sub-carol': { preferred_username: 'carol', groups: ['soc-responders'] },
  'sub-dave': { preferred_username: 'dave', groups: ['soc-admins'] },
  'sub-mallory': { preferred_username: 'mallory', groups: ['finance'] },
};
const writeAccounts = (accounts: Record<string, unknown>) =>
  writeFileSync(accountsFile, JSON.stringify(accounts));

beforeAll(async () => {
  workDir = mkdtempSync(path.join(os.tmpdir(), 'rampart-oidc-'));
  accountsFile = path.join(workDir, 'accounts.json');
  writeAccounts(ACCOUNTS);
  db = await createTestDatabase('oidc');
  const port = await freePort();
  // The host the browser uses for Rampart (its cookies are per host): `npm start` prints localhost.
  const redirectUrl = `http://localhost:${port}/api/v1/auth/oidc/callback`;
  ({ child: provider, issuer } = await startProvider(redirectUrl));
  rampart = await startRampartProcess({
    PORT: String(port),
    DATABASE_URL: db.url,
    SOAR_ROLES: 'api',
    SOAR_OIDC_ISSUER: issuer,
    SOAR_OIDC_CLIENT_ID: CLIENT_ID,
    SOAR_OIDC_CLIENT_SECRET: CLIENT_SECRET,
    SOAR_OIDC_REDIRECT_URL: redirectUrl,
    SOAR_OIDC_SCOPES: 'openid profile email groups',
    SOAR_OIDC_ROLE_MAP: 'soc-admins=admin,soc-responders=responder,soc-analysts=analyst',
  });
});

afterAll(async () => {
  await rampart?.stop();
  if (provider && provider.exitCode === null) {
    provider.kill('SIGTERM');
    await new Promise((resolve) => provider.once('exit', resolve));
  }
  await db?.drop();
  rmSync(workDir, { recursive: true, force: true });
});

describe('OIDC sign-in', () => {
  it('runs the authorization code flow with PKCE, state and nonce, and maps the IdP’s groups to a role', async () => {
    const browser = new Browser();
    const page = await browser.get(`${rampart.url}/login`);
    expect(await page.text()).toContain('href="/api/v1/auth/oidc/login?returnTo=%2F"');

    const start = await browser.get(`${rampart.url}/api/v1/auth/oidc/login?returnTo=/incidents`);
    expect(start.status).toBe(303);
    const authorize = new URL(start.headers.get('location') as string);
    expect(authorize.origin).toBe(issuer);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      client_id: CLIENT_ID,
      response_type: 'code',
      code_challenge_method: 'S256',
      code_challenge: expect.stringMatching(/^[\w-]{43}$/),
      state: expect.stringMatching(/^[\w-]{43}$/),
      nonce: expect.stringMatching(/^[\w-]{43}$/),
      scope: 'openid profile email groups',
    });
    expect(browser.cookie(rampart.url, 'rampart_oidc')).toMatch(/^v1\./);

    const landed = await signInAtProvider(browser, authorize, 'sub-alice');
    expect(landed.status).toBe(303);
    expect(landed.headers.get('location')).toBe('/incidents');
    expect(browser.cookie(rampart.url, 'rampart_oidc')).toBeUndefined();

    const who = await browser.get(`${rampart.url}/api/v1/auth/session`);
    expect(who.status).toBe(200);
    expect(await who.json()).toMatchObject({ kind: 'user', name: 'alice', role: 'analyst' });

    const users = (await (await admin('/api/v1/users')).json()) as { items: unknown[] };
    expect(users.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          username: 'alice',
          displayName: 'Alice A.',
          authSource: 'oidc',
          oidcLinked: true,
        }),
      ]),
    );
  });

  it('takes the first mapping the groups match, in configuration order', async () => {
    expect(await signInAs('sub-bob')).toMatchObject({ name: 'bob', role: 'admin' });
  });

  it('links an account an admin created for OIDC at its first sign-in', async () => {
    const created = await admin('/api/v1/users', { username: 'carol', role: 'viewer', authSource: 'oidc' });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect(await signInAs('sub-carol')).toMatchObject({ id, name: 'carol', role: 'responder' });
  });

  it('refuses a user the mapping gives no role, and one who lost their groups at the IdP', async () => {
    expect(await signInAs('sub-mallory')).toBe('/login?reason=oidc_no_role');

    expect(await signInAs('sub-alice')).toMatchObject({ role: 'analyst' });
    writeAccounts({ ...ACCOUNTS, 'sub-alice': { ...ACCOUNTS['sub-alice'], groups: [] } });
    try {
      expect(await signInAs('sub-alice')).toBe('/login?reason=oidc_no_role');
    } finally {
      writeAccounts(ACCOUNTS);
    }
  });

  it('never hands a local account to an IdP user of the same name', async () => {
    const created = await admin('/api/v1/users', {
      username: 'dave',
      role: 'viewer',
      password: 'a local account’s own passphrase',
    });
    expect(created.status).toBe(201);
    expect(await signInAs('sub-dave')).toBe('/login?reason=oidc_unknown_user');
  });

  it('refuses a callback whose state was changed, one without its transaction, and a code used twice', async () => {
    const tampered = new Browser();
    const start = await tampered.get(`${rampart.url}/api/v1/auth/oidc/login`);
    const authorize = new URL(start.headers.get('location') as string);
    authorize.searchParams.set('state', 'x'.repeat(43));
    const refused = await signInAtProvider(tampered, authorize, 'sub-alice');
    expect(refused.headers.get('location')).toBe('/login?reason=oidc_failed');
    expect(tampered.cookie(rampart.url, 'rampart_session')).toBeUndefined();

    // A callback URL planted in another browser (login CSRF) has no transaction there.
    const victim = new Browser();
    const attacker = new Browser();
    const own = await attacker.get(`${rampart.url}/api/v1/auth/oidc/login`);
    const callback = await attacker.followToCallback(
      new URL(own.headers.get('location') as string),
      'sub-mallory',
    );
    const planted = await victim.get(callback);
    expect(planted.headers.get('location')).toBe('/login?reason=oidc_failed');
    expect(victim.cookie(rampart.url, 'rampart_session')).toBeUndefined();

    const once = new Browser();
    const first = await once.get(`${rampart.url}/api/v1/auth/oidc/login`);
    const code = await once.followToCallback(new URL(first.headers.get('location') as string), 'sub-alice');
    const oidcCookie = once.cookie(rampart.url, 'rampart_oidc') as string;
    expect((await once.get(code)).headers.get('location')).toBe('/');
    const replay = new Browser();
    replay.set(rampart.url, 'rampart_oidc', oidcCookie);
    expect((await replay.get(code)).headers.get('location')).toBe('/login?reason=oidc_failed');
  });
});

/** Signs `account` in from a fresh browser: who Rampart then says it is, or where it was sent. */
async function signInAs(account: string): Promise<Record<string, unknown> | string> {
  const browser = new Browser();
  const start = await browser.get(`${rampart.url}/api/v1/auth/oidc/login`);
  const landed = await signInAtProvider(browser, new URL(start.headers.get('location') as string), account);
  const location = landed.headers.get('location') as string;
  if (location !== '/') return location;
  return (await (await browser.get(`${rampart.url}/api/v1/auth/session`)).json()) as Record<string, unknown>;
}

async function signInAtProvider(browser: Browser, authorize: URL, account: string): Promise<Response> {
  return browser.get(await browser.followToCallback(authorize, account));
}

function admin(pathname: string, body?: unknown): Promise<Response> {
  return fetch(`${rampart.url}${pathname}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Just enough of a browser: manual redirects, and cookies kept per origin. */
class Browser {
  private readonly jars = new Map<string, Map<string, string>>();

  cookie(origin: string, name: string): string | undefined {
    return this.jars.get(new URL(origin).origin)?.get(name);
  }

  set(origin: string, name: string, value: string): void {
    const jar = this.jars.get(new URL(origin).origin) ?? new Map<string, string>();
    jar.set(name, value);
    this.jars.set(new URL(origin).origin, jar);
  }

  async get(url: string | URL): Promise<Response> {
    const target = new URL(url);
    const jar = this.jars.get(target.origin) ?? new Map<string, string>();
    this.jars.set(target.origin, jar);
    const response = await fetch(target, {
      redirect: 'manual',
      headers: { Cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const expired = attributes.some((attribute) => /expires=thu, 01 jan 1970/i.test(attribute.trim()));
      if (expired || pair.slice(at + 1) === '') jar.delete(name);
      else jar.set(name, pair.slice(at + 1));
    }
    return response;
  }

  /** At the provider: authorize, sign `account` in, and answer the callback URL it redirects to. */
  async followToCallback(authorize: URL, account: string): Promise<string> {
    const toInteraction = await this.get(authorize);
    const interaction = new URL(toInteraction.headers.get('location') as string, authorize);
    interaction.searchParams.set('login', account);
    const resumed = await this.get(interaction);
    const back = await this.get(new URL(resumed.headers.get('location') as string, authorize));
    const callback = back.headers.get('location');
    if (back.status !== 303 || !callback)
      throw new Error(`the provider did not redirect back: ${back.status}`);
    return callback;
  }
}

async function startProvider(redirectUri: string): Promise<{ child: ChildProcess; issuer: string }> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'test', 'support', 'oidc-provider.mjs')], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
      OIDC_REDIRECT_URI: redirectUri,
      OIDC_ACCOUNTS: accountsFile,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /ISSUER (\S+)/.exec(output);
      if (match) resolve(match[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`the OIDC provider exited with ${code}:\n${output}`)));
  });
  return { child, issuer: url };
}
