import type { SeverityName } from '@rampart/alerts';
import type { Role } from '@rampart/auth';
import type { ContainmentOperation } from '@rampart/connectors';

import type { ConnectorInfo, IncidentSnapshot } from './incident-snapshot';
import type { Approvers, InputValue, PlaybookIncidentStatus, StepKind } from './playbook';
import type { RunItem } from './run-data';

// The contract between the pure run state machine (`decide`) and the engine workers that persist
// its state and carry out its commands. Everything here is plain JSON. docs/playbooks.md
// ("The run state machine") describes it for the workers.

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';
export type StepStatus = 'running' | 'waiting_retry' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';

/** Who decided an approval: a person, an API key, or the timeout. */
export interface Decider {
  kind: 'user' | 'api_key' | 'system';
  name: string;
  role: Role | null;
}

// ---------------------------------------------------------------------------------------------
// Events: what happened, given to `decide`.

export interface StartedEvent {
  type: 'started';
  /** The run's id (a uuid): idempotency keys are built from it. */
  runId: string;
  snapshot: IncidentSnapshot;
  /** The connector instances this run may use. */
  connectors: ConnectorInfo[];
  /** As given (manual run, parent run); checked against the playbook's inputs. */
  inputs?: Record<string, unknown>;
  /** Who or what started it: `trigger`, a user or key name, `run:<parent id>`. */
  startedBy?: string;
}

/** The containment layer's answer to one execute_action, by its idempotency key. */
export type ActionResult =
  | { status: 'succeeded'; output?: Record<string, unknown> }
  /** `retryable: false` for failures a retry cannot mend (bad credentials, invalid target). */
  | { status: 'failed'; code: string; message?: string; retryable?: boolean }
  /** A guardrail (protected asset) refused it: never retried. */
  | { status: 'refused'; rule: string; message?: string }
  /** A guardrail (blast radius) wants a person to approve it first. */
  | { status: 'approval_required'; reason: string };

export interface ActionResultEvent {
  type: 'action_result';
  idempotencyKey: string;
  result: ActionResult;
}

/** Time passed: every timer due at `now` fires (waits, step timeouts, retry backoff, approvals). */
export interface WakeupEvent {
  type: 'wakeup';
}

export interface ApprovalDecidedEvent {
  type: 'approval_decided';
  approvalId: string;
  decision: 'approved' | 'rejected';
  by: Decider;
  reason?: string;
}

export interface SubrunFinishedEvent {
  type: 'subrun_finished';
  subrunKey: string;
  status: 'succeeded' | 'failed' | 'cancelled';
  reason?: string;
}

export interface CancelRequestedEvent {
  type: 'cancel_requested';
  by: string;
  reason?: string;
}

export type RunEvent =
  | StartedEvent
  | ActionResultEvent
  | WakeupEvent
  | ApprovalDecidedEvent
  | SubrunFinishedEvent
  | CancelRequestedEvent;

// ---------------------------------------------------------------------------------------------
// Commands: what the worker must do, returned by `decide`.

/** The entity a for_each iteration works on, as commands name it. */
export type ItemRef = Pick<RunItem, 'token' | 'type' | 'value'>;

export interface ExecuteActionCommand {
  type: 'execute_action';
  stepId: string;
  /** The step instance: `<step id>` or `<step id>[<item token>]`. */
  instance: string;
  item: ItemRef | null;
  incidentId: string;
  connector: string;
  operation: ContainmentOperation;
  /** Rendered and in canonical form (normalizeTarget). */
  target: string;
  reason: string | null;
  /** Rendered `parameters` of the step. */
  parameters: Record<string, string>;
  expiresAfterSeconds: number | null;
  /** `run:<run id>:<step id>[:<item>]`: the containment layer executes each key once. */
  idempotencyKey: string;
  /** Set when a guardrail asked for an approval and it was given. */
  approval: { approvalId: string; by: string } | null;
}

export interface ScheduleWakeupCommand {
  type: 'schedule_wakeup';
  /** Deliver a wakeup at (or after) this time; the run's earliest open timer. */
  at: string;
}

export interface RequestApprovalCommand {
  type: 'request_approval';
  approvalId: string;
  /** `step`: an approval step; `guardrail`: an action a guardrail wants approved. */
  kind: 'step' | 'guardrail';
  stepId: string;
  instance: string;
  item: ItemRef | null;
  /** Rendered. */
  message: string;
  approvers: Approvers;
  expiresAt: string;
  onTimeout: 'approve' | 'reject';
  /** The action waiting for it (guardrail approvals). */
  action: {
    connector: string;
    operation: ContainmentOperation;
    target: string;
    idempotencyKey: string;
  } | null;
}

/** An approval nobody needs any more (the step timed out, the run was cancelled). */
export interface WithdrawApprovalCommand {
  type: 'withdraw_approval';
  approvalId: string;
  reason: string;
}

export interface StartSubrunCommand {
  type: 'start_subrun';
  /** Start one child run per key: `run:<run id>:<step id>[:<item>]`. */
  subrunKey: string;
  stepId: string;
  instance: string;
  playbookId: string;
  /** Rendered; the child checks them against its own inputs. */
  inputs: Record<string, InputValue>;
}

export interface CancelSubrunCommand {
  type: 'cancel_subrun';
  subrunKey: string;
  reason: string;
}

