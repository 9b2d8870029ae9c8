import { formatDiagnostic } from '@rampart/diagnostics';

import { compilePlaybook, sha256Hex } from './compile-playbook';
import { compilePlaybookSet } from './compile-playbook-set';

const HEADER = ['id: demo', 'name: Demo', 'version: 1', 'owner: soc', 'trigger: { on: incident.created }'];

function compile(lines: string[]) {
  return compilePlaybook({ file: 'demo.yaml', text: lines.join('\n') + '\n' });
}

// `line:column path code` for each diagnostic: the place and the kind, not the wording.
function brief(lines: string[]): string[] {
  return compile(lines).diagnostics.map(
    (d) => `${d.line ?? '-'}:${d.column ?? '-'} ${d.path} ${d.severity} ${d.code}`,
  );
}

describe('compilePlaybook', () => {
  it('compiles a sound playbook with its defaults, and hashes the file bytes', () => {
    const text = [...HEADER, 'steps:', '  - { id: pause, kind: wait, duration: 1m30s }', ''].join('\n');
    const compiled = compilePlaybook({ file: 'demo.yaml', text });
    expect(compiled.diagnostics).toEqual([]);
    expect(compiled.hash).toBe(sha256Hex(Buffer.from(text, 'utf8')));
    expect(compiled.playbook).toEqual({
      id: 'demo',
      name: 'Demo',
      version: 1,
      description: '',
      owner: 'soc',
      enabled: true,
      file: 'demo.yaml',
      hash: compiled.hash,
      trigger: { on: ['incident.created'], when: null, oncePerIncident: true },
      inputs: {},
      steps: [
        {
          id: 'pause',
          name: 'pause',
          when: null,
          timeoutMs: null,
          onError: { kind: 'fail' },
          kind: 'wait',
          durationMs: 90_000,
        },
      ],
    });
  });

  it('reports schema problems and semantic problems of the sound parts in one pass, each with line, column and path', () => {
    const lines = [
      ...HEADER, // 1-5
      'inputs:', // 6
      '  block_for: { type: duration, default: forever }', // 7
      'steps:', // 8
      '  - id: block', // 9
      '    kind: action', // 10
      '    operation: block_ip', // 11
      '    capability: edr', // 12
      '    target: "{{item.value"', // 13
      '    expires_after: { input: nope }', // 14
      '    on_error: { goto: block }', // 15
      '  - id: pause', // 16
      '    kind: wait', // 17
      '    duration: soon', // 18
      '  - id: tell', // 19
      '    kind: action', // 20
      '    operation: notify', // 21
      '    target: hello', // 22
      '    expires_after: 1h', // 23
      '    colour: red', // 24
      '  - { id: block, kind: set, variables: { a: 1 } }', // 25
    ];
    expect(brief(lines)).toEqual([
      '7:41 inputs.block_for.default error invalid_input',
      '12:17 steps[0].capability error capability_mismatch',
      '13:13 steps[0].target error invalid_template',
      '14:29 steps[0].expires_after.input error unknown_input',
      '15:23 steps[0].on_error.goto error invalid_goto',
      '18:15 steps[1].duration error invalid_field',
      '24:5 steps[2].colour error unknown_field',
      '25:11 steps[3].id error duplicate_step_id',
    ]);
    const compiled = compile(lines);
    expect(compiled.playbook).toBeNull();
    expect(compiled.id).toBe('demo');
    expect(compiled.diagnostics.map(formatDiagnostic)).toContain(
      'demo.yaml:12:17 steps[0].capability: error capability_mismatch: block_ip is a firewall operation, not edr',
    );
  });

  it.each([
    [
      ['  - { id: a, kind: action, operation: notify, target: x, expires_after: 1h }'],
      '7:73 steps[0].expires_after error not_reversible',
    ],
    [
      ['  - { id: a, kind: action, operation: block_ip, target: x, expires_after: 31d }'],
      '7:75 steps[0].expires_after error invalid_duration',
    ],
    [['  - { id: a, kind: wait, duration: 0s }'], '7:36 steps[0].duration error invalid_duration'],
    [['  - { id: a, kind: wait, duration: 1m, when: {} }'], '7:46 steps[0].when error invalid_condition'],
    [
      ['  - { id: a, kind: wait, duration: 1m, when: { severity: {} } }'],
      '7:58 steps[0].when.severity error invalid_condition',
    ],
    [
      [
        '  - { id: a, kind: wait, duration: 1m, when: { field: { path: item.value, equals: 1, exists: true } } }',
      ],
      '7:55 steps[0].when.field error invalid_condition',
    ],
    [
      ['  - { id: a, kind: wait, duration: 1m, when: { field: { path: secrets.x, exists: true } } }'],
      '7:63 steps[0].when.field.path error invalid_condition',
    ],
    [
      ['  - { id: a, kind: wait, duration: 1m, when: { field: { path: steps.nope.status, equals: x } } }'],
      '7:63 steps[0].when.field.path error unknown_step',
    ],
    [
      [
        '  - { id: a, kind: wait, duration: 1m, when: { field: { path: item.value, in_cidr: 10.0.0.0/33 } } }',
      ],
      '7:84 steps[0].when.field.in_cidr error invalid_condition',
    ],
    [
      ['  - { id: a, kind: wait, duration: 1m, when: { tactic: [TA0002, TA0099] } }'],
      '7:65 steps[0].when.tactic[1] warning unknown_tactic',
    ],
    [
      [
        '  - { id: a, kind: action, operation: notify, target: x, retry: { initial_delay: 1m, max_delay: 10s } }',
      ],
      '7:65 steps[0].retry error invalid_retry',
    ],
    [
      [
        '  - id: outer',
        '    kind: for_each',
        '    entities: { type: host }',
        '    steps: [{ id: inner, kind: for_each, entities: { type: ip }, steps: [{ id: w, kind: wait, duration: 1m }] }]',
      ],
      '10:32 steps[0].steps[0].kind error nested_for_each',
    ],
    [['  - { id: a, kind: paralel }'], '7:20 steps[0].kind error invalid_field'],
    [['  - { id: a, duration: 1m }'], '7:5 steps[0].kind error missing_field'],
    [['  - { id: Bad Id, kind: wait, duration: 1m }'], '7:11 steps[0].id error invalid_field'],
  ])('reports %j as %s', (steps, expected) => {
    expect(brief([...HEADER, 'steps:', ...steps])).toContain(expected);
  });

  it('keeps a trigger to what a trigger can see: the incident', () => {
    const lines = [
      ...HEADER.slice(0, 4),
      'trigger:',
      '  on: [incident.created, incident.updated]',
      '  when: { field: { path: vars.x, exists: true } }',
      'steps: [{ id: a, kind: wait, duration: 1m }]',
    ];
    expect(compile(lines).diagnostics.map(formatDiagnostic)).toEqual([
      'demo.yaml:7:26 trigger.when.field.path: error invalid_condition: must start with one of incident, entities, alerts, ruleMatches (a trigger sees only the incident)',
    ]);
  });

  it('reads a value-or-list the way it was meant', () => {
    const diagnostics = compile([
      ...HEADER,
      'steps:',
      '  - { id: a, kind: wait, duration: 1m, when: { status: [new, bogus] } }',
      '  - { id: b, kind: wait, duration: 1m, when: { status: bogus } }',
    ]).diagnostics.map(formatDiagnostic);
    expect(diagnostics).toEqual([
      expect.stringMatching(
        /^demo\.yaml:7:62 steps\[0\]\.when\.status\[1\]: error invalid_field: Invalid option: expected one of "new"/,
      ),
      expect.stringMatching(
        /^demo\.yaml:8:56 steps\[1\]\.when\.status: error invalid_field: Invalid option: expected one of "new"/,
      ),
    ]);
  });

  it('answers a file that is not a playbook, or not YAML, with a diagnostic and no playbook', () => {
    expect(brief(['- just a list'])).toEqual(['1:1  error invalid_structure']);
    expect(brief(['id: a', 'id: b'])).toEqual(['2:-  error yaml_syntax']);
    expect(brief(['id: [unclosed'])).toEqual([expect.stringMatching(/^\d+:- {2}error yaml_syntax$/)]);
    expect(brief([...HEADER.slice(1)])).toContain('1:1 id error missing_field');
  });
});

