import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import request from 'supertest';

import { LoadConnectorsFileUseCase } from '@rampart/connectors';
import { PanOsFake } from '@rampart/vendor-fakes';

import { CapturingLogger } from '../support/capturing-logger';
import { bearer } from '../support/connector-support';
import { startTestRampart, type TestRampart } from '../support/rampart-app';

// CONNECTORS_FILE: declarative instances loaded at start, secrets by ${VARIABLE} from the environment.
const panos = new PanOsFake({ password: 'file-panos-pw-6d2e9b41a7c3' });
const logger = new CapturingLogger();
const directory = mkdtempSync(path.join(os.tmpdir(), 'rampart-connectors-file-'));
const file = path.join(directory, 'connectors.yaml');
const variables = {
  RAMPART_TEST_PANOS_PASSWORD: panos.password,
  RAMPART_TEST_OKTA_TOKEN: 'file-okta-token-51c0e8a2d4',
};
let rampart: TestRampart;

const yaml = (panosUrl: string, tag: string) => `# connectors for the file test
connectors:
  - name: edge-fw
    type: panos
    baseUrl: ${panosUrl}
    credentials:
      username: ${panos.username}
      password: \${RAMPART_TEST_PANOS_PASSWORD}
    options:
      tag: ${tag}
  - name: falcon
    type: crowdstrike
    baseUrl: https://api.crowdstrike.example
    credentials:
      clientId: \${RAMPART_TEST_UNSET_VARIABLE}
      clientSecret: \${RAMPART_TEST_OKTA_TOKEN}
  - name: okta
    type: okta
    baseUrl: https://corp.okta.example
    credentials:
      apiToken: \${RAMPART_TEST_OKTA_TOKEN}
  - name: edge-fw
    type: fortigate
    baseUrl: https://fw2.example
    credentials:
      apiToken: \${RAMPART_TEST_OKTA_TOKEN}
  - name: soc-hook
    type: webhook
    baseUrl: https://hooks.example/rampart
    credentials:
      bearerToken: written-in-the-file
`;

beforeAll(async () => {
  await panos.start();
  writeFileSync(file, yaml(panos.baseUrl, 'rampart-blocked'));
  rampart = await startTestRampart({ CONNECTORS_FILE: file, ...variables }, { logger });
});

afterAll(async () => {
  await rampart?.stop();
  await panos.stop();
  rmSync(directory, { recursive: true, force: true });
});

const admin = () => bearer(rampart.adminKey);

describe('CONNECTORS_FILE', () => {
  it('loads the sound entries at start, marked as coming from the file', async () => {
    const list = await request(rampart.url).get('/api/v1/connectors').set(admin()).expect(200);
    expect(list.body.items.map((item: { name: string; source: string }) => [item.name, item.source])).toEqual(
      [
        ['edge-fw', 'file'],
        ['soc-hook', 'file'],
      ],
    );
    expect(logger.lines).toContainEqual(expect.stringContaining('2 connector instance(s) loaded from'));
  });

  it('reports every skipped entry with its file, line and path, and never a secret', () => {
    const reported = logger.lines.filter((line) => line.includes(file));
    expect(reported).toEqual([
      `error ${file}:15 connectors[1].credentials.clientId: error unset_variable: environment variable RAMPART_TEST_UNSET_VARIABLE is not set ConnectorsFile`,
      `error ${file}:17 connectors[2].options.quarantineGroupId: error missing_field: missing required field ConnectorsFile`,
      `error ${file}:22 connectors[3].name: error duplicate_name: connector "edge-fw" is already defined at line 3; this entry is skipped ConnectorsFile`,
      `warn ${file}:31 connectors[4].credentials.bearerToken: warning literal_secret: a secret written in the file; prefer \${VARIABLE} ConnectorsFile`,
      `log 2 connector instance(s) loaded from ${file} ConnectorsFile`,
    ]);
    for (const secret of [panos.password, variables.RAMPART_TEST_OKTA_TOKEN, 'written-in-the-file']) {
      expect(logger.text()).not.toContain(secret);
    }
  });

  it('resolves ${VARIABLE} credentials: the instance works against the vendor', async () => {
    const block = await request(rampart.url)
      .post('/api/v1/actions')
      .set(admin())
      .send({ connector: 'edge-fw', operation: 'block_ip', target: '192.0.2.31' })
      .expect(201);
    expect(block.body.state).toBe('succeeded');
    expect(panos.tagsOf('192.0.2.31')).toEqual(['rampart-blocked']);
  });

  it('leaves file instances to the file: the API refuses to change them', async () => {
    const refused = await request(rampart.url)
      .put('/api/v1/connectors/edge-fw')
      .set(admin())
      .send({ type: 'panos', baseUrl: panos.baseUrl })
      .expect(409);
    expect(refused.body).toMatchObject({ code: 'connector_managed_by_file', field: 'param.name' });
  });

  it('upserts by name when loaded again', async () => {
    const before = (await request(rampart.url).get('/api/v1/connectors/edge-fw').set(admin()).expect(200))
      .body;
    writeFileSync(file, yaml(panos.baseUrl, 'soc-blocked'));
    const result = await rampart.app.get(LoadConnectorsFileUseCase).execute({ file, environment: variables });
    expect(result.applied).toEqual(['edge-fw', 'soc-hook']);
    const after = (await request(rampart.url).get('/api/v1/connectors/edge-fw').set(admin()).expect(200))
      .body;
    expect(after).toMatchObject({ id: before.id, options: { tag: 'soc-blocked' }, source: 'file' });
  });
});