/**
 * Change the run's incident, in the transaction that saves the state: the status only forward
 * (when the lifecycle allows it from where the incident stands), the severity only up, a comment.
 */
export interface UpdateIncidentCommand {
  type: 'update_incident';
  stepId: string;
  instance: string;
  incidentId: string;
  status: PlaybookIncidentStatus | null;
  severity: SeverityName | null;
  /** Rendered. */
  comment: string | null;
}

export type TimelineKind =
  | 'run_started'
  | 'run_finished'
  | 'step_started'
  | 'step_finished'
  | 'step_skipped'
  | 'step_retry'
  | 'approval_requested'
  | 'approval_decided'
  | 'approval_ignored';

/** A line of the run's timeline (and the incident's). */
export interface TimelineEntry {
  at: string;
  kind: TimelineKind;
  stepId: string | null;
  instance: string | null;
  /** For step_finished and run_finished. */
  status: StepStatus | RunStatus | null;
  message: string;
}

export interface RecordCommand {
  type: 'record';
  entry: TimelineEntry;
}

export interface FinishRunCommand {
  type: 'finish_run';
  status: Exclude<RunStatus, 'running'>;
  reason: string;
}

export type RunCommand =
  | ExecuteActionCommand
  | ScheduleWakeupCommand
  | RequestApprovalCommand
  | WithdrawApprovalCommand
  | StartSubrunCommand
  | CancelSubrunCommand
  | UpdateIncidentCommand
  | RecordCommand
  | FinishRunCommand;

// ---------------------------------------------------------------------------------------------
// State: what the worker stores between events (JSON), opaque to it except for the few fields
// it indexes (status, nextWakeupAt).

export interface RunState {
  version: 1;
  runId: string;
  playbookId: string;
  /** The playbook version the run started with; decide refuses another. */
  playbookHash: string;
  status: RunStatus;
  /** Why it finished. */
  reason: string | null;
  startedAt: string;
  finishedAt: string | null;
  startedBy: string;
  snapshot: IncidentSnapshot;
  connectors: ConnectorInfo[];
  inputs: Record<string, InputValue>;
  vars: Record<string, InputValue>;
  /** Step instances by `<step id>` or `<step id>[<item token>]`. */
  steps: Record<string, StepState>;
  /** Step lists being worked through: the root (''), then/else, branches, loop iterations. */
  scopes: Record<string, ScopeState>;
  timers: Timer[];
  /** Next timer id. */
  timerSeq: number;
  /** When the worker should next deliver a wakeup; null when no timer is open. */
  nextWakeupAt: string | null;
}

export interface ScopeState {
  key: string;
  /** The step instance it belongs to; null for the root. */
  owner: string | null;
  /** Which list of the owner's step: `then`, `else`, a branch index, or `steps` (loop body). */
  part: 'root' | 'then' | 'else' | 'steps' | number;
  item: RunItem | null;
  /** Index of the current step in the list. */
  position: number;
  status: 'running' | 'succeeded' | 'failed' | 'cancelled';
  /** The step whose failure failed the scope. */
  failedStep: string | null;
}

export interface Dispatch {
  idempotencyKey: string;
  connector: string;
  attempt: number;
  status: 'pending' | 'succeeded' | 'failed' | 'refused' | 'awaiting_approval' | 'abandoned';
  output: Record<string, unknown> | null;
  error: { code: string; message: string; retryable: boolean } | null;
  /** The guardrail approval this dispatch waits for (or waited for). */
  approvalId: string | null;
  /** Sent after a guardrail approval: never asks for another. */
  approved: boolean;
}

export interface PendingApproval {
  approvalId: string;
  kind: 'step' | 'guardrail';
  approvers: Approvers;
  requestedAt: string;
  expiresAt: string;
  onTimeout: 'approve' | 'reject';
  /** The dispatch waiting for it (guardrail approvals). */
  connector: string | null;
  status: 'pending' | 'approved' | 'rejected' | 'withdrawn';
  decidedBy: Decider | null;
  reason: string | null;
}

export interface StepState {
  key: string;
  stepId: string;
  kind: StepKind;
  scope: string;
  item: RunItem | null;
  status: StepStatus;
  /** 1-based; retries raise it. */
  attempt: number;
  startedAt: string;
  finishedAt: string | null;
  /** The step's timeout, when it has one. */
  deadline: string | null;
  output: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
  /** Why it was skipped. */
  reason: string | null;
  /** Child scopes (condition, parallel, for_each). */
  children: string[];
  /** Action steps: every execute_action sent, by attempt. */
  dispatches: Dispatch[];
  /** Approval steps, and guardrail approvals of action steps. */
  approvals: PendingApproval[];
  /** Sub-playbook steps: the current child run. */
  subrun: { key: string; status: 'running' | 'finished' | 'cancelled' } | null;
  /** The action as rendered (action steps), kept for retries and approvals. */
  action: {
    target: string;
    reason: string | null;
    parameters: Record<string, string>;
    expiresAfterSeconds: number | null;
    connectors: string[];
    fanOut: boolean;
  } | null;
}

export interface Timer {
  id: number;
  at: string;
  kind: 'timeout' | 'wait' | 'retry' | 'approval';
  step: string;
  approvalId: string | null;
}

export type { ConnectorInfo, IncidentSnapshot, RunItem };