describe('compilePlaybookSet', () => {
  const playbook = (id: string, steps: string) =>
    [
      `id: ${id}`,
      `name: ${id}`,
      'version: 1',
      'owner: soc',
      'trigger: { on: incident.created }',
      `steps: ${steps}`,
    ].join('\n');
  const call = (target: string) => `[{ id: call, kind: playbook, playbook: ${target} }]`;
  const WAIT = '[{ id: w, kind: wait, duration: 1m }]';

  it('keeps the first of two files with one id, and points at both', () => {
    const set = compilePlaybookSet([
      { file: 'a.yaml', text: playbook('shared', WAIT) },
      { file: 'b.yaml', text: playbook('shared', WAIT) },
    ]);
    expect(set.playbooks.map((entry) => `${entry.file} ${entry.state}`)).toEqual([
      'a.yaml valid',
      'b.yaml invalid',
    ]);
    expect(set.diagnostics.map(formatDiagnostic)).toEqual([
      'b.yaml:1:5 id: error duplicate_id: playbook id "shared" is already defined at a.yaml:1; this file is skipped',
    ]);
  });

  it('refuses a call to a playbook that is not loaded, or that has errors, and only that caller', () => {
    const set = compilePlaybookSet([
      { file: 'caller.yaml', text: playbook('caller', call('missing')) },
      { file: 'broken-caller.yaml', text: playbook('broken-caller', call('broken')) },
      { file: 'broken.yaml', text: playbook('broken', '[{ id: w, kind: wait }]') },
      { file: 'fine.yaml', text: playbook('fine', call('leaf')) },
      { file: 'leaf.yaml', text: playbook('leaf', WAIT) },
    ]);
    expect(set.playbooks.map((entry) => `${entry.id} ${entry.state}`)).toEqual([
      'caller invalid',
      'broken-caller invalid',
      'broken invalid',
      'fine valid',
      'leaf valid',
    ]);
    expect(set.diagnostics.filter((d) => d.code === 'unknown_playbook').map(formatDiagnostic)).toEqual([
      'caller.yaml:6:47 steps[0].playbook: error unknown_playbook: no playbook "missing" is loaded',
      'broken-caller.yaml:6:47 steps[0].playbook: error unknown_playbook: playbook "broken" has errors, so it cannot be called',
    ]);
  });

  it('refuses calls that loop, at load, in every playbook of the loop and in what calls into it', () => {
    const set = compilePlaybookSet([
      { file: 'a.yaml', text: playbook('a', call('b')) },
      { file: 'b.yaml', text: playbook('b', call('a')) },
      { file: 'self.yaml', text: playbook('self', call('self')) },
      { file: 'entry.yaml', text: playbook('entry', call('a')) },
    ]);
    expect(set.playbooks.every((entry) => entry.state === 'invalid')).toBe(true);
    expect(set.diagnostics.map((d) => `${d.file} ${d.code}: ${d.message}`)).toEqual([
      'a.yaml playbook_cycle: calling "b" loops back: a -> b -> a',
      'b.yaml playbook_cycle: calling "a" loops back: b -> a -> b',
      'self.yaml playbook_cycle: calling "self" loops back: self -> self',
      'entry.yaml unknown_playbook: playbook "a" has errors, so it cannot be called',
    ]);
  });

  it('resolves calls against playbooks loaded already (validating one file against the running set)', () => {
    const running = compilePlaybookSet([
      { file: 'leaf.yaml', text: playbook('leaf', WAIT) },
      { file: 'back.yaml', text: playbook('back', call('candidate')) },
    ]);
    const valid = running.playbooks.flatMap((entry) => (entry.playbook === null ? [] : [entry.playbook]));
    expect(valid.map((p) => p.id)).toEqual(['leaf']);
    const fine = compilePlaybookSet([{ file: 'new.yaml', text: playbook('candidate', call('leaf')) }], valid);
    expect(fine.diagnostics).toEqual([]);
  });
});
