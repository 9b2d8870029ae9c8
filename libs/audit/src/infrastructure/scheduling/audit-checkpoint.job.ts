import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

import { AppConfig } from '@rampart/config';
import { JobLease, LeasedPeriodicJob } from '@rampart/database';

import { SignCheckpointUseCase } from '../../application/sign-checkpoint.use-case';
import type { Checkpoint } from '../../domain/checkpoint';

export const AUDIT_CHECKPOINT_JOB = 'audit-checkpoint';

/**
 * The engine role signs the chain head every AUDIT_CHECKPOINT_INTERVAL, in one replica at a time
 * (the holder of the `audit-checkpoint` lease). It looks a few times an interval, so a replica
 * taking over from a dead one is late by a fraction of it; the use case signs only when the last
 * periodic checkpoint is old enough and the chain has grown.
 */
@Injectable()
export class AuditCheckpointJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AuditCheckpoints');
  private readonly job: LeasedPeriodicJob<Checkpoint | null>;

  constructor(
    lease: JobLease,
    checkpoints: SignCheckpointUseCase,
    private readonly config: AppConfig,
  ) {
    const intervalMs = config.env.AUDIT_CHECKPOINT_INTERVAL;
    this.job = new LeasedPeriodicJob(lease, {
      name: AUDIT_CHECKPOINT_JOB,
      intervalMs: Math.min(intervalMs / 4, 60_000),
      run: async () => {
        const checkpoint = await checkpoints.periodic(intervalMs);
        if (checkpoint) this.logger.log(`signed audit checkpoint at entry ${checkpoint.seq}`);
        return checkpoint;
      },
      onError: (error) =>
        this.logger.error(
          `audit checkpoint failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
    });
  }

  onApplicationBootstrap(): void {
    if (this.config.hasRole('engine')) this.job.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }
}
