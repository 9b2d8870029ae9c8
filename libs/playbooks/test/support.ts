// Builders for the playbook specs: playbooks from YAML lines, incidents, and a small driver that
// feeds events to `decide` the way an engine worker would (state stored as JSON between events).
import { compilePlaybook } from '../src/domain/compile-playbook';
import { decide } from '../src/domain/decide';
import type { ConnectorInfo, IncidentEntity, IncidentSnapshot } from '../src/domain/incident-snapshot';
import type { Playbook } from '../src/domain/playbook';
import type { RunCommand, RunEvent, RunState } from '../src/domain/run-state';

export const RUN_ID = '5b0e7a52-4c8e-4a39-9d8e-2f1f5a6c0d11';
export const T0 = new Date('2026-03-01T10:00:00.000Z');

/** A playbook from YAML: the header is filled in, `steps` are the lines given (indented 2). */
export function playbookOf(steps: string[], header: string[] = []): Playbook {
  const text = [
    'id: test-playbook',
    'name: Test playbook',
    'version: 1',
    'owner: soc',
    'trigger: { on: incident.created }',
    ...header,
    'steps:',
    ...steps.map((line) => `  ${line}`),
  ].join('\n');
  const compiled = compilePlaybook({ file: 'test.yaml', text });
  if (compiled.playbook === null) {
    throw new Error(
      `test playbook does not compile:\n${compiled.diagnostics.map((d) => `${d.line} ${d.path} ${d.message}`).join('\n')}`,
    );
  }
  return compiled.playbook;
}

export function snapshotOf(
  overrides: Partial<IncidentSnapshot['incident']> = {},
  entities: IncidentEntity[] = [],
  extra: Partial<Omit<IncidentSnapshot, 'incident' | 'entities'>> = {},
): IncidentSnapshot {
  return {
    incident: {
      id: '0b3c6a4e-8f1d-4c3a-9e51-6d2b7f0a9c21',
      number: 7,
      title: 'Port scan from 203.0.113.7',
      status: 'new',
      severity: 'high',
      assignee: null,
      tags: [],
      createdAt: T0.toISOString(),
      updatedAt: T0.toISOString(),
      ...overrides,
    },
    entities,
    alerts: [],
    ruleMatches: [],
    ...extra,
  };
}

export const FIREWALLS: ConnectorInfo[] = [
  { name: 'edge-fw', type: 'panos', capability: 'firewall' },
  { name: 'dc-fw', type: 'fortigate', capability: 'firewall' },
];
export const EDR: ConnectorInfo = { name: 'falcon', type: 'crowdstrike', capability: 'edr' };
export const SLACK: ConnectorInfo = { name: 'soc-slack', type: 'slack', capability: 'notify' };

/**
 * A run as a worker drives it: each event goes through `decide` with the state read back from
 * JSON (as from a database column), and every command is kept.
 */
export class RunDriver {
  state: RunState | null = null;
  readonly commands: RunCommand[] = [];
  readonly events: { event: RunEvent; now: Date }[] = [];
  now: Date = T0;

  constructor(readonly playbook: Playbook) {}

  start(
    snapshot: IncidentSnapshot,
    connectors: ConnectorInfo[],
    inputs: Record<string, unknown> = {},
  ): RunCommand[] {
    return this.send({ type: 'started', runId: RUN_ID, snapshot, connectors, inputs });
  }

  send(event: RunEvent, now: Date = this.now): RunCommand[] {
    this.now = now;
    this.events.push({ event, now });
    const stored = this.state === null ? null : (JSON.parse(JSON.stringify(this.state)) as RunState);
    const decision = decide(this.playbook, stored, event, now);
    this.state = decision.state;
    this.commands.push(...decision.commands);
    return decision.commands;
  }

  /** Moves the clock to `at` (ISO) and delivers a wakeup. */
  wakeAt(at: string): RunCommand[] {
    return this.send({ type: 'wakeup' }, new Date(at));
  }

  succeed(key: string, output: Record<string, unknown> = {}): RunCommand[] {
    return this.send({ type: 'action_result', idempotencyKey: key, result: { status: 'succeeded', output } });
  }

  fail(key: string, code = 'vendor_unavailable', retryable = true): RunCommand[] {
    return this.send({
      type: 'action_result',
      idempotencyKey: key,
      result: { status: 'failed', code, retryable },
    });
  }

  get status(): string | undefined {
    return this.state?.status;
  }
}

export function ofType<T extends RunCommand['type']>(
  commands: readonly RunCommand[],
  type: T,
): Extract<RunCommand, { type: T }>[] {
  return commands.filter((command): command is Extract<RunCommand, { type: T }> => command.type === type);
}

export function keysOf(commands: readonly RunCommand[]): string[] {
  return ofType(commands, 'execute_action').map((command) => command.idempotencyKey);
}

export function timelineOf(commands: readonly RunCommand[]): string[] {
  return ofType(commands, 'record').map(
    (command) => `${command.entry.kind} ${command.entry.instance ?? '-'}: ${command.entry.message}`,
  );
}
