import type { SqlExecutor } from '@rampart/database';

import type {
  Approvers,
  Decider,
  ExecuteActionCommand,
  RequestApprovalCommand,
  RunEvent,
  RunState,
  RunStatus,
  StartedEvent,
  TimelineEntry,
} from '../../domain';

/** A run as stored: the state machine's state, and what it needs to resume. */
export interface RunRecord {
  id: string;
  playbookId: string;
  playbookHash: string;
  playbookFile: string;
  /** The playbook's YAML as the run started with it: compiled again to resume, whatever the file says now. */
  playbookSource: string;
  incidentId: string;
  parentRunId: string | null;
  subrunKey: string | null;
  status: RunStatus;
  startedBy: string;
  startedAt: Date;
  nextWakeupAt: Date | null;
  /** null until the `started` event was delivered. */
  state: RunState | null;
}

export interface NewRun {
  id: string;
  playbookId: string;
  playbookHash: string;
  playbookFile: string;
  playbookSource: string;
  incidentId: string;
  parentRunId: string | null;
  subrunKey: string | null;
  /** Unique per playbook and incident: `once` for once-per-incident playbooks, `event:<seq>`, `manual:<id>`... */
  triggerKey: string;
  startedBy: string;
  started: StartedEvent;
}

export interface UndeliveredEvent {
  seq: string;
  event: RunEvent;
}

export interface DispatchRecord {
  idempotencyKey: string;
  runId: string;
  command: ExecuteActionCommand;
  attempts: number;
}

/** How a dispatch ended for now: its result delivered to the run, or a later look. */
export type DispatchOutcome =
  | { kind: 'delivered'; event: RunEvent; actionId: string | null }
  | { kind: 'later'; at: Date; actionId: string | null };

/** An approval as stored. */
export interface ApprovalRecord {
  id: string;
  runId: string;
  incidentId: string;
  kind: 'step' | 'guardrail';
  stepId: string;
  instance: string;
  message: string;
  approvers: Approvers;
  action: Record<string, unknown> | null;
  requestedAt: Date;
  expiresAt: Date;
  onTimeout: 'approve' | 'reject';
  status: 'pending' | 'approved' | 'rejected' | 'withdrawn';
  decidedBy: string | null;
  decidedByKind: string | null;
  decidedAt: Date | null;
  reason: string | null;
}

/**
 * Persistence of durable runs: the run rows (leased to the worker advancing them), their inbox of
 * events, their outbox of containment dispatches, their approvals and timelines. Methods taking
 * `sql` run in the caller's transaction.
 */
export abstract class RunRepository {
  /** Inserts a run and its `started` event; false when its trigger key (or sub-run key) was taken. */
  abstract insertRun(sql: SqlExecutor, run: NewRun): Promise<boolean>;
  /** Appends an event to a run's inbox and wakes the workers at commit. */
  abstract appendEvent(sql: SqlExecutor, runId: string, event: RunEvent): Promise<void>;
  /** Leases up to `limit` runs with work due: undelivered events, a timer due, a dispatch due. */
  abstract claimRunnable(holder: string, leaseMs: number, limit: number): Promise<string[]>;
  abstract release(runId: string, holder: string): Promise<void>;
  /** Extends the lease while the holder still works on the run; false when it lost it. */
  abstract renew(runId: string, holder: string, leaseMs: number): Promise<boolean>;
  /** The run, locked until the transaction ends, while `holder` still holds its lease; else null. */
  abstract lockHeld(sql: SqlExecutor, runId: string, holder: string): Promise<RunRecord | null>;
  abstract undelivered(sql: SqlExecutor, runId: string): Promise<UndeliveredEvent[]>;
  abstract saveState(sql: SqlExecutor, runId: string, state: RunState, delivered: string[]): Promise<void>;
  abstract addDispatch(sql: SqlExecutor, runId: string, command: ExecuteActionCommand): Promise<void>;
  abstract dueDispatches(runId: string): Promise<DispatchRecord[]>;
  /** Records how a dispatch ended for now (its result as an inbox event, or when to look again). */
  abstract finishDispatch(dispatch: DispatchRecord, outcome: DispatchOutcome): Promise<void>;
  abstract addApproval(sql: SqlExecutor, run: RunRecord, command: RequestApprovalCommand): Promise<void>;
  abstract closeApproval(sql: SqlExecutor, approvalId: string, reason: string): Promise<void>;
  /**
   * The approvals of a run that `step` names (a step id, a step instance or an approval id), locked
   * until the transaction ends; null when there is no such run.
   */
  abstract approvalsFor(sql: SqlExecutor, runId: string, step: string): Promise<ApprovalRecord[] | null>;
  abstract recordDecision(
    sql: SqlExecutor,
    approvalId: string,
    decision: 'approved' | 'rejected',
    by: Decider,
    reason: string | null,
  ): Promise<ApprovalRecord>;
  /** The run locked, for a cancel; null when there is none. */
  abstract lockRun(
    sql: SqlExecutor,
    runId: string,
  ): Promise<{ status: RunStatus; playbookId: string } | null>;
  abstract appendTimeline(sql: SqlExecutor, runId: string, entries: TimelineEntry[]): Promise<void>;
  /** The run started by `subrunKey`, if any. */
  abstract findBySubrunKey(
    sql: SqlExecutor,
    subrunKey: string,
  ): Promise<{ id: string; status: RunStatus } | null>;
  /** Playbook ids that already ran (or run) on each incident, by incident id (no entry: none ran). */
  abstract playbooksRunOnEach(incidentIds: readonly string[]): Promise<Map<string, string[]>>;
  abstract readCursor(sql: SqlExecutor, name: string): Promise<string | null>;
  abstract writeCursor(sql: SqlExecutor, name: string, cursor: string | null): Promise<void>;
}
