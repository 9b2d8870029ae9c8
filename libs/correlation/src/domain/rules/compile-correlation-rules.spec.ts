import { formatDiagnostic, hasErrors } from '@rampart/diagnostics';

import { compileRuleSources, compileRulesFromText } from './compile-correlation-rules';
import type { CorrelationRule } from './correlation-rule';
import { anyEventFilter } from './event-filter';
import type { RuleDiagnostic } from './rule-diagnostic';

// Shortest form of a diagnostic for assertions: `line severity code path`.
function brief(diagnostics: RuleDiagnostic[]): string[] {
  return diagnostics.map((d) => `${d.line ?? '-'} ${d.severity} ${d.code} ${d.path}`);
}

function yaml(lines: string[]): string {
  return lines.join('\n') + '\n';
}

describe('compileRulesFromText', () => {
  it('compiles each rule type', () => {
    const text = yaml([
      'rules:',
      '  - id: repeated-alerts-on-host',
      '    name: Repeated alerts on one host',
      '    description: Many alerts.',
      '    type: threshold',
      '    severity: high',
      '    group_by: host',
      '    count: 5',
      '    within: 10m',
      '    where:',
      '      min_severity: low',
      '      tactic: ta0006',
      '      technique: [T1110, t1078.002]',
      '      source: Wazuh',
      '      title_contains: Brute',
      '  - id: one-source-many-hosts',
      '    name: One source, many hosts',
      '    type: distinct_count',
      '    severity: medium',
      '    group_by: ip:source',
      '    distinct: host',
      '    count: 3',
      '    within: 1h30m',
      '  - id: initial-access-then-execution',
      '    name: Initial access, then execution',
      '    type: sequence',
      '    severity: critical',
      '    group_by: host:target',
      '    within: 1h',
      '    steps:',
      '      - { tactic: TA0001 }',
      '      - { tactic: [TA0002, TA0003], min_severity: medium }',
    ]);
    const { rules, diagnostics } = compileRulesFromText(text, 'rules.yaml');
    expect(diagnostics).toEqual([]);
    expect(rules).toEqual<CorrelationRule[]>([
      {
        id: 'repeated-alerts-on-host',
        name: 'Repeated alerts on one host',
        description: 'Many alerts.',
        type: 'threshold',
        severityId: 4,
        groupBy: { type: 'host', role: null },
        count: 5,
        withinMs: 600_000,
        where: {
          minSeverityId: 2,
          tacticIds: ['TA0006'],
          techniqueIds: ['T1110', 'T1078.002'],
          sources: ['wazuh'],
          titleContains: ['brute'],
        },
      },
      {
        id: 'one-source-many-hosts',
        name: 'One source, many hosts',
        description: null,
        type: 'distinct_count',
        severityId: 3,
        groupBy: { type: 'ip', role: 'source' },
        distinct: { type: 'host', role: null },
        count: 3,
        withinMs: 5_400_000,
        where: anyEventFilter(),
      },
      {
        id: 'initial-access-then-execution',
        name: 'Initial access, then execution',
        description: null,
        type: 'sequence',
        severityId: 5,
        groupBy: { type: 'host', role: 'target' },
        withinMs: 3_600_000,
        where: anyEventFilter(),
        steps: [
          { ...anyEventFilter(), tacticIds: ['TA0001'] },
          { ...anyEventFilter(), tacticIds: ['TA0002', 'TA0003'], minSeverityId: 3 },
        ],
      },
    ]);
  });

  it('reports a YAML syntax error with its line and loads nothing from the file', () => {
    const text = yaml([
      'rules:',
      '  - id: fine',
      '    name: Fine',
      '    type: threshold',
      '    severity: low',
      '    group_by: host',
      '    count: 2',
      '    within: "10m',
    ]);
    const result = compileRulesFromText(text, 'broken.yaml');
    expect(result.rules).toEqual([]);
    expect(brief(result.diagnostics)).toEqual(['9 error yaml_syntax ']);
    expect(result.diagnostics[0]?.file).toBe('broken.yaml');
  });

  it('reports duplicate keys as YAML errors', () => {
    const result = compileRulesFromText(yaml(['rules:', '  - id: a', '    id: b']), 'dup.yaml');
    expect(brief(result.diagnostics)).toEqual(['3 error yaml_syntax ']);
    expect(result.diagnostics[0]?.message).toMatch(/unique/);
  });

  it('reports an unresolved alias', () => {
    expect(brief(compileRulesFromText('rules: *nowhere\n', 'alias.yaml').diagnostics)).toEqual([
      '- error yaml_syntax ',
    ]);
  });

  it('reports every problem of a rule, on its line, and still loads the sound rules', () => {
    const text = yaml([
      'rules:',
      '  - id: Not_Kebab',
      '    name: Broken',
      '    type: threshold',
      '    severity: severe',
      '    group_by: hots',
      '    count: 0',
      '    within: 600',
      '    colour: red',
      '    where:',
      '      tactic: [TA0001, initial-access, 7]',
      '      technique: T1110.1',
      '  - id: sound',
      '    name: Sound',
      '    type: threshold',
      '    severity: low',
      '    group_by: ip:sauce',
      '    count: 2',
      '    within: 10 minutes',
      '  - id: really-sound',
      '    name: Really sound',
      '    type: threshold',
      '    severity: low',
      '    group_by: user',
      '    count: 2',
      '    within: 5m',
    ]);
    const result = compileRulesFromText(text, 'mixed.yaml');
    expect(brief(result.diagnostics)).toEqual([
      '2 error invalid_field rules[0].id',
      '5 error invalid_field rules[0].severity',
      '6 error unknown_entity_type rules[0].group_by',
      '7 error invalid_field rules[0].count',
      '8 error invalid_duration rules[0].within',
      '9 error unknown_field rules[0].colour',
      '11 error invalid_attack_id rules[0].where.tactic[1]',
      '11 error invalid_field rules[0].where.tactic[2]',
      '12 error invalid_attack_id rules[0].where.technique',
      '17 error unknown_entity_role rules[1].group_by',
      '19 error invalid_duration rules[1].within',
    ]);
    expect(result.rules.map((rule) => rule.id)).toEqual(['really-sound']);
    expect(result.diagnostics.find((d) => d.code === 'invalid_duration')?.message).toMatch(/600s/);
  });

  it('reports missing fields on the rule that lacks them', () => {
    const text = yaml(['rules:', '  - id: bare', '    type: threshold', '  - name: No id or type']);
    expect(brief(compileRulesFromText(text, 'bare.yaml').diagnostics)).toEqual([
      '2 error missing_field rules[0].name',
      '2 error missing_field rules[0].severity',
      '2 error missing_field rules[0].group_by',
      '2 error missing_field rules[0].within',
      '2 error missing_field rules[0].count',
      '4 error missing_field rules[1].type',
      '4 error missing_field rules[1].id',
      '4 error missing_field rules[1].severity',
      '4 error missing_field rules[1].group_by',
      '4 error missing_field rules[1].within',
    ]);
  });

  it('rejects an unknown rule type and fields of another type', () => {
    const text = yaml([
      'rules:',
      '  - id: odd',
      '    name: Odd',
      '    type: ratio',
      '    severity: low',
      '    group_by: host',
      '    within: 5m',
      '  - id: mixed-up',
      '    name: Mixed up',
      '    type: threshold',
      '    severity: low',
      '    group_by: host',
      '    count: 2',
      '    within: 5m',
      '    steps: [{ tactic: TA0001 }, { tactic: TA0002 }]',
    ]);
    const result = compileRulesFromText(text, 'types.yaml');
    expect(brief(result.diagnostics)).toEqual([
      '4 error invalid_field rules[0].type',
      '15 error unknown_field rules[1].steps',
    ]);
    expect(result.rules).toEqual([]);
  });

  it('checks sequences and distinct counts', () => {
    const text = yaml([
      'rules:',
      '  - id: one-step',
      '    name: One step',
      '    type: sequence',
      '    severity: low',
      '    group_by: host',
      '    within: 5m',
      '    steps: [{ tactic: TA0001 }]',
      '  - id: self-count',
      '    name: Self count',
      '    type: distinct_count',
      '    severity: low',
      '    group_by: ip:source',
      '    distinct: ip:source',
      '    count: 2',
      '    within: 5m',
      '  - id: bad-step',
      '    name: Bad step',
      '    type: sequence',
      '    severity: low',
      '    group_by: host',
      '    within: 5m',
      '    steps:',
      '      - tactic: TA0001',
      '      - tactics: TA0002',
    ]);
    expect(brief(compileRulesFromText(text, 'seq.yaml').diagnostics)).toEqual([
      '8 error invalid_field rules[0].steps',
      '14 error invalid_field rules[1].distinct',
      '25 error unknown_field rules[2].steps[1].tactics',
    ]);
  });

  it.each([
    ['0s', /not a duration/],
    ['1h-', /not a duration/],
    ['31d', /30d maximum/],
    ['true', /not a duration/],
  ])('rejects the duration %s', (within, message) => {
    const text = yaml([
      'rules:',
      '  - id: r',
      '    name: R',
      '    type: threshold',
      '    severity: low',
      '    group_by: host',
      '    count: 2',
      `    within: ${within}`,
    ]);
    const [diagnostic] = compileRulesFromText(text, 'within.yaml').diagnostics;
    expect(diagnostic).toMatchObject({ code: 'invalid_duration', line: 8, path: 'rules[0].within' });
    expect(diagnostic?.message).toMatch(message);
  });

  it('warns about an unknown tactic and loads the rule anyway', () => {
    const text = yaml([
      'rules:',
      '  - id: r',
      '    name: R',
      '    type: sequence',
      '    severity: low',
      '    group_by: host',
      '    within: 5m',
      '    steps:',
      '      - tactic: TA0001',
      '      - tactic: [TA0002, TA0099]',
    ]);
    const result = compileRulesFromText(text, 'warn.yaml');
    expect(brief(result.diagnostics)).toEqual(['10 warning unknown_tactic rules[0].steps[1].tactic[1]']);
    expect(hasErrors(result.diagnostics)).toBe(false);
    expect(result.rules).toHaveLength(1);
  });

  it('reports a duplicate id within a file and keeps the first definition', () => {
    const rule = (name: string) => [
      '  - id: twice',
      `    name: ${name}`,
      '    type: threshold',
      '    severity: low',
      '    group_by: host',
      '    count: 2',
      '    within: 5m',
    ];
    const result = compileRulesFromText(yaml(['rules:', ...rule('First'), ...rule('Second')]), 'twice.yaml');
    expect(brief(result.diagnostics)).toEqual(['9 error duplicate_id rules[1].id']);
    expect(result.diagnostics[0]?.message).toContain('twice.yaml:2');
    expect(result.rules.map((r) => r.name)).toEqual(['First']);
  });

  it.each([
    ['', '- warning no_rules '],
    ['# only a comment\n', '- warning no_rules '],
    ['rules: []\n', '1 warning no_rules rules'],
    ['rules:\n', '1 warning no_rules rules'],
    ['- id: x\n', '1 error invalid_structure '],
    ['rules: {}\n', '1 error invalid_structure rules'],
    ['rule: []\n', '1 error unknown_field rule'],
  ])('reports the shape of %j', (text, expected) => {
    expect(brief(compileRulesFromText(text, 'shape.yaml').diagnostics)[0]).toBe(expected);
  });

  it('reports a rule that is not a mapping', () => {
    expect(brief(compileRulesFromText('rules:\n  - just a string\n', 'r.yaml').diagnostics)).toEqual([
      '2 error invalid_structure rules[0]',
    ]);
  });
});

