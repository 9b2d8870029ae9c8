import { Injectable } from '@nestjs/common';

import { TransactionRunner } from '@rampart/database';

import { RunError } from './decide-approval.use-case';
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
    });
  }
}
