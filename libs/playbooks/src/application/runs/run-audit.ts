import type { AuditActor, AuditEntryInput } from '@rampart/audit';
import { systemActor } from '@rampart/audit';

import type { RunCommand } from '../../domain';

/** The audit trail's name for the playbook engine (triggered runs, steps, sub-runs, approvals it asks for). */
export const ENGINE_ACTOR: AuditActor = systemActor('engine');

/** The run an audit entry is about. */
export function runTarget(runId: string, playbookId: string): AuditEntryInput['target'] {
  return { type: 'playbook_run', id: runId, name: playbookId };
}

/** `run.started`, whoever starts it: a person (manual), the engine (trigger, sub-run). */
export function runStarted(
  run: { id: string; playbookId: string; incidentId: string; startedBy: string; parentRunId?: string | null },
  how: 'manual' | 'trigger' | 'subrun',
  actor?: AuditActor,
): AuditEntryInput {
  return {
    action: 'run.started',
    target: runTarget(run.id, run.playbookId),
    after: {
      status: 'running',
      playbook: run.playbookId,
      incidentId: run.incidentId,
      startedBy: run.startedBy,
      how,
      ...(run.parentRunId ? { parentRunId: run.parentRunId } : {}),
    },
    ...(actor ? { actor } : {}),
  };
}

const STEP_FINISHED: Record<string, string> = {
  succeeded: 'run.step_completed',
  failed: 'run.step_failed',
  cancelled: 'run.step_cancelled',
};
const RUN_FINISHED: Record<string, string> = {
  succeeded: 'run.completed',
  failed: 'run.failed',
  cancelled: 'run.cancelled',
};

/**
 * The audit entries of what one delivery of events did to a run, in the order the state machine
 * said it: steps dispatched (containment actions handed to the outbox), finished or skipped,
 * approvals requested or withdrawn, the run finished. Approval decisions are audited where they
 * are made (the API), run starts where the run row is written.
 */
export function runTransitionEntries(
  run: { id: string; playbookId: string; incidentId: string },
  commands: readonly RunCommand[],
): AuditEntryInput[] {
  const target = runTarget(run.id, run.playbookId);
  const entries: AuditEntryInput[] = [];
  for (const command of commands) {
    switch (command.type) {
      case 'execute_action':
        entries.push({
          actor: ENGINE_ACTOR,
          action: 'run.step_dispatched',
          target,
          after: {
            step: command.instance,
            idempotencyKey: command.idempotencyKey,
            connector: command.connector,
            operation: command.operation,
            target: command.target,
            ...(command.approval ? { approvedBy: command.approval.by } : {}),
          },
        });
        break;
      case 'request_approval':
        entries.push({
          actor: ENGINE_ACTOR,
          action: 'approval.requested',
          target: { type: 'approval', id: command.approvalId, name: command.instance },
          after: {
            status: 'pending',
            runId: run.id,
            incidentId: run.incidentId,
            kind: command.kind,
            step: command.instance,
            message: command.message,
            approvers: command.approvers,
            expiresAt: command.expiresAt,
            onTimeout: command.onTimeout,
            ...(command.action ? { action: command.action } : {}),
          },
        });
        break;
      case 'withdraw_approval':
        entries.push({
          actor: ENGINE_ACTOR,
          action: 'approval.withdrawn',
          target: { type: 'approval', id: command.approvalId },
          before: { status: 'pending' },
          after: { status: 'withdrawn', runId: run.id, reason: command.reason },
        });
        break;
      case 'record': {
        const { entry } = command;
        const step = entry.instance ?? entry.stepId;
        if (entry.kind === 'step_finished' && entry.status && STEP_FINISHED[entry.status]) {
          entries.push({
            actor: ENGINE_ACTOR,
            action: STEP_FINISHED[entry.status] as string,
            target,
            after: { step, status: entry.status, message: entry.message },
          });
        } else if (entry.kind === 'step_skipped') {
          entries.push({
            actor: ENGINE_ACTOR,
            action: 'run.step_skipped',
            target,
            after: { step, status: 'skipped', message: entry.message },
          });
        }
        break;
      }
      case 'finish_run':
        entries.push({
          actor: ENGINE_ACTOR,
          action: RUN_FINISHED[command.status] ?? `run.${command.status}`,
          target,
          before: { status: 'running' },
          after: { status: command.status, reason: command.reason },
        });
        break;
      default:
        break;
    }
  }
  return entries;
}
