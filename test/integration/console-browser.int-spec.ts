import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import request from 'supertest';

import { buildSampleAlert } from '@rampart/alerts';
import { PanOsFake } from '@rampart/vendor-fakes';

import { createUser } from '../support/auth-support';
import { addApiKey, bearer, createConnector, eventually } from '../support/connector-support';
import { REPO_ROOT, startTestRampart, type TestRampart } from '../support/rampart-app';

// The acceptance of the console, in Debian's headless Chromium driven by playwright-core against
// the real server: sign in; watch an incident appear live after a webhook alert; approve the
// pending approval of the playbook it triggered; roll the block back; generate and download a
// report. Screenshots are kept under test-artifacts/browser/.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts', 'browser');
const PASSWORD = 'browser passphrase 0123';
const INGEST_KEY = 'rk_ingest_key_for_browser_tests_00000';
const SOURCE_IP = '203.0.113.77';
const PLAYBOOK = `
id: approve-then-block
name: Approve, then block the source
version: 1
owner: tests
trigger:
  on: [incident.created]
  when:
    entity: { type: host, value: browser-sensor }
steps:
  - id: ask
    kind: approval
    message: 'Block the sources of {{incident.title}}?'
    approvers: { roles: [responder] }
    timeout: 1h
    on_timeout: reject
  - id: block-sources
    kind: for_each
    entities: { type: ip, role: source }
    steps:
      - id: block
        kind: action
        operation: block_ip
        target: '{{item.value}}'
        reason: 'incident #{{incident.number}}'
        expires_after: 1h
`;

const panos = new PanOsFake();
const playbooksDir = mkdtempSync(path.join(os.tmpdir(), 'rampart-browser-playbooks-'));
let rampart: TestRampart;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let incidentId = '';

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: the console's browser tests need it. ` +
        "Install Debian's package (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH.",
    );
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(path.join(playbooksDir, 'approve-then-block.yaml'), PLAYBOOK);
  await panos.start();
  rampart = await startTestRampart({ PLAYBOOKS_DIR: playbooksDir });
  await addApiKey(rampart, 'ingest', INGEST_KEY);
  await createConnector(rampart, {
    name: 'edge-fw',
    type: 'panos',
    baseUrl: panos.baseUrl,
    credentials: { apiKey: panos.apiKey },
  });
  await createUser(rampart, { username: 'browser-admin', role: 'admin', password: PASSWORD });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
  context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  // Rollback asks for confirmation.
  page.on('dialog', (dialog) => void dialog.accept());
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await rampart?.stop();
  await panos.stop();
  rmSync(playbooksDir, { recursive: true, force: true });
});

