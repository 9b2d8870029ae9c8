// The shipped playbooks (playbooks/*.yaml) and their fixtures: playbooks/fixtures/<playbook id>/
// <case>.input.yaml (an incident, the connectors available, inputs, simulated guardrail verdicts)
// next to <case>.expected.json (whether it triggers, and what the dry-run would do: the ordered
// actions with rendered parameters, approvals and skipped steps). The expected files are the
// truth and are reviewed by hand; `UPDATE_GOLDEN=1 npx jest libs/playbooks/test/shipped-playbooks`
// rewrites them from the current code, after which every change must be read before committing.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';

import { formatDiagnostic } from '@rampart/diagnostics';

import { compilePlaybookSet } from '../src/domain/compile-playbook-set';
import { dryRun, type Guardrail, type ProposedAction } from '../src/domain/dry-run';
import { matchingPlaybooks } from '../src/domain/trigger';
import type { ConnectorInfo, IncidentSnapshot } from '../src/domain/incident-snapshot';
import type { Playbook, TriggerEvent } from '../src/domain/playbook';
import { readPlaybookDirectory } from '../src/infrastructure/read-playbook-directory';

const ROOT = join(__dirname, '..', '..', '..', 'playbooks');
const FIXTURES = join(ROOT, 'fixtures');
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';
const NOW = new Date('2026-03-02T08:00:00.000Z');

interface FixtureInput {
  description: string;
  event?: TriggerEvent;
  incident: Partial<IncidentSnapshot['incident']>;
  entities?: IncidentSnapshot['entities'];
  alerts?: Partial<IncidentSnapshot['alerts'][number]>[];
  ruleMatches?: IncidentSnapshot['ruleMatches'];
  connectors: ConnectorInfo[];
  inputs?: Record<string, unknown>;
  /** First match wins; anything unmatched is allowed. */
  guardrails?: ({ operation?: string; target?: string; connector?: string } & (
    { verdict: 'refuse'; rule: string } | { verdict: 'approval_required'; reason: string }
  ))[];
}

function snapshotOf(input: FixtureInput): IncidentSnapshot {
  return {
    incident: {
      id: '7d0c2f8e-3b1a-4c6d-9e2f-5a8b1c0d4e6f',
      number: 42,
      title: 'Incident',
      status: 'new',
      severity: 'high',
      assignee: null,
      tags: [],
      createdAt: '2026-03-02T07:55:00.000Z',
      updatedAt: '2026-03-02T07:59:00.000Z',
      ...input.incident,
    },
    entities: input.entities ?? [],
    alerts: (input.alerts ?? []).map((alert, index) => ({
      id: `alert-${index + 1}`,
      title: 'Alert',
      format: 'elastic',
      source: 'elastic',
      severity: 'high',
      ruleId: null,
      ruleName: null,
      tactics: [],
      techniques: [],
      time: '2026-03-02T07:50:00.000Z',
      ...alert,
    })),
    ruleMatches: input.ruleMatches ?? [],
  };
}

function guardrailOf(input: FixtureInput): Guardrail {
  return (action: ProposedAction) => {
    const rule = (input.guardrails ?? []).find(
      (each) =>
        (each.operation === undefined || each.operation === action.operation) &&
        (each.target === undefined || each.target === action.target) &&
        (each.connector === undefined || each.connector === action.connector),
    );
    if (rule === undefined) return { verdict: 'allow' };
    return rule.verdict === 'refuse'
      ? { verdict: 'refuse', rule: rule.rule }
      : { verdict: 'approval_required', reason: rule.reason };
  };
}

const loaded = compilePlaybookSet(
  readdirSync(ROOT)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => ({ file: `playbooks/${name}`, text: readFileSync(join(ROOT, name), 'utf8') })),
);
const playbooks = loaded.playbooks.flatMap((entry) => (entry.playbook === null ? [] : [entry.playbook]));
const byId = new Map(playbooks.map((playbook) => [playbook.id, playbook]));

const cases = readdirSync(FIXTURES)
  .sort()
  .flatMap((id) =>
    readdirSync(join(FIXTURES, id))
      .filter((name) => name.endsWith('.input.yaml'))
      .sort()
      .map((name) => {
        const base = name.replace(/\.input\.yaml$/, '');
        return {
          id,
          name: base,
          input: join(FIXTURES, id, name),
          expected: join(FIXTURES, id, `${base}.expected.json`),
        };
      }),
  );

describe('shipped playbooks', () => {
  it('all load, with no error and no warning (npm run playbooks:check)', async () => {
    expect(loaded.diagnostics.map(formatDiagnostic)).toEqual([]);
    const read = await readPlaybookDirectory(ROOT);
    expect(read.diagnostics).toEqual([]);
    expect(playbooks.map((playbook) => playbook.id)).toEqual([
      'block-malicious-source-ip',
      'collect-forensics-and-notify',
      'cut-vpn-sessions-of-user',
      'isolate-compromised-host',
    ]);
    expect(playbooks.every((playbook) => playbook.enabled)).toBe(true);
  });

  it.each(playbooks.map((playbook) => [playbook.id]))('%s has at least three fixtures', (id) => {
    expect(cases.filter((each) => each.id === id).length).toBeGreaterThanOrEqual(3);
  });

  it.each(cases.map((each) => [`${each.id}/${each.name}`, each] as const))(
    '%s matches its expected dry-run',
    (_label, each) => {
      const playbook = byId.get(each.id) as Playbook;
      expect(playbook).toBeDefined();
      const input = parse(readFileSync(each.input, 'utf8')) as FixtureInput;
      const snapshot = snapshotOf(input);
      const triggered = matchingPlaybooks(playbooks, snapshot, {
        type: input.event ?? 'incident.created',
      }).some((match) => match.id === playbook.id);
      const result = triggered
        ? dryRun(playbook, {
            snapshot,
            connectors: input.connectors,
            inputs: input.inputs ?? {},
            guardrail: guardrailOf(input),
            resolvePlaybook: (id) => byId.get(id),
            now: NOW,
          })
        : null;
      const actual = {
        description: input.description,
        triggered,
        ...(result === null
          ? {}
          : {
              status: result.status,
              reason: result.reason,
              actions: result.actions,
              approvals: result.approvals,
              incidentChanges: result.incidentChanges,
              skipped: result.skipped,
            }),
      };
      const json = `${JSON.stringify(actual, null, 2)}\n`;
      if (UPDATE) writeFileSync(each.expected, json);
      expect(JSON.parse(json)).toEqual(JSON.parse(readFileSync(each.expected, 'utf8')));
    },
  );
});
