import { snapshotOf } from '../../test/support';
import { compilePlaybook } from './compile-playbook';
import { describeCondition, evaluateCondition, inCidr } from './condition';
import type { IncidentSnapshot } from './incident-snapshot';
import type { Playbook } from './playbook';
import { describeTrigger, matchingPlaybooks } from './trigger';

function playbookWith(id: string, trigger: string[], extra: string[] = []): Playbook {
  const text = [
    `id: ${id}`,
    `name: ${id}`,
    'version: 1',
    'owner: soc',
    ...extra,
    'trigger:',
    ...trigger.map((line) => `  ${line}`),
    'steps: [{ id: w, kind: wait, duration: 1m }]',
  ].join('\n');
  const compiled = compilePlaybook({ file: `${id}.yaml`, text });
  if (compiled.playbook === null) throw new Error(JSON.stringify(compiled.diagnostics));
  return compiled.playbook;
}

const INCIDENT: IncidentSnapshot = snapshotOf(
  { severity: 'high', status: 'acknowledged', tags: ['VIP'] },
  [
    { type: 'ip', value: '203.0.113.7', roles: ['source'] },
    { type: 'user', value: 'alice', roles: ['target'] },
    { type: 'host', value: 'SRV-DB-01', roles: ['related'] },
  ],
  {
    alerts: [
      {
        id: 'a1',
        title: 'Impossible Travel activity for alice',
        format: 'elastic',
        source: 'elastic',
        severity: 'high',
        ruleId: 'r-1',
        ruleName: 'Impossible travel',
        tactics: ['TA0006'],
        techniques: ['T1110.004'],
        time: '2026-03-01T09:59:00.000Z',
      },
    ],
    ruleMatches: [{ ruleId: 'brute-force-on-user', ruleName: 'Brute force', severity: 'high' }],
  },
);

describe('matchingPlaybooks', () => {
  it('picks enabled playbooks listening to the event whose condition holds, by id', () => {
    const playbooks = [
      playbookWith('zeta', ['on: incident.created']),
      playbookWith('alpha', [
        'on: [incident.created, incident.updated]',
        'when: { severity: { at_least: high } }',
      ]),
      playbookWith('updates-only', ['on: incident.updated']),
      playbookWith('too-high', ['on: incident.created', 'when: { severity: { one_of: [critical] } }']),
      playbookWith('off', ['on: incident.created'], ['enabled: false']),
    ];
    expect(matchingPlaybooks(playbooks, INCIDENT, { type: 'incident.created' }).map((p) => p.id)).toEqual([
      'alpha',
      'zeta',
    ]);
    expect(
      matchingPlaybooks({ validPlaybooks: () => playbooks }, INCIDENT, { type: 'incident.updated' }).map(
        (p) => p.id,
      ),
    ).toEqual(['alpha', 'updates-only']);
  });

  it('runs a playbook once per incident unless told otherwise, and never on a merged incident', () => {
    const once = playbookWith('once', ['on: incident.updated']);
    const every = playbookWith('every', ['on: incident.updated', 'once_per_incident: false']);
    const ran = { ...INCIDENT, playbookRuns: ['once', 'every'] };
    expect(matchingPlaybooks([once, every], ran, { type: 'incident.updated' }).map((p) => p.id)).toEqual([
      'every',
    ]);
    const merged = { ...INCIDENT, incident: { ...INCIDENT.incident, status: 'merged' as const } };
    expect(matchingPlaybooks([every], merged, { type: 'incident.updated' })).toEqual([]);
  });

  it('describes a trigger for the playbook list', () => {
    const playbook = playbookWith('p', [
      'on: incident.created',
      'when: { severity: { at_least: high }, entity: { type: ip, role: source } }',
    ]);
    expect(describeTrigger(playbook)).toBe(
      'on incident.created when severity at least high and an entity of type ip with role source (once per incident)',
    );
  });
});

describe('evaluateCondition', () => {
  const holds = (condition: string) => {
    const playbook = playbookWith('c', ['on: incident.created', `when: ${condition}`]);
    const when = playbook.trigger.when;
    if (when === null) throw new Error('no condition');
    return evaluateCondition(when, {
      snapshot: INCIDENT,
      data: { incident: INCIDENT.incident, alerts: INCIDENT.alerts },
    });
  };

  it.each([
    ['{ severity: { at_least: medium } }', true],
    ['{ severity: { at_least: critical } }', false],
    ['{ severity: { one_of: [low, high] } }', true],
    ['{ status: [new, acknowledged] }', true],
    ['{ status: new }', false],
    ['{ entity: { type: host, matches: "srv-*" } }', true],
    ['{ entity: { type: host, value: srv-db-01 } }', true],
    ['{ entity: { type: ip, role: destination } }', false],
    ['{ tag: vip }', true],
    ['{ source_format: [suricata, elastic] }', true],
    ['{ rule: brute-force-on-user }', true],
    ['{ rule: one-source-many-hosts }', false],
    ['{ tactic: ta0006 }', true],
    ['{ technique: T1110 }', true],
    ['{ technique: T1110.003 }', false],
    ['{ alert_title_contains: "impossible travel" }', true],
    ['{ field: { path: incident.number, at_least: 7 } }', true],
    ['{ field: { path: incident.title, contains: scan } }', true],
    ['{ field: { path: incident.assignee, exists: false } }', true],
    ['{ field: { path: alerts.0.ruleName, one_of: [Impossible Travel] } }', true],
    ['{ field: { path: incident.constructor, exists: true } }', false],
    ['{ any: [{ status: closed }, { tag: vip }] }', true],
    ['{ all: [{ status: closed }, { tag: vip }] }', false],
    ['{ not: { tag: vip } }', false],
  ])('%s is %s', (condition, expected) => {
    expect(holds(condition)).toBe(expected);
  });

  it('matches addresses against CIDR blocks of either family', () => {
    expect(inCidr('10.1.2.3', ['10.0.0.0/8'])).toBe(true);
    expect(inCidr('11.1.2.3', ['10.0.0.0/8'])).toBe(false);
    expect(inCidr('fd12::1', ['fc00::/7'])).toBe(true);
    expect(inCidr('web-01', ['10.0.0.0/8'])).toBe(false);
  });

  it('reads back as text', () => {
    const playbook = playbookWith('c', [
      'on: incident.created',
      'when: { not: { field: { path: incident.title, in_cidr: [10.0.0.0/8] } }, any: [{ tag: a }, { rule: r }] }',
    ]);
    expect(describeCondition(playbook.trigger.when!)).toBe(
      '(tagged a or rule r matched) and not (incident.title in cidr ["10.0.0.0/8"])',
    );
  });
});
