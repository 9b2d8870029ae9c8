import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

import { AppConfig } from '@rampart/config';

import { SignCheckpointUseCase } from '../../application/sign-checkpoint.use-case';

/**
 * The engine role signs the chain head every AUDIT_CHECKPOINT_INTERVAL. Every replica ticks; the
 * use case lets one of them sign (advisory lock, last checkpoint's age), so any number of replicas
 * make one checkpoint an interval. A minimal loop of its own until a shared leased-job loop exists.
 */
@Injectable()
export class AuditCheckpointJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AuditCheckpoints');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    private readonly checkpoints: SignCheckpointUseCase,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.hasRole('engine')) this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  private get intervalMs(): number {
    return this.config.env.AUDIT_CHECKPOINT_INTERVAL;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.checkpoints
        .periodic(this.intervalMs)
        .then((checkpoint) => {
          if (checkpoint) this.logger.log(`signed audit checkpoint at entry ${checkpoint.seq}`);
        })
        .catch((error: unknown) => {
          this.logger.error(
            `audit checkpoint failed: ${error instanceof Error ? error.message : String(error)}`,
          );
        })
        .finally(() => {
          this.running = undefined;
          // Ticks a few times an interval, so a replica taking over is late by a fraction of it.
          this.schedule(Math.min(this.intervalMs / 4, 60_000));
        });
    }, delayMs);
    this.timer.unref();
  }
}