describe('compileRuleSources', () => {
  const file = (id: string, name: string) =>
    yaml([
      'rules:',
      `  - id: ${id}`,
      `    name: ${name}`,
      '    type: threshold',
      '    severity: low',
      '    group_by: host',
      '    count: 2',
      '    within: 5m',
    ]);

  it('reports an id defined again in a later file and keeps the first', () => {
    const result = compileRuleSources([
      { file: 'a.yaml', text: file('shared', 'From a') },
      { file: 'b.yaml', text: file('shared', 'From b') + file('own', 'Own').replace('rules:\n', '') },
    ]);
    expect(result.rules.map((rule) => `${rule.id} ${rule.name}`)).toEqual(['shared From a', 'own Own']);
    expect(result.diagnostics).toEqual<RuleDiagnostic[]>([
      {
        severity: 'error',
        code: 'duplicate_id',
        file: 'b.yaml',
        line: 2,
        path: 'rules[0].id',
        message: 'rule id "shared" is already defined at a.yaml:2; this definition is skipped',
      },
    ]);
  });

  it('lets an invalid rule keep its id, so a later copy is still reported', () => {
    const invalid = file('shared', 'Broken').replace('within: 5m', 'within: soon');
    const result = compileRuleSources([
      { file: 'a.yaml', text: invalid },
      { file: 'b.yaml', text: file('shared', 'Fine') },
    ]);
    expect(brief(result.diagnostics)).toEqual([
      '8 error invalid_duration rules[0].within',
      '2 error duplicate_id rules[0].id',
    ]);
    expect(result.rules).toEqual([]);
  });
});

describe('formatDiagnostic', () => {
  it('puts the place first', () => {
    const diagnostic: RuleDiagnostic = {
      severity: 'error',
      code: 'invalid_duration',
      file: 'rules/default.yaml',
      line: 12,
      path: 'rules[2].within',
      message: '"soon" is not a duration',
    };
    expect(formatDiagnostic(diagnostic)).toBe(
      'rules/default.yaml:12 rules[2].within: error invalid_duration: "soon" is not a duration',
    );
    expect(formatDiagnostic({ ...diagnostic, line: null, path: '' })).toBe(
      'rules/default.yaml: error invalid_duration: "soon" is not a duration',
    );
  });
});

describe('rules and the observer role', () => {
  it('refuses a rule that groups on the reporting device', () => {
    const { rules, diagnostics } = compileRulesFromText(
      [
        'rules:',
        '  - id: per-sensor',
        '    name: Per sensor',
        '    type: threshold',
        '    severity: low',
        '    group_by: host:observer',
        '    count: 5',
        '    within: 10m',
      ].join('\n'),
      'observer.yaml',
    );
    expect(rules).toEqual([]);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'unknown_entity_role',
        path: 'rules[0].group_by',
        message: expect.stringContaining('never correlated'),
      }),
    ]);
  });
});
