import type { EntityRole, EntityType, SeverityName } from '@rampart/alerts';
import type { Role } from '@rampart/auth';
import type { Capability, ContainmentOperation } from '@rampart/connectors';
import type { RetryPolicy } from '@rampart/resilience';

import type { Condition } from './condition';

/**
 * A compiled playbook: the YAML file validated, defaults applied, names in camelCase. Plain JSON
 * (no class, no Map), so a run can keep the exact version it started with.
 */
export interface Playbook {
  id: string;
  name: string;
  version: number;
  description: string;
  owner: string;
  enabled: boolean;
  /** Where it was loaded from, as diagnostics name it. */
  file: string;
  /** sha256 (hex) of the file's bytes: a run records the version it ran. */
  hash: string;
  trigger: Trigger;
  inputs: Record<string, InputSpec>;
  steps: Step[];
}

export const TRIGGER_EVENTS = ['incident.created', 'incident.updated'] as const;
export type TriggerEvent = (typeof TRIGGER_EVENTS)[number];

export interface Trigger {
  on: TriggerEvent[];
  /** null: every incident of those events. */
  when: Condition | null;
  /** At most one run of this playbook per incident (default), however often the incident changes. */
  oncePerIncident: boolean;
}

export const INPUT_TYPES = ['string', 'number', 'boolean', 'duration', 'string_list'] as const;
export type InputType = (typeof INPUT_TYPES)[number];
/** An input's value: durations are whole seconds. */
export type InputValue = string | number | boolean | string[];

export interface InputSpec {
  type: InputType;
  description: string;
  /** Absent: the input must be given when the run starts. */
  default?: InputValue;
}

export type OnError = { kind: 'fail' } | { kind: 'continue' } | { kind: 'goto'; step: string };

export const STEP_KINDS = [
  'action',
  'condition',
  'parallel',
  'approval',
  'wait',
  'playbook',
  'set',
  'for_each',
  'incident',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

interface StepBase {
  id: string;
  name: string;
  /** The step runs only when this holds; otherwise it is skipped, with the condition as reason. */
  when: Condition | null;
  /** Fails the step (code `timeout`) when it has not finished this long after it started. */
  timeoutMs: number | null;
  onError: OnError;
}

export interface ActionStep extends StepBase {
  kind: 'action';
  operation: ContainmentOperation;
  capability: Capability;
  /** A connector by name; null: every connector of `capability` (fan-out). */
  connector: string | null;
  /** Templates, rendered when the step starts. */
  target: string;
  reason: string | null;
  parameters: Record<string, string>;
  /** Reversible operations: the containment layer undoes the action this long after. */
  expiresAfter: { seconds: number } | { input: string } | null;
  retry: RetryPolicy | null;
}

export interface ConditionStep extends StepBase {
  kind: 'condition';
  if: Condition;
  then: Step[];
  else: Step[];
}

export interface ParallelStep extends StepBase {
  kind: 'parallel';
  branches: { name: string; steps: Step[] }[];
}

export interface ApprovalStep extends StepBase {
  kind: 'approval';
  /** Template. */
  message: string;
  approvers: Approvers;
  /** When nobody decided within `timeoutMs`, this decision applies. */
  onTimeout: 'approve' | 'reject';
}

/** Who may decide an approval: any one of them (and the API asks for `runs:approve` too). */
export interface Approvers {
  roles: Role[];
  users: string[];
  apiKeys: string[];
}

export interface WaitStep extends StepBase {
  kind: 'wait';
  durationMs: number;
}

export interface PlaybookStep extends StepBase {
  kind: 'playbook';
  playbook: string;
  /** Templates (strings) or literal values, by input name of the called playbook. */
  inputs: Record<string, InputValue>;
  retry: RetryPolicy | null;
}

export interface SetStep extends StepBase {
  kind: 'set';
  /** Templates (strings) or literal values. */
  variables: Record<string, InputValue>;
}

/** The statuses a playbook may move its incident to; never backwards along the lifecycle. */
export const PLAYBOOK_INCIDENT_STATUSES = ['acknowledged', 'contained', 'resolved'] as const;
export type PlaybookIncidentStatus = (typeof PLAYBOOK_INCIDENT_STATUSES)[number];

/** Changes the run's own incident: moves its status forward, raises its severity, comments. */
export interface IncidentStep extends StepBase {
  kind: 'incident';
  /** Applied when the incident's lifecycle allows it from where it stands; never a step back. */
  status: PlaybookIncidentStatus | null;
  /** Applied when above the incident's severity; never lowers it. */
  severity: SeverityName | null;
  /** Template; the comment's author is the playbook. */
  comment: string | null;
}

export interface ForEachStep extends StepBase {
  kind: 'for_each';
  /** The incident's entities of these types (all when empty) and roles (any when empty). */
  entities: { types: EntityType[]; roles: EntityRole[] };
  /** More entities than this fail the step rather than act on all of them. */
  maxItems: number;
  steps: Step[];
}

export type Step =
  | ActionStep
  | ConditionStep
  | ParallelStep
  | ApprovalStep
  | WaitStep
  | PlaybookStep
  | SetStep
  | ForEachStep
  | IncidentStep;

/** The steps nested directly in `step` (branches, then/else, loop bodies), in order. */
export function childSequences(step: Step): Step[][] {
  switch (step.kind) {
    case 'condition':
      return [step.then, step.else];
    case 'parallel':
      return step.branches.map((branch) => branch.steps);
    case 'for_each':
      return [step.steps];
    default:
      return [];
  }
}

/** Every step of the playbook, depth first. */
export function allSteps(steps: readonly Step[]): Step[] {
  return steps.flatMap((step) => [step, ...childSequences(step).flatMap(allSteps)]);
}
