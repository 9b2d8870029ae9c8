import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { CorrelationEvent } from '../domain/rules/correlation-event';
import { evaluateRules } from '../domain/rules/evaluate-rules';
import { loadCorrelationRules } from './load-correlation-rules';

const SHIPPED_RULES = join(__dirname, '../../../../rules/correlation');

function ruleFile(id: string): string {
  return [
    'rules:',
    `  - id: ${id}`,
    `    name: Rule ${id}`,
    '    type: threshold',
    '    severity: low',
    '    group_by: host',
    '    count: 2',
    '    within: 5m',
    '',
  ].join('\n');
}

describe('loadCorrelationRules', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'rampart-rules-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('loads the shipped rules without a single diagnostic', async () => {
    const { rules, diagnostics } = await loadCorrelationRules(SHIPPED_RULES);
    expect(diagnostics).toEqual([]);
    expect(rules.map((rule) => rule.type).sort()).toEqual([
      'distinct_count',
      'distinct_count',
      'sequence',
      'sequence',
      'sequence',
      'threshold',
      'threshold',
    ]);
  });

  it('makes the shipped rules fire on a textbook intrusion', async () => {
    const { rules } = await loadCorrelationRules(SHIPPED_RULES);
    const at = (minutes: number) => new Date(Date.UTC(2026, 2, 1, 10, minutes));
    const alert = (alertId: string, minutes: number, tacticIds: string[], techniqueIds: string[]) =>
      ({
        alertId,
        timeMs: at(minutes).getTime(),
        severityId: 3,
        title: alertId,
        source: 'elastic',
        entities: [
          { type: 'host', value: 'web-01', role: 'target' },
          { type: 'user', value: 'alice', role: 'target' },
          { type: 'ip', value: '203.0.113.7', role: 'source' },
        ],
        tacticIds,
        techniqueIds,
      }) satisfies CorrelationEvent;
    const events = [
      ...[0, 1, 2, 3, 4].map((minute) => alert(`guess-${minute}`, minute, ['TA0006'], ['T1110.001'])),
      alert('login', 6, ['TA0001'], ['T1078']),
      alert('shell', 8, ['TA0002'], ['T1059.004']),
      alert('beacon', 20, ['TA0011'], ['T1071.001']),
    ];
    const fired = evaluateRules(rules, events).map((match) => `${match.ruleId} ${match.groupKey}`);
    expect(fired).toEqual([
      'repeated-alerts-on-host host:web-01',
      'brute-force-on-user user:alice',
      'initial-access-then-execution host:web-01',
      'execution-then-command-and-control host:web-01',
    ]);
  });

  it('reads *.yaml and *.yml files in name order and nothing else', async () => {
    await writeFile(join(directory, 'b.yml'), ruleFile('from-b'));
    await writeFile(join(directory, 'a.yaml'), ruleFile('from-a'));
    await writeFile(join(directory, 'c.yaml.bak'), ruleFile('from-backup'));
    await writeFile(join(directory, 'notes.txt'), 'not rules');
    await mkdir(join(directory, 'nested.yaml'));
    const { rules, diagnostics } = await loadCorrelationRules(directory);
    expect(diagnostics).toEqual([]);
    expect(rules.map((rule) => rule.id)).toEqual(['from-a', 'from-b']);
  });

  it('follows symbolic links, as a mounted ConfigMap has them', async () => {
    await mkdir(join(directory, '..data'));
    await writeFile(join(directory, '..data', 'linked.yaml'), ruleFile('linked'));
    await symlink(join(directory, '..data', 'linked.yaml'), join(directory, 'linked.yaml'));
    const { rules } = await loadCorrelationRules(directory);
    expect(rules.map((rule) => rule.id)).toEqual(['linked']);
  });

  it('reports an id defined in two files, with file and line, and keeps the first', async () => {
    await writeFile(join(directory, '10-base.yaml'), ruleFile('shared'));
    await writeFile(
      join(directory, '20-local.yaml'),
      ruleFile('local') + ruleFile('shared').replace('rules:\n', ''),
    );
    const { rules, diagnostics } = await loadCorrelationRules(directory);
    expect(rules.map((rule) => rule.id)).toEqual(['shared', 'local']);
    expect(diagnostics).toEqual([
      {
        severity: 'error',
        code: 'duplicate_id',
        file: join(directory, '20-local.yaml'),
        line: 9,
        path: 'rules[1].id',
        message: `rule id "shared" is already defined at ${join(directory, '10-base.yaml')}:2; this definition is skipped`,
      },
    ]);
  });

  it('keeps loading the other files when one is broken', async () => {
    await writeFile(join(directory, 'a.yaml'), 'rules:\n  - id: [unclosed\n');
    await writeFile(join(directory, 'b.yaml'), ruleFile('fine'));
    const { rules, diagnostics } = await loadCorrelationRules(directory);
    expect(rules.map((rule) => rule.id)).toEqual(['fine']);
    expect(diagnostics.map((d) => `${d.file}:${d.line} ${d.code}`)).toEqual([
      expect.stringMatching(/a\.yaml:\d+ yaml_syntax$/),
    ]);
  });

  it('reports a missing directory instead of throwing', async () => {
    const missing = join(directory, 'missing');
    const { rules, diagnostics } = await loadCorrelationRules(missing);
    expect(rules).toEqual([]);
    expect(diagnostics).toMatchObject([
      { severity: 'error', code: 'read_failed', file: missing, line: null },
    ]);
  });

  it('warns about a directory without rule files', async () => {
    const { rules, diagnostics } = await loadCorrelationRules(directory);
    expect(rules).toEqual([]);
    expect(diagnostics).toMatchObject([{ severity: 'warning', code: 'no_rules', file: directory }]);
  });
});
