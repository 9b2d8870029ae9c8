import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

import { AppConfig } from '@rampart/config';
import { JobLease, LeasedPeriodicJob } from '@rampart/database';

import { TriggerPlaybooksUseCase } from '../../application/runs/trigger-playbooks.use-case';

export const PLAYBOOK_TRIGGER_JOB = 'playbook-triggers';
/** How long one pass waits for new incident events before renewing its lease. */
const WAIT_MS = 1_000;

/**
 * The engine role's trigger consumer: one replica at a time (a job lease) follows the incident
 * event feed and starts the playbooks the changes trigger, at once on each commit's notification.
 */
@Injectable()
export class TriggerJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('PlaybookTriggers');
  private readonly job: LeasedPeriodicJob<number>;
  private readonly abort = new AbortController();

  constructor(
    lease: JobLease,
    private readonly triggers: TriggerPlaybooksUseCase,
    private readonly config: AppConfig,
  ) {
    this.job = new LeasedPeriodicJob(lease, {
      name: PLAYBOOK_TRIGGER_JOB,
      intervalMs: 20,
      leaseTtlMs: 15_000,
      run: async () => {
        let started = await this.triggers.drain();
        await this.triggers.waitForEvents(this.abort.signal, WAIT_MS);
        started += await this.triggers.drain();
        return started;
      },
      onError: (error) =>
        this.logger.error(
          `trigger pass failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        ),
    });
  }

  onApplicationBootstrap(): void {
    if (this.config.hasRole('engine')) this.job.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.abort.abort();
    await this.job.stop();
  }

  /** One pass now (tests). */
  async runOnce(): Promise<number> {
    const pass = await this.job.runOnce();
    return pass.leader ? pass.result : 0;
  }
}