describe('the console in a browser', () => {
  it('signs in with a password and lands on the incident queue', async () => {
    await page.goto(`${rampart.url}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.getByLabel('Username').fill('browser-admin');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Incidents' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await page.locator('header').innerText()).toContain('browser-admin');
    await screenshot('01-signed-in');
  });

  it('shows an incident live, without a reload, after a webhook alert', async () => {
    await page.locator('#live-status', { hasText: 'Live:' }).waitFor();
    // A reload would drop this mark.
    await page.locator('body').evaluate((body) => body.setAttribute('data-not-reloaded', 'yes'));
    await request(rampart.url)
      .post('/api/v1/alerts')
      .set(bearer(INGEST_KEY))
      .send(
        buildSampleAlert('suricata', {
          id: 'browser-live-1',
          time: new Date(),
          host: 'browser-sensor',
          srcIp: SOURCE_IP,
          dstIp: '10.20.30.40',
          severity: 'high',
        }) as object,
      )
      .expect(202);
    const incidents = await eventually(async () => {
      const list = await request(rampart.url)
        .get('/api/v1/incidents?entity=host:browser-sensor')
        .set(bearer(rampart.adminKey));
      return list.body.items?.length ? (list.body.items as { id: string }[]) : undefined;
    });
    incidentId = (incidents[0] as { id: string }).id;
    const row = page.locator(`#incident-rows tr[data-incident="${incidentId}"]`);
    await row.waitFor({ timeout: 30_000 });
    expect(await row.locator('.sev').innerText()).toBe('high');
    expect(await page.locator('body').getAttribute('data-not-reloaded')).toBe('yes');
    await screenshot('02-incident-live');

    const severity = page.getByRole('group', { name: 'Severity' });
    await severity.getByLabel('critical', { exact: true }).check();
    await severity.getByLabel('high', { exact: true }).check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/severity=/);
    expect(new URL(page.url()).searchParams.getAll('severity').sort()).toEqual(['critical', 'high']);
    await row.waitFor();

    await row.getByRole('link').click();
    await page.getByRole('heading', { name: 'Alert timeline' }).waitFor();
    expect(await page.locator('main').innerText()).toContain(SOURCE_IP);
    await screenshot('03-incident-detail');
  });

  it('says when someone else changes the incident being read', async () => {
    await page.locator('#incident-live[data-ready]').waitFor({ state: 'attached' });
    await request(rampart.url)
      .post(`/api/v1/incidents/${incidentId}/comments`)
      .set(bearer(rampart.adminKey))
      .send({ text: 'Looked at by the night shift.' })
      .expect(201);
    const notice = page.locator('#incident-live', { hasText: 'This incident changed (commented)' });
    await notice.waitFor();
    expect(await notice.getByRole('link').getAttribute('href')).toBe(`/incidents/${incidentId}`);
  });

  it('comments on the incident and changes its status, with the keyboard', async () => {
    await page.getByLabel('Comment', { exact: true }).fill('Scanner confirmed from the IDS sensor.');
    await page.getByRole('button', { name: 'Add comment' }).click();
    await page.locator('#flash', { hasText: 'Comment added.' }).waitFor();
    expect(await page.locator('main').innerText()).toContain('Scanner confirmed from the IDS sensor.');
    await page.getByLabel('Status', { exact: true }).selectOption('acknowledged');
    await page.getByLabel('Status', { exact: true }).focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Change status');
    await page.keyboard.press('Enter');
    await page.locator('#flash', { hasText: 'Status changed.' }).waitFor();
    expect(await page.locator('main p strong.state').innerText()).toBe('acknowledged');
  });

  it('approves the pending approval of the playbook the incident triggered', async () => {
    const approval = await eventually(async () => {
      await page.goto(`${rampart.url}/approvals`);
      const row = page.locator('tr[data-approval]', { hasText: 'Block the sources' });
      return (await row.count()) > 0 ? row : undefined;
    }, 30_000);
    await screenshot('04-approvals');
    await approval.getByLabel('Reason (optional)').fill('confirmed scanner');
    await approval.getByRole('button', { name: 'Approve' }).click();
    await page.locator('#flash', { hasText: 'Decision recorded.' }).waitFor();
    expect(await page.locator('tr[data-approval]', { hasText: 'Block the sources' }).count()).toBe(0);
    await eventually(async () => (panos.tagsOf(SOURCE_IP).length > 0 ? true : undefined), 30_000);
  });

  it('rolls the block back from the containment page', async () => {
    const row = await eventually(async () => {
      await page.goto(`${rampart.url}/actions`);
      const found = page.locator('tr[data-action]', { hasText: SOURCE_IP });
      return (await found.count()) > 0 ? found : undefined;
    }, 30_000);
    expect(await row.locator('.state').innerText()).toBe('succeeded');
    expect(await row.innerText()).toMatch(/in (59m|1h)/);
    await screenshot('05-actions');
    await row.getByRole('button', { name: 'Roll back' }).click();
    await page.locator('#flash', { hasText: 'Rolled back.' }).waitFor();
    expect(panos.tagsOf(SOURCE_IP)).toEqual([]);
    const actions = await request(rampart.url)
      .get(`/api/v1/actions?incidentId=${incidentId}`)
      .set(bearer(rampart.adminKey))
      .expect(200);
    expect(actions.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ target: SOURCE_IP, state: 'rolled_back' })]),
    );
    await screenshot('06-rolled-back');
  });

  it('issues an API key and shows its secret once', async () => {
    await page.goto(`${rampart.url}/admin/api-keys`);
    await page.getByLabel('What it is for').fill('siem-from-browser');
    await page.getByLabel('Role', { exact: true }).selectOption('ingest');
    await page.getByRole('button', { name: 'Issue key' }).click();
    const secret = page.locator('#new-key-secret');
    await secret.waitFor({ state: 'visible' });
    const key = await secret.innerText();
    expect(key).toMatch(/^rk_/);
    await screenshot('08-api-key-issued');
    const who = await request(rampart.url).get('/api/v1/auth/session').set(bearer(key)).expect(200);
    expect(who.body).toMatchObject({ kind: 'api_key', name: 'siem-from-browser', role: 'ingest' });
    await page.reload();
    expect(await page.locator('main').innerText()).not.toContain(key);
    expect(await page.locator('tr[data-key]', { hasText: 'siem-from-browser' }).count()).toBe(1);
  });

  it('starts with a skip link and shows where the keyboard focus is', async () => {
    await page.goto(`${rampart.url}/overview`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to content');
    await page.keyboard.press('Tab');
    const outline = await page.evaluate('getComputedStyle(document.activeElement).outlineStyle');
    expect(outline).not.toBe('none');
    expect(await page.locator('svg.chart').count()).toBe(2);
    await screenshot('09-overview');
  });

  it('generates a report and downloads it', async () => {
    await page.goto(`${rampart.url}/reports`);
    await page.getByLabel('Report', { exact: true }).selectOption('incident_metrics');
    await page.getByLabel('Format', { exact: true }).selectOption('csv');
    await page.getByRole('button', { name: 'Generate' }).click();
    await page.locator('#flash', { hasText: 'Report generated' }).waitFor();
    const link = page.locator('tr[data-report] a[download]').first();
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const saved = path.join(ARTIFACTS, download.suggestedFilename());
    await download.saveAs(saved);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    expect(readFileSync(saved, 'utf8')).toContain(',');
    await screenshot('07-reports');
  });

  it('sends the browser to sign in again when the session has ended, and back afterwards', async () => {
    await page.goto(`${rampart.url}/reports`);
    await context.clearCookies();
    await page.getByRole('button', { name: 'Generate' }).click();
    await page.waitForURL(/\/login\?/);
    expect(await page.locator('[role="alert"]').innerText()).toContain('Your session ended');
    await page.getByLabel('Username').fill('browser-admin');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/reports');
  });
});
