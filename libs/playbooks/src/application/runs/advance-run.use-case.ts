import { randomUUID } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';

import { type AuditEntryInput, AuditTrail } from '@rampart/audit';
import { ExecuteActionUseCase } from '@rampart/containment';
import { type SqlExecutor, TransactionRunner } from '@rampart/database';
import { type IncidentActivity, IncidentWriter, UpdateIncidentUseCase } from '@rampart/incidents';
import { Metrics } from '@rampart/metrics';

import {
  compilePlaybook,
  decide,
  type Playbook,
  type RunCommand,
  type RunEvent,
  type RunState,
  type TimelineEntry,
} from '../../domain';
import { PlaybookRegistry } from '../playbook-registry';
import { actionResultOf, actionResultOfError } from './action-results';
import { ENGINE_ACTOR, runStarted, runTransitionEntries } from './run-audit';
import { type DispatchRecord, type RunRecord, RunRepository } from './run-repository';

/** How long a worker holds a run between renewals; a worker that dies loses it after this. */
export const RUN_LEASE_MS = 60_000;
/** A containment action whose outcome is not known yet is looked at again after this long. */
const PENDING_ACTION_RECHECK_MS = 15_000;
/** Rounds of (events, then dispatches) one claim may take before the run is handed back. */
const MAX_ROUNDS = 50;
/** Timeline entries also written to the incident's timeline (the others stay in the run's). */
const INCIDENT_TIMELINE_KINDS = new Set([
  'run_started',
  'run_finished',
  'step_skipped',
  'approval_requested',
  'approval_decided',
  'approval_ignored',
]);

type Round = 'lost' | 'idle' | 'progressed';

/**
 * Advances one leased run: delivers its undelivered events (and due timers) to the pure state
 * machine, persists the new state together with the commands' database effects in one
 * transaction (the outbox), then carries out its due containment dispatches outside any
 * transaction and delivers their results as new events, until nothing is left to do. A worker
 * killed at any point leaves either undelivered events or pending dispatches: whoever claims the
 * run next carries on from there, and idempotency keys make a dispatch sent twice one action.
 */
