import type { SeverityName } from '@rampart/alerts';
import type { ContainmentOperation } from '@rampart/connectors';

import { sha256Hex } from './compile-playbook';
import { decide } from './decide';
import type { ConnectorInfo, IncidentSnapshot } from './incident-snapshot';
import type { Approvers, Playbook, PlaybookIncidentStatus } from './playbook';
import { RUN_ID_PATTERN } from './run-keys';
import type { ItemRef, RunEvent, RunState, RunStatus, TimelineEntry } from './run-state';

/** What a guardrail sees of an action a run would take. */
export interface ProposedAction {
  incidentId: string;
  playbookId: string;
  stepId: string;
  item: ItemRef | null;
  connector: string;
  operation: ContainmentOperation;
  target: string;
  expiresAfterSeconds: number | null;
}

export type GuardrailVerdict =
  | { verdict: 'allow' }
  | { verdict: 'refuse'; rule: string }
  | { verdict: 'approval_required'; reason: string };

/** The guardrail policy (protected assets, blast radius), injected; allows everything by default. */
export type Guardrail = (action: ProposedAction) => GuardrailVerdict;

export interface DryRunOptions {
  snapshot: IncidentSnapshot;
  connectors: ConnectorInfo[];
  inputs?: Record<string, unknown>;
  guardrail?: Guardrail;
  /** Sub-playbooks, by id (the registry's `get`); a call to an unknown one fails its step. */
  resolvePlaybook?: (id: string) => Playbook | undefined;
  /** The simulated start time; waits and timers move a simulated clock from here. */
  now: Date;
  /** Keys are built from it; default `dry-run`. */
  runId?: string;
}

export interface DryRunApproval {
  approvalId: string;
  playbookId: string;
  /** `step`: an approval step; `guardrail`: a guardrail asked for it. */
  kind: 'step' | 'guardrail';
  stepId: string;
  instance: string;
  message: string;
  approvers: Approvers;
}

export interface DryRunIncidentChange {
  playbookId: string;
  stepId: string;
  instance: string;
  status: PlaybookIncidentStatus | null;
  severity: SeverityName | null;
  comment: string | null;
}

export interface DryRunAction {
  /** 1-based, in the order the run would send them. */
  order: number;
  playbookId: string;
  stepId: string;
  instance: string;
  item: ItemRef | null;
  connector: string;
  operation: ContainmentOperation;
  target: string;
  reason: string | null;
  parameters: Record<string, string>;
  expiresAfterSeconds: number | null;
  idempotencyKey: string;
  /** What the guardrail said of it. */
  guardrail: GuardrailVerdict;
  /** Approvals met on its way: approval steps before it (in its item) and the guardrail's. */
  approvals: string[];
}

export interface DryRunResult {
  playbook: { id: string; name: string; version: number; hash: string };
  status: Exclude<RunStatus, 'running'>;
  reason: string;
  /** Every action the run would send, in order, with rendered parameters. */
  actions: DryRunAction[];
  approvals: DryRunApproval[];
  /** The incident changes its `incident` steps would ask for, in order. */
  incidentChanges: DryRunIncidentChange[];
  skipped: { playbookId: string; stepId: string; instance: string; reason: string }[];
  timeline: TimelineEntry[];
  /** What the simulation assumed. */
  notes: string[];
}

const NOTES = [
  'every approval (approval steps and guardrail approvals) is taken as approved',
  'waits and backoff are skipped: the clock jumps to the next timer',
  'every action the guardrail allows is taken as succeeded; no vendor is called',
  'conditions are evaluated on the incident as given',
];
const MAX_EVENTS = 10_000;
const MAX_DEPTH = 8;
const DRY_RUN_DECIDER = { kind: 'system', name: 'dry-run', role: null } as const;

/**
 * Runs `playbook` on the state machine against a simulated world: the exact ordered actions it
 * would take, with rendered parameters, and the guardrail verdict and approvals each would meet.
 * Pure: nothing is sent or stored. Sub-playbooks are dry-run in place, their actions in order.
 */
export function dryRun(playbook: Playbook, options: DryRunOptions): DryRunResult {
  const result: DryRunResult = {
    playbook: { id: playbook.id, name: playbook.name, version: playbook.version, hash: playbook.hash },
    status: 'failed',
    reason: '',
    actions: [],
    approvals: [],
    incidentChanges: [],
    skipped: [],
    timeline: [],
    notes: NOTES,
  };
  const outcome = simulate(playbook, options, options.runId ?? 'dry-run', options.inputs ?? {}, result, 0);
  result.status = outcome.status;
  result.reason = outcome.reason;
  return result;
}

