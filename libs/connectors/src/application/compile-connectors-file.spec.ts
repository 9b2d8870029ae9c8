import { formatDiagnostic } from '@rampart/diagnostics';

import { compileConnectorsFile } from './compile-connectors-file';

const environment = { PANOS_PASSWORD: 'pw-from-env', FALCON_SECRET: 'falcon-secret-from-env' };

describe('compileConnectorsFile', () => {
  it('loads entries and fills ${VARIABLE} credentials from the environment', () => {
    const text = [
      'connectors:',
      '  - name: edge-fw',
      '    type: panos',
      '    baseUrl: https://fw.example.net',
      '    credentials:',
      '      username: rampart-api',
      '      password: ${PANOS_PASSWORD}',
      '    options:',
      '      tag: rampart-blocked',
      '  - name: falcon',
      '    type: crowdstrike',
      '    capability: edr',
      '    baseUrl: https://api.crowdstrike.com',
      '    credentials:',
      '      clientId: rampart',
      '      clientSecret: prefix-${FALCON_SECRET}',
    ].join('\n');
    const compiled = compileConnectorsFile(text, 'connectors.yaml', environment);
    expect(compiled.diagnostics).toEqual([]);
    expect(compiled.definitions).toEqual([
      {
        name: 'edge-fw',
        type: 'panos',
        baseUrl: 'https://fw.example.net',
        credentials: { username: 'rampart-api', password: 'pw-from-env' },
        options: { tag: 'rampart-blocked' },
      },
      {
        name: 'falcon',
        type: 'crowdstrike',
        capability: 'edr',
        baseUrl: 'https://api.crowdstrike.com',
        credentials: { clientId: 'rampart', clientSecret: 'prefix-falcon-secret-from-env' },
        options: {},
      },
    ]);
  });

  it('skips entries with errors, reports each with line and path, and keeps the sound ones', () => {
    const text = [
      'connectors:', // 1
      '  - name: ok', // 2
      '    type: fortigate', // 3
      '    baseUrl: https://fw.example.net', // 4
      '    credentials:', // 5
      '      apiToken: ${MISSING_TOKEN}', // 6
      '  - name: bad name', // 7
      '    type: checkpoint', // 8
      '    baseUrl: https://x.example', // 9
      '    colour: blue', // 10
      '  - name: plain', // 11
      '    type: webhook', // 12
      '    baseUrl: http://hooks.example/x', // 13
      '    credentials:', // 14
      '      bearerToken: hunter2', // 15
      '  - name: okta', // 16
      '    type: okta', // 17
      '    baseUrl: https://corp.okta.com', // 18
      '    credentials: { apiToken: "${PANOS_PASSWORD}" }', // 19
      '    options: { quarantineGroupId: 00gq }', // 20
      '  - name: okta', // 21
      '    type: okta', // 22
      '    baseUrl: https://corp.okta.com', // 23
      '    credentials: { apiToken: "${PANOS_PASSWORD}" }', // 24
      '    options: { quarantineGroupId: 00gq }', // 25
    ].join('\n');
    const compiled = compileConnectorsFile(text, 'c.yaml', environment);
    expect(compiled.definitions.map((definition) => definition.name)).toEqual(['okta']);
    expect(compiled.diagnostics.map(formatDiagnostic)).toEqual([
      'c.yaml:6 connectors[0].credentials.apiToken: error unset_variable: environment variable MISSING_TOKEN is not set',
      'c.yaml:7 connectors[1].name: error invalid_field: must be 1-63 letters, digits, . _ - starting with a letter or digit',
      expect.stringMatching(/^c\.yaml:8 connectors\[1\]\.type: error invalid_field: /),
      'c.yaml:10 connectors[1].colour: error unknown_field: unknown field "colour"',
      'c.yaml:13 connectors[2].baseUrl: error invalid_field: must be https (http only to loopback, or with options.allowInsecureHttp)',
      'c.yaml:15 connectors[2].credentials.bearerToken: warning literal_secret: a secret written in the file; prefer ${VARIABLE}',
      'c.yaml:21 connectors[4].name: error duplicate_name: connector "okta" is already defined at line 16; this entry is skipped',
    ]);
    expect(JSON.stringify(compiled.diagnostics)).not.toContain('hunter2');
    expect(JSON.stringify(compiled.diagnostics)).not.toContain('pw-from-env');
  });

  it('reports a YAML syntax error and a wrong shape for the whole file', () => {
    expect(compileConnectorsFile('connectors: [\n', 'c.yaml', {}).diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', code: 'yaml_syntax', line: expect.any(Number) }),
    ]);
    expect(compileConnectorsFile('- a\n- b\n', 'c.yaml', {}).diagnostics).toEqual([
      expect.objectContaining({ code: 'invalid_structure', line: 1 }),
    ]);
    expect(compileConnectorsFile('connectors: []\n', 'c.yaml', {}).diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'no_connectors' }),
    ]);
  });
});
