import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import request from 'supertest';

import { addApiKey, bearer, eventually } from '../support/connector-support';
import { REPO_ROOT, startTestRampart, type TestRampart } from '../support/rampart-app';

// The playbook routes on a running platform, over a PLAYBOOKS_DIR holding the shipped playbooks
// and one broken file.
let rampart: TestRampart;
let directory: string;
const VIEWER = 'rk_playbooks_viewer_key_000000000000';
const ANALYST = 'rk_playbooks_analyst_key_00000000000';

const BROKEN = [
  'id: broken',
  'name: Broken',
  'version: 1',
  'owner: soc',
  'trigger: { on: incident.created }',
  'steps:',
  '  - id: block',
  '    kind: action',
  '    operation: block_ip',
  '    target: "{{item.value"',
].join('\n');

beforeAll(async () => {
  directory = mkdtempSync(path.join(os.tmpdir(), 'rampart-playbooks-api-'));
  const shipped = path.join(REPO_ROOT, 'playbooks');
  for (const name of readdirSync(shipped).filter((file) => file.endsWith('.yaml'))) {
    copyFileSync(path.join(shipped, name), path.join(directory, name));
  }
  writeFileSync(path.join(directory, 'broken.yaml'), BROKEN);
  rampart = await startTestRampart({ PLAYBOOKS_DIR: directory });
  await addApiKey(rampart, 'viewer', VIEWER);
  await addApiKey(rampart, 'analyst', ANALYST);
});

afterAll(async () => {
  await rampart.stop();
  rmSync(directory, { recursive: true, force: true });
});

describe('GET /api/v1/playbooks', () => {
  it('lists every file with its validation state, hash and trigger; a broken one with its problems', async () => {
    const response = await request(rampart.url).get('/api/v1/playbooks').set(bearer(VIEWER)).expect(200);
    const body = response.body as {
      hash: string;
      items: {
        id: string;
        state: string;
        hash: string;
        trigger: string | null;
        diagnostics: { line: number; path: string; code: string }[];
      }[];
    };
    expect(body.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(body.items.map((item) => `${item.id} ${item.state}`)).toEqual([
      'block-malicious-source-ip valid',
      'broken invalid',
      'collect-forensics-and-notify valid',
      'cut-vpn-sessions-of-user valid',
      'isolate-compromised-host valid',
    ]);
    const broken = body.items.find((item) => item.id === 'broken');
    expect(broken?.diagnostics.map((d) => `${d.line} ${d.path} ${d.code}`)).toEqual([
      '10 steps[0].target invalid_template',
    ]);
    const block = body.items.find((item) => item.id === 'block-malicious-source-ip');
    expect(block?.trigger).toMatch(/^on incident\.created or incident\.updated when /);
  });

  it('answers one playbook with its YAML and compiled form, 404 for an unknown id, 400 for a malformed one', async () => {
    const response = await request(rampart.url)
      .get('/api/v1/playbooks/isolate-compromised-host')
      .set(bearer(VIEWER))
      .expect(200);
    expect(response.body.yaml).toBe(
      readFileSync(path.join(directory, 'isolate-compromised-host.yaml'), 'utf8'),
    );
    expect(response.body.compiled.steps[0].kind).toBe('for_each');
    await request(rampart.url).get('/api/v1/playbooks/no-such-playbook').set(bearer(VIEWER)).expect(404);
    const malformed = await request(rampart.url)
      .get('/api/v1/playbooks/Not_An_Id')
      .set(bearer(VIEWER))
      .expect(400);
    expect(malformed.body.field).toBe('param.id');
  });

  it('serves the published JSON Schema', async () => {
    const response = await request(rampart.url)
      .get('/api/v1/playbooks/schema.json')
      .set(bearer(VIEWER))
      .expect(200);
    expect(response.body).toEqual(
      JSON.parse(readFileSync(path.join(REPO_ROOT, 'docs', 'playbook.schema.json'), 'utf8')),
    );
  });

  it('picks up a new file without a restart', async () => {
    const text = readFileSync(path.join(directory, 'collect-forensics-and-notify.yaml'), 'utf8').replace(
      'id: collect-forensics-and-notify',
      'id: collect-forensics-copy',
    );
    writeFileSync(path.join(directory, 'copy.yaml'), text);
    const listed = await eventually(async () => {
      const response = await request(rampart.url)
        .get('/api/v1/playbooks/collect-forensics-copy')
        .set(bearer(VIEWER));
      return response.status === 200 ? (response.body as { state: string }) : undefined;
    }, 20_000);
    expect(listed.state).toBe('valid');
  });
});

describe('POST /api/v1/playbooks/validate', () => {
  it('answers the diagnostics of a bad playbook with line and path, and a summary of a good one', async () => {
    const bad = await request(rampart.url)
      .post('/api/v1/playbooks/validate')
      .set(bearer(ANALYST))
      .send({ yaml: BROKEN, file: 'mine.yaml' })
      .expect(200);
    expect(bad.body).toMatchObject({ valid: false, id: 'broken' });
    expect(bad.body.diagnostics).toEqual([
      expect.objectContaining({
        file: 'mine.yaml',
        line: 10,
        column: 13,
        path: 'steps[0].target',
        code: 'invalid_template',
      }),
    ]);
    const good = await request(rampart.url)
      .post('/api/v1/playbooks/validate')
      .set(bearer(ANALYST))
      .send({ yaml: readFileSync(path.join(directory, 'cut-vpn-sessions-of-user.yaml'), 'utf8') })
      .expect(200);
    expect(good.body).toMatchObject({
      valid: true,
      diagnostics: [],
      playbook: { id: 'cut-vpn-sessions-of-user', steps: 2 },
    });
  });

  it('refuses a body without YAML (naming the field) and a role that may not validate', async () => {
    const missing = await request(rampart.url)
      .post('/api/v1/playbooks/validate')
      .set(bearer(ANALYST))
      .send({})
      .expect(400);
    expect(missing.body.field).toBe('body.yaml');
    await request(rampart.url)
      .post('/api/v1/playbooks/validate')
      .set(bearer(VIEWER))
      .send({ yaml: BROKEN })
      .expect(403);
  });
});