function simulate(
  playbook: Playbook,
  options: DryRunOptions,
  runId: string,
  inputs: Record<string, unknown>,
  result: DryRunResult,
  depth: number,
): { status: Exclude<RunStatus, 'running'>; reason: string } {
  const guardrail = options.guardrail ?? (() => ({ verdict: 'allow' }) as const);
  const queue: RunEvent[] = [
    {
      type: 'started',
      runId,
      snapshot: options.snapshot,
      connectors: options.connectors,
      inputs,
      startedBy: 'dry-run',
    },
  ];
  let state: RunState | null = null;
  let clock = options.now.getTime();
  // Approvals granted so far, by the item they were given in (null: outside any loop).
  const granted: { approvalId: string; item: string | null }[] = [];
  for (let events = 0; events < MAX_EVENTS; events += 1) {
    let event = queue.shift();
    if (event === undefined) {
      if (state === null || state.status !== 'running' || state.nextWakeupAt === null) break;
      clock = Math.max(clock, Date.parse(state.nextWakeupAt));
      event = { type: 'wakeup' };
    }
    const decision = decide(playbook, state, event, new Date(clock));
    state = decision.state;
    for (const command of decision.commands) {
      switch (command.type) {
        case 'execute_action': {
          if (command.approval !== null) {
            // The approved resend of an action a guardrail held: already listed.
            queue.push({
              type: 'action_result',
              idempotencyKey: command.idempotencyKey,
              result: { status: 'succeeded', output: { dryRun: true } },
            });
            break;
          }
          const verdict = guardrail({
            incidentId: command.incidentId,
            playbookId: playbook.id,
            stepId: command.stepId,
            item: command.item,
            connector: command.connector,
            operation: command.operation,
            target: command.target,
            expiresAfterSeconds: command.expiresAfterSeconds,
          });
          const item = command.item?.token ?? null;
          result.actions.push({
            order: result.actions.length + 1,
            playbookId: playbook.id,
            stepId: command.stepId,
            instance: command.instance,
            item: command.item,
            connector: command.connector,
            operation: command.operation,
            target: command.target,
            reason: command.reason,
            parameters: command.parameters,
            expiresAfterSeconds: command.expiresAfterSeconds,
            idempotencyKey: command.idempotencyKey,
            guardrail: verdict,
            approvals: granted
              .filter((each) => each.item === null || each.item === item)
              .map((each) => each.approvalId),
          });
          queue.push({
            type: 'action_result',
            idempotencyKey: command.idempotencyKey,
            result:
              verdict.verdict === 'allow'
                ? { status: 'succeeded', output: { dryRun: true } }
                : verdict.verdict === 'refuse'
                  ? { status: 'refused', rule: verdict.rule }
                  : { status: 'approval_required', reason: verdict.reason },
          });
          break;
        }
        case 'request_approval':
          result.approvals.push({
            approvalId: command.approvalId,
            playbookId: playbook.id,
            kind: command.kind,
            stepId: command.stepId,
            instance: command.instance,
            message: command.message,
            approvers: command.approvers,
          });
          if (command.kind === 'step')
            granted.push({ approvalId: command.approvalId, item: command.item?.token ?? null });
          else {
            const held = result.actions.find(
              (action) => action.idempotencyKey === command.action?.idempotencyKey,
            );
            held?.approvals.push(command.approvalId);
          }
          queue.push({
            type: 'approval_decided',
            approvalId: command.approvalId,
            decision: 'approved',
            by: DRY_RUN_DECIDER,
          });
          break;
        case 'start_subrun': {
          const child = depth < MAX_DEPTH ? options.resolvePlaybook?.(command.playbookId) : undefined;
          const finished =
            child === undefined
              ? { status: 'failed' as const, reason: `playbook ${command.playbookId} is not loaded` }
              : simulate(
                  child,
                  options,
                  childRunId(runId, command.instance),
                  command.inputs,
                  result,
                  depth + 1,
                );
          queue.push({
            type: 'subrun_finished',
            subrunKey: command.subrunKey,
            status: finished.status,
            reason: finished.reason,
          });
          break;
        }
        case 'update_incident':
          result.incidentChanges.push({
            playbookId: playbook.id,
            stepId: command.stepId,
            instance: command.instance,
            status: command.status,
            severity: command.severity,
            comment: command.comment,
          });
          break;
        case 'record':
          result.timeline.push(command.entry);
          if (command.entry.kind === 'step_skipped') {
            result.skipped.push({
              playbookId: playbook.id,
              stepId: command.entry.stepId ?? '',
              instance: command.entry.instance ?? '',
              reason: command.entry.message,
            });
          }
          break;
        default:
          break;
      }
    }
    if (state.status !== 'running') return { status: state.status, reason: state.reason ?? '' };
  }
  return { status: 'failed', reason: 'the dry-run did not finish' };
}

/** `dry-run.notify` or `dry-run.isolate.host-3f9a1c2b7d`; hashed when that would not be a run id. */
function childRunId(runId: string, instance: string): string {
  const id = `${runId}.${instance.replace(/\[/g, '.').replace(/\]/g, '')}`;
  if (RUN_ID_PATTERN.test(id)) return id;
  return `${runId.slice(0, 27)}.s${sha256Hex(id).slice(0, 10)}`;
}