@Injectable()
export class AdvanceRunUseCase {
  private readonly logger = new Logger('PlaybookRuns');
  private readonly compiled = new Map<string, Playbook>();

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly runs: RunRepository,
    private readonly registry: PlaybookRegistry,
    private readonly incidents: IncidentWriter,
    private readonly incidentUpdates: UpdateIncidentUseCase,
    private readonly executeAction: ExecuteActionUseCase,
    private readonly metrics: Metrics,
    private readonly audit: AuditTrail,
  ) {}

  /** Advances the run as far as it goes now; false when the lease was lost to another worker. */
  async advance(runId: string, holder: string): Promise<boolean> {
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const delivered = await this.deliverEvents(runId, holder);
      if (delivered === 'lost') return false;
      const due = await this.runs.dueDispatches(runId);
      if (due.length === 0 && delivered === 'idle') return true;
      await Promise.all(due.map((dispatch) => this.dispatch(dispatch)));
    }
    return true;
  }

  private deliverEvents(runId: string, holder: string): Promise<Round> {
    return this.transactions.run(async (sql): Promise<Round> => {
      const run = await this.runs.lockHeld(sql, runId, holder);
      if (!run) return 'lost';
      const now = new Date();
      const events: RunEvent[] = [];
      const pending = await this.runs.undelivered(sql, runId);
      events.push(...pending.map((item) => item.event));
      const timerDue = run.status === 'running' && run.nextWakeupAt !== null && run.nextWakeupAt <= now;
      if (timerDue) events.push({ type: 'wakeup' });
      if (events.length === 0) return 'idle';
      const playbook = this.playbookOf(run);
      let state = run.state;
      const commands: RunCommand[] = [];
      for (const event of events) {
        if (state === null && event.type !== 'started') continue;
        const decision = decide(playbook, state, event, now);
        state = decision.state;
        commands.push(...decision.commands);
      }
      if (state === null) throw new Error(`run ${runId} has no started event`);
      const started = await this.apply(sql, run, state, commands);
      await this.runs.saveState(
        sql,
        runId,
        state,
        pending.map((item) => item.seq),
      );
      // Last: appending locks the audit chain head until this transaction commits.
      await this.audit.recordAll(sql, [...runTransitionEntries(run, commands), ...started]);
      return 'progressed';
    });
  }

  /**
   * The database effects of the commands, in the transaction that saves the state; the audit
   * entries of the sub-runs it started.
   */
  private async apply(
    sql: SqlExecutor,
    run: RunRecord,
    state: RunState,
    commands: RunCommand[],
  ): Promise<AuditEntryInput[]> {
    const started: AuditEntryInput[] = [];
    const timeline: TimelineEntry[] = [];
    for (const command of commands) {
      switch (command.type) {
        case 'execute_action':
          await this.runs.addDispatch(sql, run.id, command);
          break;
        case 'request_approval':
          await this.runs.addApproval(sql, run, command);
          break;
        case 'withdraw_approval':
          await this.runs.closeApproval(sql, command.approvalId, command.reason);
          break;
        case 'start_subrun': {
          const child = await this.startSubrun(sql, run, state, command);
          if (child) started.push(child);
          break;
        }
        case 'cancel_subrun': {
          const child = await this.runs.findBySubrunKey(sql, command.subrunKey);
          if (child?.status === 'running') {
            await this.runs.appendEvent(sql, child.id, {
              type: 'cancel_requested',
              by: `run:${run.id}`,
              reason: command.reason,
            });
          }
          break;
        }
        case 'update_incident':
          await this.incidentUpdates.advanceWithin(sql, {
            incidentId: command.incidentId,
            actor: `playbook:${run.playbookId}`,
            status: command.status,
            severity: command.severity,
            comment: command.comment,
            auditActor: ENGINE_ACTOR,
          });
          break;
        case 'record':
          timeline.push(command.entry);
          this.countStep(state, command.entry);
          break;
        case 'finish_run':
          if (run.parentRunId !== null && run.subrunKey !== null) {
            await this.runs.appendEvent(sql, run.parentRunId, {
              type: 'subrun_finished',
              subrunKey: run.subrunKey,
              status: command.status,
              reason: command.reason,
            });
          }
          this.metrics.workflowExecutions.inc({ playbook: run.playbookId, status: command.status });
          this.metrics.workflowDuration.observe(
            { playbook: run.playbookId },
            Math.max(0, Date.now() - run.startedAt.getTime()) / 1000,
          );
          break;
        case 'schedule_wakeup':
          // The state's nextWakeupAt is saved with it; the workers claim the run when it is due.
          break;
      }
    }
    await this.runs.appendTimeline(sql, run.id, timeline);
    const activities: IncidentActivity[] = timeline
      .filter((entry) => INCIDENT_TIMELINE_KINDS.has(entry.kind))
      .map((entry) => ({
        incidentId: run.incidentId,
        kind: `playbook_${entry.kind}`,
        message: `Playbook ${run.playbookId}: ${entry.message}`,
        data: { runId: run.id, playbookId: run.playbookId, stepId: entry.stepId, status: entry.status },
      }));
    await this.incidents.recordActivity(sql, activities, `playbook:${run.playbookId}`);
    return started;
  }

  private async startSubrun(
    sql: SqlExecutor,
    parent: RunRecord,
    state: RunState,
    command: Extract<RunCommand, { type: 'start_subrun' }>,
  ): Promise<AuditEntryInput | null> {
    if (await this.runs.findBySubrunKey(sql, command.subrunKey)) return null;
    const entry = this.registry.entry(command.playbookId);
    if (!entry || entry.playbook === null) {
      await this.runs.appendEvent(sql, parent.id, {
        type: 'subrun_finished',
        subrunKey: command.subrunKey,
        status: 'failed',
        reason: `playbook ${command.playbookId} is not loaded or not valid`,
      });
      return null;
    }
    const id = randomUUID();
    const inserted = await this.runs.insertRun(sql, {
      id,
      playbookId: entry.playbook.id,
      playbookHash: entry.hash,
      playbookFile: entry.file,
      playbookSource: entry.source,
      incidentId: parent.incidentId,
      parentRunId: parent.id,
      subrunKey: command.subrunKey,
      triggerKey: command.subrunKey,
      startedBy: `run:${parent.id}`,
      started: {
        type: 'started',
        runId: id,
        snapshot: state.snapshot,
        connectors: state.connectors,
        inputs: command.inputs,
        startedBy: `run:${parent.id}`,
      },
    });
    if (!inserted) return null;
    return runStarted(
      {
        id,
        playbookId: entry.playbook.id,
        incidentId: parent.incidentId,
        startedBy: `run:${parent.id}`,
        parentRunId: parent.id,
      },
      'subrun',
      ENGINE_ACTOR,
    );
  }

  /** Carries out one containment dispatch outside any transaction, then records how it went. */
  private async dispatch(dispatch: DispatchRecord): Promise<void> {
    const { command } = dispatch;
    let outcome: Parameters<RunRepository['finishDispatch']>[1];
    try {
      const { action } = await this.executeAction.execute({
        connector: command.connector,
        operation: command.operation,
        target: command.target,
        ...(command.expiresAfterSeconds !== null ? { expiresInSeconds: command.expiresAfterSeconds } : {}),
        incidentId: command.incidentId,
        idempotencyKey: command.idempotencyKey,
        requestedBy: `playbook:${dispatch.runId}`,
        ...(command.reason !== null ? { reason: command.reason } : {}),
        origin: 'internal',
        actor: ENGINE_ACTOR,
        ...(command.approval ? { approvedBy: command.approval.by } : {}),
      });
      const result = actionResultOf(action);
      outcome =
        result === 'pending'
          ? { kind: 'later', at: new Date(Date.now() + PENDING_ACTION_RECHECK_MS), actionId: action.id }
          : {
              kind: 'delivered',
              event: { type: 'action_result', idempotencyKey: command.idempotencyKey, result },
              actionId: action.id,
            };
    } catch (error) {
      const result = actionResultOfError(error);
      if (!result) {
        this.logger.error(
          `dispatch ${command.idempotencyKey} failed unexpectedly; tried again later: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        const delay = Math.min(300_000, 5_000 * 2 ** Math.min(dispatch.attempts, 6));
        outcome = { kind: 'later', at: new Date(Date.now() + delay), actionId: null };
      } else {
        outcome = {
          kind: 'delivered',
          event: { type: 'action_result', idempotencyKey: command.idempotencyKey, result },
          actionId: null,
        };
      }
    }
    await this.runs.finishDispatch(dispatch, outcome);
  }

  /** The playbook version the run started with, compiled from the text stored with it. */
  private playbookOf(run: RunRecord): Playbook {
    const cached = this.compiled.get(run.playbookHash);
    if (cached) return cached;
    const compiled = compilePlaybook({
      file: run.playbookFile,
      text: run.playbookSource,
      hash: run.playbookHash,
    });
    if (compiled.playbook === null) {
      throw new Error(`the playbook text stored with run ${run.id} no longer compiles`);
    }
    if (this.compiled.size > 200) this.compiled.clear();
    this.compiled.set(run.playbookHash, compiled.playbook);
    return compiled.playbook;
  }

  private countStep(state: RunState, entry: TimelineEntry): void {
    if (entry.kind !== 'step_finished' && entry.kind !== 'step_skipped') return;
    const kind = entry.instance !== null ? (state.steps[entry.instance]?.kind ?? 'unknown') : 'unknown';
    this.metrics.workflowSteps.inc({
      kind,
      status: entry.kind === 'step_skipped' ? 'skipped' : (entry.status ?? 'unknown'),
    });
  }
}
