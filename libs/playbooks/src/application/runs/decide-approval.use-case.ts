import { Injectable } from '@nestjs/common';

import { AuditTrail } from '@rampart/audit';
import { TransactionRunner } from '@rampart/database';

import { type Decider, mayDecide } from '../../domain';
import { RunRepository } from './run-repository';

export class RunError extends Error {
  constructor(
    readonly code:
      | 'run_not_found'
      | 'approval_not_found'
      | 'approval_ambiguous'
      | 'approval_closed'
      | 'not_an_approver'
      | 'run_finished',
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'RunError';
  }
}

export interface DecideApprovalCommand {
  runId: string;
  /** The step id, the step instance (`<step>[<item>]`) or the approval id. */
  step: string;
  decision: 'approved' | 'rejected';
  reason?: string;
  by: Decider;
}

/**
 * A person (or key) decides an approval a run waits for: checked against the step's approvers,
 * recorded with who and when, and delivered to the run as an event in the same transaction.
 */
@Injectable()
export class DecideApprovalUseCase {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly runs: RunRepository,
    private readonly audit: AuditTrail,
  ) {}

  async execute(command: DecideApprovalCommand) {
    return this.transactions.run(async (sql) => {
      const candidates = await this.runs.approvalsFor(sql, command.runId, command.step);
      if (candidates === null) throw new RunError('run_not_found', `no run ${command.runId}`, 'param.id');
      const open = candidates.filter((approval) => approval.status === 'pending');
      if (candidates.length === 0) {
        throw new RunError(
          'approval_not_found',
          `run ${command.runId} has no approval "${command.step}"`,
          'param.step',
        );
      }
      if (open.length === 0) {
        throw new RunError(
          'approval_closed',
          `the approval is already ${candidates.map((approval) => approval.status).join(', ')}`,
          'param.step',
        );
      }
      if (open.length > 1) {
        throw new RunError(
          'approval_ambiguous',
          `step "${command.step}" waits for ${open.length} approvals (one per item): name one of ${open.map((approval) => approval.instance).join(', ')}`,
          'param.step',
        );
      }
      const approval = open[0]!;
      if (!mayDecide(approval.approvers, command.by)) {
        throw new RunError(
          'not_an_approver',
          `${command.by.name} (${command.by.role ?? 'no role'}) is not among this step's approvers`,
          'param.step',
        );
      }
      const decided = await this.runs.recordDecision(
        sql,
        approval.id,
        command.decision,
        command.by,
        command.reason ?? null,
      );
      await this.runs.appendEvent(sql, command.runId, {
        type: 'approval_decided',
        approvalId: approval.id,
        decision: command.decision,
        by: command.by,
        ...(command.reason !== undefined ? { reason: command.reason } : {}),
      });
      // The actor is the caller of the request: the person (or key) who decided.
      await this.audit.record(sql, {
        action: 'approval.decided',
        target: { type: 'approval', id: approval.id, name: approval.instance },
        before: { status: 'pending' },
        after: {
          status: command.decision,
          runId: command.runId,
          incidentId: approval.incidentId,
          kind: approval.kind,
          step: approval.instance,
          decidedBy: command.by.name,
          reason: command.reason ?? null,
          ...(approval.action ? { action: approval.action } : {}),
        },
      });
      return decided;
    });
  }
}
