import { Injectable } from '@nestjs/common';

import { AuditTrail } from '@rampart/audit';
import { TransactionRunner } from '@rampart/database';

import { RunError } from './decide-approval.use-case';
import { runTarget } from './run-audit';
import { RunRepository } from './run-repository';

/**
 * Stops a running run: the state machine cancels what is in progress (its sub-runs, its open
 * approvals) and finishes the run as cancelled. Containment actions already sent stay in force;
 * roll them back through /api/v1/actions.
 */
@Injectable()
export class CancelRunUseCase {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly runs: RunRepository,
    private readonly audit: AuditTrail,
  ) {}

  async execute(command: { runId: string; by: string; reason?: string }): Promise<void> {
    await this.transactions.run(async (sql) => {
      const run = await this.runs.lockRun(sql, command.runId);
      if (!run) throw new RunError('run_not_found', `no run ${command.runId}`, 'param.id');
      if (run.status !== 'running') {
        throw new RunError('run_finished', `the run already ${run.status}`, 'param.id');
      }
      await this.runs.appendEvent(sql, command.runId, {
        type: 'cancel_requested',
        by: command.by,
        ...(command.reason !== undefined ? { reason: command.reason } : {}),
      });
      // The run finishes as cancelled when the engine delivers the request (`run.cancelled`).
      await this.audit.record(sql, {
        action: 'run.cancel_requested',
        target: runTarget(command.runId, run.playbookId),
        before: { status: 'running' },
        after: { status: 'cancelling', by: command.by, reason: command.reason ?? null },
      });
    });
  }
}
